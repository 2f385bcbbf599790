// fast-check arbitraries for request bodies, derived from the request schemas so they track the
// contract: valid bodies, and invalid ones of every kind down to no JSON object at all.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { schemasDir } from '../../../specs/contract.js';

// Bodies written out, each a way clients and attackers get JSON wrong or odd.
export const ODD_BODIES: readonly (string | Buffer)[] = [
  '',
  '{',
  'null',
  '[]',
  '"text"',
  '12',
  'username=ada', // a form body
  '{"username":"ada",}', // a trailing comma
  "{'username':'ada'}", // single quotes
  '\ufeff{"username":"ada"}', // a byte order mark
  '{"username":"ada"} trailing',
  `${'['.repeat(5_000)}${']'.repeat(5_000)}`, // deep nesting
  '{"username":"ada","username":"bob"}', // a repeated key: JSON.parse keeps the last
  '{"__proto__":{"polluted":true},"username":"proto-body"}', // prototype pollution
  Buffer.from([0xff, 0xfe, 0x7b, 0x22]), // not UTF-8
  Buffer.from('{"username":"utf16"}', 'utf16le'),
];

interface PropertySchema {
  readonly type?: string;
  readonly minLength?: number;
  readonly $ref?: string;
}

interface ObjectSchema {
  readonly type: string;
  readonly required?: readonly string[];
  readonly properties: Readonly<Record<string, PropertySchema>>;
}

const schemaFiles = new Map<string, unknown>();

function readSchema(file: string): unknown {
  if (!schemaFiles.has(file)) schemaFiles.set(file, JSON.parse(readFileSync(`${schemasDir}${file}`, 'utf8')));
  return schemaFiles.get(file);
}

/** Resolves a `$ref` of the form `file.schema.json#/json/pointer` against schemas/. */
function resolved(property: PropertySchema): PropertySchema {
  if (property.$ref === undefined) return property;
  const [file, pointer = ''] = property.$ref.split('#');
  let node = readSchema(file as string);
  for (const key of pointer.split('/').filter(Boolean)) node = (node as Record<string, unknown>)[key];
  return resolved(node as PropertySchema);
}

/** Valid and invalid bodies for a request schema, as sent: JSON text or raw bytes. */
export function bodyFromSchema(schemaName: string, username: fc.Arbitrary<string>): fc.Arbitrary<string | Buffer> {
  const schema = readSchema(`${schemaName}.schema.json`) as ObjectSchema;
  const properties = Object.entries(schema.properties).map(([key, property]) => [key, resolved(property)] as const);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, property] of properties) {
    // The generator knows the types the schemas use today; a new type must be taught here.
    if (property.type !== 'string') throw new Error(`${schemaName}: property ${key} is ${property.type}, not a string`);
    const text = key === 'username' ? username : propertyText;
    const minLength = property.minLength ?? 0;
    model[key] = minLength === 0 ? text : text.filter((value) => [...value].length >= minLength);
  }
  const required = schema.required ?? [];
  const valid = fc.record(model, { requiredKeys: [...required] });
  const keys = properties.map(([key]) => key);
  const wrongType = fc
    .tuple(valid, fc.constantFrom(...keys), wrongValue)
    .map(([body, key, value]) => ({ ...body, [key]: value }));
  const extra = fc
    .tuple(valid, extraKey, fc.jsonValue({ maxDepth: 2 }))
    .map(([body, key, value]) => ({ ...body, [key]: value }));
  const variants: fc.WeightedArbitrary<unknown>[] = [
    { weight: 10, arbitrary: valid },
    { weight: 2, arbitrary: wrongType },
    { weight: 2, arbitrary: extra },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  ];
  if (required.length > 0) {
    const missing = valid.map((body) =>
      Object.fromEntries(Object.entries(body).filter(([key]) => !required.includes(key))),
    );
    variants.push({ weight: 1, arbitrary: missing });
  }
  return fc.oneof(
    { weight: 8, arbitrary: fc.oneof(...variants).map((body) => JSON.stringify(body) ?? 'null') },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_BODIES) },
  );
}

// Property values: short and printable mostly, then odd unicode, and now and then a huge one
// (the default body limit is 64 KiB, so the larger makes a 413).
const propertyText = fc.oneof(
  { weight: 24, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 12, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 8, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 4, arbitrary: fc.constantFrom('https://example.com/a.png', 'javascript:alert(1)', '<script>', '\u0000') },
  { weight: 1, arbitrary: fc.constantFrom('h'.repeat(30_000), 'h'.repeat(70_000)) },
);

const wrongValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
);

// Keys no schema documents: server-set properties, the example's extras, object internals.
const extraKey = fc.oneof(
  fc.constantFrom('id', 'role', 'status', 'created_at', 'presence_status', 'password', 'constructor', 'prototype'),
  fc.string({ minLength: 1, maxLength: 8 }),
);
