// Figure 1: the suite against the embedded server, divided by a bare Playwright run of one empty test,
// both started the same way and interleaved. Run: npx tsx bench/suite-vs-bare.ts [runs [playwright args]]
import { type Figure, median, printFigure, runBarePlaywright, runIfMain, runSuite, seconds } from './lib.js';

const GOAL = 2.0;

/** Figure 1; `args` go to `playwright test` (e.g. --workers=4, to compare settings). */
export async function suiteVsBare(runs: number, args: readonly string[] = []): Promise<Figure> {
  // One of each first, unmeasured: Playwright's transform cache and the OS file cache warm up.
  await runBarePlaywright();
  await runSuite({}, args);
  const bare: number[] = [];
  const suite: number[] = [];
  let failed = '';
  for (let run = 0; run < runs; run++) {
    bare.push(await runBarePlaywright());
    const result = await runSuite({}, args);
    suite.push(result.ms);
    if (result.code !== 0) failed = `the suite exited ${result.code}:\n${result.tail}`;
  }
  if (failed) throw new Error(failed);
  return {
    name: 'Suite against the embedded reference server / bare Playwright run of one empty test, wall time',
    ratio: median(suite) / median(bare),
    goal: { op: '<=', value: GOAL },
    details: [
      `suite: median ${seconds(median(suite))} of ${runs} (${suite.map(seconds).join(', ')})`,
      `bare Playwright, one empty test: median ${seconds(median(bare))} of ${runs} (${bare.map(seconds).join(', ')})`,
    ],
  };
}

runIfMain(import.meta.url, async () => {
  printFigure(await suiteVsBare(Number(process.argv[2] ?? 3), process.argv.slice(3)));
});
