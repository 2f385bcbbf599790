// The HTML reports in a real browser (Debian's Chromium): counts match the JSON, filters work,
// failure messages show as text (server output is never markup), and the page makes no request.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { buildMatrix } from '../../reporters/build-matrix.js';
import { totalCounts } from '../../reporters/build-report.js';
import { renderHtml } from '../../reporters/render-html.js';
import { renderMatrixHtml } from '../../reporters/render-matrix.js';
import { STATUSES } from '../../reporters/report-types.js';
import { syntheticReport } from './fixtures/reporter/fake-results.js';
import { chromiumMissing, launchChromium } from './support/debian-chromium.js';

const skip = chromiumMissing() ?? false;

const HOSTILE = '<img src=x onerror="alert(1)"><script>alert("x")</script> & </pre></details>';
const report = syntheticReport({
  'USR-CREATE-SHAPE': 'failed',
  'USR-CREATE-STATUS-201': 'failed',
  'USR-CREATE-ECHO': 'flaky',
  'USR-CREATE-DUPLICATE-409': 'skipped',
  'USR-GET-SUCCESS': 'untested',
  'USR-LIST-ROLE-STATUS': 'untested',
});
const shape = report.requirements.find((row) => row.id === 'USR-CREATE-SHAPE');
if (shape) shape.message = HOSTILE;

const dir = mkdtempSync(join(tmpdir(), 'reporter-html-'));
let browser: Browser | undefined;

async function open(file: string, html: string): Promise<{ page: Page; requests: string[]; dialogs: string[] }> {
  const path = join(dir, file);
  writeFileSync(path, html);
  if (!browser) throw new Error('no browser');
  const page = await browser.newPage();
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(path).href);
  return { page, requests, dialogs };
}

describe('HTML reports in Chromium', { skip }, () => {
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('conformance.html: counts equal the JSON, filters hide rows, failures open to their message', async () => {
    const { page, requests, dialogs } = await open('conformance.html', renderHtml(report));
    assert.match(await page.title(), /^Users API conformance: FAIL$/);
    assert.equal(await page.locator('h1').textContent(), 'Users API conformance: FAIL');

    const total = totalCounts(report.summary.counts);
    const summary = page.locator('#summary');
    for (const status of STATUSES) {
      assert.equal(await summary.getAttribute(`data-count-${status}`), String(total[status]), status);
      assert.equal(await page.locator(`tr[data-status="${status}"]`).count(), total[status], `${status} rows`);
    }
    const rows = page.locator('tr[data-status]');
    assert.equal(await rows.count(), report.requirements.length);
    const shown = page.locator('#shown-count');
    assert.equal(await shown.textContent(), String(report.requirements.length));

    // Level filter: without MUST, only SHOULD and MAY rows remain.
    await page.locator('#filters input[name="level"][value="MUST"]').uncheck();
    const notMust = report.requirements.filter((row) => row.level !== 'MUST').length;
    assert.equal(await shown.textContent(), String(notMust));
    assert.equal(await page.locator('tr[data-level="MUST"]:visible').count(), 0);
    assert.equal(await page.locator('tr[data-status]:visible').count(), notMust);

    // Status filter on top: only failed ones (of SHOULD and MAY).
    for (const status of STATUSES) {
      if (status !== 'failed') await page.locator(`#filters input[name="status"][value="${status}"]`).uncheck();
    }
    const failedNotMust = report.requirements.filter((row) => row.level !== 'MUST' && row.status === 'failed');
    assert.equal(await shown.textContent(), String(failedNotMust.length));
    assert.deepEqual(
      await page.locator('tr[data-status]:visible').evaluateAll((found) => found.map((row) => row.id)),
      failedNotMust.map((row) => row.id),
    );
    // Operations without a visible row are hidden whole.
    assert.equal(await page.locator('section.operation:visible').count(), 1);

    await page.locator('#filters input[name="level"][value="MUST"]').check();
    const failure = page.locator('tr[data-details-of="USR-CREATE-SHAPE"] details');
    assert.equal(await failure.locator('pre').isVisible(), false);
    await failure.locator('summary').click();
    assert.equal(await failure.locator('pre').textContent(), HOSTILE, 'the message is text, not markup');
    assert.equal(await page.locator('tr[data-details-of="USR-CREATE-SHAPE"] :is(img, script)').count(), 0);

    assert.deepEqual(dialogs, [], 'no script of the message ran');
    assert.deepEqual(requests, [pathToFileURL(join(dir, 'conformance.html')).href], 'no request but the page');
  });

  test('a SHOULD warning looks unlike a MUST failure, a MAY reads as observed, details take the table width', async () => {
    const { page } = await open('looks.html', renderHtml(report));
    const background = (id: string) => page.locator(`#${id}`).evaluate((row) => getComputedStyle(row).backgroundColor);
    const mustFailure = await background('USR-CREATE-SHAPE');
    const shouldWarning = await background('USR-CREATE-STATUS-201');
    assert.notEqual(shouldWarning, mustFailure, 'a warning has a colour of its own');
    assert.match((await page.locator('#USR-CREATE-STATUS-201 td.status').textContent()) ?? '', /warning/);
    const may = report.requirements.find((row) => row.level === 'MAY' && row.status === 'passed');
    if (may) assert.match((await page.locator(`#${may.id} td.status`).textContent()) ?? '', /observed/);
    const details = page.locator('tr[data-details-of="USR-CREATE-SHAPE"]');
    await details.locator('summary').click();
    const [tableWidth, preWidth] = await Promise.all([
      details.evaluate((row) => (row.closest('table') as HTMLTableElement).getBoundingClientRect().width),
      details.locator('pre').evaluate((pre) => pre.getBoundingClientRect().width),
    ]);
    assert.ok(preWidth > tableWidth * 0.9, `the message takes the table's width (${preWidth} of ${tableWidth})`);
  });

  test('every ID in the summary lists links to its row', async () => {
    const { page } = await open('links.html', renderHtml(report));
    const links = page.locator('#summary .gate a');
    assert.ok((await links.count()) >= 3, 'failing, warnings and unjudged IDs are links');
    for (const link of await links.all()) {
      const href = (await link.getAttribute('href')) ?? '';
      assert.equal(href, `#${await link.textContent()}`);
      assert.equal(await page.locator(`tr${href}`).count(), 1, `${href} names a row`);
    }
    await page.locator('#summary .gate a', { hasText: 'USR-CREATE-SHAPE' }).first().click();
    assert.equal(await page.evaluate(() => location.hash), '#USR-CREATE-SHAPE');
  });

  test('comparison.html renders the matrix, worst implementation first', async () => {
    const worse = syntheticReport(
      { 'USR-CREATE-SHAPE': 'failed' },
      { target: { url: 'https://worse.example.test', appId: 'a', embedded: false } },
    );
    const matrix = buildMatrix([
      { path: 'better/conformance.json', report: syntheticReport({}) },
      { path: 'worse/conformance.json', report: worse },
    ]);
    const { page, requests } = await open('comparison.html', renderMatrixHtml(matrix));
    const headers = await page.locator('th.impl').allTextContents();
    assert.equal(headers.length, 2);
    assert.match(headers[0] ?? '', /^https:\/\/worse\.example\.test/);
    const rowCount = await page.locator('#matrix tbody tr[data-level]').count();
    assert.equal(rowCount, report.requirements.length);
    assert.equal(await page.locator('td[data-status="failed"]').count(), 1);
    assert.equal(requests.length, 1);
  });
});
