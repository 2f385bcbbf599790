// Self-test of the `users-api-conformance` command: bad input exits 2 with one line before any
// request, --help matches the settings table, README and .env.example, and flags reach the run.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cleanEnv, type Finished, runBounded } from '../../bench/child-process.js';
import { helpText, PACKAGED_CONFIG, planRun } from '../../bin/cli.js';
import { serializeReport } from '../../reporters/build-report.js';
import { SETTING_NAMES, SETTINGS } from '../../runtime/settings.js';
import { syntheticReport } from './fixtures/reporter/fake-results.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'users-api-conformance.mjs');
const EXIT_TIMEOUT_MS = 30_000;
const KEY = 'cli-test-key-5ecr3t';

function runBin(args: readonly string[], env: Record<string, string> = {}, cwd = ROOT): Promise<Finished> {
  return runBounded(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(env), timeoutMs: EXIT_TIMEOUT_MS });
}

// The stand-in target: counts every request and answers a plain 404, which the kit's probe
// refuses at once, so a run that does start ends within seconds.
const seen: IncomingMessage[] = [];
const target = createServer((request, response) => {
  seen.push(request);
  response.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
});
let url = '';
const dir = mkdtempSync(join(tmpdir(), 'cli-test-'));

before(async () => {
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise((resolve) => target.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('a command line that cannot be used', () => {
  // Each case: the arguments after --url <the counting server>, what stderr must say.
  const cases: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
    ['an unknown flag', ['--colour', 'red'], /unknown option --colour; see --help/],
    ['the key itself', ['--api-key', KEY], /unknown option --api-key: give the key in a variable .*--api-key-env/],
    ['a flag without its value', ['--app-id'], /--app-id needs a value/],
    ['a flag followed by another flag', ['--report-dir', '--gate', 'strict'], /--report-dir needs a value/],
    ['an empty value', ['--second-app-id='], /--second-app-id needs a value/],
    ['a value for a switch', ['--help=yes'], /--help takes no value/],
    ['a stray argument', ['serve'], /unexpected argument serve: the commands are gate and matrix/],
    ['a page budget of 0', ['--page-budget', '0'], /--page-budget: PAGE_BUDGET="0" is not a positive whole number/],
    [
      'a time-out that is not a number',
      ['--timeout-ms', '5s'],
      /--timeout-ms: REQUEST_TIMEOUT_MS="5s" is not a positive/,
    ],
    ['an unknown gate', ['--gate', 'lenient'], /--gate: GATE="lenient" is not a gate policy/],
    [
      'a key variable that is not set',
      ['--api-key-env', 'CLI_TEST_UNSET_KEY'],
      /the variable CLI_TEST_UNSET_KEY is not set/,
    ],
    ['a key variable that is not a name', ['--api-key-env', 'no such'], /--api-key-env takes the name of a variable/],
    [
      'a baseline that does not exist',
      ['--baseline', 'no/such/report.json'],
      /--baseline: .*report\.json does not exist/,
    ],
    ['a shard past the count', ['--shard', '3/2'], /--shard takes X\/Y with 1 <= X <= Y/],
    ['a shard that is no fraction', ['--shard', 'half'], /--shard takes X\/Y/],
    ['an app id with a slash', ['--app-id', 'a/b'], /--app-id: APP_ID="a\/b" must not contain/],
    ['the same second app', ['--second-app-id', 'conformance'], /SECOND_APP_ID must differ from APP_ID/],
    ['a presence query that is no pair', ['--presence-query', 'presence'], /--presence-query: .*one name=value pair/],
    ['a page-size parameter with a space', ['--page-size-param', 'per page'], /is not a query parameter name/],
  ];
  // URLs the kit refuses: these replace the counting server's.
  const badUrls: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['a malformed URL', 'not-a-url', /--url: API_URL="not-a-url" is not a URL/],
    ['a URL that is not http', 'ftp://127.0.0.1/', /must be an http or https URL/],
    ['a URL with a query', 'http://127.0.0.1/?x=1', /must not carry a query or fragment/],
  ];
  let results: Finished[] = [];
  let urlResults: Finished[] = [];
  let fromEnv: Finished;
  let shortKeys: Finished[] = [];

  before(async () => {
    [results, urlResults, [fromEnv], shortKeys] = await Promise.all([
      Promise.all(cases.map(([, args]) => runBin(['--url', url, ...args]))),
      Promise.all(badUrls.map(([, bad]) => runBin(['--url', bad]))),
      Promise.all([runBin([], { API_URL: url, PAGE_BUDGET: 'lots' })]),
      Promise.all([
        runBin(['--url', url, '--api-key-env', 'CLI_SHORT_KEY'], { CLI_SHORT_KEY: 'k' }),
        runBin(['--url', url], { API_KEY: 'secret' }),
      ]),
    ]);
  });

  for (const [index, [name, , message]] of cases.entries()) {
    test(`${name}: one line on stderr, exit 2`, () => {
      const result = results[index] as Finished;
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^users-api-conformance: [^\n]+\n$/, 'exactly one line');
      assert.match(result.stderr, message);
      assert.ok(!result.stderr.includes(KEY), 'the key is never printed');
    });
  }

  for (const [index, [name, , message]] of badUrls.entries()) {
    test(`${name}: one line on stderr, exit 2`, () => {
      const result = urlResults[index] as Finished;
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /^users-api-conformance: [^\n]+\n$/);
      assert.match(result.stderr, message);
    });
  }

  test('a bad value from the environment is named by its variable', () => {
    assert.equal(fromEnv.code, 2, fromEnv.stderr);
    assert.equal(
      fromEnv.stderr,
      'users-api-conformance: PAGE_BUDGET="lots" is not a positive whole number (default 200).\n',
    );
  });

  test('a key too short to keep out of the reports is refused in one line naming where it came from', () => {
    const [fromFlag, fromVariable] = shortKeys as [Finished, Finished];
    assert.equal(fromFlag.code, 2, fromFlag.stderr);
    assert.match(
      fromFlag.stderr,
      /^users-api-conformance: --api-key-env: The key in --api-key-env CLI_SHORT_KEY has 1 character\(s\); the kit needs at least 8[^\n]*\n$/,
    );
    assert.equal(fromVariable.code, 2, fromVariable.stderr);
    assert.match(fromVariable.stderr, /^users-api-conformance: The key in API_KEY has 6 character\(s\)[^\n]*\n$/);
  });

  test('none of them sent a request; the same command line without the bad flag does', async () => {
    assert.equal(seen.length, 0, 'a refused command line reached the target');
    const good = await runBin(
      [
        ...['--url', url, '--app-id', 'cli-app', '--second-app-id', 'cli-other', '--api-key-env', 'CLI_TEST_KEY'],
        ...['--api-key-header', 'X-Api-Key', '--presence-query', 'online=yes', '--page-size-param', 'per_page'],
        ...['--report-dir', join(dir, 'good')],
      ],
      { CLI_TEST_KEY: KEY },
    );
    assert.equal(good.code, 3, `the probe refuses a plain 404: ERROR, exit 3:\n${good.stdout}${good.stderr}`);
    const output = good.stdout + good.stderr;
    assert.equal(output.match(/does not look like the Users API/g)?.length, 1, `the reason, printed once:\n${output}`);
    assert.match(good.stdout, /^ERROR Users API conformance: the target could not be tested/m);
    assert.doesNotMatch(output, /USR-[A-Z]/, 'no list of requirements nobody could judge');
    assert.equal(seen.length, 1, 'one probe, then the run ends');
    const probe = seen[0] as IncomingMessage;
    assert.equal(probe.url, '/v1/cli-app/users?online=yes&per_page=1', 'the flags reach the run');
    assert.equal(probe.headers['x-api-key'], KEY, 'the key from the named variable, in the named header');
    assert.ok(!(good.stdout + good.stderr).includes(KEY), 'the key is never printed');
  });
});

describe('--help', () => {
  test('lists every flag with its variable and its default, the extra flags and the commands', async () => {
    const result = await runBin(['--help']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, helpText());
    const lines = result.stdout.split('\n');
    for (const name of SETTING_NAMES) {
      const setting = SETTINGS[name];
      const at = lines.findIndex((line) => line.startsWith(`  --${setting.flag} ${setting.valueName} `));
      assert.ok(at >= 0, `--${setting.flag} is listed`);
      assert.match(lines[at] ?? '', new RegExp(`\\s${name}\\s`), `--${setting.flag} names ${name}`);
      const expected = setting.fallback === undefined ? 'default: unset, ' : `default: ${setting.fallback}`;
      assert.ok(lines[at + 1]?.trim().startsWith(expected), `--${setting.flag}: ${lines[at + 1]}`);
    }
    for (const text of [
      '--shard X/Y',
      '-h, --help',
      '--version',
      `  gate `,
      `  matrix `,
      '-- playwright test options',
    ]) {
      assert.ok(result.stdout.includes(text), text);
    }
  });

  test('--version prints the package version', async () => {
    const result = await runBin(['--version']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(result.stdout, `${pkg.version}\n`);
  });

  test('README.md and .env.example list every setting with its flag and default', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    for (const name of SETTING_NAMES) {
      const setting = SETTINGS[name];
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
      assert.ok(row, `README.md has a row for ${name}`);
      const [, flag, fallback] = row.replaceAll('\\|', '|').split(' | ');
      assert.equal(flag, `\`--${setting.flag} ${setting.valueName}\``, `README.md: the flag of ${name}`);
      assert.ok(
        setting.fallback === undefined ? fallback?.startsWith('unset') : fallback === `\`${setting.fallback}\``,
        `README.md: the default of ${name} is ${setting.fallback ?? 'unset'}, not ${fallback}`,
      );
      assert.match(example, new RegExp(`^${name}=${setting.fallback ?? ''}$`, 'm'), `.env.example: ${name}`);
    }
  });
});

describe('what a good command line runs', () => {
  test('the packaged config, reports and baseline in the working folder, shards as blobs, -- handed on', async () => {
    const baseline = join(dir, 'baseline.json');
    writeFileSync(baseline, serializeReport(syntheticReport({})));
    const plan = await planRun(
      { url: 'https://staging.example.test', 'api-key-env': 'MY_KEY', baseline: 'baseline.json', shard: '2/3' },
      ['--grep', '@USR-CREATE-SHAPE'],
      { MY_KEY: KEY, NODE_OPTIONS: '--max-old-space-size=512' },
      dir,
    );
    assert.deepEqual(plan.args.slice(0, 3), ['test', `--config=${PACKAGED_CONFIG}`, '--shard=2/3']);
    assert.match(plan.args[3] ?? '', /^--reporter=list,blob,.*reporters\/conformance-reporter\.ts$/);
    assert.deepEqual(plan.args.slice(4), ['--grep', '@USR-CREATE-SHAPE']);
    assert.equal(plan.env.API_URL, 'https://staging.example.test');
    assert.equal(plan.env.API_KEY, KEY);
    assert.equal(plan.env.REPORT_DIR, join(dir, 'reports'));
    assert.equal(plan.env.PLAYWRIGHT_BLOB_OUTPUT_DIR, join(dir, 'reports', 'blob'));
    assert.equal(plan.env.BASELINE, baseline);
    // No TypeScript loader: Playwright compiles the sources of a clone, dist/ is JavaScript.
    assert.equal(plan.env.NODE_OPTIONS, '--max-old-space-size=512');
    assert.equal(plan.env.TSX_TSCONFIG_PATH, undefined);
  });
});

describe('the gate and matrix subcommands', () => {
  test('keep their exit codes: 0 pass, 1 fail, 2 bad use', async () => {
    const passing = join(dir, 'passing.json');
    const failing = join(dir, 'failing.json');
    writeFileSync(passing, serializeReport(syntheticReport({})));
    writeFileSync(failing, serializeReport(syntheticReport({ 'USR-CREATE-SHAPE': 'failed' })));
    const [pass, fail, strictPass, bad, matrix, matrixBad] = await Promise.all([
      runBin(['gate', passing]),
      runBin(['gate', failing]),
      runBin(['gate', passing, '--strict', '--baseline', passing]),
      runBin(['gate', passing, '--lenient']),
      runBin(['matrix', passing, failing, '--out', join(dir, 'matrix')]),
      runBin(['matrix']),
    ]);
    assert.equal(pass.code, 0, pass.stderr);
    assert.match(pass.stdout, /PASS/);
    assert.equal(fail.code, 1);
    assert.match(fail.stdout, /^failing: USR-CREATE-SHAPE$/m);
    assert.equal(strictPass.code, 0, strictPass.stderr);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^gate: unknown option --lenient$/m);
    assert.equal(matrix.code, 0, matrix.stderr);
    assert.ok(readFileSync(join(dir, 'matrix', 'comparison.html'), 'utf8').includes('<table'));
    assert.equal(matrixBad.code, 2);
  });
});
