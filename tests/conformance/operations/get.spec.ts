// Get User: GET /v1/{appId}/users/{username} (D6, D9, E10, E19, E28).
import {
  matchesFormats,
  matchesSchema,
  properties,
  statusIs,
  stringProperties,
  successful,
} from '../support/checks.js';
import { requirement, test } from '../support/requirement-test.js';
import { precondition, verify } from '../support/verdicts.js';

const ADA = { first_name: 'Ada', last_name: 'Lovelace', avatar: 'https://example.com/ada.png' };

test(...requirement('USR-GET-SUCCESS'), async ({ api, names }) => {
  const user = { username: names.next(), ...ADA };
  await precondition('the create', await api.createUser(user), successful);
  await verify(await api.getUser(user.username), statusIs(200), properties(user));
});

test(...requirement('USR-GET-SHAPE', 'all fields set at create'), async ({ api, names }) => {
  const username = names.next();
  await precondition('the create', await api.createUser({ username, ...ADA }), successful);
  const got = await api.getUser(username);
  await precondition('the GET', got, statusIs(200));
  await verify(got, matchesSchema('user'));
});

// E28: optional fields never sent are still present, as strings.
test(...requirement('USR-GET-SHAPE', 'created with only a username'), async ({ api, names }) => {
  const username = names.next();
  await precondition('the create', await api.createUser({ username }), successful);
  const got = await api.getUser(username);
  await precondition('the GET', got, statusIs(200));
  await verify(got, matchesSchema('user'));
});

test(...requirement('USR-GET-NOT-FOUND'), async ({ api, names }) => {
  // A fresh name of this run that was never created.
  await verify(await api.getUser(names.next('never')), statusIs(404));
});

test(...requirement('USR-USER-TIMESTAMPS-RFC3339', 'new user'), async ({ api, names }) => {
  const username = names.next();
  await precondition('the create', await api.createUser({ username, ...ADA }), successful);
  const got = await api.getUser(username);
  // Missing or non-string timestamps are USR-GET-SHAPE's finding; here only their format is judged.
  await precondition('the GET', got, statusIs(200), stringProperties('created_at', 'updated_at'));
  await verify(got, matchesFormats('user'));
});

test(...requirement('USR-USER-TIMESTAMPS-RFC3339', 'updated user'), async ({ api, names }) => {
  const username = names.next();
  await precondition('the create', await api.createUser({ username, ...ADA }), successful);
  await precondition('the update', await api.updateUser(username, { first_name: 'Augusta' }), successful);
  const got = await api.getUser(username);
  await precondition('the GET', got, statusIs(200), stringProperties('created_at', 'updated_at'));
  await verify(got, matchesFormats('user'));
});
