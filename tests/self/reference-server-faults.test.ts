// Self-test of the fault switches: each fault of server/faults.ts has a probe that sees its bug on
// a server started with it and not on a clean one.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FAULTS, type FaultName } from '../../server/faults.js';
import type { ReferenceServerOptions } from '../../server/reference-server.js';
import { contract } from '../../specs/contract.js';
import {
  createUsers,
  fetchPage,
  follow,
  names,
  startTestApi,
  type TestApi,
  usernamesOf,
} from './support/reference-server-harness.js';

const APP = 'faulty';

interface Probe {
  /** Options both servers start with, besides the fault. */
  readonly options?: ReferenceServerOptions;
  /** How often the faulty server reaches its last-resort 500 during the probe. */
  readonly lastResortHits?: number;
  /** Whether the server shows the fault's bug. */
  observe(api: TestApi): Promise<boolean>;
}

type Json = Record<string, unknown>;

const post = (api: TestApi, username: string, app = APP) =>
  api.call(api.users(app), { method: 'POST', body: { username } });
const getJson = async (api: TestApi, path: string) => (await api.call(path)).json as Json;
const listed = async (api: TestApi, app = APP) =>
  ((await api.call(api.users(app))).json as Json[]).map((user) => String(user.username));
const page = (api: TestApi, query = '') => fetchPage(api, `${api.users(APP)}?presence=true${query}`);
const is2xx = (status: number) => status >= 200 && status < 300;

const PROBES: Record<FaultName, Probe> = {
  'duplicate-usernames': {
    async observe(api) {
      await post(api, 'dup');
      return is2xx((await post(api, 'dup')).status);
    },
  },
  'non-atomic-uniqueness': {
    async observe(api) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => post(api, 'race')));
      return answers.filter((answer) => is2xx(answer.status)).length > 1;
    },
  },
  'delete-keeps-user': {
    async observe(api) {
      await post(api, 'kept');
      await api.call(api.users(APP, 'kept'), { method: 'DELETE' });
      return (await api.call(api.users(APP, 'kept'))).status === 200;
    },
  },
  'delete-leaves-in-lists': {
    async observe(api) {
      await createUsers(api, APP, ['ghost', 'stays']);
      await api.call(api.users(APP, 'ghost'), { method: 'DELETE' });
      return (await api.call(api.users(APP, 'ghost'))).status === 404 && (await listed(api)).includes('ghost');
    },
  },
  'delete-by-prefix': {
    async observe(api) {
      await createUsers(api, APP, ['bob', 'bobby']);
      await api.call(api.users(APP, 'bob'), { method: 'DELETE' });
      return (await api.call(api.users(APP, 'bobby'))).status === 404;
    },
  },
  'total-count-off-by-one': {
    async observe(api) {
      await createUsers(api, APP, names('t', 3));
      return (await page(api)).total_count !== 3;
    },
  },
  'count-not-page-length': {
    async observe(api) {
      await createUsers(api, APP, names('c', 3));
      const first = await page(api, '&limit=5');
      return first.count !== first.users.length;
    },
  },
  'next-skips-item': {
    async observe(api) {
      await createUsers(api, APP, names('n', 6));
      return usernamesOf(await follow(api, await page(api, '&limit=2'), 'next', 10)).length !== 6;
    },
  },
  'last-page-next-not-null': {
    async observe(api) {
      await createUsers(api, APP, names('l', 3));
      return (await page(api, '&limit=5')).links.next !== null;
    },
  },
  'unstable-order': {
    async observe(api) {
      // Two users are the hardest case: each read in a row must still be led by the other one.
      await createUsers(api, APP, names('u', 2));
      const leaders: string[] = [];
      for (let attempt = 0; attempt < 20; attempt++) leaders.push(usernamesOf([await page(api, '&limit=1')]).join());
      return leaders.every((leader, n) => n === 0 || leader !== leaders[n - 1]);
    },
  },
  'missing-property': {
    async observe(api) {
      return !('avatar' in ((await post(api, 'shape')).json as Json));
    },
  },
  'presence-status-string': {
    async observe(api) {
      return typeof ((await post(api, 'presence')).json as Json).presence_status === 'string';
    },
  },
  'created-at-changes-on-update': {
    async observe(api) {
      const created = (await post(api, 'born')).json as Json;
      await sleep(5);
      const updated = (await api.call(api.users(APP, 'born'), { method: 'PUT', body: { first_name: 'x' } }))
        .json as Json;
      return updated.created_at !== created.created_at;
    },
  },
  'updated-at-frozen': {
    async observe(api) {
      const created = (await post(api, 'frozen')).json as Json;
      const updated = (await api.call(api.users(APP, 'frozen'), { method: 'PUT', body: { first_name: 'x' } }))
        .json as Json;
      return updated.updated_at === created.updated_at;
    },
  },
  'rename-through-body': {
    async observe(api) {
      await createUsers(api, APP, ['renamed', 'target']);
      await api.call(api.users(APP, 'renamed'), { method: 'PUT', body: { username: 'target' } });
      return (await listed(api)).filter((username) => username === 'target').length > 1;
    },
  },
  'malformed-json-500': {
    lastResortHits: 1,
    async observe(api) {
      return (await api.call(api.users(APP), { method: 'POST', body: '{"username":' })).status === 500;
    },
  },
  'unknown-user-empty-200': {
    async observe(api) {
      return (await api.call(api.users(APP, 'nobody'))).status === 200;
    },
  },
  'tenant-leak-in-lists': {
    async observe(api) {
      await post(api, 'elsewhere', 'other-app');
      const pageUsers = (await getJson(api, `${api.users(APP)}?presence=true`)).users as Json[];
      return (await listed(api)).length > 0 && pageUsers.length > 0;
    },
  },
  'auth-not-enforced': {
    options: { apiKey: 'the-key' },
    async observe(api) {
      const without = await api.call(api.users(APP));
      const wrong = await api.call(api.users(APP), { headers: { authorization: 'not-the-key' } });
      return without.status === 200 && wrong.status === 200;
    },
  },
  'username-not-decoded': {
    async observe(api) {
      await post(api, 'with space');
      return (await api.call(api.users(APP, 'with space'))).status === 404;
    },
  },
  'array-capped-at-10': {
    async observe(api) {
      await createUsers(api, APP, names('a', 12));
      return (await listed(api)).length !== 12;
    },
  },
  'previous-instead-of-previews': {
    async observe(api) {
      await post(api, 'linked');
      const links = (await page(api)).links;
      return 'previous' in links && !('previews' in links);
    },
  },
  'astral-name-500': {
    lastResortHits: 1,
    async observe(api) {
      return (
        (await api.call(api.users(APP), { method: 'POST', body: { username: 'astral', first_name: 'fox🦊' } }))
          .status === 500
      );
    },
  },
  'long-field-500': {
    lastResortHits: 1,
    async observe(api) {
      await post(api, 'long');
      const update = await api.call(api.users(APP, 'long'), { method: 'PUT', body: { avatar: 'a'.repeat(256) } });
      return update.status === 500;
    },
  },
  'empty-update-500': {
    lastResortHits: 1,
    async observe(api) {
      await post(api, 'empty');
      return (await api.call(api.users(APP, 'empty'), { method: 'PUT', body: {} })).status === 500;
    },
  },
  'null-field-500': {
    lastResortHits: 1,
    async observe(api) {
      return (
        (await api.call(api.users(APP), { method: 'POST', body: { username: 'nulled', last_name: null } })).status ===
        500
      );
    },
  },
  'dot-suffix-dropped': {
    async observe(api) {
      await post(api, 'john.doe');
      return (await api.call(api.users(APP, 'john.doe'))).status === 404;
    },
  },
  'username-emoji-500': {
    lastResortHits: 1,
    async observe(api) {
      return (await post(api, 'fox🦊')).status === 500;
    },
  },
  'duplicate-answers-400': {
    async observe(api) {
      await post(api, 'twice');
      return (await post(api, 'twice')).status === 400;
    },
  },
  'timestamps-not-rfc3339': {
    async observe(api) {
      const user = (await post(api, 'clock')).json;
      return contract().validate('user', user).valid && !contract().validateWithFormats('user', user).valid;
    },
  },
};

async function observeOn(probe: Probe, faults: FaultName[], lastResortHits: number): Promise<boolean> {
  const api = await startTestApi({ ...probe.options, faults });
  try {
    return await probe.observe(api);
  } finally {
    await api.close(lastResortHits);
  }
}

describe('fault switches', () => {
  test('every fault has a probe, and every probe a fault', () => {
    assert.deepEqual(Object.keys(PROBES).sort(), FAULTS.map((fault) => fault.name).sort());
  });

  test('every fault breaks requirements of the catalog, and a SHOULD-only fault breaks only SHOULDs', () => {
    for (const fault of FAULTS) {
      assert.ok(fault.breaks.length > 0, `${fault.name} names no requirement`);
      const levels = fault.breaks.map((id) => contract().requirement(id).level);
      if (fault.description.includes('only a SHOULD'))
        assert.deepEqual(new Set(levels), new Set(['SHOULD']), fault.name);
      else assert.ok(levels.includes('MUST'), `${fault.name} breaks no MUST, so its description should say so`);
    }
  });

  for (const fault of FAULTS) {
    test(`${fault.name}: ${fault.description}`, async () => {
      const probe = PROBES[fault.name];
      assert.equal(
        await observeOn(probe, [fault.name], probe.lastResortHits ?? 0),
        true,
        'the faulty server shows the bug',
      );
      assert.equal(await observeOn(probe, [], 0), false, 'a clean server does not');
    });
  }

  test('a name a fault let in twice is deleted whole, so the fault leaves no undeletable users', async () => {
    for (const fault of ['duplicate-usernames', 'rename-through-body'] as const) {
      const api = await startTestApi({ faults: [fault] });
      try {
        await createUsers(api, APP, ['twin', 'other']);
        if (fault === 'duplicate-usernames') await post(api, 'twin');
        else await api.call(api.users(APP, 'other'), { method: 'PUT', body: { username: 'twin' } });
        assert.equal((await listed(api)).filter((username) => username === 'twin').length, 2, fault);
        assert.equal((await api.call(api.users(APP, 'twin'), { method: 'DELETE' })).status, 200);
        assert.deepEqual(await listed(api), fault === 'duplicate-usernames' ? ['other'] : [], fault);
      } finally {
        await api.close();
      }
    }
  });

  test('a request cannot switch a fault on', async () => {
    const api = await startTestApi();
    try {
      await post(api, 'asked');
      const second = await api.call(`${api.users(APP)}?fault=duplicate-usernames`, {
        method: 'POST',
        body: { username: 'asked', faults: ['duplicate-usernames'] },
        headers: { 'x-fault': 'duplicate-usernames' },
      });
      assert.equal(second.status, 409);
      assert.deepEqual(api.server.faults, []);
    } finally {
      await api.close();
    }
  });

  test('several faults can be on at once and are reported in catalog order', async () => {
    const api = await startTestApi({ faults: ['updated-at-frozen', 'duplicate-usernames'] });
    await api.close();
    assert.deepEqual(api.server.faults, ['duplicate-usernames', 'updated-at-frozen']);
  });
});
