// The checks a request body passes before an operation uses it: the server's own policies, which no
// schema states. Shapes come only from the schemas, through specs/contract.ts.
import { contract } from '../specs/contract.js';
import { ApiError } from './errors.js';
import type { FaultSwitches } from './faults.js';
import type { ModeRules } from './mode.js';
import { CREATE_KEYS, EDITABLE_FIELDS } from './user-record.js';

/** The schemas the server checks request bodies with (file names in schemas/). */
export type BodySchema = 'create-user-body' | 'update-user-body';

/** Narrows the body to T when it matches the schema; ApiError body_invalid otherwise. */
export function requireSchema<T>(schema: BodySchema, body: unknown): T {
  const result = contract().validate(schema, body);
  if (!result.valid) throw new ApiError('body_invalid', result.errors.join('; '));
  return body as T;
}

/** ApiError body_unknown_keys when a create body holds keys other than the user's. */
export function rejectUnknownCreateKeys(body: object): void {
  const unknown = Object.keys(body).filter((key) => !CREATE_KEYS.has(key));
  if (unknown.length > 0) throw new ApiError('body_unknown_keys', unknown.map((key) => JSON.stringify(key)).join(', '));
}

function longerThan(text: string, maxLength: number): boolean {
  let length = 0;
  for (const _ of text) if (++length > maxLength) return true;
  return false;
}

/** ApiError username_too_long past the server's limit, counted in characters (code points). */
export function limitUsernameLength(username: string, maxLength: number): void {
  if (longerThan(username, maxLength)) {
    throw new ApiError('username_too_long', `at most ${maxLength} characters are accepted`);
  }
}

/** ApiError username_not_allowed for a name outside the mode's alphabet or length (E30). */
export function limitUsernameAlphabet(username: string, rules: ModeRules): void {
  const rule = rules.usernameRule;
  if (rule && (!rule.pattern.test(username) || longerThan(username, rule.maxLength))) {
    throw new ApiError('username_not_allowed', `${rule.pattern.source}, at most ${rule.maxLength} characters`);
  }
}

/** ApiError field_too_long for a first_name, last_name or avatar past the mode's limit (E30). */
export function limitFieldLengths(fields: Partial<Record<string, unknown>>, rules: ModeRules): void {
  const limit = rules.maxFieldLength;
  if (limit === null) return;
  const long = EDITABLE_FIELDS.filter((field) => {
    const value = fields[field];
    return typeof value === 'string' && longerThan(value, limit);
  });
  if (long.length) throw new ApiError('field_too_long', `${long.join(', ')}: at most ${limit} characters`);
}

/**
 * ApiError username_unreachable for a name that no path could ever name, so a user created with
 * it could be neither read, updated nor deleted (D2: an accepted username is reachable at its
 * percent-encoded path): "." and "..", which URL parsers remove as dot segments even when
 * percent-encoded (RFC 3986, 5.2.4 and 6.2.2.2), and text with a lone surrogate, which has no
 * UTF-8 encoding.
 */
export function rejectUnreachableUsername(username: string): void {
  if (username === '.' || username === '..' || /\p{Cs}/u.test(username)) {
    throw new ApiError('username_unreachable', JSON.stringify(username));
  }
}

/**
 * The bug of fault null-field-500: an audit line that measures the fields before the type
 * check, so a null field is read as a string and the request fails inside the server.
 */
export function lengthsBeforeTypes(body: unknown, faults: FaultSwitches): string {
  if (!faults.on('null-field-500') || body === null || typeof body !== 'object') return '';
  const fields = body as Record<string, unknown>;
  return EDITABLE_FIELDS.filter((field) => field in fields)
    .map((field) => `${field}: ${(fields[field] as string).length} characters`)
    .join(', ');
}
