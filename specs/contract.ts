// The kit's one reading of the contract: the OpenAPI document, the JSON Schemas and the
// requirement catalog, loaded once, each schema compiled once on its first use. Tests, the
// reporter and the reference server import this module; nothing else reads specs/ or
// schemas/, and no schema is copied into TypeScript.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { OpenAPIV3_1 } from 'openapi-types';
import { parse as parseYaml } from 'yaml';

export const specsDir = fileURLToPath(new URL('.', import.meta.url));
export const schemasDir = fileURLToPath(new URL('../schemas/', import.meta.url));

const CATALOG_SCHEMA = 'requirements';
const SCHEMA_SUFFIX = '.schema.json';

export type Level = 'MUST' | 'SHOULD' | 'MAY';

/** One entry of specs/requirements.yaml (its shape is fixed by requirements.schema.json). */
export interface Requirement {
  id: string;
  level: Level;
  operation: string;
  title: string;
  decision: string;
  errata?: string;
  quote?: string;
}

export interface ValidationResult {
  valid: boolean;
  /** One readable line per violation: where in the data, and what the schema says. */
  errors: string[];
}

export interface Contract {
  openapi: OpenAPIV3_1.Document;
  requirements: readonly Requirement[];
  /** Schema names, the file names of schemas/ without `.schema.json`. */
  schemaNames: readonly string[];
  requirement(id: string): Requirement;
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

function loadCatalog(validate: (name: string, data: unknown) => ValidationResult): Requirement[] {
  const catalog = parseYaml(readFileSync(`${specsDir}requirements.yaml`, 'utf8')) as unknown;
  const result = validate(CATALOG_SCHEMA, catalog);
  if (!result.valid) {
    throw new ContractError(`specs/requirements.yaml does not match its schema:\n  ${result.errors.join('\n  ')}`);
  }
  return (catalog as { requirements: Requirement[] }).requirements;
}

function load(): Contract {
  const schemas = readSchemas();
  const validate = runner(lazyCompiler(schemas, false));
  const validateWithFormats = runner(lazyCompiler(schemas, true));
  const requirements = loadCatalog(validate);
  const byId = new Map(requirements.map((requirement) => [requirement.id, requirement]));
  let openapi: OpenAPIV3_1.Document | undefined;
  return {
    // Only the self-tests and the packaged CLI read the OpenAPI document, so it is parsed on demand.
    get openapi() {
      openapi ??= parseYaml(readFileSync(`${specsDir}users.openapi.yaml`, 'utf8')) as OpenAPIV3_1.Document;
      return openapi;
    },
    requirements,
    schemaNames: [...schemas.keys()],
    requirement(id) {
      const requirement = byId.get(id);
      if (!requirement) throw new ContractError(`"${id}" is not a requirement of specs/requirements.yaml`);
      return requirement;
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
