// Who holds a name, as the paginated list shows it: uniqueness checks fall back on it when the
// array leaves a name out, so a short array is charged only to USR-LIST-HOLDS-CREATED.
import type { ApiClient } from './api-client.js';
import type { Exchange } from './exchange.js';
import { SCAN_PAGE_SIZE, walkForward } from './page-walk.js';
import { inconclusive, verifyThat } from './verdicts.js';

/** Walks of the pages before a name is taken as held once: each costs one page per 20 users. */
const PAGE_WALKS = 3;

interface NameHolders {
  /** The different users the pages list under the name, each as its data, for the message. */
  users: string[];
  /** The pages that list the name. */
  evidence: Exchange[];
  pagesRead: number;
}

/**
 * The different users the pages list under `username`. A user seen on two pages, as an order
 * shifted by other writers can show it, carries the same data twice; two users differ in what
 * they hold. Other writers can also shift a user past a page boundary unseen, so a walk that saw
 * fewer than two users of the name is walked again, a bounded number of times.
 */
async function holdersInPages(api: ApiClient, username: string, budget: number): Promise<NameHolders> {
  const users = new Set<string>();
  const evidence: Exchange[] = [];
  let pagesRead = 0;
  for (let walks = 0; walks < PAGE_WALKS && users.size < 2; walks++) {
    const walk = await walkForward(api, api.pageUrl({ limit: SCAN_PAGE_SIZE }), budget);
    pagesRead += walk.pages.length;
    for (const { page, exchange } of walk.pages) {
      const named = page.users.filter((user) => user.username === username);
      if (named.length > 0) evidence.push(exchange);
      for (const { first_name, last_name, avatar, created_at, updated_at } of named) {
        users.add(JSON.stringify({ first_name, last_name, avatar, created_at, updated_at }));
      }
    }
  }
  return { users: [...users], evidence, pagesRead };
}

/**
 * Fails unless the pages list at most one user under `username`; inconclusive when they list
 * none, though `existence` (what showed the user exists) says there is one.
 */
export async function verifyHeldOnceInPages(
  api: ApiClient,
  username: string,
  budget: number,
  existence: string,
  earlier: Exchange[],
): Promise<void> {
  const holders = await holdersInPages(api, username, budget);
  if (holders.users.length === 0) {
    inconclusive(
      `neither the array nor ${holders.pagesRead} pages of Get Users with Presence list ${JSON.stringify(username)}, ` +
        `which ${existence}, so no list could count who holds the name`,
    );
  }
  await verifyThat(
    holders.users.length <= 1,
    `at most one user named ${JSON.stringify(username)}, but the pages list ${holders.users.length} users ` +
      `with that name: ${holders.users.join(', ')}`,
    [...earlier, ...holders.evidence],
  );
}
