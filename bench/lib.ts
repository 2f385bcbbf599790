// What the benchmarks share (machine facts, medians, the reference server, suite and bare
// Playwright runs), so every figure of BENCHMARKS.md is measured the same way.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanEnv, killAll, projectRoot, runBounded, startBackground } from './child-process.js';

export { projectRoot };

// A benchmark stopped by Ctrl-C or a time-out ends its children too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** One figure of BENCHMARKS.md: a ratio measured in this run, its goal, and how it was got. */
export interface Figure {
  readonly name: string;
  readonly ratio: number;
  /** `<=` or `>=` the goal; `<` for memory in MB. */
  readonly goal: { readonly op: '<=' | '>=' | '<'; readonly value: number };
  /** Lines saying what was measured, printed under the figure. */
  readonly details: readonly string[];
}

export function goalMet(figure: Figure): boolean {
  const { op, value } = figure.goal;
  if (op === '<=') return figure.ratio <= value;
  if (op === '<') return figure.ratio < value;
  return figure.ratio >= value;
}

export function printFigure(figure: Figure): void {
  const verdict = goalMet(figure) ? 'goal met' : 'goal MISSED';
  console.log(`\n${figure.name}: ${figure.ratio.toFixed(2)} (goal ${figure.goal.op} ${figure.goal.value}; ${verdict})`);
  for (const line of figure.details) console.log(`  ${line}`);
}

/** The machine, as BENCHMARKS.md records it. */
export function machine(): string {
  let model = 'unknown CPU';
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? model;
  } catch {
    // Not Linux: the model stays unknown.
  }
  const memoryGiB = (totalmem() / 2 ** 30).toFixed(1);
  return `${availableParallelism()} CPUs (${model}), ${memoryGiB} GiB memory, Node ${process.version}, ${process.platform}`;
}

/** The 1-minute load average: every figure is a ratio of two things measured side by side, but
 * other work on the machine still adds noise, and this says how much there was. */
export function load(): string {
  return `load average ${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} CPUs`;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The reference server in a child process, as `npm run reference-server` runs it. */
export interface ServerChild {
  readonly url: string;
  readonly pid: number;
  /** Stops it (SIGTERM) and answers how many requests it served. */
  stop(): Promise<number>;
}

const SERVER_START_TIMEOUT_MS = 60_000;

/** Starts `server/cli.ts` with the arguments (a free port is added) and waits for its URL. */
export async function startServerChild(args: readonly string[]): Promise<ServerChild> {
  const server = startBackground(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--port', '0', ...args]);
  let url: string;
  try {
    url = (await server.waitFor(/listening on (http:\/\/\S+)/, SERVER_START_TIMEOUT_MS))[1] as string;
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url,
    pid: server.pid,
    async stop() {
      await server.stop();
      const served = /stopped after (\d+) request/.exec(server.output())?.[1];
      if (served === undefined) {
        throw new Error(`the reference server did not say how many requests it served: ${server.output().slice(-500)}`);
      }
      return Number(served);
    },
  };
}

/** Resident memory of a process and its peak (VmHWM), in bytes, from /proc: Linux only. */
export function residentMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kib('VmRSS') * 1024, peak: kib('VmHWM') * 1024 };
}

/** Playwright's command line, run with node directly (no npx), the same way for every run. */
const PLAYWRIGHT_CLI = join(projectRoot, 'node_modules', 'playwright', 'cli.js');

const SUITE_TIMEOUT_MS = 180_000;

/** One run of the conformance suite. */
export interface SuiteRun {
  readonly ms: number;
  readonly code: number | null;
  /** Seconds per test, from the run's junit.xml, keyed by project and title. */
  readonly testSeconds: ReadonlyMap<string, number>;
  /** The last lines of the output, to explain a run that did not pass. */
  readonly tail: string;
}

// The configured reporters, and Playwright's JSON one for the seconds of each test (the kit's
// junit.xml has a case per requirement, not per test).
const TIMED_REPORTERS = `--reporter=list,html,json,${join(projectRoot, 'reporters', 'conformance-reporter.ts')}`;

/**
 * Runs `playwright test` with the project's configuration and its reporters, as `npm run
 * conformance` does, writing the reports to a temporary folder. `target` sets API_URL and the
 * rest; without it the embedded reference server is used.
 */
export async function runSuite(target: Record<string, string> = {}, args: readonly string[] = []): Promise<SuiteRun> {
  const reportDir = mkdtempSync(join(tmpdir(), 'bench-suite-'));
  try {
    // cleanEnv blanks every variable the kit reads, so a .env or the caller's shell cannot change what is measured.
    const env = cleanEnv();
    Object.assign(env, target, {
      REPORT_DIR: reportDir,
      PLAYWRIGHT_JSON_OUTPUT_NAME: join(reportDir, 'playwright.json'),
      PLAYWRIGHT_HTML_OUTPUT_DIR: join(reportDir, 'playwright-html'),
      PLAYWRIGHT_HTML_OPEN: 'never',
    });
    const run = await runBounded(process.execPath, [PLAYWRIGHT_CLI, 'test', TIMED_REPORTERS, ...args], {
      env,
      timeoutMs: SUITE_TIMEOUT_MS,
    });
    if (run.timedOut) throw new Error(`the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s`);
    return {
      ms: run.ms,
      code: run.code,
      testSeconds: testSeconds(join(reportDir, 'playwright.json')),
      tail: `${run.stdout}${run.stderr}`.trimEnd().split('\n').slice(-6).join('\n'),
    };
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

/** Playwright's JSON report, as far as the seconds of each test go. */
interface JsonSuite {
  title: string;
  specs?: { title: string; tests: { projectName: string; results: { duration: number }[] }[] }[];
  suites?: JsonSuite[];
}

function testSeconds(file: string): Map<string, number> {
  const seconds = new Map<string, number>();
  let report: { suites?: JsonSuite[] };
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as { suites?: JsonSuite[] };
  } catch {
    return seconds;
  }
  const visit = (suite: JsonSuite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const title = `${test.projectName} › ${spec.title}`;
        let key = title;
        // A requirement tested once per operation has one title per variant; repeats stay apart.
        for (let n = 2; seconds.has(key); n++) key = `${title} #${n}`;
        seconds.set(key, (test.results.at(-1)?.duration ?? 0) / 1000);
      }
    }
    for (const child of suite.suites ?? []) visit(child);
  };
  for (const suite of report.suites ?? []) visit(suite);
  return seconds;
}

let bareDir: string | undefined;

/** A throwaway Playwright project in the temporary folder: one empty test, the default settings. */
function bareProject(): string {
  if (bareDir) return bareDir;
  bareDir = mkdtempSync(join(tmpdir(), 'bench-bare-playwright-'));
  mkdirSync(join(bareDir, 'tests'));
  // Imported by absolute URL: the temporary folder has no node_modules of its own.
  const entry = pathToFileURL(join(projectRoot, 'node_modules', '@playwright', 'test', 'index.mjs')).href;
  writeFileSync(join(bareDir, 'playwright.config.mjs'), `export default { testDir: 'tests' };\n`);
  writeFileSync(
    join(bareDir, 'tests', 'empty.spec.mjs'),
    `import { test } from '${entry}';\ntest('empty', () => {});\n`,
  );
  process.once('exit', () => {
    if (bareDir) rmSync(bareDir, { recursive: true, force: true });
  });
  return bareDir;
}

/** One run of the bare project; its wall time in milliseconds. */
export async function runBarePlaywright(): Promise<number> {
  const dir = bareProject();
  const run = await runBounded(process.execPath, [PLAYWRIGHT_CLI, 'test', '-c', join(dir, 'playwright.config.mjs')], {
    cwd: dir,
    timeoutMs: 60_000,
  });
  if (run.code !== 0) throw new Error(`the bare Playwright run failed (${run.code}):\n${run.stdout}${run.stderr}`);
  return run.ms;
}

/** Runs `main` when the file is the script node was started with, and exits non-zero on an error. */
export function runIfMain(metaUrl: string, main: () => Promise<void>): void {
  if (process.argv[1] === undefined || pathToFileURL(process.argv[1]).href !== metaUrl) return;
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
