// The shape of reports/conformance.json in TypeScript, for the code that writes and reads it.
// schemas/conformance-report.schema.json is the authority: every report written or read is
// checked against it through contract().validate('conformance-report', ...).
import type { Level } from '../specs/contract.js';

/** The levels in the order every table and count shows them. */
export const LEVELS = ['MUST', 'SHOULD', 'MAY'] as const satisfies readonly Level[];

/** A requirement's status, in the order counts list them. */
export const STATUSES = ['passed', 'failed', 'skipped', 'untested', 'flaky'] as const;
export type RequirementStatus = (typeof STATUSES)[number];

export type Counts = Record<RequirementStatus, number>;

export type GatePolicyName = 'default' | 'strict';

export interface KitInfo {
  name: string;
  version: string;
}

export interface TargetInfo {
  url: string;
  appId: string;
  embedded: boolean;
}

export interface GateSummary {
  policy: GatePolicyName;
  baseline: string | null;
  failing: string[];
  warnings: string[];
  newlyPassing: string[];
  errors: string[];
}

export interface RequirementRow {
  id: string;
  level: Level;
  operation: string;
  title: string;
  decision: string;
  status: RequirementStatus;
  reason: string | null;
  inconclusive: boolean;
  tests: string[];
  message: string | null;
  /** Exchanges of the run that broke the requirement's exchange rule, whichever test sent them. */
  findings?: number;
  observations: string[];
}

export interface ReportSummary {
  verdict: 'pass' | 'fail';
  gate: GateSummary;
  runErrors: string[];
  counts: Record<Level, Counts>;
}

export interface ConformanceReport {
  kit: KitInfo;
  target: TargetInfo;
  startedAt: string;
  endedAt: string;
  summary: ReportSummary;
  requirements: RequirementRow[];
  complete: boolean;
}

/** The fields of a row the gate policy reads; a baseline from an older kit still has them. */
export type GateRow = Pick<RequirementRow, 'id' | 'level' | 'status'>;
