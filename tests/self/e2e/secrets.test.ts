// The API key never lands in anything a run writes: runs behind a careless proxy that leaks it,
// then every file they created or changed, and their output, searched for every form of the key.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { cleanEnv, type Finished, runBounded } from '../../../bench/child-process.js';
import type { ConformanceReport } from '../../../reporters/report-types.js';
import type { FaultName } from '../../../server/faults.js';
import { type RunningReferenceServer, startReferenceServer } from '../../../server/reference-server.js';
import { type EchoProxy, startEchoProxy } from '../support/echo-proxy.js';
import { projectRoot } from '../support/run-suite.js';
import {
  base64Inner,
  changedFiles,
  describeFindings,
  type Finding,
  readZip,
  SecretScanner,
  secretNeedles,
  snapshotTrees,
  writeZip,
} from '../support/secret-scan.js';

const BIN = join(projectRoot, 'bin', 'users-api-conformance.mjs');
// A guard against a hung run, not a speed goal (see package.test.ts).
const RUN_TIMEOUT_MS = 360_000;

// A key shaped like a real one (a scheme, then a token of random parts joined by characters
// that JSON, URL and HTML encodings treat differently), new for every run of this file.
const PARTS = [0, 1, 2].map(() => randomBytes(8).toString('hex')) as [string, string, string];
const TOKEN = `sk-${PARTS[0]}/${PARTS[1]}+${PARTS[2]}=`;
const API_KEY = `Bearer ${TOKEN}`;
const KEY_VARIABLE = 'SECRETS_TEST_API_KEY';
const NEEDLES = secretNeedles({
  key: API_KEY,
  token: TOKEN,
  'first random part': PARTS[0],
  'second random part': PARTS[1],
  'third random part': PARTS[2],
});

// A fault whose failure message shows three response bodies, each with the echo. Few failures:
// Playwright starts a new worker after each one, half a second of CPU apiece.
const PLANTED_FAULTS: readonly FaultName[] = ['created-at-changes-on-update'];
// The failures the runs must have: the fault's, the wrong key let through, the dropped request.
const EXPECTED_FAILURES = ['USR-UPDATE-CREATED-AT', 'USR-AUTH-WRONG-KEY', 'USR-ROBUST-OVERSIZED-BODY'];
// The sharded run checks only these.
const SHARD_GREP = EXPECTED_FAILURES.map((id) => `@${id}`).join('|');

/** Text with every form of the key masked, safe to put into an assertion message. */
function masked(text: string): string {
  let result = text;
  for (const needle of [...NEEDLES].sort((a, b) => b.bytes.length - a.bytes.length)) {
    result = result.replaceAll(needle.bytes.toString('latin1'), `[[${needle.form}]]`);
  }
  return result;
}

function explain(run: Finished): string {
  return masked(`exit ${run.code}\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
}

/**
 * The environment of a user's run: no setting of the caller's, the key in its own variable, and
 * a temporary folder of the run's own.
 */
function runEnv(extra: Record<string, string>): Record<string, string | undefined> {
  return cleanEnv({ TMPDIR: runTmp, TMP: runTmp, TEMP: runTmp, ...extra });
}

/** `users-api-conformance` with the arguments; its process group is killed when time is up. */
function runKit(args: readonly string[], cwd: string, env: Record<string, string>): Promise<Finished> {
  return runBounded(process.execPath, [BIN, ...args], { cwd, env: runEnv(env), timeoutMs: RUN_TIMEOUT_MS });
}

/** The roots to snapshot, without one that lies inside another. */
function outermost(roots: readonly string[]): string[] {
  const inside = (path: string, root: string) =>
    path !== root && path.startsWith(root.endsWith(sep) ? root : root + sep);
  return roots.filter((root) => !roots.some((other) => inside(root, other)));
}

const dir = mkdtempSync(join(tmpdir(), 'secrets-test-'));
const work = join(dir, 'work');
const fullReports = join(dir, 'full-reports');
const shardReports = join(dir, 'shard-reports');
// The runs' temporary folder, inside this test's: what they write there is theirs alone, and no
// other process's temporary files are read.
const runTmp = join(dir, 'tmp');
const ROOTS = outermost([projectRoot.replace(/[/\\]$/, ''), dir]);

let server: RunningReferenceServer;
let proxy: EchoProxy;
let full: Finished;
let shard: Finished;
let changed: string[];
const scanner = new SecretScanner(NEEDLES);
const seconds = { runs: 0, scan: 0 };
const OUTPUTS = ['full run stdout', 'full run stderr', 'sharded run stdout', 'sharded run stderr'];

before(async () => {
  mkdirSync(work);
  mkdirSync(runTmp);
  server = await startReferenceServer({ apiKey: API_KEY, faults: PLANTED_FAULTS });
  proxy = await startEchoProxy(server.url, { apiKey: API_KEY });
  // Fewer workers than the configured four: what a run writes does not depend on them, and the
  // two runs share two cores.
  const common = ['--url', proxy.url, '--api-key-env', KEY_VARIABLE];
  const beforeRuns = snapshotTrees(ROOTS);
  const startedRuns = performance.now();
  [full, shard] = await Promise.all([
    runKit(
      [
        ...common,
        ...['--app-id', 'secrets-full', '--second-app-id', 'secrets-full-2', '--report-dir', fullReports],
        ...['--', '--workers=2'],
      ],
      work,
      // GitHub Actions' job summary is a file the conformance reporter writes too.
      { [KEY_VARIABLE]: API_KEY, GITHUB_STEP_SUMMARY: join(dir, 'step-summary.md') },
    ),
    // A shard writes a blob report instead of the HTML one; a few failing checks fill it.
    runKit(
      [
        ...common,
        ...['--app-id', 'secrets-shard', '--second-app-id', 'secrets-shard-2', '--report-dir', shardReports],
        ...['--shard', '1/1', '--', '--workers=1', '--grep', SHARD_GREP],
      ],
      work,
      { [KEY_VARIABLE]: API_KEY },
    ),
  ]);
  seconds.runs = (performance.now() - startedRuns) / 1000;
  const startedScan = performance.now();
  changed = changedFiles(beforeRuns, snapshotTrees(ROOTS));
  for (const file of changed) await scanner.scanFile(file);
  const outputs = [full.stdout, full.stderr, shard.stdout, shard.stderr];
  for (const [index, output] of outputs.entries()) await scanner.scanOutput(OUTPUTS[index] ?? '', output);
  seconds.scan = (performance.now() - startedScan) / 1000;
});

after(async () => {
  await proxy?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function readReport(reportDir: string): ConformanceReport {
  return JSON.parse(readFileSync(join(reportDir, 'conformance.json'), 'utf8')) as ConformanceReport;
}

/** How many of the changed files lie in each folder of this test's and of the project. */
function changedByFolder(): string {
  const counts = new Map<string, number>();
  for (const file of changed) {
    const inTest = file.startsWith(dir + sep);
    const folder = `${inTest ? '' : 'project: '}${relative(inTest ? dir : projectRoot, file).split(sep)[0]}`;
    counts.set(folder, (counts.get(folder) ?? 0) + 1);
  }
  return [...counts].map(([folder, count]) => `${folder} ${count}`).join(', ');
}

function scannedUnder(root: string): string[] {
  return scanner.stats.scanned.filter((where) => where.startsWith(root + sep)).map((where) => relative(root, where));
}

describe('two runs with a key, against a server that fails checks and echoes the key', () => {
  test('fail, with messages that show echoed bodies, curl reproductions and the wrong key', () => {
    assert.equal(full.code, 1, explain(full));
    assert.equal(shard.code, 1, explain(shard));
    const { echoed, letThrough, dropped } = proxy;
    assert.ok(
      echoed > 0 && letThrough > 0 && dropped > 0,
      `echoed ${echoed}, let through ${letThrough}, dropped ${dropped}`,
    );
    for (const reportDir of [fullReports, shardReports]) {
      const failed = readReport(reportDir)
        .requirements.filter((row) => row.status === 'failed')
        .map((row) => row.id);
      const missing = EXPECTED_FAILURES.filter((id) => !failed.includes(id));
      assert.deepEqual(missing, [], `${reportDir}: these did not fail (failed: ${failed.join(', ')})`);
    }
    const report = readReport(fullReports);
    const messages = report.requirements.map((row) => row.message ?? '').join('\n');
    assert.match(messages, /"request_headers":\{/, 'no failure message shows an echoed body');
    assert.match(messages, /"authorization":"\$API_KEY"/i, 'the echoed key is not shown redacted');
    assert.match(messages, /Reproduce: curl .*-H "authorization: \$API_KEY"/i);
    assert.match(messages, /Reproduce: curl .*-H 'authorization: wrong-/i, 'no reproduction of a wrong-key request');
  });

  test("put the dropped request's call log, which lists its headers, into the HTML and blob reports", async () => {
    const html = readFileSync(join(fullReports, 'playwright-html', 'index.html'), 'utf8');
    const embedded = /data:application\/zip;base64,([A-Za-z0-9+/=]+)/.exec(html);
    assert.ok(embedded?.[1], 'no zip in the HTML report');
    const blobDir = join(shardReports, 'blob');
    const blobs = readdirSync(blobDir).filter((name) => name.endsWith('.zip'));
    assert.equal(blobs.length, 1, `blob reports: ${blobs.join(', ')}`);
    const archives = {
      'the HTML report': Buffer.from(embedded[1], 'base64'),
      'the blob report': readFileSync(join(blobDir, blobs[0] ?? '')),
    };
    for (const [report, archive] of Object.entries(archives)) {
      const text = (await readZip(archive)).map((entry) => entry.data.toString('utf8')).join('\n');
      assert.match(
        text,
        /Call log:.*?- Authorization: \$API_KEY/s,
        `${report}: no call log with the key header blanked`,
      );
    }
  });

  test('are scanned whole: every report, the HTML report zip, test-results, the blob, the outputs', () => {
    const fullFiles = scannedUnder(fullReports);
    for (const file of [
      'conformance.json',
      'conformance.md',
      'conformance.html',
      'conformance-badge.svg',
      'junit.xml',
    ]) {
      assert.ok(fullFiles.includes(file), `${file} was not scanned`);
    }
    assert.ok(
      fullFiles.some((where) => /^playwright-html[/\\]index\.html#base64@\d+!\/report\.json$/.test(where)),
      "the HTML report's embedded zip was not opened",
    );
    assert.ok(
      fullFiles.some((where) => /^test-results[/\\].+[/\\]error-context\.md$/.test(where)),
      'no error attachment of test-results was scanned',
    );
    assert.ok(scanner.stats.scanned.includes(join(dir, 'step-summary.md')), 'the job summary was not scanned');
    const shardFiles = scannedUnder(shardReports);
    assert.ok(
      shardFiles.some((where) => /^blob[/\\][^!]+\.zip!\/report\.jsonl$/.test(where)),
      `the blob report was not opened: ${shardFiles.join(', ')}`,
    );
    for (const output of OUTPUTS) assert.ok(scanner.stats.scanned.includes(output), `${output} was not scanned`);
    assert.deepEqual(scanner.stats.unreadable, [], 'archives that could not be opened went unsearched');
  });

  test('leave the key in no file they created or changed, and in no output, in any form', (t) => {
    const { files, bytes, zipEntries, gzipStreams, base64Blobs } = scanner.stats;
    t.diagnostic(
      `${changed.length} files created or changed, ${files} files and outputs, ${(bytes / 1e6).toFixed(1)} MB, ` +
        `${zipEntries} zip entries, ${gzipStreams} gzip streams, ${base64Blobs} base64 runs searched for ` +
        `${NEEDLES.length} forms; runs ${seconds.runs.toFixed(1)} s, scan ${seconds.scan.toFixed(1)} s`,
    );
    t.diagnostic(`created or changed, by folder: ${changedByFolder()}`);
    // A finding names the file and the form; its context has every form masked.
    assert.deepEqual(scanner.findings, [], describeFindings(scanner.findings));
  });
});

describe('the scan finds a key that is there', () => {
  test('in each form, at each base64 alignment, under zip and gzip', async () => {
    const noise = (length: number) => randomBytes(length);
    const cases: [string, Buffer][] = [
      ['raw of the key', Buffer.from(`x ${API_KEY} y`)],
      ['JSON-escaped with \\/ of the key', Buffer.from(JSON.stringify({ a: API_KEY }).replaceAll('/', '\\/'))],
      ['URL-encoded of the key', Buffer.from(`?k=${encodeURIComponent(API_KEY)}&`)],
      ['form-encoded of the key', Buffer.from(new URLSearchParams({ k: API_KEY }).toString())],
      ['reversed of the key', Buffer.from(`wrong-${[...API_KEY].reverse().join('')}`)],
      ['UTF-16 of the key', Buffer.from(`"${API_KEY}"`, 'utf16le')],
    ];
    for (const shift of [0, 1, 2]) {
      const encoded = Buffer.concat([noise(shift), Buffer.from(API_KEY), noise(5)]).toString('base64');
      cases.push([`base64 (shift ${shift}) of the key`, Buffer.from(`Basic ${encoded}`)]);
    }
    // Compressed, so no form shows until the base64 run is decoded, the zip opened, the gzip inflated.
    const nested = await writeZip([{ name: 'inner.txt.gz', data: gzipSync(Buffer.from(`Authorization: ${API_KEY}`)) }]);
    cases.push(['raw of the key', Buffer.from(`{"zip":"${nested.toString('base64')}"}`)]);
    for (const [form, data] of cases) {
      const probe = new SecretScanner(NEEDLES);
      await probe.scanOutput('probe', data);
      assert.ok(
        probe.findings.some((finding) => finding.form === form),
        `${form} not found; found: ${probe.findings.map((finding) => finding.form).join(', ')}`,
      );
    }
    assert.equal(base64Inner(Buffer.from('abc'), 0), 'YWJj');
  });

  test('planted into a copy of the reports: a changed file, a new file, the HTML report zip, a trace', async () => {
    const copy = join(dir, 'planted');
    cpSync(fullReports, copy, { recursive: true });
    const beforePlanting = snapshotTrees([copy]);
    // An existing report, changed.
    appendFileSync(join(copy, 'conformance.md'), `\n${API_KEY}\n`);
    appendFileSync(join(copy, 'junit.xml'), `<!-- wrong-${[...API_KEY].reverse().join('')} -->`);
    // A kind of file nobody knows about yet.
    mkdirSync(join(copy, 'new-reporter'));
    writeFileSync(join(copy, 'new-reporter', 'out.log.gz'), gzipSync(`GET /?key=${encodeURIComponent(API_KEY)}`));
    // An entry added to the zip inside Playwright's HTML report.
    const index = join(copy, 'playwright-html', 'index.html');
    const html = readFileSync(index, 'utf8');
    const embedded = /(data:application\/zip;base64,)([A-Za-z0-9+/=]+)/.exec(html);
    assert.ok(embedded?.[2], 'no zip in the HTML report');
    const entries = await readZip(Buffer.from(embedded[2], 'base64'));
    entries.push({
      name: 'planted.json',
      data: Buffer.from(JSON.stringify({ header: API_KEY }).replaceAll('/', '\\/')),
    });
    const rezipped = (await writeZip(entries)).toString('base64');
    writeFileSync(index, html.replace(embedded[0], `${embedded[1]}${rezipped}`));
    // A trace-like archive holding base64 of a request's headers.
    const headers = Buffer.from(JSON.stringify({ authorization: API_KEY })).toString('base64');
    mkdirSync(join(copy, 'test-results', 'planted'), { recursive: true });
    const trace = await writeZip([{ name: 'trace.network', data: Buffer.from(`{"headers":"${headers}"}`) }]);
    writeFileSync(join(copy, 'test-results', 'planted', 'trace.zip'), trace);

    const probe = new SecretScanner(NEEDLES);
    for (const file of changedFiles(beforePlanting, snapshotTrees([copy]))) await probe.scanFile(file);
    const expected: [RegExp, RegExp][] = [
      [/^conformance\.md$/, /^raw of the key$/],
      [/^junit\.xml$/, /^reversed of the key$/],
      [/^new-reporter[/\\]out\.log\.gz!\/\(gunzipped\)$/, /^URL-encoded of the key$/],
      [/^playwright-html[/\\]index\.html#base64@\d+!\/planted\.json$/, /^JSON-escaped with \\\/ of the key$/],
      [/^test-results[/\\]planted[/\\]trace\.zip!\/trace\.network$/, /^base64 \(shift \d\) of the key$/],
      // The base64 run decoded: the key as it was before encoding.
      [/^test-results[/\\]planted[/\\]trace\.zip!\/trace\.network#base64@\d+$/, /^raw of the key$/],
    ];
    const found = (finding: Finding) => relative(copy, finding.where);
    // What the run itself leaked is reported by the test above, not blamed on the planting.
    const leaked = new Set(scanner.findings.map((finding) => relative(fullReports, finding.where)));
    for (const [where, form] of expected) {
      assert.ok(
        probe.findings.some((finding) => where.test(found(finding)) && form.test(finding.form)),
        `nothing matching ${form} found at ${where}:\n${describeFindings(probe.findings)}`,
      );
    }
    const elsewhere = probe.findings.filter(
      (finding) => !expected.some(([where]) => where.test(found(finding))) && !leaked.has(found(finding)),
    );
    assert.deepEqual(elsewhere, [], 'found where nothing was planted');
  });
});
