// Tests of the gate and matrix commands: verdicts, tables and exit codes on synthetic reports. Most
// call the functions; a few spawn the real commands to check exit codes end to end.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cleanEnv, runBounded } from '../../bench/child-process.js';
import { serializeReport } from '../../reporters/build-report.js';
import { runGate } from '../../reporters/gate-command.js';
import { runMatrix } from '../../reporters/matrix-command.js';
import { syntheticReport } from './fixtures/reporter/fake-results.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'reporter-commands-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const passing = write('passing.json', serializeReport(syntheticReport({ 'USR-CREATE-STATUS-201': 'failed' })));
const failing = write('failing.json', serializeReport(syntheticReport({ 'USR-CREATE-SHAPE': 'failed' })));
const { complete: _complete, ...cut } = syntheticReport({});
const incomplete = write('incomplete.json', JSON.stringify(cut));
const garbage = write('garbage.json', 'not json at all');

describe('gate command', () => {
  test('0 when no MUST failed; the SHOULD failure is a warning', () => {
    const result = runGate([passing]);
    assert.equal(result.code, 0, result.out.join('\n'));
    assert.match(result.out[0] ?? '', /PASS/);
  });

  test('1 when a MUST failed, naming it', () => {
    const result = runGate([failing]);
    assert.equal(result.code, 1);
    assert.match(result.out.join('\n'), /USR-CREATE-SHAPE/);
    assert.match(result.out.at(-1) ?? '', /^failing: USR-CREATE-SHAPE$/);
  });

  test('--strict fails on the SHOULD failure', () => {
    const result = runGate([passing, '--strict']);
    assert.equal(result.code, 1);
    assert.match(result.out.join('\n'), /USR-CREATE-STATUS-201/);
  });

  test('--baseline fails only on regressions and lists the newly passing', () => {
    assert.equal(runGate([failing, '--baseline', failing]).code, 0, 'the same failure is no regression');
    assert.equal(runGate([failing, `--baseline=${passing}`]).code, 1, 'USR-CREATE-SHAPE passed in the baseline');
    const better = runGate([passing, '--baseline', failing]);
    assert.equal(better.code, 0);
    assert.match(better.out.join('\n'), /newly passing: USR-CREATE-SHAPE/);
  });

  test('2 for a missing, garbage or incomplete report, or bad use; never a pass', () => {
    const cases: [string[], RegExp][] = [
      [[join(dir, 'nope.json')], /does not exist/],
      [[garbage], /is not valid JSON/],
      [[incomplete], /incomplete\.json is incomplete: the run that wrote it did not finish/],
      [[passing, '--baseline', incomplete], /baseline .*incomplete\.json is incomplete/],
      [[], /give exactly one report file/],
      [[passing, failing], /give exactly one report file/],
      [[passing, '--lenient'], /unknown option --lenient/],
      [[passing, '--baseline'], /--baseline needs a value/],
    ];
    for (const [args, message] of cases) {
      const result = runGate(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.err.join('\n'), message);
    }
  });
});

describe('matrix command', () => {
  const worst = write(
    'worst.json',
    serializeReport(
      syntheticReport(
        { 'USR-CREATE-SHAPE': 'failed', 'USR-GET-SUCCESS': 'failed' },
        { target: { url: 'https://b.example.test', appId: 'app', embedded: false } },
      ),
    ),
  );
  const twinA = write(
    'twin-a.json',
    serializeReport(
      syntheticReport(
        { 'USR-CREATE-ECHO': 'flaky' },
        { target: { url: 'https://a.example.test', appId: 'x', embedded: false } },
      ),
    ),
  );
  const twinB = write(
    'twin-b.json',
    serializeReport(syntheticReport({}, { target: { url: 'https://a.example.test', appId: 'x', embedded: false } })),
  );

  test('writes one table, columns worst to best, named by target or by path when ambiguous', async () => {
    const out = join(dir, 'matrix');
    const result = await runMatrix([twinB, worst, twinA, '--out', out]);
    assert.equal(result.code, 0, result.err.join('\n'));
    const markdown = readFileSync(join(out, 'comparison.md'), 'utf8');
    const html = readFileSync(join(out, 'comparison.html'), 'utf8');
    const header = markdown.split('\n').find((line) => line.startsWith('| Requirement |')) ?? '';
    const worstAt = header.indexOf('https://b.example.test (app app)');
    const aAt = header.indexOf('twin-a.json');
    const bAt = header.indexOf('twin-b.json');
    assert.ok(worstAt > 0 && aAt > worstAt && bAt > aAt, header);
    assert.ok(!header.includes('https://a.example.test'), 'the twins are named by path');
    assert.match(markdown, /^## createUser$/m);
    assert.match(markdown, /\| USR-CREATE-SHAPE .*\| MUST \| ❌ \| ✅ \| ✅ \|/);
    assert.match(markdown, /\| USR-CREATE-ECHO .*\| MUST \| ✅ \| ⚠️ \| ✅ \|/);
    assert.match(html, /<table id="matrix">/);
    assert.equal((html.match(/<th class="impl"/g) ?? []).length, 3);
    assert.ok(!/\b(src|href)=/.test(html), 'self-contained');
  });

  test('2 for an incomplete or garbage input, a repeated file, or none', async () => {
    const out = join(dir, 'never');
    for (const args of [[passing, incomplete], [garbage], [passing, passing], []]) {
      const result = await runMatrix([...args, '--out', out]);
      assert.equal(result.code, 2, args.join(' '));
      assert.ok(result.err[0]?.startsWith('matrix: '), result.err.join('\n'));
    }
    assert.equal(existsSync(out), false, 'nothing written');
  });
});

describe('the commands as processes', () => {
  // A guard against a hung command, not a speed goal.
  const run = (command: string, args: string[]) =>
    runBounded(command, args, { cwd: root, env: cleanEnv(), timeoutMs: 60_000 });
  const tsx = (script: string, args: string[]) => run(process.execPath, ['--import', 'tsx', script, ...args]);

  test('npm run gate and npm run matrix exit 0, 1 and 2', async () => {
    const [pass, fail, bad, cutShort, matrix, matrixBad] = await Promise.all([
      run('npm', ['run', '--silent', 'gate', '--', passing]),
      tsx('reporters/gate-command.ts', [failing]),
      tsx('reporters/gate-command.ts', [garbage]),
      tsx('reporters/gate-command.ts', [incomplete]),
      run('npm', ['run', '--silent', 'matrix', '--', passing, failing, '--out', join(dir, 'cli-matrix')]),
      tsx('reporters/matrix-command.ts', [passing, incomplete, '--out', join(dir, 'cli-never')]),
    ]);
    assert.equal(pass.code, 0, pass.stdout + pass.stderr);
    assert.equal(fail.code, 1, fail.stdout + fail.stderr);
    assert.match(fail.stdout, /FAIL/);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /is not valid JSON/);
    assert.equal(cutShort.code, 2);
    assert.match(cutShort.stderr, /is incomplete: the run that wrote it did not finish/);
    assert.equal(matrix.code, 0, matrix.stderr);
    assert.ok(existsSync(join(dir, 'cli-matrix', 'comparison.html')));
    assert.equal(matrixBad.code, 2);
    assert.match(matrixBad.stderr, /incomplete/);
  });
});
