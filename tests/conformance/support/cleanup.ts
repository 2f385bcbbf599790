// When and how a test's users are deleted (D12).
import type { APIRequestContext } from '@playwright/test';
import { ApiClient, type CreatedUsers } from './api-client.js';
import { targetSettings } from './target-settings.js';

/**
 * When a test's users are deleted (D12): before the next test of the worker starts (the default,
 * which tests of a still app need), or in the background while the next test runs. The
 * background suits the parallel tests of operations/, which never depend on other tests' users
 * being gone (other workers create and delete all the time); it saves each of them the round
 * trip of its deletes. Background deletes end before the worker does, and the dependent
 * projects (quiet/, final/) start only after every worker of this one has ended.
 * Set per project in playwright.config.ts.
 */
export type Cleanup = 'before-next-test' | 'in-background';

/** The option fixtures playwright.config.ts sets per project. */
export interface RequirementTestOptions {
  cleanup: Cleanup;
}

/** Deletes handed over by tests, run on the worker's own request context, awaited when the worker ends. */
export interface BackgroundCleanup {
  start(users: CreatedUsers): void;
}

/**
 * Runs `use` with a BackgroundCleanup whose deletes go through one request context of the
 * worker's (made on the first delete: a test's own context ends with the test), then waits for
 * every delete still under way and disposes of the context.
 */
export async function withBackgroundCleanup(
  newContext: () => Promise<APIRequestContext>,
  use: (cleanup: BackgroundCleanup) => Promise<void>,
): Promise<void> {
  let deleter: Promise<{ client: ApiClient; dispose(): Promise<void> }> | undefined;
  const pending = new Set<Promise<void>>();
  await use({
    start(users) {
      deleter ??= newContext().then((request) => ({
        client: new ApiClient(request, targetSettings()),
        dispose: () => request.dispose(),
      }));
      const deleting: Promise<void> = deleter
        .then(({ client }) => client.deleteUsers(users))
        .catch(() => undefined) // left to the final sweep, as any failed delete
        .finally(() => pending.delete(deleting));
      pending.add(deleting);
    },
  });
  await Promise.all(pending);
  await deleter?.then((made) => made.dispose()).catch(() => undefined);
}
