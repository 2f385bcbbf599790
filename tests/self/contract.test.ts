// Self-tests of the contract layer: schemas compile, the document's examples pass them (repaired
// only per ERRATA), the catalog is consistent, and the schemas stay derived from the document.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { type BodyClass, contract, type InputField, specsDir, type ValueClass } from '../../specs/contract.js';
import { classUsername, classValue } from '../conformance/support/input-values.js';

const documentText = readFileSync(`${specsDir}users-api.md`, 'utf8');

/** The text of a `## Heading ##` section of the document, up to the next `## ` heading. */
function section(heading: string): string {
  const start = documentText.indexOf(`## ${heading} ##`);
  assert.ok(start >= 0, `users-api.md has no section "${heading}"`);
  const end = documentText.indexOf('\n## ', start + 1);
  return documentText.slice(start, end < 0 ? undefined : end);
}

/** The first fenced code block of a section, as the document publishes it. */
function exampleOf(heading: string): string {
  const match = /```\n([\s\S]*?)```/.exec(section(heading));
  assert.ok(match?.[1], `section "${heading}" has no example`);
  return match[1];
}

/** Rows of a Markdown table that starts under the given `### Heading ###` of a section. */
function tableRows(sectionText: string, tableHeading: string): string[][] {
  const start = sectionText.indexOf(`### ${tableHeading} ###`);
  assert.ok(start >= 0, `no table "${tableHeading}"`);
  const rows: string[][] = [];
  for (const line of sectionText.slice(start).split('\n').slice(1)) {
    if (!line.startsWith('|')) {
      if (rows.length) break;
      continue;
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    if (cells[0] === 'Property name' || cells[0] === 'Parameter') continue;
    rows.push(cells);
  }
  return rows;
}

function parsedExamples() {
  return {
    // E7: Create User's example lacks its opening brace; that is the only repair.
    created: JSON.parse(`{${exampleOf('Create User').trimStart()}`) as Record<string, unknown>,
    fetched: JSON.parse(exampleOf('Get User')) as Record<string, unknown>,
    listed: JSON.parse(exampleOf('Get Users')) as unknown[],
    page: JSON.parse(exampleOf('Get Users with Presense')) as Record<string, unknown>,
  };
}

describe('schemas', () => {
  test('every schema in schemas/ compiles, with and without format checks', () => {
    const names = contract().schemaNames;
    for (const expected of ['user', 'user-list-item', 'user-list', 'users-page', 'create-user-body', 'error']) {
      assert.ok(names.includes(expected), `schemas/${expected}.schema.json is missing`);
    }
    for (const name of names) {
      assert.doesNotThrow(() => contract().validate(name, {}));
      assert.doesNotThrow(() => contract().validateWithFormats(name, {}));
    }
  });

  test("the document's examples validate against the schemas they illustrate", () => {
    const { created, fetched, listed, page } = parsedExamples();
    for (const [name, data] of [
      ['user', created],
      ['user', fetched],
      ['user-list', listed],
      ['users-page', page],
    ] as const) {
      const result = contract().validate(name, data);
      assert.deepEqual(result.errors, [], `the document's ${name} example fails ${name}.schema.json`);
    }
  });

  const brokenCases: [string, string, (examples: ReturnType<typeof parsedExamples>) => unknown, RegExp][] = [
    [
      'a user without avatar',
      'user',
      ({ fetched }) => ({ ...fetched, avatar: undefined }),
      /must have required property 'avatar'/,
    ],
    [
      'presence_status as a string',
      'user',
      ({ fetched }) => ({ ...fetched, presence_status: 'offline' }),
      /\/presence_status: must be integer/,
    ],
    [
      'previous in place of previews',
      'users-page',
      ({ page }) => renameLink(page, 'previews', 'previous'),
      /additionalProperty: previous/,
    ],
    ['count as a string', 'users-page', ({ page }) => ({ ...page, count: '0' }), /\/count: must be integer/],
    [
      'an array item without username',
      'user-list',
      ({ listed }) => [{ ...(listed[0] as object), username: undefined }],
      /\/0: must have required property 'username'/,
    ],
  ];
  for (const [label, schemaName, breakIt, expected] of brokenCases) {
    test(`${label} is rejected with a readable error`, () => {
      const broken = JSON.parse(JSON.stringify(breakIt(parsedExamples())));
      const result = contract().validate(schemaName, broken);
      assert.equal(result.valid, false);
      assert.match(result.errors.join('\n'), expected);
    });
  }

  test('format checks are separate from shape checks: a non-RFC 3339 timestamp fails only the former', () => {
    const user = { ...parsedExamples().fetched, created_at: 'yesterday', updated_at: 'today', last_login_at: null };
    assert.equal(contract().validate('user', user).valid, true);
    assert.match(
      contract().validateWithFormats('user', user).errors.join('\n'),
      /\/created_at: must match format "date-time"/,
    );
  });
});

function renameLink(page: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  const links = { ...(page.links as Record<string, unknown>) };
  links[to] = links[from];
  delete links[from];
  return { ...page, links };
}

describe('requirement catalog', () => {
  const decisions = new Set(
    [...readFileSync(`${specsDir}contract-decisions.md`, 'utf8').matchAll(/^## (D\d+) /gm)].map((m) => m[1] ?? ''),
  );
  const errata = new Set(
    [...readFileSync(`${specsDir}ERRATA.md`, 'utf8').matchAll(/^## (E\d+) /gm)].map((m) => m[1] ?? ''),
  );

  test('holds 40 to 80 requirements with unique IDs', () => {
    const ids = contract().requirements.map((requirement) => requirement.id);
    assert.ok(ids.length >= 40 && ids.length <= 80, `${ids.length} requirements`);
    assert.deepEqual(
      ids.filter((id, index) => ids.indexOf(id) !== index),
      [],
    );
  });

  test('every requirement rests on a decision and an ERRATA entry that exist', () => {
    for (const requirement of contract().requirements) {
      assert.ok(decisions.has(requirement.decision), `${requirement.id}: no decision ${requirement.decision}`);
      if (requirement.errata)
        assert.ok(errata.has(requirement.errata), `${requirement.id}: no ERRATA ${requirement.errata}`);
    }
  });

  test('covers all six operations and every decision D1 to D12', () => {
    const operations = new Set(contract().requirements.map((requirement) => requirement.operation));
    for (const operation of [
      'createUser',
      'getUser',
      'listUsers',
      'listUsersWithPresence',
      'updateUser',
      'deleteUser',
    ]) {
      assert.ok(operations.has(operation), `no requirement for ${operation}`);
    }
    const cited = new Set(contract().requirements.map((requirement) => requirement.decision));
    assert.deepEqual(
      [...decisions].filter((decision) => !cited.has(decision)),
      [],
    );
  });

  test("quotes are the document's own words", () => {
    const flat = documentText.replace(/\s+/g, ' ');
    for (const requirement of contract().requirements) {
      if (requirement.quote)
        assert.ok(flat.includes(requirement.quote), `${requirement.id}: "${requirement.quote}" is not in users-api.md`);
    }
  });
});

describe('schemas stay derived from the document', () => {
  const JSON_TYPE_OF_DOCUMENTED: Record<string, string> = { string: 'string', int: 'integer' };
  // The decisions' deviations from the document's tables, in one place: schema name and
  // property, the JSON type the schema gives instead, and the decision behind it.
  const DEVIATIONS: Record<string, { type: string[]; basis: string }> = {
    'user.last_login_at': { type: ['string', 'null'], basis: 'D6: null for a user who has never logged in' },
  };

  function schemaProperty(schemaName: string, property: string): { type?: string | string[]; description?: string } {
    // The schema file itself, not a resolved copy: the property must be declared there.
    const schema = JSON.parse(
      readFileSync(new URL(`../../schemas/${schemaName}.schema.json`, import.meta.url), 'utf8'),
    );
    return schema.properties?.[property] ?? {};
  }

  const tables: [string, string, string][] = [
    ['API Requests', 'Users Properties', 'user'],
    ['Create User', 'Parameters', 'create-user-body'],
  ];
  for (const [sectionHeading, tableHeading, schemaName] of tables) {
    test(`every row of "${tableHeading}" is in ${schemaName}.schema.json with its documented type and description`, () => {
      const rows = tableRows(section(sectionHeading), tableHeading);
      assert.ok(rows.length >= 4, `the "${tableHeading}" table was not found whole`);
      for (const [rawName = '', documentedType = '', description = ''] of rows) {
        const name = rawName.replaceAll('"', ''); // The Parameters table quotes some names (E20).
        const property = schemaProperty(schemaName, name);
        const deviation = DEVIATIONS[`${schemaName}.${name}`];
        const expectedType = deviation ? deviation.type : JSON_TYPE_OF_DOCUMENTED[documentedType];
        assert.ok(expectedType, `${name}: the document's type "${documentedType}" has no JSON type mapping`);
        assert.deepEqual(
          property.type,
          expectedType,
          `${schemaName}.${name} has type ${JSON.stringify(property.type)}`,
        );
        assert.ok(
          property.description?.startsWith(description),
          `${schemaName}.${name}'s description does not start with "${description}"`,
        );
      }
    });
  }
});

describe('input classes', () => {
  const rows = () => contract().inputClasses;
  const valueRows = () => rows().filter((row): row is ValueClass => 'fields' in row);
  const STEM = 'k0000000000nm';
  const valuesOf = (field: InputField) =>
    valueRows()
      .filter((row) => row.fields.includes(field))
      .map((row) => (field === 'username' ? classUsername(row, STEM) : classValue(row)));

  test('specs/input-classes.yaml matches its schema, with unique IDs and a why for each row', () => {
    const ids = rows().map((row) => row.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate class IDs');
    for (const row of rows()) assert.ok(row.why.length >= 10, row.id);
  });

  test('the name fields and the username each get the lengths around common limits', () => {
    const lengthsOf = (field: InputField) =>
      new Set(valuesOf(field).flatMap((value) => (typeof value === 'string' ? [Array.from(value).length] : [])));
    for (const field of ['first_name', 'last_name', 'avatar'] as const) {
      for (const length of [1, 64, 255, 256, 1000, 10_000])
        assert.ok(lengthsOf(field).has(length), `${field} ${length}`);
    }
    // The run's prefix (D12) makes a username of one character impossible; the rest are there.
    for (const length of [64, 255, 256, 1000, 10_000])
      assert.ok(lengthsOf('username').has(length), `username ${length}`);
    const sized = valueRows().filter((row) => 'bodyBytes' in row.value);
    assert.ok(
      sized.some((row) => 'bodyBytes' in row.value && row.value.bodyBytes === 64 * 1024),
      'a body at 64 KiB',
    );
    assert.ok(
      sized.some((row) => 'bodyBytes' in row.value && row.value.bodyBytes === 64 * 1024 + 1),
      'one byte over',
    );
  });

  test('every field gets the Unicode classes, and the name fields every JSON type', () => {
    const classes: [string, RegExp][] = [
      ['Latin-1', /[\u00a0-\u00ff]/],
      ['CJK', /\p{Script=Han}/u],
      ['astral', /[\u{10000}-\u{10ffff}]/u],
      ['emoji', /\p{Extended_Pictographic}/u],
      ['combining mark', /\p{M}/u],
      ['right-to-left', /\p{Script=Hebrew}|\p{Script=Arabic}/u],
      ['zero-width joiner', /\u200d/],
      ['control character', /(?!\0)\p{Cc}/u],
      ['NUL', /\0/],
      ['lone surrogate', /[\ud800-\udbff](?![\udc00-\udfff])/],
    ];
    for (const field of ['username', 'first_name', 'last_name', 'avatar'] as const) {
      const texts = valuesOf(field).filter((value): value is string => typeof value === 'string');
      for (const [name, pattern] of classes)
        assert.ok(
          texts.some((text) => pattern.test(text)),
          `${field}: ${name}`,
        );
    }
    for (const field of ['first_name', 'last_name', 'avatar'] as const) {
      const types = new Set<string>(
        valuesOf(field).map((value) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value)),
      );
      for (const type of ['null', 'number', 'boolean', 'array', 'object'])
        assert.ok(types.has(type), `${field}: ${type}`);
    }
  });

  test('usernames get dots in every position a prefixed name allows, case variants and spaces', () => {
    const names = valueRows()
      .filter((row) => row.fields.includes('username'))
      .map((row) => classUsername(row, STEM));
    for (const [what, pattern] of [
      ['a leading dot', /^\./],
      ['a dot inside', /[^.]\.[^.]/],
      ['a trailing dot', /\.$/],
      ['a format suffix', /\.json$/],
      ['capitals', /[A-Z]/],
      ['a leading space', /^ /],
      ['a trailing space', / $/],
    ] as const) {
      assert.ok(
        names.some((name) => pattern.test(name)),
        what,
      );
    }
    assert.ok(
      valueRows().some((row) => row.twin),
      'a name differing from another only by case',
    );
  });

  test('whole bodies: an empty object, only unknown keys, a key twice, each through create and update', () => {
    const bodies = rows().filter((row): row is BodyClass => 'create' in row);
    const parsed = (text: string) =>
      JSON.parse(text.replaceAll('{username}', 'k0000000000nm')) as Record<string, unknown>;
    assert.ok(
      bodies.some((row) => Object.keys(parsed(row.update.body)).length === 0),
      'an empty object',
    );
    assert.ok(
      bodies.some((row) => {
        const keys = Object.keys(parsed(row.update.body));
        return keys.length > 0 && keys.every((key) => !['username', 'first_name', 'last_name', 'avatar'].includes(key));
      }),
      'only unknown keys',
    );
    assert.ok(
      bodies.some((row) => /"(\w+)":[^,}]*,"\1":/.test(row.create.body)),
      'a key twice',
    );
  });
});
