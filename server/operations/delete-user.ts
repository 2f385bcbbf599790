// Delete User: DELETE /v1/{appId}/users/{username} (D8).
import { ApiError } from '../errors.js';
import type { ItemParams, Operation } from '../operation.js';
import { userJson } from '../user-json.js';

/** Removes the user: 200 with the deleted user (or 204 in the alternative mode), 404 when unknown. */
export const deleteUser: Operation<ItemParams> = (request, server) => {
  const record = server.store.find(request.params.appId)?.delete(request.params.username);
  if (!record) throw new ApiError('user_not_found');
  if (server.rules.deleteAnswer === 'no-content') return { status: 204 };
  return { status: 200, body: userJson(record, server.rules, server.faults) };
};
