// `users-api-conformance gate REPORT`: the gate on a finished report, because `playwright
// merge-reports` always exits 0. It exits as the run would have; 2 for bad use or a file no report.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseCommandLine, UsageError } from '../runtime/cli-args.js';
import { USAGE_EXIT_CODE, VERDICT_EXIT_CODES } from '../runtime/exit-codes.js';
import { buildReport } from './build-report.js';
import { applyGate } from './gate-policy.js';
import { ReportFileError, readReportFile } from './read-report.js';
import { renderSummary } from './render-summary.js';
import type { ConformanceReport } from './report-types.js';
import { displayPath } from './text.js';

export const GATE_USAGE =
  'usage: users-api-conformance gate <conformance.json> [--strict] [--baseline <baseline conformance.json>]' +
  " (in the kit's repository: npm run gate -- ...)";

export interface CommandResult {
  code: number;
  out: string[];
  err: string[];
}

/** Runs the command on its arguments; returns the exit code and the lines to print. */
export function runGate(argv: readonly string[]): CommandResult {
  try {
    const { values, positionals } = parseCommandLine(argv, {
      baseline: { type: 'string' },
      strict: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return { code: 0, out: [GATE_USAGE], err: [] };
    if (positionals.length !== 1) throw new UsageError('give exactly one report file');
    const path = positionals[0] as string;
    // A report of a run that did not finish is judged, as INCOMPLETE or ERROR, never as a pass.
    const report = readReportFile(path, { allowUnfinished: true });
    const baselinePath = values.baseline;
    let baseline: ConformanceReport | undefined;
    try {
      if (typeof baselinePath === 'string') baseline = readReportFile(baselinePath);
    } catch (error) {
      if (error instanceof ReportFileError) throw new ReportFileError(`baseline ${error.message}`);
      throw error;
    }
    const decision = applyGate({
      rows: report.requirements,
      policy: values.strict ? 'strict' : 'default',
      baselineLabel: typeof baselinePath === 'string' ? displayPath(resolve(baselinePath)) : null,
      baselineRows: baseline ? baseline.requirements : null,
      settingErrors: [],
      runErrors: report.summary.runErrors,
      targetError: report.summary.targetError ?? null,
      complete: report.complete,
    });
    const judged = buildReport({
      ...report,
      startedAt: new Date(report.startedAt),
      endedAt: new Date(report.endedAt),
      rows: report.requirements,
      gate: decision.gate,
      verdict: decision.verdict,
      targetError: report.summary.targetError ?? null,
      runErrors: report.summary.runErrors,
      exercise: report.exercise ?? null,
    });
    const out = renderSummary(judged, `Users API conformance of ${displayPath(path)}`);
    if (decision.gate.failing.length) out.push(`failing: ${decision.gate.failing.join(' ')}`);
    return { code: VERDICT_EXIT_CODES[decision.verdict], out, err: [] };
  } catch (error) {
    if (error instanceof UsageError)
      return { code: USAGE_EXIT_CODE, out: [], err: [`gate: ${error.message}`, GATE_USAGE] };
    if (error instanceof ReportFileError) return { code: USAGE_EXIT_CODE, out: [], err: [`gate: ${error.message}`] };
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const result = runGate(process.argv.slice(2));
  if (result.out.length) process.stdout.write(`${result.out.join('\n')}\n`);
  if (result.err.length) process.stderr.write(`${result.err.join('\n')}\n`);
  process.exitCode = result.code;
}
