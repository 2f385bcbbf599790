// Turns the catalog and the run's test records into the report's rows, counts and document.
// Pure functions: the same inputs give the same report, key order and row order included.
import type { Level, Requirement } from '../specs/contract.js';
import type { TestRecord } from './collect-tests.js';
import {
  type ConformanceReport,
  type Counts,
  type GateSummary,
  type KitInfo,
  LEVELS,
  type RequirementRow,
  type RequirementStatus,
  STATUSES,
  type TargetInfo,
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

function rowFor(requirement: Requirement, tests: TestRecord[]): RequirementRow {
  const sorted = [...tests].sort(byTitle);
  const status = statusOf(sorted);
  const skipped = sorted.filter((test) => test.outcome === 'skipped');
  const reasons = [...new Set(skipped.map((test) => test.skipReason ?? 'Skipped without a reason.'))];
  const failure =
    status === 'failed'
      ? sorted.find((test) => test.outcome === 'unexpected')
      : status === 'flaky'
        ? sorted.find((test) => test.outcome === 'flaky')
        : undefined;
  return {
    id: requirement.id,
    level: requirement.level,
    operation: requirement.operation,
    title: requirement.title,
    decision: requirement.decision,
    status,
    reason: status === 'skipped' ? reasons.join('\n') : null,
    inconclusive: status === 'skipped' && skipped.some((test) => test.inconclusive),
    tests: [...new Set(sorted.map((test) => test.title))],
    message: failure ? (failure.failureMessage ?? 'The test failed without an error message.') : null,
    observations: [...new Set(sorted.flatMap((test) => test.observations))],
  };
}

/** One row per catalog requirement, sorted by ID; records of IDs outside the catalog are ignored. */
export function buildRows(catalog: readonly Requirement[], tests: readonly TestRecord[]): RequirementRow[] {
  const byId = new Map<string, TestRecord[]>();
  for (const test of tests) {
    const list = byId.get(test.requirementId) ?? [];
    list.push(test);
    byId.set(test.requirementId, list);
  }
  return [...catalog]
    .sort((a, b) => compareText(a.id, b.id))
    .map((requirement) => rowFor(requirement, byId.get(requirement.id) ?? []));
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
  verdict: 'pass' | 'fail';
  runErrors: string[];
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
      gate: {
        policy: input.gate.policy,
        baseline: input.gate.baseline,
        failing: [...input.gate.failing],
        warnings: [...input.gate.warnings],
        newlyPassing: [...input.gate.newlyPassing],
        errors: [...input.gate.errors],
      },
      runErrors: [...input.runErrors],
      counts: countByLevel(input.rows),
    },
    requirements: input.rows,
    // Last, as the end marker: a report cut short has no `complete` at all.
    complete: input.complete,
  };
}

/** The report as written to conformance.json. */
export function serializeReport(report: ConformanceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
