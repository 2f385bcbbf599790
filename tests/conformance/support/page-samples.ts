// A few pages of Get Users with Presence, reached the way a client would: the first page, and
// the pages its `next` and `last` links lead to.
import type { ApiClient } from './api-client.js';
import type { Exchange } from './exchange.js';
import { fetchPage, type UsersPage } from './page-walk.js';

/** The first page, the one its next names, and the one its last names, as far as they exist. */
export async function firstSecondLast(
  api: ApiClient,
  limit: number,
): Promise<{ exchange: Exchange; page?: UsersPage }[]> {
  const first = await fetchPage(api, api.pageUrl({ limit }));
  if (!first.page) return [first];
  const { next, last } = first.page.links;
  const more = await Promise.all(
    [next, last]
      .filter((link): link is string => link !== null)
      .map((link) => fetchPage(api, api.resolve(link, first.exchange))),
  );
  return [first, ...more];
}
