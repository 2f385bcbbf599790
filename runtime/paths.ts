// URLs of the contract's operations (D1, D2): everything under {API_URL}/v1/{APP_ID}/users.

/**
 * Percent-encodes a path segment per RFC 3986: everything but the unreserved characters, so
 * that `a*b` travels as `a%2Ab` and a server that skips decoding is found out (D2).
 */
export function encodePathSegment(segment: string): string {
  return Array.from(new TextEncoder().encode(segment), (byte) => {
    const char = String.fromCharCode(byte);
    return /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

/** The collection URL of one app: `{apiUrl}/v1/{appId}/users`. */
export function usersUrl(apiUrl: string, appId: string): string {
  return `${apiUrl}/v1/${encodePathSegment(appId)}/users`;
}

/** The URL of one user, its name percent-encoded. */
export function userUrl(apiUrl: string, appId: string, username: string): string {
  return `${usersUrl(apiUrl, appId)}/${encodePathSegment(username)}`;
}
