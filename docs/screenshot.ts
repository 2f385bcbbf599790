// `npm run screenshot`: regenerates docs/conformance-matrix.png, the README's picture, from a real
// run against the embedded server, with settings blanked so it never shows another target.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SETTING_NAMES } from '../runtime/settings.js';
import { launchChromium } from '../tests/self/support/debian-chromium.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const REPORT = join(ROOT, 'reports', 'conformance.html');
const PICTURE = join(ROOT, 'docs', 'conformance-matrix.png');
const RUN_TIMEOUT_MS = 180_000;
const WIDTH = 1280;
const HEIGHT = 1000;

const { values } = parseArgs({ options: { 'no-run': { type: 'boolean' } }, strict: true });

if (!values['no-run']) {
  // Blank, not deleted: dotenv fills in only variables that are not set at all.
  const env = { ...process.env, ...Object.fromEntries(SETTING_NAMES.map((name) => [name, ''])) };
  const run = spawnSync('npm', ['run', '--silent', 'conformance'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: RUN_TIMEOUT_MS,
  });
  if (run.status !== 0) {
    process.stderr.write(`screenshot: npm run conformance exited ${run.status ?? run.signal}; no picture taken\n`);
    process.exit(1);
  }
}
if (!existsSync(REPORT)) {
  process.stderr.write(`screenshot: ${REPORT} does not exist; run npm run conformance first\n`);
  process.exit(1);
}

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(REPORT).href);
  // The verdict, the counts, the filters and the first operations' requirements, cut below
  // the last whole row.
  const rowBottoms = await page
    .locator('tr')
    .evaluateAll((rows) => rows.map((row) => Math.ceil(row.getBoundingClientRect().bottom)));
  const height = Math.max(...rowBottoms.filter((bottom) => bottom < HEIGHT - 2), 1) + 2;
  await page.screenshot({ path: PICTURE, clip: { x: 0, y: 0, width: WIDTH, height: Math.min(height, HEIGHT) } });
  process.stdout.write(`screenshot: wrote ${PICTURE}\n`);
} finally {
  await browser.close();
}
