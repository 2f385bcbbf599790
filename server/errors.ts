// The one catalog of the reference server's errors: code, status and sentence. Handlers throw an
// ApiError by code and only the response writer makes a body, so no status is written elsewhere.

interface ErrorSpec {
  readonly status: number;
  /** Completes a sentence that starts with the request line, e.g. `GET /v1/a/users/x`. */
  readonly message: string;
}

/** Every error the server can answer with, by its stable code (the `code` of the body). */
export const ERRORS = {
  api_key_missing: { status: 401, message: 'carries no API key' },
  api_key_wrong: { status: 403, message: 'carries an API key that is not the one this server was started with' },
  route_unknown: {
    status: 404,
    message: 'names nothing this server serves; it serves /v1/{appId}/users and /v1/{appId}/users/{username}',
  },
  method_not_allowed: { status: 405, message: 'uses a method this resource does not support (see the Allow header)' },
  app_id_missing: { status: 400, message: 'has an empty app id: the users are at /v1/{appId}/users' },
  path_not_decodable: { status: 400, message: 'has a path segment that is not valid percent-encoded UTF-8' },
  user_not_found: { status: 404, message: 'names no user of this app' },
  body_not_json: { status: 400, message: 'has a body that is not valid JSON' },
  body_invalid: { status: 400, message: 'has a body that does not match the request schema' },
  body_unknown_keys: { status: 400, message: 'has body keys this server does not know' },
  username_too_long: { status: 400, message: 'names a username longer than this server accepts' },
  username_not_allowed: { status: 400, message: 'names a username outside the alphabet or length this server accepts' },
  field_too_long: { status: 400, message: 'has a field longer than this server accepts' },
  username_unreachable: {
    status: 400,
    message:
      'names a username no URL can reach: "." and ".." are dot segments that URLs remove, and a lone surrogate has no UTF-8 encoding',
  },
  username_mismatch: {
    status: 400,
    message: 'has a body username that differs from the one in the path, and Update User cannot rename',
  },
  username_taken: { status: 409, message: 'names a username already taken in this app' },
  limit_invalid: { status: 400, message: 'asks for a page size that is not an integer of at least 1' },
  offset_invalid: { status: 400, message: 'asks for an offset that is not an integer of at least 0' },
  cursor_invalid: { status: 400, message: 'carries a cursor this server did not issue' },
  body_too_large: { status: 413, message: 'has a body larger than this server accepts' },
  request_malformed: { status: 400, message: 'could not be read as an HTTP/1.1 request' },
  request_timeout: { status: 408, message: 'did not arrive in full in time' },
  headers_too_large: { status: 431, message: 'has headers larger than this server accepts' },
  internal_error: { status: 500, message: 'failed inside the reference server, which is a bug of the server' },
} as const satisfies Record<string, ErrorSpec>;

/** The code of one catalog entry. */
export type ErrorCode = keyof typeof ERRORS;

/** The JSON body of every error answer (schemas/error.schema.json). */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** Thrown by handlers to answer with a catalog error; `detail` says what exactly was wrong. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ? `${code}: ${detail}` : code);
  }
}

// A URL can be as long as the header limit; the message only needs enough to recognise it.
const MAX_URL_IN_MESSAGE = 200;

/** Names a request for a message, e.g. `DELETE /v1/app/users/bob`; long URLs are shortened. */
export function requestLine(method: string | undefined, url: string | undefined): string {
  const target = url ?? '';
  const shown = target.length > MAX_URL_IN_MESSAGE ? `${target.slice(0, MAX_URL_IN_MESSAGE)}...` : target;
  return `${method ?? 'A request'} ${shown}`.trim();
}

/** The status and JSON body for an error code, its message naming the request. */
export function errorAnswer(code: ErrorCode, request: string, detail?: string): { status: number; body: ErrorBody } {
  const spec: ErrorSpec = ERRORS[code];
  const message = `${request} ${spec.message}${detail ? `: ${detail}` : ''}.`;
  return { status: spec.status, body: { code, message } };
}
