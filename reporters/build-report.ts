// Turns the catalog and the run's test records into the report's rows, counts and document.
// Pure functions: the same inputs give the same report, key order and row order included.
import type { Level, Requirement } from '../specs/contract.js';
import type { ExchangeFinding, TestRecord } from './collect-tests.js';
import {
  type ConformanceReport,
  type Counts,
  type Exercise,
  type GateSummary,
  type KitInfo,
  LEVELS,
  type RequirementRow,
  type RequirementStatus,
  STATUSES,
  type TargetInfo,
  type Verdict,
} from './report-types.js';
import { compareText } from './text.js';

/** A requirement's status from its tests: failed, then flaky, then passed, then skipped. */
export function statusOf(tests: readonly Pick<TestRecord, 'outcome'>[]): RequirementStatus {
  if (!tests.length) return 'untested';
  if (tests.some((test) => test.outcome === 'unexpected')) return 'failed';
  if (tests.some((test) => test.outcome === 'flaky')) return 'flaky';
  if (tests.some((test) => test.outcome === 'expected')) return 'passed';
  return 'skipped';
}

function byTitle(a: TestRecord, b: TestRecord): number {
  return compareText(a.title, b.title) || compareText(a.failureMessage ?? '', b.failureMessage ?? '');
}

function byFindingOrder(a: ExchangeFinding, b: ExchangeFinding): number {
  return compareText(a.test, b.test) || compareText(a.message, b.message);
}

/** What the exchange rules found for one requirement, as the row's message says it. */
function findingsText(findings: readonly ExchangeFinding[], ownTestFailed: boolean): string {
  const exchanges = findings.reduce((sum, finding) => sum + 1 + finding.more, 0);
  const tests = [...new Set(findings.map((finding) => finding.test))];
  const shownTests = tests.slice(0, 3).map((title) => JSON.stringify(title));
  const moreTests = tests.length > shownTests.length ? ` and ${tests.length - shownTests.length} more` : '';
  const lead = ownTestFailed ? 'Also, across the run,' : 'Across the run,';
  return (
    `${lead} ${exchanges} exchange(s) broke this requirement, seen by ${shownTests.join(', ')}${moreTests}. ` +
    `The first:\n${(findings[0] as ExchangeFinding).message}`
  );
}

/**
 * The other failed tests of a requirement (one per input field, say), each by what sets it apart
 * and its expectation, so a row with one message still says everything that failed.
 */
function otherFailuresText(requirement: Requirement, others: readonly TestRecord[]): string {
  const heading = `${requirement.id} ${requirement.title}`;
  const items = others.map((test) => {
    const which = test.title.startsWith(heading) ? test.title.slice(heading.length).trim() || test.title : test.title;
    const lines = (test.failureMessage ?? '').split('\n');
    const at = Math.max(
      0,
      lines.findIndex((line) => line.startsWith('Expected:')),
    );
    // An expectation ending in a colon goes on with its first detail, on the next line.
    const expected = lines[at]?.endsWith(':') ? [lines[at], lines[at + 1] ?? ''] : [lines[at] ?? ''];
    return `- ${which}: ${expected.map((line) => line.replace(/^Expected:/, '').trim()).join(' ')}`;
  });
  return `${others.length} more test(s) of this requirement failed:\n${items.join('\n')}`;
}

function rowFor(requirement: Requirement, tests: TestRecord[], findings: ExchangeFinding[]): RequirementRow {
  const sorted = [...tests].sort(byTitle);
  const ownStatus = statusOf(sorted);
  // A breach of a rule that holds for every exchange fails the requirement that owns the rule,
  // whichever test saw it, even when the requirement's own test passed.
  const status = findings.length ? 'failed' : ownStatus;
  const seen = [...findings].sort(byFindingOrder);
  const skipped = sorted.filter((test) => test.outcome === 'skipped');
  const reasons = [...new Set(skipped.map((test) => test.skipReason ?? 'Skipped without a reason.'))];
  const failure =
    ownStatus === 'failed'
      ? sorted.find((test) => test.outcome === 'unexpected')
      : ownStatus === 'flaky'
        ? sorted.find((test) => test.outcome === 'flaky')
        : undefined;
  const ownMessage = failure ? (failure.failureMessage ?? 'The test failed without an error message.') : null;
  const others = sorted.filter((test) => test.outcome === 'unexpected' && test !== failure);
  const message = [
    ownMessage,
    others.length ? otherFailuresText(requirement, others) : null,
    seen.length ? findingsText(seen, ownStatus === 'failed') : null,
  ].filter((part) => part !== null);
  const messageText = message.length ? message.join('\n\n') : null;
  // Excused by the gate only when every skipped test of it was skipped for a setting the user chose.
  const settings = [...new Set(skipped.map((test) => test.configuration))];
  const byConfiguration =
    status === 'skipped' && settings.every((setting) => setting !== null) ? settings.join(', ') : null;
  return {
    id: requirement.id,
    level: requirement.level,
    operation: requirement.operation,
    title: requirement.title,
    decision: requirement.decision,
    status,
    reason: status === 'skipped' ? reasons.join('\n') : null,
    byConfiguration,
    inconclusive: status === 'skipped' && skipped.some((test) => test.inconclusive),
    tests: [...new Set(sorted.map((test) => test.title))],
    message: messageText,
    findings: seen.reduce((sum, finding) => sum + 1 + finding.more, 0),
    observations: [...new Set(sorted.flatMap((test) => test.observations))],
  };
}

function groupById<T extends { requirementId: string }>(items: readonly T[]): Map<string, T[]> {
  const byId = new Map<string, T[]>();
  for (const item of items) {
    const list = byId.get(item.requirementId) ?? [];
    list.push(item);
    byId.set(item.requirementId, list);
  }
  return byId;
}

/**
 * One row per catalog requirement, sorted by ID, from its tests and from what the exchange
 * rules found anywhere in the run; records of IDs outside the catalog are ignored.
 */
export function buildRows(
  catalog: readonly Requirement[],
  tests: readonly TestRecord[],
  findings: readonly ExchangeFinding[] = [],
): RequirementRow[] {
  const testsById = groupById(tests);
  const findingsById = groupById(findings);
  return [...catalog]
    .sort((a, b) => compareText(a.id, b.id))
    .map((requirement) =>
      rowFor(requirement, testsById.get(requirement.id) ?? [], findingsById.get(requirement.id) ?? []),
    );
}

export function emptyCounts(): Counts {
  return { passed: 0, failed: 0, skipped: 0, untested: 0, flaky: 0 };
}

/** Requirements per level and status; every level is present, also with no requirement. */
export function countByLevel(rows: readonly Pick<RequirementRow, 'level' | 'status'>[]): Record<Level, Counts> {
  const counts = { MUST: emptyCounts(), SHOULD: emptyCounts(), MAY: emptyCounts() } satisfies Record<Level, Counts>;
  for (const row of rows) counts[row.level][row.status] += 1;
  return counts;
}

/** Sum of the counts over the levels. */
export function totalCounts(counts: Record<Level, Counts>): Counts {
  const total = emptyCounts();
  for (const level of LEVELS) for (const status of STATUSES) total[status] += counts[level][status];
  return total;
}

export interface ReportInput {
  kit: KitInfo;
  target: TargetInfo;
  startedAt: Date;
  endedAt: Date;
  rows: RequirementRow[];
  gate: GateSummary;
  verdict: Verdict;
  /** Why the target could not be tested, or null. */
  targetError: string | null;
  runErrors: string[];
  /** What the run sent; null for a report rebuilt from one that has none. */
  exercise: Exercise | null;
  complete: boolean;
}

/** The report document; its keys are in a fixed order, so its JSON is byte-stable. */
export function buildReport(input: ReportInput): ConformanceReport {
  return {
    kit: { name: input.kit.name, version: input.kit.version },
    target: { url: input.target.url, appId: input.target.appId, embedded: input.target.embedded },
    startedAt: input.startedAt.toISOString(),
    endedAt: input.endedAt.toISOString(),
    summary: {
      verdict: input.verdict,
      targetError: input.targetError,
      gate: {
        policy: input.gate.policy,
        baseline: input.gate.baseline,
        failing: [...input.gate.failing],
        warnings: [...input.gate.warnings],
        newlyPassing: [...input.gate.newlyPassing],
        notJudged: [...(input.gate.notJudged ?? [])],
        notJudgedByConfiguration: [...(input.gate.notJudgedByConfiguration ?? [])],
        noLongerJudged: [...(input.gate.noLongerJudged ?? [])],
        errors: [...input.gate.errors],
      },
      runErrors: [...input.runErrors],
      counts: countByLevel(input.rows),
    },
    ...(input.exercise ? { exercise: input.exercise } : {}),
    requirements: input.rows,
    // Last, as the end marker: a report cut short has no `complete` at all.
    complete: input.complete,
  };
}

/** The report as written to conformance.json. */
export function serializeReport(report: ConformanceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
