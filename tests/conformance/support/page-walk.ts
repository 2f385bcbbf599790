// Walks Get Users with Presence only through the server's links (D3: the position scheme is its
// choice; D4: links may be relative), bounded so a broken `next` cannot keep it going.

import { contract } from '../../../specs/contract.js';
import type { GetUsersWithPresenceResponse } from '../../../specs/schema-types.js';
import type { ApiClient } from './api-client.js';
import type { Exchange } from './exchange.js';
import { stillAttempts } from './still-app.js';

/**
 * The page size the kit asks when it only scans the list for names: small enough that no
 * server's maximum refuses it (some answer 400 above 50), large enough to scan a few thousand
 * users within the page budget.
 */
export const SCAN_PAGE_SIZE = 20;

/** The envelope as schemas/users-page.schema.json types it; only built from a body that matched it. */
export type UsersPage = GetUsersWithPresenceResponse;

/** One fetched page: the exchange, and the envelope when the body matched the schema. */
export interface FetchedPage {
  exchange: Exchange;
  page?: UsersPage;
}

/** Reads a page, keeping the envelope only when it matches schemas/users-page.schema.json. */
export async function fetchPage(api: ApiClient, url: string): Promise<FetchedPage> {
  const exchange = await api.send('GET', url, { operation: 'listUsersWithPresence' });
  const body = exchange.response?.json;
  const ok = exchange.response?.status === 200 && contract().validate('users-page', body).valid;
  return ok ? { exchange, page: body as UsersPage } : { exchange };
}

/** The usernames of a page, in the order given. */
export function namesOf(page: UsersPage): string[] {
  return page.users.map((user) => user.username);
}

/** A walk that stopped before `next` was null, and why. */
export type WalkStop =
  | { kind: 'budget'; pages: number }
  | { kind: 'loop'; url: string }
  | { kind: 'broken'; fetched: FetchedPage };

export interface Walk {
  /** The pages in the order `next` led through them, starting at the one fetched first. */
  pages: (FetchedPage & { page: UsersPage })[];
  /** Undefined when the walk reached a page whose `next` is null. */
  stop?: WalkStop;
}

/** Follows `next` from the given page URL until it is null, the budget is spent, a URL repeats, or a page breaks. */
export async function walkForward(api: ApiClient, startUrl: string, budget: number): Promise<Walk> {
  const pages: Walk['pages'] = [];
  const seen = new Set<string>();
  let url: string | null = startUrl;
  while (url !== null) {
    if (pages.length >= budget) return { pages, stop: { kind: 'budget', pages: pages.length } };
    if (seen.has(url)) return { pages, stop: { kind: 'loop', url } };
    seen.add(url);
    const fetched = await fetchPage(api, url);
    if (!fetched.page) return { pages, stop: { kind: 'broken', fetched } };
    const current = { ...fetched, page: fetched.page };
    pages.push(current);
    url = current.page.links.next === null ? null : api.resolve(current.page.links.next, current.exchange);
  }
  return { pages };
}

/**
 * A page size that lets a walk of `total` users fit the budget, but never below `smallest`,
 * so walks of a small app cross several pages (D4's invariants only show across pages).
 */
export function pageSizeFor(total: number, budget: number, smallest: number): number {
  return Math.max(smallest, Math.ceil(total / Math.max(1, budget - 1)));
}

/** A walk taken while total_count held still: the same before the walk and after it. */
export interface StillWalk {
  walk: Walk;
  total: number;
  pageSize: number;
}

/** Why a still walk could not be had: the first page is broken, or the app kept changing. */
export type StillWalkFailure =
  | { kind: 'first-page-broken'; fetched: FetchedPage }
  | { kind: 'kept-changing'; totals: number[][] };

/**
 * Walks the whole list from the page the `first` link names, with a page size that fits the
 * budget, retrying while total_count changes between the start and the end of the walk.
 */
export async function stillWalk(
  api: ApiClient,
  budget: number,
  smallestPageSize: number,
): Promise<StillWalk | StillWalkFailure> {
  const totals: number[][] = [];
  // Another client writing during a walk makes its invariants meaningless: walk again while
  // the test's still-app budget lasts, before the walk is reported as inconclusive.
  // Not toPass: running out of attempts is no failure, and the totals seen go into the report.
  for await (const _attempt of stillAttempts()) {
    const before = await fetchPage(api, api.pageUrl({ limit: smallestPageSize }));
    if (!before.page) return { kind: 'first-page-broken', fetched: before };
    const pageSize = pageSizeFor(before.page.total_count, budget, smallestPageSize);
    const probe = pageSize === smallestPageSize ? before : await fetchPage(api, api.pageUrl({ limit: pageSize }));
    if (!probe.page) return { kind: 'first-page-broken', fetched: probe };
    const first = probe.page.links.first;
    const start = first === null ? api.pageUrl({ limit: pageSize }) : api.resolve(first, probe.exchange);
    const walk = await walkForward(api, start, budget);
    const after = await fetchPage(api, api.pageUrl({ limit: smallestPageSize }));
    const seen = [
      before.page.total_count,
      ...walk.pages.map((visit) => visit.page.total_count),
      after.page?.total_count ?? -1,
    ];
    // Still when the count around the walk held; the counts on its pages are for
    // USR-PAGE-TOTAL-STEADY to judge, so a server that gets them wrong is not retried into a skip.
    if (before.page.total_count === after.page?.total_count) return { walk, total: before.page.total_count, pageSize };
    totals.push(seen);
  }
  return { kind: 'kept-changing', totals };
}
