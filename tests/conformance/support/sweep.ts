// Finds and deletes this run's users by the run's prefix (D12), for the final cleanup test and the
// global teardown; it needs only an ApiClient, so it runs without Playwright's fixtures.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPrefix } from '../../../runtime/run-identity.js';
import { RUN_STATE_VARIABLE } from '../../../runtime/target-lost.js';
import type { ApiClient } from './api-client.js';
import type { Exchange } from './exchange.js';
import { mapConcurrently } from './map-concurrently.js';
import { SCAN_PAGE_SIZE } from './page-walk.js';

const SWEPT_MARKER = 'swept';

/** Notes in the run's state that the final check swept the apps, so the global teardown need not. */
export function noteFinalSweep(): void {
  const dir = process.env[RUN_STATE_VARIABLE];
  if (dir) writeFileSync(join(dir, SWEPT_MARKER), '');
}

/** Whether the final check has swept the apps in this run. */
export function finalSweepDone(): boolean {
  const dir = process.env[RUN_STATE_VARIABLE];
  return dir !== undefined && existsSync(join(dir, SWEPT_MARKER));
}

/** At most this many deletes are in flight at once, so a big leftover set does not flood the target. */
const DELETE_CONCURRENCY = 8;

/** The usernames of a Get Users array body, in order; undefined when the body is not an array. */
export function listedUsernames(exchange: Exchange): string[] | undefined {
  const json = exchange.response?.json;
  if (exchange.response?.status !== 200 || !Array.isArray(json)) return undefined;
  return json.flatMap((item) => {
    const username = (item as Record<string, unknown> | null)?.username;
    return typeof username === 'string' ? [username] : [];
  });
}

/** The users of one app whose names start with the prefix, and where they were seen. */
export interface RunUsers {
  appId: string;
  /** Distinct usernames with the prefix, in the order they were listed. */
  usernames: string[];
  /** The Get Users array, or the pages of the fallback walk. */
  exchanges: Exchange[];
  /** Which list form was read: the array, or the paginated form when the array was unusable. */
  source: 'array' | 'pages';
  /** Set when neither list form could be read whole; `usernames` then holds what was seen. */
  problem?: string;
}

/** What a scan of Get Users with Presence saw. */
export interface PageScan {
  /** Every page fetched, in the order `next` led through them. */
  pages: Exchange[];
  /** The usernames of those pages, in order, repeats included. */
  usernames: string[];
  /** The page on which `until` first held, if it did. */
  hit?: Exchange;
  /** Undefined when the scan reached a page without a `next`; otherwise why it stopped short. */
  stop?: string;
  /** What stopped it short: the page budget, a `next` leading back, or a page without a users array. */
  stopKind?: 'budget' | 'loop' | 'broken';
}

/**
 * Reads Get Users with Presence page by page through the `next` links (resolved against each
 * page's URL, D4), within the page budget. It asks only what a search needs of a page: a 200
 * with a `users` array; the envelope's other rules are the pagination requirements' to judge.
 * A page with no users ends the scan (a `next` past the end leads nowhere), and so does a URL
 * seen before. `until` stops it early, on the first page whose names satisfy it.
 */
export async function scanPages(
  api: ApiClient,
  options: { appId?: string; limit?: number; until?: (usernames: string[]) => boolean } = {},
): Promise<PageScan> {
  const scan: PageScan = { pages: [], usernames: [] };
  const seen = new Set<string>();
  let url: string | undefined = api.pageUrl({ appId: options.appId, limit: options.limit ?? SCAN_PAGE_SIZE });
  while (url !== undefined) {
    if (scan.pages.length >= api.settings.pageBudget) {
      scan.stop = `the page budget of ${api.settings.pageBudget} pages was spent before the last page`;
      scan.stopKind = 'budget';
      return scan;
    }
    if (seen.has(url)) {
      scan.stop = `the next link led back to ${url}`;
      scan.stopKind = 'loop';
      return scan;
    }
    seen.add(url);
    const exchange = await api.send('GET', url, { operation: 'listUsersWithPresence' });
    scan.pages.push(exchange);
    const body = exchange.response?.json as { users?: unknown; links?: { next?: unknown } } | null | undefined;
    if (exchange.response?.status !== 200 || !Array.isArray(body?.users)) {
      scan.stop = `a page answered ${exchange.response?.status ?? 'nothing'} without a users array`;
      scan.stopKind = 'broken';
      return scan;
    }
    const usernames = body.users.flatMap((item) => {
      const username = (item as Record<string, unknown> | null)?.username;
      return typeof username === 'string' ? [username] : [];
    });
    scan.usernames.push(...usernames);
    if (options.until?.(usernames)) {
      scan.hit = exchange;
      return scan;
    }
    const next = body.links?.next;
    url = typeof next === 'string' && next && usernames.length > 0 ? api.resolve(next, exchange) : undefined;
  }
  return scan;
}

/**
 * Lists the app's users whose names start with the prefix. The Get Users array is the one
 * list that holds every user (D3); when it cannot be read, the paginated form is scanned
 * within the page budget instead.
 */
export async function findRunUsers(api: ApiClient, appId: string, prefix = runPrefix()): Promise<RunUsers> {
  const list = await api.listUsers({ appId });
  const listed = listedUsernames(list);
  if (listed) return { appId, usernames: withPrefix(listed, prefix), exchanges: [list], source: 'array' };
  const scan = await scanPages(api, { appId });
  const found: RunUsers = {
    appId,
    usernames: withPrefix(scan.usernames, prefix),
    exchanges: [list, ...scan.pages],
    source: 'pages',
  };
  if (scan.stop) {
    const array = list.response ? `answered ${list.response.status}` : `failed (${list.transportError})`;
    found.problem = `the Get Users array ${array} without a JSON array, and the scan of its pages stopped: ${scan.stop}`;
  }
  return found;
}

/**
 * Whether a name is one of this run's: it starts with the prefix, or has one character before
 * it (the input classes that test a name's first character, a leading dot or space, E30).
 */
export function carriesRunPrefix(username: string, prefix: string): boolean {
  const at = username.indexOf(prefix);
  return at === 0 || at === 1;
}

function withPrefix(usernames: string[], prefix: string): string[] {
  return [...new Set(usernames.filter((username) => carriesRunPrefix(username, prefix)))];
}

/** What a sweep of one app found and what became of each delete. */
export interface SweepResult extends RunUsers {
  /** Usernames whose DELETE answered 2xx. */
  deleted: string[];
  /** Usernames whose DELETE did not answer 2xx, with that exchange. */
  refused: { username: string; exchange: Exchange }[];
}

/**
 * Deletes every user of the run's prefix from each app (the configured app and the second
 * app by default) and says what it found and deleted. It never throws for an HTTP outcome.
 */
export async function sweepRunUsers(
  api: ApiClient,
  options: { appIds?: string[]; prefix?: string } = {},
): Promise<SweepResult[]> {
  const prefix = options.prefix ?? runPrefix();
  const appIds = options.appIds ?? sweptApps(api);
  return Promise.all(
    appIds.map(async (appId) => {
      const found = await findRunUsers(api, appId, prefix);
      const outcomes = await mapConcurrently(found.usernames, DELETE_CONCURRENCY, async (username) => ({
        username,
        exchange: await api.deleteUser(username, { appId }),
      }));
      const succeeded = (exchange: Exchange) => {
        const status = exchange.response?.status;
        return status !== undefined && status >= 200 && status < 300;
      };
      return {
        ...found,
        deleted: outcomes.filter((outcome) => succeeded(outcome.exchange)).map((outcome) => outcome.username),
        refused: outcomes.filter((outcome) => !succeeded(outcome.exchange)),
      };
    }),
  );
}

/** The apps a run writes to: the configured app, and the second app when one is configured. */
export function sweptApps(api: ApiClient): string[] {
  const { appId, secondAppId } = api.settings;
  return secondAppId ? [appId, secondAppId] : [appId];
}
