// Input classes as data (specs/input-classes.yaml, E30): each class goes into each field through
// create and update, and is refused with a 4xx and no change, or stored and read back exactly.
import type { BodyClass, InputField, ValueClass } from '../../../specs/contract.js';
import type { ApiClient } from '../support/api-client.js';
import { successful } from '../support/checks.js';
import {
  answerOf,
  type ClassCase,
  expectField,
  expectListed,
  fail,
  judgeCases,
  newCase,
  objectBody,
  readLists,
} from '../support/class-cases.js';
import type { Exchange } from '../support/exchange.js';
import {
  bodyClasses,
  classValue,
  expectedReadBack,
  readsBackAs,
  shown,
  valueClassesFor,
} from '../support/input-values.js';
import { forEachConcurrently, mapConcurrently } from '../support/map-concurrently.js';
import { type NameMaker, requirement, test } from '../support/requirement-test.js';
import { ADA } from '../support/user-bodies.js';
import { precondition } from '../support/verdicts.js';

const FIELDS = ['first_name', 'last_name', 'avatar'] as const satisfies readonly InputField[];
type EditableField = (typeof FIELDS)[number];
// Classes in flight at once: each is a few requests in a row.
const CONCURRENCY = 8;

/** What a later update sets, in a field other than the one judged. */
function otherField(field: EditableField): EditableField {
  return field === 'first_name' ? 'last_name' : 'first_name';
}

/** A value case: the row, its value, and the body that carries it. */
interface ValueCase extends ClassCase {
  row: ValueClass;
  value: unknown;
  body: Record<string, unknown>;
}

function valueCase(row: ValueClass, field: EditableField, username: string, base: Record<string, unknown>): ValueCase {
  const value = classValue(row, { bodyOf: (text) => JSON.stringify({ ...base, [field]: text }) });
  return { ...newCase(row, field, username), value, body: { ...base, [field]: value } };
}

/** The views a stored value must read back in, judged against the first one for any-string. */
function valueJudge(kase: ValueCase, field: EditableField) {
  const accepts = readsBackAs(kase.row, kase.value);
  const expected = expectedReadBack(kase.row, kase.value);
  let reference: unknown;
  return (view: string, exchange: Exchange, body: Record<string, unknown> | undefined) => {
    expectField(kase, view, exchange, body, field, (actual) => accepts(actual, reference), expected);
    reference ??= body?.[field];
  };
}

for (const field of FIELDS) {
  test(...requirement('USR-INPUT-CREATE', field), async ({ api, names }) => {
    const cases = valueClassesFor(field).map((row) => {
      const username = names.next('in');
      return valueCase(row, field, username, { username });
    });
    const judges = new Map(cases.map((kase) => [kase, valueJudge(kase, field)]));
    await forEachConcurrently(cases, CONCURRENCY, async (kase) => {
      const created = await api.createUser(kase.body);
      const answer = answerOf(kase, created);
      if (answer === 'refused') return expectNotCreated(api, kase, created);
      if (answer !== 'stored') return;
      if (kase.row.accepted === 'never') return fail(kase, `a 4xx refusal, but it was stored`, created);
      const judge = judges.get(kase) as ReturnType<typeof valueJudge>;
      judge('the create answer', created, objectBody(created));
      const fetched = await api.getUser(kase.username);
      judge('GET', fetched, objectBody(fetched));
    });
    const lists = await readLists(api);
    const stored = cases.filter((kase) => kase.answer === 'stored' && kase.row.accepted !== 'never');
    for (const kase of stored) expectListed(kase, lists, judges.get(kase) as ReturnType<typeof valueJudge>);
    await mapConcurrently(stored, CONCURRENCY, async (kase) => {
      // A later update of another field keeps the value.
      const later = await api.updateUser(kase.username, { [otherField(field)]: 'Later' });
      if (successful(later) === undefined && objectBody(later)) {
        (judges.get(kase) as ReturnType<typeof valueJudge>)('a later update', later, objectBody(later));
      }
    });
    await judgeCases(cases, `create, ${field}`, `each ${field} refused with a 4xx, or stored and read back as sent`);
  });

  test(...requirement('USR-INPUT-UPDATE', field), async ({ api, names }) => {
    const cases = await createEach(
      api,
      valueClassesFor(field).map((row) => valueCase(row, field, names.next('up'), {})),
    );
    const judges = new Map(cases.map((kase) => [kase, valueJudge(kase, field)]));
    await forEachConcurrently(cases, CONCURRENCY, async (kase) => {
      const updated = await api.updateUser(kase.username, kase.body);
      const answer = answerOf(kase, updated);
      if (answer === 'refused') return expectUnchanged(api, kase, updated, []);
      if (answer !== 'stored') return;
      if (kase.row.accepted === 'never') return fail(kase, `a 4xx refusal, but it was stored`, updated);
      const judge = judges.get(kase) as ReturnType<typeof valueJudge>;
      judge('the update answer', updated, objectBody(updated));
      const fetched = await api.getUser(kase.username);
      judge('GET', fetched, objectBody(fetched));
      expectKept(kase, fetched, [field]);
    });
    const lists = await readLists(api);
    for (const kase of cases.filter((each) => each.answer === 'stored')) {
      expectListed(kase, lists, judges.get(kase) as ReturnType<typeof valueJudge>);
    }
    await judgeCases(
      cases,
      `update, ${field}`,
      `each update of ${field} refused with a 4xx and the user unchanged, or stored and read back as sent`,
    );
  });
}

/**
 * Creates each case's user with Ada's fields and gives back the cases whose create worked; a
 * create that failed is the create requirements' finding, and its class goes unjudged here.
 * Skips the test when none could be created.
 */
async function createEach<T extends ClassCase>(api: ApiClient, cases: T[]): Promise<T[]> {
  const created = await mapConcurrently(cases, CONCURRENCY, (kase) =>
    api.createUser({ username: kase.username, ...ADA }),
  );
  const usable = cases.filter((_, at) => successful(created[at] as Exchange) === undefined);
  if (!usable.length) await precondition('the creates of the users to update', created[0] as Exchange, successful);
  return usable;
}

/** A refused create leaves no user of that name. */
async function expectNotCreated(api: ApiClient, kase: ClassCase, refused: Exchange): Promise<void> {
  const fetched = await api.getUser(kase.username);
  if (successful(fetched) === undefined && objectBody(fetched)?.username === kase.username) {
    fail(kase, `a create refused with ${refused.response?.status} still created ${shown(kase.username)}`, fetched);
  }
}

/** The fields other than `changed` still hold Ada's values. */
function expectKept(kase: ClassCase, exchange: Exchange, changed: readonly string[]): void {
  const body = objectBody(exchange);
  for (const name of FIELDS) {
    if (changed.includes(name)) continue;
    expectField(kase, 'GET', exchange, body, name, (actual) => actual === ADA[name], `${shown(ADA[name])}, as before`);
  }
}

/** A refused update changed nothing: GET still shows Ada's fields. */
async function expectUnchanged(
  api: ApiClient,
  kase: ClassCase,
  refused: Exchange,
  changed: readonly string[],
): Promise<void> {
  const fetched = await api.getUser(kase.username);
  if (fetched.response?.status !== 200)
    return fail(kase, `GET after a refused update answered ${fetched.response?.status ?? 'nothing'}`, fetched);
  expectKept(kase, fetched, changed);
  if (kase.findings.length) kase.evidence.unshift(refused);
}

// --- whole bodies -----------------------------------------------------------------------------

interface BodyCase extends ClassCase {
  row: BodyClass;
  text: string;
}

function bodyCase(row: BodyClass, operation: 'create' | 'update', names: NameMaker): BodyCase {
  const username = names.next(operation === 'create' ? 'bdy' : 'bup');
  return { ...newCase(row, 'the body', username), text: row[operation].body.replaceAll('{username}', username) };
}

/** Judges the fields of a stored body case against what its row accepts and what they were before. */
function expectBodyFields(
  kase: BodyCase,
  operation: 'create' | 'update',
  view: string,
  exchange: Exchange,
  before: Record<string, unknown>,
): void {
  const accepted = kase.row[operation].accepted;
  const body = objectBody(exchange);
  for (const name of FIELDS) {
    const allowed = typeof accepted === 'object' ? accepted.oneOf[name] : undefined;
    if (allowed)
      expectField(
        kase,
        view,
        exchange,
        body,
        name,
        (actual) => allowed.includes(actual as string),
        `one of ${allowed.map(shown).join(', ')}`,
      );
    else
      expectField(
        kase,
        view,
        exchange,
        body,
        name,
        (actual) => actual === before[name],
        `${shown(before[name])}, as ${operation === 'create' ? 'a create without it gives' : 'before'}`,
      );
  }
}

test(...requirement('USR-INPUT-CREATE', 'whole bodies'), async ({ api, names }) => {
  // What a create of only a username gives the other fields: the defaults a body must not change.
  const control = names.next('ctl');
  const controlCreated = await api.createUser({ username: control });
  await precondition('the create of a plain username', controlCreated, successful);
  const defaults = objectBody(controlCreated) ?? {};
  const cases = bodyClasses().map((row) => bodyCase(row, 'create', names));
  await forEachConcurrently(cases, CONCURRENCY, async (kase) => {
    api.remember(api.settings.appId, kase.username);
    const created = await api.send('POST', api.usersUrl(), { raw: kase.text, operation: 'createUser' });
    const answer = answerOf(kase, created);
    if (answer === 'refused')
      return kase.text.includes(kase.username) ? expectNotCreated(api, kase, created) : undefined;
    if (answer !== 'stored') return;
    if (kase.row.create.accepted === 'never') return fail(kase, `a 4xx refusal, but it was stored`, created);
    expectBodyFields(kase, 'create', 'the create answer', created, defaults);
    expectBodyFields(kase, 'create', 'GET', await api.getUser(kase.username), defaults);
  });
  await judgeCases(cases, 'create, whole bodies', 'each body refused with a 4xx, or stored as its class allows');
});

test(...requirement('USR-INPUT-UPDATE', 'whole bodies'), async ({ api, names }) => {
  const cases = await createEach(
    api,
    bodyClasses().map((row) => bodyCase(row, 'update', names)),
  );
  await forEachConcurrently(cases, CONCURRENCY, async (kase) => {
    const updated = await api.send('PUT', api.userUrl(kase.username), { raw: kase.text, operation: 'updateUser' });
    const answer = answerOf(kase, updated);
    if (answer === 'refused') return expectUnchanged(api, kase, updated, []);
    if (answer !== 'stored') return;
    if (kase.row.update.accepted === 'never') return fail(kase, `a 4xx refusal, but it was stored`, updated);
    expectBodyFields(kase, 'update', 'the update answer', updated, ADA);
    expectBodyFields(kase, 'update', 'GET', await api.getUser(kase.username), ADA);
  });
  await judgeCases(
    cases,
    'update, whole bodies',
    'each update body refused with a 4xx and the user unchanged, or applied as its class allows',
  );
});
