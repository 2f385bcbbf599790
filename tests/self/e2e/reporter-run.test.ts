// End to end: the reporter fixture project run whole and as two merged shards: the four files are
// valid, hold no API key, and the merged report equals the unsharded one, times aside.
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse, type TestSuites } from 'junit2json';
import type { ConformanceReport } from '../../../reporters/report-types.js';
import { contract } from '../../../specs/contract.js';
import { playwright, type Run, reporterPath, runFixture } from '../fixtures/reporter/run-playwright.js';

const SECRET = 'fixture-api-key-5ecr3t';
const FILES = ['conformance.json', 'conformance.md', 'conformance.html', 'conformance-badge.svg', 'junit.xml'];

/** What the fixture's tests make of each requirement they carry (every other one is untested). */
const EXPECTED: Record<string, string> = {
  'USR-CREATE-SUCCESS': 'passed',
  'USR-CREATE-SHAPE': 'failed',
  'USR-CREATE-STATUS-201': 'failed',
  'USR-CREATE-ECHO': 'flaky',
  'USR-CREATE-DUPLICATE-409': 'skipped',
  'USR-CREATE-USERNAME-ONLY': 'passed',
  'USR-USERNAME-ALPHABET': 'skipped',
  'USR-LIST-ROLE-STATUS': 'failed',
  'USR-LIST-ARRAY': 'passed',
  'USR-LIST-ITEM-SHAPE': 'passed',
  // No test carries it; a helper's finding of the exchange rules fails it.
  'USR-ROBUST-NO-5XX': 'failed',
};

const dir = mkdtempSync(join(tmpdir(), 'reporter-run-'));
const full = join(dir, 'full');
const stepSummary = join(dir, 'step-summary.md');
let fullRun: Run;

function readReport(reportDir: string): ConformanceReport {
  return JSON.parse(readFileSync(join(reportDir, 'conformance.json'), 'utf8')) as ConformanceReport;
}

function withoutTimes(report: ConformanceReport): Omit<ConformanceReport, 'startedAt' | 'endedAt'> {
  const { startedAt: _startedAt, endedAt: _endedAt, ...rest } = report;
  return rest;
}

/**
 * merge-reports of both shards' blobs into `name`, with extra variables. Each merge reads its
 * own copy of the blobs: merge-reports extracts each zip's events into the blob folder and
 * reads them back, so merges sharing a folder at once can read one another's half-written file.
 */
function merge(name: string, env: Record<string, string> = {}): Promise<Run> {
  const blobs = join(dir, `blobs-${name}`);
  cpSync(join(dir, 'blobs'), blobs, { recursive: true });
  return playwright(['merge-reports', '--reporter', reporterPath, blobs], {
    REPORT_DIR: join(dir, name),
    API_KEY: SECRET,
    ...env,
  });
}

before(async () => {
  const shard = (index: number) =>
    runFixture([`--shard=${index}/2`, '--reporter=blob'], {
      API_KEY: SECRET,
      REPORT_DIR: join(dir, `shard-${index}`),
      PLAYWRIGHT_BLOB_OUTPUT_DIR: join(dir, `blob-${index}`),
    });
  const runs = await Promise.all([
    runFixture([], { API_KEY: SECRET, REPORT_DIR: full, GITHUB_STEP_SUMMARY: stepSummary }),
    shard(1),
    shard(2),
  ]);
  fullRun = runs[0];
  mkdirSync(join(dir, 'blobs'));
  for (const index of [1, 2]) {
    for (const file of readdirSync(join(dir, `blob-${index}`))) {
      copyFileSync(join(dir, `blob-${index}`, file), join(dir, 'blobs', file));
    }
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('an unsharded run', () => {
  test('fails (a MUST failed) and prints a short summary naming it', () => {
    assert.equal(fullRun.code, 1, fullRun.stdout + fullRun.stderr);
    const lines = fullRun.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^FAIL Users API conformance \(gate: default\)$/);
    assert.ok(lines.length <= 6, fullRun.stdout);
    assert.match(fullRun.stdout, /✗ USR-CREATE-SHAPE \(MUST\)/);
  });

  test('writes the four files, and no temporary file is left', () => {
    const names = readdirSync(full).filter((name) => name !== 'test-results');
    assert.deepEqual(names.sort(), [...FILES].sort());
  });

  test('the JSON validates, is complete, and its counts match its rows', () => {
    const report = readReport(full);
    assert.deepEqual(contract().validate('conformance-report', report).errors, []);
    assert.equal(report.complete, true);
    assert.equal(report.requirements.length, contract().requirements.length);
    for (const level of ['MUST', 'SHOULD', 'MAY'] as const) {
      for (const [status, count] of Object.entries(report.summary.counts[level])) {
        const rows = report.requirements.filter((row) => row.level === level && row.status === status);
        assert.equal(count, rows.length, `${level} ${status}`);
      }
    }
    assert.deepEqual(report.target, { url: 'https://fixture.example.test/api', appId: 'fixture-app', embedded: false });
  });

  test('each requirement has the status its fixture tests give it, with reasons and messages', () => {
    const report = readReport(full);
    for (const row of report.requirements) assert.equal(row.status, EXPECTED[row.id] ?? 'untested', row.id);
    const byId = new Map(report.requirements.map((row) => [row.id, row]));
    assert.match(byId.get('USR-CREATE-DUPLICATE-409')?.reason ?? '', /^Not judged: the first create did not work/);
    assert.equal(byId.get('USR-USERNAME-ALPHABET')?.inconclusive, true);
    assert.equal(byId.get('USR-CREATE-SHAPE')?.tests.length, 2);
    assert.match(byId.get('USR-CREATE-SHAPE')?.message ?? '', /^RequirementViolation: USR-CREATE-SHAPE \(MUST, D6\)/);
    assert.ok(!byId.get('USR-CREATE-SHAPE')?.message?.includes(String.fromCharCode(27)), 'colour codes stripped');
    const charged = byId.get('USR-ROBUST-NO-5XX');
    assert.equal(charged?.findings, 3, 'the finding shown and the two more it counts');
    assert.match(
      charged?.message ?? '',
      /^Across the run, 3 exchange\(s\) broke this requirement, seen by "helper without a requirement"/,
    );
    assert.deepEqual(report.summary.gate.failing, ['USR-CREATE-SHAPE', 'USR-ROBUST-NO-5XX']);
    assert.deepEqual(report.summary.gate.warnings, [
      'USR-CREATE-ECHO',
      'USR-CREATE-STATUS-201',
      'USR-LIST-ROLE-STATUS',
    ]);
    assert.ok(!report.requirements.some((row) => row.tests.some((title) => title.includes('helper'))));
  });

  test('junit.xml, read by a JUnit parser, fails exactly the requirements that fail the gate', async () => {
    const suites = (await parse(readFileSync(join(full, 'junit.xml'), 'utf8'))) as TestSuites;
    const failed = (suites.testsuite ?? [])
      .flatMap((suite) => suite.testcase ?? [])
      .filter((entry) => entry.failure?.length)
      .map((entry) => String(entry.name).split(' ')[0])
      .sort();
    assert.deepEqual(failed, readReport(full).summary.gate.failing);
  });

  test('the API key appears in no file and no output; the step summary got the Markdown', () => {
    for (const file of FILES) assert.ok(!readFileSync(join(full, file), 'utf8').includes(SECRET), file);
    assert.ok(!fullRun.stdout.includes(SECRET) && !fullRun.stderr.includes(SECRET));
    const summary = readFileSync(stepSummary, 'utf8');
    assert.equal(summary, `${readFileSync(join(full, 'conformance.md'), 'utf8')}\n`);
    assert.ok(!readFileSync(join(full, 'conformance.html'), 'utf8').includes('<script>alert'));
  });
});

describe('two shards merged by merge-reports', () => {
  test('give the same conformance.json as the unsharded run, times aside, and the same badge', async () => {
    const result = await merge('merged');
    assert.equal(result.code, 0, 'merge-reports always exits 0; `npm run gate` judges its report');
    assert.match(result.stdout, /^FAIL Users API conformance/);
    assert.deepEqual(withoutTimes(readReport(join(dir, 'merged'))), withoutTimes(readReport(full)));
    assert.equal(
      readFileSync(join(dir, 'merged', 'conformance-badge.svg'), 'utf8'),
      readFileSync(join(full, 'conformance-badge.svg'), 'utf8'),
    );
  });

  test('GATE and BASELINE apply when merging too; bad values fail with one error line', async () => {
    const baseline = join(full, 'conformance.json');
    const [strict, bogus, same, missing] = await Promise.all([
      merge('strict', { GATE: 'strict' }),
      merge('bogus', { GATE: 'sometimes' }),
      merge('same', { BASELINE: baseline }),
      merge('missing', { BASELINE: join(dir, 'nope.json') }),
    ]);
    const strictReport = readReport(join(dir, 'strict'));
    assert.deepEqual(strictReport.summary.gate.failing, [
      'USR-CREATE-SHAPE',
      'USR-CREATE-STATUS-201',
      'USR-ROBUST-NO-5XX',
    ]);
    assert.equal(strictReport.summary.gate.policy, 'strict');
    assert.match(strict.stdout, /^FAIL Users API conformance \(gate: strict\)$/m);

    assert.equal(readReport(join(dir, 'bogus')).summary.verdict, 'fail');
    assert.match(bogus.stdout, /error: GATE="sometimes" is not a gate policy/);

    const sameReport = readReport(join(dir, 'same'));
    assert.deepEqual(sameReport.summary.gate.failing, [], 'nothing regressed against itself');
    assert.equal(sameReport.summary.verdict, 'incomplete', 'what the fixture does not judge is still unjudged');
    assert.ok(same.stdout.includes('[did not pass in the baseline]'));

    assert.equal(readReport(join(dir, 'missing')).summary.verdict, 'fail');
    assert.match(missing.stdout, /error: BASELINE: .*nope\.json does not exist/);
  });
});
