// The checks every report of the real suite run as configured (its four files) must pass, for
// the self-tests that run it whole: the canonical run of `npm test` and the planted-bug run of
// the end-to-end tier's fault matrix.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConformanceReport } from '../../../reporters/report-types.js';
import { contract } from '../../../specs/contract.js';

export const REPORT_FILES = ['conformance.json', 'conformance.md', 'conformance.html', 'conformance-badge.svg'];

/** Checks the four files of a report folder: present, the JSON valid and complete, counts matching rows. */
export function checkReportFiles(dir: string): ConformanceReport {
  for (const file of REPORT_FILES) assert.ok(existsSync(join(dir, file)), `${dir}/${file}`);
  const data = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
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
