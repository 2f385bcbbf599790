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
