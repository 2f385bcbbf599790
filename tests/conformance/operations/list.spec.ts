// Get Users: GET /v1/{appId}/users without the presence query, a JSON array (D3, D6, E4, E5,
// E22). The count against total_count needs a still app: quiet/counts.spec.ts.
import { bodyIsArray, matchesSchema, statusIs, successful } from '../support/checks.js';
import { mapConcurrently } from '../support/map-concurrently.js';
import { requirement, test } from '../support/requirement-test.js';
import { listedUsernames } from '../support/sweep.js';
import { precondition, verify, verifyThat } from '../support/verdicts.js';

// More users than the usual caps (10, 20, 25, 50, 100), so a capped array cannot hold them
// all, whatever the app held before. A larger cap is caught by USR-LIST-MATCHES-TOTAL once
// the app holds more users than the cap.
const MANY_USERS = 101;
// Creates in flight at once: enough to keep a remote target busy, few enough not to flood it.
const CREATE_CONCURRENCY = 16;

test(...requirement('USR-LIST-ARRAY'), async ({ api, names }) => {
  // One user of this run, so the array has at least one item whatever the app held before.
  await precondition('the create', await api.createUser({ username: names.next() }), successful);
  await verify(await api.listUsers(), statusIs(200), bodyIsArray);
});

test(...requirement('USR-LIST-ITEM-SHAPE'), async ({ api, names }) => {
  const created = await Promise.all([
    api.createUser({ username: names.next(), first_name: 'Ada', last_name: 'Lovelace', avatar: 'https://a.example/1' }),
    api.createUser({ username: names.next('bare') }),
  ]);
  for (const exchange of created) await precondition('a create', exchange, successful);
  const list = await api.listUsers();
  await precondition('Get Users', list, statusIs(200), bodyIsArray);
  await verify(list, matchesSchema('user-list'));
});

// A MAY: the report says whether the items carry role and status; where they do, their types
// are the example's.
test(...requirement('USR-LIST-ROLE-STATUS'), async ({ api, names }, testInfo) => {
  await precondition('the create', await api.createUser({ username: names.next() }), successful);
  const list = await api.listUsers();
  await precondition('Get Users', list, statusIs(200), bodyIsArray);
  const items = ((list.response?.json ?? []) as unknown[]).map((item) => (item ?? {}) as Record<string, unknown>);
  const withRole = items.filter((item) => 'role' in item);
  const withStatus = items.filter((item) => 'status' in item);
  testInfo.annotations.push({
    type: 'observed',
    description: `${withRole.length} of ${items.length} items carry role, ${withStatus.length} carry status`,
  });
  const badRole = withRole.filter((item) => typeof item.role !== 'string');
  const badStatus = withStatus.filter((item) => !Number.isInteger(item.status));
  await verifyThat(
    badRole.length === 0 && badStatus.length === 0,
    `role, where present, a string and status, where present, an integer; ` +
      `${badRole.length} items have another role, ${badStatus.length} another status ` +
      `(e.g. ${JSON.stringify([...badRole, ...badStatus][0])})`,
    [list],
  );
});

test(...requirement('USR-LIST-HOLDS-CREATED'), async ({ api, names }) => {
  const usernames = Array.from({ length: MANY_USERS }, () => names.next());
  const created = await mapConcurrently(usernames, CREATE_CONCURRENCY, (username) => api.createUser({ username }));
  for (const exchange of created) await precondition('a create', exchange, successful);
  const list = await api.listUsers();
  await precondition('Get Users', list, statusIs(200), bodyIsArray);
  const listed = listedUsernames(list) ?? [];
  const counts = new Map<string, number>();
  for (const username of listed) counts.set(username, (counts.get(username) ?? 0) + 1);
  const missing = usernames.filter((username) => !counts.has(username));
  const repeated = usernames.filter((username) => (counts.get(username) ?? 0) > 1);
  await verifyThat(
    missing.length === 0 && repeated.length === 0,
    `each of the ${MANY_USERS} users just created listed exactly once in the array ` +
      `(${listed.length} items in all); ${missing.length} missing` +
      `${missing.length ? ` (e.g. ${missing.slice(0, 3).join(', ')})` : ''}, ${repeated.length} listed more than once` +
      `${repeated.length ? ` (e.g. ${repeated.slice(0, 3).join(', ')})` : ''}`,
    [list],
  );
});
