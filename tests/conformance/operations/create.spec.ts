// Create User: POST /v1/{appId}/users (D5, D6).
import type { ApiClient } from '../support/api-client.js';
import {
  bodyIsArray,
  type Check,
  clientError,
  doesNotShowUser,
  matchesSchema,
  properties,
  property,
  showsUser,
  statusIs,
  successful,
} from '../support/checks.js';
import type { Exchange } from '../support/exchange.js';
import { verifyHeldOnceInPages } from '../support/name-holders.js';
import { type NameMaker, requirement, test } from '../support/requirement-test.js';
import { listedUsernames } from '../support/sweep.js';
import { precondition, verify, verifyThat, violation } from '../support/verdicts.js';

test(...requirement('USR-CREATE-SUCCESS'), async ({ api, names }) => {
  const username = names.next();
  await verify(
    await api.createUser({ username, first_name: 'Ada', last_name: 'Lovelace', avatar: 'https://example.com/a.png' }),
    successful,
    property('username', username),
  );
});

test(...requirement('USR-CREATE-STATUS-201'), async ({ api, names }) => {
  await verify(await api.createUser({ username: names.next() }), statusIs(201));
});

test(...requirement('USR-CREATE-SHAPE'), async ({ api, names }) => {
  const created = await api.createUser({ username: names.next(), first_name: 'Ada' });
  await precondition('the create', created, successful);
  await verify(created, matchesSchema('user'));
});

test(...requirement('USR-CREATE-ECHO'), async ({ api, names }) => {
  const sent = {
    username: names.next(),
    first_name: 'Grace',
    last_name: 'Hopper',
    // Any string is an avatar (E27); this one is a URL, as the document's description suggests.
    avatar: 'https://example.com/avatars/grace.png',
  };
  const created = await api.createUser(sent);
  await precondition('the create', created, successful);
  await verify(created, properties(sent));
});

test(...requirement('USR-CREATE-USERNAME-ONLY'), async ({ api, names }) => {
  await verify(await api.createUser({ username: names.next('bare') }), successful);
});

test(...requirement('USR-CREATE-PRESENCE-OFFLINE'), async ({ api, names }) => {
  const created = await api.createUser({ username: names.next() });
  await precondition('the create', created, successful);
  await verify(created, property('presence_status', 0));
});

// --- Duplicates and uniqueness (D5) ---------------------------------------------------------

test(...requirement('USR-CREATE-DUPLICATE'), async ({ api, names }) => {
  const username = names.next('taken');
  await precondition('the first create', await api.createUser({ username }), successful);
  await verify(await api.createUser({ username }), clientError);
});

test(...requirement('USR-CREATE-DUPLICATE-409'), async ({ api, names }) => {
  const username = names.next('taken');
  await precondition('the first create', await api.createUser({ username }), successful);
  await verify(await api.createUser({ username }), statusIs(409));
});

test(...requirement('USR-CREATE-DUPLICATE-KEEPS-FIRST'), async ({ api, names }) => {
  const username = names.next('taken');
  const first = { username, first_name: 'First', last_name: 'Original', avatar: 'https://example.com/first.png' };
  await precondition('the first create', await api.createUser(first), successful);
  const before = await api.getUser(username);
  await precondition('the GET of the first user', before, showsUser(username));
  // Every field differs from the first user's, so any of them leaking through is seen.
  await api.createUser({ username, first_name: 'Second', last_name: 'Impostor', avatar: 'https://example.com/2.png' });
  const after = await api.getUser(username);
  const kept = pick(before, ['username', 'first_name', 'last_name', 'avatar', 'created_at', 'updated_at']);
  await verify(after, showsUser(username), properties(kept));
});

test(...requirement('USR-CREATE-CONCURRENT-UNIQUE'), async ({ api, names, settings }) => {
  // A create before the race, so a server whose create is broken is not judged on concurrency.
  const warmup = names.next('warm');
  await precondition('a create of another name', await api.createUser({ username: warmup }), successful);
  const racers = 24;
  // As many simultaneous reads first, so every racer finds an open connection and none starts
  // late behind a TCP handshake while an early one has already won.
  await Promise.all(Array.from({ length: racers }, () => api.getUser(warmup)));
  const username = names.next('race');
  const answers = await Promise.all(
    Array.from({ length: racers }, (_, index) => api.createUser({ username, first_name: `Racer ${index}` })),
  );
  const winners = answers.filter((answer) => successful(answer) === undefined);
  await verifyThat(
    winners.length === 1,
    `exactly one of ${racers} simultaneous creates of ${JSON.stringify(username)} to succeed, ` +
      `but ${winners.length} answered 2xx (statuses: ${statusSummary(answers)})`,
    winners.length > 1 ? winners.slice(0, 3) : answers.slice(0, 1),
  );
  const listed = await api.listUsers();
  await precondition('Get Users', listed, statusIs(200), bodyIsArray);
  const inArray = (listedUsernames(listed) ?? []).filter((name) => name === username).length;
  await verifyThat(
    inArray <= 1,
    `${JSON.stringify(username)} listed once after one create succeeded, found ${inArray} times in the array`,
    [listed],
  );
  // An array that leaves the name out is USR-LIST-HOLDS-CREATED's failure; the pages still count.
  if (inArray === 0) await verifyHeldOnceInPages(api, username, settings.pageBudget, 'one create made', [listed]);
});

// --- Invalid bodies (D5) --------------------------------------------------------------------

/** One create body the contract refuses, and what it carries that a wrongly created user would show. */
interface InvalidCreate {
  /** What is wrong with the body, for the failure message. */
  what: string;
  /** Sent as JSON, or byte for byte when `raw`. */
  body: { json: unknown } | { raw: string };
  /** A prefixed username the body carries, whose lookup must not show a user afterwards. */
  name?: string;
  /** A unique first_name the body carries, which no listed user may show afterwards. */
  marker?: string;
}

/** Bodies without a username key. */
function missingUsername(names: NameMaker): InvalidCreate[] {
  const marker = names.next('mark');
  return [
    // Only the optional fields: the required key is absent.
    { what: 'no username', body: { json: { first_name: marker, last_name: 'Nameless' } }, marker },
  ];
}

/** Bodies whose username is the empty string. */
function emptyUsername(names: NameMaker): InvalidCreate[] {
  const marker = names.next('mark');
  return [
    // Present and a string, but not a name.
    { what: 'username ""', body: { json: { username: '', first_name: marker } }, marker },
  ];
}

/** Bodies whose username is not a string. */
function nonStringUsernames(names: NameMaker): InvalidCreate[] {
  const cases: InvalidCreate[] = [];
  const add = (what: string, username: (name: string) => unknown) => {
    const name = names.next('typed');
    const marker = names.next('mark');
    cases.push({ what, body: { json: { username: username(name), first_name: marker } }, name, marker });
  };
  // A number, which a lax server coerces to the string "42".
  add('username 42', () => 42);
  // A boolean, which a lax server coerces to "true".
  add('username true', () => true);
  // null, which a lax server reads as "no name given" and fills in.
  add('username null', () => null);
  // An array holding a valid name, which a lax server unwraps or joins into that name.
  add('username ["<name>"]', (name) => [name]);
  // An object holding a valid name, which a lax server digs the name out of.
  add('username {"value": "<name>"}', (name) => ({ value: name }));
  return cases;
}

/** JSON bodies that are not objects. */
function nonObjectBodies(names: NameMaker): InvalidCreate[] {
  const batchName = names.next('batch');
  const batchMarker = names.next('mark');
  const bareName = names.next('bare');
  return [
    // An array wrapping a valid user: a batch create the API does not offer.
    {
      what: 'an array body',
      body: { json: [{ username: batchName, first_name: batchMarker }] },
      name: batchName,
      marker: batchMarker,
    },
    // A bare string that is a valid username, which a lax server takes as the name.
    { what: 'a string body', body: { json: bareName }, name: bareName },
    // A bare number.
    { what: 'a number body', body: { json: 42 } },
    // JSON null, which a lax server reads as "no body" and then as an empty object.
    { what: 'a null body', body: { json: null } },
  ];
}

/** Bodies that are not JSON at all. */
function malformedBodies(names: NameMaker): InvalidCreate[] {
  const cases: InvalidCreate[] = [];
  const add = (what: string, raw: (name: string, marker: string) => string) => {
    const name = names.next('malf');
    const marker = names.next('mark');
    cases.push({ what, body: { raw: raw(name, marker) }, name, marker });
  };
  // Truncated: the closing brace never came.
  add('truncated JSON', (name, marker) => `{"username":"${name}","first_name":"${marker}"`);
  // A trailing comma, which JSON5 and other lax parsers accept.
  add('a trailing comma', (name, marker) => `{"username":"${name}","first_name":"${marker}",}`);
  // Single quotes, which JavaScript accepts and JSON does not.
  add('single quotes', (name, marker) => `{'username':'${name}','first_name':'${marker}'}`);
  // Unquoted keys, a JavaScript object literal rather than JSON.
  add('unquoted keys', (name, marker) => `{username:"${name}",first_name:"${marker}"}`);
  // An empty body announced as JSON, which a lax server reads as {}.
  cases.push({ what: 'an empty body', body: { raw: '' } });
  return cases;
}

function sendInvalid(api: ApiClient, invalid: InvalidCreate): Promise<Exchange> {
  return api.send('POST', api.usersUrl(), invalid.body);
}

/** Remembers, for deletion (D12), a user that a create which should have been refused made anyway. */
function rememberIfCreated(api: ApiClient, exchange: Exchange): void {
  const created = (exchange.response?.json as Record<string, unknown> | undefined)?.username;
  if (successful(exchange) === undefined && typeof created === 'string' && created) {
    api.remember(api.settings.appId, created);
  }
}

/**
 * Sends every invalid body and fails once, listing each one that was not refused with `refusal`,
 * and (when `nothingCreated`) each one after which a user shows up: its name answers GET with
 * that user, or a listed user carries its unique first_name.
 */
async function judgeInvalidCreates(
  api: ApiClient,
  cases: InvalidCreate[],
  refusal: Check,
  nothingCreated: boolean,
): Promise<void> {
  const sent = await Promise.all(cases.map((invalid) => sendInvalid(api, invalid)));
  const lines: string[] = [];
  const exchanges: Exchange[] = [];
  sent.forEach((exchange, index) => {
    rememberIfCreated(api, exchange);
    const finding = refusal(exchange);
    if (finding) {
      lines.push(`${cases[index]?.what}: ${finding}`);
      exchanges.push(exchange);
    }
  });
  if (nothingCreated) {
    const named = cases.filter((invalid) => invalid.name !== undefined);
    const lookups = await Promise.all(named.map((invalid) => api.getUser(invalid.name as string)));
    lookups.forEach((lookup, index) => {
      const invalid = named[index] as InvalidCreate;
      const finding = doesNotShowUser(invalid.name as string)(lookup);
      if (finding) {
        api.remember(api.settings.appId, invalid.name as string);
        lines.push(`${invalid.what}: nothing created, ${finding}`);
        exchanges.push(lookup);
      }
    });
    const markers = cases.filter((invalid) => invalid.marker !== undefined);
    if (markers.length) {
      // One look at the array catches a user created under a name the test cannot guess.
      const listed = await api.listUsers();
      const items = Array.isArray(listed.response?.json) ? (listed.response.json as Record<string, unknown>[]) : [];
      for (const invalid of markers) {
        const found = items.find((item) => item?.first_name === invalid.marker);
        if (!found) continue;
        if (typeof found.username === 'string') api.remember(api.settings.appId, found.username);
        lines.push(
          `${invalid.what}: nothing created, but Get Users lists ${JSON.stringify(found.username)} carrying the body's first_name`,
        );
        exchanges.push(listed);
      }
    }
  }
  if (lines.length) await violation(lines.join('\n           '), exchanges);
}

test(...requirement('USR-CREATE-USERNAME-MISSING'), async ({ api, names }) => {
  await judgeInvalidCreates(api, missingUsername(names), clientError, true);
});

test(...requirement('USR-CREATE-USERNAME-EMPTY'), async ({ api, names }) => {
  await judgeInvalidCreates(api, emptyUsername(names), clientError, true);
});

test(...requirement('USR-CREATE-USERNAME-NOT-STRING'), async ({ api, names }) => {
  await judgeInvalidCreates(api, nonStringUsernames(names), clientError, true);
});

test(...requirement('USR-CREATE-BODY-NOT-OBJECT'), async ({ api, names }) => {
  await judgeInvalidCreates(api, nonObjectBodies(names), clientError, true);
});

test(...requirement('USR-CREATE-MALFORMED-JSON'), async ({ api, names }) => {
  await judgeInvalidCreates(api, malformedBodies(names), clientError, true);
});

test(...requirement('USR-CREATE-INVALID-400'), async ({ api, names }) => {
  const cases = [
    ...missingUsername(names),
    ...emptyUsername(names),
    ...nonStringUsernames(names),
    ...nonObjectBodies(names),
    ...malformedBodies(names),
  ];
  await judgeInvalidCreates(api, cases, statusIs(400), false);
});

test(...requirement('USR-CREATE-FIELD-TYPES'), async ({ api, names }) => {
  const cases: { what: string; body: Record<string, unknown> }[] = [
    // A number, which a lax server stores as the string "42".
    { what: 'first_name 42', body: { username: names.next('typed'), first_name: 42 } },
    // A boolean.
    { what: 'last_name true', body: { username: names.next('typed'), last_name: true } },
    // An object, as a client that models the avatar as a resource might send it.
    {
      what: 'avatar {"url": …}',
      body: { username: names.next('typed'), avatar: { url: 'https://example.com/a.png' } },
    },
    // An array of names.
    { what: 'first_name ["Ada"]', body: { username: names.next('typed'), first_name: ['Ada'] } },
    // null is not here: a server may read it as "not given" (E14); the input classes judge it.
  ];
  const sent = await Promise.all(cases.map((entry) => api.createUser(entry.body)));
  const failed = sent.flatMap((exchange, index) => {
    const finding = clientError(exchange);
    return finding ? [{ line: `${cases[index]?.what}: ${finding}`, exchange }] : [];
  });
  if (failed.length) {
    await violation(
      failed.map((entry) => entry.line).join('\n           '),
      failed.map((entry) => entry.exchange),
    );
  }
});

test(...requirement('USR-CREATE-EXTRA-KEYS'), async ({ api, names }) => {
  const username = names.next('extra');
  // Keys no version of the document names (not even the example's role and status).
  const created = await api.createUser({ username, first_name: 'Ada', favourite_colour: 'teal', x_kit_probe: 1 });
  await verify(created, ignoredOrRejected);
  if (created.response?.status === 400) {
    // Rejected means not created.
    await verify(await api.getUser(username), doesNotShowUser(username));
  }
});

// --- Local helpers ---------------------------------------------------------------------------

/** D5's two answers to unknown body keys: ignored (any 2xx) or rejected with exactly 400. */
const ignoredOrRejected: Check = (exchange) => {
  const status = exchange.response?.status;
  if (status === 400 || successful(exchange) === undefined) return undefined;
  return `a 2xx (unknown keys ignored) or 400 (unknown keys rejected), got ${status ?? `no HTTP answer (${exchange.transportError})`}`;
};

/** The named properties of a JSON body, to compare a later answer with. */
function pick(exchange: Exchange, keys: string[]): Record<string, unknown> {
  const json = (exchange.response?.json ?? {}) as Record<string, unknown>;
  return Object.fromEntries(keys.filter((key) => key in json).map((key) => [key, json[key]]));
}

/** Statuses counted, e.g. `201 ×1, 409 ×23`. */
function statusSummary(exchanges: Exchange[]): string {
  const counts = new Map<string, number>();
  for (const exchange of exchanges) {
    const key = exchange.response ? String(exchange.response.status) : 'no answer';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([status, count]) => `${status} ×${count}`).join(', ');
}
