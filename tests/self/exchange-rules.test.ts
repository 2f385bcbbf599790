// Self-test of the every-exchange rules (tests/conformance/support/exchange-rules.ts): each holds
// for a good answer, and breaks for a bad one, charged to the right requirement.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Exchange } from '../conformance/support/exchange.js';
import { operationOf } from '../conformance/support/exchange-operation.js';
import { EXCHANGE_RULES, judgeExchange, type RuleContext } from '../conformance/support/exchange-rules.js';

const SETTINGS = { apiUrl: 'http://127.0.0.1:4010/prefix', presenceQuery: { name: 'presence', value: 'true' } };
const USERS = `${SETTINGS.apiUrl}/v1/app/users`;

const USER = {
  username: 'ada',
  first_name: 'Ada',
  last_name: 'Lovelace',
  avatar: '',
  created_at: '2026-12-04T10:00:00Z',
  updated_at: '2026-12-04T10:00:00Z',
  last_login_at: null,
  presence_status: 0,
};

function exchange(
  method: string,
  url: string,
  status: number | undefined,
  body?: unknown,
  contentType = 'application/json',
): Exchange {
  const request = { method, url, headers: { accept: 'application/json' } };
  if (status === undefined) return { request, transportError: 'apiRequestContext.fetch: Timeout 10000ms exceeded.' };
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { request, response: { status, contentType, headers: { 'content-type': contentType }, text, json } };
}

function charged(sent: Exchange, operation = operationOf(sent.request.method, sent.request.url, SETTINGS)): string[] {
  const context: RuleContext = { operation, requestTimeoutMs: 10_000 };
  return judgeExchange(sent, context).map((breach) => breach.requirement);
}

describe('which operation a request is', () => {
  test('by method and path under the base, the presence query telling the list forms apart', () => {
    const cases: [string, string, string | undefined][] = [
      ['POST', USERS, 'createUser'],
      ['GET', USERS, 'listUsers'],
      ['GET', `${USERS}?limit=-1`, 'listUsers'],
      ['GET', `${USERS}?presence=true&limit=5`, 'listUsersWithPresence'],
      ['GET', `${USERS}?presence=maybe`, undefined],
      ['GET', `${USERS}/a%2Fb`, 'getUser'],
      ['PUT', `${USERS}/ada`, 'updateUser'],
      ['DELETE', `${USERS}/ada`, 'deleteUser'],
      ['HEAD', `${USERS}/ada`, undefined],
      ['PATCH', `${USERS}/ada`, undefined],
      ['GET', `${USERS}/ada/extra`, undefined],
      ['GET', `${USERS}/%E0%A4%A`, undefined],
      ['GET', `${SETTINGS.apiUrl}/v1//users`, undefined],
      ['GET', 'http://127.0.0.1:4010/v1/app/users', undefined],
      ['GET', `${SETTINGS.apiUrl}/v2/app/users`, undefined],
    ];
    for (const [method, url, expected] of cases)
      assert.equal(operationOf(method, url, SETTINGS), expected, `${method} ${url}`);
  });
});

describe('the exchange rules', () => {
  test('are registered once each, and a conforming exchange of each operation breaks none', () => {
    assert.equal(new Set(EXCHANGE_RULES.map((rule) => rule.name)).size, EXCHANGE_RULES.length);
    const page = {
      count: 1,
      total_count: 1,
      users: [USER],
      links: { current: '/p', previews: null, next: null, first: '/p', last: '/p' },
    };
    for (const sent of [
      exchange('POST', USERS, 201, USER),
      exchange('GET', `${USERS}/ada`, 200, USER),
      exchange('PUT', `${USERS}/ada`, 200, USER),
      exchange('DELETE', `${USERS}/ada`, 204),
      exchange('DELETE', `${USERS}/ada`, 200, { deleted: true }),
      exchange('GET', USERS, 200, [USER]),
      exchange('GET', `${USERS}?presence=true`, 200, page),
      exchange('GET', `${USERS}/nobody`, 404, { code: 'user_not_found' }),
      exchange('OPTIONS', USERS, 501, 'not implemented', 'text/plain'),
    ]) {
      assert.deepEqual(charged(sent), [], `${sent.request.method} ${sent.request.url}`);
    }
  });

  test('a 5xx, whatever the request, is charged to USR-ROBUST-NO-5XX; 501 only for a method outside the contract', () => {
    assert.deepEqual(charged(exchange('POST', USERS, 500, { code: 'internal' })), ['USR-ROBUST-NO-5XX']);
    assert.deepEqual(charged(exchange('FROBNICATE', `${USERS}/x/y`, 503, '')), ['USR-ROBUST-NO-5XX']);
    assert.deepEqual(charged(exchange('PUT', `${USERS}/ada`, 501, {})), ['USR-ROBUST-NO-5XX']);
  });

  test('no answer is charged to USR-ROBUST-ANSWERED, said to be no 5xx', () => {
    const sent = exchange('GET', `${USERS}/ada`, undefined);
    const breaches = judgeExchange(sent, { operation: 'getUser', requestTimeoutMs: 10_000 });
    assert.deepEqual(
      breaches.map((breach) => breach.requirement),
      ['USR-ROBUST-ANSWERED'],
    );
    assert.match(breaches[0]?.expected ?? '', /within the request time-out of 10000 ms.*not a 5xx/);
  });

  test("a success body that is not the declared shape is charged to the operation's shape requirement", () => {
    const { avatar: _avatar, ...withoutAvatar } = USER;
    assert.deepEqual(charged(exchange('POST', USERS, 201, withoutAvatar)), ['USR-CREATE-SHAPE']);
    assert.deepEqual(charged(exchange('GET', `${USERS}/ghost`, 200, {})), ['USR-GET-SHAPE']);
    assert.deepEqual(charged(exchange('PUT', `${USERS}/ada`, 200, { ...USER, presence_status: 'offline' })), [
      'USR-UPDATE-SHAPE',
    ]);
    assert.deepEqual(charged(exchange('GET', USERS, 200, { users: [] })), ['USR-LIST-ARRAY']);
    assert.deepEqual(charged(exchange('GET', USERS, 200, [{ username: 'ada' }])), ['USR-LIST-ITEM-SHAPE']);
    assert.deepEqual(charged(exchange('GET', `${USERS}?presence=true`, 200, { users: [] })), ['USR-PAGE-ENVELOPE']);
  });

  test('a page reached through a link is judged as a page, whatever its URL', () => {
    const sent = exchange('GET', `${SETTINGS.apiUrl}/v1/app/users?cursor=abc`, 200, [USER]);
    assert.deepEqual(charged(sent, 'listUsersWithPresence'), ['USR-PAGE-ENVELOPE']);
  });

  test('page items without their presence, and timestamps not in RFC 3339, break the SHOULDs', () => {
    const page = {
      count: 1,
      total_count: 1,
      users: [{ username: 'ada' }],
      links: { current: null, previews: null, next: null, first: null, last: null },
    };
    assert.deepEqual(charged(exchange('GET', `${USERS}?presence=true`, 200, page)), ['USR-PAGE-ITEM-PRESENCE']);
    const clock = { ...USER, created_at: 'Sat Nov 28 2026 10:00:00' };
    assert.deepEqual(charged(exchange('GET', `${USERS}/ada`, 200, clock)), ['USR-USER-TIMESTAMPS-RFC3339']);
  });

  test('bodies that are not JSON break the JSON SHOULDs, on success and on error', () => {
    assert.deepEqual(charged(exchange('GET', `${USERS}/ada`, 200, USER, 'text/plain')), ['USR-SUCCESS-JSON']);
    assert.deepEqual(charged(exchange('GET', `${USERS}/nobody`, 404, '<h1>Not Found</h1>', 'text/html')), [
      'USR-ERROR-JSON',
    ]);
    // A request that asked for something else is not held to JSON.
    const html = exchange('GET', `${USERS}/ada`, 406, '<h1>Not Acceptable</h1>', 'text/html');
    html.request.headers.accept = 'text/html';
    assert.deepEqual(charged(html), []);
  });
});
