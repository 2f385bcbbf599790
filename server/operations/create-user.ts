// Create User: POST /v1/{appId}/users (D5).
import { setTimeout as sleep } from 'node:timers/promises';
import {
  lengthsBeforeTypes,
  limitFieldLengths,
  limitUsernameAlphabet,
  limitUsernameLength,
  rejectUnknownCreateKeys,
  rejectUnreachableUsername,
  requireSchema,
} from '../body-checks.js';
import { ApiError } from '../errors.js';
import type { CollectionParams, Operation, ServerParts } from '../operation.js';
import { readJsonBody } from '../request-body.js';
import { userJson } from '../user-json.js';
import type { NewUser, UserRecord } from '../user-record.js';
import type { AppStore } from '../user-store.js';

// A database round trip between check and insert: wide enough that simultaneous requests
// land inside it even on a loaded two-core CI machine (5 ms was missed now and then).
const SLOW_CHECK_MS = 50;

/** Creates a user in the app: 201 (or 200 in the alternative mode) with the user, 409 when taken. */
export const createUser: Operation<CollectionParams> = async (request, server) => {
  const body = await readJsonBody(request.message, server.maxBodyBytes, server.faults);
  lengthsBeforeTypes(body, server.faults);
  const input = requireSchema<NewUser>('create-user-body', body);
  if (server.rules.unknownCreateKeys === 'reject') rejectUnknownCreateKeys(input);
  limitUsernameLength(input.username, server.maxUsernameLength);
  limitUsernameAlphabet(input.username, server.rules);
  limitFieldLengths(input, server.rules);
  rejectUnreachableUsername(input.username);
  const app = server.store.app(request.params.appId);
  const record = server.faults.on('non-atomic-uniqueness') ? await createAfterSlowCheck(app, input) : app.create(input);
  if (!record) throw nameTaken(input.username, server);
  return { status: server.rules.createdStatus, body: userJson(record, server.rules, server.faults) };
};

// The bug of fault non-atomic-uniqueness: an await between the check and the insert.
async function createAfterSlowCheck(app: AppStore, input: NewUser): Promise<UserRecord | undefined> {
  if (app.has(input.username)) return undefined;
  await sleep(SLOW_CHECK_MS);
  return app.insert(input);
}

function nameTaken(username: string, server: ServerParts): ApiError {
  // Fault duplicate-answers-400: the conflict reported as a plain validation error.
  const code = server.faults.on('duplicate-answers-400') ? 'body_invalid' : 'username_taken';
  return new ApiError(code, JSON.stringify(username));
}
