// The catalog is the only list of requirements: every requirement has a test, every test
// names a requirement the catalog has, and each test's title and tags agree with its entry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanEnv, runBounded } from '../../bench/child-process.js';
import { LEVELS } from '../../reporters/report-types.js';
import { contract } from '../../specs/contract.js';
import { PLAYWRIGHT_CLI } from './support/run-suite.js';

interface ListedSuite {
  specs?: { title: string; tags?: string[]; file: string }[];
  suites?: ListedSuite[];
}

function specsOf(suite: ListedSuite): NonNullable<ListedSuite['specs']> {
  return [...(suite.specs ?? []), ...(suite.suites ?? []).flatMap(specsOf)];
}

// A guard against a hung listing, not a speed goal.
const LIST_TIMEOUT_MS = 120_000;

async function listSuite(): Promise<NonNullable<ListedSuite['specs']>> {
  // --list loads every test file without running a test or the global setup.
  const listed = await runBounded(process.execPath, [PLAYWRIGHT_CLI, 'test', '--list', '--reporter=json'], {
    env: cleanEnv(),
    timeoutMs: LIST_TIMEOUT_MS,
  });
  assert.equal(listed.code, 0, listed.stderr);
  return specsOf(JSON.parse(listed.stdout) as ListedSuite);
}

test('every catalog requirement has a test, and every test names a catalog requirement', async () => {
  const specs = await listSuite();
  const levels = new Set<string>(LEVELS);
  const tested = new Set<string>();
  for (const spec of specs) {
    const tags = (spec.tags ?? []).map((tag) => tag.replace(/^@/, ''));
    const ids = tags.filter((tag) => tag.startsWith('USR-'));
    if (spec.file.endsWith('.setup.ts')) continue; // The run's bookkeeping judges no requirement.
    assert.equal(
      ids.length,
      1,
      `"${spec.title}" (${spec.file}) must carry exactly one requirement tag, has ${ids.join(', ') || 'none'}`,
    );
    const id = ids[0] as string;
    const entry = contract().requirement(id);
    assert.ok(
      spec.title.startsWith(`${id} ${entry.title}`),
      `"${spec.title}" must start with its ID and the catalog's title`,
    );
    assert.deepEqual(
      tags.filter((tag) => levels.has(tag)),
      [entry.level],
      `"${spec.title}" must carry exactly its catalog level`,
    );
    tested.add(id);
  }
  const untested = contract()
    .requirements.map((requirement) => requirement.id)
    .filter((id) => !tested.has(id));
  assert.deepEqual(untested, [], 'requirements without a test');
});
