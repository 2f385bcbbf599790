// Writes a finished report as the files of the report folder, all or none, and adds its
// Markdown to the GitHub step summary when the run has one.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { contract } from '../specs/contract.js';
import { serializeReport } from './build-report.js';
import { REPORT_SCHEMA } from './read-report.js';
import { renderBadge } from './render-badge.js';
import { renderHtml } from './render-html.js';
import { renderJunit } from './render-junit.js';
import { renderMarkdown } from './render-markdown.js';
import { REPORT_FILES } from './report-files.js';
import type { ConformanceReport } from './report-types.js';
import { writeAtomically } from './write-atomically.js';

/** Throws when the report does not match its schema: a report the kit writes is always one it can read. */
export function assertMatchesSchema(report: ConformanceReport): void {
  const checked = contract().validate(REPORT_SCHEMA, report);
  if (!checked.valid) throw new Error(`the report does not match its schema: ${checked.errors.join('; ')}`);
}

/** Each report file's content, rendered from the report. */
export function renderReportFiles(report: ConformanceReport): Record<keyof typeof REPORT_FILES, string> {
  return {
    json: serializeReport(report),
    markdown: renderMarkdown(report),
    html: renderHtml(report),
    badge: renderBadge(report),
    junit: renderJunit(report),
  };
}

/** Writes the rendered files into the folder, whole or not at all. */
export async function writeReportFiles(
  dir: string,
  contents: Record<keyof typeof REPORT_FILES, string>,
): Promise<void> {
  const keys = Object.keys(REPORT_FILES) as (keyof typeof REPORT_FILES)[];
  await writeAtomically(keys.map((key) => ({ path: join(dir, REPORT_FILES[key]), content: contents[key] })));
}

/** Appends the Markdown report to GITHUB_STEP_SUMMARY when set; a failure is said, not thrown. */
export function appendToStepSummary(markdown: string, stepSummary = process.env.GITHUB_STEP_SUMMARY): void {
  if (!stepSummary) return;
  try {
    appendFileSync(stepSummary, `${markdown}\n`);
  } catch (error) {
    process.stdout.write(`  (could not append to GITHUB_STEP_SUMMARY: ${(error as Error).message})\n`);
  }
}
