// Small text helpers shared by the renderers: colours and secrets out, long text trimmed, escaping.
// Messages hold server output, so every renderer escapes every string it did not write itself.
import { isAbsolute, relative, sep } from 'node:path';
import { redact } from '../runtime/key-redaction.js';

/** A failure message is cut to this many characters; the rest is summarized in one line. */
export const MESSAGE_LIMIT = 4000;

const ESC = String.fromCharCode(27);
const BEL = String.fromCharCode(7);
// CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks) as terminals print them.
const ANSI = new RegExp(`${ESC}\\[[0-9;?]*[ -/]*[@-~]|${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)`, 'g');

/** Removes terminal colour and control sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Cuts text to `limit` characters, saying how long it was. */
export function trimText(text: string, limit = MESSAGE_LIMIT): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n… (trimmed: ${text.length} characters in all)`;
}

/** A message as reports show it: no colour codes, no secrets, no trailing blanks, trimmed. */
export function cleanMessage(text: string, secrets: readonly string[]): string {
  return trimText(redact(stripAnsi(text), secrets).replace(/\s+$/, ''));
}

/** Text for HTML and XML element content and quoted attribute values. */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Text for one cell of a Markdown table: no line breaks, no column breaks, no raw HTML. */
export function escapeMarkdownCell(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replaceAll('\\', '\\\\')
    .replaceAll('|', '\\|')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

/** A fenced block that the text cannot close early: the fence is longer than any backtick run in it. */
export function markdownFence(text: string, info = 'text'): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}

/** A path as reports print it: relative to the working folder when inside it, with `/` separators. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const shown = isAbsolute(path) ? relative(cwd, path) : path;
  const inside = shown && !shown.startsWith('..') && !isAbsolute(shown) ? shown : path;
  return inside.split(sep).join('/');
}

/** Plain code-unit order, the same in every locale, so sorted output is byte-stable. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
