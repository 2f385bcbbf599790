// The way every conformance test is declared: `requirement(ID, body)` titles the test with the
// catalog's ID and title, tags it with `@ID` and `@LEVEL` (tags survive shards and merges, and
// the reporter reads them), and records the ID as an annotation. The fixtures give each test an
// ApiClient whose created users are deleted afterwards, also when the test fails (D12).
import { test as base, type TestDetails, type TestInfo } from '@playwright/test';
import { runPrefix } from '../../../runtime/run-identity.js';
import { readSettings, type Settings } from '../../../runtime/settings.js';
import { TARGET_LOST_ANNOTATION, targetLost } from '../../../runtime/target-lost.js';
import { contract } from '../../../specs/contract.js';
import { ApiClient, type CreatedUsers } from './api-client.js';
import { handOverExercise, spoolExercise } from './exercise.js';
import { SharedWalk } from './shared-walk.js';
import { noteTestStart } from './still-app.js';
import { REQUIREMENT_ANNOTATION } from './verdicts.js';

// Counts every name this worker process makes; with the worker's index it makes each name
// unique within the run, whatever test asks.
let namesMadeByThisWorker = 0;

/** Makes usernames unique to this run: letters and digits only, and short. */
export class NameMaker {
  /** For a test, or for a worker fixture: only the worker's index is read. */
  constructor(private readonly testInfo: Pick<TestInfo, 'workerIndex'>) {}

  /**
   * A fresh username such as `k3f9a1x01004bob`: the run's prefix, the worker, a count, and a
   * label of at most five letters saying what the test uses it for. Only lower-case letters and
   * digits, at most 17 characters, so a server that narrows the alphabet or the length (D2,
   * E15) still accepts the kit's ordinary names.
   */
  next(label = 'u'): string {
    if (!/^[a-z]{0,5}$/.test(label))
      throw new Error(`a username label is up to five lower-case letters, not "${label}"`);
    namesMadeByThisWorker += 1;
    const worker = this.testInfo.workerIndex.toString(36).padStart(2, '0');
    const count = namesMadeByThisWorker.toString(36).padStart(3, '0');
    return `${runPrefix()}${worker}${count}${label}`;
  }
}

/** The settings of the running target; the global setup has filled in API_URL when it is embedded. */
export function targetSettings(): Settings & { apiUrl: string } {
  const settings = readSettings();
  if (!settings.apiUrl)
    throw new Error('API_URL is not set: run the suite through playwright.config.ts, whose global setup sets it.');
  return settings as Settings & { apiUrl: string };
}

/**
 * When a test's users are deleted (D12): before the next test of the worker starts (the default,
 * which tests of a still app need), or in the background while the next test runs. The
 * background suits the parallel tests of operations/, which never depend on other tests' users
 * being gone (other workers create and delete all the time); it saves each of them the round
 * trip of its deletes. Background deletes end before the worker does, and the dependent
 * projects (quiet/, final/) start only after every worker of this one has ended.
 */
export type Cleanup = 'before-next-test' | 'in-background';

/** Deletes handed over by tests, run on the worker's own request context, awaited when the worker ends. */
interface BackgroundCleanup {
  start(users: CreatedUsers): void;
}

interface TestFixtures {
  api: ApiClient;
  names: NameMaker;
  settings: Settings & { apiUrl: string };
  cleanup: Cleanup;
  /**
   * Notes when the test starts; skips it once the target is lost, and marks the test during
   * which it was lost; hands what the test exercised to the report as it ends.
   */
  targetWatch: undefined;
}

interface WorkerFixtures {
  /** Spools what the worker's last requests exercised (its background deletes) when it ends. */
  exerciseSpool: undefined;
  backgroundCleanup: BackgroundCleanup;
  /** The walk the tests of quiet/pagination-walk.spec.ts share; only made in a worker that runs them. */
  sharedWalk: SharedWalk;
}

// Every fixture is declared here, on the one `test` all spec files use: a spec file with fixtures
// of its own would need workers of its own, and a worker costs half a second to start.
export const test = base.extend<TestFixtures, WorkerFixtures>({
  cleanup: ['before-next-test', { option: true }],
  targetWatch: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
    async ({}, use, testInfo) => {
      noteTestStart(testInfo);
      const lostBefore = targetLost();
      if (lostBefore !== undefined) {
        testInfo.annotations.push({ type: TARGET_LOST_ANNOTATION, description: lostBefore });
        testInfo.skip(true, `not run: ${lostBefore}`);
      }
      await use(undefined);
      const lostDuring = targetLost();
      if (lostDuring !== undefined)
        testInfo.annotations.push({ type: TARGET_LOST_ANNOTATION, description: lostDuring });
      handOverExercise(testInfo);
    },
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
    async ({ playwright }, use) => {
      // Created on the first background delete: the test's own context ends with the test.
      let deleter: Promise<{ client: ApiClient; dispose(): Promise<void> }> | undefined;
      const pending = new Set<Promise<void>>();
      await use({
        start(users) {
          deleter ??= playwright.request.newContext().then((request) => ({
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
    },
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

/**
 * The title and details of the test of one catalog requirement, used as
 * `test(...requirement('USR-ID'), async ({ api }) => ...)` so Playwright records the spec
 * file's own line. `variant` tells apart several tests of one requirement (for example one
 * per operation); the catalog's ID and title always start the name.
 */
export function requirement(id: string, variant?: string): [string, TestDetails] {
  const entry = contract().requirement(id);
  return [
    `${id} ${entry.title}${variant ? ` [${variant}]` : ''}`,
    {
      tag: [`@${id}`, `@${entry.level}`],
      annotation: [
        { type: REQUIREMENT_ANNOTATION, description: id },
        { type: 'level', description: entry.level },
      ],
    },
  ];
}
