// The rules every exchange of a run is judged by, whoever sent it: no 5xx (D9), an answer in time,
// the declared schema, JSON. Each is a small function charged to the requirement that owns it.
import { contract } from '../../../specs/contract.js';
import { jsonBody, matchesFormats } from './checks.js';
import type { Exchange } from './exchange.js';
import type { OperationId } from './exchange-operation.js';

/** What a rule needs to know besides the exchange. */
export interface RuleContext {
  /** The operation the request is, when it is one (exchange-operation.ts). */
  operation: OperationId | undefined;
  /** The request time-out, for the message of an unanswered request. */
  requestTimeoutMs: number;
}

/** A broken rule: the requirement it is charged to, and what the contract expects instead. */
export interface RuleBreach {
  requirement: string;
  expected: string;
}

/** A rule: its name, and a check that returns a breach or nothing. */
export interface ExchangeRule {
  name: string;
  check(exchange: Exchange, context: RuleContext): RuleBreach | undefined;
}

// RFC 9110 (15.6.2) recommends 501 for a method the server does not implement: not a crash (E8).
const CONTRACT_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE']);

/** The requirement that owns the shape of each operation's successful answer (D6, D3, D4). */
const SHAPE_OWNERS: Record<OperationId, string | undefined> = {
  createUser: 'USR-CREATE-SHAPE',
  getUser: 'USR-GET-SHAPE',
  updateUser: 'USR-UPDATE-SHAPE',
  listUsers: 'USR-LIST-ITEM-SHAPE',
  listUsersWithPresence: 'USR-PAGE-ENVELOPE',
  // A delete's 200 body is the deleted user or empty (E13); neither is a shape requirement.
  deleteUser: undefined,
};

// Single users carry timestamps in every shape; their formats are a SHOULD of their own.
const TIMESTAMP_SCHEMAS = new Set(['user']);

function isSuccess(exchange: Exchange): boolean {
  const status = exchange.response?.status ?? 0;
  return status >= 200 && status < 300;
}

/** A request that asked for something other than JSON may get it: its body is not judged. */
function acceptsJson(exchange: Exchange): boolean {
  const accept = exchange.request.headers.accept;
  return accept === undefined || /\bjson\b|\*\/\*|application\/\*/i.test(accept);
}

/** A body to judge: not a HEAD's, not empty, and one the request asked as JSON. */
function bodyIsJudged(exchange: Exchange): boolean {
  if (exchange.request.method === 'HEAD' || !exchange.response?.text.trim()) return false;
  return acceptsJson(exchange);
}

function schemaErrors(schemaName: string, body: unknown): string[] {
  return contract().validate(schemaName, body).errors;
}

function listed(errors: string[]): string {
  const shown = errors.slice(0, 5);
  const more = errors.length > shown.length ? `\n             … and ${errors.length - shown.length} more` : '';
  return `\n             ${shown.join('\n             ')}${more}`;
}

const noServerError: ExchangeRule = {
  name: 'no server error',
  check(exchange) {
    const status = exchange.response?.status;
    if (status === undefined || status < 500) return undefined;
    if (status === 501 && !CONTRACT_METHODS.has(exchange.request.method)) return undefined;
    return { requirement: 'USR-ROBUST-NO-5XX', expected: `no 5xx for any request (D9), got ${status}` };
  },
};

const answered: ExchangeRule = {
  name: 'an answer within the time-out',
  check(exchange, context) {
    if (exchange.response) return undefined;
    const error = exchange.transportError ?? 'unknown transport error';
    const timedOut = /timeout|timed out/i.test(error);
    return {
      requirement: 'USR-ROBUST-ANSWERED',
      expected: timedOut
        ? `an HTTP answer within the request time-out of ${context.requestTimeoutMs} ms, but none came in time (no status, so not a 5xx): ${error}`
        : `an HTTP answer, but the connection ended without one (no status, so not a 5xx): ${error}`,
    };
  },
};

const successShape: ExchangeRule = {
  name: 'the declared response schema',
  check(exchange, context) {
    const { operation } = context;
    const response = exchange.response;
    if (!operation || !response || !isSuccess(exchange) || !bodyIsJudged(exchange)) return undefined;
    const owner = SHAPE_OWNERS[operation];
    const schemaName = contract().responseSchema(operation, response.status);
    if (!owner || !schemaName) return undefined;
    const declared = `the body of a ${response.status} to ${operation}, as specs/users.openapi.yaml declares it (schemas/${schemaName}.schema.json)`;
    if (response.json === undefined) return { requirement: owner, expected: `${declared}, got no JSON` };
    if (operation === 'listUsers' && !Array.isArray(response.json)) {
      return { requirement: 'USR-LIST-ARRAY', expected: `${declared}: a JSON array, got ${typeof response.json}` };
    }
    const errors = schemaErrors(schemaName, response.json);
    return errors.length ? { requirement: owner, expected: `${declared}:${listed(errors)}` } : undefined;
  },
};

const pageItemPresence: ExchangeRule = {
  name: 'page items with their presence',
  check(exchange, context) {
    const users = (exchange.response?.json as { users?: unknown } | undefined)?.users;
    if (context.operation !== 'listUsersWithPresence' || !isSuccess(exchange) || !Array.isArray(users))
      return undefined;
    const errors = users.flatMap((item, at) =>
      schemaErrors('user-presence-item', item).map(
        (error) => `/users/${at}${error.startsWith('(root)') ? error.slice(6) : error}`,
      ),
    );
    if (!errors.length) return undefined;
    return {
      requirement: 'USR-PAGE-ITEM-PRESENCE',
      expected: `page items as schemas/user-presence-item.schema.json (E11):${listed(errors)}`,
    };
  },
};

const timestampFormats: ExchangeRule = {
  name: 'RFC 3339 timestamps',
  check(exchange, context) {
    const { operation } = context;
    const status = exchange.response?.status;
    if (!operation || status === undefined || !isSuccess(exchange) || !bodyIsJudged(exchange)) return undefined;
    const schemaName = SHAPE_OWNERS[operation] ? contract().responseSchema(operation, status) : undefined;
    if (!schemaName || !TIMESTAMP_SCHEMAS.has(schemaName) || exchange.response?.json === undefined) return undefined;
    const finding = matchesFormats(schemaName)(exchange);
    return finding ? { requirement: 'USR-USER-TIMESTAMPS-RFC3339', expected: finding } : undefined;
  },
};

const successIsJson: ExchangeRule = {
  name: 'JSON on success',
  check(exchange, context) {
    if (!context.operation || !isSuccess(exchange) || !bodyIsJudged(exchange)) return undefined;
    const finding = jsonBody(exchange);
    return finding ? { requirement: 'USR-SUCCESS-JSON', expected: `on success (D9), ${finding}` } : undefined;
  },
};

const errorIsJson: ExchangeRule = {
  name: 'JSON on error',
  check(exchange, context) {
    const status = exchange.response?.status ?? 0;
    if (!context.operation || status < 400 || status >= 500 || exchange.request.method === 'HEAD') return undefined;
    if (!acceptsJson(exchange)) return undefined;
    const finding = jsonBody(exchange);
    return finding ? { requirement: 'USR-ERROR-JSON', expected: `on error (D9, E9), ${finding}` } : undefined;
  },
};

function registry(rules: ExchangeRule[]): readonly ExchangeRule[] {
  const names = new Set<string>();
  for (const rule of rules) {
    if (names.has(rule.name)) throw new Error(`the exchange rule "${rule.name}" is registered twice`);
    names.add(rule.name);
  }
  return rules;
}

/** Every rule, each registered once. */
export const EXCHANGE_RULES = registry([
  noServerError,
  answered,
  successShape,
  pageItemPresence,
  timestampFormats,
  successIsJson,
  errorIsJson,
]);

/** The breaches of every rule by one exchange. */
export function judgeExchange(exchange: Exchange, context: RuleContext): RuleBreach[] {
  return EXCHANGE_RULES.flatMap((rule) => rule.check(exchange, context) ?? []);
}
