// The way every conformance test is declared: `requirement(ID, body)` titles the test with the
// catalog's ID and title, tags it with `@ID` and `@LEVEL` (tags survive shards and merges, and
// the reporter reads them), and records the ID as an annotation. The fixtures give each test an
// ApiClient whose created users are deleted afterwards, also when the test fails (D12).
import { test as base, type TestDetails, type TestInfo } from '@playwright/test';
import { contract } from '../../../specs/contract.js';
import { readSettings, type Settings } from '../settings.js';
import { ApiClient } from './api-client.js';
import { runPrefix } from './run-identity.js';
import { REQUIREMENT_ANNOTATION } from './verdicts.js';

// Counts every name this worker process makes; with the worker's index it makes each name
// unique within the run, whatever test asks.
let namesMadeByThisWorker = 0;

/** Makes usernames unique to this run: letters and digits only, and short. */
export class NameMaker {
  constructor(private readonly testInfo: TestInfo) {}

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

export const test = base.extend<{ api: ApiClient; names: NameMaker; settings: Settings & { apiUrl: string } }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
  settings: async ({}, use) => {
    await use(targetSettings());
  },
  api: async ({ request, settings }, use) => {
    const api = new ApiClient(request, settings);
    await use(api);
    await api.deleteCreated();
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
