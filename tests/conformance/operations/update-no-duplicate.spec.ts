// Update User onto a taken name (D7): whatever the server does with the body's username, no two
// users may end up holding one name. Three views judge it, as each can miss a duplicate.
import type { ApiClient } from '../support/api-client.js';
import { bodyIsArray, statusIs, successful } from '../support/checks.js';
import type { Exchange } from '../support/exchange.js';
import { verifyHeldOnceInPages } from '../support/name-holders.js';
import { requirement, test } from '../support/requirement-test.js';
import { listedUsernames } from '../support/sweep.js';
import { bodyOf } from '../support/user-bodies.js';
import { precondition, verifyThat, violation } from '../support/verdicts.js';

test(...requirement('USR-UPDATE-NO-DUPLICATE'), async ({ api, names, settings }) => {
  const mover = names.next('mover');
  const holder = names.next('hold');
  const created = await Promise.all([
    api.createUser({ username: mover, first_name: 'Mover' }),
    api.createUser({ username: holder, first_name: 'Holder' }),
  ]);
  for (const exchange of created) await precondition('a create', exchange, successful);
  const update = await api.updateUser(mover, { username: holder, first_name: 'Moved' });
  const [atMover, atHolder, list] = await Promise.all([api.getUser(mover), api.getUser(holder), api.listUsers()]);
  // Two paths that both answer a user named `holder`, with different data: two users, one name.
  const moverBody = bodyOf(atMover);
  const holderBody = bodyOf(atHolder);
  if (
    atMover.response?.status === 200 &&
    atHolder.response?.status === 200 &&
    moverBody?.username === holder &&
    holderBody?.username === holder &&
    moverBody.first_name !== holderBody.first_name
  ) {
    await violation(`at most one user named ${JSON.stringify(holder)}, but two different users answer with that name`, [
      update,
      atMover,
      atHolder,
    ]);
  }
  await precondition('Get Users', list, statusIs(200), bodyIsArray);
  const listed = listedUsernames(list) ?? [];
  const holders = listed.filter((name) => name === holder).length;
  const movers = listed.filter((name) => name === mover).length;
  await verifyThat(
    holders <= 1 && movers <= 1,
    `no name held by two users after an update whose body names the taken ${JSON.stringify(holder)}; ` +
      `the array lists ${JSON.stringify(holder)} ${holders} times and ${JSON.stringify(mover)} ${movers} times`,
    [update, list],
  );
  if (holders === 0 && atHolder.response?.status === 200) {
    // The array left out a name that GET shows, so it judged nothing: the pages are read instead.
    await verifyHeldOnceInPages(api, holder, settings.pageBudget, 'Get User shows', [update, list]);
  }
  if (successful(update) === undefined && atMover.response?.status !== 200 && atHolder.response?.status === 200) {
    await verifyNoSecondHolder(api, holder, atHolder, [update, atMover]);
  }
});

/**
 * The mover left its path, so it may now hold the taken name beside the holder, where no list
 * shows it (a store that lists by name). Delete the name once: a user with other data still
 * answering at it means two users held one name. The same data again is left to the delete
 * requirements, which own a delete that removes nothing.
 */
async function verifyNoSecondHolder(
  api: ApiClient,
  holder: string,
  atHolder: Exchange,
  earlier: Exchange[],
): Promise<void> {
  const shown = bodyOf(atHolder);
  const deleted = await api.deleteUser(holder);
  await precondition('the delete of the taken name', deleted, successful);
  const after = await api.getUser(holder);
  const remaining = bodyOf(after);
  await verifyThat(
    after.response?.status !== 200 || remaining?.username !== holder || remaining.first_name === shown?.first_name,
    `at most one user named ${JSON.stringify(holder)}: after the update moved the user away from its path and ` +
      `one ${JSON.stringify(holder)} was deleted, another with other data still answers at that name`,
    [...earlier, atHolder, deleted, after],
  );
}
