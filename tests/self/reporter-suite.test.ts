// End to end on the real suite: `npx playwright test` with the project's own config, once
// against the embedded reference server and once against a reference server started with a
// planted bug and an API key. Checks the four files, the JSON against its schema, counts
// against rows, the target, the verdict and exit code, and that no API key is written.
// Run: node --import tsx --test tests/self/reporter-suite.test.ts
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ConformanceReport } from '../../reporters/report-types.js';
import { FAULTS } from '../../server/faults.js';
import { type RunningReferenceServer, startReferenceServer } from '../../server/reference-server.js';
import { contract } from '../../specs/contract.js';
import { projectRoot, type Run } from './fixtures/reporter/run-playwright.js';

const FILES = ['conformance.json', 'conformance.md', 'conformance.html', 'conformance-badge.svg'];
const FAULT = 'duplicate-usernames';
const KEY = `reporter-test-${randomBytes(12).toString('hex')}`;
// The embedded server's key, as the global setup makes it.
const EMBEDDED_KEY = /kit-[0-9a-f]{24}/;

const dir = mkdtempSync(join(tmpdir(), 'reporter-suite-'));
let server: RunningReferenceServer;
let embedded: Run;
let faulty: Run;

function suite(env: Record<string, string>): Promise<Run> {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  for (const name of ['GATE', 'BASELINE', 'GITHUB_STEP_SUMMARY', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS']) {
    delete childEnv[name];
  }
  if (!env.API_URL) for (const name of ['API_URL', 'API_KEY', 'SECOND_APP_ID']) delete childEnv[name];
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['playwright', 'test'], {
      cwd: projectRoot,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function report(name: string): ConformanceReport {
  return JSON.parse(readFileSync(join(dir, name, 'conformance.json'), 'utf8')) as ConformanceReport;
}

function checkFiles(name: string): ConformanceReport {
  for (const file of FILES) assert.ok(existsSync(join(dir, name, file)), `${name}/${file}`);
  const data = report(name);
  assert.deepEqual(contract().validate('conformance-report', data).errors, []);
  assert.equal(data.complete, true);
  assert.equal(data.requirements.length, contract().requirements.length);
  for (const level of ['MUST', 'SHOULD', 'MAY'] as const) {
    for (const [status, count] of Object.entries(data.summary.counts[level])) {
      assert.equal(count, data.requirements.filter((row) => row.level === level && row.status === status).length);
    }
  }
  assert.ok(
    data.requirements.some((row) => row.status !== 'untested'),
    'the suite tested something',
  );
  return data;
}

before(async () => {
  server = await startReferenceServer({ apiKey: KEY, faults: [FAULT] });
  [embedded, faulty] = await Promise.all([
    suite({ REPORT_DIR: join(dir, 'embedded') }),
    suite({ REPORT_DIR: join(dir, 'faulty'), API_URL: server.url, API_KEY: KEY, SECOND_APP_ID: 'reporter-second' }),
  ]);
});
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the real suite against the embedded reference server', () => {
  test('writes four valid files whose counts match their rows, and exits as its verdict says', () => {
    const data = checkFiles('embedded');
    assert.deepEqual(data.target, { url: 'embedded:reference-server', appId: 'conformance', embedded: true });
    assert.equal(embedded.code, data.summary.verdict === 'pass' ? 0 : 1, embedded.stdout.slice(-3000));
    assert.match(embedded.stdout, /^Users API conformance: (PASS|FAIL) \(gate: default\)$/m);
    for (const file of FILES) assert.ok(!EMBEDDED_KEY.test(readFileSync(join(dir, 'embedded', file), 'utf8')), file);
  });
});

describe('the real suite against a reference server with a planted bug', () => {
  test('fails the gate on the MUST requirements the bug breaks, and never writes the key', () => {
    const data = checkFiles('faulty');
    assert.equal(data.target.url, server.url);
    assert.equal(data.target.embedded, false);
    assert.equal(data.summary.verdict, 'fail');
    assert.equal(faulty.code, 1, faulty.stdout.slice(-3000));
    const broken = FAULTS.find((fault) => fault.name === FAULT)?.breaks ?? [];
    const failed = data.requirements.filter((row) => row.status === 'failed').map((row) => row.id);
    assert.ok(
      broken.some((id) => failed.includes(id) && data.summary.gate.failing.includes(id)),
      `expected one of ${broken.join(', ')} to fail the gate; failed: ${failed.join(', ')}`,
    );
    for (const row of data.requirements.filter((entry) => entry.status === 'failed')) {
      assert.ok(row.message && row.message.length > 0, `${row.id} has its message`);
    }
    for (const file of FILES) assert.ok(!readFileSync(join(dir, 'faulty', file), 'utf8').includes(KEY), file);
    assert.ok(!faulty.stdout.includes(KEY) && !faulty.stderr.includes(KEY), 'no key in the output');
  });
});
