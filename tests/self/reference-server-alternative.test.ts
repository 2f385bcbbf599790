// Self-test of the reference server's alternative mode: the other conforming choice wherever the
// contract leaves one (D5-D8, E16), beside canonical's. Its paging is reference-server-paging's.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { contract } from '../../specs/contract.js';
import { startTestApi, type TestApi } from './support/reference-server-harness.js';

const APP = 'alt';

let api: TestApi;
before(async () => {
  api = await startTestApi({ mode: 'alternative' });
});
after(async () => {
  await api.close();
});

function assertSchema(schema: string, body: unknown): void {
  const result = contract().validateWithFormats(schema, body);
  assert.ok(result.valid, `${schema}: ${result.errors.join('; ')}`);
}

const create = (body: unknown) => api.call(api.users(APP), { method: 'POST', body });

describe('alternative mode', () => {
  test('create answers 200 with the user and the example extras id, role and status', async () => {
    const answer = await create({ username: 'alt-create', first_name: 'A' });
    assert.equal(answer.status, 200);
    assertSchema('user', answer.json);
    const user = answer.json as Record<string, unknown>;
    assert.equal(typeof user.id, 'string');
    assert.equal(typeof user.role, 'string');
    assert.ok(Number.isInteger(user.status));
  });

  test('every list item carries the extras and still matches the item schemas', async () => {
    await create({ username: 'alt-listed' });
    const array = (await api.call(api.users(APP))).json as Array<Record<string, unknown>>;
    assertSchema('user-list', array);
    assert.ok(array.every((user) => typeof user.id === 'string' && typeof user.role === 'string'));
    const page = (await api.call(`${api.users(APP)}?presence=true`)).json as { users: unknown[] };
    assertSchema('users-page', page);
    for (const user of page.users) assertSchema('user', user);
  });

  test('unknown body keys on create are refused with 400 and create nothing', async () => {
    const answer = await create({ username: 'alt-extra', nickname: 'x' });
    assert.equal(answer.status, 400);
    assert.equal((answer.json as { code: string }).code, 'body_unknown_keys');
    assert.equal((await api.call(api.users(APP, 'alt-extra'))).status, 404);
  });

  test('a body username that differs from the path is ignored on update', async () => {
    await create({ username: 'alt-keep' });
    await create({ username: 'alt-taken' });
    const answer = await api.call(api.users(APP, 'alt-keep'), {
      method: 'PUT',
      body: { username: 'alt-taken', first_name: 'Kept' },
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(
      [(answer.json as { username: string }).username, (answer.json as { first_name: string }).first_name],
      ['alt-keep', 'Kept'],
    );
    assert.equal(((await api.call(api.users(APP, 'alt-taken'))).json as { first_name: string }).first_name, '');
  });

  test('delete answers 204 without a body or content type, and a second delete 404', async () => {
    await create({ username: 'alt-gone' });
    const answer = await api.call(api.users(APP, 'alt-gone'), { method: 'DELETE' });
    assert.equal(answer.status, 204);
    assert.equal(answer.text, '');
    assert.equal(answer.headers.get('content-type'), null);
    assert.equal((await api.call(api.users(APP, 'alt-gone'))).status, 404);
    assert.equal((await api.call(api.users(APP, 'alt-gone'), { method: 'DELETE' })).status, 404);
  });

  test('uniqueness, 404s and body errors are the same as canonical', async () => {
    await create({ username: 'alt-dup' });
    assert.equal((await create({ username: 'alt-dup' })).status, 409);
    assert.equal((await create('{not json')).status, 400);
    assert.equal((await api.call(api.users(APP, 'nobody'), { method: 'PUT', body: {} })).status, 404);
    const contended = await Promise.all(Array.from({ length: 20 }, () => create({ username: 'alt-race' })));
    assert.equal(contended.filter((answer) => answer.status === 200).length, 1);
  });
});
