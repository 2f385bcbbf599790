// What went wrong outside the tests of a run: the target that could not be tested (the probe
// refused it, or it was lost mid-run), and the errors of the run itself, one line each.
import type { FullResult, Suite, TestError } from '@playwright/test/reporter';
import { failedHelpers, type targetLostDuring } from './collect-tests.js';
import { cleanMessage } from './text.js';

/** The target lost mid-run, as targetLostDuring finds it. */
export type LostTarget = NonNullable<ReturnType<typeof targetLostDuring>>;

/** The global setup's refusal of the target (tests/conformance/support/probe-target.ts). */
export function isTargetUnusable(error: TestError): boolean {
  return /TargetUnusableError/.test(error.stack ?? error.message ?? '');
}

function firstLine(error: TestError): string {
  const text = error.message ?? error.value ?? 'unknown error';
  return text.split('\n').find((line) => line.trim()) ?? text;
}

/** Why the target could not be tested, which makes the verdict error; null when it could. */
export function targetErrorOf(
  unusable: TestError | undefined,
  lost: LostTarget | undefined,
  runPrefix: string | undefined,
  secrets: readonly string[],
): string | null {
  if (unusable) return cleanMessage(firstLine(unusable).replace(/^(Error: )?TargetUnusableError: /, ''), secrets);
  if (!lost) return null;
  const leftOver = runPrefix ? `, and users this run created (names starting with ${runPrefix}) may be left on it` : '';
  return `${lost.reason}; ${lost.notRun} of ${lost.total} tests were not run${leftOver}`;
}

/** What the run's errors are made from. */
export interface RunErrorSources {
  /** Errors Playwright reported outside the tests. */
  errors: readonly TestError[];
  /** The target's refusal among them, which is said as the target error instead. */
  unusable: TestError | undefined;
  root: Suite | undefined;
  ids: ReadonlySet<string>;
  secrets: readonly string[];
  /** How the run ended, when it was stopped before its end. */
  stoppedAs: 'interrupted' | 'timedout' | undefined;
}

/** The errors of the run, one line each: errors outside the tests, failed helpers, a stopped run. */
export function runErrorsOf(sources: RunErrorSources): string[] {
  const { errors, unusable, root, ids, secrets, stoppedAs } = sources;
  const lines = errors.filter((error) => error !== unusable).map((error) => cleanMessage(firstLine(error), secrets));
  if (root) lines.push(...failedHelpers(root, ids, secrets));
  if (stoppedAs === 'timedout') lines.push('the run reached its global timeout: its results are partial');
  if (stoppedAs === 'interrupted') lines.push('the run was interrupted: its results are partial');
  return lines;
}

/** How the run ended when it was stopped before its end; undefined when it ran to its end. */
export function stoppedAs(result: Pick<FullResult, 'status'>): RunErrorSources['stoppedAs'] {
  return result.status === 'interrupted' || result.status === 'timedout' ? result.status : undefined;
}
