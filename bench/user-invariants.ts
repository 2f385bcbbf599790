// The invariants at rest after any run of requests (D3, D4, D8): each live user answers GET and is
// listed once in both list forms, which count the same; a deleted user is gone from all three.
import { type Answer, type ApiClient, REQUEST_TIMEOUT_MS } from './api-client.js';
import { fetchPage, follow, type Page } from './follow-pages.js';
import { type RawOutcome, sendAll } from './send-raw.js';
import { type Expected, expectedOf, type LedgerEntry, UserLedger } from './user-ledger.js';
import { visible } from './visible-text.js';

// However many users a run leaves, looking them up one by one stops after this long.
const LOOKUPS_TIME_LIMIT_MS = 60_000;

/** How the checker reads the lists. */
export interface InvariantOptions {
  /** The page size the walk asks for: small, so that the walk crosses many pages. */
  readonly pageSize: number;
  /** At most this many pages are read in one walk (D4's page budget). */
  readonly maxPages: number;
  /** At most this many gone users are looked up one by one; the lists check every one of them. */
  readonly maxGoneLookups?: number;
  /** Lookups in flight at once. */
  readonly concurrency?: number;
}

/** Checks every app of the ledger; an empty list means every invariant holds. */
export async function checkUserInvariants(
  client: ApiClient,
  ledger: UserLedger,
  options: InvariantOptions,
): Promise<string[]> {
  const findings: string[] = [];
  for (const appId of ledger.appIds()) {
    findings.push(...(await checkApp(client, appId, ledger.entries(appId), options)));
  }
  return findings;
}

/** A ledger that starts from what each app's plain list holds before the run. */
export async function startLedger(client: ApiClient, appIds: readonly string[]): Promise<UserLedger> {
  const ledger = new UserLedger();
  for (const appId of appIds) {
    const listing = await readPlainList(client, appId);
    if (typeof listing === 'string') throw new Error(`before the run: ${listing}`);
    ledger.startWith(appId, listing.usernames);
  }
  return ledger;
}

/** One request and its answer as a failure message shows them. */
function exchange(method: string, target: string, answer: Pick<Answer, 'status' | 'text'>): string {
  return `${method} ${trim(target)} → ${answer.status} ${trim(answer.text)}`;
}

async function checkApp(
  client: ApiClient,
  appId: string,
  entries: ReadonlyMap<string, Readonly<LedgerEntry>>,
  options: InvariantOptions,
): Promise<string[]> {
  const findings: string[] = [];
  const expected = new Map<string, Expected>();
  for (const [username, entry] of entries) {
    const state = expectedOf(entry);
    expected.set(username, state);
    if (state === 'impossible') {
      findings.push(
        `${userIn(appId, username)} was created ${entry.creates} and deleted ${entry.deletes} time(s) with 2xx answers` +
          `${entry.atStart ? ', after the app listed it at the start' : ''}; a name can be created only while free ` +
          `(D5, uniqueness) and deleted only while taken (D8).${historyOf(entry)}`,
      );
    }
  }
  const plain = await readPlainList(client, appId);
  const walk = await walkPages(client, appId, options);
  for (const listing of [plain, walk]) {
    if (typeof listing === 'string') findings.push(listing);
    else findings.push(...compareListing(appId, listing, entries, expected));
  }
  if (typeof plain !== 'string' && typeof walk !== 'string') {
    findings.push(...compareTotals(appId, plain, walk, expected));
  }
  findings.push(...(await lookUpEach(client, appId, entries, expected, options)));
  return findings;
}

/** The names one list form showed, and how it was asked. */
interface Listing {
  readonly what: string;
  readonly usernames: readonly string[];
  /** The total_count of each page; the plain list has none. */
  readonly totals: readonly number[];
}

async function readPlainList(client: ApiClient, appId: string): Promise<Listing | string> {
  const path = client.users(appId);
  const answer = await client.call(path);
  if (answer.status !== 200 || !Array.isArray(answer.json)) {
    return `${exchange('GET', path, answer)}; D3: Get Users answers 200 with a JSON array of every user of the app.`;
  }
  const usernames = (answer.json as unknown[]).map((user) => String((user as { username?: unknown })?.username));
  return { what: `the plain list (GET ${trim(path)})`, usernames, totals: [] };
}

async function walkPages(client: ApiClient, appId: string, options: InvariantOptions): Promise<Listing | string> {
  const start = `${client.users(appId)}?presence=true&limit=${options.pageSize}`;
  let pages: Page[];
  try {
    pages = await follow(client, await fetchPage(client, start), 'next', options.maxPages);
  } catch (error) {
    return `the paginated walk from GET ${trim(start)} following next failed: ${trim(messageOf(error))}; D4.`;
  }
  const bad = pages.find((page) => !Array.isArray(page.users) || typeof page.total_count !== 'number');
  if (bad) {
    return `GET ${trim(bad.url)} answered a page without a users array or a numeric total_count; D4: the envelope has both.`;
  }
  return {
    what: `the paginated walk (GET ${trim(start)}, then next, ${pages.length} page(s))`,
    usernames: pages.flatMap((page) => page.users.map((user) => String(user.username))),
    totals: pages.map((page) => page.total_count),
  };
}

function compareListing(
  appId: string,
  listing: Listing,
  entries: ReadonlyMap<string, Readonly<LedgerEntry>>,
  expected: ReadonlyMap<string, Expected>,
): string[] {
  const findings: string[] = [];
  const times = new Map<string, number>();
  for (const username of listing.usernames) times.set(username, (times.get(username) ?? 0) + 1);
  for (const [username, count] of times) {
    const state = expected.get(username);
    const history = historyOf(entries.get(username));
    if (count > 1) {
      findings.push(
        `${userIn(appId, username)} is in ${listing.what} ${count} times; D3/D4: every user once.${history}`,
      );
    } else if (state === undefined) {
      findings.push(
        `${userIn(appId, username)} is in ${listing.what}, but the run never created it and the app did not list it ` +
          'at the start; a list shows the users of its app and nothing else (D3, D11).',
      );
    } else if (state === 'gone') {
      findings.push(`${userIn(appId, username)} was deleted but is still in ${listing.what}; D8.${history}`);
    }
  }
  for (const [username, state] of expected) {
    if (state === 'live' && !times.has(username)) {
      findings.push(
        `${userIn(appId, username)} exists but is missing from ${listing.what}; D3/D4: every user is listed.` +
          historyOf(entries.get(username)),
      );
    }
  }
  return findings;
}

function compareTotals(
  appId: string,
  plain: Listing,
  walk: Listing,
  expected: ReadonlyMap<string, Expected>,
): string[] {
  const findings: string[] = [];
  const states = [...expected.values()];
  const live = states.filter((state) => state === 'live').length;
  const either = states.filter((state) => state === 'either').length;
  const totals = new Set(walk.totals);
  if (totals.size > 1) {
    findings.push(
      `app ${quote(appId)}: total_count changed during ${walk.what} at rest: ${[...totals].join(', ')}; D4.`,
    );
  }
  const total = walk.totals[0] ?? 0;
  if (total !== plain.usernames.length) {
    findings.push(
      `app ${quote(appId)}: ${walk.what} says total_count ${total}, ${plain.what} holds ${plain.usernames.length} users; ` +
        'both list forms show every user of the app (D3, D4).',
    );
  }
  if (total < live || total > live + either) {
    const range = either === 0 ? `${live}` : `${live} to ${live + either}`;
    findings.push(`app ${quote(appId)}: total_count is ${total}, the run's answers leave ${range} users; D4, D5, D8.`);
  }
  return findings;
}

// Looked up with node:http, not fetch: fetch resolves a user named ".." or "." (and their
// %2E forms) as a dot segment and asks for another URL.
async function lookUpEach(
  client: ApiClient,
  appId: string,
  entries: ReadonlyMap<string, Readonly<LedgerEntry>>,
  expected: ReadonlyMap<string, Expected>,
  options: InvariantOptions,
): Promise<string[]> {
  // Gone users are all checked in the lists; one by one, only an even sample when there are many.
  const gone = [...expected].filter(([, state]) => state === 'gone');
  const sampleEvery = Math.max(1, Math.ceil(gone.length / (options.maxGoneLookups ?? Number.POSITIVE_INFINITY)));
  const goneSample = new Set(gone.filter((_, at) => at % sampleEvery === 0).map(([username]) => username));
  const findings: string[] = [];
  const lookups: { username: string; state: Expected; target: string }[] = [];
  for (const [username, state] of expected) {
    if (state === 'impossible' || (state === 'gone' && !goneSample.has(username))) continue;
    try {
      lookups.push({ username, state, target: client.users(appId, username) });
    } catch (error) {
      // encodeURIComponent refuses a lone surrogate: no URL can name such a user.
      findings.push(
        `${userIn(appId, username)} was accepted, but no URL can name it (${messageOf(error)}); D2: an accepted ` +
          `username is reachable at its percent-encoded path.${historyOf(entries.get(username))}`,
      );
    }
  }
  const outcomes = await sendAll(
    client.url,
    lookups.map(({ target }) => ({ method: 'GET', target, headers: client.headers, body: undefined })),
    { concurrency: options.concurrency ?? 8, timeoutMs: REQUEST_TIMEOUT_MS, totalMs: LOOKUPS_TIME_LIMIT_MS },
  );
  lookups.forEach(({ username, state, target }, at) => {
    const finding = judgeLookup(appId, username, state, target, outcomes[at] as RawOutcome);
    if (finding !== undefined) findings.push(`${finding}${historyOf(entries.get(username))}`);
  });
  return findings;
}

function judgeLookup(
  appId: string,
  username: string,
  state: Expected,
  target: string,
  outcome: RawOutcome,
): string | undefined {
  if ('error' in outcome) return `GET ${trim(target)} got no answer (${outcome.error}); D9.`;
  const found = outcome.status === 200 && usernameOf(outcome.text) === username;
  if (state === 'live' && !found) {
    return `${exchange('GET', target, outcome)}, but the run created ${quote(username)} in app ${quote(appId)} and did not delete it; D6: 200 with the user.`;
  }
  if (state === 'gone' && outcome.status !== 404) {
    return `${exchange('GET', target, outcome)}, but ${quote(username)} was deleted; D8: a GET after delete is 404.`;
  }
  if (state === 'either' && !found && outcome.status !== 404) {
    return `${exchange('GET', target, outcome)}; D6, D9: 200 with the user, or 404.`;
  }
  return undefined;
}

function usernameOf(text: string): unknown {
  try {
    return (JSON.parse(text) as { username?: unknown } | null)?.username;
  } catch {
    return undefined;
  }
}

function historyOf(entry: Readonly<LedgerEntry> | undefined): string {
  if (!entry || entry.history.length === 0) return '';
  return ` What the run sent about it: ${entry.history.join('; ')}.`;
}

function userIn(appId: string, username: string): string {
  return `app ${quote(appId)}: user ${quote(username)}`;
}

function quote(text: string): string {
  return `"${visible(text, 80)}"`;
}

function trim(text: string): string {
  return visible(text, 160);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
