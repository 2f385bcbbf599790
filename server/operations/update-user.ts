// Update User: PUT /v1/{appId}/users/{username} (D7, E12, E23, E25).
import { lengthsBeforeTypes, limitFieldLengths, requireSchema } from '../body-checks.js';
import { ApiError } from '../errors.js';
import type { ItemParams, Operation, ServerParts } from '../operation.js';
import { readJsonBody } from '../request-body.js';
import { userJson } from '../user-json.js';
import { EDITABLE_FIELDS, type UserChanges } from '../user-record.js';

/** Sets the fields the body gives, keeps the others: 200 with the user, 404 when unknown. */
export const updateUser: Operation<ItemParams> = async (request, server) => {
  const body = await readJsonBody(request.message, server.maxBodyBytes, server.faults);
  lengthsBeforeTypes(body, server.faults);
  const asked = requireSchema<UserChanges>('update-user-body', body);
  limitFieldLengths(asked, server.rules);
  const { appId, username } = request.params;
  const renames = asked.username !== undefined && asked.username !== username;
  if (renames && server.rules.differentBodyUsername === 'reject' && !server.faults.on('rename-through-body')) {
    throw new ApiError('username_mismatch', `${JSON.stringify(asked.username)} in the body`);
  }
  const record = server.store.find(appId)?.update(username, changes(asked, renames, server));
  if (!record) throw new ApiError('user_not_found');
  return { status: 200, body: userJson(record, server.rules, server.faults) };
};

function changes(asked: UserChanges, renames: boolean, server: ServerParts): UserChanges {
  const picked: UserChanges = {};
  for (const field of EDITABLE_FIELDS) {
    if (asked[field] !== undefined) picked[field] = asked[field];
  }
  // The bug of fault rename-through-body: the body's username forwarded to the store.
  if (renames && server.faults.on('rename-through-body')) picked.username = asked.username;
  return picked;
}
