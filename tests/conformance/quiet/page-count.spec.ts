// A page's count against its own length (D4), in the quiet project because a short last page exists
// only while no other test is creating users.
import { successful } from '../support/checks.js';
import { firstSecondLast } from '../support/page-samples.js';
import { requirement, test } from '../support/requirement-test.js';
import { precondition, verifyThat } from '../support/verdicts.js';

// Three users of this test, so every page size below gives at least two pages.
const SEEDED_USERS = 3;
// Five small page sizes: unless the app holds a multiple of 420 users, a short last page shows
// up at one of them, and no server's maximum page size refuses them.
const PAGE_SIZES = [2, 3, 4, 5, 7];

test(...requirement('USR-PAGE-COUNT-EQUALS-ITEMS'), async ({ api, names }) => {
  const creates = await Promise.all(
    Array.from({ length: SEEDED_USERS }, () => api.createUser({ username: names.next('page') })),
  );
  for (const created of creates) await precondition('creating users to list', created, successful);
  const fetched = (await Promise.all(PAGE_SIZES.map((limit) => firstSecondLast(api, limit)))).flat();
  const [first] = fetched;
  if (first) {
    await precondition('reading the first page (judged by USR-PAGE-ENVELOPE)', first.exchange, () =>
      first.page ? undefined : 'a users-page envelope',
    );
  }
  // Pages reached through links are judged where they came back as envelopes; a link that led
  // nowhere is the walk requirements' business.
  const wrong = fetched.find((visit) => visit.page && visit.page.count !== visit.page.users.length);
  await verifyThat(
    !wrong,
    `count to equal the number of users on the page; got count ${wrong?.page?.count} with ${wrong?.page?.users.length} users`,
    wrong ? [wrong.exchange] : [],
  );
});
