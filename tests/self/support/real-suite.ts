// The real suite as a user runs it (`npx playwright test` with the project's own config, its
// configured reporters), and the checks every report of it must pass, for the self-tests that
// run it whole: the canonical run of `npm test` and the planted-bug run of the end-to-end tier.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_FILES as REPORTER_FILES } from '../../../reporters/report-files.js';
import { type ConformanceReport, LEVELS } from '../../../reporters/report-types.js';
import { contract } from '../../../specs/contract.js';
import { projectRoot, type Run } from '../fixtures/reporter/run-playwright.js';

/** The report files every run of the real suite writes (its config adds no JUnit reporter of its own). */
export const REPORT_FILES = [REPORTER_FILES.json, REPORTER_FILES.markdown, REPORTER_FILES.html, REPORTER_FILES.badge];

/** Runs the suite with the given variables (none of the caller's gate or target settings leak in). */
export function runRealSuite(env: Record<string, string>): Promise<Run> {
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

/** Checks the four files of a report folder: present, the JSON valid and complete, counts matching rows. */
export function checkReportFiles(dir: string): ConformanceReport {
  for (const file of REPORT_FILES) assert.ok(existsSync(join(dir, file)), `${dir}/${file}`);
  const data = JSON.parse(readFileSync(join(dir, REPORTER_FILES.json), 'utf8')) as ConformanceReport;
  assert.deepEqual(contract().validate('conformance-report', data).errors, []);
  assert.equal(data.complete, true);
  assert.equal(data.requirements.length, contract().requirements.length);
  for (const level of LEVELS) {
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
