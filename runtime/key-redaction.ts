// The API key never reaches what a run writes, even when the server echoes it. It is blanked in what
// the kit writes, never in the responses the checks compare, so a short key cannot change a verdict.
import { readSettings } from './settings.js';

/** Stands for the API key in every printed request, so no report or log ever holds the key. */
export const REDACTED_KEY = '$API_KEY';

// A token after an auth scheme ("Bearer <token>") is blanked on its own too, as a server may
// echo just the token; shorter ones would blank ordinary words.
const SHORTEST_TOKEN = 8;

let keyForms: string[] | undefined;

/**
 * The key, and the token after its scheme, each as it is, escaped in JSON, and escaped with `\/`
 * as PHP writes it; longest first, so a token inside the whole key leaves no piece behind.
 */
export function secretForms(key: string | undefined): string[] {
  if (!key) return [];
  const token = /^[A-Za-z][\w-]*\s+(\S+)$/.exec(key)?.[1];
  const secrets = token && token.length >= SHORTEST_TOKEN ? [key, token] : [key];
  const forms = secrets.flatMap((secret) => {
    const escaped = JSON.stringify(secret).slice(1, -1);
    return [secret, escaped, escaped.replaceAll('/', '\\/')];
  });
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

/** The text with each of the secrets (secretForms of a key) replaced by the redaction marker. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret) result = result.split(secret).join(REDACTED_KEY);
  return result;
}

/** The text with every form of the configured key replaced by the redaction marker. */
export function withoutKey(text: string): string {
  keyForms ??= secretForms(readSettings().apiKey);
  return redact(text, keyForms);
}
