// A loopback proxy that forwards requests unchanged and records each answer, to see the traffic as
// a validating proxy in front of an implementation would.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer the proxy passed on. */
export interface RecordedExchange {
  method: string;
  /** The request target as sent: path and query, still percent-encoded. */
  target: string;
  status: number;
  contentType: string;
  body: string;
}

export interface RecordingProxy {
  readonly url: string;
  readonly exchanges: readonly RecordedExchange[];
  close(): Promise<void>;
}

/** Starts the proxy on a free loopback port, forwarding to `upstreamUrl` (an http base URL). */
export async function startRecordingProxy(upstreamUrl: string): Promise<RecordingProxy> {
  const upstream = new URL(upstreamUrl);
  const exchanges: RecordedExchange[] = [];
  const server = createServer((incoming, outgoing) => {
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          exchanges.push({
            method: incoming.method ?? '',
            target: incoming.url ?? '',
            status: answer.statusCode ?? 0,
            contentType: String(answer.headers['content-type'] ?? ''),
            body: body.toString('utf8'),
          });
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          outgoing.end(body);
        });
      },
    );
    forward.on('error', () => outgoing.destroy());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
