// Records what the exchange rules find: as an annotation of the running test, or, outside any test,
// in the spool (annotation-spool.ts) for the next test that takes it.
import { type TestInfo, test } from '@playwright/test';
import {
  decodeFinding,
  encodeFinding,
  FINDING_ANNOTATION,
  type FindingRecord,
} from '../../../runtime/report-annotations.js';
import { targetLost } from '../../../runtime/target-lost.js';
import { contract } from '../../../specs/contract.js';
import { spoolAnnotation, takeSpooledAnnotations } from './annotation-spool.js';
import type { Exchange } from './exchange.js';
import { judgeExchange, type RuleContext } from './exchange-rules.js';
import { violationMessage } from './verdicts.js';

// Enough to show what kind of breach it is; the rest of one test's breaches are only counted,
// so a server that answers 500 to everything does not bloat the report.
const SHOWN_PER_REQUIREMENT = 3;

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
  spoolAnnotation({ type: FINDING_ANNOTATION, description: encodeFinding({ ...finding, more: 0 }) });
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

/** Moves every spooled annotation of the run into the running test's annotations, findings counted as such. */
export function absorbSpooledAnnotations(info: TestInfo): void {
  for (const annotation of takeSpooledAnnotations()) {
    const finding = annotation.type === FINDING_ANNOTATION ? decodeFinding(annotation.description) : undefined;
    if (finding) annotate(info, finding, finding.more);
    else info.annotations.push(annotation);
  }
}
