// The few lines printed at the end of a run and by the gate: the verdict first, then counts, gate
// failures, and what went unjudged and why. Long lists are cut and counted to keep it short.
import { totalCounts } from './build-report.js';
import type { ConformanceReport, Counts } from './report-types.js';
import { LEVELS } from './report-types.js';

/** At most this many failing requirements are listed; the rest are counted. */
export const LISTED_FAILURES = 15;
/** At most this many IDs of a list of unjudged requirements are named; the rest are counted. */
export const LISTED_IDS = 8;

function passing(counts: Counts): number {
  return counts.passed + counts.flaky;
}

function size(counts: Counts): number {
  return counts.passed + counts.failed + counts.skipped + counts.untested + counts.flaky;
}

/** IDs as a short line: the first few, then how many more. */
export function someIds(ids: readonly string[], limit = LISTED_IDS): string {
  const shown = ids.slice(0, limit).join(', ');
  return ids.length > limit ? `${shown} and ${ids.length - limit} more` : shown;
}

/**
 * The summary of a report. `reasonShown`: the reason the target could not be tested was printed
 * already (Playwright prints the global setup's error), so it is pointed at, not printed again.
 */
export function renderSummary(
  report: ConformanceReport,
  label = 'Users API conformance',
  reasonShown = false,
): string[] {
  const { summary } = report;
  const { gate } = summary;
  const policy = `gate: ${gate.policy}${gate.baseline ? `, baseline ${gate.baseline}` : ''}`;
  const verdict = summary.verdict.toUpperCase();
  if (summary.verdict === 'error') {
    // Nothing was judged of a target that could not be tested: the one reason is the answer.
    const reason = reasonShown ? 'the error above says why' : (summary.targetError ?? 'unknown reason');
    const lines = [`${verdict} ${label}: the target could not be tested: ${reason}`];
    for (const error of [...gate.errors, ...summary.runErrors]) lines.push(`  error: ${error}`);
    return lines;
  }
  const lines = [`${verdict} ${label} (${policy})`];
  if (!report.complete) lines.push('  the run did not finish: its results are partial');
  const total = totalCounts(summary.counts);
  const perLevel = LEVELS.map((level) => `${level} ${passing(summary.counts[level])}/${size(summary.counts[level])}`);
  lines.push(
    `  passed ${perLevel.join(', ')}; failed ${total.failed}, flaky ${total.flaky}, skipped ${total.skipped}, untested ${total.untested}`,
  );
  const notJudged = gate.notJudged ?? [];
  if (notJudged.length) lines.push(`  ! ${notJudged.length} gated requirements not judged: ${someIds(notJudged)}`);
  const noLonger = gate.noLongerJudged ?? [];
  if (noLonger.length) lines.push(`  ! passed in the baseline, not judged now: ${someIds(noLonger)}`);
  const byChoice = gate.notJudgedByConfiguration ?? [];
  if (byChoice.length) {
    const settings = [
      ...new Set(
        report.requirements.filter((row) => byChoice.includes(row.id)).map((row) => row.byConfiguration ?? ''),
      ),
    ];
    lines.push(`  not judged by your settings (${settings.join(', ')}): ${someIds(byChoice)}`);
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
  for (const error of new Set([...gate.errors, ...summary.runErrors])) lines.push(`  error: ${error}`);
  return lines;
}
