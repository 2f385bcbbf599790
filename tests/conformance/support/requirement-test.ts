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

/** Makes usernames unique to this run, this test and this call. */
export class NameMaker {
  private counter = 0;

  constructor(private readonly testInfo: TestInfo) {}

  /** A fresh username such as `uk1a2b3c4d_w0t3f9a01c2n1_bob`; the label says what the test uses it for. */
  next(label = 'user'): string {
    this.counter += 1;
    // A testId is `<file hash>-<test hash>`: the test's own part tells apart the tests of one file.
    const test = this.testInfo.testId.split('-').at(-1)?.slice(0, 8) ?? '';
    const retry = this.testInfo.retry > 0 ? `r${this.testInfo.retry}` : '';
    return `${runPrefix()}w${this.testInfo.workerIndex}t${test}${retry}n${this.counter}_${label}`;
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
