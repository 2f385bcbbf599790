// Helpers the reference server's self-tests (tests/self/reference-server*.test.ts) share, and
// the load benchmark's invariant check: an in-process server on a free port, a small fetch
// client (also of a server in another process), and a pagination walker. Kept beside the
// server because the self-test folder holds only test files. Not used at run time.
import assert from 'node:assert/strict';
import { type ReferenceServerOptions, type RunningReferenceServer, startReferenceServer } from './reference-server.js';

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

/** A started server and a client bound to it. */
export interface TestApi extends ApiClient {
  readonly server: RunningReferenceServer;
  /** Stops the server; fails the test if the last-resort 500 was reached `expectedUnexpected` times otherwise. */
  close(expectedUnexpected?: number): Promise<void>;
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

/** Starts a server on a free port; logs of the last resort are kept out of the test output. */
export async function startTestApi(options: ReferenceServerOptions = {}): Promise<TestApi> {
  const server = await startReferenceServer({ logError: () => {}, ...options });
  return {
    ...apiClient(server.url),
    server,
    async close(expectedUnexpected = 0) {
      await server.close();
      assert.equal(server.unexpectedErrors, expectedUnexpected, 'the last-resort 500 handler was reached');
    },
  };
}

/** Runs a test body against a fresh server and always closes it. */
export async function withApi(options: ReferenceServerOptions, body: (api: TestApi) => Promise<void>): Promise<void> {
  const api = await startTestApi(options);
  try {
    await body(api);
  } finally {
    await api.close();
  }
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

/** Creates users one after another; fails on any non-2xx. */
export async function createUsers(api: ApiClient, appId: string, usernames: readonly string[]): Promise<void> {
  for (const username of usernames) {
    const answer = await api.call(api.users(appId), { method: 'POST', body: { username } });
    assert.ok(answer.status >= 200 && answer.status < 300, `create ${username}: ${answer.status} ${answer.text}`);
  }
}

/** One page of the envelope, as the walker sees it. */
export interface Page {
  readonly url: string;
  readonly count: number;
  readonly total_count: number;
  readonly links: Record<string, string | null>;
  readonly users: Array<Record<string, unknown>>;
}

/** Fetches one page; fails unless it answers 200. */
export async function fetchPage(api: ApiClient, url: string): Promise<Page> {
  const answer = await api.call(url);
  assert.equal(answer.status, 200, `GET ${url}: ${answer.text}`);
  return { ...(answer.json as Omit<Page, 'url'>), url: new URL(url, api.url).href };
}

/** Follows a link of a page (`next`, `previews`, ...) resolved against the page's URL, at most `maxPages` times. */
export async function follow(api: ApiClient, start: Page, key: string, maxPages: number): Promise<Page[]> {
  const pages = [start];
  let page = start;
  for (let step = 0; step < maxPages; step++) {
    const link = page.links[key];
    if (link === null || link === undefined) return pages;
    page = await fetchPage(api, new URL(link, page.url).href);
    pages.push(page);
  }
  assert.fail(`following ${key} did not end within ${maxPages} pages`);
}

/** The usernames on a list of pages, in order. */
export function usernamesOf(pages: readonly Page[]): string[] {
  return pages.flatMap((page) => page.users.map((user) => String(user.username)));
}

/** Names like `prefix-00`, `prefix-01`, ... */
export function names(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, n) => `${prefix}-${String(n).padStart(2, '0')}`);
}
