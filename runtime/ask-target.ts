// One small request to the target, with the configured key and a short time-out: the probe
// before any test and the mid-run check of a target that stopped answering both ask this way.
import { usersUrl } from './paths.js';
import type { Settings } from './settings.js';

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
