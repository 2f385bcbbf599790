// The few lines printed at the end of a run (and by `npm run gate`): the verdict, the counts,
// each failed MUST (and any other requirement that fails the gate), and the gate's errors.
import { totalCounts } from './build-report.js';
import type { ConformanceReport, Counts } from './report-types.js';
import { LEVELS } from './report-types.js';

/** At most this many failing requirements are listed; the rest are counted. */
export const LISTED_FAILURES = 15;

function passing(counts: Counts): number {
  return counts.passed + counts.flaky;
}

function size(counts: Counts): number {
  return counts.passed + counts.failed + counts.skipped + counts.untested + counts.flaky;
}

export function renderSummary(report: ConformanceReport, label = 'Users API conformance'): string[] {
  const { summary } = report;
  const { gate } = summary;
  const total = totalCounts(summary.counts);
  const policy = `gate: ${gate.policy}${gate.baseline ? `, baseline ${gate.baseline}` : ''}`;
  const verdict = summary.verdict === 'pass' ? 'PASS' : 'FAIL';
  // A run that did not finish is no verdict on the target: say so first, and why, before any count.
  const lines = report.complete
    ? [`${label}: ${verdict} (${policy})`]
    : [
        `${label}: FAIL, INCOMPLETE: the run did not finish (${policy})`,
        ...summary.runErrors.map((e) => `  error: ${e}`),
      ];
  const perLevel = LEVELS.map((level) => `${level} ${passing(summary.counts[level])}/${size(summary.counts[level])}`);
  lines.push(
    `  passed ${perLevel.join(', ')}; failed ${total.failed}, flaky ${total.flaky}, skipped ${total.skipped}, untested ${total.untested}`,
  );
  // A pass with MUSTs nobody judged is not the same pass: say so where the verdict is read.
  const unjudged = report.requirements.filter(
    (row) => row.level === 'MUST' && (row.status === 'skipped' || row.status === 'untested'),
  );
  if (unjudged.length) {
    lines.push(
      `  ! ${unjudged.length} MUST not judged (skipped or untested): ${unjudged.map((row) => row.id).join(', ')}`,
    );
  }
  const failing = new Set(gate.failing);
  const listed = report.requirements.filter(
    (row) => failing.has(row.id) || (row.level === 'MUST' && row.status === 'failed'),
  );
  for (const row of listed.slice(0, LISTED_FAILURES)) {
    const note =
      gate.baseline && row.status === 'failed'
        ? failing.has(row.id)
          ? ' [regression]'
          : ' [did not pass in the baseline]'
        : '';
    lines.push(`  ✗ ${row.id} (${row.level}) ${row.title}${note}`);
  }
  if (listed.length > LISTED_FAILURES) lines.push(`  … and ${listed.length - LISTED_FAILURES} more`);
  if (gate.newlyPassing.length) lines.push(`  newly passing: ${gate.newlyPassing.join(', ')}`);
  for (const error of [...gate.errors, ...(report.complete ? summary.runErrors : [])]) lines.push(`  error: ${error}`);
  return lines;
}
