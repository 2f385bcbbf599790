// Update User: PUT /v1/{appId}/users/{username} (D7, E12, E14, E25). The timestamps of D7, which
// need a wait, are in clock.spec.ts.
import type { ApiClient } from '../support/api-client.js';
import {
  clientError,
  doesNotShowUser,
  listsUsername,
  matchesSchema,
  properties,
  property,
  showsUser,
  statusIs,
  successful,
} from '../support/checks.js';
import type { Exchange } from '../support/exchange.js';
import { type NameMaker, requirement, test } from '../support/requirement-test.js';
import { listedUsernames } from '../support/sweep.js';
import { ADA, bodyOf, createAndRead } from '../support/user-bodies.js';
import { precondition, verify, verifyThat } from '../support/verdicts.js';

const EDITABLE = ['first_name', 'last_name', 'avatar'] as const;

/** What a stored user is compared by when it must not change. */
const SNAPSHOT = ['username', ...EDITABLE, 'created_at', 'updated_at'] as const;

/** Findings where the stored user differs from the snapshot taken before. */
function changedFields(before: Exchange, after: Exchange): string[] {
  const was = bodyOf(before) ?? {};
  const now = bodyOf(after) ?? {};
  return SNAPSHOT.filter((name) => JSON.stringify(was[name]) !== JSON.stringify(now[name])).map(
    (name) => `${name} went from ${JSON.stringify(was[name])} to ${JSON.stringify(now[name])}`,
  );
}

test(...requirement('USR-UPDATE-SUCCESS'), async ({ api, names }) => {
  const subsets = [{ first_name: 'Grace' }, { last_name: 'Hopper', avatar: 'https://example.com/g.png' }, { ...ADA }];
  const usernames = subsets.map(() => names.next());
  const created = await Promise.all(usernames.map((username) => api.createUser({ username, ...ADA })));
  for (const exchange of created) await precondition('a create', exchange, successful);
  const updates = await Promise.all(usernames.map((username, at) => api.updateUser(username, subsets[at])));
  for (const [at, username] of usernames.entries()) {
    await verify(updates[at] as Exchange, statusIs(200), property('username', username));
  }
});

test(...requirement('USR-UPDATE-SHAPE'), async ({ api, names }) => {
  const username = names.next();
  await precondition('the create', await api.createUser({ username, ...ADA }), successful);
  const updated = await api.updateUser(username, { first_name: 'Grace' });
  await precondition('the update', updated, successful);
  await verify(updated, matchesSchema('user'));
});

test(...requirement('USR-UPDATE-FIELDS-SET'), async ({ api, names }) => {
  const changes = [
    { first_name: 'Grace', last_name: 'Hopper', avatar: 'https://example.com/grace.png' },
    { avatar: 'https://example.com/other.png' },
  ];
  const usernames = changes.map(() => names.next());
  const created = await Promise.all(usernames.map((username) => api.createUser({ username, ...ADA })));
  for (const exchange of created) await precondition('a create', exchange, successful);
  const updates = await Promise.all(usernames.map((username, at) => api.updateUser(username, changes[at])));
  for (const exchange of updates) await precondition('an update', exchange, successful);
  const reads = await Promise.all(usernames.map((username) => api.getUser(username)));
  for (const exchange of reads) await precondition('the GET after the update', exchange, statusIs(200));
  for (const [at, sent] of changes.entries()) {
    await verify(updates[at] as Exchange, properties(sent));
    await verify(reads[at] as Exchange, properties(sent));
  }
});

test(...requirement('USR-UPDATE-OMITTED-KEPT'), async ({ api, names }) => {
  const changes: Record<string, string>[] = [
    { first_name: 'Grace' },
    { last_name: 'Hopper', avatar: 'https://x.example/h' },
  ];
  const usernames = changes.map(() => names.next());
  const befores = await Promise.all(usernames.map((username) => createAndRead(api, username)));
  const updates = await Promise.all(usernames.map((username, at) => api.updateUser(username, changes[at])));
  for (const exchange of updates) await precondition('an update', exchange, successful);
  const afters = await Promise.all(usernames.map((username) => api.getUser(username)));
  for (const exchange of afters) await precondition('the GET after the update', exchange, statusIs(200));
  for (const [at, sent] of changes.entries()) {
    const before = befores[at] as Exchange;
    const was = bodyOf(before) ?? {};
    // A property the user never showed is judged by the shape requirements, not here.
    const omitted = EDITABLE.filter((name) => !(name in sent) && name in was);
    const findings: string[] = [];
    const update = updates[at] as Exchange;
    const after = afters[at] as Exchange;
    const answered = bodyOf(update) ?? {};
    const stored = bodyOf(after) ?? {};
    for (const name of omitted) {
      if (name in answered && answered[name] !== was[name])
        findings.push(`the update's answer has ${name} ${JSON.stringify(answered[name])}`);
      if (stored[name] !== was[name])
        findings.push(
          `a later GET has ${name} ${stored[name] === undefined ? 'missing' : JSON.stringify(stored[name])}`,
        );
    }
    await verifyThat(
      findings.length === 0,
      `the fields the update omitted (${omitted.join(', ')}) to keep their values ` +
        `(${omitted.map((name) => `${name} ${JSON.stringify(was[name])}`).join(', ')}); ${findings.join('; ')}`,
      [before, update, after],
    );
  }
});

test(...requirement('USR-UPDATE-USERNAME-IGNORED'), async ({ api, names }) => {
  const username = names.next('old');
  const bodyName = names.next('new');
  await precondition('the create', await api.createUser({ username, ...ADA }), successful);
  // The body's name is free: a server that applies it renames instead of refusing.
  const update = await api.updateUser(username, { username: bodyName, first_name: 'Grace' });
  const status = update.response?.status;
  await verifyThat(
    successfulStatus(status) || clientError(update) === undefined,
    `the differing body username ignored (2xx) or rejected with a 4xx, got ${status ?? 'no HTTP answer'}`,
    [update],
  );
  const answeredName = bodyOf(update)?.username;
  await verifyThat(
    !successfulStatus(status) || answeredName === undefined || answeredName === username,
    `an update that ignores the body username to answer the user ${JSON.stringify(username)}, ` +
      `got username ${JSON.stringify(answeredName)}`,
    [update],
  );
  const [atOld, atNew, list] = await Promise.all([api.getUser(username), api.getUser(bodyName), api.listUsers()]);
  await verify(atOld, showsUser(username));
  await verify(atNew, doesNotShowUser(bodyName));
  if (listedUsernames(list)) await verify(list, listsUsername(bodyName, 0));
});

function successfulStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

test(...requirement('USR-UPDATE-NOT-FOUND'), async ({ api, names, settings }) => {
  const username = names.next('never');
  // A server that creates on PUT must not leave the user behind.
  api.remember(settings.appId, username);
  const update = await api.updateUser(username, { ...ADA });
  await verify(update, clientError);
  const [got, list] = await Promise.all([api.getUser(username), api.listUsers()]);
  await verify(got, doesNotShowUser(username));
  if (listedUsernames(list)) await verify(list, listsUsername(username, 0));
});

test(...requirement('USR-UPDATE-NOT-FOUND-404'), async ({ api, names, settings }) => {
  const username = names.next('never');
  api.remember(settings.appId, username);
  await verify(await api.updateUser(username, { ...ADA }), statusIs(404));
});

const MALFORMED_BODIES = ['{"first_name": "Changed"', "{first_name: 'Changed'}"];
const NON_OBJECT_BODIES = ['["first_name", "Changed"]', '"Changed"', '42', 'true', 'null'];

/**
 * Sends each body as an update of its own fresh user, in parallel, and fails unless every one
 * is refused with a 4xx and leaves its user as it was.
 */
async function refusedAndUnchanged(api: ApiClient, names: NameMaker, bodies: string[]): Promise<void> {
  const usernames = bodies.map(() => names.next());
  const befores = await Promise.all(usernames.map((username) => createAndRead(api, username)));
  const updates = await Promise.all(
    usernames.map((username, at) => api.send('PUT', api.userUrl(username), { raw: bodies[at] })),
  );
  const afters = await Promise.all(usernames.map((username) => api.getUser(username)));
  const findings: string[] = [];
  const exchanges: Exchange[] = [];
  bodies.forEach((body, at) => {
    const update = updates[at] as Exchange;
    const after = afters[at] as Exchange;
    const refused = clientError(update);
    const changed = after.response?.status === 200 ? changedFields(befores[at] as Exchange, after) : [];
    if (after.response?.status !== 200) changed.push(`a later GET answered ${after.response?.status ?? 'nothing'}`);
    if (refused === undefined && changed.length === 0) return;
    findings.push(`body ${body}: ${[refused, ...changed].filter(Boolean).join('; ')}`);
    exchanges.push(update, after);
  });
  await verifyThat(
    findings.length === 0,
    `a 4xx and the user unchanged for each body;\n           ${findings.join('\n           ')}`,
    exchanges,
  );
}

test(...requirement('USR-UPDATE-INVALID-BODY', 'malformed JSON'), async ({ api, names }) => {
  await refusedAndUnchanged(api, names, MALFORMED_BODIES);
});

test(...requirement('USR-UPDATE-INVALID-BODY', 'JSON that is not an object'), async ({ api, names }) => {
  await refusedAndUnchanged(api, names, NON_OBJECT_BODIES);
});

test(...requirement('USR-UPDATE-INVALID-400'), async ({ api, names }) => {
  const username = names.next();
  await precondition('the create', await api.createUser({ username, ...ADA }), successful);
  const bodies = [...MALFORMED_BODIES, ...NON_OBJECT_BODIES];
  const updates = await Promise.all(bodies.map((raw) => api.send('PUT', api.userUrl(username), { raw })));
  const wrong = updates.filter((update) => update.response?.status !== 400);
  await verifyThat(
    wrong.length === 0,
    `status 400 for every malformed or non-object update body; got ${wrong
      .map((update) => `${update.response?.status ?? 'no answer'} for ${update.request.body}`)
      .join(', ')}`,
    wrong,
  );
});

test(...requirement('USR-UPDATE-FIELD-TYPES'), async ({ api, names }) => {
  const bodies = [
    { first_name: 42 },
    { last_name: true },
    // Not null, which a server may read as "not given" (E14); the input classes judge it.
    { avatar: 7 },
    { first_name: ['Grace'] },
    { avatar: { url: 'https://example.com/g.png' } },
  ].map((body) => JSON.stringify(body));
  await refusedAndUnchanged(api, names, bodies);
});
