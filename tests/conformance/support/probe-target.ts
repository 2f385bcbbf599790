// One request before any test: does the configured base answer HTTP like the Users API?

import { askTarget } from '../../../runtime/ask-target.js';
import { REDACTED_KEY } from '../../../runtime/key-redaction.js';
import type { Settings } from '../../../runtime/settings.js';
import type { Exchange } from './exchange.js';

/** The target cannot be tested at all; the message names the URL and the cause. */
export class TargetUnusableError extends Error {
  override name = 'TargetUnusableError';

  constructor(message: string) {
    super(message);
    // The message says everything; a stack would bury it under the kit's own source lines.
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * Throws TargetUnusableError when the target is unreachable, not HTTP, refuses the key, or is
 * not this API; otherwise gives back the exchange, which the exchange rules judge like any other.
 */
export async function probeTarget(settings: Settings): Promise<Exchange> {
  if (!settings.apiUrl) throw new TargetUnusableError('No target: API_URL is not set.');
  const answer = await askTarget({ ...settings, apiUrl: settings.apiUrl });
  const { url } = answer;
  if (answer.failure !== undefined) {
    throw new TargetUnusableError(
      `The target at ${settings.apiUrl} does not answer HTTP: GET ${url.href} failed (${answer.failure}).`,
    );
  }
  const { response } = answer;
  const body = await response.text();
  const headers = Object.fromEntries(response.headers);
  const exchange: Exchange = {
    request: {
      method: 'GET',
      url: url.href,
      headers: { accept: 'application/json', ...(settings.apiKey ? { [settings.apiKeyHeader]: REDACTED_KEY } : {}) },
    },
    response: {
      status: response.status,
      contentType: headers['content-type'] ?? '',
      headers,
      text: body,
      json: parsed(body),
    },
  };
  if (response.status === 401 || response.status === 403) {
    const hint = settings.apiKey
      ? `Check the key in ${settings.apiKeySource}, and the header it goes in (${settings.apiKeyHeader}; --api-key-header or API_KEY_HEADER).`
      : `No key was sent: give it with --api-key-env NAME (or API_KEY), and its header with --api-key-header if it is not ${settings.apiKeyHeader}.`;
    throw new TargetUnusableError(
      `The target at ${settings.apiUrl} refused the credentials: GET ${url.href} answered ${response.status}${
        settings.apiKey ? ` to the key in ${settings.apiKeySource}` : ' to a request without a key'
      }. ${hint}`,
    );
  }
  if (response.status === 404 && !looksLikeJson(body)) {
    throw new TargetUnusableError(
      `The target at ${settings.apiUrl} does not look like the Users API: GET ${url.href} answered 404 ` +
        `${response.headers.get('content-type') ?? 'without a content type'}. Check API_URL and APP_ID.`,
    );
  }
  // A web page where the API should be: API_URL names a front end, a login page or a gateway.
  // Every test would fail on it; one sentence saying so is more use than ninety failures.
  if (response.ok && looksLikeHtml(response.headers.get('content-type'), body)) {
    throw new TargetUnusableError(
      `The target at ${settings.apiUrl} does not look like the Users API: GET ${url.href} answered ` +
        `${response.status} with a web page (${response.headers.get('content-type') ?? 'no content type'}: ` +
        `${JSON.stringify(body.trim().slice(0, 60))}). Check that API_URL is the API's base URL.`,
    );
  }
  return exchange;
}

function parsed(text: string): unknown {
  try {
    return text.trim() ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function looksLikeHtml(contentType: string | null, body: string): boolean {
  return /html/i.test(contentType ?? '') || body.trimStart().startsWith('<');
}

function looksLikeJson(text: string): boolean {
  return parsed(text) !== undefined;
}
