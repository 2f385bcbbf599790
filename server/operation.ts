// What the router hands an operation and what an operation hands back: operations never
// touch the response object, so latency, headers and errors are handled in one place.
import type { IncomingMessage } from 'node:http';
import type { FaultSwitches } from './faults.js';
import type { ModeRules } from './mode.js';
import type { TenantStore } from './user-store.js';

/** What an operation answers: a status, and a JSON body unless the status has none. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  /** The body already serialized as JSON, sent as it is instead of `body`. */
  readonly jsonText?: string;
  /**
   * A JSON array body given as the JSON texts of its items, instead of `body`: Get Users at
   * 100,000 users is 20 MB, which is written piece by piece as the socket takes it.
   */
  readonly jsonItems?: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
}

/** The parts of a running server that operations use. */
export interface ServerParts {
  readonly store: TenantStore;
  readonly faults: FaultSwitches;
  readonly rules: ModeRules;
  readonly maxBodyBytes: number;
  readonly maxUsernameLength: number;
  /** `host:port` the server listens on, for links when a request has no usable Host header. */
  readonly listenAuthority: string;
}

/** One routed request: the raw message, its decoded path parameters and its query. */
export interface OperationRequest<Params> {
  readonly message: IncomingMessage;
  /** The request line, e.g. `PUT /v1/app/users/bob`, for error messages. */
  readonly at: string;
  readonly params: Params;
  readonly query: URLSearchParams;
}

/** The path parameters of /v1/{appId}/users. */
export interface CollectionParams {
  readonly appId: string;
}

/** The path parameters of /v1/{appId}/users/{username}. */
export interface ItemParams extends CollectionParams {
  readonly username: string;
}

/** An operation of the API. */
export type Operation<Params> = (request: OperationRequest<Params>, server: ServerParts) => Reply | Promise<Reply>;
