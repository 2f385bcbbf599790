// Reads a finished conformance.json for gate, matrix and BASELINE. A missing, broken or unfinished
// report is refused with one line saying why: it must never stand in for a passing run.
import { readFileSync } from 'node:fs';
import { contract } from '../specs/contract.js';
import type { ConformanceReport } from './report-types.js';
import { displayPath } from './text.js';

export const REPORT_SCHEMA = 'conformance-report';

/** A report file that cannot be used; the message is the one line to print. */
export class ReportFileError extends Error {
  override name = 'ReportFileError';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a report is read: a report of a run that did not finish is refused unless allowed. */
export interface ReadOptions {
  /** Accept a whole report whose run did not finish (`complete: false`), for the gate to judge INCOMPLETE. */
  allowUnfinished?: boolean;
}

/** Checks parsed JSON as a complete report; `label` names it in the error. */
export function checkReport(data: unknown, label: string, options: ReadOptions = {}): ConformanceReport {
  const incomplete = new ReportFileError(`${label} is incomplete: the run that wrote it did not finish`);
  // A report cut short (no end marker at all) says so before its shape is judged.
  const ended = isObject(data) && (data.complete === true || (options.allowUnfinished && data.complete === false));
  if (isObject(data) && 'requirements' in data && !ended) throw incomplete;
  const result = contract().validate(REPORT_SCHEMA, data);
  if (!result.valid) {
    const shown = result.errors.slice(0, 3).join('; ');
    const more = result.errors.length > 3 ? ` (and ${result.errors.length - 3} more)` : '';
    throw new ReportFileError(`${label} is not a valid conformance report: ${shown}${more}`);
  }
  const report = data as ConformanceReport;
  if (report.complete !== true && !options.allowUnfinished) throw incomplete;
  return report;
}

/** Reads, parses and checks a report file. */
export function readReportFile(path: string, options: ReadOptions = {}): ConformanceReport {
  const label = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReportFileError(
      code === 'ENOENT' ? `${label} does not exist` : `${label} cannot be read (${code ?? String(error)})`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ReportFileError(`${label} is not valid JSON: ${(error as Error).message}`);
  }
  return checkReport(data, label, options);
}
