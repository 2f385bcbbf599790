// The catalog is the only list of requirements: every requirement has a test, every test
// names a requirement the catalog has, and each test's title and tags agree with its entry.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { LEVELS } from '../../reporters/report-types.js';
import { contract } from '../../specs/contract.js';
import { projectRoot } from './support/run-suite.js';

interface ListedSuite {
  specs?: { title: string; tags?: string[]; file: string }[];
  suites?: ListedSuite[];
}

function specsOf(suite: ListedSuite): NonNullable<ListedSuite['specs']> {
  return [...(suite.specs ?? []), ...(suite.suites ?? []).flatMap(specsOf)];
}

async function listSuite(): Promise<NonNullable<ListedSuite['specs']>> {
  // --list loads every test file without running a test or the global setup.
  const { stdout } = await promisify(execFile)('npx', ['playwright', 'test', '--list', '--reporter=json'], {
    cwd: projectRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  return specsOf(JSON.parse(stdout) as ListedSuite);
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
