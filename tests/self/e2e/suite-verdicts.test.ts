// Proof that the suite discriminates: run it against the reference server in each conforming
// mode (no MUST may fail, and every answer is one users.openapi.yaml declares, as a validating
// proxy in front of it sees) and with each fault switch (exactly the requirements recorded
// for the fault fail, at least one of them a MUST, and nothing else).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FAULTS, type FaultName } from '../../../server/faults.js';
import { MODE_RULES, MODES } from '../../../server/mode.js';
import { startReferenceServer } from '../../../server/reference-server.js';
import { contract } from '../../../specs/contract.js';
import { undeclaredExchanges } from '../support/openapi-exchanges.js';
import { type RecordedExchange, startRecordingProxy } from '../support/recording-proxy.js';
import { failedIds, runSuite, type SuiteRun } from '../support/run-suite.js';

const API_KEY = 'self-test-key';
const APPS = ['self-test', 'self-test-second'] as const;

/** A suite run, how many users each app holds after it (both start empty), and its traffic. */
interface VerdictRun extends SuiteRun {
  usersLeft: number[];
  exchanges: readonly RecordedExchange[];
}

async function runAgainst(
  options: Parameters<typeof startReferenceServer>[0],
  { args = [], record = false }: { args?: readonly string[]; record?: boolean } = {},
): Promise<VerdictRun> {
  const server = await startReferenceServer({ apiKey: API_KEY, ...options });
  // Recorded runs go through a proxy, so their traffic can be held against the OpenAPI.
  const proxy = record ? await startRecordingProxy(server.url) : undefined;
  try {
    const run = await runSuite(
      { API_URL: proxy?.url ?? server.url, API_KEY, APP_ID: APPS[0], SECOND_APP_ID: APPS[1] },
      { conformanceReport: true, args },
    );
    const usersLeft = await Promise.all(
      APPS.map(async (appId) => {
        const response = await fetch(`${server.url}/v1/${appId}/users`, { headers: { authorization: API_KEY } });
        return ((await response.json()) as unknown[]).length;
      }),
    );
    return { ...run, usersLeft, exchanges: proxy?.exchanges ?? [] };
  } finally {
    await proxy?.close();
    await server.close();
  }
}

function explain(run: SuiteRun, ids: string[]): string {
  return ids.map((id) => `${id}: ${(run.messages.get(id) ?? '').split('\n').slice(0, 6).join('\n    ')}`).join('\n');
}

function skips(run: SuiteRun, ids: string[]): string {
  return ids.map((id) => `${id}: ${run.outcomes.get(id) ?? 'no test ran'} ${run.skipReasons.get(id) ?? ''}`).join('\n');
}

describe('conforming implementations pass', () => {
  for (const mode of MODES) {
    test(`the ${mode} mode fails no MUST, no SHOULD but those it forgoes, and answers only what the OpenAPI declares`, async () => {
      const run = await runAgainst({ mode }, { record: true });
      assert.ok(run.exchanges.length > 500, `the suite went through the proxy: ${run.exchanges.length} exchanges`);
      assert.deepEqual(undeclaredExchanges(run.exchanges), [], 'answers users.openapi.yaml does not declare');
      assert.ok(run.outcomes.size > 0, `the suite reported no requirement:\n${run.output.slice(-2000)}`);
      const failed = failedIds(run);
      const forgone: string[] = [...MODE_RULES[mode].forgoes];
      assert.deepEqual(run.usersLeft, [0, 0], 'users left behind (D12)');
      assert.deepEqual(
        failed.filter((id) => contract().requirement(id).level === 'MUST'),
        [],
        explain(run, failed),
      );
      assert.deepEqual(
        failed,
        forgone.sort(),
        `requirements failed against a conforming server:\n${explain(run, failed)}`,
      );
    });
  }
});

/**
 * The suite runs of the fault matrix. A whole run costs seconds of CPU, mostly starting
 * Playwright's workers, so faults share a run where their bugs live in different code and
 * their recorded requirements are disjoint: the run must then fail exactly the union, which
 * still shows each recorded requirement failing and nothing else (each fault's bug is also
 * probed alone, in tests/self/reference-server-faults.test.ts). Faults whose bug breaks the
 * steps most tests stand on (creates, deletes, the user object, page order) run alone, and so
 * do the two SHOULD-only faults, together, to show that SHOULD failures alone exit 0. Each
 * 5xx fault breaks USR-ROBUST-NO-5XX, so each leads its own run, with at most one fault of the
 * paged list beside it.
 */
const MATRIX: readonly (readonly FaultName[])[] = [
  ['duplicate-usernames'],
  ['delete-keeps-user'],
  ['delete-leaves-in-lists'],
  ['unstable-order'],
  ['missing-property'],
  ['presence-status-string'],
  ['astral-name-500', 'username-not-decoded', 'auth-not-enforced'],
  ['long-field-500', 'dot-suffix-dropped', 'created-at-changes-on-update'],
  ['empty-update-500', 'next-skips-item', 'tenant-leak-in-lists'],
  ['null-field-500', 'total-count-off-by-one', 'updated-at-frozen'],
  ['username-emoji-500', 'previous-instead-of-previews', 'delete-by-prefix'],
  ['malformed-json-500', 'count-not-page-length', 'unknown-user-empty-200'],
  ['last-page-next-not-null', 'array-capped-at-10', 'non-atomic-uniqueness', 'rename-through-body'],
  ['duplicate-answers-400', 'timestamps-not-rfc3339'],
];

function breaksOf(faults: readonly FaultName[]): string[] {
  return [...new Set(faults.flatMap((name) => FAULTS.find((fault) => fault.name === name)?.breaks ?? []))].sort();
}

// Two suite runs at once keep both cores busy: each run waits on the network and on D7's
// one-second pause for a good part of its time.
describe('every fault switch is caught by exactly its requirements', { concurrency: 2 }, () => {
  test('the matrix runs every fault once, and the faults sharing a run break disjoint requirements', () => {
    assert.deepEqual([...MATRIX.flat()].sort(), FAULTS.map((fault) => fault.name).sort());
    for (const faults of MATRIX) {
      const all = faults.flatMap((name) => FAULTS.find((fault) => fault.name === name)?.breaks ?? []);
      assert.equal(new Set(all).size, all.length, `${faults.join(' + ')} break a requirement in common`);
    }
  });

  for (const faults of MATRIX) {
    const name = faults.join(' + ');
    test(name, async () => {
      const run = await runAgainst({ faults: [...faults] });
      const failed = failedIds(run);
      const recorded = breaksOf(faults);
      const missed = recorded.filter((id) => !failed.includes(id));
      const unrelated = failed.filter((id) => !recorded.includes(id));
      assert.deepEqual(missed, [], `${name}: recorded requirements that did not fail:\n${skips(run, missed)}`);
      assert.deepEqual(unrelated, [], `${name}: unrelated requirements failed:\n${explain(run, unrelated)}`);
      // The gate fails a run on a MUST; SHOULD failures alone are warnings, and the run exits 0.
      const mustBroken = recorded.some((id) => contract().requirement(id).level === 'MUST');
      assert.equal(run.exitCode, mustBroken ? 1 : 0, `${name}: the exit code`);
      // D12 for a run that fails: unless the bug itself keeps users from being deleted, the
      // run leaves both apps as it found them, empty.
      if (!recorded.includes('USR-CLEANUP-NO-LEFTOVERS')) assert.deepEqual(run.usersLeft, [0, 0], 'users left behind');
    });
  }

  test('a 5xx that only a MAY test sees fails USR-ROBUST-NO-5XX, whose own test never ran', async () => {
    // Only the username alphabet's test (a MAY) runs, besides the run's first and last tests.
    const run = await runAgainst({ faults: ['username-emoji-500'] }, { args: ['--grep', '@USR-USERNAME-ALPHABET'] });
    assert.deepEqual(failedIds(run), ['USR-ROBUST-NO-5XX'], explain(run, failedIds(run)));
    const row = run.report?.requirements.find((entry) => entry.id === 'USR-ROBUST-NO-5XX');
    assert.equal(row?.tests.length, 0, 'the 5xx requirement had no test of its own in this run');
    assert.match(row?.message ?? '', /seen by "USR-USERNAME-ALPHABET/);
    assert.notEqual(run.exitCode, 0, 'a MUST failed, so the run fails');
  });

  test('every fault records requirement IDs of the catalog, and most record a MUST', () => {
    for (const fault of FAULTS) {
      for (const id of fault.breaks) assert.doesNotThrow(() => contract().requirement(id), `${fault.name}: ${id}`);
    }
    const mustless = FAULTS.filter((fault) => !fault.breaks.some((id) => contract().requirement(id).level === 'MUST'));
    // SHOULD-only faults exist on purpose, to show that a SHOULD failure alone does not fail the gate.
    assert.ok(mustless.length <= 2, `faults breaking no MUST: ${mustless.map((fault) => fault.name).join(', ')}`);
  });
});
