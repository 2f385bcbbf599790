// Get Users and Get Users with Presence: GET /v1/{appId}/users, told apart by the presence
// query (D3, E4, E17).
import type { CollectionParams, Operation } from '../operation.js';
import { userJsonText } from '../user-json.js';
import { usersPage, usersPageText } from '../users-page.js';

// Fault array-capped-at-10: a leftover debugging cap on the array.
const DEBUG_ARRAY_CAP = 10;

/** The array of every user of the app, or with `presence` one page of the envelope. */
export const listUsers: Operation<CollectionParams> = (request, server) => {
  const order = server.store.listing(request.params.appId);
  if (wantsPresence(request.query)) {
    const page = usersPage(
      {
        appId: request.params.appId,
        query: request.query,
        order,
        hostHeader: request.message.headers.host,
        listenAuthority: server.listenAuthority,
      },
      server.rules,
      server.faults,
    );
    return { status: 200, jsonText: usersPageText(page) };
  }
  const records = server.faults.on('array-capped-at-10') ? order.slice(0, DEBUG_ARRAY_CAP) : order.all();
  // Each user's cached text: at 100,000 users, serializing is most of the server's work.
  return { status: 200, jsonItems: records.map((record) => userJsonText(record, server.rules, server.faults)) };
};

// `presence=false` or `presence=0` reads as a request for the plain array.
function wantsPresence(query: URLSearchParams): boolean {
  const value = query.get('presence');
  return value !== null && value !== 'false' && value !== '0';
}
