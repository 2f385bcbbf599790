// Unit tests of the gate policy and of reading a report for it: MUST failures fail, SHOULD only
// when strict, MAY never; baselines fail on regressions only; bad settings and files never pass.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { applyGate, type GateInput, gateOptionsFromEnv } from '../../reporters/gate-policy.js';
import { ReportFileError, readReportFile } from '../../reporters/read-report.js';
import type { GateRow } from '../../reporters/report-types.js';
import { VERDICT_EXIT_CODES } from '../../runtime/exit-codes.js';
import { syntheticReport } from './fixtures/reporter/fake-results.js';

function rows(entries: [string, GateRow['level'], GateRow['status']][]): GateRow[] {
  return entries.map(([id, level, status]) => ({ id, level, status }));
}

function gate(input: Partial<GateInput> & Pick<GateInput, 'rows'>) {
  return applyGate({
    policy: 'default',
    baselineLabel: null,
    baselineRows: null,
    settingErrors: [],
    runErrors: [],
    targetError: null,
    complete: true,
    ...input,
  });
}

describe('gate policy', () => {
  test('a failed MUST fails the gate', () => {
    const decision = gate({
      rows: rows([
        ['USR-A-X', 'MUST', 'failed'],
        ['USR-B-X', 'MUST', 'passed'],
      ]),
    });
    assert.equal(decision.verdict, 'fail');
    assert.deepEqual(decision.gate.failing, ['USR-A-X']);
  });

  test('SHOULD failures are warnings by default and fail when strict; MAY never fails', () => {
    const input = rows([
      ['USR-S-X', 'SHOULD', 'failed'],
      ['USR-M-X', 'MAY', 'failed'],
      ['USR-P-X', 'MUST', 'passed'],
    ]);
    const lenient = gate({ rows: input });
    assert.equal(lenient.verdict, 'pass');
    assert.deepEqual(lenient.gate.warnings, ['USR-M-X', 'USR-S-X']);
    const strict = gate({ rows: input, policy: 'strict' });
    assert.equal(strict.verdict, 'fail');
    assert.deepEqual(strict.gate.failing, ['USR-S-X']);
    assert.deepEqual(strict.gate.warnings, ['USR-M-X']);
  });

  test('flaky counts as passed, with a warning', () => {
    const decision = gate({ rows: rows([['USR-F-X', 'MUST', 'flaky']]), policy: 'strict' });
    assert.equal(decision.verdict, 'pass');
    assert.deepEqual(decision.gate.warnings, ['USR-F-X']);
  });

  test('a gated requirement skipped or untested makes the run INCOMPLETE, never a PASS', () => {
    const decision = gate({
      rows: rows([
        ['USR-K-X', 'MUST', 'skipped'],
        ['USR-U-X', 'MUST', 'untested'],
        ['USR-S-X', 'SHOULD', 'untested'],
        ['USR-M-X', 'MAY', 'skipped'],
      ]),
    });
    assert.equal(decision.verdict, 'incomplete');
    assert.deepEqual(decision.gate.notJudged, ['USR-K-X', 'USR-U-X']);
    assert.equal(gate({ rows: rows([['USR-S-X', 'SHOULD', 'untested']]) }).verdict, 'pass', 'a SHOULD is not gated');
    assert.equal(gate({ rows: rows([['USR-S-X', 'SHOULD', 'untested']]), policy: 'strict' }).verdict, 'incomplete');
  });

  test('a requirement left unjudged by a setting the user chose is listed, and does not stop a PASS', () => {
    const decision = gate({
      rows: [
        { id: 'USR-AUTH-X', level: 'MUST', status: 'skipped', byConfiguration: 'API_KEY' },
        { id: 'USR-A-X', level: 'MUST', status: 'passed' },
      ],
    });
    assert.equal(decision.verdict, 'pass');
    assert.deepEqual(decision.gate.notJudgedByConfiguration, ['USR-AUTH-X']);
    assert.deepEqual(decision.gate.notJudged, []);
  });

  test('a failure outranks what went unjudged, and a target that could not be tested outranks both', () => {
    const mixed = rows([
      ['USR-F-X', 'MUST', 'failed'],
      ['USR-U-X', 'MUST', 'untested'],
    ]);
    assert.equal(gate({ rows: mixed }).verdict, 'fail');
    assert.equal(gate({ rows: mixed, targetError: 'the target at http://x does not answer HTTP' }).verdict, 'error');
  });

  test('the exit codes: 0 PASS, 1 FAIL, 3 ERROR, 4 INCOMPLETE (2 is a usage error)', () => {
    assert.deepEqual(VERDICT_EXIT_CODES, { pass: 0, fail: 1, error: 3, incomplete: 4 });
  });

  test('with a baseline, only regressions at gated levels fail; newly passing ones are listed', () => {
    const baselineRows = rows([
      ['USR-OLD-FAIL', 'MUST', 'failed'],
      ['USR-REGRESS', 'MUST', 'passed'],
      ['USR-REGRESS-FLAKY', 'MUST', 'flaky'],
      ['USR-SHOULD-REGRESS', 'SHOULD', 'passed'],
      ['USR-FIXED', 'MUST', 'failed'],
      ['USR-NOW-TESTED', 'MAY', 'untested'],
    ]);
    const now = rows([
      ['USR-OLD-FAIL', 'MUST', 'failed'],
      ['USR-REGRESS', 'MUST', 'failed'],
      ['USR-REGRESS-FLAKY', 'MUST', 'failed'],
      ['USR-SHOULD-REGRESS', 'SHOULD', 'failed'],
      ['USR-FIXED', 'MUST', 'passed'],
      ['USR-NOW-TESTED', 'MAY', 'flaky'],
      ['USR-NEW-FAIL', 'MUST', 'failed'],
    ]);
    const decision = gate({ rows: now, baselineRows, baselineLabel: 'base/conformance.json' });
    assert.equal(decision.verdict, 'fail');
    assert.deepEqual(decision.gate.failing, ['USR-REGRESS', 'USR-REGRESS-FLAKY']);
    assert.deepEqual(decision.gate.newlyPassing, ['USR-FIXED', 'USR-NOW-TESTED']);
    assert.ok(decision.gate.warnings.includes('USR-OLD-FAIL') && decision.gate.warnings.includes('USR-NEW-FAIL'));
    assert.equal(decision.gate.baseline, 'base/conformance.json');
    const strict = gate({ rows: now, baselineRows, policy: 'strict' });
    assert.deepEqual(strict.gate.failing, ['USR-REGRESS', 'USR-REGRESS-FLAKY', 'USR-SHOULD-REGRESS']);
    const noRegression = gate({ rows: rows([['USR-OLD-FAIL', 'MUST', 'failed']]), baselineRows });
    assert.equal(noRegression.verdict, 'pass');
  });

  test('setting errors, run errors and an unfinished run make an otherwise passing run INCOMPLETE', () => {
    const clean = rows([['USR-A-X', 'MUST', 'passed']]);
    assert.equal(gate({ rows: clean, settingErrors: ['GATE=… is not a gate policy'] }).verdict, 'incomplete');
    assert.equal(gate({ rows: clean, runErrors: ['the run was interrupted'] }).verdict, 'incomplete');
    assert.equal(gate({ rows: clean, complete: false }).verdict, 'incomplete');
    assert.equal(gate({ rows: clean }).verdict, 'pass');
  });

  test('against a baseline, a requirement that passed there and is not judged now is no PASS', () => {
    const decision = gate({
      rows: rows([
        ['USR-A-X', 'MUST', 'passed'],
        ['USR-B-X', 'MAY', 'untested'],
      ]),
      baselineLabel: 'old.json',
      baselineRows: rows([
        ['USR-A-X', 'MUST', 'passed'],
        ['USR-B-X', 'MAY', 'passed'],
      ]),
    });
    assert.equal(decision.verdict, 'incomplete');
    assert.deepEqual(decision.gate.noLongerJudged, ['USR-B-X']);
  });
});

describe('GATE and BASELINE', () => {
  test('unset, default and strict are policies; anything else is one clear error', () => {
    assert.deepEqual(gateOptionsFromEnv({}), { options: { policy: 'default', baseline: null }, errors: [] });
    assert.equal(gateOptionsFromEnv({ GATE: 'default' }).options.policy, 'default');
    assert.equal(gateOptionsFromEnv({ GATE: 'strict' }).options.policy, 'strict');
    const bad = gateOptionsFromEnv({ GATE: 'lenient' });
    assert.equal(bad.errors.length, 1);
    assert.match(bad.errors[0] ?? '', /GATE="lenient" is not a gate policy/);
    assert.equal(gateOptionsFromEnv({ BASELINE: 'a/b.json' }).options.baseline, 'a/b.json');
  });
});

describe('readReportFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reporter-gate-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  test('reads a complete report', () => {
    const report = syntheticReport({});
    assert.deepEqual(readReportFile(write('ok.json', JSON.stringify(report))), report);
  });

  test('refuses a missing file, garbage, a non-report, and an incomplete report, each with its reason', () => {
    const report = syntheticReport({});
    const { complete: _complete, ...cut } = report;
    const cases: [string, RegExp][] = [
      [join(dir, 'missing.json'), /missing\.json does not exist/],
      [write('garbage.json', '{"kit": {'), /garbage\.json is not valid JSON/],
      [write('array.json', '[1, 2]'), /array\.json is not a valid conformance report/],
      [write('other.json', '{"hello": "world"}'), /other\.json is not a valid conformance report/],
      [write('cut.json', JSON.stringify(cut)), /cut\.json is incomplete: the run that wrote it did not finish/],
      [
        write('interrupted.json', JSON.stringify({ ...report, complete: false })),
        /interrupted\.json is incomplete: the run that wrote it did not finish/,
      ],
    ];
    for (const [path, message] of cases) {
      assert.throws(
        () => readReportFile(path),
        (error: unknown) => {
          assert.ok(error instanceof ReportFileError);
          assert.match(error.message, message);
          return true;
        },
      );
    }
  });
});
