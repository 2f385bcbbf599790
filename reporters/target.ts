// Who the run checked, from the config's metadata (which survives into merge-reports) or the
// settings. Never a credential: the URL loses user info, query and fragment; the key is not read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../runtime/package-root.js';
import type { KitInfo, TargetInfo } from './report-types.js';

/** The URL a report shows for the embedded reference server, whose port changes each run. */
export const EMBEDDED_URL = 'embedded:reference-server';

/** The config metadata key playwright.config.ts sets. */
export const TARGET_METADATA_KEY = 'conformanceTarget';

/** The kit's package name and version, from package.json. */
export function kitInfo(): KitInfo {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    name?: unknown;
    version?: unknown;
  };
  return {
    name: typeof pkg.name === 'string' && pkg.name ? pkg.name : 'users-api-conformance',
    version: typeof pkg.version === 'string' && pkg.version ? pkg.version : '0.0.0',
  };
}

/** The URL without user info, query or fragment, and without a trailing slash. */
export function publicUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.href.replace(/\/+$/, '');
  } catch {
    return '(not a URL)';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The target from config metadata `{ url: string | null, appId: string }` (null url: the
 * embedded server), or from the fallback when the metadata does not have it.
 */
export function describeTarget(
  metadata: unknown,
  fallback: { apiUrl: string | undefined; appId: string; embedded: boolean },
): TargetInfo {
  const entry = isRecord(metadata) ? metadata[TARGET_METADATA_KEY] : undefined;
  if (isRecord(entry) && typeof entry.appId === 'string' && entry.appId) {
    if (typeof entry.url === 'string' && entry.url) {
      return { url: publicUrl(entry.url), appId: entry.appId, embedded: false };
    }
    if (entry.url === null || entry.url === undefined) {
      return { url: EMBEDDED_URL, appId: entry.appId, embedded: true };
    }
  }
  if (fallback.embedded || !fallback.apiUrl) return { url: EMBEDDED_URL, appId: fallback.appId, embedded: true };
  return { url: publicUrl(fallback.apiUrl), appId: fallback.appId, embedded: false };
}
