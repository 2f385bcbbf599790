// The API key check (D10), run before routing so that without the key nothing is revealed,
// not even which paths exist.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors.js';
import type { FaultSwitches } from './faults.js';

/** The key a server expects and the header that carries it. */
export interface ApiKeyPolicy {
  readonly apiKey: string | undefined;
  /** Lower-case header name; the value is compared exactly as sent, no scheme stripped. */
  readonly header: string;
}

/** ApiError 401 when the key header is missing, 403 when it holds another value. */
export function checkApiKey(message: IncomingMessage, policy: ApiKeyPolicy, faults: FaultSwitches): void {
  if (policy.apiKey === undefined || faults.on('auth-not-enforced')) return;
  const sent = message.headers[policy.header];
  if (sent === undefined) throw new ApiError('api_key_missing', `the ${policy.header} header is absent`);
  const value = Array.isArray(sent) ? sent.join(', ') : sent;
  if (!sameSecret(value, policy.apiKey)) throw new ApiError('api_key_wrong');
}

// Comparing digests keeps the time independent of where the strings first differ.
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
