// Small helpers of the Update User tests (operations/update.spec.ts and clock.spec.ts): a user
// made and read back, and the parts of a user body they compare.
import type { ApiClient } from './api-client.js';
import { statusIs, successful } from './checks.js';
import type { Exchange } from './exchange.js';
import { precondition } from './verdicts.js';

/** The fields the update tests create their users with. */
export const ADA = { first_name: 'Ada', last_name: 'Lovelace', avatar: 'https://example.com/ada.png' };

/** The JSON object body of an exchange, or undefined. */
export function bodyOf(exchange: Exchange): Record<string, unknown> | undefined {
  const json = exchange.response?.json;
  return json !== null && typeof json === 'object' && !Array.isArray(json)
    ? (json as Record<string, unknown>)
    : undefined;
}

/** The milliseconds a timestamp names, when it parses as a date at all. */
export function instant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = Date.parse(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** Creates a user with Ada's fields and reads it back; skips the test when either step fails. */
export async function createAndRead(api: ApiClient, username: string): Promise<Exchange> {
  await precondition('the create', await api.createUser({ username, ...ADA }), successful);
  const before = await api.getUser(username);
  await precondition('the GET before the update', before, statusIs(200));
  return before;
}
