// The example workflows of .github/workflows lint clean with actionlint and call the kit only in
// ways it works, and the linter does fail broken workflows, so a clean lint means something.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { SETTING_NAMES, SETTINGS } from '../../runtime/settings.js';
import { formatProblems, lintWorkflowFolder, workflowFiles } from './support/lint-workflows.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORKFLOWS = join(ROOT, '.github', 'workflows');
const KNOWN_FLAGS = new Set([...SETTING_NAMES.map((name) => `--${SETTINGS[name].flag}`), '--shard']);

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  jobs: Record<string, { needs?: string | string[]; if?: string; steps: Step[]; strategy?: unknown }>;
}

function load(name: string): { text: string; workflow: Workflow } {
  const text = readFileSync(join(WORKFLOWS, name), 'utf8');
  return { text, workflow: parse(text) as Workflow };
}

/** `${{ inner }}`, a GitHub Actions expression. */
function expression(inner: string): string {
  return `\${{ ${inner} }}`;
}

function steps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

// The command as the kit's tarball installs it into the workflow's own folder.
const KIT_BIN = '"$RUNNER_TEMP/kit/node_modules/.bin/users-api-conformance"';

/** The flags of every run of the installed kit (not its gate). */
function kitFlags(workflow: Workflow): string[] {
  const runs = steps(workflow)
    .map((step) => step.run ?? '')
    .filter((run) => run.startsWith(KIT_BIN) && !run.includes(' gate '));
  assert.ok(runs.length > 0, 'the installed kit runs');
  const flags = runs.flatMap((run) => run.match(/(?<=\s)--[a-z-]+/g) ?? []);
  assert.ok(flags.includes('--url'), 'the kit is pointed at the backend');
  return flags;
}

/** The kit is packed from its own repository and installed from that tarball, before it runs. */
function assertInstalledFromSource(text: string, workflow: Workflow): void {
  assert.doesNotMatch(text, /\bnpx\b/, 'npx would fetch a package by name from the registry');
  assert.doesNotMatch(text, /install[^\n]*users-api-conformance@/, 'no package name from the registry');
  for (const job of Object.values(workflow.jobs)) {
    const runs = job.steps.map((step) => step.run ?? '');
    const checkout = job.steps.findIndex(
      (step) =>
        step.uses?.startsWith('actions/checkout@') && step.with?.repository === expression('env.KIT_REPOSITORY'),
    );
    const install = runs.findIndex((run) => run.includes('npm pack ./.conformance-kit') && run.includes('.tgz'));
    const use = runs.findIndex((run) => run.includes(KIT_BIN));
    assert.ok(checkout >= 0 && install > checkout && use > install, 'checkout of the kit, pack and install, then run');
  }
}

const dir = mkdtempSync(join(tmpdir(), 'workflows-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the example workflows', () => {
  test('are the gate and the sharded example, and lint clean', async () => {
    assert.deepEqual(
      workflowFiles(WORKFLOWS).map((file) => basename(file)),
      ['conformance-gate.yml', 'conformance-sharded.yml'],
    );
    const problems = await lintWorkflowFolder(WORKFLOWS);
    assert.deepEqual(problems, [], formatProblems(problems));
  });

  test('the gate example installs the kit from its source, on Node 24, keeps the reports, and its run is the gate', () => {
    const { text, workflow } = load('conformance-gate.yml');
    assertInstalledFromSource(text, workflow);
    const all = steps(workflow);
    assert.equal(all.find((step) => step.uses?.startsWith('actions/setup-node@'))?.with?.['node-version'], 24);
    const kit = all.find((step) => step.run?.startsWith(KIT_BIN));
    assert.ok(kit, 'a step runs the installed kit');
    assert.ok(!kit.if, 'the run step is not made to pass: its exit code is the gate');
    assert.ok(kit.run?.includes('--api-key-env USERS_API_KEY'), 'the key by the name of its variable');
    const upload = all.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    assert.equal(upload?.if, expression('!cancelled()'), 'the reports are kept when the gate fails');
    assert.match(String(upload?.with?.path), /reports\//);
    for (const flag of kitFlags(workflow)) assert.ok(KNOWN_FLAGS.has(flag), `${flag} is a flag of the kit`);
  });

  test('the sharded example uploads each blob, merges with the packaged reporter, then gates', () => {
    const { text, workflow } = load('conformance-sharded.yml');
    assertInstalledFromSource(text, workflow);
    const shard = workflow.jobs.shard;
    const merge = workflow.jobs.merge;
    assert.ok(shard && merge);
    assert.ok(shard.strategy, 'the shards are a matrix');
    assert.equal(merge.needs, 'shard');
    assert.equal(merge.if, expression('!cancelled()'), 'the merge runs after a failed shard too');
    assert.ok(
      shard.steps.some((step) =>
        step.run?.includes(`--shard ${expression('matrix.shard')}/${expression('strategy.job-total')}`),
      ),
    );
    const blobUpload = shard.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    assert.equal(blobUpload?.with?.path, 'reports/blob/');
    assert.ok(merge.steps.some((step) => step.uses?.startsWith('actions/download-artifact@')));
    const reporter = /node_modules\/users-api-conformance\/(reporters\/[\w.-]+)/.exec(text)?.[1];
    assert.equal(reporter, 'reporters/conformance-reporter.mjs');
    readFileSync(join(ROOT, reporter), 'utf8');
    const runs = merge.steps.map((step) => step.run ?? '');
    const mergeAt = runs.findIndex((run) => run.includes('merge-reports --reporter'));
    const gateAt = runs.findIndex((run) => /users-api-conformance" gate reports\/conformance\.json/.test(run));
    assert.ok(mergeAt >= 0 && gateAt > mergeAt, 'merge-reports, then the gate on its report');
    for (const flag of kitFlags(workflow)) assert.ok(KNOWN_FLAGS.has(flag), `${flag} is a flag of the kit`);
  });
});

describe('the linter', () => {
  test('fails a workflow that is not YAML', async () => {
    const folder = join(dir, 'syntax');
    writeFileSync(join(mkdirp(folder), 'broken.yml'), 'on: push\njobs:\n  test:\n    runs-on: [ubuntu-latest\n');
    const problems = await lintWorkflowFolder(folder);
    assert.ok(problems.length > 0, 'a YAML error is a problem');
    assert.equal(problems[0]?.kind, 'yaml');
    assert.equal(problems[0]?.file, join(folder, 'broken.yml'));
  });

  test('fails a workflow with a wrong key, an unknown needed job and an undefined matrix value', async () => {
    const folder = join(dir, 'semantic');
    const broken = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    strategy:',
      '      matrix:',
      '        shard: [1, 2]',
      '    steps:',
      `      - run: echo ${expression('matrix.shards')}`,
      '        bogus-key: 1',
      '  merge:',
      '    needs: biuld',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/download-artifact@v4',
      '',
    ].join('\n');
    writeFileSync(join(mkdirp(folder), 'broken.yml'), broken);
    const problems = await lintWorkflowFolder(folder);
    const text = formatProblems(problems);
    assert.match(text, /bogus-key/);
    assert.match(text, /biuld/);
    assert.match(text, /shards/);
  });
});

function mkdirp(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}
