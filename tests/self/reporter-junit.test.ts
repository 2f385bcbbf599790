// junit.xml read back with a JUnit parser, as a CI dashboard would: it agrees with the gate, SHOULD
// and MAY failures as warnings, unjudged ones skipped, an untestable target one error.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse, type TestCase, type TestSuites } from 'junit2json';
import { renderJunit } from '../../reporters/render-junit.js';
import type { ConformanceReport } from '../../reporters/report-types.js';
import { contract } from '../../specs/contract.js';
import { syntheticReport } from './fixtures/reporter/fake-results.js';

async function cases(report: ConformanceReport): Promise<{ suites: TestSuites; byId: Map<string, TestCase> }> {
  const suites = (await parse(renderJunit(report))) as TestSuites;
  const byId = new Map<string, TestCase>();
  for (const suite of suites.testsuite ?? []) {
    for (const entry of suite.testcase ?? []) byId.set(String(entry.name).split(' ')[0] as string, entry);
  }
  return { suites, byId };
}

describe('junit.xml', () => {
  const statuses = {
    'USR-CREATE-SHAPE': 'failed',
    'USR-CREATE-STATUS-201': 'failed',
    'USR-LIST-ROLE-STATUS': 'failed',
    'USR-GET-SHAPE': 'skipped',
    'USR-GET-NOT-FOUND': 'untested',
  } as const;

  test('fails exactly the requirements that fail the gate, with their messages', async () => {
    const report = syntheticReport(statuses);
    const { suites, byId } = await cases(report);
    assert.equal(byId.size, contract().requirements.length, 'one case per requirement');
    const failed = [...byId].filter(([, entry]) => entry.failure?.length).map(([id]) => id);
    assert.deepEqual(failed, report.summary.gate.failing);
    assert.deepEqual(failed, ['USR-CREATE-SHAPE']);
    assert.match(byId.get('USR-CREATE-SHAPE')?.failure?.[0]?.inner ?? '', /USR-CREATE-SHAPE failed/);
    assert.equal(suites.failures, 1);
    assert.equal(suites.errors, 0);
  });

  test('a SHOULD or MAY failure is a warning of a passing case; strict gating makes the SHOULD a failure', async () => {
    const { byId } = await cases(syntheticReport(statuses));
    for (const id of ['USR-CREATE-STATUS-201', 'USR-LIST-ROLE-STATUS']) {
      assert.equal(byId.get(id)?.failure, undefined, id);
      assert.match(byId.get(id)?.['system-out']?.[0] ?? '', /^warning \((SHOULD|MAY), does not fail the gate\)/, id);
    }
    const strict = await cases(syntheticReport(statuses, { policy: 'strict' }));
    assert.ok(strict.byId.get('USR-CREATE-STATUS-201')?.failure?.length, 'strict: the SHOULD fails');
    assert.equal(strict.byId.get('USR-LIST-ROLE-STATUS')?.failure, undefined, 'a MAY never fails');
  });

  test('unjudged requirements are skipped with their reason; a passing run has no failure at all', async () => {
    const { byId } = await cases(syntheticReport(statuses));
    assert.ok(byId.get('USR-GET-SHAPE')?.skipped?.length);
    assert.ok(byId.get('USR-GET-NOT-FOUND')?.skipped?.length);
    const green = await cases(syntheticReport({}));
    assert.equal(green.suites.failures, 0);
    assert.ok(![...green.byId.values()].some((entry) => entry.skipped?.length), 'nothing skipped');
  });

  test('a target that could not be tested is one error', async () => {
    const report = syntheticReport({}, { rest: 'untested' });
    report.summary.targetError = 'the target at http://127.0.0.1:9 does not answer HTTP';
    const { suites } = await cases(report);
    assert.equal(suites.errors, 1);
    const target = suites.testsuite?.find((suite) => suite.name === 'target');
    assert.match(target?.testcase?.[0]?.error?.[0]?.message ?? '', /does not answer HTTP/);
  });

  test('server output with control characters and markup stays well-formed XML', async () => {
    const report = syntheticReport({ 'USR-CREATE-SHAPE': 'failed' });
    const row = report.requirements.find((entry) => entry.id === 'USR-CREATE-SHAPE');
    if (row) row.message = `RequirementViolation: bad ${String.fromCharCode(0, 27, 8)} </failure> <![CDATA[ & "`;
    const { byId } = await cases(report);
    assert.match(byId.get('USR-CREATE-SHAPE')?.failure?.[0]?.inner ?? '', /<\/failure> <!\[CDATA\[ & "/);
  });
});
