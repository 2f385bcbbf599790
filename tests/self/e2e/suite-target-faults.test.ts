// The suite against targets that fail under it (stop, hang, answer HTML or non-JSON): each run must
// end soon, say what happened naming the target, and write a report that never reads as a pass.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type RunningReferenceServer, startReferenceServer } from '../../../server/reference-server.js';
import { type FaultyTarget, startFaultyTarget, type TargetBehaviour } from '../support/faulty-target.js';
import { rowsOf, runSuite, type SuiteRun, tail } from '../support/run-suite.js';

const API_KEY = 'target-faults-key';
const APPS = { APP_ID: 'faults-home', SECOND_APP_ID: 'faults-other' };
// The suite's own time-out for each request, kept short so a hang is found in seconds.
const REQUEST_TIMEOUT_MS = 1_500;
// Requests the target answers well before it breaks: the run is then in its parallel phase.
const BREAK_AFTER_REQUESTS = 150;
// How long a run may go on after its target broke, a bound, not a speed goal: a hang costs a
// request time-out and one more question, the rest is skipping what is left and starting the
// later phases' workers, 9 s on an idle machine and up to 35 s beside the other end-to-end
// tests on two cores. A run that waited out each test's time-outs would take minutes; what
// shows it did not is that the tests left were skipped as not run, asserted below.
const ENDS_WITHIN_MS = 60_000;
// At least this many requirements skipped as not run because the target was lost.
const NOT_RUN_AT_LEAST = 20;

// The spec files of the run against HTML and garbage answers, and the quiet and final checks.
const HTML_OR_GARBAGE_SPECS = [
  'operations/create.spec.ts',
  'operations/get.spec.ts',
  'operations/pagination.spec.ts',
  'quiet/',
  'final/',
  'run-start',
];

interface FaultRun extends SuiteRun {
  /** Milliseconds from the target breaking to the run's exit; undefined if it never broke. */
  afterBreakMs?: number;
}

/** Runs the suite against the target, switching it to `behaviour` after so many requests (BREAK_AFTER_REQUESTS). */
async function runBreaking(
  target: FaultyTarget,
  behaviour: TargetBehaviour | 'stop',
  options: { args?: readonly string[]; breakAfterRequests?: number } = {},
): Promise<FaultRun> {
  const breakAfter = options.breakAfterRequests ?? BREAK_AFTER_REQUESTS;
  let brokeAt: number | undefined;
  const watch = setInterval(() => {
    if (brokeAt !== undefined || target.requests < breakAfter) return;
    brokeAt = performance.now();
    if (behaviour === 'stop') void target.close();
    else target.behave(behaviour);
  }, 20);
  try {
    const run = await runSuite(
      { API_URL: target.url, API_KEY, ...APPS, REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
      { args: options.args },
    );
    return { ...run, afterBreakMs: brokeAt === undefined ? undefined : performance.now() - brokeAt };
  } finally {
    clearInterval(watch);
  }
}

/** Control characters other than tab, newline and carriage return: unreadable in a report. */
function hasRawControlCharacters(text: string): boolean {
  return [...text].some((char) => {
    const code = char.codePointAt(0) ?? 0;
    return (code < 0x20 && char !== '\t' && char !== '\n' && char !== '\r') || code === 0x7f;
  });
}

/**
 * The checks every broken run must pass: a failing exit, a written report with the verdict:
 * ERROR for a target that could not be tested (lost), FAIL for one that answers wrongly.
 */
function assertReportedAsBroken(run: FaultRun, verdict: 'error' | 'fail'): NonNullable<SuiteRun['report']> {
  assert.notEqual(run.exitCode, 0, `a run against a broken target exited 0:\n${tail(run)}`);
  assert.doesNotMatch(run.output, /conformance reporter failed/, 'the reporter crashed');
  assert.ok(run.report, `no conformance.json was written:\n${tail(run)}`);
  assert.equal(run.report.summary.verdict, verdict);
  return run.report;
}

describe('the suite against a target that breaks mid-run', { concurrency: 1 }, () => {
  let server: RunningReferenceServer;
  let target: FaultyTarget | undefined;

  before(async () => {
    server = await startReferenceServer({ apiKey: API_KEY });
  });
  after(async () => {
    await target?.close();
    await server.close();
  });

  for (const [behaviour, cause] of [
    ['stop', /ECONNREFUSED|ECONNRESET|socket hang up/],
    ['hang', /Timeout|timed? ?out|aborted/i],
  ] as const) {
    test(`when it ${behaviour === 'stop' ? 'stops' : 'hangs'}, the run ends in seconds, names the target and writes an incomplete report`, async () => {
      target = await startFaultyTarget(server.url);
      const run = await runBreaking(target, behaviour);
      await target.close();
      assert.ok(run.afterBreakMs !== undefined, `the target never broke:\n${tail(run)}`);
      const report = assertReportedAsBroken(run, 'error');
      assert.ok(
        run.afterBreakMs < ENDS_WITHIN_MS,
        `the run went on ${Math.round(run.afterBreakMs)} ms after the target broke`,
      );
      assert.equal(report.complete, false, 'a run whose target was lost must not be a complete report');
      const notRun = report.requirements.filter(
        (row) => row.status === 'skipped' && /^not run: /m.test(row.reason ?? ''),
      );
      assert.ok(notRun.length >= NOT_RUN_AT_LEAST, `only ${notRun.length} requirements were skipped as not run`);
      const lost = report.summary.targetError ?? '';
      assert.match(lost, /stopped answering/, 'the report says the target stopped answering');
      assert.ok(lost.includes(target.url), `the message does not name the target ${target.url}: ${lost}`);
      assert.match(lost, cause);
      assert.match(
        run.output,
        new RegExp(
          `^ERROR Users API conformance: the target could not be tested: [^\n]*stopped answering[^\n]*${target.url}`,
          'm',
        ),
      );
      assert.equal(run.output.match(/stopped answering/g)?.length, 1, 'the reason is printed once');
      // What completed before the break is kept: the report is not emptied.
      assert.ok(
        report.requirements.some((row) => row.status === 'passed'),
        'no requirement kept the pass it earned before the break',
      );
    });
  }
});

test('a target that starts answering HTML error pages and bytes that are not JSON fails readably, and the reporter copes', async () => {
  const server = await startReferenceServer({ apiKey: API_KEY });
  const target = await startFaultyTarget(server.url);
  try {
    // One run for both kinds of answer (they alternate), of the create, get and paging tests:
    // each failed test costs Playwright a new worker process, about a second on two cores, and
    // these already fail in every way an answer that is not the API makes them fail.
    // It breaks early, once the run has started: the subset sends fewer requests.
    const run = await runBreaking(target, 'html-or-garbage', { args: HTML_OR_GARBAGE_SPECS, breakAfterRequests: 5 });
    const report = assertReportedAsBroken(run, 'fail');
    // The target answered throughout: the run finished, and its failures are the target's.
    assert.equal(report.complete, true, `the run did not finish:\n${tail(run)}`);
    const failed = report.requirements.filter((row) => row.status === 'failed');
    assert.ok(failed.length >= 10, `only ${failed.length} requirements failed`);
    for (const row of failed) {
      assert.ok(row.message, `${row.id} failed without a message`);
      // Readable: no raw control characters from the garbage.
      assert.ok(!hasRawControlCharacters(row.message), `${row.id}: raw bytes in ${JSON.stringify(row.message)}`);
    }
    // And what came back is shown: the HTML page's content type, the garbage's escaped bytes.
    for (const shown of [/Received: +\d+ text\/html/, /\\u0000/]) {
      assert.ok(
        failed.some((row) => shown.test(row.message ?? '')),
        `no failure message shows ${shown}:\n${failed.map((row) => row.message?.slice(0, 300)).join('\n---\n')}`,
      );
    }
  } finally {
    await target.close();
    await server.close();
  }
});

test('a web page where the API should be ends the run at once, with one sentence naming the target', async () => {
  const server = await startReferenceServer({ apiKey: API_KEY });
  const target = await startFaultyTarget(server.url);
  try {
    target.behave('html');
    const run = await runSuite({ API_URL: target.url, API_KEY, ...APPS }, {});
    assert.notEqual(run.exitCode, 0);
    assert.equal(target.requests, 1, 'one probe, then the run ends');
    assert.match(run.output, new RegExp(`target at ${target.url} does not look like the Users API[^\n]*web page`));
    const judged = run.report ? rowsOf(run).filter((row) => row.status !== 'skipped' && row.status !== 'untested') : [];
    assert.deepEqual(judged, [], 'no requirement was judged');
  } finally {
    await target.close();
    await server.close();
  }
});
