// A careless front end for the secrets self-test: a loopback proxy whose habits (echoed headers, a
// wrong key let through, big requests dropped) each put the API key where the kit might write it.
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EchoProxyOptions {
  /** The key the server expects, and the (lower-case) header that carries it. */
  apiKey: string;
  apiKeyHeader?: string;
}

export interface EchoProxy {
  /** Base URL of the proxy, e.g. `http://127.0.0.1:43210`. */
  readonly url: string;
  /** Response bodies that the proxy put the request's headers into. */
  readonly echoed: number;
  /** Requests with a wrong key that it let through. */
  readonly letThrough: number;
  /** Requests whose connection it dropped for their size. */
  readonly dropped: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;
const ARRAY_LIST_PATH = /^\/v1\/[^/?]+\/users$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body with the request's headers put first, or undefined when it is not a JSON object. */
function withEchoedHeaders(body: Buffer, headers: IncomingHttpHeaders): Buffer | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isPlainObject(parsed)) return undefined;
  // Extra properties are allowed (D6), so this breaks no requirement; `\/` as PHP writes JSON.
  return Buffer.from(JSON.stringify({ request_headers: headers, ...parsed }).replaceAll('/', '\\/'), 'utf8');
}

/** Starts the proxy on a free loopback port, forwarding to `target` (an http base URL). */
export async function startEchoProxy(target: string, options: EchoProxyOptions): Promise<EchoProxy> {
  const upstream = new URL(target);
  const keyHeader = options.apiKeyHeader ?? 'authorization';
  const counts = { echoed: 0, letThrough: 0, dropped: 0 };
  const server = createServer((incoming, outgoing) => {
    // Dropped unanswered, as some front ends do: Playwright's record of the failed request lists
    // its headers.
    if (Number(incoming.headers['content-length']) > MAX_BODY_BYTES) {
      counts.dropped++;
      incoming.socket.destroy();
      return;
    }
    // The Host header goes along unchanged, so the server's absolute links name the proxy.
    const headers = { ...incoming.headers };
    const sentKey = headers[keyHeader];
    // A wrong key let through on the array list: the kit's wrong-key check fails and shows it.
    if (
      incoming.method === 'GET' &&
      ARRAY_LIST_PATH.test(incoming.url ?? '') &&
      sentKey &&
      sentKey !== options.apiKey
    ) {
      counts.letThrough++;
      headers[keyHeader] = options.apiKey;
    }
    const forward = httpRequest(
      { hostname: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const echoedBody = body.length ? withEchoedHeaders(body, incoming.headers) : undefined;
          if (echoedBody) counts.echoed++;
          const answerHeaders = { ...answer.headers };
          delete answerHeaders['transfer-encoding'];
          answerHeaders['content-length'] = String((echoedBody ?? body).length);
          outgoing.writeHead(answer.statusCode ?? 502, answerHeaders).end(echoedBody ?? body);
        });
      },
    );
    // A connection the server dropped without an answer is dropped here too.
    forward.on('error', () => {
      if (!outgoing.headersSent) outgoing.destroy();
    });
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get echoed() {
      return counts.echoed;
    },
    get letThrough() {
      return counts.letThrough;
    },
    get dropped() {
      return counts.dropped;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
