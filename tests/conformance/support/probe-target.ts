// One request before any test: does the configured base answer HTTP like the Users API?
import type { Settings } from '../settings.js';
import type { Exchange } from './exchange.js';
import { REDACTED_KEY } from './key-redaction.js';
import { usersUrl } from './paths.js';

/** The target cannot be tested at all; the message names the URL and the cause. */
export class TargetUnusableError extends Error {
  override name = 'TargetUnusableError';

  constructor(message: string) {
    super(message);
    // The message says everything; a stack would bury it under the kit's own source lines.
    this.stack = `${this.name}: ${message}`;
  }
}

// Long enough for a cold staging server, short enough that a dead one ends the run in seconds.
const PROBE_TIMEOUT_MS = 5_000;

/** What one small request to the target brought: an HTTP answer, or why none came. */
export type TargetAnswer = { url: URL; response: Response; failure?: undefined } | { url: URL; failure: string };

/**
 * Asks the target for the first page of one user, with the configured key, within the probe's
 * time-out (or the one given). Used before any test, and mid-run to tell a target that stopped answering from a
 * request that merely failed.
 */
export async function askTarget(
  settings: Settings & { apiUrl: string },
  timeoutMs = Math.min(PROBE_TIMEOUT_MS, settings.requestTimeoutMs),
): Promise<TargetAnswer> {
  const url = new URL(usersUrl(settings.apiUrl, settings.appId));
  url.searchParams.set(settings.presenceQuery.name, settings.presenceQuery.value);
  url.searchParams.set(settings.pageSizeParam, '1');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (settings.apiKey) headers[settings.apiKeyHeader] = settings.apiKey;
  try {
    const response = await fetch(url, {
      headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { url, response };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { url, failure: cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)) };
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
