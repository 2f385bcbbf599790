// End to end: a run's exit status is the gate's, on the reporter fixture project. A run cut short
// by its global timeout writes a report marked incomplete, which the gate never passes.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runGate } from '../../../reporters/gate-command.js';
import type { ConformanceReport } from '../../../reporters/report-types.js';
import { contract } from '../../../specs/contract.js';
import { type Run, runFixture } from '../fixtures/reporter/run-playwright.js';

const dir = mkdtempSync(join(tmpdir(), 'reporter-exit-'));
let green: Run;
let strict: Run;
let partial: Run;
let timedOut: Run;

function report(name: string): ConformanceReport {
  return JSON.parse(readFileSync(join(dir, name, 'conformance.json'), 'utf8')) as ConformanceReport;
}

before(async () => {
  const whole = { FIXTURE_SCENARIO: 'green', FIXTURE_COVER_ALL: '1' };
  [green, strict, partial, timedOut] = await Promise.all([
    runFixture([], { ...whole, REPORT_DIR: join(dir, 'green') }),
    runFixture([], { ...whole, GATE: 'strict', REPORT_DIR: join(dir, 'strict') }),
    runFixture([], { FIXTURE_SCENARIO: 'green', REPORT_DIR: join(dir, 'partial') }),
    runFixture(['--global-timeout=1'], { ...whole, REPORT_DIR: join(dir, 'timed-out') }),
  ]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('no MUST failed: exit 0 although a SHOULD and a MAY failed, which are warnings', () => {
  assert.equal(green.code, 0, green.stdout + green.stderr);
  assert.match(green.stdout, /^PASS Users API conformance \(gate: default\)/);
  const { summary } = report('green');
  assert.equal(summary.verdict, 'pass');
  assert.deepEqual(summary.gate.warnings, ['USR-CREATE-ECHO', 'USR-CREATE-STATUS-201', 'USR-LIST-ROLE-STATUS']);
  assert.equal(runGate([join(dir, 'green', 'conformance.json')]).code, 0);
});

test('GATE=strict: the SHOULD failure fails the run', () => {
  assert.equal(strict.code, 1, strict.stdout + strict.stderr);
  assert.deepEqual(report('strict').summary.gate.failing, ['USR-CREATE-STATUS-201']);
  assert.equal(runGate([join(dir, 'green', 'conformance.json'), '--strict']).code, 1);
});

test('a run that judged only part of the catalog is INCOMPLETE, never a PASS', () => {
  assert.notEqual(partial.code, 0, partial.stdout);
  assert.match(partial.stdout, /^INCOMPLETE Users API conformance \(gate: default\)/);
  assert.equal(report('partial').summary.verdict, 'incomplete');
  assert.equal(runGate([join(dir, 'partial', 'conformance.json')]).code, 4);
});

test('a timed-out run keeps its failing status and its report is incomplete, never a pass', () => {
  assert.notEqual(timedOut.code, 0);
  const cut = report('timed-out');
  assert.equal(cut.complete, false);
  assert.equal(cut.summary.verdict, 'incomplete');
  assert.deepEqual(contract().validate('conformance-report', cut).errors, []);
  const gate = runGate([join(dir, 'timed-out', 'conformance.json')]);
  assert.equal(gate.code, 4);
  assert.match(gate.out[0] ?? '', /^INCOMPLETE /);
  assert.match(gate.out.join('\n'), /the run did not finish/);
});
