// Delete User: DELETE /v1/{appId}/users/{username} (D8, E13). The drop of total_count needs a
// still app: quiet/counts.spec.ts.
import { doesNotShowUser, listsUsername, statusIs, successful } from '../support/checks.js';
import type { Exchange } from '../support/exchange.js';
import { requirement, test } from '../support/requirement-test.js';
import { listedUsernames, scanPages } from '../support/sweep.js';
import {
  inconclusive,
  precondition,
  skipForConfiguration,
  verify,
  verifyThat,
  violation,
} from '../support/verdicts.js';

/** What a user is compared by when it must be left as it was. */
const SNAPSHOT = ['username', 'first_name', 'last_name', 'avatar', 'created_at', 'updated_at'] as const;

test(...requirement('USR-DELETE-SUCCESS'), async ({ api, names }) => {
  const username = names.next();
  await precondition('the create', await api.createUser({ username }), successful);
  await verify(await api.deleteUser(username), statusIs(200, 204));
});

test(...requirement('USR-DELETE-GET-404'), async ({ api, names }) => {
  const username = names.next();
  await precondition('the create', await api.createUser({ username }), successful);
  await precondition('the delete', await api.deleteUser(username), successful);
  await verify(await api.getUser(username), statusIs(404));
});

test(...requirement('USR-DELETE-GONE-FROM-LISTS'), async ({ api, names }) => {
  const username = names.next();
  await precondition('the create', await api.createUser({ username }), successful);
  const deleted = await api.deleteUser(username);
  await precondition('the delete', deleted, successful);
  const list = await api.listUsers();
  // An unusable array is USR-LIST-ARRAY's finding; the paginated form is still judged.
  const inArray = listedUsernames(list) ? listsUsername(username, 0)(list) : undefined;
  if (inArray) await violation(`after its delete, ${inArray} of Get Users`, [deleted, list]);
  const scan = await scanPages(api, { until: (usernames) => usernames.includes(username) });
  if (scan.hit) {
    await violation(
      `${JSON.stringify(username)} absent from Get Users with Presence after its delete, but a page lists it`,
      [deleted, scan.hit],
    );
  }
  const last = scan.pages.at(-1);
  // A page that cannot be read, or a next that leads back, is for the pagination requirements to judge.
  if (scan.stopKind !== 'budget' && scan.stop && last)
    await precondition('reading Get Users with Presence', last, () => scan.stop);
  skipForConfiguration(
    scan.stopKind === 'budget',
    'PAGE_BUDGET',
    `D4: ${JSON.stringify(username)} is on none of the ${scan.pages.length} pages PAGE_BUDGET allows, and the list goes on.`,
  );
  if (scan.stop) {
    inconclusive(
      `${JSON.stringify(username)} is on none of the ${scan.pages.length} pages read, but the scan stopped short: ${scan.stop}`,
    );
  }
});

test(...requirement('USR-DELETE-OTHERS-UNAFFECTED'), async ({ api, names }) => {
  // `<base>bob` is deleted; `<base>bobby` starts with its name and `<base>bo` is the start of it.
  const base = names.next('');
  const target = `${base}bob`;
  const others = [`${base}bobby`, `${base}bo`];
  const created = await Promise.all([
    api.createUser({ username: target, first_name: 'Bob' }),
    ...others.map((username, at) => api.createUser({ username, first_name: `Other ${at}`, last_name: 'Kept' })),
  ]);
  for (const exchange of created) await precondition('a create', exchange, successful);
  const befores = await Promise.all(others.map((username) => api.getUser(username)));
  for (const before of befores) await precondition('a GET before the delete', before, statusIs(200));
  const deleted = await api.deleteUser(target);
  await precondition('the delete', deleted, successful);
  const afters = await Promise.all(others.map((username) => api.getUser(username)));
  for (const [at, username] of others.entries()) {
    const before = befores[at] as Exchange;
    const after = afters[at] as Exchange;
    const was = (before.response?.json ?? {}) as Record<string, unknown>;
    const now = (after.response?.json ?? {}) as Record<string, unknown>;
    const changed =
      after.response?.status === 200
        ? SNAPSHOT.filter((name) => JSON.stringify(was[name]) !== JSON.stringify(now[name])).map(
            (name) => `${name} went from ${JSON.stringify(was[name])} to ${JSON.stringify(now[name])}`,
          )
        : [`GET answered ${after.response?.status ?? 'nothing'}`];
    await verifyThat(
      changed.length === 0,
      `${JSON.stringify(username)} unaffected by the delete of ${JSON.stringify(target)} (GET 200, unchanged); ${changed.join('; ')}`,
      [deleted, before, after],
    );
  }
});

test(...requirement('USR-DELETE-TWICE'), async ({ api, names }, testInfo) => {
  const username = names.next();
  await precondition('the create', await api.createUser({ username }), successful);
  await precondition('the first delete', await api.deleteUser(username), successful);
  // Only a second delete of a user that is gone is judged here; one that stayed is USR-DELETE-GET-404's finding.
  await precondition(
    'the first delete (the user is still there)',
    await api.getUser(username),
    doesNotShowUser(username),
  );
  const again = await api.deleteUser(username);
  const status = again.response?.status;
  const tolerated = status !== undefined && status >= 200 && status < 300;
  if (tolerated)
    testInfo.annotations.push({ type: 'observed', description: `a second DELETE answered ${status} (tolerated, D8)` });
  await verifyThat(
    status === 404 || tolerated,
    `a second DELETE of a deleted user to answer 404 (a 2xx is tolerated), got ${status ?? 'no HTTP answer'}`,
    [again],
  );
});

test(...requirement('USR-DELETE-NAME-REUSABLE'), async ({ api, names }) => {
  const username = names.next();
  await precondition('the create', await api.createUser({ username, first_name: 'First' }), successful);
  await precondition('the delete', await api.deleteUser(username), successful);
  await verify(await api.createUser({ username, first_name: 'Second' }), successful);
});
