// The npm package works where it is installed, not only here: packed, installed into an empty
// folder without a TypeScript loader, and run there: whole, with a bad --url, and sharded.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cleanEnv, type Finished, runBounded } from '../../../bench/child-process.js';
import { REPORT_SCHEMA } from '../../../reporters/read-report.js';
import type { ConformanceReport } from '../../../reporters/report-types.js';
import { contract } from '../../../specs/contract.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// A guard against a hung step, not a speed goal: a whole suite run on a busy two-core machine
// beside other end-to-end files takes two minutes and more.
const STEP_TIMEOUT_MS = 360_000;

function run(command: string, args: readonly string[], cwd: string): Promise<Finished> {
  return runBounded(command, args, { cwd, env: cleanEnv(), timeoutMs: STEP_TIMEOUT_MS });
}

function explain(result: Finished): string {
  return `exit ${result.code}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`;
}

function readReport(path: string): ConformanceReport {
  const report = JSON.parse(readFileSync(path, 'utf8')) as ConformanceReport;
  const checked = contract().validate(REPORT_SCHEMA, report);
  assert.ok(checked.valid, checked.errors.join('\n'));
  return report;
}

const dir = mkdtempSync(join(tmpdir(), 'package-test-'));
const app = join(dir, 'app');
let packedFiles: string[] = [];

before(async () => {
  const packed = await run('npm', ['pack', '--json', '--pack-destination', dir], ROOT);
  assert.equal(packed.code, 0, explain(packed));
  const [entry] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  assert.ok(entry);
  packedFiles = entry.files.map((file) => file.path);
  mkdirSync(app);
  // --prefix: npm would otherwise install into the nearest parent folder with a package.json.
  const installed = await run(
    'npm',
    [
      'install',
      '--prefix',
      app,
      join(dir, entry.filename),
      '--omit=dev',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
    ],
    app,
  );
  assert.equal(installed.code, 0, explain(installed));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the packed tarball', () => {
  test('holds the command, the config, the suite, the reporters, the server and the contract', () => {
    for (const path of [
      'package.json',
      'README.md',
      'bin/users-api-conformance.mjs',
      'dist/bin/cli.js',
      'dist/playwright.config.js',
      'dist/runtime/settings.js',
      'dist/runtime/package-root.js',
      'dist/tests/conformance/global-setup.js',
      'dist/tests/conformance/operations/create.spec.js',
      'dist/reporters/conformance-reporter.js',
      'reporters/conformance-reporter.mjs',
      'dist/server/reference-server.js',
      'dist/specs/contract.js',
      'specs/requirements.yaml',
      'specs/users.openapi.yaml',
      'schemas/conformance-report.schema.json',
    ]) {
      assert.ok(packedFiles.includes(path), `${path} is packed`);
    }
  });

  test('and nothing else: no TypeScript sources, self-tests, benchmarks, docs or workflows', () => {
    const allowed =
      /^(README\.md|package\.json|bin\/users-api-conformance\.mjs|reporters\/conformance-reporter\.mjs|dist\/(playwright\.config|(bin|reporters|runtime|server|specs|tests\/conformance)\/.+)\.js|schemas\/[\w.-]+\.json|specs\/[\w.-]+\.(yaml|md))$/;
    assert.deepEqual(
      packedFiles.filter((path) => !allowed.test(path)),
      [],
    );
    assert.ok(!packedFiles.some((path) => path.includes('tests/self/')), 'the self-tests and their harness stay home');
  });
});

describe('its runtime dependencies', () => {
  test('hold no TypeScript loader or compiler', () => {
    const loaders = ['tsx', 'ts-node', 'esbuild', '@esbuild', 'typescript'];
    const installed = loaders.filter((name) => existsSync(join(app, 'node_modules', name)));
    assert.deepEqual(installed, [], `installed in ${app}/node_modules`);
  });
});

describe('installed into an empty folder', () => {
  test('npx --no-install users-api-conformance runs the embedded server and writes a valid report there', async () => {
    // --no-install: npx must find the kit installed, never fetch a package of that name.
    const result = await run('npx', ['--no-install', 'users-api-conformance'], app);
    assert.equal(result.code, 0, explain(result));
    assert.match(result.stdout, /^PASS Users API conformance \(gate: default\)$/m);
    const report = readReport(join(app, 'reports', 'conformance.json'));
    assert.equal(report.complete, true);
    assert.equal(report.summary.verdict, 'pass');
    assert.equal(report.target.embedded, true);
    assert.ok(existsSync(join(app, 'reports', 'conformance.html')));
    assert.ok(existsSync(join(app, 'reports', 'junit.xml')), 'every report goes to the same folder');
    assert.ok(!existsSync(join(app, 'node_modules', 'users-api-conformance', 'reports')), 'nothing inside the package');
  });

  test('npx users-api-conformance --url not-a-url: one line, exit 2', async () => {
    const result = await run('npx', ['--no-install', 'users-api-conformance', '--url', 'not-a-url'], app);
    assert.equal(result.code, 2, explain(result));
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^users-api-conformance: --url: API_URL="not-a-url" is not a URL[^\n]*\n$/);
  });

  test('a shard, merge-reports with the packaged reporter, and the gate on the merged report: INCOMPLETE', async () => {
    const shard = await run(
      'npx',
      [
        '--no-install',
        'users-api-conformance',
        '--shard',
        '1/1',
        '--report-dir',
        'shard',
        '--',
        '--grep',
        '@USR-CREATE-SHAPE',
      ],
      app,
    );
    assert.equal(
      shard.code,
      0,
      `a shard that judged part of the catalog and failed nothing exits 0: ${explain(shard)}`,
    );
    const blobs = readdirSync(join(app, 'shard', 'blob'));
    assert.ok(blobs.length === 1 && blobs[0]?.endsWith('.zip'), `one blob in {report-dir}/blob: ${blobs.join(', ')}`);
    const reporter = './node_modules/users-api-conformance/reporters/conformance-reporter.mjs';
    const merged = await run('npx', ['playwright', 'merge-reports', '--reporter', reporter, 'shard/blob'], app);
    assert.equal(merged.code, 0, explain(merged));
    const report = readReport(join(app, 'reports', 'conformance.json'));
    assert.equal(report.requirements.find((row) => row.id === 'USR-CREATE-SHAPE')?.status, 'passed');
    const gate = await run('npx', ['--no-install', 'users-api-conformance', 'gate', 'reports/conformance.json'], app);
    // One requirement judged of the catalog: never a PASS.
    assert.equal(gate.code, 4, explain(gate));
    assert.match(gate.stdout, /^INCOMPLETE Users API conformance of reports\/conformance\.json/);
  });
});
