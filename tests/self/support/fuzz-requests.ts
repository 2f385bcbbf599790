// fast-check arbitraries for whole requests: odd paths, queries, headers and methods. Each knows
// which app and user its path names, so what a 2xx did can be followed (user-ledger.ts).
import fc from 'fast-check';
import type { RawRequest } from '../../../bench/send-raw.js';
import { visible } from '../../../bench/visible-text.js';
import { bodyFromSchema, ODD_BODIES } from './fuzz-bodies.js';

/** One generated request, and what its path names. */
export interface FuzzRequest extends RawRequest {
  /** The app and user the path names when it has the route's shape (D1, D2); undefined for junk. */
  readonly about: { readonly appId: string; readonly username?: string } | undefined;
  /** Whether the key header carries the right key, none, or another value (D10). */
  readonly key: 'right' | 'missing' | 'wrong';
  /** The header that carries the key, left out of descriptions when the key is right. */
  readonly keyHeader: string;
}

/** What the generator needs to know of the server under test. */
export interface FuzzTarget {
  /** Apps the paths name; the first is named most often. */
  readonly apps: readonly string[];
  /** Names that already exist or will be reused, so that creates collide and lookups find users. */
  readonly usernames: readonly string[];
  readonly apiKey: string;
  /** Lower-case name of the header that carries the key. */
  readonly apiKeyHeader: string;
}

// Odd usernames, each for a reason.
const ODD_USERNAMES = [
  'a/b', // a slash, which travels as %2F and must not split the path (D2)
  '..', // dot segments as names: URL parsers remove them, so they are refused at create (E3)
  '.',
  '%41', // a literal percent: decoding twice would make it "A"
  'a+b', // plus is a space only in forms
  'with space',
  'é', // NFC and NFD: two names that look alike and must stay two users
  'e\u0301',
  '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}', // a family emoji: astral code points joined by ZWJ
  '\u202eevil', // a right-to-left override
  'nul\u0000byte',
  '__proto__', // JavaScript object keys, for servers that index users by plain objects
  'constructor',
  'hasOwnProperty',
  'x'.repeat(256), // the longest name the reference server takes by default
  'y'.repeat(257), // one more
  'z'.repeat(3000), // a long path segment
];

// Headers beside the key, content type and accept: none most of the time.
const ODD_HEADERS: ReadonlyArray<Record<string, string>> = [
  { 'x-http-method-override': 'DELETE' }, // must not turn a GET into a delete
  { 'content-encoding': 'gzip' }, // claimed, not applied
  { host: 'evil.example' }, // echoed into absolute page links only when plain (page-links.ts)
  { host: 'evil.example/"><x' },
  { 'x-forwarded-host': 'evil.example' },
  { origin: 'http://evil.example' },
];

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/merge-patch+json',
  'APPLICATION/JSON',
  '',
];
const ACCEPTS = ['application/json', 'text/html', 'application/xml', '*/*', 'text/plain;q=0.1', ''];

// Methods no route of the API has; FOO and LINK are refused by node's parser before any route.
const ODD_METHODS = ['PATCH', 'OPTIONS', 'PROPFIND', 'M-SEARCH', 'PURGE', 'TRACE', 'LINK', 'FOO'];

/** One generated request, fast-check's way: shrinkable, and printed short in a counterexample. */
export function fuzzRequest(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  const parts = requestParts(target);
  return fc
    .record({
      route: fc.oneof(
        { weight: 10, arbitrary: collectionRequest(parts) },
        { weight: 14, arbitrary: itemRequest(parts) },
        { weight: 2, arbitrary: junkRequest(parts) },
      ),
      key: keyHeader(target),
      contentType: sometimes(3, fc.constantFrom(...CONTENT_TYPES), 'application/json'),
      accept: sometimes(2, fc.constantFrom(...ACCEPTS), undefined),
      odd: sometimes(1, fc.constantFrom(...ODD_HEADERS), undefined),
    })
    .map(({ route, key, contentType, accept, odd }) => {
      const headers: Record<string, string> = { ...odd, ...key.headers };
      if (route.body !== undefined && contentType !== '') headers['content-type'] = contentType;
      if (accept !== undefined) headers.accept = accept;
      return described({ ...route, headers, key: key.key, keyHeader: target.apiKeyHeader });
    });
}

type Route = Pick<FuzzRequest, 'method' | 'target' | 'body' | 'about'>;

/** `arbitrary` in `tenths` of ten cases, else `usual`, which is also what a counterexample shrinks to. */
function sometimes<T, U>(tenths: number, arbitrary: fc.Arbitrary<T>, usual: U): fc.Arbitrary<T | U> {
  return fc.oneof({ weight: 10 - tenths, arbitrary: fc.constant(usual) }, { weight: tenths, arbitrary });
}

interface Parts {
  readonly app: fc.Arbitrary<string>;
  readonly username: fc.Arbitrary<string>;
  readonly createBody: fc.Arbitrary<string | Buffer>;
  /** Update bodies for the user of the path: a body username is mostly that user's, as clients send it. */
  readonly updateBody: (pathUsername: string) => fc.Arbitrary<string | Buffer>;
  readonly strayBody: fc.Arbitrary<string | Buffer | undefined>;
  readonly encoding: fc.Arbitrary<Encoding>;
}

function requestParts(target: FuzzTarget): Parts {
  const [first, ...others] = target.apps;
  const username = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...target.usernames) },
    { weight: 3, arbitrary: fc.constantFrom(...ODD_USERNAMES) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }) },
  );
  return {
    app:
      others.length === 0
        ? fc.constant(first as string)
        : fc.oneof(
            { weight: 4, arbitrary: fc.constant(first as string) },
            { weight: 2, arbitrary: fc.constantFrom(...others) },
          ),
    username,
    createBody: bodyFromSchema('create-user-body', username),
    updateBody: (pathUsername) =>
      bodyFromSchema(
        'update-user-body',
        fc.oneof({ weight: 3, arbitrary: fc.constant(pathUsername) }, { weight: 1, arbitrary: username }),
      ),
    strayBody: sometimes(1, fc.constantFrom(...ODD_BODIES, '{"username":"stray"}'), undefined),
    encoding: fc.constantFrom<Encoding>('standard', 'standard', 'every-byte', 'every-byte-lower'),
  };
}

function collectionRequest(parts: Parts): fc.Arbitrary<Route> {
  return fc
    .record({
      method: fc.oneof(
        { weight: 5, arbitrary: fc.constant('POST') },
        { weight: 4, arbitrary: fc.constant('GET') },
        { weight: 1, arbitrary: fc.constantFrom('HEAD', 'PUT', 'DELETE', ...ODD_METHODS) },
      ),
      app: parts.app,
      encoding: parts.encoding,
      query: sometimes(4, pageQuery(parts), ''),
      createBody: parts.createBody,
      strayBody: parts.strayBody,
    })
    .map(({ method, app, encoding, query, createBody, strayBody }) => ({
      method,
      target: `/v1/${encode(app, encoding)}/users${query}`,
      body: method === 'POST' ? createBody : method === 'HEAD' ? undefined : strayBody,
      about: { appId: app },
    }));
}

function itemRequest(parts: Parts): fc.Arbitrary<Route> {
  return fc
    .record({
      method: fc.oneof(
        { weight: 4, arbitrary: fc.constant('GET') },
        { weight: 4, arbitrary: fc.constant('PUT') },
        { weight: 3, arbitrary: fc.constant('DELETE') },
        { weight: 1, arbitrary: fc.constantFrom('HEAD', 'POST', ...ODD_METHODS) },
      ),
      app: parts.app,
      username: parts.username,
      encoding: parts.encoding,
      query: sometimes(1, fc.constantFrom('?presence=true', '?limit=abc', '?%ZZ', `?x=${'y'.repeat(2_000)}`), ''),
      strayBody: parts.strayBody,
    })
    .chain(({ method, app, username, encoding, query, strayBody }) => {
      const route = (body: string | Buffer | undefined): Route => ({
        method,
        target: `/v1/${encode(app, encoding)}/users/${encode(username, encoding)}${query}`,
        body: method === 'HEAD' ? undefined : body,
        about: { appId: app, username },
      });
      return method === 'PUT' || method === 'PATCH'
        ? parts.updateBody(username).map(route)
        : fc.constant(route(strayBody));
    });
}

// Junk paths never have the route's shape `/v1/{app}/users[/{name}]` with decodable segments,
// so no server may change a user for them; each family is a way paths go wrong.
function junkRequest(parts: Parts): fc.Arbitrary<Route> {
  const shaped = fc
    .record({ app: parts.app, username: parts.username, encoding: parts.encoding })
    .chain(({ app, username, encoding }) => {
      const a = encode(app, encoding);
      const n = encode(username, encoding);
      return fc.constantFrom(
        `/v1/${a}/users/${n}/extra`, // one segment too many
        `/v1/${a}/users/`, // an empty name
        `/v1/${a}/users/${n}/`,
        `/v1/${a}/Users`, // paths are case-sensitive
        `/V1/${a}/users`,
        `/v2/${a}/users`,
        `/v1/${a}/users%2F${n}`, // an encoded slash does not separate segments
        `/v1/${a}/../${a}/users`, // dot segments, sent as they are
        `/v1/${a}/users/../users`,
        `/v1/./${a}/users`,
        `//v1/${a}/users`,
        '/v1//users', // an empty app
        `/v1/${a}`,
        '/v1',
        '/',
        `/v1/${a}/users/%`, // escapes that do not decode
        `/v1/${a}/users/%ZZ`,
        '/v1/%E0%A4%A/users',
        `/v1/${a}/users/%C0%AF`, // an overlong UTF-8 encoding of "/"
        `/${'x'.repeat(8_000)}`,
      );
    });
  const random = fc
    .tuple(
      fc.constantFrom('', 'api', 'V1', 'v1.0', '..', '%2e%2e', 'users', '%00', 'x'.repeat(300)),
      fc.array(
        fc.oneof(parts.app, parts.username).map((text) => encode(text, 'standard')),
        { maxLength: 5 },
      ),
    )
    .map(([root, rest]) => `/${[root, ...rest].join('/')}`);
  return fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', ...ODD_METHODS),
      target: fc.oneof(shaped, random),
      body: sometimes(5, parts.createBody, undefined),
    })
    .map(({ method, target, body }) => ({
      method,
      target,
      body: method === 'HEAD' ? undefined : body,
      about: undefined,
    }));
}

function keyHeader(target: FuzzTarget): fc.Arbitrary<{ key: FuzzRequest['key']; headers: Record<string, string> }> {
  const header = target.apiKeyHeader;
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant({ key: 'right' as const, headers: { [header]: target.apiKey } }) },
    { weight: 1, arbitrary: fc.constant({ key: 'missing' as const, headers: {} }) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('Bearer wrong', '', target.apiKey.toUpperCase(), `${target.apiKey}x`, target.apiKey.slice(0, -1))
        .filter((value) => value !== target.apiKey)
        .map((value) => ({ key: 'wrong' as const, headers: { [header]: value } })),
    },
  );
}

// Pagination queries with junk: the presence switch, sizes and positions of every kind (D3, D4).
function pageQuery(parts: Parts): fc.Arbitrary<string> {
  const name = fc.constantFrom(
    'presence',
    'presence',
    'limit',
    'limit',
    'offset',
    'cursor',
    'page',
    '%ZZ',
    'presence[]',
    '',
  );
  const value = fc.oneof(
    fc.constantFrom('true', 'false', '0', '1', '', 'TRUE', 'yes', '-5', 'abc', '1e3', '100000000000000000000'),
    fc.constantFrom('20', '101', '5.5', '0x10', '+5', '%205', '%', '%%', '%ZZ', '%E0%A4%A', '%00'),
    fc.nat({ max: 200 }).map(String),
    fc.string().map(encodeURIComponent),
    // Cursors: base64url JSON, some shaped like the reference server's own.
    fc.jsonValue().map((json) => Buffer.from(JSON.stringify(json) ?? 'null').toString('base64url')),
    fc
      .record({ u: parts.username, s: fc.integer() })
      .map((cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url')),
  );
  return fc
    .array(fc.tuple(name, value), { minLength: 1, maxLength: 4 })
    .map((pairs) => `?${pairs.map(([key, text]) => `${key}=${text}`).join('&')}`);
}

// --- Paths -------------------------------------------------------------------------------------

type Encoding = 'standard' | 'every-byte' | 'every-byte-lower';

/** Percent-encodes a path segment: as encodeURIComponent does, or every UTF-8 byte (which must decode the same). */
function encode(text: string, encoding: Encoding): string {
  // encodeURIComponent throws on a lone surrogate; its UTF-8 bytes (with U+FFFD in its place) name another user.
  if (encoding === 'standard' && !/\p{Cs}/u.test(text)) return encodeURIComponent(text);
  const hex = [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
  return encoding === 'every-byte' ? hex.toUpperCase() : hex;
}

// --- Printing ----------------------------------------------------------------------------------

/** A request with a short description, which fast-check prints in a counterexample. */
function described(request: FuzzRequest): FuzzRequest {
  return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
}

/** The request in one line: method, target, the key, the headers that matter, the body. */
export function describeRequest(request: FuzzRequest): string {
  const headers = Object.entries(request.headers)
    .filter(([name]) => request.key !== 'right' || name !== request.keyHeader)
    .map(([name, value]) => `${name}: ${visible(value)}`);
  const body = request.body === undefined ? 'no body' : `body ${visible(bodyText(request.body))}`;
  return `${request.method} ${visible(request.target)} (${[`key ${request.key}`, ...headers, body].join('; ')})`;
}

/** The body as text, bytes that are not UTF-8 shown escaped. */
export function bodyText(body: string | Buffer): string {
  return typeof body === 'string' ? body : `<bytes ${body.toString('hex')}>`;
}
