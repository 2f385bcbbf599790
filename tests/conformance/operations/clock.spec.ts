// Update User and the clock (D7). Named to sort first, as Playwright runs a project's files by
// name, so these tests' waits overlap other workers' tests instead of idling workers at the end.
import { statusIs, stringProperties, successful } from '../support/checks.js';
import type { Exchange } from '../support/exchange.js';
import { requirement, test } from '../support/requirement-test.js';
import { ADA, bodyOf, createAndRead, instant } from '../support/user-bodies.js';
import { precondition, verifyThat } from '../support/verdicts.js';

// More than a second, so that a clock of one-second resolution has moved on. Each test waits
// once, for all its users at the same time.
const CLOCK_RESOLUTION_WAIT_MS = 1_100;

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

test(...requirement('USR-UPDATE-UPDATED-AT'), async ({ api, names }) => {
  const changes = [{ first_name: 'Grace' }, { avatar: 'https://example.com/u.png' }, { ...ADA }];
  const usernames = changes.map(() => names.next());
  const befores = await Promise.all(usernames.map((username) => createAndRead(api, username)));
  for (const before of befores) await precondition('the GET before the update', before, stringProperties('updated_at'));
  await pause(CLOCK_RESOLUTION_WAIT_MS);
  const updates = await Promise.all(usernames.map((username, at) => api.updateUser(username, changes[at])));
  for (const exchange of updates) await precondition('an update', exchange, successful);
  const afters = await Promise.all(usernames.map((username) => api.getUser(username)));
  for (const exchange of afters)
    await precondition('the GET after the update', exchange, statusIs(200), stringProperties('updated_at'));
  for (const [at] of usernames.entries()) {
    const before = befores[at] as Exchange;
    const update = updates[at] as Exchange;
    const after = afters[at] as Exchange;
    const was = bodyOf(before)?.updated_at;
    const findings: string[] = [];
    const answered = bodyOf(update)?.updated_at;
    // A missing updated_at in the answer is USR-UPDATE-SHAPE's finding.
    if (answered !== undefined) {
      const finding = updatedAtFinding(was, answered);
      if (finding) findings.push(`the update's answer: ${finding}`);
    }
    const finding = updatedAtFinding(was, bodyOf(after)?.updated_at);
    if (finding) findings.push(`a later GET: ${finding}`);
    await verifyThat(
      findings.length === 0,
      `updated_at to change on update, to a time not earlier than ${JSON.stringify(was)} ` +
        `(more than ${CLOCK_RESOLUTION_WAIT_MS} ms passed between create and update); ${findings.join('; ')}`,
      [before, update, after],
    );
  }
});

/**
 * Why an updated_at does not satisfy D7, or undefined. Parseable timestamps are compared as
 * instants; others only as text for "changed" (their format is USR-USER-TIMESTAMPS-RFC3339's).
 */
function updatedAtFinding(was: unknown, now: unknown): string | undefined {
  const before = instant(was);
  const after = instant(now);
  if (before !== undefined && after !== undefined) {
    if (after === before) return `updated_at ${JSON.stringify(now)} names the same instant as before`;
    if (after < before) return `updated_at ${JSON.stringify(now)} is earlier than before`;
    return undefined;
  }
  return JSON.stringify(now) === JSON.stringify(was) ? `updated_at is still ${JSON.stringify(now)}` : undefined;
}

test(...requirement('USR-UPDATE-CREATED-AT'), async ({ api, names }) => {
  const changes = [{ first_name: 'Grace' }, { ...ADA }];
  const usernames = changes.map(() => names.next());
  const befores = await Promise.all(usernames.map((username) => createAndRead(api, username)));
  for (const before of befores) await precondition('the GET before the update', before, stringProperties('created_at'));
  await pause(CLOCK_RESOLUTION_WAIT_MS);
  const updates = await Promise.all(usernames.map((username, at) => api.updateUser(username, changes[at])));
  for (const exchange of updates) await precondition('an update', exchange, successful);
  const afters = await Promise.all(usernames.map((username) => api.getUser(username)));
  for (const exchange of afters) await precondition('the GET after the update', exchange, statusIs(200));
  for (const [at] of usernames.entries()) {
    const before = befores[at] as Exchange;
    const update = updates[at] as Exchange;
    const after = afters[at] as Exchange;
    const was = bodyOf(before)?.created_at;
    const findings: string[] = [];
    const answered = bodyOf(update)?.created_at;
    if (answered !== undefined && !sameTime(was, answered))
      findings.push(`the update's answer has ${JSON.stringify(answered)}`);
    const stored = bodyOf(after)?.created_at;
    if (!sameTime(was, stored))
      findings.push(`a later GET has ${stored === undefined ? 'none' : JSON.stringify(stored)}`);
    await verifyThat(
      findings.length === 0,
      `created_at to stay ${JSON.stringify(was)} after an update; ${findings.join('; ')}`,
      [before, update, after],
    );
  }
});

/** Two timestamps name the same time: the same instant when both parse, else the same text. */
function sameTime(a: unknown, b: unknown): boolean {
  const first = instant(a);
  const second = instant(b);
  if (first !== undefined && second !== undefined) return first === second;
  return JSON.stringify(a) === JSON.stringify(b);
}
