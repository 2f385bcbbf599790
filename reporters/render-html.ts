// reports/conformance.html: one self-contained page that makes no request (its CSP enforces that).
// Every string from the run is escaped, because messages hold server output.
import { totalCounts } from './build-report.js';
import { groupByOperation, statusWord } from './group.js';
import { exerciseLines } from './render-exercise.js';
import { targetLine } from './render-markdown.js';
import { type ConformanceReport, LEVELS, type RequirementRow, STATUSES } from './report-types.js';
import { escapeXml as esc } from './text.js';

export const PAGE_STYLE = `
:root { color-scheme: light; font-family: system-ui, sans-serif; font-size: 14px; color: #1f2328; }
body { margin: 0 auto; padding: 1rem 2rem 3rem; max-width: 1200px; }
h1 { font-size: 1.6rem; margin: .5rem 0; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .4rem; }
.verdict-pass { color: #1a7f37; } .verdict-fail, .verdict-error { color: #cf222e; } .verdict-incomplete { color: #9a6700; }
.meta { color: #57606a; margin: .2rem 0 .8rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.counts { width: auto; }
.status-passed { background: #dafbe1; } .status-failed { background: #ffebe9; }
.status-failed.warning { background: #fff1d6; } .observed { background: #ddf4ff; }
.status-flaky { background: #fff8c5; } .status-skipped { background: #eaeef2; }
.status-untested { background: #ffffff; color: #57606a; }
td.id { font-family: ui-monospace, monospace; white-space: nowrap; }
td.status { white-space: nowrap; font-weight: 600; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; padding: .5rem; margin: .3rem 0 0; }
tr.details > td { padding: 0 .5rem .4rem; border-top: none; }
details summary { cursor: pointer; color: #0969da; }
.reason { color: #57606a; margin-top: .2rem; }
#filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 1rem 0; }
#filters fieldset { border: 1px solid #d0d7de; padding: .2rem .6rem; }
#filters label { margin-right: .6rem; white-space: nowrap; }
.gate li { margin: .15rem 0; }
`;

function countsTable(report: ConformanceReport): string {
  const head = STATUSES.map((status) => `<th class="num status-${status}">${esc(status)}</th>`).join('');
  const body = LEVELS.map((level) => {
    const counts = report.summary.counts[level];
    const cells = STATUSES.map(
      (status) => `<td class="num" data-level-count="${level}-${status}">${counts[status]}</td>`,
    );
    return `<tr><th>${level}</th>${cells.join('')}</tr>`;
  }).join('\n');
  return `<table class="counts"><thead><tr><th>Level</th>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function idLinks(ids: readonly string[]): string {
  return ids.map((id) => `<a href="#${esc(id)}">${esc(id)}</a>`).join(', ');
}

function gateNotes(report: ConformanceReport): string {
  const { gate, runErrors, targetError } = report.summary;
  const items: string[] = [];
  if (targetError) items.push(`<li><strong>The target could not be tested:</strong> ${esc(targetError)}</li>`);
  if (gate.failing.length) items.push(`<li><strong>Fails the gate:</strong> ${idLinks(gate.failing)}</li>`);
  if (gate.notJudged?.length) items.push(`<li><strong>Not judged:</strong> ${idLinks(gate.notJudged)}</li>`);
  if (gate.noLongerJudged?.length)
    items.push(`<li><strong>Passed in the baseline, not judged now:</strong> ${idLinks(gate.noLongerJudged)}</li>`);
  if (gate.notJudgedByConfiguration?.length)
    items.push(`<li><strong>Not judged by your settings:</strong> ${idLinks(gate.notJudgedByConfiguration)}</li>`);
  if (gate.warnings.length) items.push(`<li><strong>Warnings:</strong> ${idLinks(gate.warnings)}</li>`);
  if (gate.newlyPassing.length) items.push(`<li><strong>Newly passing:</strong> ${idLinks(gate.newlyPassing)}</li>`);
  for (const error of new Set([...gate.errors, ...runErrors]))
    items.push(`<li><strong>Error:</strong> ${esc(error)}</li>`);
  if (!report.complete) items.push('<li><strong>Incomplete:</strong> the run did not finish.</li>');
  return items.length ? `<ul class="gate">${items.join('')}</ul>` : '';
}

function exerciseNotes(report: ConformanceReport): string {
  const lines = exerciseLines(report);
  return lines.length
    ? `<h2>What the run exercised</h2><ul id="exercise">${lines.map((line) => `<li>${esc(line)}</li>`).join('')}</ul>`
    : '';
}

function filters(total: number): string {
  const levels = LEVELS.map(
    (level) => `<label><input type="checkbox" name="level" value="${level}" checked> ${level}</label>`,
  ).join('');
  const statuses = STATUSES.map(
    (status) => `<label><input type="checkbox" name="status" value="${status}" checked> ${esc(status)}</label>`,
  ).join('');
  return `<form id="filters" onsubmit="return false">
<fieldset><legend>Level</legend>${levels}</fieldset>
<fieldset><legend>Status</legend>${statuses}</fieldset>
<p><output id="shown-count">${total}</output> shown of ${total}</p>
</form>`;
}

function detailCell(row: RequirementRow): string {
  const parts = [esc(row.title)];
  if (row.reason !== null) {
    parts.push(`<div class="reason">${row.inconclusive ? 'Inconclusive. ' : ''}${esc(row.reason)}</div>`);
  }
  return parts.join('');
}

/** A requirement's row, and under it, the width of the table, its failure message. */
function requirementRows(row: RequirementRow, failing: ReadonlySet<string>): string {
  const warning = row.status === 'failed' && !failing.has(row.id) ? ' warning' : '';
  const observed = row.level === 'MAY' && row.status === 'passed' ? ' observed' : '';
  const attributes = `data-status="${row.status}" data-level="${row.level}"`;
  const main =
    `<tr id="${esc(row.id)}" class="status-${row.status}${warning}${observed}" ${attributes}>` +
    `<td class="id">${esc(row.id)}</td><td>${row.level}</td><td class="status">${esc(statusWord(row, failing))}</td>` +
    `<td>${detailCell(row)}</td></tr>`;
  if (row.message === null) return main;
  const label = row.status === 'flaky' ? 'Failure before the retry passed' : warning ? 'Warning' : 'Failure';
  return `${main}\n<tr class="details" data-details-of="${esc(row.id)}"><td colspan="4"><details><summary>${label}: ${esc(row.id)}</summary><pre>${esc(row.message)}</pre></details></td></tr>`;
}

const FILTER_SCRIPT = `
(function () {
  var form = document.getElementById('filters');
  var counter = document.getElementById('shown-count');
  function checked(name) {
    var values = {};
    form.querySelectorAll('input[name="' + name + '"]:checked').forEach(function (input) { values[input.value] = true; });
    return values;
  }
  function apply() {
    var levels = checked('level'), statuses = checked('status'), shown = 0;
    document.querySelectorAll('tr[data-status]').forEach(function (row) {
      var visible = !!levels[row.getAttribute('data-level')] && !!statuses[row.getAttribute('data-status')];
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    document.querySelectorAll('tr.details').forEach(function (row) {
      row.hidden = !!document.getElementById(row.getAttribute('data-details-of')).hidden;
    });
    document.querySelectorAll('section.operation').forEach(function (section) {
      section.hidden = !section.querySelector('tr[data-status]:not([hidden])');
    });
    counter.textContent = String(shown);
  }
  form.addEventListener('change', apply);
  apply();
})();
`;

export function renderHtml(report: ConformanceReport): string {
  const { summary } = report;
  const total = totalCounts(summary.counts);
  const countAttributes = STATUSES.map((status) => ` data-count-${status}="${total[status]}"`).join('');
  const failing = new Set(summary.gate.failing);
  const sections = groupByOperation(report.requirements).map(
    (group) => `<section class="operation" data-operation="${esc(group.operation)}">
<h2>${esc(group.operation)}</h2>
<table><thead><tr><th>ID</th><th>Level</th><th>Status</th><th>Requirement</th></tr></thead><tbody>
${group.rows.map((row) => requirementRows(row, failing)).join('\n')}
</tbody></table>
</section>`,
  );
  const verdict = summary.verdict.toUpperCase();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Users API conformance: ${verdict}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header id="summary" data-verdict="${summary.verdict}" data-total="${report.requirements.length}"${countAttributes}>
<h1 class="verdict-${summary.verdict}">Users API conformance: ${verdict}</h1>
<p class="meta">Target: ${esc(targetLine(report))} · gate: ${esc(summary.gate.policy)}${
    summary.gate.baseline ? ` against ${esc(summary.gate.baseline)}` : ''
  } · ${esc(report.kit.name)} ${esc(report.kit.version)} · ${esc(report.startedAt)} to ${esc(report.endedAt)}</p>
${countsTable(report)}
${gateNotes(report)}
${exerciseNotes(report)}
</header>
<main>
${filters(report.requirements.length)}
${sections.join('\n')}
</main>
<script>${FILTER_SCRIPT}</script>
</body>
</html>
`;
}
