// The embedded in-memory reference server of the Users API, one tenant per app: conforming in two
// modes, and able to plant named faults so the kit can be shown to catch them.
import { setMaxListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultName } from './faults.js';
import { MODE_RULES, type Mode } from './mode.js';
import type { ServerParts } from './operation.js';
import { requestHandler } from './request-handler.js';
import { type ReferenceServerOptions, type ResolvedOptions, resolveOptions } from './server-options.js';
import { answerClientError, answerConnect } from './socket-answers.js';
import { userJsonText } from './user-json.js';
import { TenantStore } from './user-store.js';

// Re-exported so callers need only this module to start a server.
export type { ReferenceServerOptions } from './server-options.js';
export { OptionError } from './server-options.js';

/** A started server: where it listens and how to stop it. */
export interface RunningReferenceServer {
  /** Base URL, e.g. `http://127.0.0.1:4010` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly mode: Mode;
  readonly faults: readonly FaultName[];
  /** How often the last-resort 500 was reached: 0 unless a fault (or a bug) put it there. */
  readonly unexpectedErrors: number;
  /** HTTP requests received so far (every request node parsed, whatever it was answered). */
  readonly requestsServed: number;
  /** Stops listening, drops every connection and answers still waiting on latency. */
  close(): Promise<void>;
}

// Bounds how long a client may take to send a request, so a lying Content-Length cannot pin
// a connection for node's default five minutes.
const REQUEST_TIMEOUT_MS = 30_000;

/** Starts a reference server; rejects with OptionError for a bad option, before listening. */
export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<RunningReferenceServer> {
  const resolved = resolveOptions(options);
  const rules = MODE_RULES[resolved.mode];
  const store = new TenantStore(rules.order, resolved.faults);
  for (const seed of resolved.seed) {
    store.seed(seed.appId, seed.users);
    // Serialized now, as part of seeding, rather than by the first Get Users of the app.
    for (const record of store.listing(seed.appId).all()) userJsonText(record, rules, resolved.faults);
  }

  const closing = new AbortController();
  // Every answer waiting out --latency-ms listens for the close; hundreds at once are normal.
  setMaxListeners(0, closing.signal);
  let unexpectedErrors = 0;
  let requestsServed = 0;
  let authority = '';
  const parts: ServerParts = {
    store,
    faults: resolved.faults,
    rules,
    maxBodyBytes: resolved.maxBodyBytes,
    maxUsernameLength: resolved.maxUsernameLength,
    // Known once listening, which is before any request can arrive.
    get listenAuthority() {
      return authority;
    },
  };
  const handler = requestHandler({
    server: parts,
    apiKey: { apiKey: resolved.apiKey, header: resolved.apiKeyHeader },
    latencyMs: resolved.latencyMs,
    closing: closing.signal,
    onUnexpected: (at, error) => {
      unexpectedErrors++;
      resolved.logError(`reference server: unexpected error answering ${at}: ${describeError(error)}`);
    },
  });
  const server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS }, (message, response) => {
    requestsServed++;
    handler(message, response);
  });
  server.on('clientError', answerClientError);
  server.on('connect', answerConnect);
  const port = await listen(server, resolved);
  authority = `${resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host}:${port}`;

  return {
    url: `http://${authority}`,
    port,
    mode: resolved.mode,
    faults: resolved.faults.list(),
    get unexpectedErrors() {
      return unexpectedErrors;
    },
    get requestsServed() {
      return requestsServed;
    },
    close: () => close(server, closing),
  };
}

function listen(server: Server, options: ResolvedOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server, closing: AbortController): Promise<void> {
  closing.abort();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
