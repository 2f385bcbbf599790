// The reference server's self-tests: an in-process server on a free port with a client bound
// to it. The client and the page walker live in bench/, which the load benchmark shares.
import assert from 'node:assert/strict';
import { type ApiClient, apiClient } from '../../../bench/api-client.js';
import {
  type ReferenceServerOptions,
  type RunningReferenceServer,
  startReferenceServer,
} from '../../../server/reference-server.js';

/** A started server and a client bound to it. */
export interface TestApi extends ApiClient {
  readonly server: RunningReferenceServer;
  /** Stops the server; fails the test if the last-resort 500 was reached `expectedUnexpected` times otherwise. */
  close(expectedUnexpected?: number): Promise<void>;
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

/** Creates users one after another; fails on any non-2xx. */
export async function createUsers(api: ApiClient, appId: string, usernames: readonly string[]): Promise<void> {
  for (const username of usernames) {
    const answer = await api.call(api.users(appId), { method: 'POST', body: { username } });
    assert.ok(answer.status >= 200 && answer.status < 300, `create ${username}: ${answer.status} ${answer.text}`);
  }
}

/** Names like `prefix-00`, `prefix-01`, ... */
export function names(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, n) => `${prefix}-${String(n).padStart(2, '0')}`);
}

export { type Answer, type ApiClient, apiClient, type Call, REQUEST_TIMEOUT_MS } from '../../../bench/api-client.js';
export { fetchPage, follow, type Page, usernamesOf } from '../../../bench/follow-pages.js';
