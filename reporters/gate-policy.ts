// The gate: which results fail a run. One policy, used by the reporter at the end of a run and
// by `npm run gate` on a finished report (merge-reports always exits 0).
//   - A failed MUST fails the gate; a failed SHOULD is a warning, unless the policy is strict;
//     a failed MAY never fails it; a flaky requirement counts as passed, with a warning.
//   - With a baseline report, only regressions fail it: requirements at a gated level that
//     passed in the baseline and failed now. Requirements that pass now and did not pass
//     there are listed as newly passing.
//   - Unusable settings (a GATE other than strict/default, a baseline that is not a complete
//     report) and errors of the run itself fail the gate: it never passes by accident.
import type { Level } from '../specs/contract.js';
import { readGateSettings, SettingsError } from '../tests/conformance/settings.js';
import type { GatePolicyName, GateRow, GateSummary, RequirementStatus } from './report-types.js';
import { compareText } from './text.js';

export interface GateOptions {
  policy: GatePolicyName;
  /** Path of the baseline report, as given; null for none. */
  baseline: string | null;
}

const PASSING: ReadonlySet<RequirementStatus> = new Set(['passed', 'flaky']);

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
    return { options: { policy: 'default', baseline: baseline ?? null }, errors: [error.message] };
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
}

export interface GateDecision {
  verdict: 'pass' | 'fail';
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
  const verdict = failing.length || input.settingErrors.length || input.runErrors.length ? 'fail' : 'pass';
  return {
    verdict,
    gate: {
      policy: input.policy,
      baseline: input.baselineLabel,
      failing: ids(failing),
      warnings: ids(warnings),
      newlyPassing: ids(newlyPassing),
      errors: [...input.settingErrors],
    },
  };
}
