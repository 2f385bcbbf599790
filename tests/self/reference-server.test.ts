// Self-test of the reference server in its canonical mode: every operation and error path, encoded
// usernames, concurrent creates, tenancy and credentials. Other concerns have their own files.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERRORS } from '../../server/errors.js';
import { startReferenceServer } from '../../server/reference-server.js';
import { contract } from '../../specs/contract.js';
import { createUsers, names, startTestApi, type TestApi, withApi } from './support/reference-server-harness.js';

const APP = 'app-main';
const JSON_TYPE = 'application/json; charset=utf-8';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(async () => {
  await api.close();
});

function assertSchema(schema: string, body: unknown): void {
  const result = contract().validateWithFormats(schema, body);
  assert.ok(result.valid, `${schema}: ${result.errors.join('; ')}`);
}

async function assertError(answer: { status: number; json: unknown; headers: Headers }, status: number): Promise<void> {
  assert.equal(answer.status, status, JSON.stringify(answer.json));
  assert.equal(answer.headers.get('content-type'), JSON_TYPE);
  assertSchema('error', answer.json);
  const body = answer.json as { code: keyof typeof ERRORS; message: string };
  assert.equal(ERRORS[body.code].status, status, `code ${body.code} is catalogued with another status`);
  assert.match(body.message, /^[A-Z]+ \/.*\.$/, 'the message is a sentence naming the method and URL');
}

const create = (username: unknown, extra: Record<string, unknown> = {}, app = APP) =>
  api.call(api.users(app), { method: 'POST', body: { username, ...extra } });

describe('Create User', () => {
  test('answers 201 with the full user, missing optional fields as ""', async () => {
    const answer = await create('create-min');
    assert.equal(answer.status, 201);
    assert.equal(answer.headers.get('content-type'), JSON_TYPE);
    assertSchema('user', answer.json);
    const user = answer.json as Record<string, unknown>;
    assert.deepEqual(
      { ...user, created_at: 'T', updated_at: 'T' },
      {
        username: 'create-min',
        first_name: '',
        last_name: '',
        avatar: '',
        created_at: 'T',
        updated_at: 'T',
        last_login_at: null,
        presence_status: 0,
      },
    );
    assert.equal(user.created_at, new Date(String(user.created_at)).toISOString(), 'ISO 8601 with milliseconds');
  });

  test('echoes the optional fields sent and ignores unknown keys', async () => {
    const answer = await create('create-full', {
      first_name: 'Ada',
      last_name: 'L',
      avatar: 'http://a/x.png',
      role: 1,
    });
    assert.equal(answer.status, 201);
    const { first_name, last_name, avatar, role } = answer.json as Record<string, unknown>;
    assert.deepEqual(
      { first_name, last_name, avatar, role },
      {
        first_name: 'Ada',
        last_name: 'L',
        avatar: 'http://a/x.png',
        role: undefined,
      },
    );
  });

  for (const [label, body] of [
    ['malformed JSON', '{"username": "x"'],
    ['an empty body', ''],
    ['an array', '[]'],
    ['a string', '"name"'],
    ['null', 'null'],
    ['no username', '{"first_name":"a"}'],
    ['an empty username', '{"username":""}'],
    ['a numeric username', '{"username":42}'],
    ['a boolean username', '{"username":true}'],
    ['a null username', '{"username":null}'],
    ['an array username', '{"username":["a"]}'],
    ['an object username', '{"username":{}}'],
    ['a numeric first_name', '{"username":"typed","first_name":1}'],
    ['a null avatar', '{"username":"typed","avatar":null}'],
  ] as const) {
    test(`answers 400 to ${label} and creates nothing`, async () => {
      const before = ((await api.call(api.users(APP))).json as unknown[]).length;
      await assertError(await api.call(api.users(APP), { method: 'POST', body }), 400);
      assert.equal(((await api.call(api.users(APP))).json as unknown[]).length, before);
    });
  }

  test('limits the username length in characters', async () => {
    await withApi({ maxUsernameLength: 5 }, async (small) => {
      const post = (username: string) => small.call(small.users(APP), { method: 'POST', body: { username } });
      assert.equal((await post('ééééé')).status, 201);
      await assertError(await post('abcdef'), 400);
    });
  });

  test('refuses with 400 the names no path can reach: dot segments and a lone surrogate (E3)', async () => {
    for (const username of ['.', '..', '\ud800x']) {
      const answer = await api.call(api.users(APP), { method: 'POST', body: { username } });
      await assertError(answer, 400);
      assert.equal((answer.json as { code?: string }).code, 'username_unreachable', JSON.stringify(username));
    }
    assert.equal((await api.call(api.users(APP), { method: 'POST', body: { username: '...' } })).status, 201);
  });

  test('answers 409 to a taken name and leaves the first user unchanged', async () => {
    await create('taken', { first_name: 'First' });
    await assertError(await create('taken', { first_name: 'Second' }), 409);
    const kept = await api.call(api.users(APP, 'taken'));
    assert.equal((kept.json as Record<string, unknown>).first_name, 'First');
  });

  test('of 50 simultaneous creates of one name exactly one succeeds, and the name is listed once', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => create('contended')));
    const statuses = answers.map((answer) => answer.status);
    assert.equal(statuses.filter((status) => status === 201).length, 1);
    assert.equal(statuses.filter((status) => status === 409).length, 49);
    const listed = (await api.call(api.users(APP))).json as Array<{ username: string }>;
    assert.equal(listed.filter((user) => user.username === 'contended').length, 1);
  });
});

describe('Get User and Get Users', () => {
  test('GET answers the user as created, 404 for an unknown name or app', async () => {
    const created = (await create('getme', { last_name: 'G' })).json;
    const answer = await api.call(api.users(APP, 'getme'));
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json, created);
    await assertError(await api.call(api.users(APP, 'nobody')), 404);
    await assertError(await api.call(api.users('never-written', 'getme')), 404);
  });

  test('the array holds every user of the app, uncapped, as full users, in creation order', async () => {
    await withApi({}, async (fresh) => {
      assert.deepEqual((await fresh.call(fresh.users(APP))).json, []);
      const usernames = names('arr', 150);
      await createUsers(fresh, APP, usernames);
      const answer = await fresh.call(fresh.users(APP));
      assert.equal(answer.status, 200);
      assertSchema('user-list', answer.json);
      const users = answer.json as Array<Record<string, unknown>>;
      for (const user of users) assertSchema('user', user);
      assert.deepEqual(
        users.map((user) => user.username),
        usernames,
      );
    });
  });

  test('HEAD answers like GET without a body', async () => {
    const answer = await api.call(api.users(APP), { method: 'HEAD' });
    assert.equal(answer.status, 200);
    assert.equal(answer.text, '');
  });
});

describe('Update User', () => {
  test('sets the fields sent, keeps the others, moves updated_at forward and keeps created_at', async () => {
    const created = (await create('upd', { first_name: 'A', last_name: 'B', avatar: 'C' })).json as Record<
      string,
      string
    >;
    const answer = await api.call(api.users(APP, 'upd'), { method: 'PUT', body: { last_name: 'Z' } });
    assert.equal(answer.status, 200);
    assertSchema('user', answer.json);
    const updated = answer.json as Record<string, string>;
    assert.deepEqual([updated.first_name, updated.last_name, updated.avatar], ['A', 'Z', 'C']);
    assert.equal(updated.created_at, created.created_at);
    assert.ok(Date.parse(updated.updated_at as string) > Date.parse(created.updated_at as string));
    assert.deepEqual((await api.call(api.users(APP, 'upd'))).json, updated);
  });

  test('accepts a body username equal to the path and refuses a different one with 400', async () => {
    await create('same');
    assert.equal(
      (await api.call(api.users(APP, 'same'), { method: 'PUT', body: { username: 'same', avatar: 'x' } })).status,
      200,
    );
    await create('other');
    await assertError(await api.call(api.users(APP, 'same'), { method: 'PUT', body: { username: 'other' } }), 400);
    const listed = (await api.call(api.users(APP))).json as Array<{ username: string }>;
    assert.equal(listed.filter((user) => user.username === 'other').length, 1);
    assert.equal((await api.call(api.users(APP, 'same'))).status, 200);
  });

  test('answers 404 for an unknown user and creates nothing', async () => {
    await assertError(await api.call(api.users(APP, 'ghost'), { method: 'PUT', body: { first_name: 'x' } }), 404);
    assert.equal((await api.call(api.users(APP, 'ghost'))).status, 404);
  });

  for (const [label, body] of [
    ['malformed JSON', '{'],
    ['an array', '[{"first_name":"x"}]'],
    ['a number', '7'],
    ['a numeric first_name', '{"first_name":7}'],
  ] as const) {
    test(`answers 400 to ${label} and changes nothing`, async () => {
      const name = `inv-${label.replace(/\W/g, '')}`;
      const created = (await create(name, { first_name: 'Kept' })).json;
      await assertError(await api.call(api.users(APP, name), { method: 'PUT', body }), 400);
      assert.deepEqual((await api.call(api.users(APP, name))).json, created);
    });
  }
});

describe('Delete User', () => {
  test('answers 200 with the user, then it is gone everywhere and others stay', async () => {
    await withApi({}, async (fresh) => {
      await createUsers(fresh, APP, ['bob', 'bobby', 'bob2', 'alice']);
      const answer = await fresh.call(fresh.users(APP, 'bob'), { method: 'DELETE' });
      assert.equal(answer.status, 200);
      assert.equal((answer.json as { username: string }).username, 'bob');
      assert.equal((await fresh.call(fresh.users(APP, 'bob'))).status, 404);
      const listed = (await fresh.call(fresh.users(APP))).json as Array<{ username: string }>;
      assert.deepEqual(
        listed.map((user) => user.username),
        ['bobby', 'bob2', 'alice'],
      );
      const page = (await fresh.call(`${fresh.users(APP)}?presence=true`)).json as { total_count: number };
      assert.equal(page.total_count, 3);
      await assertError(await fresh.call(fresh.users(APP, 'bob'), { method: 'DELETE' }), 404);
      assert.equal((await fresh.call(fresh.users(APP), { method: 'POST', body: { username: 'bob' } })).status, 201);
    });
  });
});

describe('percent-encoded usernames', () => {
  for (const username of ['a*b', 'héllo', 'with space', 'a/b', '100%', 'q?x#y']) {
    test(`${JSON.stringify(username)} is reachable for GET, PUT and DELETE`, async () => {
      assert.equal((await create(username)).status, 201);
      const path = api.users(APP, username);
      assert.equal(((await api.call(path)).json as { username: string }).username, username);
      assert.equal((await api.call(path, { method: 'PUT', body: { first_name: 'E' } })).status, 200);
      assert.equal((await api.call(path, { method: 'DELETE' })).status, 200);
      assert.equal((await api.call(path)).status, 404);
    });
  }

  test('a malformed escape is a 400, not a crash', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      await assertError(
        await api.call('/v1/app/users/%E0%A4%A', { method, body: method === 'PUT' ? {} : undefined }),
        400,
      );
    }
    await assertError(await api.call('/v1/%ZZ/users'), 400);
  });
});

describe('tenancy', () => {
  test('a user of one app is invisible to another, whose same name is free', async () => {
    await create('tenant-user', { first_name: 'A' }, 'tenant-a');
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const answer = await api.call(api.users('tenant-b', 'tenant-user'), {
        method,
        body: method === 'PUT' ? {} : undefined,
      });
      assert.equal(answer.status, 404, method);
    }
    assert.deepEqual((await api.call(api.users('tenant-b'))).json, []);
    assert.equal(
      ((await api.call(`${api.users('tenant-b')}?presence=true`)).json as { total_count: number }).total_count,
      0,
    );
    assert.equal((await create('tenant-user', { first_name: 'B' }, 'tenant-b')).status, 201);
    assert.equal(
      ((await api.call(api.users('tenant-a', 'tenant-user'))).json as { first_name: string }).first_name,
      'A',
    );
  });
});

describe('routing', () => {
  test('other methods on known paths answer 405 with an Allow header', async () => {
    const collection = await api.call(api.users(APP), { method: 'PATCH' });
    await assertError(collection, 405);
    assert.equal(collection.headers.get('allow'), 'GET, HEAD, POST');
    const item = await api.call(api.users(APP, 'x'), { method: 'POST', body: {} });
    await assertError(item, 405);
    assert.equal(item.headers.get('allow'), 'GET, HEAD, PUT, DELETE');
  });

  test('unknown paths answer 404 JSON', async () => {
    for (const path of ['/', '/v1', '/v1/users', '/v1/app/users/', '/v1/app/users/a/b', '/v2/app/users']) {
      await assertError(await api.call(path), 404);
    }
  });

  test('an empty app id is a bad request, as users.openapi.yaml declares it', async () => {
    for (const path of ['/v1//users', '/v1//users/bob']) await assertError(await api.call(path), 400);
  });
});

describe('credentials', () => {
  test('without the key 401, with a wrong one 403, both before routing', async () => {
    await withApi({ apiKey: 'Bearer s3cret' }, async (keyed) => {
      const path = keyed.users(APP);
      await assertError(await keyed.call(path), 401);
      await assertError(await keyed.call('/nowhere'), 401);
      await assertError(await keyed.call(path, { headers: { authorization: 's3cret' } }), 403);
      await assertError(await keyed.call(path, { method: 'PATCH', headers: { authorization: 'bearer s3cret' } }), 403);
      assert.equal((await keyed.call(path, { headers: { authorization: 'Bearer s3cret' } })).status, 200);
    });
  });

  test('the key header name is configurable', async () => {
    await withApi({ apiKey: 'k', apiKeyHeader: 'X-Api-Key' }, async (keyed) => {
      await assertError(await keyed.call(keyed.users(APP), { headers: { authorization: 'k' } }), 401);
      assert.equal((await keyed.call(keyed.users(APP), { headers: { 'x-api-key': 'k' } })).status, 200);
    });
  });
});

describe('options', () => {
  for (const [label, options, pattern] of [
    ['a non-loopback host', { host: '0.0.0.0' }, /loopback/],
    ['an unknown fault', { faults: ['no-such-fault' as never] }, /Unknown fault "no-such-fault"/],
    ['an unknown mode', { mode: 'lenient' as never }, /Mode "lenient"/],
    ['a negative latency', { latencyMs: -1 }, /latencyMs/],
  ] as const) {
    test(`refuses ${label} at start`, async () => {
      await assert.rejects(startReferenceServer(options), pattern);
    });
  }

  test('latencyMs delays each answer', async () => {
    await withApi({ latencyMs: 60 }, async (slow) => {
      const started = performance.now();
      await slow.call(slow.users(APP));
      assert.ok(performance.now() - started >= 55);
    });
  });
});
