// Scale benchmark of the reference server: page and single-user latency at 100 and at
// 100,000 users of an app, and the server's resident memory at 100,000 users.
// Run: npm run bench:server
//
// Latency is measured in-process (one server, two apps, requests alternating between them so
// drift hits both alike). Memory is measured in a child process running only the seeded
// server, so this harness's own allocations do not count. The child is started with
// `node --import tsx`, the way the stand-alone server runs.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type RunningReferenceServer, startReferenceServer } from '../server/reference-server.js';

const SMALL = { appId: 'bench-small', users: 100 } as const;
const LARGE = { appId: 'bench-large', users: 100_000 } as const;
const PAGE_SIZE = 20;
const SAMPLES = 300;
const WARMUP = 50;
const REQUEST_TIMEOUT_MS = 5_000;
const CHILD_TIMEOUT_MS = 60_000;
const LATENCY_GOAL = 1.5;
const MEMORY_GOAL_MB = 200;
const CHILD_FLAG = '--rss-child';

interface AppSpec {
  readonly appId: string;
  readonly users: number;
}

/** Milliseconds one GET takes, body read included; fails on a non-200. */
async function timedGet(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return elapsed;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** SAMPLES page URLs at offsets spread evenly from the first page to the last, both included. */
function pageUrls(server: RunningReferenceServer, app: AppSpec): string[] {
  const lastStart = Math.floor((app.users - 1) / PAGE_SIZE) * PAGE_SIZE;
  return Array.from({ length: SAMPLES }, (_, n) => {
    const offset = Math.round((n / (SAMPLES - 1)) * (lastStart / PAGE_SIZE)) * PAGE_SIZE;
    return `${server.url}/v1/${app.appId}/users?presence=true&limit=${PAGE_SIZE}&offset=${offset}`;
  });
}

/** SAMPLES single-user URLs spread over the app (seeded names are user-000001 and on). */
function userUrls(server: RunningReferenceServer, app: AppSpec): string[] {
  return Array.from({ length: SAMPLES }, (_, n) => {
    const number = 1 + Math.round((n / (SAMPLES - 1)) * (app.users - 1));
    return `${server.url}/v1/${app.appId}/users/user-${String(number).padStart(6, '0')}`;
  });
}

/** Median latency of each URL list, the lists' requests interleaved one by one. */
async function interleavedMedians(small: readonly string[], large: readonly string[]): Promise<[number, number]> {
  for (let n = 0; n < WARMUP; n++) {
    await timedGet(small[n % small.length] as string);
    await timedGet(large[n % large.length] as string);
  }
  const smallTimes: number[] = [];
  const largeTimes: number[] = [];
  for (let n = 0; n < SAMPLES; n++) {
    smallTimes.push(await timedGet(small[n] as string));
    largeTimes.push(await timedGet(large[n] as string));
  }
  return [median(smallTimes), median(largeTimes)];
}

/** In the child: seed 100,000 users, then report the resident memory as JSON on stdout. */
async function reportChildMemory(): Promise<void> {
  const emptyRss = process.memoryUsage.rss();
  const started = performance.now();
  const server = await startReferenceServer({ seed: [LARGE] });
  const seedMs = performance.now() - started;
  await timedGet(`${server.url}/v1/${LARGE.appId}/users?presence=true&limit=${PAGE_SIZE}`);
  process.stdout.write(`${JSON.stringify({ emptyRss, rss: process.memoryUsage.rss(), seedMs })}\n`);
  await server.close();
}

async function measureMemoryInChild(): Promise<{ emptyRss: number; rss: number; seedMs: number }> {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', script, CHILD_FLAG], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  if (code !== 0) throw new Error(`the memory child exited with ${code}`);
  return JSON.parse(output) as { emptyRss: number; rss: number; seedMs: number };
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

async function main(): Promise<void> {
  const started = performance.now();
  const server = await startReferenceServer({ seed: [SMALL, LARGE] });
  console.log(
    `seeded ${SMALL.users} and ${LARGE.users.toLocaleString('en-US')} users in ${(performance.now() - started).toFixed(0)} ms (in-process server, canonical mode)`,
  );
  let pageRatio: number;
  try {
    const [smallPage, largePage] = await interleavedMedians(pageUrls(server, SMALL), pageUrls(server, LARGE));
    const [smallUser, largeUser] = await interleavedMedians(userUrls(server, SMALL), userUrls(server, LARGE));
    pageRatio = largePage / smallPage;
    console.log(
      `median GET page (limit ${PAGE_SIZE}, ${SAMPLES} offsets from first to last page): ${smallPage.toFixed(3)} ms at 100 users, ${largePage.toFixed(3)} ms at 100,000 users`,
    );
    console.log(
      `median GET one user (${SAMPLES} names spread over the app): ${smallUser.toFixed(3)} ms at 100 users, ${largeUser.toFixed(3)} ms at 100,000 users (ratio ${(largeUser / smallUser).toFixed(2)})`,
    );
  } finally {
    await server.close();
  }
  const memory = await measureMemoryInChild();
  console.log(
    `memory child: empty server ${mb(memory.emptyRss)} MB, seeding 100,000 users took ${memory.seedMs.toFixed(0)} ms`,
  );
  console.log(`page latency ratio (100,000 users / 100 users): ${pageRatio.toFixed(2)} (goal <= ${LATENCY_GOAL})`);
  console.log(`resident memory at 100,000 users: ${mb(memory.rss)} MB (goal < ${MEMORY_GOAL_MB} MB)`);
  const missed = [
    ...(pageRatio <= LATENCY_GOAL ? [] : ['page latency ratio']),
    ...(memory.rss / 2 ** 20 < MEMORY_GOAL_MB ? [] : ['resident memory']),
  ];
  console.log(missed.length === 0 ? 'goals: met' : `goals missed: ${missed.join(', ')}`);
}

if (process.argv.includes(CHILD_FLAG)) await reportChildMemory();
else await main();
