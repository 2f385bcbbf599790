// Runs the conformance suite as a child process, the way a user runs it, and reads back which
// requirements failed. The self-tests use it to prove the suite discriminates.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConformanceReport } from '../../../reporters/report-types.js';

export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Playwright's JSON report, as far as the self-tests read it. */
interface JsonSuite {
  specs?: {
    title: string;
    tags?: string[];
    tests: {
      status: string;
      annotations?: { type: string; description?: string }[];
      results: {
        status: string;
        error?: { message?: string };
        annotations?: { type: string; description?: string }[];
      }[];
    }[];
  }[];
  suites?: JsonSuite[];
}

export interface SuiteRun {
  exitCode: number | null;
  output: string;
  /** Outcome per requirement ID: the worst of its tests (unexpected, flaky, expected, skipped). */
  outcomes: Map<string, string>;
  /** The first failure message per failed requirement, to explain a surprise. */
  messages: Map<string, string>;
  /** The first skip reason per requirement, to explain one that did not fail. */
  skipReasons: Map<string, string>;
  /** conformance.json as parsed, when the conformance reporter ran and wrote it. */
  report?: ConformanceReport;
}

const OUTCOME_RANK = ['skipped', 'expected', 'flaky', 'unexpected'];

function collect(suite: JsonSuite, run: Pick<SuiteRun, 'outcomes' | 'messages' | 'skipReasons'>): void {
  for (const spec of suite.specs ?? []) {
    const id = (spec.tags ?? []).find((tag) => tag.startsWith('USR-'));
    if (!id) continue;
    for (const test of spec.tests) {
      const previous = run.outcomes.get(id) ?? 'skipped';
      if (OUTCOME_RANK.indexOf(test.status) > OUTCOME_RANK.indexOf(previous)) run.outcomes.set(id, test.status);
      const message = test.results.find((result) => result.error?.message)?.error?.message;
      if (test.status === 'unexpected' && message && !run.messages.has(id)) run.messages.set(id, message);
      const skip = [...(test.annotations ?? []), ...test.results.flatMap((result) => result.annotations ?? [])].find(
        (annotation) => annotation.type === 'skip',
      );
      if (test.status === 'skipped' && skip?.description && !run.skipReasons.has(id))
        run.skipReasons.set(id, skip.description);
    }
  }
  for (const child of suite.suites ?? []) collect(child, run);
}

export interface RunOptions {
  /** Polled while the run goes on; once it resolves true, the run gets SIGINT, as from Ctrl-C. */
  interruptWhen?: () => Promise<boolean>;
  /** Also runs the conformance reporter, whose summary then ends the output and whose report is read back. */
  conformanceReport?: boolean;
  /** Playwright workers. Default 2, not the configured four: most self-test runs target an
   * embedded server with no latency to hide, two suites at once on two cores. */
  workers?: number;
  /** More arguments for `playwright test`, e.g. spec files to run alone. */
  args?: readonly string[];
}

// Playwright's own entry point, started with node rather than npx so a signal reaches it.
const PLAYWRIGHT_CLI = join(projectRoot, 'node_modules', '@playwright', 'test', 'cli.js');
const POLL_INTERVAL_MS = 100;
const CONFORMANCE_REPORTER = join(projectRoot, 'reporters', 'conformance-reporter.ts');

/** Runs `playwright test` against the target the environment names; resolves when it exits. */
export async function runSuite(env: Record<string, string>, options: RunOptions = {}): Promise<SuiteRun> {
  const reportDir = mkdtempSync(join(tmpdir(), 'suite-run-'));
  const jsonFile = join(reportDir, 'playwright.json');
  try {
    const reporters = options.conformanceReport ? `json,${CONFORMANCE_REPORTER}` : 'json';
    const child = spawn(
      process.execPath,
      [PLAYWRIGHT_CLI, 'test', `--reporter=${reporters}`, `--workers=${options.workers ?? 2}`, ...(options.args ?? [])],
      {
        cwd: projectRoot,
        env: { ...process.env, REPORT_DIR: reportDir, PLAYWRIGHT_JSON_OUTPUT_NAME: jsonFile, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    if (options.interruptWhen) void interruptWhen(child, exited, options.interruptWhen);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const exitCode = await exited;
    const run: SuiteRun = {
      exitCode,
      output,
      outcomes: new Map(),
      messages: new Map(),
      skipReasons: new Map(),
    };
    try {
      collect(JSON.parse(readFileSync(jsonFile, 'utf8')) as JsonSuite, run);
    } catch {
      // No report: the run ended before any test; the exit code and output tell why.
    }
    if (options.conformanceReport) {
      try {
        run.report = JSON.parse(readFileSync(join(reportDir, 'conformance.json'), 'utf8')) as ConformanceReport;
      } catch {
        // Not written: the caller asserts on `report` and shows the output.
      }
      // The kit's own verdict per requirement wins: it also charges what the exchange rules
      // found in other tests, which Playwright's outcomes do not show.
      for (const row of run.report?.requirements ?? []) {
        if (row.status !== 'failed') continue;
        run.outcomes.set(row.id, 'unexpected');
        if (row.message) run.messages.set(row.id, row.message);
      }
    }
    return run;
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

/** The IDs whose outcome is `unexpected`, sorted. */
export function failedIds(run: SuiteRun): string[] {
  return [...run.outcomes]
    .filter(([, outcome]) => outcome === 'unexpected')
    .map(([id]) => id)
    .sort();
}

/** Sends SIGINT once the condition holds, polling until the child exits. */
async function interruptWhen(child: ChildProcess, exited: Promise<unknown>, condition: () => Promise<boolean>) {
  let running = true;
  void exited.then(() => {
    running = false;
  });
  while (running) {
    if (await condition().catch(() => false)) {
      child.kill('SIGINT');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
