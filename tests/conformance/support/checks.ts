// Small named checks of one exchange: undefined when it passes, else one sentence of what the
// contract expects, which `verify` (verdicts.ts) turns into a failure naming the requirement.
import { contract } from '../../../specs/contract.js';
import type { Exchange } from './exchange.js';

/** A check of one exchange: undefined when it holds, else what was expected instead. */
export type Check = (exchange: Exchange) => string | undefined;

const JSON_CONTENT_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/** The server answered with HTTP at all (no refused connection, reset or time-out). */
export const answered: Check = (exchange) =>
  exchange.response ? undefined : `an HTTP answer, but the request failed: ${exchange.transportError}`;

/** The status is one of the given codes. */
export function statusIs(...codes: number[]): Check {
  return (exchange) => {
    const status = exchange.response?.status;
    if (status !== undefined && codes.includes(status)) return undefined;
    return `status ${codes.join(' or ')}${status === undefined ? ', but no HTTP answer came' : `, got ${status}`}`;
  };
}

function statusClass(hundreds: number, label: string): Check {
  return (exchange) => {
    const status = exchange.response?.status;
    if (status !== undefined && Math.floor(status / 100) === hundreds) return undefined;
    return `a ${label} status${status === undefined ? ', but no HTTP answer came' : `, got ${status}`}`;
  };
}

/** Any 2xx status. */
export const successful: Check = statusClass(2, '2xx');

/** Any 4xx status: the request was refused as the client's error. */
export const clientError: Check = statusClass(4, '4xx');

/** Anything but a 5xx, and an answer at all (D9). */
export const notServerError: Check = (exchange) => {
  const status = exchange.response?.status;
  if (status === undefined) return `an HTTP answer, but the request failed: ${exchange.transportError}`;
  return status >= 500 ? `no 5xx status (D9), got ${status}` : undefined;
};

/** The body is JSON that matches the named schema of schemas/ (shape: types, required properties). */
export function matchesSchema(schemaName: string): Check {
  return (exchange) => schemaFinding(exchange, schemaName, contract().validate(schemaName, exchange.response?.json));
}

/** The body matches the named schema including its `format` keywords (RFC 3339 date-times). */
export function matchesSchemaWithFormats(schemaName: string): Check {
  return (exchange) =>
    schemaFinding(exchange, schemaName, contract().validateWithFormats(schemaName, exchange.response?.json));
}

function schemaFinding(
  exchange: Exchange,
  schemaName: string,
  result: { valid: boolean; errors: string[] },
): string | undefined {
  if (exchange.response?.json === undefined)
    return `a JSON body matching schemas/${schemaName}.schema.json, got no JSON`;
  if (result.valid) return undefined;
  return `a body matching schemas/${schemaName}.schema.json:\n             ${result.errors.join('\n             ')}`;
}

/** The body parses as JSON and the content type says JSON (D9). */
export const jsonBody: Check = (exchange) => {
  const response = exchange.response;
  if (!response) return `a JSON body, but no HTTP answer came`;
  if (response.json === undefined)
    return `a JSON body, got ${response.text ? 'text that does not parse as JSON' : 'an empty body'}`;
  if (!JSON_CONTENT_TYPE.test(response.contentType)) {
    return `a JSON content type (application/json), got ${JSON.stringify(response.contentType || '(none)')}`;
  }
  return undefined;
};

/** A property of the JSON body equals the given value. */
export function property(name: string, expected: unknown): Check {
  return (exchange) => {
    const actual = (exchange.response?.json as Record<string, unknown> | undefined)?.[name];
    return Object.is(actual, expected) || JSON.stringify(actual) === JSON.stringify(expected)
      ? undefined
      : `${name} to be ${JSON.stringify(expected)}, got ${actual === undefined ? 'nothing' : JSON.stringify(actual)}`;
  };
}

/** Every given property of the JSON body equals the value sent. */
export function properties(expected: Record<string, unknown>): Check {
  const checks = Object.entries(expected).map(([name, value]) => property(name, value));
  return (exchange) => {
    const findings = checks.map((check) => check(exchange)).filter((finding) => finding !== undefined);
    return findings.length ? findings.join('; ') : undefined;
  };
}

/** The body is a JSON array (its items are judged by other checks). */
export const bodyIsArray: Check = (exchange) => {
  const response = exchange.response;
  if (!response) return `a JSON array, but no HTTP answer came`;
  if (Array.isArray(response.json)) return undefined;
  if (response.json === undefined)
    return `a JSON array, got ${response.text ? 'a body that is not JSON' : 'an empty body'}`;
  return `a JSON array, got ${response.json === null ? 'null' : typeof response.json === 'object' ? 'an object' : typeof response.json}`;
};

/** Each named property of the JSON body is a string (so that its value can be judged further). */
export function stringProperties(...names: string[]): Check {
  return (exchange) => {
    const json = exchange.response?.json as Record<string, unknown> | undefined;
    const wrong = names.filter((name) => typeof json?.[name] !== 'string');
    return wrong.length ? `${wrong.join(', ')} to be ${wrong.length > 1 ? 'strings' : 'a string'}` : undefined;
  };
}

/**
 * The body's values meet the `format` keywords of the named schema (RFC 3339 date-times).
 * Shape errors (types, missing properties) are left to matchesSchema: only the findings that
 * checking formats adds are reported, so a wrong type is not judged twice.
 */
export function matchesFormats(schemaName: string): Check {
  return (exchange) => {
    const json = exchange.response?.json;
    if (json === undefined)
      return `a JSON body whose values meet the formats of schemas/${schemaName}.schema.json, got no JSON`;
    const shapeErrors = new Set(contract().validate(schemaName, json).errors);
    const formatErrors = contract()
      .validateWithFormats(schemaName, json)
      .errors.filter((error) => !shapeErrors.has(error));
    if (!formatErrors.length) return undefined;
    return `values in the formats of schemas/${schemaName}.schema.json (date-time is RFC 3339, e.g. 2026-11-28T10:00:00Z):\n             ${formatErrors.join('\n             ')}`;
  };
}

/** The answer is the user of that name: 200 and a JSON body whose username is that name. */
export function showsUser(username: string): Check {
  return (exchange) => {
    const status = exchange.response?.status;
    const actual = (exchange.response?.json as Record<string, unknown> | undefined)?.username;
    if (status === 200 && actual === username) return undefined;
    if (status !== 200)
      return `status 200 with the user ${JSON.stringify(username)}, got ${status ?? 'no HTTP answer'}`;
    return `the user ${JSON.stringify(username)}, got a body whose username is ${actual === undefined ? 'missing' : JSON.stringify(actual)}`;
  };
}

/**
 * The answer does not show a user of that name: anything but a 2xx whose body names it. A
 * lookup miss that is not a clean 404 is judged by the 404 requirements, not here.
 */
export function doesNotShowUser(username: string): Check {
  return (exchange) => {
    const status = exchange.response?.status;
    const actual = (exchange.response?.json as Record<string, unknown> | undefined)?.username;
    if (status !== undefined && status >= 200 && status < 300 && actual === username)
      return `no user ${JSON.stringify(username)}, but the answer (${status}) shows one`;
    return undefined;
  };
}

/** The JSON array body lists the username exactly `times` times (items are matched by `username`). */
export function listsUsername(username: string, times: number): Check {
  return (exchange) => {
    const json = exchange.response?.json;
    if (!Array.isArray(json)) return `a JSON array listing ${JSON.stringify(username)} ${times} time(s), got no array`;
    const seen = json.filter((item) => (item as Record<string, unknown> | null)?.username === username).length;
    return seen === times
      ? undefined
      : `${JSON.stringify(username)} listed ${times === 0 ? 'nowhere' : `exactly ${times} time(s)`}, found ${seen} time(s) in ${json.length} items`;
  };
}
