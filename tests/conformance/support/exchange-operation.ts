// Which contract operation an exchange is, so the every-exchange rules judge it by its declared
// responses. Hand-built requests match by method and URL; non-operations get only D9's rules.
import type { Settings } from '../../../runtime/settings.js';

/** The operations of specs/users.openapi.yaml, the two list forms apart (E4). */
export type OperationId =
  | 'createUser'
  | 'getUser'
  | 'updateUser'
  | 'deleteUser'
  | 'listUsers'
  | 'listUsersWithPresence';

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return segment.length > 0;
  } catch {
    return false;
  }
}

/**
 * The operation a request is, from its method and URL: `{API_URL}/v1/{app}/users` and
 * `.../users/{username}`, each segment non-empty and decodable. The collection GET is the
 * paginated form when the presence query is present with its configured value, the array
 * when absent (D3), and neither when present with another value (E17).
 */
export function operationOf(
  method: string,
  url: string,
  settings: Pick<Settings, 'presenceQuery'> & { apiUrl: string },
): OperationId | undefined {
  let target: URL;
  let base: URL;
  try {
    target = new URL(url);
    base = new URL(`${settings.apiUrl}/`);
  } catch {
    return undefined;
  }
  if (target.origin !== base.origin || !target.pathname.startsWith(base.pathname)) return undefined;
  const segments = target.pathname.slice(base.pathname.length).split('/');
  const [version, app, collection, username, ...rest] = segments;
  if (version !== 'v1' || collection !== 'users' || app === undefined || !decodes(app) || rest.length) return undefined;
  if (username === undefined) {
    if (method === 'POST') return 'createUser';
    if (method !== 'GET') return undefined;
    const presence = target.searchParams.getAll(settings.presenceQuery.name);
    if (presence.length === 0) return 'listUsers';
    return presence.every((value) => value === settings.presenceQuery.value) ? 'listUsersWithPresence' : undefined;
  }
  if (!decodes(username)) return undefined;
  if (method === 'GET') return 'getUser';
  if (method === 'PUT') return 'updateUser';
  if (method === 'DELETE') return 'deleteUser';
  return undefined;
}
