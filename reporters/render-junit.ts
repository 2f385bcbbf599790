// reports/junit.xml: the gate's view for CI test dashboards, one case per catalog requirement. Only
// gate failures are <failure>; a SHOULD or MAY that failed passes, its message kept as a warning.
import { groupByOperation } from './group.js';
import type { ConformanceReport, RequirementRow } from './report-types.js';
import { escapeXml as esc } from './text.js';

/** A message's first line, for the attribute; the whole message goes in the element. */
function headline(text: string): string {
  return text.split('\n').find((line) => line.trim()) ?? text;
}

// XML 1.0 allows no control characters but tab, newline and return, even escaped.
const NOT_XML = /(?![\t\n\r])\p{Cc}|\ufffe|\uffff/gu;

function xmlText(text: string): string {
  return esc(text.replace(NOT_XML, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

function testCase(
  row: RequirementRow,
  failing: ReadonlySet<string>,
): { xml: string; kind: 'failure' | 'skipped' | 'passed' } {
  const open = `<testcase classname="${xmlText(row.operation)}" name="${xmlText(`${row.id} (${row.level}) ${row.title}`)}" time="0">`;
  if (failing.has(row.id)) {
    const message = row.message ?? 'failed without a message';
    return {
      kind: 'failure',
      xml: `${open}<failure type="${row.level}" message="${xmlText(headline(message))}">${xmlText(message)}</failure></testcase>`,
    };
  }
  if (row.status === 'skipped' || row.status === 'untested') {
    const reason = row.reason ?? 'no test of this run judged it';
    return { kind: 'skipped', xml: `${open}<skipped message="${xmlText(headline(reason))}"/></testcase>` };
  }
  const warning = row.status === 'failed' || row.status === 'flaky' ? row.message : null;
  const out = warning
    ? `<system-out>${xmlText(`warning (${row.level}, does not fail the gate): ${warning}`)}</system-out>`
    : '';
  return { kind: 'passed', xml: `${open}${out}</testcase>` };
}

export function renderJunit(report: ConformanceReport): string {
  const failing = new Set(report.summary.gate.failing);
  const seconds = Math.max(0, (Date.parse(report.endedAt) - Date.parse(report.startedAt)) / 1000).toFixed(3);
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const group of groupByOperation(report.requirements)) {
    const cases = group.rows.map((row) => testCase(row, failing));
    const count = (kind: string) => cases.filter((entry) => entry.kind === kind).length;
    tests += cases.length;
    failures += count('failure');
    skipped += count('skipped');
    suites.push(
      `<testsuite name="${xmlText(group.operation)}" tests="${cases.length}" failures="${count('failure')}" errors="0" skipped="${count('skipped')}" time="0">\n${cases.map((entry) => entry.xml).join('\n')}\n</testsuite>`,
    );
  }
  const targetError = report.summary.targetError;
  if (targetError) {
    tests += 1;
    suites.push(
      `<testsuite name="target" tests="1" failures="0" errors="1" skipped="0" time="0">\n<testcase classname="target" name="the target can be tested" time="0"><error message="${xmlText(headline(targetError))}">${xmlText(targetError)}</error></testcase>\n</testsuite>`,
    );
  }
  const errors = targetError ? 1 : 0;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="Users API conformance: ${report.summary.verdict.toUpperCase()}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds}">
${suites.join('\n')}
</testsuites>
`;
}
