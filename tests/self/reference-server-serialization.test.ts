// Self-test of how the reference server sends users: each user's JSON is cached and reused, so
// these show that every answer follows an update at once and the array's Content-Length is exact.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createUsers, names, withApi } from './support/reference-server-harness.js';

const APP = 'texts';

describe('reference server serialization', () => {
  test('Get User, a page and the array show an update at once, in both modes', async () => {
    for (const mode of ['canonical', 'alternative'] as const) {
      await withApi({ mode }, async (api) => {
        await createUsers(api, APP, ['ada']);
        // Read first, so that the user's text is cached before the update.
        await api.call(api.users(APP));
        await api.call(api.users(APP, 'ada'));
        const updated = await api.call(api.users(APP, 'ada'), { method: 'PUT', body: { first_name: 'Grace' } });
        assert.equal(updated.status, 200);
        const got = await api.call(api.users(APP, 'ada'));
        const page = await api.call(`${api.users(APP)}?presence=true&limit=5`);
        const listed = await api.call(api.users(APP));
        assert.equal((got.json as { first_name: string }).first_name, 'Grace', mode);
        assert.equal((page.json as { users: { first_name: string }[] }).users[0]?.first_name, 'Grace', mode);
        assert.equal((listed.json as { first_name: string }[])[0]?.first_name, 'Grace', mode);
        assert.deepEqual(got.json, (listed.json as unknown[])[0], `${mode}: the same user in both forms`);
      });
    }
  });

  test('the array is whole across pieces, with an exact Content-Length, also for non-ASCII names', async () => {
    await withApi({}, async (api) => {
      const usernames = [...names('piece', 600), 'héllo', '日本語', 'fox🦊'];
      await createUsers(api, APP, usernames);
      const listed = await api.call(api.users(APP));
      assert.equal(listed.status, 200);
      assert.equal(Number(listed.headers.get('content-length')), Buffer.byteLength(listed.text));
      assert.deepEqual(
        (listed.json as { username: string }[]).map((user) => user.username),
        usernames,
      );
      const head = await api.call(api.users(APP), { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.text, '');
      assert.equal(head.headers.get('content-length'), listed.headers.get('content-length'));
    });
  });

  test('an empty app answers an empty array', async () => {
    await withApi({}, async (api) => {
      const listed = await api.call(api.users('nobody'));
      assert.equal(listed.text, '[]');
      assert.equal(listed.headers.get('content-length'), '2');
    });
  });

  test('seeded users are sent as they were seeded, and every request is counted', async () => {
    await withApi({ seed: [{ appId: APP, users: 3 }] }, async (api) => {
      const before = api.server.requestsServed;
      const listed = await api.call(api.users(APP));
      const one = await api.call(api.users(APP, 'user-000002'));
      await api.call('/not-the-api');
      assert.deepEqual((listed.json as unknown[])[1], one.json);
      assert.equal((one.json as { last_name: string }).last_name, 'User 2');
      assert.equal(api.server.requestsServed - before, 3);
    });
  });
});
