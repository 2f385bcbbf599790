// The layers the layout shows, held by a test: product code (what the package ships) never
// imports the project's own tools (self-tests, benchmarks, docs), and runtime/ imports nothing.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '../..');

/** Which layers each layer may import from (besides itself). A new folder must be placed here. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  runtime: [],
  // The package root, to find its data also when running from dist/.
  specs: ['runtime'],
  schemas: [],
  server: ['runtime', 'specs'],
  reporters: ['runtime', 'specs'],
  bin: ['runtime', 'specs', 'reporters'],
  // The configuration sets the suite's option fixtures, typed by the suite.
  'playwright.config.ts': ['runtime', 'specs', 'tests/conformance'],
  'tests/conformance': ['runtime', 'specs', 'server'],
  // The tools reach the product through the modules a user's code would, never through each other's tests.
  bench: ['runtime', 'specs', 'server', 'reporters'],
  docs: ['runtime', 'specs', 'server', 'reporters', 'bench', 'tests/self'],
  'tests/self': ['runtime', 'specs', 'server', 'reporters', 'bin', 'bench', 'tests/conformance'],
};

const NOT_SOURCE = new Set(['node_modules', '.git', 'dist', 'reports', 'test-results', 'playwright-report']);

function layerOf(path: string): string {
  // dist/ holds the build of the product's layers: dist/bin/cli.js is bin's.
  if (path.startsWith('dist/')) return layerOf(path.slice('dist/'.length));
  const [top, second] = path.split('/');
  return top === 'tests' && second ? `tests/${second}` : (top ?? path);
}

/** Every import of one module that crosses into a layer its own layer may not use. */
export function reverseImports(sources: ReadonlyMap<string, string>): string[] {
  const findings: string[] = [];
  for (const [path, text] of sources) {
    const from = layerOf(path);
    const allowed = MAY_IMPORT[from];
    if (!allowed) {
      findings.push(`${path}: its layer "${from}" is not in MAY_IMPORT; say which layers it may import`);
      continue;
    }
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = posix.normalize(posix.join(posix.dirname(path), fileName));
      const to = layerOf(target);
      if (to !== from && !allowed.includes(to))
        findings.push(`${path} imports ${fileName} (${from} may not import ${to})`);
    }
  }
  return findings;
}

function projectSources(): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (NOT_SOURCE.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|mts|mjs)$/.test(entry.name))
        sources.set(relative(ROOT, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(ROOT);
  return sources;
}

describe('layers', () => {
  test('no module of the project imports across its layer', () => {
    const sources = projectSources();
    assert.ok(sources.size > 100, `found only ${sources.size} modules under ${ROOT}`);
    assert.deepEqual(reverseImports(sources), []);
  });

  test('a reverse import is found, and so is a folder the table does not place', () => {
    const planted = new Map([
      ['runtime/settings.ts', "import { check } from '../tests/conformance/support/checks.js';"],
      ['reporters/gate.ts', "import type { Page } from '../bench/follow-pages.js';\nimport { x } from './y.js';"],
      ['server/cli.ts', "export { startTestApi } from '../tests/self/support/reference-server-harness.js';"],
      ['tests/self/a.test.ts', "import { readSettings } from '../../runtime/settings.js';"],
      ['tools/x.ts', "import { y } from './y.js';"],
    ]);
    assert.deepEqual(reverseImports(planted), [
      'runtime/settings.ts imports ../tests/conformance/support/checks.js (runtime may not import tests/conformance)',
      'reporters/gate.ts imports ../bench/follow-pages.js (reporters may not import bench)',
      'server/cli.ts imports ../tests/self/support/reference-server-harness.js (server may not import tests/self)',
      'tools/x.ts: its layer "tools" is not in MAY_IMPORT; say which layers it may import',
    ]);
  });
});
