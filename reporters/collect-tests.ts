// Reads the finished run from Playwright's suite tree, one record per (test, requirement), by `@ID`
// tag because tags survive --shard and merge-reports. Read once at the end, so retries count once.
import type { Suite, TestCase, TestError } from '@playwright/test/reporter';
import {
  CONFIGURATION_ANNOTATION,
  decodeExercise,
  decodeFinding,
  EXERCISE_ANNOTATION,
  FINDING_ANNOTATION,
} from '../runtime/report-annotations.js';
import { TARGET_LOST_ANNOTATION } from '../runtime/target-lost.js';
import type { Exercise } from './report-types.js';
import { cleanMessage, compareText } from './text.js';

export type TestOutcome = ReturnType<TestCase['outcome']>;

/** What the report needs to know about one test of one requirement. */
export interface TestRecord {
  requirementId: string;
  /** The test's title (inside its describe blocks), which starts with the requirement ID. */
  title: string;
  outcome: TestOutcome;
  /** For a skipped test, why; null otherwise. */
  skipReason: string | null;
  /** The test gave up because the target changed under it (annotation `inconclusive`). */
  inconclusive: boolean;
  /** For a test skipped because of a setting the user chose, that setting (e.g. API_KEY); null otherwise. */
  configuration: string | null;
  /** For a failed or flaky test, the first failure's message, cleaned; null otherwise. */
  failureMessage: string | null;
  /** What the test saw and recorded (annotations `observed` and `not judged`), e.g. a MAY's answer. */
  observations: string[];
}

/** Annotation types a test uses to record what the implementation does, for the report. */
const OBSERVATION_TYPES = new Set(['observed', 'not judged']);

type Annotation = TestCase['annotations'][number];

function annotationsOf(test: TestCase): Annotation[] {
  const last = test.results.at(-1);
  return [...test.annotations, ...(last?.annotations ?? [])];
}

/** A breach of an exchange rule that some test of the run saw (tests/conformance/support/exchange-rules.ts). */
export interface ExchangeFinding {
  requirementId: string;
  /** The title of the test that saw it (or absorbed it, for one seen between tests). */
  test: string;
  message: string;
  /** Further breaches of the same requirement in that test, counted only. */
  more: number;
}

/**
 * Every finding of the exchange rules, from every test of the run, those that judge no
 * requirement included (the run's setup). Every attempt counts: a breach seen by an attempt
 * that was retried was still seen.
 */
export function collectFindings(
  root: Pick<Suite, 'allTests'>,
  knownIds: ReadonlySet<string>,
  secrets: readonly string[] = [],
): ExchangeFinding[] {
  const findings: ExchangeFinding[] = [];
  for (const test of root.allTests()) {
    const title = cleanMessage(testTitle(test), secrets);
    for (const result of test.results) {
      for (const annotation of result.annotations) {
        if (annotation.type !== FINDING_ANNOTATION) continue;
        const record = decodeFinding(annotation.description);
        if (!record || !knownIds.has(record.requirement)) continue;
        findings.push({
          requirementId: record.requirement,
          test: title,
          message: cleanMessage(record.message, secrets),
          more: record.more,
        });
      }
    }
  }
  return findings;
}

function errorText(error: TestError | undefined): string | undefined {
  if (!error) return undefined;
  return error.message ?? error.value ?? error.stack;
}

function failureMessage(test: TestCase): string | undefined {
  for (const result of test.results) {
    if (result.status === test.expectedStatus || result.status === 'skipped') continue;
    if (result.status === 'passed') {
      // A test marked test.fail() that passed: its outcome is unexpected, without an error.
      return `Expected the test to end ${test.expectedStatus}, but it passed.`;
    }
    return errorText(result.errors[0] ?? result.error) ?? `The test ended ${result.status} without an error message.`;
  }
  return undefined;
}

function skipReason(test: TestCase, annotations: Annotation[]): string {
  const skip = annotations.find((entry) => (entry.type === 'skip' || entry.type === 'fixme') && entry.description);
  if (skip?.description) return skip.description;
  if (test.results.every((result) => result.workerIndex < 0)) {
    return 'Not run: a test it depends on failed, or the run stopped before it.';
  }
  return 'Skipped without a reason.';
}

/** The title inside the file: describe blocks and the test's own title. */
function testTitle(test: TestCase): string {
  // titlePath(): root (''), project, file, describe..., test.
  return test.titlePath().slice(3).join(' › ') || test.title;
}

function requirementIds(test: TestCase, knownIds: ReadonlySet<string>): string[] {
  return [...new Set(test.tags.map((tag) => tag.replace(/^@/, '')))].filter((id) => knownIds.has(id));
}

/**
 * One line for each failed test that judges no requirement (the run's setup, a helper): the
 * tests after it may have been skipped for it, so the run's results cannot be trusted.
 */
export function failedHelpers(
  root: Pick<Suite, 'allTests'>,
  knownIds: ReadonlySet<string>,
  secrets: readonly string[] = [],
): string[] {
  return root
    .allTests()
    .filter((test) => test.outcome() === 'unexpected' && !requirementIds(test, knownIds).length)
    .map((test) => {
      const message = (failureMessage(test) ?? '').split('\n').find((line) => line.trim()) ?? '';
      return cleanMessage(`a test that judges no requirement failed: ${testTitle(test)}: ${message}`, secrets);
    })
    .sort(compareText);
}

/** Records for every test of the suite that carries a tag of a known requirement. */
export function collectTests(
  root: Pick<Suite, 'allTests'>,
  knownIds: ReadonlySet<string>,
  secrets: readonly string[] = [],
): TestRecord[] {
  const records: TestRecord[] = [];
  for (const test of root.allTests()) {
    const ids = requirementIds(test, knownIds);
    if (!ids.length) continue;
    const outcome = test.outcome();
    const annotations = annotationsOf(test);
    const message = outcome === 'unexpected' || outcome === 'flaky' ? failureMessage(test) : undefined;
    const title = cleanMessage(testTitle(test), secrets);
    for (const requirementId of ids) {
      records.push({
        requirementId,
        title,
        outcome,
        skipReason: outcome === 'skipped' ? cleanMessage(skipReason(test, annotations), secrets) : null,
        inconclusive: annotations.some((entry) => entry.type === 'inconclusive'),
        configuration:
          outcome === 'skipped'
            ? (annotations.find((entry) => entry.type === CONFIGURATION_ANNOTATION)?.description ?? null)
            : null,
        failureMessage: message === undefined ? null : cleanMessage(message, secrets),
        observations: annotations
          .filter((entry) => OBSERVATION_TYPES.has(entry.type) && entry.description)
          .map((entry) => cleanMessage(`${entry.type}: ${entry.description}`, secrets)),
      });
    }
  }
  return records;
}

/**
 * When the target stopped answering during the run (the tests mark it, see
 * runtime/target-lost.ts): why, and how many tests were then not run.
 * Undefined when it answered throughout.
 */
export function targetLostDuring(
  root: Pick<Suite, 'allTests'>,
  secrets: readonly string[] = [],
): { reason: string; notRun: number; total: number } | undefined {
  const tests = root.allTests();
  const marked = tests.filter((test) =>
    annotationsOf(test).some((entry) => entry.type === TARGET_LOST_ANNOTATION && entry.description),
  );
  const reason = marked
    .flatMap(annotationsOf)
    .find((entry) => entry.type === TARGET_LOST_ANNOTATION && entry.description)?.description;
  if (reason === undefined) return undefined;
  const notRun = marked.filter((test) => test.outcome() === 'skipped').length;
  return { reason: cleanMessage(reason, secrets), notRun, total: tests.length };
}

/** What the whole run exercised: the sum of every test's tally (each attempt counts, as each sent its requests). */
export function collectExercise(root: Pick<Suite, 'allTests'>): Exercise {
  const requests: Record<string, number> = {};
  const pageSizes = new Set<number>();
  const inputClasses = new Set<string>();
  let usersCreated = 0;
  let usersDeleted = 0;
  let pagesRead = 0;
  for (const test of root.allTests()) {
    for (const result of test.results) {
      for (const annotation of result.annotations) {
        const tally = annotation.type === EXERCISE_ANNOTATION ? decodeExercise(annotation.description) : undefined;
        if (!tally) continue;
        for (const [operation, count] of Object.entries(tally.requests))
          requests[operation] = (requests[operation] ?? 0) + count;
        usersCreated += tally.usersCreated;
        usersDeleted += tally.usersDeleted;
        pagesRead += tally.pagesRead;
        for (const size of tally.pageSizes) pageSizes.add(size);
        for (const id of tally.inputClasses) inputClasses.add(id);
      }
    }
  }
  const sortedRequests = Object.fromEntries(Object.entries(requests).sort(([a], [b]) => compareText(a, b)));
  return {
    requests: sortedRequests,
    usersCreated,
    usersDeleted,
    pagesRead,
    pageSizes: [...pageSizes].sort((a, b) => a - b),
    inputClasses: inputClasses.size,
  };
}
