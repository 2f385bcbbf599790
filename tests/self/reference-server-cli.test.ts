// Self-test of the stand-alone reference server (server/cli.ts): one line on start, clean stop on
// SIGTERM and SIGINT, --help complete, and a bad command line refused with exit 2.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runBounded, startBackground } from '../../bench/child-process.js';
import { parseCliArgs } from '../../server/cli-args.js';
import { FAULTS } from '../../server/faults.js';
import { OptionError, resolveOptions } from '../../server/server-options.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = 'server/cli.ts';
// Guards against a hang, not slowness: under a loaded machine tsx alone takes seconds to start.
const EXIT_TIMEOUT_MS = 30_000;

// `node --import tsx` is what `npx tsx` runs, without npm's start-up time.
const command = (args: readonly string[]) => ['--import', 'tsx', CLI, ...args];

/** Runs the CLI to its end (one that should not serve). */
function runCli(args: readonly string[]) {
  return runBounded(process.execPath, command(args), { cwd: ROOT, timeoutMs: EXIT_TIMEOUT_MS });
}

/** Starts the CLI as a server and answers it with its first line of output. */
async function serveCli(args: readonly string[]) {
  const server = startBackground(process.execPath, command(args), { cwd: ROOT });
  const line = (await server.waitFor(/^.*\n/, EXIT_TIMEOUT_MS))[0];
  return { server, line };
}

// Each of these is refused by parseCliArgs or, for values only the server checks, by resolveOptions.
const REFUSED: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
  ['a non-numeric port', ['--port', 'abc'], /--port takes a whole number, not "abc"/],
  ['a port out of range', ['--port', '70000'], /port must be an integer from 0 to 65535/],
  ['an unknown flag', ['--colour', 'red'], /Unknown option '--colour'/],
  ['a positional argument', ['serve'], /Unexpected argument 'serve'/],
  ['--seed-users without --seed-app', ['--seed-users', '10'], /--seed-users and --seed-app go together/],
  ['--seed-app without --seed-users', ['--seed-app', 'a'], /--seed-users and --seed-app go together/],
  ['a non-numeric seed count', ['--seed-users', 'many', '--seed-app', 'a'], /--seed-users takes a whole number/],
  ['an unknown fault', ['--fault', 'no-such-fault'], /Unknown fault "no-such-fault"/],
  ['a non-loopback host', ['--host', '0.0.0.0'], /not a loopback address/],
  ['an unknown mode', ['--mode', 'lenient'], /Mode "lenient"/],
  ['a missing flag value', ['--latency-ms'], /--latency-ms/],
];

describe('reference-server command line options', () => {
  test('every flag reaches the server options', () => {
    const parsed = parseCliArgs([
      ...['--port', '0', '--host', '::1', '--api-key', 'k3y', '--api-key-header', 'X-Api-Key', '--latency-ms', '5'],
      ...['--seed-users', '7', '--seed-app', 'app', '--mode', 'alternative', '--max-body-bytes', '100'],
      ...['--max-username-length', '9', '--fault', 'updated-at-frozen', '--fault', 'delete-by-prefix'],
    ]);
    assert.ok('options' in parsed);
    const { logError, ...options } = resolveOptions(parsed.options);
    assert.equal(typeof logError, 'function');
    assert.deepEqual(
      { ...options, faults: options.faults.list() },
      {
        host: '::1',
        port: 0,
        apiKey: 'k3y',
        apiKeyHeader: 'x-api-key',
        latencyMs: 5,
        mode: 'alternative',
        faults: ['delete-by-prefix', 'updated-at-frozen'],
        seed: [{ appId: 'app', users: 7 }],
        maxBodyBytes: 100,
        maxUsernameLength: 9,
      },
    );
  });

  test('the port defaults to 4010, the address of the default API_URL of the kit', () => {
    const parsed = parseCliArgs([]);
    assert.ok('options' in parsed);
    assert.equal(parsed.options.port, 4010);
  });
});

// Spawning costs half a second each, so only a sample goes through the real process.
const SPAWNED = new Set([
  'a non-numeric port',
  'an unknown flag',
  '--seed-users without --seed-app',
  'an unknown fault',
]);

describe('reference-server command line', () => {
  for (const [label, args, pattern] of REFUSED) {
    test(`refuses ${label} with one sentence`, () => {
      assert.throws(
        () => {
          const parsed = parseCliArgs(args);
          if ('options' in parsed) resolveOptions(parsed.options);
        },
        (error: Error) => error instanceof OptionError && pattern.test(error.message) && !error.message.includes('\n'),
      );
    });
  }
});

describe('reference-server CLI process', { concurrency: true }, () => {
  for (const [label, args, pattern] of REFUSED.filter(([label]) => SPAWNED.has(label))) {
    test(`refuses ${label}: one line on stderr, exit 2, nothing started`, async () => {
      const { code, stdout, stderr } = await runCli(args);
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.match(stderr, pattern);
      assert.equal(stderr.trimEnd().split('\n').length, 1, stderr);
    });
  }

  test('--help lists every flag with its default and every fault with its description', async () => {
    const { code, stdout } = await runCli(['--help']);
    assert.equal(code, 0);
    for (const flag of [
      '--port',
      '--host',
      '--api-key',
      '--api-key-header',
      '--latency-ms',
      '--seed-users',
      '--seed-app',
    ]) {
      assert.match(stdout, new RegExp(`^  ${flag} .*\\(default`, 'm'), flag);
    }
    for (const flag of ['--mode', '--fault', '--max-body-bytes', '--max-username-length'])
      assert.ok(stdout.includes(flag));
    for (const fault of FAULTS)
      assert.ok(stdout.includes(`${fault.name}`) && stdout.includes(fault.description), fault.name);
  });

  test('prints one line, serves, and stops cleanly on SIGTERM', async () => {
    const { server, line } = await serveCli(['--port', '0', '--seed-users', '3', '--seed-app', 'cli-app']);
    const url = /^Users API reference server listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(line)?.[1];
    assert.ok(url, line);
    const users = await fetch(`${url}/v1/cli-app/users`, { signal: AbortSignal.timeout(5_000) });
    assert.equal(((await users.json()) as unknown[]).length, 3);
    const { code, stdout, stderr } = await server.stop('SIGTERM');
    assert.equal(code, 0);
    assert.equal(stderr, '');
    // The last line counts the requests served: the one GET above.
    assert.match(stdout, /\nUsers API reference server stopped after 1 request\n$/);
  });

  test('names a non-default mode and the faults on its line, and stops on SIGINT', async () => {
    const { server, line } = await serveCli([
      '--port',
      '0',
      '--mode',
      'alternative',
      '--fault',
      'updated-at-frozen',
      '--fault',
      'delete-by-prefix',
    ]);
    assert.match(line, / \(mode alternative; faults: delete-by-prefix, updated-at-frozen\)\n$/);
    assert.equal((await server.stop('SIGINT')).code, 0);
  });
});
