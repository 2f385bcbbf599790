// End to end on the real suite against a reference server started with a planted bug and an
// API key, as a user runs it: the four files, the JSON against its schema, counts against
// rows, the target, the verdict and exit code, and that no API key is written. The canonical
// run is tests/self/suite-canonical.test.ts.
// Run: node --import tsx --test tests/self/e2e/reporter-suite.test.ts
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FAULTS } from '../../../server/faults.js';
import { startReferenceServer } from '../../../server/reference-server.js';
import { checkReportFiles, REPORT_FILES, runRealSuite } from '../support/real-suite.js';

const FAULT = 'duplicate-usernames';
const KEY = `reporter-test-${randomBytes(12).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'reporter-suite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the real suite fails the gate on the MUST requirements a planted bug breaks, and never writes the key', async () => {
  const server = await startReferenceServer({ apiKey: KEY, faults: [FAULT] });
  try {
    const faulty = await runRealSuite({
      REPORT_DIR: dir,
      API_URL: server.url,
      API_KEY: KEY,
      SECOND_APP_ID: 'reporter-second',
    });
    const data = checkReportFiles(dir);
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
    for (const file of REPORT_FILES) assert.ok(!readFileSync(join(dir, file), 'utf8').includes(KEY), file);
    assert.ok(!faulty.stdout.includes(KEY) && !faulty.stderr.includes(KEY), 'no key in the output');
  } finally {
    await server.close();
  }
});
