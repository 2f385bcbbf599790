// Turns findings into test outcomes: a violation fails, naming the requirement and showing curl; an
// unmet precondition skips instead, since the requirement it needs is failed by its own test.
import { test } from '@playwright/test';
import { withoutKey } from '../../../runtime/key-redaction.js';
import { CONFIGURATION_ANNOTATION } from '../../../runtime/report-annotations.js';
import { contract, type Requirement } from '../../../specs/contract.js';
import type { Check } from './checks.js';
import { describeExchange, type Exchange } from './exchange.js';

export const REQUIREMENT_ANNOTATION = 'requirement';

function requirementId(): string | undefined {
  return test.info().annotations.find((entry) => entry.type === REQUIREMENT_ANNOTATION)?.description;
}

/** The requirement the running test checks, from the annotation its title carries. */
export function currentRequirement(): Requirement {
  const id = requirementId();
  if (!id) throw new Error('verify() was called outside a requirement test');
  return contract().requirement(id);
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

/** A step's title: one line, short enough for the report's step tree. */
function stepTitle(kind: string, text: string): string {
  const line = withoutKey(text.replace(/\s+/g, ' ').trim());
  return `${kind}: ${line.length > STEP_TITLE_CHARS ? `${line.slice(0, STEP_TITLE_CHARS)}…` : line}`;
}

const STEP_TITLE_CHARS = 120;

/** What an exchange attachment holds: the request as sent and the answer as received, the key blanked out. */
function exchangeRecord(exchange: Exchange): string {
  const { request, response, transportError } = exchange;
  const received = response && {
    status: response.status,
    contentType: response.contentType,
    headers: response.headers,
    text: response.text,
  };
  // Each string is blanked before JSON escapes it: an echo written as `\/` would be `\\/` after.
  const blanked = (_key: string, value: unknown) => (typeof value === 'string' ? withoutKey(value) : value);
  return withoutKey(JSON.stringify({ request, response: received, transportError }, blanked, 2));
}

/**
 * The body of one verdict's step: runs the judgement and, when it fails or skips, attaches the
 * exchanges it judged to the step. Each verdict calls test.step itself, boxed, so a failure
 * points at the test's own line (a box reaches one call up from test.step), and the step's
 * title says which precondition or verification it was.
 */
function judged(exchanges: readonly Exchange[], judge: () => void): () => Promise<void> {
  return async () => {
    try {
      judge();
    } catch (outcome) {
      const info = test.info();
      for (const [index, exchange] of exchanges.entries()) {
        const name = exchanges.length > 1 ? `exchange ${index + 1} of ${exchanges.length}` : 'exchange';
        await info.attach(name, { body: exchangeRecord(exchange), contentType: 'application/json' });
      }
      throw outcome;
    }
  };
}

/** Fails the running test, in a step named for what was expected, with the exchanges behind it. */
export async function violation(expected: string, exchanges: Exchange[] = []): Promise<never> {
  await test.step(
    stepTitle('verify', expected),
    judged(exchanges, () => {
      throwViolation(expected, exchanges);
    }),
    { box: true },
  );
  throw new Error('unreachable: the step above always fails');
}

function findings(exchange: Exchange, checks: Check[]): string[] {
  return checks.map((check) => check(exchange)).filter((finding) => finding !== undefined);
}

function requestLine(exchange: Exchange): string {
  const { pathname, search } = new URL(exchange.request.url);
  return `${exchange.request.method} ${pathname}${search}`;
}

/** Fails the running test unless the exchange passes every check; a step of the test either way. */
export async function verify(exchange: Exchange, ...checks: Check[]): Promise<void> {
  const title = stepTitle(
    'verify',
    `${requestLine(exchange)} answers as ${requirementId() ?? 'the contract'} requires`,
  );
  await test.step(
    title,
    judged([exchange], () => {
      const failed = findings(exchange, checks);
      if (failed.length) throwViolation(failed.join('\n           '), [exchange]);
    }),
    { box: true },
  );
}

/** Fails the running test when the condition does not hold; a step named for what it expects. */
export async function verifyThat(condition: boolean, expected: string, exchanges: Exchange[] = []): Promise<void> {
  await test.step(
    stepTitle('verify', expected),
    judged(exchanges, () => {
      if (!condition) throwViolation(expected, exchanges);
    }),
    { box: true },
  );
}

function throwViolation(expected: string, exchanges: Exchange[]): never {
  throw new RequirementViolation(violationMessage(currentRequirement(), expected, exchanges));
}

/**
 * Skips the running test when a step it depends on did not work; the reason names the step,
 * and so does the precondition's own step in the report.
 */
export async function precondition(step: string, exchange: Exchange, ...checks: Check[]): Promise<void> {
  await test.step(
    stepTitle('precondition', step),
    judged([exchange], () => {
      const failed = findings(exchange, checks);
      if (!failed.length) return;
      const status = exchange.response ? `${exchange.response.status}` : `no answer (${exchange.transportError})`;
      test.skip(
        true,
        withoutKey(
          `Not judged: ${step} did not work (${exchange.request.method} ${exchange.request.url} → ${status}; expected ${failed.join('; ')}).`,
        ),
      );
    }),
    { box: true },
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
