// Get Users with Presence, walked whole (D4). These run in the `quiet` project, one at a time
// after the parallel tests, because a walk's invariants hold only while nothing changes.

import type { Settings } from '../settings.js';
import type { ApiClient } from '../support/api-client.js';
import { successful } from '../support/checks.js';
import { mapConcurrently } from '../support/map-concurrently.js';
import {
  type FetchedPage,
  fetchPage,
  namesOf,
  type StillWalk,
  stillWalk,
  type UsersPage,
} from '../support/page-walk.js';
import { type NameMaker, requirement, test } from '../support/requirement-test.js';
import { inconclusive, precondition, verifyThat, violation } from '../support/verdicts.js';

// Seven users at pages of three make at least three pages, so first, middle and last differ.
const SEEDED_USERS = 7;
const SMALLEST_PAGE_SIZE = 3;
// Re-fetching links is independent reading; a few at once keeps a slow target's walk short.
const REFETCH_CONCURRENCY = 6;

interface Seeded {
  seeded: string[];
  still: StillWalk;
}

/** Creates users of this test, then walks the list while it holds still; skips when it cannot. */
async function seedAndWalk(api: ApiClient, names: NameMaker, settings: Settings): Promise<Seeded> {
  const seeded = Array.from({ length: SEEDED_USERS }, () => names.next('page'));
  const creates = await Promise.all(seeded.map((username) => api.createUser({ username })));
  for (const created of creates) precondition('creating the users to page through', created, successful);
  // A few more, so the app holds a multiple of the page size: then the last page is full, which
  // is where an off-by-one `last` link points at an empty page past the end.
  const probe = await fetchPage(api, api.pageUrl({ limit: SMALLEST_PAGE_SIZE }));
  const total = probe.page?.total_count ?? 0;
  const padding = Array.from({ length: (SMALLEST_PAGE_SIZE - (total % SMALLEST_PAGE_SIZE)) % SMALLEST_PAGE_SIZE }, () =>
    names.next('pad'),
  );
  for (const created of await Promise.all(padding.map((username) => api.createUser({ username })))) {
    precondition('creating the users to page through', created, successful);
  }
  seeded.push(...padding);
  const result = await stillWalk(api, settings.pageBudget, SMALLEST_PAGE_SIZE);
  if (!('kind' in result)) return { seeded, still: result };
  if (result.kind === 'first-page-broken') {
    precondition(
      'reading the first page (judged by USR-PAGE-ENVELOPE)',
      result.fetched.exchange,
      () => 'a users-page envelope',
    );
  }
  const totals = result.kind === 'kept-changing' ? result.totals : [];
  inconclusive(
    `total_count changed during every one of ${totals.length} walks (totals seen: ${JSON.stringify(totals)}); ` +
      `another client is writing to app ${settings.appId}.`,
  );
}

/** Skips a whole-walk requirement when the budget ran out before the last page (D4). */
function requireWholeWalk({ still }: Seeded, settings: Settings): void {
  if (still.walk.stop?.kind === 'budget') {
    test.skip(
      true,
      `D4: the app holds ${still.total} users, more than PAGE_BUDGET=${settings.pageBudget} pages of ${still.pageSize} ` +
        'can walk; the whole-walk check is skipped, the first, second and last page checks still run.',
    );
  }
}

function walkedExchanges({ still }: Seeded) {
  return still.walk.pages.map((visit) => visit.exchange);
}

function describeStop({ still }: Seeded): string | undefined {
  const stop = still.walk.stop;
  if (!stop) return undefined;
  if (stop.kind === 'loop') return `next led back to ${stop.url}, a page already visited`;
  if (stop.kind === 'broken') {
    const status = stop.fetched.exchange.response?.status ?? stop.fetched.exchange.transportError;
    return `following next reached ${stop.fetched.exchange.request.url}, which answered ${status} without a users-page envelope`;
  }
  return undefined;
}

test(...requirement('USR-PAGE-WALK-EVERY-USER-ONCE'), async ({ api, names, settings }) => {
  const walked = await seedAndWalk(api, names, settings);
  requireWholeWalk(walked, settings);
  const broken = describeStop(walked);
  if (broken) violation(`a walk from first to a page whose next is null; ${broken}`, walkedExchanges(walked).slice(-2));
  const all = walked.still.walk.pages.flatMap((visit) => namesOf(visit.page));
  const repeated = [...new Set(all.filter((name, index) => all.indexOf(name) !== index))];
  const missing = walked.seeded.filter((name) => !all.includes(name));
  const problems = [
    repeated.length ? `${repeated.length} user(s) on more than one page: ${repeated.slice(0, 5).join(', ')}` : '',
    missing.length
      ? `${missing.length} user(s) created for this walk on no page: ${missing.slice(0, 5).join(', ')}`
      : '',
    all.length !== walked.still.total
      ? `${all.length} users on ${walked.still.walk.pages.length} pages, but total_count is ${walked.still.total}`
      : '',
  ].filter(Boolean);
  verifyThat(
    problems.length === 0,
    `every user exactly once across the pages, total_count in all (page size ${walked.still.pageSize}); ${problems.join('; ')}`,
    walkedExchanges(walked).slice(0, 3),
  );
});

test(...requirement('USR-PAGE-WALK-ENDS-AT-LAST'), async ({ api, names, settings }) => {
  const walked = await seedAndWalk(api, names, settings);
  requireWholeWalk(walked, settings);
  const broken = describeStop(walked);
  if (broken)
    violation(`following next from first ends at the last page; ${broken}`, walkedExchanges(walked).slice(-2));
  const pages = walked.still.walk.pages;
  const first = pages[0] as (typeof pages)[number];
  const end = pages[pages.length - 1] as (typeof pages)[number];
  const lastLink = first.page.links.last;
  if (lastLink === null) violation('a last link on the first page of a non-empty list', [first.exchange]);
  const last = await fetchPage(api, api.resolve(lastLink, first.exchange));
  precondition('reading the page the last link names', last.exchange, () =>
    last.page ? undefined : 'a users-page envelope',
  );
  const lastPage = last.page as UsersPage;
  verifyThat(
    sameNames(end.page, lastPage),
    `the page where next is null (${namesOf(end.page).join(', ')}) to be the page last leads to (${namesOf(lastPage).join(', ')})`,
    [end.exchange, last.exchange],
  );
});

test(...requirement('USR-PAGE-TOTAL-STEADY'), async ({ api, names, settings }) => {
  const walked = await seedAndWalk(api, names, settings);
  const differing = walked.still.walk.pages.filter((visit) => visit.page.total_count !== walked.still.total);
  verifyThat(
    differing.length === 0,
    `total_count ${walked.still.total} on every page while the app held still (the same before and after the walk); ` +
      `${differing.length} page(s) said otherwise: ${differing.map((visit) => visit.page.total_count).join(', ')}`,
    differing.slice(0, 2).map((visit) => visit.exchange),
  );
});

test(...requirement('USR-PAGE-PREVIEWS-BACK'), async ({ api, names, settings }) => {
  const { still } = await seedAndWalk(api, names, settings);
  const pages = still.walk.pages;
  const pairs = pages.slice(1).map((visit, index) => ({ visit, before: pages[index] as (typeof pages)[number] }));
  const results = await mapConcurrently(pairs, REFETCH_CONCURRENCY, async ({ visit, before }) => {
    const link = visit.page.links.previews;
    if (link === null) return { visit, before, problem: 'previews is null on a page after the first' };
    const back = await fetchPage(api, api.resolve(link, visit.exchange));
    if (!back.page)
      return { visit, before, back, problem: 'previews led to a response that is not a users-page envelope' };
    return sameNames(back.page, before.page)
      ? undefined
      : {
          visit,
          before,
          back,
          problem: `previews gave ${namesOf(back.page).join(', ')} instead of ${namesOf(before.page).join(', ')}`,
        };
  });
  const wrong = results.filter((result) => result !== undefined);
  const firstWrong = wrong[0];
  verifyThat(
    !firstWrong,
    `previews of each page k to lead to page k-1; ${wrong.length} of ${pairs.length} did not: ${firstWrong?.problem}`,
    firstWrong ? [firstWrong.visit.exchange, ...(firstWrong.back ? [firstWrong.back.exchange] : [])] : [],
  );
});

test(...requirement('USR-PAGE-CURRENT-REFETCH'), async ({ api, names, settings }) => {
  const { still } = await seedAndWalk(api, names, settings);
  const results = await mapConcurrently(still.walk.pages, REFETCH_CONCURRENCY, async (visit) => {
    const link = visit.page.links.current;
    if (link === null) return { visit, problem: 'current is null' };
    const again: FetchedPage = await fetchPage(api, api.resolve(link, visit.exchange));
    if (!again.page) return { visit, again, problem: 'current led to a response that is not a users-page envelope' };
    return sameNames(again.page, visit.page)
      ? undefined
      : {
          visit,
          again,
          problem: `current gave ${namesOf(again.page).join(', ')} instead of ${namesOf(visit.page).join(', ')}`,
        };
  });
  const wrong = results.filter((result) => result !== undefined);
  const firstWrong = wrong[0];
  verifyThat(
    !firstWrong,
    `current to fetch the same page again; ${wrong.length} of ${still.walk.pages.length} pages did not: ${firstWrong?.problem}`,
    firstWrong ? [firstWrong.visit.exchange, ...(firstWrong.again ? [firstWrong.again.exchange] : [])] : [],
  );
});

test(...requirement('USR-PAGE-FIRST-LAST-LINKS'), async ({ api, names, settings }) => {
  const { still } = await seedAndWalk(api, names, settings);
  const unpositioned = await fetchPage(api, api.pageUrl({ limit: still.pageSize }));
  precondition('reading the first page', unpositioned.exchange, () =>
    unpositioned.page ? undefined : 'a users-page envelope',
  );
  const page = unpositioned.page as UsersPage;
  const { first, last } = page.links;
  verifyThat(
    first !== null && last !== null,
    `first and last to be links when the app holds users (total_count ${page.total_count}); got first ${first}, last ${last}`,
    [unpositioned.exchange],
  );
  const viaFirst = await fetchPage(api, api.resolve(first as string, unpositioned.exchange));
  verifyThat(
    !!viaFirst.page && sameNames(viaFirst.page, page),
    'first to lead to the page asked without a position (the same users in the same order)',
    [unpositioned.exchange, viaFirst.exchange],
  );
});

test(...requirement('USR-PAGE-LAST-NEXT-NULL'), async ({ api, names, settings }) => {
  const { still } = await seedAndWalk(api, names, settings);
  const first = still.walk.pages[0];
  precondition('reading the first page', first?.exchange ?? (await api.firstPage()), () =>
    first ? undefined : 'a page',
  );
  const link = (first as (typeof still.walk.pages)[number]).page.links.last;
  precondition('reading the last link (judged by USR-PAGE-FIRST-LAST-LINKS)', (first as FetchedPage).exchange, () =>
    link === null ? 'a last link' : undefined,
  );
  const last = await fetchPage(api, api.resolve(link as string, (first as FetchedPage).exchange));
  precondition('reading the page the last link names', last.exchange, () =>
    last.page ? undefined : 'a users-page envelope',
  );
  verifyThat(
    last.page?.links.next === null,
    `next to be null on the last page, got ${JSON.stringify(last.page?.links.next)}`,
    [last.exchange],
  );
});

function sameNames(a: UsersPage, b: UsersPage): boolean {
  return JSON.stringify(namesOf(a)) === JSON.stringify(namesOf(b));
}
