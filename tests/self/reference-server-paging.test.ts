// Self-test of Get Users with Presence, the paginated envelope (D4), in both modes: whole walks
// both ways, first and last, empty apps, page sizes, and links built from the Host header.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, test } from 'node:test';
import type { Mode } from '../../server/mode.js';
import { PAGE_SIZE } from '../../server/users-page.js';
import { contract } from '../../specs/contract.js';
import {
  createUsers,
  fetchPage,
  follow,
  names,
  type Page,
  type TestApi,
  usernamesOf,
  withApi,
} from './support/reference-server-harness.js';

const APP = 'paged';
const LIMIT = 5;
const MAX_PAGES = 20;

function assertSchema(schema: string, body: unknown): void {
  const result = contract().validateWithFormats(schema, body);
  assert.ok(result.valid, `${schema}: ${result.errors.join('; ')}`);
}

function assertPageInvariants(page: Page, total: number, limit: number): void {
  const { url, ...envelope } = page;
  assertSchema('users-page', envelope);
  for (const user of page.users) assertSchema('user-presence-item', user);
  assert.equal(page.count, page.users.length, `count of ${url}`);
  assert.ok(page.count <= limit, `count within the limit on ${url}`);
  assert.equal(page.total_count, total, `total_count of ${url}`);
}

// Shuffled so that creation order and username order differ.
const USERNAMES = names('walker', 23).sort((a, b) => (a.slice(-1) + a).localeCompare(b.slice(-1) + b));

const EXPECTED_ORDER: Record<Mode, string[]> = {
  canonical: USERNAMES,
  alternative: [...USERNAMES].sort().reverse(),
  narrow: USERNAMES,
};

const LINK_SHAPE: Record<Mode, RegExp> = {
  canonical: /^http:\/\/127\.0\.0\.1:\d+\/v1\/paged\/users\?presence=true&limit=5(&offset=\d+)?$/,
  alternative: /^\/v1\/paged\/users\?presence=true&limit=5(&cursor=[\w-]+)?$/,
  narrow: /^http:\/\/127\.0\.0\.1:\d+\/v1\/paged\/users\?presence=true&limit=5(&offset=\d+)?$/,
};

for (const mode of ['canonical', 'alternative'] as const) {
  describe(`paging, ${mode} mode`, () => {
    test('a walk by next from first ends at last and shows every user once, in the stable order', async () => {
      await withApi({ mode }, async (api) => {
        await createUsers(api, APP, USERNAMES);
        const first = await fetchPage(api, `${api.users(APP)}?presence=true&limit=${LIMIT}`);
        assert.equal(first.links.previews, null);
        assert.deepEqual(await fetchPage(api, first.links.first as string), { ...first, url: first.url });
        const pages = await follow(api, first, 'next', MAX_PAGES);
        assert.equal(pages.length, Math.ceil(USERNAMES.length / LIMIT));
        for (const page of pages) assertPageInvariants(page, USERNAMES.length, LIMIT);
        const last = pages.at(-1) as Page;
        assert.equal(last.links.next, null);
        assert.equal(new URL(first.links.last as string, first.url).href, last.url);
        assert.deepEqual(usernamesOf(pages), EXPECTED_ORDER[mode]);
        for (const page of pages) {
          for (const link of Object.values(page.links)) if (link !== null) assert.match(link, LINK_SHAPE[mode]);
        }
      });
    });

    test('previews leads back page by page, and current fetches the same page again', async () => {
      await withApi({ mode }, async (api) => {
        await createUsers(api, APP, USERNAMES);
        const first = await fetchPage(api, `${api.users(APP)}?presence=true&limit=${LIMIT}`);
        const forward = await follow(api, first, 'next', MAX_PAGES);
        const backward = await follow(api, forward.at(-1) as Page, 'previews', MAX_PAGES);
        assert.deepEqual(backward.map(usernamesOfPage).reverse(), forward.map(usernamesOfPage));
        for (const page of forward) {
          const again = await fetchPage(api, new URL(page.links.current as string, page.url).href);
          assert.deepEqual(usernamesOfPage(again), usernamesOfPage(page));
        }
      });
    });

    test('an empty app has an empty page with null first, last, previews and next', async () => {
      await withApi({ mode }, async (api) => {
        const page = await fetchPage(api, `${api.users('empty-app')}?presence=true`);
        assertPageInvariants(page, 0, PAGE_SIZE.default);
        assert.deepEqual(
          { ...page.links, current: 'set' },
          { current: 'set', previews: null, next: null, first: null, last: null },
        );
        assert.ok(page.links.current);
      });
    });

    test('the page size defaults to 20 and is capped at 100, never above the size asked', async () => {
      await withApi({ mode, seed: [{ appId: APP, users: 250 }] }, async (api) => {
        const byDefault = await fetchPage(api, `${api.users(APP)}?presence=true`);
        assert.equal(byDefault.count, PAGE_SIZE.default);
        const capped = await fetchPage(api, `${api.users(APP)}?presence=true&limit=500`);
        assert.equal(capped.count, PAGE_SIZE.max);
        const pages = await follow(api, capped, 'next', MAX_PAGES);
        assert.deepEqual(
          pages.map((page) => page.count),
          [100, 100, 50],
        );
        assert.equal(new Set(usernamesOf(pages)).size, 250);
      });
    });

    test('a 100,000-user app serves its first and last pages', async () => {
      await withApi({ mode, seed: [{ appId: 'big', users: 100_000 }] }, async (api) => {
        const first = await fetchPage(api, `${api.users('big')}?presence=true&limit=20`);
        assertPageInvariants(first, 100_000, 20);
        const last = await fetchPage(api, new URL(first.links.last as string, first.url).href);
        assert.equal(last.count, 20);
        assert.equal(last.links.next, null);
        const beforeLast = await fetchPage(api, new URL(last.links.previews as string, last.url).href);
        assert.equal(beforeLast.count, 20);
        assert.notDeepEqual(usernamesOfPage(beforeLast), usernamesOfPage(last));
      });
    });
  });
}

function usernamesOfPage(page: Page): string[] {
  return usernamesOf([page]);
}

describe('page size and position values', () => {
  for (const limit of ['0', '-1', 'abc', '1.5', '', '1e2', '99999999999999999999']) {
    test(`canonical answers 400 to limit=${limit}, alternative uses the default`, async () => {
      await withApi({}, async (canonical) => {
        const answer = await canonical.call(`${canonical.users(APP)}?presence=true&limit=${limit}`);
        assert.equal(answer.status, 400);
        assert.equal((answer.json as { code: string }).code, 'limit_invalid');
      });
      await withApi({ mode: 'alternative', seed: [{ appId: APP, users: 30 }] }, async (alternative) => {
        const page = await fetchPage(alternative, `${alternative.users(APP)}?presence=true&limit=${limit}`);
        assert.equal(page.count, PAGE_SIZE.default);
      });
    });
  }

  test('canonical answers 400 to a bad offset and an empty page past the end', async () => {
    await withApi({ seed: [{ appId: APP, users: 7 }] }, async (api) => {
      for (const offset of ['-1', 'x', '2.5']) {
        assert.equal((await api.call(`${api.users(APP)}?presence=true&offset=${offset}`)).status, 400);
      }
      const beyond = await fetchPage(api, `${api.users(APP)}?presence=true&limit=5&offset=50`);
      assert.equal(beyond.count, 0);
      assert.equal(beyond.links.next, null);
      assert.equal(beyond.links.previews, beyond.links.last);
    });
  });

  test('alternative answers 400 to a cursor it did not issue', async () => {
    await withApi({ mode: 'alternative' }, async (api) => {
      for (const cursor of ['garbage', 'eyJ4IjoxfQ', '%%%', 'bnVsbA']) {
        assert.equal((await api.call(`${api.users(APP)}?presence=true&cursor=${cursor}`)).status, 400, cursor);
      }
    });
  });

  test('an alternative cursor keeps its place when users are added before it', async () => {
    await withApi({ mode: 'alternative' }, async (api) => {
      await createUsers(api, APP, ['m', 'k', 'h', 'e', 'b']);
      const first = await fetchPage(api, `${api.users(APP)}?presence=true&limit=2`);
      await createUsers(api, APP, ['z', 'y']);
      const second = await fetchPage(api, new URL(first.links.next as string, first.url).href);
      assert.deepEqual(usernamesOfPage(second), ['h', 'e']);
    });
  });
});

describe('absolute links', () => {
  test('are built from the Host header, and from the listening address when it is unusable', async () => {
    await withApi({ seed: [{ appId: APP, users: 3 }] }, async (api) => {
      assert.match(
        await firstLinkWithHost(api, 'users.example.test:8443'),
        /^http:\/\/users\.example\.test:8443\/v1\//,
      );
      assert.ok((await firstLinkWithHost(api, 'evil/path?x')).startsWith(`${api.url}/v1/`));
    });
  });
});

function firstLinkWithHost(api: TestApi, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${api.url}${api.users(APP)}?presence=true`,
      { headers: { host }, timeout: 5_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve(String((JSON.parse(text) as Page).links.first)));
      },
    );
    outgoing.on('error', reject);
    outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
    outgoing.end();
  });
}
