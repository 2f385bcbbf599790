// Unit tests of the reporter's output side: text cleaning, the target URL, every renderer (escaping
// above all: messages hold server output), and atomic writes. Synthetic inputs only; fast.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import ConformanceReporter from '../../reporters/conformance-reporter.js';
import { renderBadge } from '../../reporters/render-badge.js';
import { renderHtml } from '../../reporters/render-html.js';
import { MARKDOWN_LIMIT, renderMarkdown } from '../../reporters/render-markdown.js';
import { renderSummary } from '../../reporters/render-summary.js';
import { describeTarget, EMBEDDED_URL, publicUrl } from '../../reporters/target.js';
import { cleanMessage, markdownFence, stripAnsi } from '../../reporters/text.js';
import { writeAtomically } from '../../reporters/write-atomically.js';
import { contract } from '../../specs/contract.js';
import { syntheticReport } from './fixtures/reporter/fake-results.js';

const catalog = contract().requirements;
const ESC = String.fromCharCode(27);

describe('text helpers', () => {
  test('stripAnsi removes colour and hyperlink sequences; long messages are trimmed', () => {
    assert.equal(
      stripAnsi(`${ESC}[1m${ESC}[31mred${ESC}[0m ${ESC}]8;;https://x${ESC}\\link${ESC}]8;;${ESC}\\`),
      'red link',
    );
    const long = cleanMessage('x'.repeat(10_000), []);
    assert.ok(long.length < 4200, `trimmed to ${long.length}`);
    assert.match(long, /10000 characters in all/);
  });

  test('a fence is longer than any backtick run in its text', () => {
    assert.equal(markdownFence('a ```` b').split('\n')[0], '`````text');
  });
});

describe('target', () => {
  test('the URL never carries user info, query or fragment; the embedded server has a stable URL', () => {
    assert.equal(publicUrl('https://user:pass@api.example.com/base/?key=1#x'), 'https://api.example.com/base');
    const fallback = { apiUrl: undefined, appId: 'a', embedded: true };
    assert.deepEqual(describeTarget({ conformanceTarget: { url: null, appId: 'app' } }, fallback), {
      url: EMBEDDED_URL,
      appId: 'app',
      embedded: true,
    });
    assert.deepEqual(describeTarget({}, { apiUrl: 'http://u:p@h:1/', appId: 'b', embedded: false }), {
      url: 'http://h:1',
      appId: 'b',
      embedded: false,
    });
  });
});

describe('renderers', () => {
  const hostile = '<script>alert("x")</script> & | ``` </pre></details>';
  const report = syntheticReport({ 'USR-CREATE-SHAPE': 'failed', 'USR-CREATE-ECHO': 'flaky' });
  const shape = report.requirements.find((row) => row.id === 'USR-CREATE-SHAPE');
  if (shape) shape.message = hostile;

  test('HTML escapes messages and carries the data attributes the browser test reads', () => {
    const html = renderHtml(report);
    assert.ok(!html.includes('<script>alert'), 'the message is escaped');
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
    assert.match(html, /data-count-failed="1"/);
    assert.match(html, /<tr id="USR-CREATE-SHAPE" class="status-failed" data-status="failed" data-level="MUST">/);
    assert.equal((html.match(/<tr id=/g) ?? []).length, catalog.length);
    assert.ok(!/\bsrc=/.test(html), 'no external asset');
    for (const href of html.match(/\bhref="[^"]*"/g) ?? [])
      assert.match(href, /^href="#USR-[A-Z0-9-]+"$/, 'links only to rows');
  });

  test('Markdown puts failures first, folds passed rows, and stays under its limit for any run', () => {
    const markdown = renderMarkdown(report);
    assert.ok(markdown.indexOf('## Failures') < markdown.indexOf('## Requirements'), 'failures before the tables');
    assert.match(markdown, /<details><summary>\d+ passed<\/summary>/);
    // Every requirement failed, each with a long message: still under the limit, the rest named.
    const worst = syntheticReport(Object.fromEntries(catalog.map((entry) => [entry.id, 'failed' as const])));
    for (const row of worst.requirements) row.message = `${row.id} ${'x'.repeat(3900)}`;
    const long = renderMarkdown(worst);
    assert.ok(long.length <= MARKDOWN_LIMIT, `${long.length} characters`);
    assert.match(long, /_Left out for length: the messages of \d+ failures .*They are in conformance\.html/);
    assert.ok(long.indexOf('### USR-') < long.indexOf('## Requirements'));
  });

  test('Markdown keeps the message inside its fence and escapes table cells', () => {
    const markdown = renderMarkdown(report);
    assert.match(markdown, /^# Users API conformance: ❌ FAIL/);
    assert.ok(markdown.includes(`\`\`\`\`text\n${hostile}\n\`\`\`\``));
    assert.match(markdown, /\| USR-CREATE-SHAPE \| MUST \| ❌ failed \|/);
  });

  test('badge: passed MUST out of all MUST, red on a MUST failure, green otherwise', () => {
    const must = catalog.filter((entry) => entry.level === 'MUST').length;
    const red = renderBadge(report);
    assert.ok(red.includes(`${must - 1}/${must} MUST`), 'the flaky MUST counts as passed');
    assert.ok(red.includes('#cf222e'));
    const green = renderBadge(syntheticReport({ 'USR-CREATE-STATUS-201': 'failed' }));
    assert.ok(green.includes(`${must}/${must} MUST`) && green.includes('#1a7f37'));
    assert.match(green, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>[\s\S]*<\/svg>\n$/);
  });

  test('the stdout summary is a few lines naming each failed MUST', () => {
    const lines = renderSummary(report);
    assert.ok(lines.length <= 4, lines.join('\n'));
    assert.match(lines[0] ?? '', /^FAIL Users API conformance/);
    assert.ok(lines.some((line) => line.includes('USR-CREATE-SHAPE')));
  });
});

describe('writing', () => {
  test('files are written whole or not at all, and no temporary file is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reporter-write-'));
    try {
      writeFileSync(join(dir, 'conformance.json'), 'old');
      writeFileSync(join(dir, 'blocker'), 'a file where a folder would have to be');
      await assert.rejects(
        writeAtomically([
          { path: join(dir, 'conformance.json'), content: 'new' },
          { path: join(dir, 'blocker', 'conformance.md'), content: 'new' },
        ]),
      );
      assert.equal(readFileSync(join(dir, 'conformance.json'), 'utf8'), 'old', 'not replaced by a failed write');
      await writeAtomically([{ path: join(dir, 'conformance.json'), content: 'new' }]);
      assert.equal(readFileSync(join(dir, 'conformance.json'), 'utf8'), 'new');
      assert.deepEqual(readdirSync(dir).sort(), ['blocker', 'conformance.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('`playwright test --list` writes no report and leaves the exit status alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reporter-list-'));
    try {
      const reporter = new ConformanceReporter({ reportDir: dir, _mode: 'list' });
      const result = await reporter.onEnd({ status: 'passed', startTime: new Date(), duration: 1 });
      assert.equal(result, undefined);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
