// `npm run bench [-- --runs N]`: every figure of BENCHMARKS.md as a ratio of two things measured in
// this one run on this machine, so figures hold across machines. Bounded by DEADLINE_MS.
import { parseArgs } from 'node:util';
import { type Figure, goalMet, load, machine, printFigure, seconds } from './lib.js';
import { memoryFigure } from './reference-server-scale.js';
import { suiteTargets } from './suite-targets.js';
import { suiteVsBare } from './suite-vs-bare.js';
import { throughput } from './throughput.js';

const DEADLINE_MS = 15 * 60_000;
const AUTOCANNON_SECONDS = 5;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs takes a whole number of at least 1, not ${values.runs}`);
  const deadline = setTimeout(() => {
    console.error(`\nbench: stopped after ${DEADLINE_MS / 60_000} minutes`);
    process.exit(2);
  }, DEADLINE_MS);
  deadline.unref();

  const started = performance.now();
  console.log(`Machine: ${machine()}; ${load()} at the start`);
  console.log(`Runs per suite measurement: ${runs} (medians); autocannon: ${AUTOCANNON_SECONDS} s per measurement`);
  const figures: Figure[] = [];
  const show = (figure: Figure) => {
    figures.push(figure);
    printFigure(figure);
  };
  show(await suiteVsBare(runs));
  const targets = await suiteTargets(runs);
  show(targets.latency);
  show(targets.scale);
  const cannonades = await throughput(AUTOCANNON_SECONDS);
  show(cannonades.user);
  show(cannonades.page);
  show(await memoryFigure());

  console.log(`\nSummary (${seconds(performance.now() - started)}; ${load()} at the end):`);
  figures.forEach((figure, at) => {
    const mark = goalMet(figure) ? 'met   ' : 'MISSED';
    console.log(
      `  ${at + 1}. ${mark} ${figure.ratio.toFixed(2).padStart(7)} (goal ${figure.goal.op} ${figure.goal.value})  ${figure.name}`,
    );
  });
  clearTimeout(deadline);
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
