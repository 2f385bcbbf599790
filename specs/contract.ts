// The kit's one reading of the contract (OpenAPI document, JSON Schemas, requirement catalog),
// loaded once: nothing else reads specs/ or schemas/, and no schema is copied into TypeScript.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { OpenAPIV3_1 } from 'openapi-types';
import { parse as parseYaml } from 'yaml';
import { PACKAGE_ROOT } from '../runtime/package-root.js';
import type { Level, Requirement } from './schema-types.js';

// At the package root, also when this module runs as dist/specs/contract.js.
export const specsDir = join(PACKAGE_ROOT, 'specs', '/');
export const schemasDir = join(PACKAGE_ROOT, 'schemas', '/');

const CATALOG_SCHEMA = 'requirements';
const INPUT_CLASSES_SCHEMA = 'input-classes';
const SCHEMA_SUFFIX = '.schema.json';

// A requirement's level, and one entry of specs/requirements.yaml, as requirements.schema.json types them.
export type { Level, Requirement };

/** A field of the create body; username is also the path of GET, PUT and DELETE. */
export type InputField = 'username' | 'first_name' | 'last_name' | 'avatar';

/** How a value row makes its value (input-classes.schema.json#/$defs/value). */
export type InputValue =
  | { text: string }
  | { repeat: string; length: number }
  | { repeat: string; bodyBytes: number }
  | { json: string };

/** One value row of specs/input-classes.yaml: a value sent in each of its fields. */
export interface ValueClass {
  id: string;
  group: string;
  why: string;
  fields: InputField[];
  value: InputValue;
  at?: 'end' | 'start';
  twin?: string;
  accepted?: 'exact' | 'any-string' | 'never';
  alsoExact?: string[];
}

/** What a 2xx to a body row must show (input-classes.schema.json#/$defs/bodyCase). */
export type BodyAcceptance = 'never' | 'fields-kept' | { oneOf: Partial<Record<InputField, string[]>> };

/** One body row of specs/input-classes.yaml: a whole body sent to create and to update. */
export interface BodyClass {
  id: string;
  group: string;
  why: string;
  create: { body: string; accepted: BodyAcceptance };
  update: { body: string; accepted: BodyAcceptance };
}

export type InputClass = ValueClass | BodyClass;

export interface ValidationResult {
  valid: boolean;
  /** One readable line per violation: where in the data, and what the schema says. */
  errors: string[];
}

export interface Contract {
  openapi: OpenAPIV3_1.Document;
  requirements: readonly Requirement[];
  /** The rows of specs/input-classes.yaml, in order. */
  inputClasses: readonly InputClass[];
  /** Schema names, the file names of schemas/ without `.schema.json`. */
  schemaNames: readonly string[];
  requirement(id: string): Requirement;
  /**
   * The schema name (a file of schemas/) that users.openapi.yaml declares for an operation's
   * answer with this status; undefined when the status is not declared or has no JSON body.
   */
  responseSchema(operationId: string, status: number): string | undefined;
  /** Whether users.openapi.yaml declares this status for the operation. */
  declaresStatus(operationId: string, status: number): boolean;
  /** Checks data against a schema's shape: types, required properties, enums. */
  validate(schemaName: string, data: unknown): ValidationResult;
  /** The same, also checking `format` keywords (date-time): the SHOULD-level reading. */
  validateWithFormats(schemaName: string, data: unknown): ValidationResult;
}

/** Thrown when specs/ or schemas/ do not hold a usable contract: a packaging error. */
export class ContractError extends Error {
  override name = 'ContractError';
}

// `ajv-formats` is CommonJS with a default export; under NodeNext its default import is the
// module object, whose `default` is the plugin.
const addFormats = ((addFormatsPlugin as unknown as { default?: typeof addFormatsPlugin }).default ??
  addFormatsPlugin) as unknown as (ajv: Ajv2020) => Ajv2020;

function readSchemas(): Map<string, object> {
  const schemas = new Map<string, object>();
  for (const file of readdirSync(schemasDir).sort()) {
    if (!file.endsWith(SCHEMA_SUFFIX)) continue;
    const name = file.slice(0, -SCHEMA_SUFFIX.length);
    const schema = JSON.parse(readFileSync(schemasDir + file, 'utf8')) as { $id?: unknown };
    if (typeof schema.$id !== 'string' || !schema.$id) {
      throw new ContractError(`schemas/${file} has no $id, so it cannot be referenced`);
    }
    schemas.set(name, schema);
  }
  return schemas;
}

// Each schema is compiled on its first use: every test worker and the reference server load
// the contract, and each of them needs only a few of the schemas (the self-tests compile all).
function lazyCompiler(schemas: Map<string, object>, validateFormats: boolean): (name: string) => ValidateFunction {
  let ajv: Ajv2020 | undefined;
  const compiled = new Map<string, ValidateFunction>();
  return (name) => {
    const known = compiled.get(name);
    if (known) return known;
    const schema = schemas.get(name);
    if (!schema) throw new ContractError(`no schema named "${name}" in schemas/`);
    if (!ajv) {
      ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats });
      addFormats(ajv);
      for (const each of schemas.values()) ajv.addSchema(each);
    }
    const validate = ajv.getSchema((schema as { $id: string }).$id);
    if (!validate) throw new ContractError(`schemas/${name}${SCHEMA_SUFFIX} could not be compiled`);
    compiled.set(name, validate);
    return validate;
  };
}

/** Turns ajv's errors into lines such as `/links: must NOT have additional properties (previous)`. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const where = error.instancePath || '(root)';
    const detail = Object.entries(error.params)
      .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(', ');
    return `${where}: ${error.message ?? error.keyword}${detail ? ` (${detail})` : ''}`;
  });
}

function runner(compile: (name: string) => ValidateFunction) {
  return (schemaName: string, data: unknown): ValidationResult => {
    const validate = compile(schemaName);
    const valid = validate(data) as boolean;
    return { valid, errors: valid ? [] : describeErrors(validate.errors) };
  };
}

/** A YAML file of specs/, parsed and checked against its schema; a ContractError names what is wrong. */
function loadData<T>(file: string, schemaName: string, validate: (name: string, data: unknown) => ValidationResult): T {
  const data = parseYaml(readFileSync(`${specsDir}${file}`, 'utf8')) as unknown;
  const result = validate(schemaName, data);
  if (!result.valid) {
    throw new ContractError(`specs/${file} does not match its schema:\n  ${result.errors.join('\n  ')}`);
  }
  return data as T;
}

type OpenApiNode = Record<string, unknown>;

/** Follows a local `$ref` (`#/components/...`) of the OpenAPI document. */
function deref(document: OpenApiNode, node: OpenApiNode | undefined): OpenApiNode | undefined {
  const ref = node?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  return ref
    .slice(2)
    .split('/')
    .reduce<OpenApiNode | undefined>((at, key) => at?.[key] as OpenApiNode | undefined, document);
}

/** The operation of the OpenAPI document an operationId names, through `x-operation-ids` too (E4). */
function findOperation(document: OpenApiNode, operationId: string): OpenApiNode | undefined {
  for (const pathItem of Object.values((document.paths ?? {}) as Record<string, OpenApiNode>)) {
    for (const operation of Object.values(pathItem) as OpenApiNode[]) {
      const ids = (operation?.['x-operation-ids'] as string[] | undefined) ?? [operation?.operationId];
      if (ids.includes(operationId)) return operation;
    }
  }
  return undefined;
}

function declaredSchema(document: OpenApiNode, operationId: string, status: number): string | undefined {
  const responses = findOperation(document, operationId)?.responses as Record<string, OpenApiNode> | undefined;
  const response = deref(document, responses?.[String(status)]);
  const content = response?.content as Record<string, { schema?: OpenApiNode }> | undefined;
  let schema = content?.['application/json']?.schema;
  // One response for the two list operations (E4): each alternative names its operation.
  const alternatives = schema?.oneOf as OpenApiNode[] | undefined;
  if (alternatives) schema = alternatives.find((entry) => entry['x-operation-id'] === operationId);
  const ref = schema?.$ref;
  if (typeof ref !== 'string') return undefined;
  return ref.split('/').at(-1)?.replace(SCHEMA_SUFFIX, '');
}

function load(): Contract {
  const schemas = readSchemas();
  const validate = runner(lazyCompiler(schemas, false));
  const validateWithFormats = runner(lazyCompiler(schemas, true));
  const requirements = loadData<{ requirements: Requirement[] }>(
    'requirements.yaml',
    CATALOG_SCHEMA,
    validate,
  ).requirements;
  let inputClasses: InputClass[] | undefined;
  const byId = new Map(requirements.map((requirement) => [requirement.id, requirement]));
  let openapi: OpenAPIV3_1.Document | undefined;
  return {
    // Only the self-tests and the packaged CLI read the OpenAPI document, so it is parsed on demand.
    get openapi() {
      openapi ??= parseYaml(readFileSync(`${specsDir}users.openapi.yaml`, 'utf8')) as OpenAPIV3_1.Document;
      return openapi;
    },
    requirements,
    // Only the tests of input classes read the table, so it is parsed on demand.
    get inputClasses() {
      inputClasses ??= loadData<{ classes: InputClass[] }>(
        'input-classes.yaml',
        INPUT_CLASSES_SCHEMA,
        validate,
      ).classes;
      return inputClasses;
    },
    schemaNames: [...schemas.keys()],
    requirement(id) {
      const requirement = byId.get(id);
      if (!requirement) throw new ContractError(`"${id}" is not a requirement of specs/requirements.yaml`);
      return requirement;
    },
    responseSchema(operationId, status) {
      return declaredSchema(this.openapi as unknown as OpenApiNode, operationId, status);
    },
    declaresStatus(operationId, status) {
      const operation = findOperation(this.openapi as unknown as OpenApiNode, operationId);
      return Object.hasOwn((operation?.responses ?? {}) as object, String(status));
    },
    validate,
    validateWithFormats,
  };
}

let loaded: Contract | undefined;

/** The contract, loaded on first use and shared by every later caller in the process. */
export function contract(): Contract {
  loaded ??= load();
  return loaded;
}
