// The one whole suite run of `npm test`, as the README gives it, against the embedded server: every
// MUST and SHOULD passes, four valid files, exit 0, no key. Planted bugs are the e2e tier's.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { contract } from '../../specs/contract.js';
import { checkReportFiles, REPORT_FILES } from './support/real-suite.js';
import { runSuite, tail } from './support/run-suite.js';

// The embedded server's key, as the global setup makes it.
const EMBEDDED_KEY = /kit-[0-9a-f]{24}/;
const dir = mkdtempSync(join(tmpdir(), 'suite-canonical-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the suite against the embedded reference server passes every requirement it judges, and exits 0', async () => {
  const run = await runSuite({}, { asConfiguredInto: dir });
  const data = checkReportFiles(dir);
  assert.deepEqual(data.target, { url: 'embedded:reference-server', appId: 'conformance', embedded: true });
  const notPassed = data.requirements.filter((row) => row.status !== 'passed');
  assert.deepEqual(
    notPassed.map((row) => `${row.id} ${row.status}: ${(row.message ?? row.reason ?? '').slice(0, 600)}`),
    [],
  );
  assert.equal(data.summary.verdict, 'pass');
  // What the pass rests on: every operation exercised, every input class sent, every user deleted.
  const exercise = data.exercise;
  assert.ok(exercise, 'the report says what the run exercised');
  for (const operation of ['createUser', 'getUser', 'updateUser', 'deleteUser', 'listUsers', 'listUsersWithPresence']) {
    assert.ok((exercise.requests[operation] ?? 0) > 0, `${operation} was exercised`);
  }
  assert.equal(exercise.inputClasses, contract().inputClasses.length);
  assert.ok(exercise.usersCreated > 500 && exercise.pagesRead > 50, JSON.stringify(exercise));
  assert.equal(exercise.usersDeleted, exercise.usersCreated, 'every user created was deleted');
  assert.equal(run.exitCode, 0, tail(run));
  assert.match(run.output, /^PASS Users API conformance \(gate: default\)$/m);
  for (const file of REPORT_FILES) assert.ok(!EMBEDDED_KEY.test(readFileSync(join(dir, file), 'utf8')), file);
});
