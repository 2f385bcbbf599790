// D12: a run leaves the target's user count as it found it, also when it is interrupted by a
// signal halfway (Ctrl-C, a cancelled CI job). The counts are measured before and after.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startReferenceServer } from '../../../server/reference-server.js';
import { runSuite } from '../support/run-suite.js';

const API_KEY = 'cleanup-test-key';
const APPS = ['cleanup-home', 'cleanup-other'] as const;
// Users that belong to someone else and must survive the run.
const SEEDED = 3;

async function userCount(url: string, appId: string): Promise<number> {
  const response = await fetch(`${url}/v1/${appId}/users`, { headers: { authorization: API_KEY } });
  return ((await response.json()) as unknown[]).length;
}

test('a run interrupted halfway by SIGINT leaves both apps holding what they held before', async () => {
  const server = await startReferenceServer({
    apiKey: API_KEY,
    seed: APPS.map((appId) => ({ appId, users: SEEDED })),
  });
  try {
    const before = await Promise.all(APPS.map((appId) => userCount(server.url, appId)));
    assert.deepEqual(before, [SEEDED, SEEDED]);
    let peak = 0;
    const run = await runSuite(
      { API_URL: server.url, API_KEY, APP_ID: APPS[0], SECOND_APP_ID: APPS[1] },
      {
        // Interrupt while the run's own users are there: tests are mid-flight, creating and deleting.
        interruptWhen: async () => {
          peak = Math.max(peak, (await userCount(server.url, APPS[0])) - SEEDED);
          return peak >= 20;
        },
      },
    );
    assert.ok(peak >= 20, `the run was never seen holding users of its own:\n${run.output.slice(-1500)}`);
    assert.notEqual(run.exitCode, 0, 'an interrupted run must not exit 0');
    const after = await Promise.all(APPS.map((appId) => userCount(server.url, appId)));
    assert.deepEqual(after, before, 'user counts after the interrupted run');
  } finally {
    await server.close();
  }
});
