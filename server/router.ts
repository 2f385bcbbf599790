// Maps a method and a raw request target onto an operation and its decoded parameters. The
// route table is the only list of what each path supports; the Allow header is read from it.
import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors.js';
import type { FaultSwitches } from './faults.js';
import type { CollectionParams, ItemParams, Operation, Reply, ServerParts } from './operation.js';
import { createUser } from './operations/create-user.js';
import { deleteUser } from './operations/delete-user.js';
import { getUser } from './operations/get-user.js';
import { listUsers } from './operations/list-users.js';
import { updateUser } from './operations/update-user.js';

type MethodTable<Params> = Readonly<Record<string, Operation<Params>>>;

// HEAD runs the GET operation; node leaves the body out of a HEAD answer by itself.
const COLLECTION: MethodTable<CollectionParams> = { GET: listUsers, HEAD: listUsers, POST: createUser };
const ITEM: MethodTable<ItemParams> = { GET: getUser, HEAD: getUser, PUT: updateUser, DELETE: deleteUser };

/** A request matched to its operation and parameters, ready to run. */
export type Routed = (message: IncomingMessage, at: string, server: ServerParts) => Reply | Promise<Reply>;

/** Routes a request; ApiError 404 for unknown paths, 405 for unsupported methods, 400 for bad escapes. */
export function route(method: string, target: string, faults: FaultSwitches): Routed {
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1));
  const segments = path.split('/');
  const [root, version, appId, users, username] = segments;
  // `/v1//users` names the users of no app: a bad request, as users.openapi.yaml declares it.
  if (root === '' && version === 'v1' && appId === '' && users === 'users' && segments.length <= 5) {
    throw new ApiError('app_id_missing');
  }
  const isUsers = root === '' && version === 'v1' && Boolean(appId) && users === 'users';
  if (isUsers && segments.length === 4) {
    const operation = pick(COLLECTION, method);
    return bind(operation, { appId: decode(appId as string) }, query);
  }
  if (isUsers && segments.length === 5 && username) {
    const operation = pick(ITEM, method);
    // The bug of fault username-not-decoded: the raw segment is used as the name.
    let name = faults.on('username-not-decoded') ? username : decode(username);
    // The bug of fault dot-suffix-dropped: a framework that reads `.json` as a format suffix.
    if (faults.on('dot-suffix-dropped')) name = name.replace(/\.[^.]*$/, '');
    return bind(operation, { appId: decode(appId as string), username: name }, query);
  }
  throw new ApiError('route_unknown');
}

function bind<Params>(operation: Operation<Params>, params: Params, query: URLSearchParams): Routed {
  return (message, at, server) => operation({ message, at, params, query }, server);
}

function pick<Params>(table: MethodTable<Params>, method: string): Operation<Params> {
  const operation = Object.hasOwn(table, method) ? table[method] : undefined;
  if (operation) return operation;
  throw new ApiError('method_not_allowed', `${method} is not one of ${allowed(table)}`, { allow: allowed(table) });
}

function allowed(table: Readonly<Record<string, unknown>>): string {
  return Object.keys(table).join(', ');
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError('path_not_decodable', JSON.stringify(segment));
  }
}
