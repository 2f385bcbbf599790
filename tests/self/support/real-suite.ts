// The checks every report of the real suite run as configured must pass, shared by the self-tests
// that run it whole: the canonical run of `npm test` and the e2e fault matrix.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_FILES as REPORTER_FILES } from '../../../reporters/report-files.js';
import { type ConformanceReport, LEVELS } from '../../../reporters/report-types.js';
import { contract } from '../../../specs/contract.js';

/** The report files every run of the real suite writes (its config adds no JUnit reporter of its own). */
export const REPORT_FILES = [REPORTER_FILES.json, REPORTER_FILES.markdown, REPORTER_FILES.html, REPORTER_FILES.badge];

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
