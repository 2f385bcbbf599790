// The gate settings of a run as the reporter applies them: GATE, and BASELINE with the rows of
// the report it names. A setting that cannot be used becomes an error line the gate counts.
import { resolve } from 'node:path';
import { type GateOptions, gateOptionsFromEnv } from './gate-policy.js';
import { readReportFile } from './read-report.js';
import type { GateRow } from './report-types.js';
import { displayPath } from './text.js';

/** The policy, the baseline as the report shows it and its rows, and the settings' errors. */
export interface GateSettingsOfRun {
  policy: GateOptions['policy'];
  baselineLabel: string | null;
  /** Null without a baseline, or when it could not be read (then an error says why). */
  baselineRows: readonly GateRow[] | null;
  settingErrors: string[];
}

/** Reads GATE and BASELINE from the environment, and the baseline report when there is one. */
export function gateSettingsOfRun(env: Record<string, string | undefined>): GateSettingsOfRun {
  const { options, errors: settingErrors } = gateOptionsFromEnv(env);
  if (!options.baseline) return { policy: options.policy, baselineLabel: null, baselineRows: null, settingErrors };
  const baselineLabel = displayPath(resolve(options.baseline));
  try {
    const baselineRows = readReportFile(options.baseline).requirements;
    return { policy: options.policy, baselineLabel, baselineRows, settingErrors };
  } catch (error) {
    settingErrors.push(`BASELINE: ${(error as Error).message}`);
    return { policy: options.policy, baselineLabel, baselineRows: null, settingErrors };
  }
}
