// reports/conformance.md (and the GitHub step summary): the verdict, the counts per level,
// one table per operation, then each failure with its message in a fenced block.
import { groupByOperation, STATUS_LABEL } from './group.js';
import { type ConformanceReport, LEVELS, STATUSES } from './report-types.js';
import { escapeMarkdownCell as cell, markdownFence } from './text.js';

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

export function renderMarkdown(report: ConformanceReport): string {
  const { summary } = report;
  const lines: string[] = [];
  const verdict = summary.verdict === 'pass' ? '✅ PASS' : '❌ FAIL';
  lines.push(`# Users API conformance: ${verdict}`, '');
  lines.push(
    `Target: ${cell(targetLine(report))} · gate: ${summary.gate.policy}` +
      `${summary.gate.baseline ? ` against baseline ${cell(summary.gate.baseline)}` : ''}` +
      ` · kit ${cell(report.kit.name)} ${cell(report.kit.version)} · ${report.startedAt}` +
      `${report.complete ? '' : ' · **incomplete: the run did not finish**'}`,
    '',
  );
  lines.push(`| Level | ${STATUSES.map(capitalized).join(' | ')} | Total |`);
  lines.push(`| --- |${STATUSES.map(() => ' ---: |').join('')} ---: |`);
  for (const level of LEVELS) {
    const counts = summary.counts[level];
    const total = STATUSES.reduce((sum, status) => sum + counts[status], 0);
    lines.push(`| ${level} | ${STATUSES.map((status) => counts[status]).join(' | ')} | ${total} |`);
  }
  lines.push('');
  const { gate } = summary;
  if (gate.failing.length) lines.push(`**Fails the gate:** ${idList(gate.failing)}`, '');
  if (gate.warnings.length) lines.push(`**Warnings:** ${idList(gate.warnings)}`, '');
  if (gate.newlyPassing.length) lines.push(`**Newly passing:** ${idList(gate.newlyPassing)}`, '');
  for (const error of [...gate.errors, ...summary.runErrors]) lines.push(`**Error:** ${cell(error)}`, '');

  for (const group of groupByOperation(report.requirements)) {
    lines.push(`## ${cell(group.operation)}`, '', '| ID | Level | Status | Title |', '| --- | --- | --- | --- |');
    for (const row of group.rows) {
      const note = row.inconclusive ? ' (inconclusive)' : '';
      lines.push(`| ${row.id} | ${row.level} | ${STATUS_LABEL[row.status]}${note} | ${cell(row.title)} |`);
    }
    lines.push('');
  }

  const notes = report.requirements.filter((row) => row.reason || row.observations.length);
  if (notes.length) {
    lines.push('## Notes', '', 'Why requirements were skipped, and what the tests saw.', '');
    for (const row of notes) {
      const details = [...(row.reason ? [`skipped: ${row.reason}`] : []), ...row.observations];
      lines.push(`- **${row.id}** (${row.level}): ${details.map(cell).join('; ')}`);
    }
    lines.push('');
  }

  const failures = report.requirements.filter((row) => row.status === 'failed');
  if (failures.length) {
    lines.push('## Failures', '');
    for (const row of failures) {
      lines.push(`### ${row.id} (${row.level}): ${cell(row.title)}`, '');
      lines.push(markdownFence(row.message ?? '(no message)'), '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
