// Writing an answer: every body is JSON with one content type, and a 204 has none (D9).
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Reply } from './operation.js';

/** The content type of every body the server sends. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

const STATUSES_WITHOUT_BODY = new Set([204, 304]);

/** Writes the reply, unless the client is already gone. */
export function writeReply(response: ServerResponse, reply: Reply): void {
  if (response.headersSent || response.destroyed) return;
  for (const [name, value] of Object.entries(reply.headers ?? {})) response.setHeader(name, value);
  if (STATUSES_WITHOUT_BODY.has(reply.status) || reply.body === undefined) {
    response.writeHead(reply.status).end();
    return;
  }
  const json = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(json),
  });
  response.end(json);
}

/** Waits `ms` before an answer; resolves false instead when the server closes meanwhile. */
export async function pause(ms: number, closing: AbortSignal): Promise<boolean> {
  if (ms <= 0) return !closing.aborted;
  try {
    await sleep(ms, undefined, { signal: closing });
    return true;
  } catch {
    return false;
  }
}
