// A small fetch client of a Users API server (in this process or another): the reference
// server's self-tests and the load benchmark both send through it.

/** Per-request time limit, so a hung server fails a test instead of stalling the run. */
export const REQUEST_TIMEOUT_MS = 5_000;

/** One answer, with the body parsed when it is JSON. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  readonly json: unknown;
}

/** How a test sends one request. */
export interface Call {
  readonly method?: string;
  /** An object is sent as JSON; a string or Buffer is sent as it is. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** A client bound to a server's URL. */
export interface ApiClient {
  readonly url: string;
  /** Headers sent with every request (the API key, when the server wants one). */
  readonly headers: Readonly<Record<string, string>>;
  /** Sends a request to a path (or an absolute URL) of the server. */
  call(path: string, call?: Call): Promise<Answer>;
  /** The path of the app's users, or of one user (percent-encoded). */
  users(appId: string, username?: string): string;
}

/** A client of the server at `url` (also one in another process); `headers` go with every request, e.g. a key. */
export function apiClient(url: string, headers: Record<string, string> = {}): ApiClient {
  return {
    url,
    headers,
    // Concatenated, not resolved: a path such as `//x` must reach the server as it is.
    call: (path, call = {}) =>
      send(new URL(/^https?:\/\//.test(path) ? path : `${url}${path}`), {
        ...call,
        headers: { ...headers, ...call.headers },
      }),
    users: (appId, username) =>
      `/v1/${encodeURIComponent(appId)}/users${username === undefined ? '' : `/${encodeURIComponent(username)}`}`,
  };
}

async function send(url: URL, call: Call = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...call.headers };
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (typeof call.body === 'string') body = call.body;
  else if (Buffer.isBuffer(call.body)) body = new Uint8Array(call.body);
  else if (call.body !== undefined) body = JSON.stringify(call.body);
  if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(url, {
    method: call.method ?? 'GET',
    headers,
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: parseJson(text) };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
