// comparison.md and comparison.html of `npm run matrix`: one table of requirements by
// implementations. The HTML page is self-contained (inline CSS, no script, no request).
import type { Matrix, MatrixColumn } from './build-matrix.js';
import { percent } from './build-matrix.js';
import { STATUS_LABEL } from './group.js';
import { PAGE_STYLE } from './render-html.js';
import type { RequirementStatus } from './report-types.js';
import { escapeMarkdownCell as cell, escapeXml as esc } from './text.js';

/** Cell text of the HTML table, where colour carries the status and emoji fonts may be missing. */
const WORD: Record<RequirementStatus, string> = {
  passed: 'pass',
  failed: 'FAIL',
  skipped: 'skip',
  untested: '–',
  flaky: 'flaky',
};

const SYMBOL: Record<RequirementStatus, string> = {
  passed: '✅',
  failed: '❌',
  skipped: '⏭️',
  untested: '➖',
  flaky: '⚠️',
};

function compliance(column: MatrixColumn): string {
  return `${column.passing}/${column.total} (${percent(column.passing, column.total)})`;
}

export function renderMatrixMarkdown(matrix: Matrix): string {
  const lines = ['# Users API conformance matrix', ''];
  lines.push('| Implementation | Verdict | Compliance | MUST |', '| --- | --- | ---: | ---: |');
  for (const column of matrix.columns) {
    lines.push(
      `| ${cell(column.name)} | ${column.verdict === 'pass' ? '✅ PASS' : '❌ FAIL'} | ${compliance(column)} | ${column.mustPassing}/${column.mustTotal} |`,
    );
  }
  lines.push('', `Legend: ${Object.values(STATUS_LABEL).join(' · ')} · n/a: not in that report`, '');
  const header = `| Requirement | Level | ${matrix.columns.map((column) => cell(column.name)).join(' | ')} |`;
  const rule = `| --- | --- |${matrix.columns.map(() => ' :---: |').join('')}`;
  for (const group of matrix.groups) {
    lines.push(`## ${cell(group.operation)}`, '', header, rule);
    for (const row of group.rows) {
      const cells = matrix.columns.map((column) => {
        const status = column.statuses.get(row.id);
        return status ? SYMBOL[status] : 'n/a';
      });
      lines.push(`| ${row.id} ${cell(row.title)} | ${row.level} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function renderMatrixHtml(matrix: Matrix): string {
  const span = matrix.columns.length + 2;
  const head = matrix.columns
    .map(
      (column) =>
        `<th class="impl" data-verdict="${column.verdict}" data-compliance="${column.passing}/${column.total}">${esc(column.name)}<br><small>${esc(compliance(column))} · MUST ${column.mustPassing}/${column.mustTotal} · ${column.verdict === 'pass' ? 'PASS' : 'FAIL'}</small></th>`,
    )
    .join('');
  const body = matrix.groups
    .map((group) => {
      const rows = group.rows.map((row) => {
        const cells = matrix.columns.map((column) => {
          const status = column.statuses.get(row.id);
          return status
            ? `<td class="cell status-${status}" data-status="${status}" title="${esc(status)}">${WORD[status]}</td>`
            : '<td class="cell" data-status="absent" title="not in this report">n/a</td>';
        });
        return `<tr data-level="${row.level}"><td><span class="id">${esc(row.id)}</span> ${esc(row.title)}</td><td>${row.level}</td>${cells.join('')}</tr>`;
      });
      return `<tr class="operation"><th colspan="${span}">${esc(group.operation)}</th></tr>\n${rows.join('\n')}`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Users API conformance matrix</title>
<style>${PAGE_STYLE}
td.cell { text-align: center; } th.impl { min-width: 8rem; } tr.operation th { background: #eaeef2; }
span.id { font-family: ui-monospace, monospace; }</style>
</head>
<body>
<h1>Users API conformance matrix</h1>
<p class="meta">${matrix.columns.length} implementations, worst to best · ${Object.entries(WORD)
    .map(([status, word]) => `<span class="status-${status}">${esc(word)}</span> ${status}`)
    .join(' · ')} · n/a: not in that report</p>
<table id="matrix"><thead><tr><th>Requirement</th><th>Level</th>${head}</tr></thead>
<tbody>
${body}
</tbody></table>
</body>
</html>
`;
}
