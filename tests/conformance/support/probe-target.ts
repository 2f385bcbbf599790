// One request before any test: does the configured base answer HTTP like the Users API?
import type { Settings } from '../settings.js';
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

/** Throws TargetUnusableError when the target is unreachable, not HTTP, refuses the key, or is not this API. */
export async function probeTarget(settings: Settings): Promise<void> {
  if (!settings.apiUrl) throw new TargetUnusableError('No target: API_URL is not set.');
  const url = new URL(usersUrl(settings.apiUrl, settings.appId));
  url.searchParams.set(settings.presenceQuery.name, settings.presenceQuery.value);
  url.searchParams.set(settings.pageSizeParam, '1');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (settings.apiKey) headers[settings.apiKeyHeader] = settings.apiKey;
  let response: Response;
  try {
    response = await fetch(url, {
      headers,
      signal: AbortSignal.timeout(Math.min(PROBE_TIMEOUT_MS, settings.requestTimeoutMs)),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    throw new TargetUnusableError(
      `The target at ${settings.apiUrl} does not answer HTTP: GET ${url.href} failed (${reason}).`,
    );
  }
  const body = await response.text();
  if (response.status === 401 || response.status === 403) {
    throw new TargetUnusableError(
      `The target at ${settings.apiUrl} refused the credentials: GET ${url.href} answered ${response.status}. ` +
        `Set API_KEY (and API_KEY_HEADER if the key is not sent as ${settings.apiKeyHeader}).`,
    );
  }
  if (response.status === 404 && !looksLikeJson(body)) {
    throw new TargetUnusableError(
      `The target at ${settings.apiUrl} does not look like the Users API: GET ${url.href} answered 404 ` +
        `${response.headers.get('content-type') ?? 'without a content type'}. Check API_URL and APP_ID.`,
    );
  }
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
