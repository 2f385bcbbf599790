// reports/conformance.md, also the GitHub step summary and pull-request comment. It stays under
// MARKDOWN_LIMIT (a comment holds 65,536): what does not fit is named and left to conformance.html.
import { groupByOperation, statusText } from './group.js';
import { exerciseLines } from './render-exercise.js';
import { someIds } from './render-summary.js';
import { type ConformanceReport, LEVELS, type RequirementRow, STATUSES } from './report-types.js';
import { escapeMarkdownCell as cell, markdownFence } from './text.js';

/** The most characters conformance.md ever has. */
export const MARKDOWN_LIMIT = 60_000;

// What the closing pointer to the HTML report may take, kept free until the end.
const POINTER_RESERVE = 400;

const VERDICT_TEXT = { pass: '✅ PASS', fail: '❌ FAIL', error: '⛔ ERROR', incomplete: '⚠️ INCOMPLETE' } as const;

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function idList(ids: readonly string[]): string {
  return ids.map((id) => `\`${id}\``).join(', ');
}

export function targetLine(report: ConformanceReport): string {
  const { target } = report;
  return target.embedded
    ? `the embedded reference server (app ${target.appId})`
    : `${target.url} (app ${target.appId})`;
}

function head(report: ConformanceReport): string[] {
  const { summary } = report;
  const { gate } = summary;
  const lines = [`# Users API conformance: ${VERDICT_TEXT[summary.verdict]}`, ''];
  lines.push(
    `Target: ${cell(targetLine(report))} · gate: ${gate.policy}` +
      `${gate.baseline ? ` against baseline ${cell(gate.baseline)}` : ''}` +
      ` · kit ${cell(report.kit.name)} ${cell(report.kit.version)} · ${report.startedAt}` +
      `${report.complete ? '' : ' · **incomplete: the run did not finish**'}`,
    '',
  );
  if (summary.targetError) lines.push(`**The target could not be tested:** ${cell(summary.targetError)}`, '');
  lines.push(`| Level | ${STATUSES.map(capitalized).join(' | ')} | Total |`);
  lines.push(`| --- |${STATUSES.map(() => ' ---: |').join('')} ---: |`);
  for (const level of LEVELS) {
    const counts = summary.counts[level];
    const total = STATUSES.reduce((sum, status) => sum + counts[status], 0);
    lines.push(`| ${level} | ${STATUSES.map((status) => counts[status]).join(' | ')} | ${total} |`);
  }
  lines.push('');
  const lists: [string, readonly string[] | undefined][] = [
    ['Fails the gate', gate.failing],
    ['Not judged', gate.notJudged],
    ['Passed in the baseline, not judged now', gate.noLongerJudged],
    ['Not judged by your settings', gate.notJudgedByConfiguration],
    ['Warnings', gate.warnings],
    ['Newly passing', gate.newlyPassing],
  ];
  for (const [label, ids] of lists) if (ids?.length) lines.push(`**${label}:** ${idList(ids)}`, '');
  for (const error of new Set([...gate.errors, ...summary.runErrors])) lines.push(`**Error:** ${cell(error)}`, '');
  return lines;
}

/** Gate failures first, then the warnings (SHOULD, MAY), in catalog order within each. */
function failuresInOrder(report: ConformanceReport): RequirementRow[] {
  const failing = new Set(report.summary.gate.failing);
  const failed = report.requirements.filter((row) => row.status === 'failed');
  return [...failed.filter((row) => failing.has(row.id)), ...failed.filter((row) => !failing.has(row.id))];
}

function failureBlock(row: RequirementRow, failing: ReadonlySet<string>): string {
  const kind = failing.has(row.id) ? '' : ' (warning)';
  return `### ${row.id} (${row.level})${kind}: ${cell(row.title)}\n\n${markdownFence(row.message ?? '(no message)')}\n`;
}

function requirementTables(report: ConformanceReport): string[] {
  const failing = new Set(report.summary.gate.failing);
  const lines = ['## Requirements', ''];
  const header = ['| ID | Level | Status | Title |', '| --- | --- | --- | --- |'];
  const tableRow = (row: RequirementRow) => {
    const note = row.inconclusive ? ' (inconclusive)' : '';
    return `| ${row.id} | ${row.level} | ${statusText(row, failing)}${note} | ${cell(row.title)} |`;
  };
  for (const group of groupByOperation(report.requirements)) {
    const passed = group.rows.filter((row) => row.status === 'passed');
    const others = group.rows.filter((row) => row.status !== 'passed');
    lines.push(`### ${cell(group.operation)}`, '');
    if (others.length) lines.push(...header, ...others.map(tableRow), '');
    if (passed.length) {
      lines.push(
        `<details><summary>${passed.length} passed</summary>`,
        '',
        ...header,
        ...passed.map(tableRow),
        '',
        '</details>',
        '',
      );
    }
  }
  return lines;
}

function noteLines(report: ConformanceReport): string[] {
  return report.requirements
    .filter((row) => row.reason || row.observations.length)
    .map((row) => {
      const details = [...(row.reason ? [`skipped: ${row.reason}`] : []), ...row.observations];
      return `- **${row.id}** (${row.level}): ${details.map(cell).join('; ')}`;
    });
}

export function renderMarkdown(report: ConformanceReport): string {
  const failing = new Set(report.summary.gate.failing);
  const exercise = exerciseLines(report);
  const top = head(report);
  const middle = [
    ...(exercise.length ? ['## What the run exercised', '', ...exercise.map((line) => `- ${cell(line)}`), ''] : []),
    ...requirementTables(report),
  ];
  // What must be there takes its room first; failures, then notes, fill what is left.
  let budget = MARKDOWN_LIMIT - POINTER_RESERVE - [...top, ...middle].join('\n').length;
  const left: string[] = [];
  const take = <T>(items: readonly T[], text: (item: T) => string, what: (rest: readonly T[]) => string): string[] => {
    const taken: string[] = [];
    for (const [at, item] of items.entries()) {
      const shown = text(item);
      if (shown.length + 1 > budget) {
        left.push(what(items.slice(at)));
        break;
      }
      taken.push(shown);
      budget -= shown.length + 1;
    }
    return taken;
  };
  const failures = take(
    failuresInOrder(report),
    (row) => failureBlock(row, failing),
    (rest) => `the messages of ${rest.length} failures (${someIds(rest.map((row) => row.id))})`,
  );
  const notes = take(
    noteLines(report),
    (line) => line,
    (rest) => `${rest.length} notes`,
  );
  const lines = [...top];
  if (failures.length) lines.push('## Failures', '', ...failures);
  lines.push(...middle);
  if (notes.length)
    lines.push('## Notes', '', 'Why requirements were skipped, and what the tests saw.', '', ...notes, '');
  if (left.length)
    lines.push(`_Left out for length: ${left.join('; ')}. They are in conformance.html beside this file._`);
  return `${lines.join('\n').trimEnd()}\n`;
}
