// The checks a request body passes before an operation uses it. Shapes come only from the
// schemas through specs/contract.ts; what is here are the server's own policies, which no
// schema states.
import { contract } from '../specs/contract.js';
import { ApiError } from './errors.js';
import { CREATE_KEYS } from './user-record.js';

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

/** ApiError username_too_long past the server's limit, counted in characters (code points). */
export function limitUsernameLength(username: string, maxLength: number): void {
  let length = 0;
  for (const _ of username) {
    if (++length > maxLength) throw new ApiError('username_too_long', `at most ${maxLength} characters are accepted`);
  }
}
