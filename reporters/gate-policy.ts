// The gate: a run's verdict, one policy for the reporter and for `gate` on a finished report. ERROR
// first, then FAIL (gated levels; with a baseline, regressions only), then INCOMPLETE, then PASS.

import { readGateSettings, SETTINGS, SettingsError } from '../runtime/settings.js';
import type { Level } from '../specs/contract.js';
import type { GatePolicyName, GateRow, GateSummary, RequirementStatus, Verdict } from './report-types.js';
import { compareText } from './text.js';

export interface GateOptions {
  policy: GatePolicyName;
  /** Path of the baseline report, as given; null for none. */
  baseline: string | null;
}

const PASSING: ReadonlySet<RequirementStatus> = new Set(['passed', 'flaky']);
const NOT_JUDGED: ReadonlySet<RequirementStatus> = new Set(['skipped', 'untested']);

/** The levels whose failures fail the gate under a policy. */
export function gatedLevels(policy: GatePolicyName): ReadonlySet<Level> {
  return new Set<Level>(policy === 'strict' ? ['MUST', 'SHOULD'] : ['MUST']);
}

/** Reads GATE and BASELINE; a bad GATE gives an error line and the default policy. */
export function gateOptionsFromEnv(env: Record<string, string | undefined>): {
  options: GateOptions;
  errors: string[];
} {
  try {
    const { policy, baseline } = readGateSettings(env);
    return { options: { policy, baseline: baseline ?? null }, errors: [] };
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    const { baseline } = readGateSettings({ ...env, GATE: undefined });
    return { options: { policy: SETTINGS.GATE.fallback, baseline: baseline ?? null }, errors: [error.message] };
  }
}

export interface GateInput {
  rows: readonly GateRow[];
  policy: GatePolicyName;
  /** The baseline's path as the report shows it, or null. */
  baselineLabel: string | null;
  /** The baseline's rows, when it could be read; null without a baseline or when it could not. */
  baselineRows: readonly GateRow[] | null;
  /** Unusable gate settings, one line each. */
  settingErrors: readonly string[];
  /** Errors of the run outside the tests, and an unfinished run, one line each. */
  runErrors: readonly string[];
  /** Why the target could not be tested, or null. */
  targetError: string | null;
  /** Whether the run finished. */
  complete: boolean;
}

export interface GateDecision {
  verdict: Verdict;
  gate: GateSummary;
}

function ids(rows: readonly GateRow[]): string[] {
  return rows.map((row) => row.id).sort(compareText);
}

/** Applies the policy to a run's rows. */
export function applyGate(input: GateInput): GateDecision {
  const gated = gatedLevels(input.policy);
  const before = input.baselineRows ? new Map(input.baselineRows.map((row) => [row.id, row.status])) : undefined;
  const failed = input.rows.filter((row) => row.status === 'failed');
  const failing = failed.filter((row) => {
    if (!gated.has(row.level)) return false;
    if (!before) return true;
    const was = before.get(row.id);
    return was !== undefined && PASSING.has(was);
  });
  const failingIds = new Set(failing.map((row) => row.id));
  const warnings = input.rows.filter(
    (row) => (row.status === 'failed' && !failingIds.has(row.id)) || row.status === 'flaky',
  );
  const newlyPassing = before
    ? input.rows.filter((row) => {
        if (!PASSING.has(row.status)) return false;
        const was = before.get(row.id);
        return was === undefined || !PASSING.has(was);
      })
    : [];
  const unjudged = input.rows.filter((row) => NOT_JUDGED.has(row.status));
  const byConfiguration = unjudged.filter((row) => gated.has(row.level) && row.byConfiguration);
  const notJudged = unjudged.filter((row) => gated.has(row.level) && !row.byConfiguration);
  const noLongerJudged = before
    ? unjudged.filter((row) => {
        const was = before.get(row.id);
        return was !== undefined && PASSING.has(was) && !row.byConfiguration;
      })
    : [];
  // Gated but unjudged, other than by the user's own settings, is INCOMPLETE: a PASS is never
  // given for what was not judged.
  let verdict: Verdict = 'pass';
  if (input.targetError !== null) verdict = 'error';
  else if (failing.length) verdict = 'fail';
  else if (
    !input.complete ||
    input.runErrors.length ||
    input.settingErrors.length ||
    notJudged.length ||
    noLongerJudged.length
  )
    verdict = 'incomplete';
  return {
    verdict,
    gate: {
      policy: input.policy,
      baseline: input.baselineLabel,
      failing: ids(failing),
      warnings: ids(warnings),
      newlyPassing: ids(newlyPassing),
      notJudged: ids(notJudged),
      notJudgedByConfiguration: ids(byConfiguration),
      noLongerJudged: ids(noLongerJudged),
      errors: [...input.settingErrors],
    },
  };
}
