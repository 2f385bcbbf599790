// Figures 2 and 3: the suite against the stand-alone server empty, with 50 ms latency and at 100,000
// users, interleaved so drift hits all three. Run: npx tsx bench/suite-targets.ts [runs [playwright args]]
import { randomBytes } from 'node:crypto';
import {
  type Figure,
  median,
  printFigure,
  residentMemory,
  runIfMain,
  runSuite,
  type SuiteRun,
  seconds,
  startServerChild,
} from './lib.js';

const LATENCY_MS = 50;
const SCALE_USERS = 100_000;
const APP_ID = 'bench-app';
const LATENCY_GOAL = 0.1;
const SCALE_GOAL = 1.2;
// The tests whose time grew most at 100,000 users, listed under figure 3.
const SLOWEST_SHOWN = 8;

type Target = 'empty' | 'latency' | 'scale';

const SERVER_ARGS: Record<Target, string[]> = {
  empty: [],
  latency: ['--latency-ms', String(LATENCY_MS)],
  scale: ['--seed-users', String(SCALE_USERS), '--seed-app', APP_ID],
};

interface TargetRun extends SuiteRun {
  requests: number;
  /** The server's peak resident memory over the run, in bytes. */
  serverPeakRss: number;
}

async function runAgainst(target: Target, args: readonly string[]): Promise<TargetRun> {
  const apiKey = `bench-${randomBytes(8).toString('hex')}`;
  const server = await startServerChild(['--api-key', apiKey, ...SERVER_ARGS[target]]);
  const suite = await runSuite(
    {
      API_URL: server.url,
      APP_ID,
      SECOND_APP_ID: `${APP_ID}-second`,
      API_KEY: apiKey,
    },
    args,
  ).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  const serverPeakRss = residentMemory(server.pid).peak;
  const requests = await server.stop();
  if (suite instanceof Error) throw suite;
  if (suite.code !== 0) throw new Error(`the suite against the ${target} target exited ${suite.code}:\n${suite.tail}`);
  return { ...suite, requests, serverPeakRss };
}

/** Median seconds per test over the runs, keyed as in SuiteRun.testSeconds. */
function medianTestSeconds(runs: readonly TargetRun[]): Map<string, number> {
  const keys = new Set(runs.flatMap((run) => [...run.testSeconds.keys()]));
  return new Map([...keys].map((key) => [key, median(runs.map((run) => run.testSeconds.get(key) ?? 0))]));
}

/** Figures 2 and 3; `args` go to `playwright test` (e.g. --workers=4, to compare settings). */
export async function suiteTargets(
  runs: number,
  args: readonly string[] = [],
): Promise<{ latency: Figure; scale: Figure }> {
  const results: Record<Target, TargetRun[]> = { empty: [], latency: [], scale: [] };
  for (let run = 0; run < runs; run++) {
    for (const target of ['empty', 'latency', 'scale'] as const) results[target].push(await runAgainst(target, args));
  }
  const wall = (target: Target) => median(results[target].map((run) => run.ms));
  const requests = (target: Target) => median(results[target].map((run) => run.requests));
  const walls = (target: Target) => results[target].map((run) => seconds(run.ms)).join(', ');

  const added = wall('latency') - wall('empty');
  const latency: Figure = {
    name: `Latency tolerance: (wall at ${LATENCY_MS} ms - wall at 0 ms) / (requests sent x ${LATENCY_MS} ms)`,
    ratio: added / (requests('latency') * LATENCY_MS),
    goal: { op: '<=', value: LATENCY_GOAL },
    details: [
      `wall at 0 ms: median ${seconds(wall('empty'))} (${walls('empty')}); at ${LATENCY_MS} ms: median ${seconds(wall('latency'))} (${walls('latency')})`,
      `requests the suite sent, counted by the server: ${requests('latency')} at ${LATENCY_MS} ms, ${requests('empty')} at 0 ms; sent one after another they would wait ${seconds(requests('latency') * LATENCY_MS)}, the run took ${seconds(added)} longer`,
    ],
  };

  const empty = medianTestSeconds(results.empty);
  const scaled = medianTestSeconds(results.scale);
  const grown = [...scaled]
    .map(([key, time]) => ({ key, time, growth: time - (empty.get(key) ?? 0) }))
    .sort((a, b) => b.growth - a.growth)
    .slice(0, SLOWEST_SHOWN);
  const peak = Math.max(...results.scale.map((run) => run.serverPeakRss));
  const scale: Figure = {
    name: `Scale: suite wall time against an app holding ${SCALE_USERS.toLocaleString('en-US')} users / against an empty app`,
    ratio: wall('scale') / wall('empty'),
    goal: { op: '<=', value: SCALE_GOAL },
    details: [
      `wall at ${SCALE_USERS.toLocaleString('en-US')} users: median ${seconds(wall('scale'))} (${walls('scale')}); empty app: median ${seconds(wall('empty'))}`,
      `requests: ${requests('scale')} at ${SCALE_USERS.toLocaleString('en-US')} users, ${requests('empty')} at an empty app; reference server peak resident memory over the run: ${(peak / 2 ** 20).toFixed(0)} MB`,
      `the tests that grew most (median seconds, empty app -> ${SCALE_USERS.toLocaleString('en-US')} users):`,
      ...grown.map(
        ({ key, time, growth }) =>
          `  +${growth.toFixed(2)} s  ${(empty.get(key) ?? 0).toFixed(2)} -> ${time.toFixed(2)}  ${key.slice(0, 110)}`,
      ),
    ],
  };
  return { latency, scale };
}

runIfMain(import.meta.url, async () => {
  const { latency, scale } = await suiteTargets(Number(process.argv[2] ?? 3), process.argv.slice(3));
  printFigure(latency);
  printFigure(scale);
});
