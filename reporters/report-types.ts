// reports/conformance.json's shape as the reporters use it, named from the types generated from its
// schema; every report written or read is still validated against the schema itself.
import type { Level } from '../specs/contract.js';
import type { Counts, Gate, ConformanceReport as GeneratedReport, Row, Status } from '../specs/schema-types.js';

export type { Counts };

/** Lists every member of a union once, in the order given; a list that misses one does not compile. */
function everyMember<Member extends string>() {
  return <const List extends readonly Member[]>(
    list: List &
      ([Exclude<Member, List[number]>] extends [never] ? unknown : { missing: Exclude<Member, List[number]> }),
  ): List => list;
}

/** The levels in the order every table and count shows them. */
export const LEVELS = everyMember<Level>()(['MUST', 'SHOULD', 'MAY']);

/** A requirement's status, in the order counts list them. */
export type RequirementStatus = Status;
export const STATUSES = everyMember<RequirementStatus>()(['passed', 'failed', 'skipped', 'untested', 'flaky']);

export type GatePolicyName = Gate['policy'];

export type KitInfo = GeneratedReport['kit'];

export type TargetInfo = GeneratedReport['target'];

/** The gate's verdicts, each with its own exit code (VERDICT_EXIT_CODES). */
export type Verdict = GeneratedReport['summary']['verdict'];
export const VERDICTS = everyMember<Verdict>()(['pass', 'fail', 'error', 'incomplete']);

export type GateSummary = Gate;

export type RequirementRow = Row;

/** The summary, its counts keyed by level (the schema's propertyNames, which the generated type leaves a plain record). */
export interface ReportSummary extends Omit<GeneratedReport['summary'], 'counts'> {
  counts: Record<Level, Counts>;
}

/** What a run sent, summed over every test (absent in reports of kits before it). */
export type Exercise = NonNullable<GeneratedReport['exercise']>;

export interface ConformanceReport extends Omit<GeneratedReport, 'summary'> {
  summary: ReportSummary;
}

/** The fields of a row the gate policy reads; a baseline from an older kit still has them. */
export type GateRow = Pick<RequirementRow, 'id' | 'level' | 'status' | 'byConfiguration'>;
