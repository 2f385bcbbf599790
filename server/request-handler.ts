// One request from arrival to answer. ApiErrors become catalog answers; anything else is a server
// bug and gets the last-resort 500, which the self-tests show is never reached without a fault.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiKeyPolicy, checkApiKey } from './auth.js';
import { ApiError, type ErrorCode, errorAnswer, requestLine } from './errors.js';
import type { Reply, ServerParts } from './operation.js';
import { pause, writeReply } from './respond.js';
import { route } from './router.js';

/** What the handler needs beyond the operations' parts. */
export interface HandlerParts {
  readonly server: ServerParts;
  readonly apiKey: ApiKeyPolicy;
  readonly latencyMs: number;
  /** Aborted when the server closes, so answers still waiting on latency are dropped. */
  readonly closing: AbortSignal;
  /** Called by the last resort, with the request line and the error. */
  readonly onUnexpected: (at: string, error: unknown) => void;
}

/** The node:http request listener of the reference server. */
export function requestHandler(parts: HandlerParts): (message: IncomingMessage, response: ServerResponse) => void {
  return (message, response) => {
    void handle(message, response, parts);
  };
}

async function handle(message: IncomingMessage, response: ServerResponse, parts: HandlerParts): Promise<void> {
  const at = requestLine(message.method, message.url);
  let reply: Reply;
  try {
    reply = await answer(message, at, parts);
  } catch (error) {
    parts.onUnexpected(at, error);
    reply = errorReply('internal_error', at);
  }
  if (!(await pause(parts.latencyMs, parts.closing))) return;
  try {
    await writeReply(response, reply);
  } catch (error) {
    parts.onUnexpected(at, error);
    response.destroy();
  }
}

async function answer(message: IncomingMessage, at: string, parts: HandlerParts): Promise<Reply> {
  try {
    checkApiKey(message, parts.apiKey, parts.server.faults);
    const run = route(message.method ?? '', message.url ?? '', parts.server.faults);
    return await run(message, at, parts.server);
  } catch (error) {
    if (error instanceof ApiError) return errorReply(error.code, at, error.detail, error.headers);
    throw error;
  }
}

function errorReply(code: ErrorCode, at: string, detail?: string, headers?: Record<string, string>): Reply {
  const { status, body } = errorAnswer(code, at, detail);
  return { status, body, headers: headers ?? {} };
}
