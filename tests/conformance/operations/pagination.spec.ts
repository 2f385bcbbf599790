// Get Users with Presence, page by page (D3, D4): the checks that hold on any single page and
// so need no quiet app. Whole walks and short pages are in quiet/.

import { contract } from '../../../specs/contract.js';
import type { ApiClient } from '../support/api-client.js';
import { matchesSchema, notServerError, statusIs, successful } from '../support/checks.js';
import { firstSecondLast } from '../support/page-samples.js';
import { fetchPage, namesOf, type UsersPage } from '../support/page-walk.js';
import { type NameMaker, requirement, test } from '../support/requirement-test.js';
import { precondition, verify, verifyThat } from '../support/verdicts.js';

/** Makes sure the app holds at least `count` users of this test, so pages are not empty. */
async function seedUsers(api: ApiClient, names: NameMaker, count: number): Promise<string[]> {
  const seeded = Array.from({ length: count }, () => names.next('page'));
  const creates = await Promise.all(seeded.map((username) => api.createUser({ username })));
  for (const created of creates) await precondition('creating users to list', created, successful);
  return seeded;
}

test(...requirement('USR-PAGE-ENVELOPE'), async ({ api, names }) => {
  await seedUsers(api, names, 1);
  await verify(await api.firstPage({ limit: 2 }), statusIs(200), matchesSchema('users-page'));
});

test(...requirement('USR-PAGE-ITEM-PRESENCE'), async ({ api, names }) => {
  await seedUsers(api, names, 2);
  const fetched = await fetchPage(api, api.pageUrl({ limit: 5 }));
  await precondition('reading the first page (judged by USR-PAGE-ENVELOPE)', fetched.exchange, () =>
    fetched.page ? undefined : 'a users-page envelope',
  );
  const page = fetched.page as UsersPage;
  const wrong = page.users
    .map((item, index) => ({ index, result: contract().validate('user-presence-item', item) }))
    .filter(({ result }) => !result.valid);
  await verifyThat(
    wrong.length === 0,
    `every item to match schemas/user-presence-item.schema.json; ${wrong
      .slice(0, 3)
      .map(({ index, result }) => `/users/${index}: ${result.errors.join('; ')}`)
      .join(' | ')}`,
    [fetched.exchange],
  );
});

test(...requirement('USR-PAGE-COUNT-WITHIN-LIMIT'), async ({ api, names }) => {
  await seedUsers(api, names, 3);
  const fetched = (
    await Promise.all(
      [1, 2].map((limit) => firstSecondLast(api, limit).then((pages) => pages.map((visit) => ({ ...visit, limit })))),
    )
  ).flat();
  const [first] = fetched;
  if (first) {
    await precondition('reading the first page (judged by USR-PAGE-ENVELOPE)', first.exchange, () =>
      first.page ? undefined : 'a users-page envelope',
    );
  }
  // As above: pages reached through links count where they came back as envelopes.
  const wrong = fetched.find(
    (visit) => visit.page && (visit.page.count > visit.limit || visit.page.users.length > visit.limit),
  );
  await verifyThat(
    !wrong,
    `at most ${wrong?.limit} users on a page asked with ${api.settings.pageSizeParam}=${wrong?.limit}; got count ${wrong?.page?.count} and ${wrong?.page?.users.length} users`,
    wrong ? [wrong.exchange] : [],
  );
});

test(...requirement('USR-PAGE-SIZE-INVALID'), async ({ api, names }) => {
  await seedUsers(api, names, 1);
  // Zero, negative, fractional, non-numeric and absurdly large sizes: each a classic parser trap.
  const sizes = ['0', '-1', '1.5', 'abc', '', '99999999999999999999'];
  const exchanges = await Promise.all(
    sizes.map((size) => {
      const url = new URL(api.pageUrl());
      url.searchParams.set(api.settings.pageSizeParam, size);
      return api.send('GET', url.href);
    }),
  );
  for (const exchange of exchanges) {
    await verify(exchange, notServerError, (answer) => {
      const status = answer.response?.status ?? 0;
      if (status >= 400 && status < 500) return undefined;
      if (status === 200 && contract().validate('users-page', answer.response?.json).valid) return undefined;
      return `a 4xx or a 200 with a valid users-page envelope (E16), got ${status}`;
    });
  }
});

test(...requirement('USR-PAGE-FIRST-PREVIEWS-NULL'), async ({ api, names }) => {
  await seedUsers(api, names, 3);
  const fetched = await fetchPage(api, api.pageUrl({ limit: 2 }));
  await precondition('reading the first page (judged by USR-PAGE-ENVELOPE)', fetched.exchange, () =>
    fetched.page ? undefined : 'a users-page envelope',
  );
  const page = fetched.page as UsersPage;
  await verifyThat(
    page.links.previews === null,
    `previews to be null on the first page, got ${JSON.stringify(page.links.previews)}`,
    [fetched.exchange],
  );
  if (page.links.first !== null) {
    // The page the first link names is the first page too, whatever its URL looks like.
    const viaFirst = await fetchPage(api, api.resolve(page.links.first, fetched.exchange));
    await verifyThat(
      viaFirst.page?.links.previews === null,
      `previews to be null on the page first leads to (${namesOf(viaFirst.page ?? page).join(', ')})`,
      [viaFirst.exchange],
    );
  }
});
