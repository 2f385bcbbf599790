// The one `test` every spec file uses, with every fixture of the suite. A spec file with
// fixtures of its own would need workers of its own, and a worker costs half a second to start.
import { test as base } from '@playwright/test';
import { ApiClient } from './api-client.js';
import { type BackgroundCleanup, type RequirementTestOptions, withBackgroundCleanup } from './cleanup.js';
import { spoolExercise } from './exercise.js';
import { NameMaker } from './name-maker.js';
import { SharedWalk } from './shared-walk.js';
import { type TargetSettings, targetSettings } from './target-settings.js';
import { watchTarget } from './target-watch.js';

interface TestFixtures extends RequirementTestOptions {
  /** The test's client; the users it creates are deleted after the test, also when it fails (D12). */
  api: ApiClient;
  names: NameMaker;
  settings: TargetSettings;
  /** See watchTarget. */
  targetWatch: undefined;
}

interface WorkerFixtures {
  /** Spools what the worker's last requests exercised (its background deletes) when it ends. */
  exerciseSpool: undefined;
  backgroundCleanup: BackgroundCleanup;
  /** The walk the tests of quiet/pagination-walk.spec.ts share; only made in a worker that runs them. */
  sharedWalk: SharedWalk;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  cleanup: ['before-next-test', { option: true }],
  targetWatch: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
    async ({}, use, testInfo) => watchTarget(testInfo, () => use(undefined)),
    { auto: true },
  ],
  exerciseSpool: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
    async ({}, use) => {
      await use(undefined);
      spoolExercise();
    },
    { scope: 'worker', auto: true },
  ],
  sharedWalk: [
    async ({ playwright }, use, workerInfo) => {
      // The worker's own request context: the users it creates are deleted when the worker ends,
      // after the last walk test, and before the `final` project looks for leftovers.
      const request = await playwright.request.newContext();
      const owner = new ApiClient(request, targetSettings());
      await use(new SharedWalk(owner, new NameMaker(workerInfo)));
      await owner.deleteCreated();
      await request.dispose();
    },
    { scope: 'worker' },
  ],
  backgroundCleanup: [
    async ({ playwright }, use) => withBackgroundCleanup(() => playwright.request.newContext(), use),
    { scope: 'worker' },
  ],
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
  settings: async ({}, use) => {
    await use(targetSettings());
  },
  api: async ({ request, settings, cleanup, backgroundCleanup }, use) => {
    const api = new ApiClient(request, settings);
    await use(api);
    if (cleanup === 'in-background') backgroundCleanup.start(api.takeCreated());
    else await api.deleteCreated();
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
  names: async ({}, use, testInfo) => {
    await use(new NameMaker(testInfo));
  },
});
