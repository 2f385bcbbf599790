// Proof that the suite discriminates: in each conforming mode no MUST fails and every answer is one
// the document declares; with each fault exactly its recorded requirements fail, a MUST among them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { apiClient } from '../../../bench/api-client.js';
import { fetchPage, follow, usernamesOf } from '../../../bench/follow-pages.js';
import { FAULTS, type FaultName } from '../../../server/faults.js';
import { MODE_RULES, MODES, type Mode } from '../../../server/mode.js';
import { startReferenceServer } from '../../../server/reference-server.js';
import { contract } from '../../../specs/contract.js';
import { undeclaredExchanges } from '../support/openapi-exchanges.js';
import { checkReportFiles, REPORT_FILES } from '../support/real-suite.js';
import { type RecordedExchange, startRecordingProxy } from '../support/recording-proxy.js';
import { explain, failedIds, rowsOf, runSuite, type SuiteRun, tail } from '../support/run-suite.js';

// New for every run of this file, so that finding it in a report or the output is a leak.
const API_KEY = `verdicts-${randomBytes(12).toString('hex')}`;
const APPS = ['self-test', 'self-test-second'] as const;

/** A suite run, its target, how many users each app holds after it (both start empty), and its traffic. */
interface VerdictRun extends SuiteRun {
  url: string;
  usersLeft: number[];
  exchanges: readonly RecordedExchange[];
}

async function runAgainst(
  options: Parameters<typeof startReferenceServer>[0],
  {
    args = [],
    record = false,
    asConfiguredInto,
    workers,
  }: { args?: readonly string[]; record?: boolean; asConfiguredInto?: string; workers?: number } = {},
): Promise<VerdictRun> {
  const server = await startReferenceServer({ apiKey: API_KEY, ...options });
  // Recorded runs go through a proxy, so their traffic can be held against the OpenAPI.
  const proxy = record ? await startRecordingProxy(server.url) : undefined;
  try {
    const run = await runSuite(
      { API_URL: proxy?.url ?? server.url, API_KEY, APP_ID: APPS[0], SECOND_APP_ID: APPS[1] },
      { args, asConfiguredInto, workers },
    );
    const usersLeft = await Promise.all(
      APPS.map((appId) => (options?.faults?.includes(POPULATED_FAULT) ? pagedUsers : arrayUsers)(server.url, appId)),
    );
    return { ...run, url: server.url, usersLeft, exchanges: proxy?.exchanges ?? [] };
  } finally {
    await proxy?.close();
    await server.close();
  }
}

async function arrayUsers(url: string, appId: string): Promise<number> {
  const response = await fetch(`${url}/v1/${appId}/users`, { headers: { authorization: API_KEY } });
  return ((await response.json()) as unknown[]).length;
}

/** The users of an app counted over its pages, for the run whose array is cut short. */
async function pagedUsers(url: string, appId: string): Promise<number> {
  const api = apiClient(url, { authorization: API_KEY });
  const first = await fetchPage(api, `${url}${api.users(appId)}?presence=true&limit=100`);
  return usernamesOf(await follow(api, first, 'next', 100)).length;
}

// The canonical mode's server also answers slowly, each answer after 150 ms (three times the
// latency the benchmarks hide, within the default 10 s time-out), to the configured four
// workers: its run is also the one that shows a slow conforming target fails nothing.
const SLOW_LATENCY_MS = 150;
const modeRuns = new Map<Mode, Promise<VerdictRun>>();

/** The one run of a mode, started by the first test that asks for it. */
function modeRun(mode: Mode): Promise<VerdictRun> {
  let run = modeRuns.get(mode);
  if (!run) {
    const slow = mode === 'canonical';
    run = runAgainst(slow ? { mode, latencyMs: SLOW_LATENCY_MS } : { mode }, { record: true, workers: slow ? 4 : 2 });
    modeRuns.set(mode, run);
  }
  return run;
}

// Two runs at once, as in the matrix below: a run waits on the network and on D7's pauses.
describe('conforming implementations pass', { concurrency: 2 }, () => {
  for (const mode of MODES) {
    test(`the ${mode} mode fails no MUST, no SHOULD but those it forgoes, and answers only what the OpenAPI declares`, async () => {
      const run = await modeRun(mode);
      assert.ok(run.exchanges.length > 500, `the suite went through the proxy: ${run.exchanges.length} exchanges`);
      assert.deepEqual(undeclaredExchanges(run.exchanges), [], 'answers users.openapi.yaml does not declare');
      assert.equal(run.report?.complete, true, `the run did not finish:\n${tail(run)}`);
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

  test('a slow target that answers within the time-out fails nothing', async () => {
    const run = await modeRun('canonical');
    assert.equal(run.exitCode, 0, `the run failed against a slow but conforming target:\n${tail(run)}`);
    assert.equal(run.report?.summary.verdict, 'pass');
    assert.equal(run.report?.complete, true);
  });
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

// This fault's matrix run is also run as a user runs it (the configured reporters, the four
// files), and the test of those files reads that same run: one whole suite run fewer.
const REPORTED_FAULT: FaultName = 'duplicate-usernames';
const reportedDir = mkdtempSync(join(tmpdir(), 'suite-verdicts-reported-'));
after(() => rmSync(reportedDir, { recursive: true, force: true }));
const matrixRuns = new Map<string, Promise<VerdictRun>>();

// This fault's run finds its app already holding users, as a shared staging app does, so its cut
// array leaves out the users the tests create, always: a uniqueness check that counts them in the
// array alone would then pass a duplicate, or fail for the cut, and this run shows it does neither.
const POPULATED_FAULT: FaultName = 'array-capped-at-10';
const POPULATION = 30;

/** The matrix's one run of these faults, started by the first test that asks for it. */
function matrixRun(faults: readonly FaultName[]): Promise<VerdictRun> {
  const name = faults.join(' + ');
  let run = matrixRuns.get(name);
  if (!run) {
    const reported = faults.length === 1 && faults[0] === REPORTED_FAULT;
    const seed = faults.includes(POPULATED_FAULT) ? [{ appId: APPS[0], users: POPULATION }] : [];
    run = runAgainst({ faults: [...faults], seed }, reported ? { asConfiguredInto: reportedDir } : {});
    matrixRuns.set(name, run);
  }
  return run;
}

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
      const run = await matrixRun(faults);
      const failed = failedIds(run);
      const recorded = breaksOf(faults);
      const missed = recorded.filter((id) => !failed.includes(id));
      const unrelated = failed.filter((id) => !recorded.includes(id));
      assert.deepEqual(missed, [], `${name}: recorded requirements that did not fail:\n${explain(run, missed)}`);
      assert.deepEqual(unrelated, [], `${name}: unrelated requirements failed:\n${explain(run, unrelated)}`);
      // The gate fails a run on a MUST; SHOULD failures alone are warnings, and the run exits 0.
      const mustBroken = recorded.some((id) => contract().requirement(id).level === 'MUST');
      assert.equal(run.exitCode, mustBroken ? 1 : 0, `${name}: the exit code`);
      // D12 for a run that fails: unless the bug itself keeps users from being deleted, the
      // run leaves both apps as it found them.
      const found = faults.includes(POPULATED_FAULT) ? POPULATION : 0;
      if (!recorded.includes('USR-CLEANUP-NO-LEFTOVERS'))
        assert.deepEqual(run.usersLeft, [found, 0], 'users left behind');
    });
  }

  test(`the run of ${REPORTED_FAULT} as configured writes four valid files, fails the gate on its MUSTs, and never writes the key`, async () => {
    const run = await matrixRun([REPORTED_FAULT]);
    const data = checkReportFiles(reportedDir);
    assert.equal(data.target.url, run.url);
    assert.equal(data.target.embedded, false);
    assert.equal(data.summary.verdict, 'fail');
    assert.equal(run.exitCode, 1, tail(run));
    const failed = failedIds(run);
    assert.ok(
      breaksOf([REPORTED_FAULT]).some((id) => failed.includes(id) && data.summary.gate.failing.includes(id)),
      `expected one of ${breaksOf([REPORTED_FAULT]).join(', ')} to fail the gate; failed: ${failed.join(', ')}`,
    );
    for (const row of data.requirements.filter((entry) => entry.status === 'failed')) {
      assert.ok(row.message && row.message.length > 0, `${row.id} has its message`);
    }
    for (const file of REPORT_FILES) assert.ok(!readFileSync(join(reportedDir, file), 'utf8').includes(API_KEY), file);
    assert.ok(!run.output.includes(API_KEY), 'no key in the output');
  });

  test('a 5xx that only a MAY test sees fails USR-ROBUST-NO-5XX, whose own test never ran', async () => {
    // Only the username alphabet's test (a MAY) runs, besides the run's first and last tests.
    const run = await runAgainst({ faults: ['username-emoji-500'] }, { args: ['--grep', '@USR-USERNAME-ALPHABET'] });
    assert.deepEqual(failedIds(run), ['USR-ROBUST-NO-5XX'], explain(run, failedIds(run)));
    const row = rowsOf(run).find((entry) => entry.id === 'USR-ROBUST-NO-5XX');
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
