// Runs the conformance suite as a child process, the way a user does, and reads the kit's verdict
// per requirement from its conformance.json, so self-tests can prove the suite discriminates.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, projectRoot, runBounded } from '../../../bench/child-process.js';
import type { ConformanceReport, RequirementRow } from '../../../reporters/report-types.js';

export { projectRoot };

export interface SuiteRun {
  exitCode: number | null;
  /** stdout then stderr. */
  output: string;
  /** conformance.json as parsed; undefined when the run ended before the reporter wrote it. */
  report?: ConformanceReport;
}

export interface RunOptions {
  /** Polled while the run goes on; once it resolves true, the run gets SIGINT, as from Ctrl-C. */
  interruptWhen?: () => Promise<boolean>;
  /** Playwright workers. Default 2, not the configured four: most self-test runs target an
   * embedded server with no latency to hide, two suites at once on two cores. */
  workers?: number;
  /** More arguments for `playwright test`, e.g. spec files to run alone. */
  args?: readonly string[];
  /** Runs as configured (its reporters, its workers), as `npx playwright test` does, into this
   * report folder, which is kept. Otherwise only the conformance reporter runs, into a
   * temporary folder. */
  asConfiguredInto?: string;
}

// Playwright's own entry point, started with node rather than npx so a signal reaches it.
export const PLAYWRIGHT_CLI = join(projectRoot, 'node_modules', '@playwright', 'test', 'cli.js');
const CONFORMANCE_REPORTER = join(projectRoot, 'reporters', 'conformance-reporter.ts');
// A guard against a hung run, not a speed goal: a whole run takes 15 to 60 s on two busy cores.
const SUITE_TIMEOUT_MS = 600_000;

/** Runs `playwright test` against the target `env` names (none: the embedded server); resolves when it exits. */
export async function runSuite(env: Record<string, string>, options: RunOptions = {}): Promise<SuiteRun> {
  const reportDir = options.asConfiguredInto ?? mkdtempSync(join(tmpdir(), 'suite-run-'));
  const args = options.asConfiguredInto
    ? ['test', ...(options.args ?? [])]
    : ['test', `--reporter=${CONFORMANCE_REPORTER}`, `--workers=${options.workers ?? 2}`, ...(options.args ?? [])];
  try {
    const finished = await runBounded(process.execPath, [PLAYWRIGHT_CLI, ...args], {
      env: cleanEnv({ REPORT_DIR: reportDir, ...env }),
      timeoutMs: SUITE_TIMEOUT_MS,
      interruptWhen: options.interruptWhen,
    });
    const run: SuiteRun = { exitCode: finished.code, output: `${finished.stdout}${finished.stderr}` };
    if (finished.timedOut) throw new Error(`the suite run did not end within ${SUITE_TIMEOUT_MS} ms:\n${tail(run)}`);
    try {
      run.report = JSON.parse(readFileSync(join(reportDir, 'conformance.json'), 'utf8')) as ConformanceReport;
    } catch {
      // Not written: the caller asserts on `report` and shows the output.
    }
    return run;
  } finally {
    if (!options.asConfiguredInto) rmSync(reportDir, { recursive: true, force: true });
  }
}

/** The end of a run's output, to explain a surprise. */
export function tail(run: SuiteRun): string {
  return run.output.slice(-3000);
}

/** The run's requirement rows; fails, showing the output, when it wrote no conformance.json. */
export function rowsOf(run: SuiteRun): RequirementRow[] {
  if (!run.report) throw new Error(`the run wrote no conformance.json:\n${tail(run)}`);
  return run.report.requirements;
}

/** The IDs the kit judged failed, sorted. */
export function failedIds(run: SuiteRun): string[] {
  return rowsOf(run)
    .filter((row) => row.status === 'failed')
    .map((row) => row.id)
    .sort();
}

/** Each ID with its status and its failure message or skip reason, the first lines of it. */
export function explain(run: SuiteRun, ids: readonly string[]): string {
  const rows = new Map(rowsOf(run).map((row) => [row.id, row]));
  return ids
    .map((id) => {
      const row = rows.get(id);
      const why = (row?.message ?? row?.reason ?? '').split('\n').slice(0, 6).join('\n    ');
      return `${id} ${row?.status ?? 'not in the report'}: ${why}`;
    })
    .join('\n');
}
