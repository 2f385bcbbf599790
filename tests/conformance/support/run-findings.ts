// Records what the exchange rules find. A breach seen while a test runs becomes an annotation of
// that test. One seen outside any test (the global setup's probe, a worker's last clean-up
// deletes) is spooled to a file of the run's state folder, and the next test that absorbs the
// spool (the run's first and its last) carries it, so nothing is lost between shards either.
import { appendFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type TestInfo, test } from '@playwright/test';
import { contract } from '../../../specs/contract.js';
import type { Exchange } from './exchange.js';
import { judgeExchange, type RuleContext } from './exchange-rules.js';
import { encodeFinding, FINDING_ANNOTATION, type FindingRecord } from './finding-record.js';
import { RUN_STATE_VARIABLE, targetLost } from './target-lost.js';
import { violationMessage } from './verdicts.js';

// Enough to show what kind of breach it is; the rest of one test's breaches are only counted,
// so a server that answers 500 to everything does not bloat the report.
const SHOWN_PER_REQUIREMENT = 3;
const SPOOL_PREFIX = 'findings-';

/** The running test, or undefined between tests and outside workers. */
export function currentTest(): TestInfo | undefined {
  try {
    return test.info();
  } catch {
    return undefined;
  }
}

interface Shown {
  record: FindingRecord;
  annotation: { type: string; description?: string };
  count: number;
}

const shownByTest = new WeakMap<TestInfo, Map<string, Shown>>();

function annotate(info: TestInfo, finding: Omit<FindingRecord, 'more'>, more = 0): void {
  const shown = shownByTest.get(info) ?? new Map<string, Shown>();
  shownByTest.set(info, shown);
  const last = shown.get(finding.requirement);
  if (last && last.count >= SHOWN_PER_REQUIREMENT) {
    // Annotations are read when the test ends, so the last one shown can still count the rest.
    last.record.more += 1 + more;
    last.annotation.description = encodeFinding(last.record);
    return;
  }
  const record = { ...finding, more };
  const annotation = { type: FINDING_ANNOTATION, description: encodeFinding(record) };
  info.annotations.push(annotation);
  shown.set(finding.requirement, { record, annotation, count: (last?.count ?? 0) + 1 });
}

function spoolPath(): string | undefined {
  const dir = process.env[RUN_STATE_VARIABLE];
  return dir ? join(dir, `${SPOOL_PREFIX}${process.pid}.jsonl`) : undefined;
}

/**
 * Records a breach for the test that sent the request, when that test is still the one
 * running; otherwise (the test has ended, or there is none) for the next test that absorbs
 * the spool.
 */
export function recordFinding(finding: Omit<FindingRecord, 'more'>, sender: TestInfo | undefined): void {
  if (sender && currentTest() === sender) {
    annotate(sender, finding);
    return;
  }
  const path = spoolPath();
  if (!path) return;
  try {
    appendFileSync(path, `${encodeFinding({ ...finding, more: 0 })}\n`);
  } catch {
    // The run's state folder is gone: the run is over, and no test is left to carry it.
  }
}

/** Prefix of the transport error of a request the client did not send (the target was lost). */
export const NOT_SENT = 'not sent: ';

/** Judges one exchange by every exchange rule and records each breach for the test that sent it. */
export function judgeAndRecord(exchange: Exchange, context: RuleContext, sender: TestInfo | undefined): void {
  // A request not sent, or sent to a target since lost, says nothing about the server's rules.
  if (exchange.transportError?.startsWith(NOT_SENT) || targetLost() !== undefined) return;
  for (const breach of judgeExchange(exchange, context)) {
    const message = violationMessage(contract().requirement(breach.requirement), breach.expected, [exchange]);
    recordFinding({ requirement: breach.requirement, message }, sender);
  }
}

/** Moves every spooled finding of the run into the running test's annotations. */
export function absorbSpooledFindings(info: TestInfo): void {
  const dir = process.env[RUN_STATE_VARIABLE];
  if (!dir) return;
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.startsWith(SPOOL_PREFIX));
  } catch {
    return;
  }
  for (const name of files.sort()) {
    const path = join(dir, name);
    const text = readFileSync(path, 'utf8');
    rmSync(path, { force: true });
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const record = JSON.parse(line) as FindingRecord;
      annotate(info, record, record.more);
    }
  }
}
