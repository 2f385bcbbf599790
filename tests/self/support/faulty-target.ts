// A target that misbehaves as real ones do when something around them breaks (it hangs, or answers
// HTML or non-JSON), to show the kit ends such runs quickly and readably. Loopback only.
import { createServer, request as forward } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the target answers from now on. */
export type TargetBehaviour = 'pass-through' | 'hang' | 'html' | 'html-or-garbage';

export interface FaultyTarget {
  readonly url: string;
  /** Requests received so far, whatever they were answered. */
  readonly requests: number;
  behave(behaviour: TargetBehaviour): void;
  close(): Promise<void>;
}

export const HTML_PAGE =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

// Not JSON, not UTF-8: NUL, control characters, a lone continuation byte, a truncated object.
export const GARBAGE = Buffer.concat([
  Buffer.from([0x00, 0x1b, 0x5b, 0x32, 0x4a, 0xff, 0xfe, 0x80]),
  Buffer.from('{"users": [{"username": "trunc', 'utf8'),
]);

/** Starts a target on 127.0.0.1 in front of the server at `upstream`, passing requests through. */
export async function startFaultyTarget(upstream: string): Promise<FaultyTarget> {
  const upstreamUrl = new URL(upstream);
  let behaviour: TargetBehaviour = 'pass-through';
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = createServer((incoming, outgoing) => {
    requests += 1;
    if (behaviour === 'hang') return; // read nothing, answer nothing, until the client gives up
    const answer = behaviour === 'html-or-garbage' ? (requests % 2 ? 'html' : 'garbage') : behaviour;
    if (answer === 'html') {
      outgoing.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HTML_PAGE);
      return;
    }
    if (answer === 'garbage') {
      outgoing.writeHead(200, { 'content-type': 'application/json' }).end(GARBAGE);
      return;
    }
    const upstreamRequest = forward(
      {
        host: upstreamUrl.hostname,
        port: upstreamUrl.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstreamRequest.on('error', () => outgoing.destroy());
    incoming.pipe(upstreamRequest);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    behave(next) {
      behaviour = next;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
