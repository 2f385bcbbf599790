// Unit tests of the reporter's input side (collect-tests, statuses, build-report and its schema),
// on synthetic inputs only, so they stay fast.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildReport, buildRows, countByLevel, serializeReport, statusOf } from '../../reporters/build-report.js';
import { collectTests, failedHelpers } from '../../reporters/collect-tests.js';
import { LEVELS } from '../../reporters/report-types.js';
import { contract } from '../../specs/contract.js';
import { fakeSuite, record, syntheticReport } from './fixtures/reporter/fake-results.js';

const catalog = contract().requirements;
const ids = new Set(catalog.map((entry) => entry.id));
const ESC = String.fromCharCode(27);

describe('statusOf: a requirement from its tests', () => {
  test('failed beats flaky beats passed beats skipped; no test is untested', () => {
    assert.equal(statusOf([{ outcome: 'expected' }, { outcome: 'flaky' }, { outcome: 'unexpected' }]), 'failed');
    assert.equal(statusOf([{ outcome: 'skipped' }, { outcome: 'flaky' }, { outcome: 'expected' }]), 'flaky');
    assert.equal(statusOf([{ outcome: 'skipped' }, { outcome: 'expected' }]), 'passed');
    assert.equal(statusOf([{ outcome: 'skipped' }, { outcome: 'skipped' }]), 'skipped');
    assert.equal(statusOf([]), 'untested');
  });
});

describe('buildRows', () => {
  test('one row per catalog requirement, sorted by ID, untested where no test ran', () => {
    const rows = buildRows(catalog, [record('USR-CREATE-SUCCESS', 'expected')]);
    assert.equal(rows.length, catalog.length);
    assert.deepEqual(
      rows.map((row) => row.id),
      [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    assert.equal(rows.find((row) => row.id === 'USR-CREATE-SUCCESS')?.status, 'passed');
    const untested = rows.find((row) => row.id === 'USR-GET-SUCCESS');
    assert.deepEqual(untested && { status: untested.status, tests: untested.tests, reason: untested.reason }, {
      status: 'untested',
      tests: [],
      reason: null,
    });
  });

  test('tests are sorted and deduplicated; the first failure by title gives the message', () => {
    const rows = buildRows(catalog, [
      record('USR-CREATE-SHAPE', 'unexpected', { title: 'b variant', failureMessage: 'second' }),
      record('USR-CREATE-SHAPE', 'expected', { title: 'c variant' }),
      record('USR-CREATE-SHAPE', 'unexpected', { title: 'a variant', failureMessage: 'first' }),
      record('USR-CREATE-SHAPE', 'expected', { title: 'c variant' }),
    ]);
    const row = rows.find((entry) => entry.id === 'USR-CREATE-SHAPE');
    assert.deepEqual(row?.tests, ['a variant', 'b variant', 'c variant']);
    assert.equal(row?.status, 'failed');
    assert.equal(row?.message, 'first\n\n1 more test(s) of this requirement failed:\n- b variant: second');
  });

  test('the other failed tests of a requirement are named by their variant and first expectation', () => {
    const title = `USR-INPUT-UPDATE ${contract().requirement('USR-INPUT-UPDATE').title}`;
    const violation = (field: string) =>
      `RequirementViolation: USR-INPUT-UPDATE\nExpected:  each update of ${field}; 1 of 3 classes were not:\n` +
      `           empty in ${field}: GET showed "x"\nSent:      PUT /users/u`;
    const rows = buildRows(catalog, [
      record('USR-INPUT-UPDATE', 'unexpected', { title: `${title} [avatar]`, failureMessage: violation('avatar') }),
      record('USR-INPUT-UPDATE', 'unexpected', {
        title: `${title} [last_name]`,
        failureMessage: violation('last_name'),
      }),
      record('USR-INPUT-UPDATE', 'expected', { title: `${title} [whole bodies]` }),
    ]);
    const message = rows.find((entry) => entry.id === 'USR-INPUT-UPDATE')?.message ?? '';
    assert.ok(message.startsWith(violation('avatar')), message);
    assert.ok(
      message.endsWith(
        '1 more test(s) of this requirement failed:\n' +
          '- [last_name]: each update of last_name; 1 of 3 classes were not: empty in last_name: GET showed "x"',
      ),
      message,
    );
  });

  test('a skipped requirement carries its reasons, and inconclusive ones are marked', () => {
    const rows = buildRows(catalog, [
      record('USR-CREATE-DUPLICATE-409', 'skipped', { skipReason: 'Not judged: the create did not work.' }),
      record('USR-USERNAME-ALPHABET', 'skipped', { skipReason: 'Inconclusive: it vanished', inconclusive: true }),
      record('USR-CREATE-SUCCESS', 'skipped', { title: 'x', skipReason: 'no second app' }),
      record('USR-CREATE-SUCCESS', 'expected', { title: 'y' }),
    ]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    assert.equal(byId.get('USR-CREATE-DUPLICATE-409')?.reason, 'Not judged: the create did not work.');
    assert.equal(byId.get('USR-CREATE-DUPLICATE-409')?.inconclusive, false);
    assert.equal(byId.get('USR-USERNAME-ALPHABET')?.inconclusive, true);
    assert.equal(byId.get('USR-USERNAME-ALPHABET')?.status, 'skipped');
    // Passed with one variant skipped: no reason, since the requirement was judged.
    assert.equal(byId.get('USR-CREATE-SUCCESS')?.status, 'passed');
    assert.equal(byId.get('USR-CREATE-SUCCESS')?.reason, null);
  });

  test('records of an ID outside the catalog are ignored', () => {
    const rows = buildRows(catalog, [record('USR-NOT-A-REQUIREMENT', 'unexpected')]);
    assert.equal(rows.length, catalog.length);
    assert.ok(rows.every((row) => row.status === 'untested'));
  });
});

describe('collectTests: reading the suite', () => {
  test('reads the ID from the tag, ignores untagged helpers and unknown tags, keeps describe titles', () => {
    const records = collectTests(
      fakeSuite([
        {
          title: 'USR-CREATE-SUCCESS works',
          tags: ['@USR-CREATE-SUCCESS', '@MUST'],
          outcome: 'expected',
          describe: ['group'],
        },
        { title: 'helper', outcome: 'expected' },
        { title: 'stray', tags: ['@USR-NOPE', '@smoke'], outcome: 'unexpected' },
      ]),
      ids,
    );
    assert.deepEqual(
      records.map((entry) => [entry.requirementId, entry.title, entry.outcome]),
      [['USR-CREATE-SUCCESS', 'group › USR-CREATE-SUCCESS works', 'expected']],
    );
  });

  test('a flaky test keeps the message of the try that failed; colours and the key are removed', () => {
    const [flaky, failed] = collectTests(
      fakeSuite([
        {
          title: 'USR-CREATE-ECHO t',
          tags: ['@USR-CREATE-ECHO'],
          outcome: 'flaky',
          tries: [{ status: 'failed', message: `${ESC}[31mboom${ESC}[39m key=s3cret` }, { status: 'passed' }],
        },
        {
          title: 'USR-CREATE-SHAPE t',
          tags: ['@USR-CREATE-SHAPE'],
          outcome: 'unexpected',
          tries: [{ status: 'timedOut', message: 'Test timeout of 60000ms exceeded.' }],
        },
      ]),
      ids,
      ['s3cret'],
    );
    assert.equal(flaky?.failureMessage, 'boom key=$API_KEY');
    assert.equal(failed?.failureMessage, 'Test timeout of 60000ms exceeded.');
  });

  test('skip reasons come from the skip annotation; inconclusive from its annotation', () => {
    const [skipped, inconclusive, notRun] = collectTests(
      fakeSuite([
        {
          title: 'a',
          tags: ['@USR-CREATE-DUPLICATE-409'],
          outcome: 'skipped',
          annotations: [{ type: 'skip', description: 'Not judged: x' }],
          tries: [{ status: 'skipped' }],
        },
        {
          title: 'b',
          tags: ['@USR-USERNAME-ALPHABET'],
          outcome: 'skipped',
          annotations: [
            { type: 'inconclusive', description: 'vanished' },
            { type: 'skip', description: 'Inconclusive: vanished' },
          ],
          tries: [{ status: 'skipped' }],
        },
        { title: 'c', tags: ['@USR-GET-SUCCESS'], outcome: 'skipped' },
      ]),
      ids,
    );
    assert.deepEqual([skipped?.skipReason, skipped?.inconclusive], ['Not judged: x', false]);
    assert.deepEqual([inconclusive?.skipReason, inconclusive?.inconclusive], ['Inconclusive: vanished', true]);
    assert.match(notRun?.skipReason ?? '', /^Not run/);
  });
});

describe('failedHelpers: tests that judge no requirement', () => {
  test('a failed setup or helper test is a run error; passing ones and requirement tests are not', () => {
    const lines = failedHelpers(
      fakeSuite([
        { title: 'the run starts', outcome: 'unexpected', tries: [{ status: 'failed', message: 'target down\nmore' }] },
        { title: 'helper', outcome: 'expected' },
        {
          title: 'USR-CREATE-SHAPE x',
          tags: ['@USR-CREATE-SHAPE'],
          outcome: 'unexpected',
          tries: [{ status: 'failed' }],
        },
      ]),
      ids,
    );
    assert.deepEqual(lines, ['a test that judges no requirement failed: the run starts: target down']);
  });
});

describe('buildReport', () => {
  test('a synthetic report validates against conformance-report.schema.json', () => {
    const report = syntheticReport({ 'USR-CREATE-SHAPE': 'failed', 'USR-CREATE-ECHO': 'flaky' });
    const result = contract().validate('conformance-report', report);
    assert.deepEqual(result.errors, []);
    assert.equal(report.summary.verdict, 'fail');
    assert.equal(Object.keys(report).at(-1), 'complete', 'complete is the end marker');
  });

  test('the schema refuses extra keys, a missing key and an unknown status', () => {
    const report = syntheticReport({});
    const extra = { ...report, apiKey: 'x' };
    assert.equal(contract().validate('conformance-report', extra).valid, false);
    const { complete: _complete, ...missing } = report;
    assert.equal(contract().validate('conformance-report', missing).valid, false);
    const badRow = structuredClone(report);
    (badRow.requirements[0] as { status: string }).status = 'ok';
    assert.equal(contract().validate('conformance-report', badRow).valid, false);
    const badLevel = structuredClone(report);
    (badLevel.summary.counts as Record<string, unknown>).COULD = report.summary.counts.MAY;
    assert.equal(contract().validate('conformance-report', badLevel).valid, false);
  });

  test('counts per level add up to the rows', () => {
    const report = syntheticReport({ 'USR-CREATE-SHAPE': 'failed', 'USR-GET-SUCCESS': 'untested' });
    for (const level of LEVELS) {
      const counts = report.summary.counts[level];
      const sum = counts.passed + counts.failed + counts.skipped + counts.untested + counts.flaky;
      assert.equal(sum, report.requirements.filter((row) => row.level === level).length);
    }
    assert.equal(report.summary.counts.MUST.failed, 1);
    assert.equal(report.summary.counts.MUST.untested, 1);
    assert.deepEqual(countByLevel([]).MAY, { passed: 0, failed: 0, skipped: 0, untested: 0, flaky: 0 });
  });

  test('byte-stable: the same results in another order give the same JSON', () => {
    const records = [
      record('USR-CREATE-SHAPE', 'unexpected', { title: 'b' }),
      record('USR-CREATE-SHAPE', 'expected', { title: 'a' }),
      record('USR-GET-SUCCESS', 'expected'),
      record('USR-CREATE-DUPLICATE-409', 'skipped'),
    ];
    const make = (list: typeof records) => {
      const base = syntheticReport({});
      return serializeReport(
        buildReport({
          ...base,
          startedAt: new Date(base.startedAt),
          endedAt: new Date(base.endedAt),
          rows: buildRows(catalog, list),
          gate: base.summary.gate,
          verdict: base.summary.verdict,
          targetError: null,
          runErrors: [],
          exercise: base.exercise ?? null,
        }),
      );
    };
    assert.equal(make(records), make([...records].reverse()));
  });
});
