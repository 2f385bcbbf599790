// The kit's HTTP client, the only way tests send requests, so each is recorded as an Exchange,
// carries the credentials and time-out, and every user it creates is remembered for deletion (D12).
import { randomBytes } from 'node:crypto';
import { type APIRequestContext, type APIResponse, request as requestApi } from '@playwright/test';
import { usersUrl, userUrl } from '../../../runtime/paths.js';
import type { Settings } from '../../../runtime/settings.js';
import { confirmTargetAnswers, targetLost } from '../../../runtime/target-lost.js';
import { type Exchange, REDACTED_KEY, type ReceivedResponse, type SentRequest } from './exchange.js';
import { type OperationId, operationOf } from './exchange-operation.js';
import { tallyExchange } from './exercise.js';
import { mapConcurrently } from './map-concurrently.js';
import { currentTest, judgeAndRecord, NOT_SENT } from './run-findings.js';

// Deletes in flight at once when a test ends: enough to be quick (the 30 users a count check
// creates at once go in one round trip), few enough not to flood the target.
const DELETE_CONCURRENCY = 32;

/** Which credentials a request carries: the configured key, none, or a deliberately wrong one. */
export type Credentials = 'configured' | 'none' | 'wrong';

export interface SendOptions {
  /** A value sent as JSON. */
  json?: unknown;
  /** A body sent byte for byte, for malformed input; sent with a JSON content type unless headers say otherwise. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
  credentials?: Credentials;
  /** Overrides the configured request time-out, for checks that must end sooner. */
  timeoutMs?: number;
  /** The operation the request is, where its URL alone does not say (a page reached through a link). */
  operation?: OperationId;
}

export interface AppOption {
  appId?: string;
}

/**
 * Gives a response its `json`, parsed from the text on first read and kept: against an app of
 * 100,000 users a Get Users array is 20 MB, and checks that only judge its status never pay
 * for parsing it. Undefined when the text is empty or not JSON.
 */
function withJson(response: Omit<ReceivedResponse, 'json'>): ReceivedResponse {
  let parsed: { value: unknown } | undefined;
  return Object.defineProperty(response, 'json', {
    enumerable: true,
    get() {
      parsed ??= { value: parseJson(response.text) };
      return parsed.value;
    },
  });
}

function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: the checks that care say so with the text itself.
    return undefined;
  }
}

/**
 * A wrong key that no server issues: random, made once per process. Failure messages print it
 * (so their curl commands repeat the request), so it must not be derived from the configured
 * key: the key reversed, as it once was, put the key itself into every report.
 */
const WRONG_KEY = `wrong-${randomBytes(16).toString('hex')}`;

// A connection the server closed while it sat idle in the pool (its keep-alive time-out, 5 s
// in Node) is reset when the next request is written to it. HTTP clients send such a request
// once more on a new connection (RFC 9112, 9.3.1), and so does the kit: only a request that is
// not answered there either counts as unanswered (E31). A time-out is never sent again.
const RESET_BEFORE_ANSWER = /socket hang up|ECONNRESET/;

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message.split('\n')[0] : undefined) ?? String(error);
}

/** What came back, read whole. */
async function received(response: APIResponse): Promise<ReceivedResponse> {
  // As received: a server that echoes the key has it blanked out of the messages that show
  // this response (runtime/key-redaction.ts), not out of what the checks compare.
  const text = await response.text();
  const headers = response.headers();
  return withJson({ status: response.status(), contentType: headers['content-type'] ?? '', headers, text });
}

/** Sends the request once more on a connection of its own, for a request whose connection was reset. */
async function fetchOnNewConnection(
  url: string,
  init: Parameters<APIRequestContext['fetch']>[1],
): Promise<{ response?: ReceivedResponse }> {
  const context = await requestApi.newContext();
  try {
    return { response: await received(await context.fetch(url, init)) };
  } catch {
    return {};
  } finally {
    await context.dispose();
  }
}

/** Usernames this client asked to create, by app, so a fixture can delete them afterwards. */
export type CreatedUsers = Map<string, Set<string>>;

export class ApiClient {
  readonly created: CreatedUsers = new Map();

  constructor(
    private readonly request: APIRequestContext,
    readonly settings: Settings & { apiUrl: string },
  ) {}

  usersUrl(appId = this.settings.appId): string {
    return usersUrl(this.settings.apiUrl, appId);
  }

  userUrl(username: string, appId = this.settings.appId): string {
    return userUrl(this.settings.apiUrl, appId, username);
  }

  /** The first page of Get Users with Presence, with a page size when one is given (D3). */
  pageUrl(options: AppOption & { limit?: number } = {}): string {
    const url = new URL(this.usersUrl(options.appId));
    url.searchParams.set(this.settings.presenceQuery.name, this.settings.presenceQuery.value);
    if (options.limit !== undefined) url.searchParams.set(this.settings.pageSizeParam, String(options.limit));
    return url.href;
  }

  /** Resolves a link of a page against the URL that page was fetched from (D4: links may be relative). */
  resolve(link: string, from: Exchange): string {
    return new URL(link, from.request.url).href;
  }

  /**
   * Sends one request and judges the exchange by the rules every exchange of the run must meet
   * (exchange-rules.ts), whatever the caller goes on to check: a breach is charged to its
   * requirement for the test that sent it.
   */
  async send(method: string, url: string, options: SendOptions = {}): Promise<Exchange> {
    const sender = currentTest();
    const exchange = await this.exchange(method, url, options);
    const operation = options.operation ?? operationOf(method, url, this.settings);
    judgeAndRecord(exchange, { operation, requestTimeoutMs: this.settings.requestTimeoutMs }, sender);
    if (!exchange.transportError?.startsWith(NOT_SENT)) tallyExchange(exchange, operation, this.settings.pageSizeParam);
    return exchange;
  }

  private async exchange(method: string, url: string, options: SendOptions): Promise<Exchange> {
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | Buffer | undefined;
    if (options.json !== undefined) body = JSON.stringify(options.json);
    else if (options.raw !== undefined) body = options.raw;
    if (body !== undefined) headers['content-type'] = 'application/json';
    Object.assign(headers, options.headers);
    const printedHeaders = { ...headers };
    const credentials = options.credentials ?? 'configured';
    if (this.settings.apiKey && credentials !== 'none') {
      const key = credentials === 'wrong' ? WRONG_KEY : this.settings.apiKey;
      headers[this.settings.apiKeyHeader] = key;
      printedHeaders[this.settings.apiKeyHeader] = credentials === 'wrong' ? key : REDACTED_KEY;
    }
    const sent: SentRequest = { method, url, headers: printedHeaders };
    if (body !== undefined) sent.body = typeof body === 'string' ? body : body.toString('utf8');
    const lost = targetLost();
    if (lost !== undefined) return { request: sent, transportError: `${NOT_SENT}${lost}` };
    const init = {
      method,
      headers,
      // As bytes: Playwright JSON-encodes a string body that does not parse as JSON when the
      // content type is JSON, which would turn every malformed body into a valid JSON string.
      data: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
      timeout: options.timeoutMs ?? this.settings.requestTimeoutMs,
      failOnStatusCode: false,
      maxRedirects: 0,
    };
    try {
      return { request: sent, response: await received(await this.request.fetch(url, init)) };
    } catch (error) {
      const transportError = firstLine(error);
      if (RESET_BEFORE_ANSWER.test(transportError)) {
        const again = await fetchOnNewConnection(url, init);
        if (again.response) return { request: sent, response: again.response };
      }
      await confirmTargetAnswers(this.settings, { method, url, transportError });
      return { request: sent, transportError };
    }
  }

  /** POST /users; the username is remembered before sending, so even a timed-out create is cleaned up. */
  createUser(body: unknown, options: AppOption & SendOptions = {}): Promise<Exchange> {
    const appId = options.appId ?? this.settings.appId;
    const username = (body as { username?: unknown } | null)?.username;
    if (typeof username === 'string' && username) this.remember(appId, username);
    return this.send('POST', this.usersUrl(appId), { json: body, operation: 'createUser', ...options });
  }

  getUser(username: string, options: AppOption & SendOptions = {}): Promise<Exchange> {
    return this.send('GET', this.userUrl(username, options.appId), { operation: 'getUser', ...options });
  }

  updateUser(username: string, body: unknown, options: AppOption & SendOptions = {}): Promise<Exchange> {
    const bodyName = (body as { username?: unknown } | null)?.username;
    // A server may (wrongly) rename through the body; the new name must be cleaned up too.
    if (typeof bodyName === 'string' && bodyName) this.remember(options.appId ?? this.settings.appId, bodyName);
    return this.send('PUT', this.userUrl(username, options.appId), { json: body, operation: 'updateUser', ...options });
  }

  async deleteUser(username: string, options: AppOption & SendOptions = {}): Promise<Exchange> {
    const exchange = await this.send('DELETE', this.userUrl(username, options.appId), {
      operation: 'deleteUser',
      ...options,
    });
    // A user deleted here is not deleted again when the test ends (a server that answers 2xx
    // and keeps the user would keep it then too; the final sweep reports it either way).
    const status = exchange.response?.status;
    if (status !== undefined && status >= 200 && status < 300) {
      this.created.get(options.appId ?? this.settings.appId)?.delete(username);
    }
    return exchange;
  }

  /** Get Users: the array form, without the presence query (D3). */
  listUsers(options: AppOption & SendOptions = {}): Promise<Exchange> {
    return this.send('GET', this.usersUrl(options.appId), { operation: 'listUsers', ...options });
  }

  /** Get Users with Presence: the first page of the envelope (D3, D4). */
  firstPage(options: AppOption & SendOptions & { limit?: number } = {}): Promise<Exchange> {
    return this.send('GET', this.pageUrl(options), { operation: 'listUsersWithPresence', ...options });
  }

  remember(appId: string, username: string): void {
    const names = this.created.get(appId) ?? new Set<string>();
    names.add(username);
    this.created.set(appId, names);
  }

  /** Deletes every user this client asked to create (D12); errors are left to the final sweep. */
  async deleteCreated(): Promise<void> {
    await this.deleteUsers(this.takeCreated());
  }

  /** The users this client asked to create, handed over (for another client to delete) and forgotten here. */
  takeCreated(): CreatedUsers {
    const taken: CreatedUsers = new Map(this.created);
    this.created.clear();
    return taken;
  }

  /**
   * Deletes the given users with this client. A delete that got no HTTP answer (a time-out on a
   * slow or busy target) is sent once more, so the run's own cleanup does not leave users behind
   * for a reason that is not the server's; anything else is left to the final sweep.
   */
  async deleteUsers(created: CreatedUsers): Promise<void> {
    const users = [...created].flatMap(([appId, names]) => [...names].map((username) => ({ appId, username })));
    const unanswered: typeof users = [];
    await mapConcurrently(users, DELETE_CONCURRENCY, async (user) => {
      const exchange = await this.deleteUser(user.username, { appId: user.appId });
      if (!exchange.response) unanswered.push(user);
    });
    await mapConcurrently(unanswered, DELETE_CONCURRENCY, ({ appId, username }) =>
      this.deleteUser(username, { appId }),
    );
  }
}
