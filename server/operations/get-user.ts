// Get User: GET /v1/{appId}/users/{username} (D6, D9).
import { ApiError } from '../errors.js';
import type { ItemParams, Operation } from '../operation.js';
import { userJsonText } from '../user-json.js';

/** Answers the user of that name in the app, or 404. */
export const getUser: Operation<ItemParams> = (request, server) => {
  const record = server.store.find(request.params.appId)?.get(request.params.username);
  if (record) return { status: 200, jsonText: userJsonText(record, server.rules, server.faults) };
  // Fault unknown-user-empty-200: a lookup miss sent as an empty object.
  if (server.faults.on('unknown-user-empty-200')) return { status: 200, body: {} };
  throw new ApiError('user_not_found');
};
