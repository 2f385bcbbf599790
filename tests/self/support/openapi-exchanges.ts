// What a validating proxy built from users.openapi.yaml makes of recorded traffic: each exchange
// that is an operation of the document must answer a status it declares, with the declared body.
import { contract } from '../../../specs/contract.js';
import type { RecordedExchange } from './recording-proxy.js';

const COLLECTION = /^\/v1\/[^/]+\/users$/;
const ITEM = /^\/v1\/[^/]+\/users\/[^/]+$/;
const OPERATIONS: Record<string, { collection?: string; item?: string }> = {
  GET: { collection: 'listUsers', item: 'getUser' },
  POST: { collection: 'createUser' },
  PUT: { item: 'updateUser' },
  DELETE: { item: 'deleteUser' },
};

/** The operation of the document an exchange is, matched as a validating proxy matches it. */
function operationOf(exchange: RecordedExchange): string | undefined {
  const [path = '', query = ''] = exchange.target.split('?');
  const methods = OPERATIONS[exchange.method];
  const operation = COLLECTION.test(path) ? methods?.collection : ITEM.test(path) ? methods?.item : undefined;
  if (operation !== 'listUsers') return operation;
  // The one GET of the collection carries two operations (E4): without the presence query it
  // is the array, with presence=true the envelope; what other values do, the document leaves
  // open (E17), and so does this check.
  const presence = new URLSearchParams(query).getAll('presence');
  if (presence.length === 0) return 'listUsers';
  return presence.every((value) => value === 'true') ? 'listUsersWithPresence' : undefined;
}

/** What a validating proxy built from users.openapi.yaml would flag: undeclared statuses, bodies off their schema. */
export function undeclaredExchanges(exchanges: readonly RecordedExchange[]): string[] {
  const problems = new Set<string>();
  for (const exchange of exchanges) {
    const operation = operationOf(exchange);
    if (!operation) continue;
    const where = `${exchange.method} ${exchange.target.slice(0, 120)} → ${exchange.status}`;
    if (!contract().declaresStatus(operation, exchange.status)) {
      problems.add(`${operation} answered ${exchange.status}, which it does not declare (${where})`);
      continue;
    }
    const schema = contract().responseSchema(operation, exchange.status);
    if (!schema || !exchange.body.trim()) continue;
    let body: unknown;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      problems.add(`${operation} ${exchange.status}: a body that is not JSON (${where})`);
      continue;
    }
    const result = contract().validate(schema, body);
    if (!result.valid)
      problems.add(`${operation} ${exchange.status} does not match ${schema}: ${result.errors[0]} (${where})`);
  }
  return [...problems];
}
