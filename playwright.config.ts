// The conformance run: the suite in tests/conformance against API_URL (or the embedded
// reference server), reported by Playwright's own reporters and the conformance reporter.
import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
// `ext`: the suite's files are .ts in a clone, .js in the installed package's dist/.
import { MODULE_EXTENSION as ext } from './runtime/package-root.js';
import { readGateSettings, readSettings } from './runtime/settings.js';
import type { RequirementTestOptions } from './tests/conformance/support/requirement-test.js';

// Reading the settings here makes a bad value stop the run before any request, with one line.
const settings = readSettings();
readGateSettings();
// Against the working folder, as the conformance reporter does: Playwright would resolve
// these paths against this file's folder, which is inside node_modules for an installed kit.
const reportDir = resolve(settings.reportDir);

export default defineConfig<RequirementTestOptions>({
  testDir: 'tests/conformance',
  globalSetup: `./tests/conformance/global-setup${ext}`,
  fullyParallel: true,
  // The suite is I/O-bound: its tests mostly wait for answers (and two wait a second on the
  // clock, D7), so more workers than cores pay off. Measured on 2 cores (BENCHMARKS.md): 4
  // workers hide most of a 50 ms target latency (3 do not), and cost about 5% on the embedded
  // server's run for the extra start-ups.
  workers: 4,
  retries: 0,
  timeout: 60_000,
  forbidOnly: !!process.env.CI,
  outputDir: `${reportDir}/test-results`,
  reporter: [
    ['list'],
    // The conformance reporter writes junit.xml too, per requirement, as the gate sees it.
    ['html', { outputFolder: `${reportDir}/playwright-html`, open: 'never' }],
    [`./reporters/conformance-reporter${ext}`],
  ],
  metadata: { conformanceTarget: { url: settings.apiUrl?.replace(/\/\/[^/]*@/, '//') ?? null, appId: settings.appId } },
  // Traces of API requests would hold the API key's header.
  use: { trace: 'off' },
  projects: [
    {
      // Runs first; its teardown, `final`, runs after everything else has finished, also
      // after failures: that is where the run checks it left nothing behind (D12).
      name: 'run',
      testMatch: `run-start.setup${ext}`,
      teardown: 'final',
    },
    {
      name: 'conformance',
      dependencies: ['run'],
      testMatch: `operations/**/*.spec${ext}`,
      teardown: 'quiet',
      // Parallel tests: each test's users are deleted while the worker's next test runs.
      use: { cleanup: 'in-background' },
    },
    {
      // Checks that need the app to hold still (whole pagination walks, counts) run after the
      // parallel tests, one at a time, so the suite does not disturb its own walks.
      name: 'quiet',
      testMatch: `quiet/**/*.spec${ext}`,
      fullyParallel: false,
      workers: 1,
      // Room for the still-app wait (support/still-app.ts) and one more walk after it.
      timeout: 90_000,
    },
    {
      // Teardown of `run`: after `quiet`, the teardown of `conformance`.
      name: 'final',
      testMatch: `final/**/*.spec${ext}`,
    },
  ],
});
