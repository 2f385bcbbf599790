// Self-test of the reference server's robustness (D9, E15): a fuzz-lite run of a few hundred
// odd requests, oversized bodies, and raw HTTP that fetch cannot send (lying Content-Length,
// bad request lines, huge headers). Never a 5xx, never a crash, and the last-resort 500
// handler is never reached (the harness checks its counter when each server closes).
// Run: node --import tsx --test tests/self/reference-server-robustness.test.ts
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import { type Answer, type Call, type TestApi, withApi } from '../../server/self-test-harness.js';

const APP = 'robust';
const FUZZ_REQUESTS = 400;
const FUZZ_BATCH = 20;
const RAW_TIMEOUT_MS = 3_000;

// A small seeded generator, so a failing fuzz case can be replayed.
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Pick = <T>(items: readonly T[]) => T;

const METHODS = ['GET', 'GET', 'POST', 'POST', 'PUT', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'FOO', 'PROPFIND'];
const SEGMENTS = [
  'robust',
  'users',
  'v1',
  '',
  '%',
  '%E0%A4%A',
  '%00',
  '..',
  '.',
  'é',
  '%F0%9F%98%80',
  'a%2Fb',
  'x'.repeat(300),
];
const QUERIES = [
  '',
  '?presence=true',
  '?presence=true&limit=0',
  '?presence=true&limit=-5',
  '?presence=true&limit=abc',
  '?presence=true&limit=100000000000000000000',
  '?presence=true&offset=-1',
  '?presence=true&offset=99999999',
  '?presence=true&cursor=%%%',
  '?presence=&limit=',
  '?presence=true&presence=false',
  '?%ZZ=1',
];
const BODIES: readonly unknown[] = [
  undefined,
  '',
  '{',
  'null',
  '[]',
  '"text"',
  '12',
  '{"username":""}',
  '{"username":{"nested":[1,2,3]}}',
  '{"username":"fuzz","first_name":null}',
  '{"username":"fuzz","__proto__":{"polluted":true}}',
  '{"username":"fuzz","constructor":{"prototype":{"x":1}}}',
  `{"username":"${'\\u0000'.repeat(10)}"}`,
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22]),
  { username: 'fuzz-ok' },
  { username: 'é😀 /?#' },
  { first_name: 'no-username' },
];
const HEADER_SETS: ReadonlyArray<Record<string, string>> = [
  {},
  { 'content-type': 'text/plain' },
  { 'content-type': 'application/x-www-form-urlencoded' },
  { 'content-type': 'application/json; charset=latin1' },
  { authorization: 'Bearer whatever' },
  { 'content-encoding': 'gzip' },
  { accept: 'text/html' },
  { 'x-http-method-override': 'DELETE' },
];

const USERNAME_SEGMENTS = ['user-000001', 'user-000007', 'fuzz-ok', '%C3%A9%F0%9F%98%80%20%2F%3F%23', ...SEGMENTS];

function fuzzPath(pick: Pick): string {
  const shape = pick(['collection', 'collection', 'item', 'item', 'item', 'junk']);
  if (shape === 'collection') return `/v1/${pick([APP, APP, 'other', '%E0%A4%A'])}/users`;
  if (shape === 'item') return `/v1/${pick([APP, APP, 'other'])}/users/${pick(USERNAME_SEGMENTS)}`;
  const depth = pick([0, 1, 2, 3, 4, 5, 6]);
  return `/${Array.from({ length: depth }, () => pick(SEGMENTS)).join('/')}`;
}

function fuzzCall(pick: Pick): { path: string; call: Call } {
  const method = pick(METHODS);
  const body = method === 'GET' || method === 'HEAD' ? undefined : pick(BODIES);
  return { path: `${fuzzPath(pick)}${pick(QUERIES)}`, call: { method, body, headers: { ...pick(HEADER_SETS) } } };
}

function assertWellFormed(answer: Answer, label: string): void {
  assert.ok(answer.status < 500, `${label} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
  if (answer.status === 204 || answer.text === '') return;
  assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8', label);
  assert.notEqual(answer.json, undefined, `${label} sent a body that is not JSON`);
}

async function assertStillServing(api: TestApi): Promise<void> {
  const created = await api.call(api.users(APP), { method: 'POST', body: { username: `alive-${Date.now()}` } });
  assert.ok(created.status === 200 || created.status === 201, `create after the storm: ${created.status}`);
  assert.equal((await api.call(api.users(APP))).status, 200);
}

describe('fuzz-lite', () => {
  for (const mode of ['canonical', 'alternative'] as const) {
    test(`${FUZZ_REQUESTS} odd requests in ${mode} mode: no 5xx, JSON errors, still serving`, async () => {
      await withApi({ mode, apiKey: undefined, seed: [{ appId: APP, users: 30 }] }, async (api) => {
        const random = generator(mode === 'canonical' ? 20261128 : 42);
        const pick: Pick = (items) => items[Math.floor(random() * items.length)] as (typeof items)[number];
        for (let sent = 0; sent < FUZZ_REQUESTS; sent += FUZZ_BATCH) {
          const batch = Array.from({ length: FUZZ_BATCH }, () => fuzzCall(pick));
          const answers = await Promise.all(batch.map(({ path, call }) => api.call(path, call)));
          answers.forEach((answer, n) => {
            const { path, call } = batch[n] as { path: string; call: Call };
            assertWellFormed(answer, `${call.method} ${path}`);
          });
        }
        await assertStillServing(api);
        assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
      });
    });
  }
});

describe('oversized bodies', () => {
  test('a body of exactly maxBodyBytes is read, one byte more is a 413', async () => {
    await withApi({ maxBodyBytes: 1024 }, async (api) => {
      const json = JSON.stringify({ username: 'exact' });
      const exact = json + ' '.repeat(1024 - json.length);
      assert.equal((await api.call(api.users(APP), { method: 'POST', body: exact })).status, 201);
      const over = await api.call(api.users(APP), { method: 'POST', body: `${exact} ` });
      assert.equal(over.status, 413);
      assert.equal((over.json as { code: string }).code, 'body_too_large');
    });
  });

  test('a 1 MiB create (as the kit sends) and a 20 MiB update get 413 without a dropped connection', async () => {
    await withApi({}, async (api) => {
      const big = { username: 'big', avatar: 'x'.repeat(1024 * 1024) };
      assert.equal((await api.call(api.users(APP), { method: 'POST', body: big })).status, 413);
      const huge = Buffer.alloc(20 * 1024 * 1024, 0x20);
      assert.equal((await api.call(api.users(APP, 'big'), { method: 'PUT', body: huge })).status, 413);
      await assertStillServing(api);
    });
  });

  test('a chunked body without Content-Length is cut off at the limit too', async () => {
    await withApi({ maxBodyBytes: 4096 }, async (api) => {
      const chunk = new TextEncoder().encode(' '.repeat(1024));
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 64) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const response = await fetch(`${api.url}${api.users(APP)}`, {
        method: 'POST',
        body,
        duplex: 'half',
        signal: AbortSignal.timeout(RAW_TIMEOUT_MS),
      } as RequestInit);
      assert.equal(response.status, 413);
      await response.body?.cancel();
      await assertStillServing(api);
    });
  });
});

/** Sends raw bytes and collects everything the server sends back until it closes. */
function rawExchange(api: TestApi, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(api.server.port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => socket.destroy(), RAW_TIMEOUT_MS);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on('error', reject);
    socket.end(payload);
  });
}

function statusesOf(raw: string): number[] {
  return [...raw.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => Number(match[1]));
}

describe('raw HTTP', () => {
  const host = 'Host: 127.0.0.1\r\n';
  for (const [label, payload, expected] of [
    [
      'a Content-Length shorter than the body',
      `POST /v1/robust/users HTTP/1.1\r\n${host}Content-Length: 5\r\n\r\n{"username":"liar"}`,
      [400],
    ],
    [
      'a Content-Length longer than the body',
      `POST /v1/robust/users HTTP/1.1\r\n${host}Content-Length: 500\r\n\r\n{"username":"short"}`,
      [400],
    ],
    ['a non-numeric Content-Length', `POST /v1/robust/users HTTP/1.1\r\n${host}Content-Length: abc\r\n\r\n{}`, [400]],
    [
      'both Content-Length and chunked',
      `POST /v1/robust/users HTTP/1.1\r\n${host}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      [400],
    ],
    [
      'Expect: 100-continue',
      `POST /v1/robust/users HTTP/1.1\r\n${host}Expect: 100-continue\r\nContent-Length: 21\r\nConnection: close\r\n\r\n{"username":"expect"}`,
      [100, 201],
    ],
    ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', [400]],
    [
      'headers over the size limit',
      `GET /v1/robust/users HTTP/1.1\r\n${host}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      [431],
    ],
    ['an absolute-form target', `GET http://elsewhere/v1/robust/users HTTP/1.1\r\n${host}\r\n`, [404]],
    ['an asterisk target', `OPTIONS * HTTP/1.1\r\n${host}\r\n`, [404]],
    ['CONNECT', `CONNECT 127.0.0.1:80 HTTP/1.1\r\n${host}\r\n`, [405]],
    [
      'an Upgrade request',
      `GET /v1/robust/users HTTP/1.1\r\n${host}Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
      [200],
    ],
    ['an unknown transfer coding', `POST /v1/robust/users HTTP/1.1\r\n${host}Transfer-Encoding: gzip\r\n\r\n`, [400]],
    ['HTTP/2 prior knowledge', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', [400]],
    ['HTTP/1.0 without a Host header', 'GET /v1/robust/users?presence=true HTTP/1.0\r\n\r\n', [200]],
  ] as const) {
    test(`${label}: ${expected.join(', ')} with JSON, no crash`, async () => {
      await withApi({}, async (api) => {
        const raw = await rawExchange(api, payload);
        assert.deepEqual(statusesOf(raw), expected, raw.slice(0, 400));
        assert.match(raw, /content-type: application\/json; charset=utf-8/i);
        await assertStillServing(api);
      });
    });
  }
});
