// Self-test of specs/users.openapi.yaml: valid OpenAPI 3.1 whose $refs resolve, naming every
// operation the catalog cites, with no inline shape (shapes live only in schemas/).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { parse } from 'yaml';

const specPath = fileURLToPath(new URL('../../specs/users.openapi.yaml', import.meta.url));
const catalogPath = fileURLToPath(new URL('../../specs/requirements.yaml', import.meta.url));
const schemasDir = new URL('../../schemas/', import.meta.url);

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function loadYaml(path: string): Promise<JsonObject> {
  const doc: unknown = parse(await readFile(path, 'utf8'));
  assert.ok(isObject(doc), `${path} does not hold a YAML mapping`);
  return doc;
}

async function loadSchema(name: string): Promise<JsonObject> {
  const doc: unknown = JSON.parse(await readFile(new URL(name, schemasDir), 'utf8'));
  assert.ok(isObject(doc), `schemas/${name} is not a JSON object`);
  return doc;
}

/** Every operation of the document: its operationId and the names in its x-operation-ids. */
function operationNames(doc: JsonObject): Map<string, string> {
  const names = new Map<string, string>(); // name -> "METHOD path"
  const groups = [doc.paths, doc.webhooks].filter(isObject);
  for (const group of groups) {
    for (const [path, item] of Object.entries(group)) {
      if (!isObject(item)) continue;
      for (const method of HTTP_METHODS) {
        const op = item[method];
        if (!isObject(op)) continue;
        const where = `${method.toUpperCase()} ${path}`;
        const declared: string[] = [];
        if (typeof op.operationId === 'string') declared.push(op.operationId);
        const extra = op['x-operation-ids'];
        if (extra !== undefined) {
          assert.ok(
            Array.isArray(extra) && extra.every((n) => typeof n === 'string'),
            `${where}: x-operation-ids must be a list of strings`,
          );
          declared.push(...(extra as string[]));
        }
        for (const name of new Set(declared)) {
          const other = names.get(name);
          assert.equal(other, undefined, `${name} is declared by both ${other} and ${where}`);
          names.set(name, where);
        }
      }
    }
  }
  return names;
}

/** The value at `keys` below `node`, failing the test where a step is missing. */
function at(node: Json | undefined, ...keys: string[]): Json {
  let here = node;
  for (const [i, key] of keys.entries()) {
    const next: Json | undefined = Array.isArray(here) ? here[Number(key)] : isObject(here) ? here[key] : undefined;
    assert.ok(next !== undefined, `nothing at ${keys.slice(0, i + 1).join(' > ')}`);
    here = next;
  }
  assert.ok(here !== undefined);
  return here;
}

/** JSON-pointer-like paths of every key `key` anywhere in `node`. */
function findKeys(node: Json, key: string, pointer = '#'): string[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => findKeys(v, key, `${pointer}/${i}`));
  if (!isObject(node)) return [];
  return Object.entries(node).flatMap(([k, v]) => {
    const here = `${pointer}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    return [...(k === key ? [here] : []), ...findKeys(v, key, here)];
  });
}

test('users.openapi.yaml validates as OpenAPI 3.1 with its ../schemas $refs resolved', async () => {
  const parser = new SwaggerParser();
  // http: false keeps the check offline and proves that no $ref (the schemas' https $id
  // values included) is fetched from the network: everything resolves from schemas/.
  const api = await parser.validate(specPath, { resolve: { http: false } });
  assert.ok(isObject(api));

  const resolvedFiles = parser.$refs.paths('file').map((p) => p.split(/[\\/]/).pop());
  for (const file of [
    'users.openapi.yaml',
    'create-user-body.schema.json',
    'update-user-body.schema.json',
    'user.schema.json',
    'user-list.schema.json',
    'user-list-item.schema.json',
    'users-page.schema.json',
    'error.schema.json',
  ]) {
    assert.ok(resolvedFiles.includes(file), `${file} was not resolved (got ${resolvedFiles.join(', ')})`);
  }

  const deref = api as unknown as JsonObject;
  assert.deepEqual(findKeys(deref, '$ref'), [], 'a $ref is left unresolved');

  // The resolved shapes are the files' own, not copies.
  const users = ['paths', '/v1/{appId}/users'];
  const user = ['paths', '/v1/{appId}/users/{username}'];
  const json = ['content', 'application/json', 'schema'];
  assert.deepEqual(at(deref, ...user, 'get', 'responses', '200', ...json), await loadSchema('user.schema.json'));
  assert.deepEqual(at(deref, ...user, 'get', 'responses', '404', ...json), await loadSchema('error.schema.json'));
  assert.deepEqual(
    at(deref, ...users, 'post', 'requestBody', ...json),
    await loadSchema('create-user-body.schema.json'),
  );
  const listSchema = at(deref, ...users, 'get', 'responses', '200', ...json);
  assert.equal(at(listSchema, 'oneOf', '0', 'type'), 'array');
  assert.equal(at(listSchema, 'oneOf', '0', '$id'), (await loadSchema('user-list.schema.json')).$id);
  assert.equal(at(listSchema, 'oneOf', '1', '$id'), (await loadSchema('users-page.schema.json')).$id);
});

test('every operation the requirement catalog names exists in users.openapi.yaml', async () => {
  const catalog = await loadYaml(catalogPath);
  const requirements = catalog.requirements;
  assert.ok(Array.isArray(requirements) && requirements.length > 0, 'the catalog lists no requirements');

  const cited = new Set<string>();
  for (const r of requirements) {
    assert.ok(isObject(r) && typeof r.operation === 'string', `bad catalog entry ${JSON.stringify(r)}`);
    if (r.operation !== 'any') cited.add(r.operation);
  }

  const names = operationNames(await loadYaml(specPath));
  const missing = [...cited].filter((name) => !names.has(name));
  assert.deepEqual(missing, [], `operations cited by the catalog but absent: ${missing.join(', ')}`);

  // The six operations of the document, exactly.
  assert.deepEqual([...names.keys()].sort(), [
    'createUser',
    'deleteUser',
    'getUser',
    'listUsers',
    'listUsersWithPresence',
    'updateUser',
  ]);
});

test('users.openapi.yaml inlines no shape: no `properties` anywhere', async () => {
  const found = findKeys(await loadYaml(specPath), 'properties');
  assert.deepEqual(found, [], `inline properties at ${found.join(', ')}; put shapes in schemas/`);
});
