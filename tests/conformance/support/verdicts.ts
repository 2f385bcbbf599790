// Turns findings into test outcomes. A violation fails the test with a message that names the
// requirement, says what the contract expects, and shows each exchange with a curl command.
// A precondition that the server did not meet skips the test instead: the requirement it
// needs is failed by its own test, and this one cannot be judged.
import { test } from '@playwright/test';
import { withoutKey } from '../../../runtime/key-redaction.js';
import { CONFIGURATION_ANNOTATION } from '../../../runtime/report-annotations.js';
import { contract, type Requirement } from '../../../specs/contract.js';
import type { Check } from './checks.js';
import { describeExchange, type Exchange } from './exchange.js';

export const REQUIREMENT_ANNOTATION = 'requirement';

/** The requirement the running test checks, from the annotation its title carries. */
export function currentRequirement(): Requirement {
  const annotation = test.info().annotations.find((entry) => entry.type === REQUIREMENT_ANNOTATION);
  if (!annotation?.description) throw new Error('verify() was called outside a requirement test');
  return contract().requirement(annotation.description);
}

/** A requirement the server broke. Its message is the whole failure report. */
export class RequirementViolation extends Error {
  override name = 'RequirementViolation';
}

function header(requirement: Requirement): string {
  return `${requirement.id} (${requirement.level}, ${requirement.decision}): ${requirement.title}`;
}

/** The whole failure report: the requirement, what was expected, and each exchange with a curl command. */
export function violationMessage(requirement: Requirement, expected: string, exchanges: Exchange[]): string {
  const parts = [header(requirement), `Expected:  ${expected}`, ...exchanges.map(describeExchange)];
  return withoutKey(parts.join('\n'));
}

/** Fails the running test with what was expected, what was observed, and the exchanges behind it. */
export function violation(expected: string, exchanges: Exchange[] = []): never {
  throw new RequirementViolation(violationMessage(currentRequirement(), expected, exchanges));
}

function findings(exchange: Exchange, checks: Check[]): string[] {
  return checks.map((check) => check(exchange)).filter((finding) => finding !== undefined);
}

/** Fails the running test unless the exchange passes every check. */
export function verify(exchange: Exchange, ...checks: Check[]): void {
  const failed = findings(exchange, checks);
  if (failed.length) violation(failed.join('\n           '), [exchange]);
}

/** Fails the running test when the condition does not hold. */
export function verifyThat(condition: boolean, expected: string, exchanges: Exchange[] = []): void {
  if (!condition) violation(expected, exchanges);
}

/** Skips the running test when a step it depends on did not work; the reason names the step. */
export function precondition(step: string, exchange: Exchange, ...checks: Check[]): void {
  const failed = findings(exchange, checks);
  if (!failed.length) return;
  const status = exchange.response ? `${exchange.response.status}` : `no answer (${exchange.transportError})`;
  test.skip(
    true,
    withoutKey(
      `Not judged: ${step} did not work (${exchange.request.method} ${exchange.request.url} → ${status}; expected ${failed.join('; ')}).`,
    ),
  );
}

/**
 * Skips the running test when a setting the user chose leaves it nothing to judge: no API_KEY
 * (D10), no SECOND_APP_ID (D11), an app larger than PAGE_BUDGET pages (D4). The gate excuses
 * such a requirement, and the report lists it, where any other unjudged one makes a run
 * incomplete.
 */
export function skipForConfiguration(condition: boolean, setting: string, reason: string): void {
  if (!condition) return;
  test.info().annotations.push({ type: CONFIGURATION_ANNOTATION, description: setting });
  test.skip(true, reason);
}

/** Skips the running test as inconclusive: the target changed under it in a way no retry avoided. */
export function inconclusive(reason: string): never {
  const told = withoutKey(reason);
  test.info().annotations.push({ type: 'inconclusive', description: told });
  test.skip(true, `Inconclusive: ${told}`);
  throw new Error('unreachable: test.skip throws');
}
