// Two runs at once against one server and app, as two pipelines sharing a staging server would: the
// other run's writes must fail nothing, and a broken total_count must still fail in both runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAULTS } from '../../../server/faults.js';
import { startReferenceServer } from '../../../server/reference-server.js';
import { explain, failedIds, rowsOf, runSuite, type SuiteRun } from '../support/run-suite.js';

const API_KEY = 'simultaneous-runs-key';
const APPS = { APP_ID: 'shared-staging', SECOND_APP_ID: 'shared-staging-other' };
const FAULT = 'total-count-off-by-one';
// The second run starts once the first has sent this many requests (of about 2,100): the first
// is then well into its parallel phase, and reaches its quiet phase while the second is in its
// own parallel phase.
const SECOND_RUN_AFTER_REQUESTS = 1_000;
const POLL_MS = 20;

async function userCount(url: string, appId: string): Promise<number> {
  const response = await fetch(`${url}/v1/${appId}/users`, { headers: { authorization: API_KEY } });
  return ((await response.json()) as unknown[]).length;
}

/** Every requirement the run failed or skipped, with why. */
function unexpected(run: SuiteRun): string {
  const ids = rowsOf(run)
    .filter((row) => row.status === 'failed' || row.status === 'skipped')
    .map((row) => row.id);
  return explain(run, ids);
}

test('two runs at once against one app both fail exactly what the server breaks', async () => {
  const server = await startReferenceServer({ apiKey: API_KEY, faults: [FAULT] });
  try {
    const env = { API_URL: server.url, API_KEY, ...APPS };
    const first = runSuite(env, { workers: 4 });
    const second = (async () => {
      const deadline = performance.now() + 60_000;
      while (server.requestsServed < SECOND_RUN_AFTER_REQUESTS && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      return runSuite(env, { workers: 4 });
    })();
    const runs = await Promise.all([first, second]);
    const breaks: string[] = [...(FAULTS.find((fault) => fault.name === FAULT)?.breaks ?? [])].sort();
    runs.forEach((run, at) => {
      assert.deepEqual(failedIds(run), breaks, `run ${at + 1} failed other requirements:\n${unexpected(run)}`);
      const unjudged = rowsOf(run).filter((row) => breaks.includes(row.id) && row.status === 'skipped');
      assert.deepEqual(unjudged, [], `run ${at + 1} left the broken requirements unjudged:\n${unexpected(run)}`);
    });
    const left = await Promise.all(Object.values(APPS).map((appId) => userCount(server.url, appId)));
    assert.deepEqual(left, [0, 0], 'users left behind by the two runs (D12)');
  } finally {
    await server.close();
  }
});
