// Credentials (D10): without the API key, or with a wrong one, every operation answers 401 or 403
// and changes nothing. Skipped, not passed, where no key is configured.

import type { Settings } from '../../../runtime/settings.js';
import type { Credentials } from '../support/api-client.js';
import { doesNotShowUser, property, showsUser, statusIs, successful } from '../support/checks.js';
import { requirement, test } from '../support/requirement-test.js';
import { precondition, skipForConfiguration, verify } from '../support/verdicts.js';

/** The two ways of getting the key wrong, each its own requirement. */
const BAD_CREDENTIALS: readonly { id: string; credentials: Exclude<Credentials, 'configured'> }[] = [
  { id: 'USR-AUTH-MISSING-KEY', credentials: 'none' },
  { id: 'USR-AUTH-WRONG-KEY', credentials: 'wrong' },
];

const refused = statusIs(401, 403);

function skipWithoutKey(settings: Settings): void {
  skipForConfiguration(
    !settings.apiKey,
    'API_KEY',
    'D10: no API_KEY configured; set API_KEY (and API_KEY_HEADER) to check credentials',
  );
}

for (const { id, credentials } of BAD_CREDENTIALS) {
  test(...requirement(id, 'createUser'), async ({ api, names, settings }) => {
    skipWithoutKey(settings);
    const username = names.next('intru');
    await verify(await api.createUser({ username }, { credentials }), refused);
    // Refused means not created: a look with the key finds no such user.
    await verify(await api.getUser(username), doesNotShowUser(username));
  });

  test(...requirement(id, 'getUser'), async ({ api, names, settings }) => {
    skipWithoutKey(settings);
    const username = names.next('priv');
    await precondition('the create with the key', await api.createUser({ username }), successful);
    await verify(await api.getUser(username, { credentials }), refused);
  });

  test(...requirement(id, 'listUsers'), async ({ api, settings }) => {
    skipWithoutKey(settings);
    await verify(await api.listUsers({ credentials }), refused);
  });

  test(...requirement(id, 'listUsersWithPresence'), async ({ api, settings }) => {
    skipWithoutKey(settings);
    await verify(await api.firstPage({ credentials, limit: 1 }), refused);
  });

  test(...requirement(id, 'updateUser'), async ({ api, names, settings }) => {
    skipWithoutKey(settings);
    const username = names.next('guard');
    await precondition(
      'the create with the key',
      await api.createUser({ username, first_name: 'Original' }),
      successful,
    );
    await verify(await api.updateUser(username, { first_name: 'Intruder' }, { credentials }), refused);
    // Refused means unchanged: a look with the key still finds the original first_name.
    const after = await api.getUser(username);
    await precondition('the GET with the key', after, showsUser(username));
    await verify(after, property('first_name', 'Original'));
  });

  test(...requirement(id, 'deleteUser'), async ({ api, names, settings }) => {
    skipWithoutKey(settings);
    const username = names.next('guard');
    await precondition('the create with the key', await api.createUser({ username }), successful);
    await verify(await api.deleteUser(username, { credentials }), refused);
    // Refused means not deleted: a look with the key still finds the user.
    await verify(await api.getUser(username), showsUser(username));
  });
}
