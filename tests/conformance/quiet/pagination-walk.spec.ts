// Get Users with Presence, walked whole (D4), in the quiet project because a walk's invariants hold
// only while nothing changes. The tests only read, so they share one walk per worker.

import type { Settings } from '../../../runtime/settings.js';
import { mapConcurrently } from '../support/map-concurrently.js';
import { type FetchedPage, fetchPage, namesOf, type UsersPage } from '../support/page-walk.js';
import { requirement, test } from '../support/requirement-test.js';
import type { Seeded } from '../support/shared-walk.js';
import { precondition, skipForConfiguration, verifyThat, violation } from '../support/verdicts.js';

// Re-fetching links is independent reading; a few at once keeps a slow target's walk short.
const REFETCH_CONCURRENCY = 6;

/** Skips a whole-walk requirement when the budget ran out before the last page (D4). */
function requireWholeWalk({ still }: Seeded, settings: Settings): void {
  skipForConfiguration(
    still.walk.stop?.kind === 'budget',
    'PAGE_BUDGET',
    `D4: the app holds ${still.total} users, more than PAGE_BUDGET=${settings.pageBudget} pages of ${still.pageSize} ` +
      'can walk; the whole-walk check is skipped, the first, second and last page checks still run.',
  );
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

test(...requirement('USR-PAGE-WALK-EVERY-USER-ONCE'), async ({ api, settings, sharedWalk }) =>
  sharedWalk.confirmed(async () => {
    const walked = await sharedWalk.take(api, settings);
    requireWholeWalk(walked, settings);
    const broken = describeStop(walked);
    if (broken)
      await violation(`a walk from first to a page whose next is null; ${broken}`, walkedExchanges(walked).slice(-2));
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
    await verifyThat(
      problems.length === 0,
      `every user exactly once across the pages, total_count in all (page size ${walked.still.pageSize}); ${problems.join('; ')}`,
      walkedExchanges(walked).slice(0, 3),
    );
  }),
);

test(...requirement('USR-PAGE-WALK-ENDS-AT-LAST'), async ({ api, settings, sharedWalk }) =>
  sharedWalk.confirmed(async () => {
    const { walked, read: last } = await sharedWalk.reread(api, settings, ({ still }) => {
      const first = still.walk.pages[0];
      const lastLink = first?.page.links.last;
      return first && typeof lastLink === 'string'
        ? fetchPage(api, api.resolve(lastLink, first.exchange))
        : Promise.resolve(undefined);
    });
    requireWholeWalk(walked, settings);
    const broken = describeStop(walked);
    if (broken)
      await violation(`following next from first ends at the last page; ${broken}`, walkedExchanges(walked).slice(-2));
    const pages = walked.still.walk.pages;
    const first = pages[0] as (typeof pages)[number];
    const end = pages[pages.length - 1] as (typeof pages)[number];
    if (first.page.links.last === null || !last) {
      return violation('a last link on the first page of a non-empty list', [first.exchange]);
    }
    await precondition('reading the page the last link names', last.exchange, () =>
      last.page ? undefined : 'a users-page envelope',
    );
    const lastPage = last.page as UsersPage;
    await verifyThat(
      sameNames(end.page, lastPage),
      `the page where next is null (${namesOf(end.page).join(', ')}) to be the page last leads to (${namesOf(lastPage).join(', ')})`,
      [end.exchange, last.exchange],
    );
  }),
);

test(...requirement('USR-PAGE-TOTAL-STEADY'), async ({ api, settings, sharedWalk }) =>
  sharedWalk.confirmed(async () => {
    const walked = await sharedWalk.take(api, settings);
    const differing = walked.still.walk.pages.filter((visit) => visit.page.total_count !== walked.still.total);
    await verifyThat(
      differing.length === 0,
      `total_count ${walked.still.total} on every page while the app held still (the same before and after the walk); ` +
        `${differing.length} page(s) said otherwise: ${differing.map((visit) => visit.page.total_count).join(', ')}`,
      differing.slice(0, 2).map((visit) => visit.exchange),
    );
  }),
);

test(...requirement('USR-PAGE-PREVIEWS-BACK'), async ({ api, settings, sharedWalk }) =>
  sharedWalk.confirmed(async () => {
    const pairsOf = ({ still }: Seeded) =>
      still.walk.pages
        .slice(1)
        .map((visit, index) => ({ visit, before: still.walk.pages[index] as (typeof still.walk.pages)[number] }));
    const { walked, read: results } = await sharedWalk.reread(api, settings, (walked) =>
      mapConcurrently(pairsOf(walked), REFETCH_CONCURRENCY, async ({ visit, before }) => {
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
      }),
    );
    const pairs = pairsOf(walked);
    const wrong = results.filter((result) => result !== undefined);
    const firstWrong = wrong[0];
    await verifyThat(
      !firstWrong,
      `previews of each page k to lead to page k-1; ${wrong.length} of ${pairs.length} did not: ${firstWrong?.problem}`,
      firstWrong ? [firstWrong.visit.exchange, ...(firstWrong.back ? [firstWrong.back.exchange] : [])] : [],
    );
  }),
);

test(...requirement('USR-PAGE-CURRENT-REFETCH'), async ({ api, settings, sharedWalk }) =>
  sharedWalk.confirmed(async () => {
    const { walked, read: results } = await sharedWalk.reread(api, settings, ({ still }) =>
      mapConcurrently(still.walk.pages, REFETCH_CONCURRENCY, async (visit) => {
        const link = visit.page.links.current;
        if (link === null) return { visit, problem: 'current is null' };
        const again: FetchedPage = await fetchPage(api, api.resolve(link, visit.exchange));
        if (!again.page)
          return { visit, again, problem: 'current led to a response that is not a users-page envelope' };
        return sameNames(again.page, visit.page)
          ? undefined
          : {
              visit,
              again,
              problem: `current gave ${namesOf(again.page).join(', ')} instead of ${namesOf(visit.page).join(', ')}`,
            };
      }),
    );
    const { still } = walked;
    const wrong = results.filter((result) => result !== undefined);
    const firstWrong = wrong[0];
    await verifyThat(
      !firstWrong,
      `current to fetch the same page again; ${wrong.length} of ${still.walk.pages.length} pages did not: ${firstWrong?.problem}`,
      firstWrong ? [firstWrong.visit.exchange, ...(firstWrong.again ? [firstWrong.again.exchange] : [])] : [],
    );
  }),
);

test(...requirement('USR-PAGE-FIRST-LAST-LINKS'), async ({ api, settings, sharedWalk }) =>
  sharedWalk.confirmed(async () => {
    const { still } = await sharedWalk.take(api, settings);
    const unpositioned = await fetchPage(api, api.pageUrl({ limit: still.pageSize }));
    await precondition('reading the first page', unpositioned.exchange, () =>
      unpositioned.page ? undefined : 'a users-page envelope',
    );
    const page = unpositioned.page as UsersPage;
    const { first, last } = page.links;
    await verifyThat(
      first !== null && last !== null,
      `first and last to be links when the app holds users (total_count ${page.total_count}); got first ${first}, last ${last}`,
      [unpositioned.exchange],
    );
    const viaFirst = await fetchPage(api, api.resolve(first as string, unpositioned.exchange));
    await verifyThat(
      !!viaFirst.page && sameNames(viaFirst.page, page),
      'first to lead to the page asked without a position (the same users in the same order)',
      [unpositioned.exchange, viaFirst.exchange],
    );
  }),
);

test(...requirement('USR-PAGE-LAST-NEXT-NULL'), async ({ api, settings, sharedWalk }) =>
  sharedWalk.confirmed(async () => {
    const { walked, read: last } = await sharedWalk.reread(api, settings, ({ still }) => {
      const first = still.walk.pages[0];
      const link = first?.page.links.last;
      return first && typeof link === 'string'
        ? fetchPage(api, api.resolve(link, first.exchange))
        : Promise.resolve(undefined);
    });
    const first = walked.still.walk.pages[0];
    await precondition('reading the first page', first?.exchange ?? (await api.firstPage()), () =>
      first ? undefined : 'a page',
    );
    await precondition(
      'reading the last link (judged by USR-PAGE-FIRST-LAST-LINKS)',
      (first as FetchedPage).exchange,
      () => (last ? undefined : 'a last link'),
    );
    const lastPage = last as FetchedPage;
    await precondition('reading the page the last link names', lastPage.exchange, () =>
      lastPage.page ? undefined : 'a users-page envelope',
    );
    await verifyThat(
      lastPage.page?.links.next === null,
      `next to be null on the last page, got ${JSON.stringify(lastPage.page?.links.next)}`,
      [lastPage.exchange],
    );
  }),
);

function sameNames(a: UsersPage, b: UsersPage): boolean {
  return JSON.stringify(namesOf(a)) === JSON.stringify(namesOf(b));
}
