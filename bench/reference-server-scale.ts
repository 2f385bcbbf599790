// Figure 5 and page latency: the reference server at 100 and 100,000 users; memory is read from
// outside a child process so this script's own allocations do not count. Run: npm run bench:server
import { type RunningReferenceServer, startReferenceServer } from '../server/reference-server.js';
import { type Figure, goalMet, printFigure, residentMemory, runIfMain, startServerChild } from './lib.js';

const SMALL = { appId: 'bench-small', users: 100 } as const;
const LARGE = { appId: 'bench-large', users: 100_000 } as const;
const PAGE_SIZE = 20;
const SAMPLES = 300;
const WARMUP = 50;
const REQUEST_TIMEOUT_MS = 5_000;
const LATENCY_GOAL = 1.5;
const MEMORY_GOAL_MB = 200;

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

/** What the memory child reports, in bytes. */
export interface ServerMemory {
  /** The stand-alone server without users: node, tsx and the server's modules. */
  emptyRss: number;
  /** Seeded with 100,000 users, after one page was served. */
  seededRss: number;
  /** After Get Users served all 100,000 users ARRAY_READS times, which fills the per-user JSON cache. */
  afterArraysRss: number;
  /** The most the seeded process ever held (VmHWM), seeding and the array reads included. */
  peakRss: number;
}

// Get Users reads of the whole app in the memory measurement: the suite makes about twenty.
const ARRAY_READS = 5;

/**
 * Starts the stand-alone server (`server/cli.ts`, as `npm run reference-server` runs it) in a
 * child process, empty and then seeded with 100,000 users, and reads its resident memory from
 * outside while this process sends it requests, so no client allocation is counted.
 */
export async function measureServerMemory(): Promise<ServerMemory> {
  const empty = await startServerChild([]);
  const emptyRss = residentMemory(empty.pid).rss;
  await empty.stop();
  const seeded = await startServerChild(['--seed-users', String(LARGE.users), '--seed-app', LARGE.appId]);
  try {
    await timedGet(`${seeded.url}/v1/${LARGE.appId}/users?presence=true&limit=${PAGE_SIZE}`);
    const seededRss = residentMemory(seeded.pid).rss;
    for (let n = 0; n < ARRAY_READS; n++) await timedGet(`${seeded.url}/v1/${LARGE.appId}/users`);
    const after = residentMemory(seeded.pid);
    return { emptyRss, seededRss, afterArraysRss: after.rss, peakRss: after.peak };
  } finally {
    await seeded.stop();
  }
}

/** Figure 5: the resident memory of the reference server holding 100,000 users, in MB. */
export async function memoryFigure(): Promise<Figure> {
  const memory = await measureServerMemory();
  return {
    name: 'Reference server peak resident memory at 100,000 users, MB',
    ratio: memory.peakRss / 2 ** 20,
    goal: { op: '<', value: MEMORY_GOAL_MB },
    details: [
      `the stand-alone server (node --import tsx server/cli.ts) in a child process, measured from outside`,
      `empty: ${mb(memory.emptyRss)} MB (node, tsx's loader thread and the server's modules)`,
      `seeded with 100,000 users, one page served: ${mb(memory.seededRss)} MB`,
      `after ${ARRAY_READS} reads of Get Users (all 100,000 users, ~20 MB each; fills the per-user JSON cache): ${mb(memory.afterArraysRss)} MB; peak (VmHWM): ${mb(memory.peakRss)} MB`,
    ],
  };
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
  console.log(`page latency ratio (100,000 users / 100 users): ${pageRatio.toFixed(2)} (goal <= ${LATENCY_GOAL})`);
  const memory = await memoryFigure();
  printFigure(memory);
  const missed = [
    ...(pageRatio <= LATENCY_GOAL ? [] : ['page latency ratio']),
    ...(goalMet(memory) ? [] : ['resident memory']),
  ];
  console.log(missed.length === 0 ? 'goals: met' : `goals missed: ${missed.join(', ')}`);
}

runIfMain(import.meta.url, main);
