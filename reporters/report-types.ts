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

/** The gate's verdicts, each with its own exit code (VERDICT_EXIT_CODES). */
export const VERDICTS = ['pass', 'fail', 'error', 'incomplete'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface GateSummary {
  policy: GatePolicyName;
  baseline: string | null;
  failing: string[];
  warnings: string[];
  newlyPassing: string[];
  /** Gated requirements not judged, for a reason other than a setting the user chose. */
  notJudged?: string[];
  /** Gated requirements not judged because of a setting the user chose (no key, no second app, the page budget). */
  notJudgedByConfiguration?: string[];
  /** With a baseline: requirements that passed there and are not judged now. */
  noLongerJudged?: string[];
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
  /** For a skipped requirement, the setting whose choice left it unjudged (e.g. API_KEY); null otherwise. */
  byConfiguration?: string | null;
  observations: string[];
}

export interface ReportSummary {
  verdict: Verdict;
  /** Why the target could not be tested (unreachable, credentials refused, lost mid-run); null when it could. */
  targetError?: string | null;
  gate: GateSummary;
  runErrors: string[];
  counts: Record<Level, Counts>;
}

/** What a run sent, summed over every test (absent in reports of kits before it). */
export interface Exercise {
  /** Requests by operation of the contract; `other` for requests that are none (the robustness battery). */
  requests: Record<string, number>;
  usersCreated: number;
  usersDeleted: number;
  /** Pages of Get Users with Presence read with a 2xx. */
  pagesRead: number;
  /** The page sizes asked, in order. */
  pageSizes: number[];
  /** How many classes of specs/input-classes.yaml were sent. */
  inputClasses: number;
}

export interface ConformanceReport {
  kit: KitInfo;
  target: TargetInfo;
  startedAt: string;
  endedAt: string;
  summary: ReportSummary;
  exercise?: Exercise;
  requirements: RequirementRow[];
  complete: boolean;
}

/** The fields of a row the gate policy reads; a baseline from an older kit still has them. */
export type GateRow = Pick<RequirementRow, 'id' | 'level' | 'status' | 'byConfiguration'>;
