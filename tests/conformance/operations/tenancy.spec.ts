// Tenancy (D11): APP_ID's users are invisible through SECOND_APP_ID, and a name taken in one app
// can still be created in the other (E18). Skipped where no second app is configured.

import type { Settings } from '../../../runtime/settings.js';
import type { ApiClient } from '../support/api-client.js';
import {
  bodyIsArray,
  clientError,
  listsUsername,
  properties,
  showsUser,
  statusIs,
  successful,
} from '../support/checks.js';
import type { Exchange } from '../support/exchange.js';
import { SCAN_PAGE_SIZE } from '../support/page-walk.js';
import { requirement, test } from '../support/requirement-test.js';
import { inconclusive, precondition, skipForConfiguration, verify, violation } from '../support/verdicts.js';

/** The second app, or a skip with the reason. */
function secondApp(settings: Settings): string {
  skipForConfiguration(
    !settings.secondAppId,
    'SECOND_APP_ID',
    'D11: no SECOND_APP_ID configured; set it to a second app of the same server to check tenancy',
  );
  return settings.secondAppId as string;
}

/** The properties a user keeps when nothing touched it. */
const STABLE_PROPERTIES = ['username', 'first_name', 'last_name', 'avatar', 'created_at', 'updated_at'];

/** The stable properties of a user as a GET showed them, to compare a later GET with. */
function snapshot(exchange: Exchange): Record<string, unknown> {
  const json = (exchange.response?.json ?? {}) as Record<string, unknown>;
  return Object.fromEntries(STABLE_PROPERTIES.filter((key) => key in json).map((key) => [key, json[key]]));
}

/** Creates a user in APP_ID and reads it back there; skips the test when either step fails. */
async function homeUser(api: ApiClient, username: string): Promise<Record<string, unknown>> {
  await precondition(
    'the create in APP_ID',
    await api.createUser({ username, first_name: 'Home', last_name: 'Tenant', avatar: 'https://example.com/home.png' }),
    successful,
  );
  const before = await api.getUser(username);
  await precondition('the GET in APP_ID', before, showsUser(username));
  return snapshot(before);
}

test(...requirement('USR-TENANCY-ITEM-ISOLATED', 'getUser'), async ({ api, names, settings }) => {
  const other = secondApp(settings);
  const username = names.next('tenan');
  await homeUser(api, username);
  // D11: "lookups 404".
  await verify(await api.getUser(username, { appId: other }), statusIs(404));
});

test(...requirement('USR-TENANCY-ITEM-ISOLATED', 'updateUser'), async ({ api, names, settings }) => {
  const other = secondApp(settings);
  const username = names.next('tenan');
  const before = await homeUser(api, username);
  // A server that wrongly upserts would leave the user in the other app: it is deleted there too (D12).
  api.remember(other, username);
  await verify(await api.updateUser(username, { first_name: 'Intruder' }, { appId: other }), clientError);
  await verify(await api.getUser(username), showsUser(username), properties(before));
});

test(...requirement('USR-TENANCY-ITEM-ISOLATED', 'deleteUser'), async ({ api, names, settings }) => {
  const other = secondApp(settings);
  const username = names.next('tenan');
  const before = await homeUser(api, username);
  // The other app has no such user: 404, or a 2xx as for any name it never had, since D8
  // tolerates a 2xx DELETE of an absent user. What matters is that APP_ID's user is untouched.
  await verify(await api.deleteUser(username, { appId: other }), (exchange) =>
    clientError(exchange) === undefined || successful(exchange) === undefined
      ? undefined
      : `a 4xx, or a 2xx as for a name the app never had (D8), got ${exchange.response?.status ?? exchange.transportError}`,
  );
  await verify(await api.getUser(username), showsUser(username), properties(before));
});

test(...requirement('USR-TENANCY-LIST-ISOLATED', 'listUsers'), async ({ api, names, settings }) => {
  const other = secondApp(settings);
  const username = names.next('tenan');
  await precondition('the create in APP_ID', await api.createUser({ username }), successful);
  const listed = await api.listUsers({ appId: other });
  await precondition('Get Users of SECOND_APP_ID', listed, statusIs(200), bodyIsArray);
  await verify(listed, listsUsername(username, 0));
});

test(...requirement('USR-TENANCY-LIST-ISOLATED', 'listUsersWithPresence'), async ({ api, names, settings }) => {
  const other = secondApp(settings);
  const username = names.next('tenan');
  await precondition('the create in APP_ID', await api.createUser({ username }), successful);
  // An isolated second app holds only what the kit or its owner put there, and a leaking one is
  // found on the way; a bigger app is not walked past the page budget (D4).
  const budget = settings.pageBudget;
  const seen = new Set<string>();
  let url: string | null = api.pageUrl({ appId: other, limit: SCAN_PAGE_SIZE });
  let pages = 0;
  while (url !== null) {
    const stopped = `${username} was not on the first ${pages} page(s) of SECOND_APP_ID, and the walk stopped there`;
    skipForConfiguration(
      pages >= budget,
      'PAGE_BUDGET',
      `D4: ${stopped} (page budget ${budget}) before the last page.`,
    );
    if (seen.has(url)) inconclusive(`${stopped} (a next link repeated) before the last page.`);
    seen.add(url);
    const page = await api.send('GET', url, { operation: 'listUsersWithPresence' });
    const body = page.response?.json as { users?: unknown; links?: { next?: unknown } } | undefined;
    await precondition(
      `page ${pages + 1} of Get Users with Presence of SECOND_APP_ID`,
      page,
      statusIs(200),
      (exchange) =>
        Array.isArray(body?.users)
          ? undefined
          : `an envelope with a users array (D4), got ${exchange.response?.text.slice(0, 80)}`,
    );
    pages += 1;
    const users = body?.users as Record<string, unknown>[];
    if (users.some((user) => user?.username === username)) {
      await violation(
        `page ${pages} of SECOND_APP_ID to leave out ${JSON.stringify(username)}, a user of APP_ID (D11); it lists it`,
        [page],
      );
    }
    const next = body?.links?.next;
    url = typeof next === 'string' && next ? api.resolve(next, page) : null;
  }
});

test(...requirement('USR-TENANCY-NAME-PER-APP'), async ({ api, names, settings }) => {
  const other = secondApp(settings);
  const username = names.next('share');
  await precondition('the create in APP_ID', await api.createUser({ username }), successful);
  // The same name in the other app: api.createUser remembers it per app, so both are deleted.
  await verify(await api.createUser({ username }, { appId: other }), successful);
});
