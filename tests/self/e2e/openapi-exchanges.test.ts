// users.openapi.yaml declares every status the reference server answers: a whole suite run,
// in each conforming mode, goes through a recording proxy, and every exchange that is an
// operation of the document (its method on one of its path templates, each parameter
// non-empty) must have a declared status and, where a JSON body is declared, a body that
// matches it, as a validating proxy built from the document would require.
// Run: node --import tsx --test tests/self/e2e/openapi-exchanges.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MODES } from '../../../server/mode.js';
import { startReferenceServer } from '../../../server/reference-server.js';
import { contract } from '../../../specs/contract.js';
import { type RecordedExchange, startRecordingProxy } from '../support/recording-proxy.js';
import { runSuite } from '../support/run-suite.js';

const API_KEY = 'openapi-exchanges-key';
const COLLECTION = /^\/v1\/[^/]+\/users$/;
const ITEM = /^\/v1\/[^/]+\/users\/[^/]+$/;
const OPERATIONS: Record<string, { collection?: string; item?: string }> = {
  GET: { collection: 'listUsers', item: 'getUser' },
  POST: { collection: 'createUser' },
  PUT: { item: 'updateUser' },
  DELETE: { item: 'deleteUser' },
};

/** The operation of the document an exchange is, matched as a validating proxy matches it. */
function operationOf(exchange: RecordedExchange): string | undefined {
  const [path = '', query = ''] = exchange.target.split('?');
  const methods = OPERATIONS[exchange.method];
  const operation = COLLECTION.test(path) ? methods?.collection : ITEM.test(path) ? methods?.item : undefined;
  if (operation !== 'listUsers') return operation;
  // The one GET of the collection carries two operations (E4): without the presence query it
  // is the array, with presence=true the envelope; what other values do, the document leaves
  // open (E17), and so does this check.
  const presence = new URLSearchParams(query).getAll('presence');
  if (presence.length === 0) return 'listUsers';
  return presence.every((value) => value === 'true') ? 'listUsersWithPresence' : undefined;
}

function problemsOf(exchanges: readonly RecordedExchange[]): string[] {
  const problems = new Set<string>();
  for (const exchange of exchanges) {
    const operation = operationOf(exchange);
    if (!operation) continue;
    const where = `${exchange.method} ${exchange.target.slice(0, 120)} → ${exchange.status}`;
    if (!contract().declaresStatus(operation, exchange.status)) {
      problems.add(`${operation} answered ${exchange.status}, which it does not declare (${where})`);
      continue;
    }
    const schema = contract().responseSchema(operation, exchange.status);
    if (!schema || !exchange.body.trim()) continue;
    let body: unknown;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      problems.add(`${operation} ${exchange.status}: a body that is not JSON (${where})`);
      continue;
    }
    const result = contract().validate(schema, body);
    if (!result.valid)
      problems.add(`${operation} ${exchange.status} does not match ${schema}: ${result.errors[0]} (${where})`);
  }
  return [...problems];
}

describe('users.openapi.yaml declares what the reference server answers', () => {
  for (const mode of MODES) {
    test(`every exchange of a suite run in the ${mode} mode is a declared status with its declared body`, async () => {
      const server = await startReferenceServer({ apiKey: API_KEY, mode });
      const proxy = await startRecordingProxy(server.url);
      try {
        await runSuite({ API_URL: proxy.url, API_KEY, APP_ID: 'openapi', SECOND_APP_ID: 'openapi-second' });
        const judged = proxy.exchanges.filter((exchange) => operationOf(exchange) !== undefined);
        assert.ok(judged.length > 500, `the suite went through the proxy: ${judged.length} exchanges`);
        assert.deepEqual(problemsOf(proxy.exchanges), []);
      } finally {
        await proxy.close();
        await server.close();
      }
    });
  }
});
