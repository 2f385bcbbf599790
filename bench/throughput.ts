// Figure 4: reference server throughput against a bare node:http handler and json-server, with
// autocannon on loopback, medians of interleaved rounds. Run: npx tsx bench/throughput.ts [seconds]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBounded, startBackground } from './child-process.js';
import { type Figure, printFigure, projectRoot, runIfMain, startServerChild } from './lib.js';

const USERS = 100_000;
const APP_ID = 'bench-app';
const CONNECTIONS = 10;
const WARMUP_SECONDS = 1;
// Measurements of the bare and the reference server each, taken in turns; the median counts.
const ROUNDS = 3;
const PAGE_SIZE = 20;
const USER_GOAL = 0.7;
const PAGE_GOAL = 0.5;
const START_TIMEOUT_MS = 60_000;

const AUTOCANNON = join(projectRoot, 'node_modules', 'autocannon', 'autocannon.js');
const JSON_SERVER = join(projectRoot, 'node_modules', 'json-server', 'lib', 'cli', 'bin.js');

/** What autocannon's --json output says, as far as read here. */
interface Cannonade {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** Requests per second against the URL: autocannon in a child process, bounded in time. */
async function cannon(url: string, durationSeconds: number): Promise<Cannonade> {
  const run = await runBounded(
    process.execPath,
    [AUTOCANNON, '--json', '-c', String(CONNECTIONS), '-d', String(durationSeconds), url],
    { timeoutMs: (durationSeconds + 20) * 1000 },
  );
  if (run.timedOut || run.code !== 0) throw new Error(`autocannon against ${url} failed (${run.code}): ${run.stderr}`);
  const result = JSON.parse(run.stdout) as Cannonade;
  if (result.errors || result.timeouts || result.non2xx) {
    throw new Error(
      `${url}: ${result.errors} errors, ${result.timeouts} time-outs, ${result.non2xx} non-2xx answers under load`,
    );
  }
  return result;
}

/** The measurement with the median throughput. */
function medianOf(results: readonly Cannonade[]): Cannonade {
  const sorted = [...results].sort((a, b) => a.requests.average - b.requests.average);
  return sorted[sorted.length >> 1] as Cannonade;
}

/** A free loopback port, for json-server, which cannot be asked for port 0. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitUntilServing(url: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${START_TIMEOUT_MS / 1000} s`);
}

async function text(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response.text();
}

// The bare server: fixed bodies from the environment, node:http and nothing else.
const BARE_SERVER = `
const { createServer } = require('node:http');
const bodies = { '/user': process.env.BARE_USER, '/page': process.env.BARE_PAGE };
const server = createServer((request, response) => {
  const body = bodies[request.url] ?? '{}';
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
});
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
`;

interface Measured {
  reference: Cannonade;
  bare: Cannonade;
  jsonServer: Cannonade;
}

export async function throughput(durationSeconds: number): Promise<{ user: Figure; page: Figure }> {
  const reference = await startServerChild(['--seed-users', String(USERS), '--seed-app', APP_ID]);
  const middle = String(USERS / 2).padStart(6, '0');
  const paths = {
    reference: {
      user: `/v1/${APP_ID}/users/user-${middle}`,
      page: `/v1/${APP_ID}/users?presence=true&limit=${PAGE_SIZE}&offset=${USERS / 2}`,
    },
    jsonServer: { user: `/users/user-${middle}`, page: `/users?_page=${USERS / 2 / PAGE_SIZE}&_limit=${PAGE_SIZE}` },
    bare: { user: '/user', page: '/page' },
  };
  const folder = mkdtempSync(join(tmpdir(), 'bench-throughput-'));
  const stops: (() => Promise<unknown>)[] = [() => reference.stop()];
  try {
    // The same users for json-server: the reference server's own Get Users array, ids by username.
    writeFileSync(join(folder, 'db.json'), `{"users":${await text(`${reference.url}/v1/${APP_ID}/users`)}}`);
    const bareUser = await text(`${reference.url}${paths.reference.user}`);
    const barePage = await text(`${reference.url}${paths.reference.page}`);

    const bare = startBackground(process.execPath, ['-e', BARE_SERVER], {
      env: { ...process.env, BARE_USER: bareUser, BARE_PAGE: barePage },
    });
    stops.push(() => bare.stop());
    const bareUrl = (await bare.waitFor(/listening on (http:\/\/\S+)/, START_TIMEOUT_MS))[1] as string;
    const port = await freePort();
    const dbFile = join(folder, 'db.json');
    const jsonServer = startBackground(process.execPath, [
      ...[JSON_SERVER, '--quiet', '--host', '127.0.0.1', '--port', String(port), '--id', 'username', dbFile],
    ]);
    stops.push(() => jsonServer.stop());
    const jsonServerUrl = `http://127.0.0.1:${port}`;
    await waitUntilServing(`${jsonServerUrl}${paths.jsonServer.user}`);

    const bases = { reference: reference.url, bare: bareUrl, jsonServer: jsonServerUrl };
    const measure = async (kind: 'user' | 'page'): Promise<Measured> => {
      const url = (target: keyof typeof bases) => `${bases[target]}${paths[target][kind]}`;
      for (const target of ['bare', 'reference', 'jsonServer'] as const) await cannon(url(target), WARMUP_SECONDS);
      // The two servers the ratio compares take turns, so that drift of the machine hits both.
      const rounds: { bare: Cannonade; reference: Cannonade }[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        rounds.push({
          bare: await cannon(url('bare'), durationSeconds),
          reference: await cannon(url('reference'), durationSeconds),
        });
      }
      return {
        bare: medianOf(rounds.map((round) => round.bare)),
        reference: medianOf(rounds.map((round) => round.reference)),
        jsonServer: await cannon(url('jsonServer'), durationSeconds),
      };
    };
    const user = await measure('user');
    const page = await measure('page');
    return {
      user: figure('GET of one user', user, USER_GOAL, bareUser.length),
      page: figure(`GET of one page of ${PAGE_SIZE}`, page, PAGE_GOAL, barePage.length),
    };
  } finally {
    for (const stop of stops.reverse()) await stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

function figure(what: string, measured: Measured, goal: number, bytes: number): Figure {
  const line = (label: string, result: Cannonade) =>
    `${label}: ${Math.round(result.requests.average).toLocaleString('en-US')} requests/s (latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms)`;
  return {
    name: `Throughput, ${what} at ${USERS.toLocaleString('en-US')} users: reference server / bare node:http handler`,
    ratio: measured.reference.requests.average / measured.bare.requests.average,
    goal: { op: '>=', value: goal },
    details: [
      line(`reference server (median of ${ROUNDS})`, measured.reference),
      line(`bare node:http, the same ${bytes} bytes fixed (median of ${ROUNDS})`, measured.bare),
      line('json-server 0.17, the same users', measured.jsonServer),
      `reference / json-server: ${(measured.reference.requests.average / measured.jsonServer.requests.average).toFixed(1)}x`,
    ],
  };
}

runIfMain(import.meta.url, async () => {
  const { user, page } = await throughput(Number(process.argv[2] ?? 5));
  printFigure(user);
  printFigure(page);
});
