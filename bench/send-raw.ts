// Sends requests exactly as written with node:http (fetch would normalize `/a/../b` and `%2e%2e`),
// bounded in flight and in time: an answer that does not come is an outcome, not a hang.
import { Agent, type IncomingHttpHeaders, request } from 'node:http';

/** One request as it goes on the wire. */
export interface RawRequest {
  readonly method: string;
  /** Path and query exactly as sent. */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer | undefined;
}

/** What came back: an answer, or why there was none. */
export type RawOutcome =
  | { readonly status: number; readonly headers: IncomingHttpHeaders; readonly text: string }
  | { readonly error: string };

/** How many requests are in flight at once, how long each may take, and how long all of them may take. */
export interface SendLimits {
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** After this long no further request is started; those left get an outcome saying so. */
  readonly totalMs: number;
}

/** Sends every request to the server at `baseUrl`, at most `concurrency` at a time; outcomes in request order. */
export async function sendAll(
  baseUrl: string,
  requests: readonly RawRequest[],
  limits: SendLimits,
): Promise<RawOutcome[]> {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: limits.concurrency });
  const connection = { hostname, port: Number(port), agent };
  const outcomes: RawOutcome[] = [];
  const deadline = performance.now() + limits.totalMs;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const at = next++;
      outcomes[at] =
        performance.now() > deadline
          ? { error: `not sent: the ${requests.length} requests took longer than ${limits.totalMs} ms` }
          : await sendOne(connection, requests[at] as RawRequest, limits.timeoutMs);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(limits.concurrency, requests.length) }, worker));
  } finally {
    agent.destroy();
  }
  return outcomes;
}

// node frames a body of GET, DELETE, HEAD or OPTIONS neither with Content-Length nor chunked,
// so the server would read it as the next request on the connection. Bodies are framed here;
// framing errors have raw-socket tests of their own (reference-server-robustness.test.ts).
function framed(raw: RawRequest): Record<string, string> {
  if (raw.body === undefined) return { ...raw.headers };
  return { ...raw.headers, 'content-length': String(Buffer.byteLength(raw.body)) };
}

interface Connection {
  readonly hostname: string;
  readonly port: number;
  readonly agent: Agent;
}

function sendOne(connection: Connection, raw: RawRequest, timeoutMs: number): Promise<RawOutcome> {
  return new Promise((resolve) => {
    let sent: ReturnType<typeof request>;
    try {
      sent = request(
        {
          ...connection,
          method: raw.method,
          path: raw.target,
          headers: framed(raw),
          signal: AbortSignal.timeout(timeoutMs),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => resolve({ error: `the answer broke off: ${error.message}` }));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
    } catch (error) {
      // node refused to send it (a character it does not put in a request line): a generator bug.
      resolve({ error: `node:http would not send it: ${(error as Error).message}` });
      return;
    }
    sent.on('error', (error) => resolve({ error: `no answer: ${error.message}` }));
    sent.end(raw.body);
  });
}
