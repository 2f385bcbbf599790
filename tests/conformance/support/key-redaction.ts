// The configured API key never reaches what a run writes, even when the server echoes it (an
// error body quoting the request's headers, a debug field). The key is blanked out of the text
// of every failure and skip the kit writes, not out of the responses themselves: checks compare
// what the server sent, and a key that happens to be a short word must not change that.
import { readSettings } from '../settings.js';
import { REDACTED_KEY } from './exchange.js';

let keyForms: string[] | undefined;

/** The key as it is, escaped in JSON, and escaped with `\/` as PHP writes it. */
function formsOf(key: string | undefined): string[] {
  if (!key) return [];
  const escaped = JSON.stringify(key).slice(1, -1);
  return [...new Set([key, escaped, escaped.replaceAll('/', '\\/')])];
}

/** The text with every form of the configured key replaced by the redaction marker. */
export function withoutKey(text: string): string {
  keyForms ??= formsOf(readSettings().apiKey);
  let result = text;
  for (const form of keyForms) result = result.replaceAll(form, REDACTED_KEY);
  return result;
}
