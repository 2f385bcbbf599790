// Self-test of the reference server's robustness (D9, E15) where generated requests cannot reach:
// bodies at the size limit, raw HTTP no client sends. Never a 5xx, a crash or the last-resort 500.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import { type TestApi, withApi } from './support/reference-server-harness.js';

const APP = 'robust';
const RAW_TIMEOUT_MS = 3_000;

async function assertStillServing(api: TestApi): Promise<void> {
  const created = await api.call(api.users(APP), { method: 'POST', body: { username: `alive-${Date.now()}` } });
  assert.ok(created.status === 200 || created.status === 201, `create after the storm: ${created.status}`);
  assert.equal((await api.call(api.users(APP))).status, 200);
}

const PIECE_BYTES = 256 * 1024;

/**
 * POSTs the body in pieces a few milliseconds apart, as a client streaming a file does, so the
 * server answers while the client is still sending; resolves with the status, or the error.
 */
function postSlowly(url: string, body: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const sending = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(String(response.statusCode)));
    });
    sending.setTimeout(RAW_TIMEOUT_MS * 3, () => sending.destroy(new Error('timed out')));
    sending.on('error', (error) => resolve(error.message));
    let at = 0;
    const next = () => {
      if (at >= body.length) return void sending.end();
      sending.write(body.subarray(at, at + PIECE_BYTES));
      at += PIECE_BYTES;
      setTimeout(next, 2);
    };
    next();
  });
}

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

  test('50 bodies of 2 MB sent in pieces by a plain client each read a 413, never a reset', async () => {
    await withApi({}, async (api) => {
      const body = Buffer.alloc(2 * 1024 * 1024, 0x61);
      const statuses = await Promise.all(
        Array.from({ length: 50 }, () => postSlowly(`${api.url}${api.users(APP)}`, body)),
      );
      assert.deepEqual(statuses, Array(50).fill('413'));
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
