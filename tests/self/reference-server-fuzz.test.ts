// Fuzzing the reference server with fast-check (D9, E15): batches of generated requests in random
// modes, every answer judged, then the user invariants at rest, until REQUEST_QUOTA requests.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type RawOutcome, sendAll } from '../../bench/send-raw.js';
import { checkUserInvariants, startLedger } from '../../bench/user-invariants.js';
import type { UserLedger } from '../../bench/user-ledger.js';
import { visible } from '../../bench/visible-text.js';
import type { FaultName } from '../../server/faults.js';
import { MODES, type Mode } from '../../server/mode.js';
import { JSON_CONTENT_TYPE } from '../../server/respond.js';
import { describeRequest, type FuzzRequest, fuzzRequest } from './support/fuzz-requests.js';
import { apiClient, startTestApi } from './support/reference-server-harness.js';

// A failure prints fast-check's seed and path; FUZZ_SEED=<seed> FUZZ_PATH=<path> replays it.
const DEFAULT_SEED = 20261128;
const SEED = Number(process.env.FUZZ_SEED ?? DEFAULT_SEED);
const REPLAY_PATH = process.env.FUZZ_PATH;
const REQUEST_QUOTA = 10_000;
// fast-check counts runs, not requests, and batch lengths vary: runs are asked for a round at a
// time (seeds SEED, SEED + 1, ...) until the quota is sent.
const RUNS_PER_ROUND = 4;
const MAX_ROUNDS = 20;
// size 'max': lengths spread over the whole range, not fast-check's default of about ten.
const BATCH_LENGTH = { minLength: 1, maxLength: 700, size: 'max' } as const;
const REQUESTS_IN_FLIGHT = 24;
const REQUEST_TIMEOUT_MS = 5_000;
const BATCH_TIME_LIMIT_MS = 20_000;
const FUZZ_TIME_LIMIT_MS = 90_000;
const FINDINGS_SHOWN = 8;

const API_KEY = 'Bearer fuzz-key';
const SEEDED_APP = 'fuzz';
const TARGET = {
  // The seeded app, an empty one, and two whose ids need encoding or are long.
  apps: [SEEDED_APP, 'fuzz-two', 'é 😀/app', 'a'.repeat(300)],
  // Reused names, three of them seeded, so that creates collide and deletes find users.
  usernames: ['ada', 'bob', 'user-000001', 'user-000007', 'user-000030'],
  apiKey: API_KEY,
  apiKeyHeader: 'authorization',
};
const SEEDED_USERS = 30;
const WALK = { pageSize: 7, maxPages: 500 };

/** What broke in one run: the first findings in the message, all of them in `findings`. */
class FuzzFindings extends Error {
  override name = 'FuzzFindings';

  constructor(
    readonly findings: readonly string[],
    run: string,
  ) {
    const shown = findings.slice(0, FINDINGS_SHOWN).map((finding) => `- ${finding}`);
    const more = findings.length > FINDINGS_SHOWN ? [`- and ${findings.length - FINDINGS_SHOWN} more`] : [];
    super([`${findings.length} finding(s), ${run}:`, ...shown, ...more].join('\n'));
  }
}

/** The findings of a failed fast-check run. */
function findingsOf(details: { errorInstance: unknown }): readonly string[] {
  assert.ok(details.errorInstance instanceof FuzzFindings, `not a finding: ${String(details.errorInstance)}`);
  return details.errorInstance.findings;
}

/** One generated batch against a server with `faults`, in the generated mode. */
function fuzzProperty(
  faults: readonly FaultName[],
  sent: { count: number },
  maxLength: number = BATCH_LENGTH.maxLength,
): fc.IAsyncPropertyWithHooks<[Mode, FuzzRequest[]]> {
  return fc.asyncProperty(
    fc.constantFrom<Mode>(...MODES),
    fc.array(fuzzRequest(TARGET), { ...BATCH_LENGTH, maxLength }),
    async (mode, batch) => {
      const findings = await fuzzOnce(mode, faults, batch);
      sent.count += batch.length;
      if (findings.length > 0) throw new FuzzFindings(findings, `${mode} mode, ${batch.length} requests`);
    },
  );
}

async function fuzzOnce(mode: Mode, faults: readonly FaultName[], batch: readonly FuzzRequest[]): Promise<string[]> {
  const api = await startTestApi({
    mode,
    faults,
    apiKey: API_KEY,
    seed: [{ appId: SEEDED_APP, users: SEEDED_USERS }],
  });
  try {
    const client = apiClient(api.url, { [TARGET.apiKeyHeader]: API_KEY });
    const ledger = await startLedger(client, TARGET.apps);
    const outcomes = await sendAll(api.url, batch, {
      concurrency: REQUESTS_IN_FLIGHT,
      timeoutMs: REQUEST_TIMEOUT_MS,
      totalMs: BATCH_TIME_LIMIT_MS,
    });
    const findings = batch.flatMap((request, at) => judge(request, outcomes[at] as RawOutcome, ledger));
    findings.push(...(await checkUserInvariants(client, ledger, WALK)));
    if (api.server.unexpectedErrors > 0) {
      findings.push(
        `the last-resort 500 handler was reached ${api.server.unexpectedErrors} time(s): an error escaped an operation; D9.`,
      );
    }
    if (({} as Record<string, unknown>).polluted !== undefined) findings.push('Object.prototype was polluted.');
    return findings;
  } finally {
    await api.server.close();
  }
}

/** Findings about one answer, and what it did, written into the ledger. */
function judge(request: FuzzRequest, outcome: RawOutcome, ledger: UserLedger): string[] {
  const sent = `Sent: ${describeRequest(request)}`;
  if ('error' in outcome) {
    noteUnanswered(request, ledger);
    return [`${sent}. Received nothing: ${outcome.error}; D9: every request gets an answer.`];
  }
  const contentType = outcome.headers['content-type'] ?? 'no content type';
  const received = `Received: ${outcome.status} (${contentType}) ${outcome.text === '' ? 'no body' : visible(outcome.text, 200)}`;
  const fail = (rule: string) => `${sent}. ${received}. ${rule}`;
  const findings: string[] = [];
  const success = outcome.status >= 200 && outcome.status < 300;
  if (outcome.status >= 500) findings.push(fail('D9: no request gets a 5xx.'));
  if (outcome.text !== '' && (outcome.headers['content-type'] !== JSON_CONTENT_TYPE || !isJson(outcome.text))) {
    findings.push(fail(`D9: every body is JSON, sent as ${JSON_CONTENT_TYPE}.`));
  }
  if (success && request.key !== 'right') findings.push(fail('D10: without the right key, 401 or 403.'));
  if (success && request.about === undefined) {
    findings.push(fail("D1, D2: a path without the route's shape names nothing, so it is 4xx."));
  }
  const line = `${request.method} ${visible(request.target, 80)} → ${outcome.status}`;
  const broken = recordEffect(request, line, success, ledger);
  if (broken !== undefined) findings.push(fail(broken));
  return findings;
}

// What the request did to the users, as far as its answer says: a 2xx create or delete
// changes the ledger; anything else about a user goes into its history for the messages.
// Answers the rule broken when a create succeeded without a username to record.
function recordEffect(request: FuzzRequest, line: string, success: boolean, ledger: UserLedger): string | undefined {
  const about = request.about;
  if (about === undefined) return undefined;
  if (about.username !== undefined) {
    if (success && request.method === 'DELETE') ledger.deleted(about.appId, about.username, line);
    else ledger.touched(about.appId, about.username, line);
    return undefined;
  }
  if (request.method !== 'POST') return undefined;
  const username = usernameIn(request.body);
  if (username === undefined) return success ? 'D5: a create without a non-empty string username is 4xx.' : undefined;
  if (success) ledger.created(about.appId, username, line);
  else ledger.touched(about.appId, username, line);
  return undefined;
}

// A create or delete that got no answer may or may not have happened.
function noteUnanswered(request: FuzzRequest, ledger: UserLedger): void {
  const about = request.about;
  const line = `${request.method} ${visible(request.target, 80)} → no answer`;
  if (about?.username !== undefined && request.method === 'DELETE') {
    ledger.unanswered(about.appId, about.username, line);
  }
  const created = request.method === 'POST' && about?.username === undefined ? usernameIn(request.body) : undefined;
  if (about !== undefined && created !== undefined) ledger.unanswered(about.appId, created, line);
}

/** The non-empty username a create body asks for, read the way a server reads JSON. */
function usernameIn(body: string | Buffer | undefined): string | undefined {
  if (body === undefined) return undefined;
  try {
    const json = JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as unknown;
    const username = (json as { username?: unknown } | null)?.username;
    return typeof username === 'string' && username !== '' ? username : undefined;
  } catch {
    return undefined;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('fuzzing the reference server', () => {
  test(`at least ${REQUEST_QUOTA.toLocaleString('en-US')} generated requests: no 5xx, no crash, the invariants hold`, {
    timeout: FUZZ_TIME_LIMIT_MS + 30_000,
  }, async (t) => {
    const sent = { count: 0 };
    const started = performance.now();
    if (REPLAY_PATH !== undefined) {
      t.diagnostic(`replaying seed ${SEED}, path ${REPLAY_PATH}`);
      await fc.assert(fuzzProperty([], sent), {
        seed: SEED,
        path: REPLAY_PATH,
        endOnFailure: true,
        includeErrorInReport: true,
      });
      return;
    }
    let rounds = 0;
    for (; sent.count < REQUEST_QUOTA; rounds++) {
      assert.ok(rounds < MAX_ROUNDS, `only ${sent.count} requests after ${rounds} rounds of ${RUNS_PER_ROUND} runs`);
      const left = FUZZ_TIME_LIMIT_MS - (performance.now() - started);
      await fc.assert(fuzzProperty([], sent), {
        seed: SEED + rounds,
        numRuns: RUNS_PER_ROUND,
        // The findings in the message itself: node:test does not print an error's cause.
        includeErrorInReport: true,
        plugins: [fc.interruptAfterTimeLimit(Math.max(1, left), { failOnInterrupt: true })],
      });
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    t.diagnostic(
      `seeds ${SEED} to ${SEED + rounds - 1}: ${sent.count} requests in ${rounds * RUNS_PER_ROUND} runs, ${seconds} s`,
    );
    assert.ok(sent.count >= REQUEST_QUOTA, `${sent.count} requests sent`);
  });
});

describe('the checks can fail: the same property against a server with a planted fault', () => {
  // A finding each fault must produce: a 5xx, broken uniqueness, broken lists, a key ignored.
  const FAULT_FINDINGS: ReadonlyArray<readonly [FaultName, RegExp]> = [
    ['malformed-json-500', /Received: 500 .*D9: no request gets a 5xx/],
    ['duplicate-usernames', /is in the plain list .* 2 times; D3\/D4/],
    // A deleted user left in the lists, or listed again beside its re-created namesake.
    ['delete-leaves-in-lists', /was deleted but is still in the paginated walk|is in the plain list .* [2-9] times/],
    ['array-capped-at-10', /exists but is missing from the plain list/],
    ['next-skips-item', /exists but is missing from the paginated walk/],
    ['total-count-off-by-one', /says total_count \d+, the plain list .* holds/],
    ['tenant-leak-in-lists', /the run never created it/],
    ['auth-not-enforced', /D10: without the right key/],
    ['delete-keeps-user', /was deleted; D8: a GET after delete is 404/],
  ];
  for (const [fault, finding] of FAULT_FINDINGS) {
    test(`${fault}: reported`, async () => {
      const details = await fc.check(fuzzProperty([fault], { count: 0 }), {
        seed: SEED,
        numRuns: 10,
        endOnFailure: true,
      });
      assert.ok(details.failed, `the property held against a server with ${fault}`);
      const findings = findingsOf(details);
      assert.ok(
        findings.some((each) => finding.test(each)),
        `no finding matches ${finding}:\n${findings.slice(0, FINDINGS_SHOWN).join('\n')}`,
      );
    });
  }

  test('a failure shrinks to the few requests that matter, and its seed and path replay it', async () => {
    const property = fuzzProperty(['duplicate-usernames'], { count: 0 }, 40);
    const details = await fc.check<[Mode, FuzzRequest[]]>(property, {
      seed: SEED,
      numRuns: 10,
      plugins: [fc.interruptAfterTimeLimit(20_000)],
    });
    assert.ok(details.failed && details.counterexample !== null, 'duplicate-usernames was not caught');
    const [, batch] = details.counterexample;
    // A create of a taken name answered 2xx is the whole bug: one or two requests (a seeded name
    // is taken from the start), and at times a bystander that fast-check's greedy shrinking keeps.
    assert.ok(batch.length <= 3, `shrunk to ${batch.length} requests:\n${batch.map(describeRequest).join('\n')}`);
    assert.match(
      findingsOf(details).join('\n'),
      /2 times; D3\/D4: every user once\. What the run sent about it: .*POST/,
    );
    const replay = await fc.check(property, {
      seed: details.seed,
      path: details.counterexamplePath ?? '',
      endOnFailure: true,
    });
    assert.ok(replay.failed, 'the replay passed');
    assert.deepEqual(replay.counterexample?.[1].map(describeRequest), batch.map(describeRequest));
  });
});
