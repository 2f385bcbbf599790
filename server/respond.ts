// Writing an answer: every body is JSON with one content type, and a 204 has none (D9).
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Reply } from './operation.js';

/** The content type of every body the server sends. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

const STATUSES_WITHOUT_BODY = new Set([204, 304]);

// Items of a JSON array body per write: about 50 KB of users, so a 20 MB array is never held
// whole, neither as one string nor as one buffer, and each piece stays small enough for V8's
// young generation (larger pieces measured more resident memory, not more speed).
const ITEMS_PER_WRITE = 250;

/** Writes the reply, unless the client is already gone; a JSON array of items resolves once written. */
export function writeReply(response: ServerResponse, reply: Reply): void | Promise<void> {
  if (response.headersSent || response.destroyed) return;
  for (const [name, value] of Object.entries(reply.headers ?? {})) response.setHeader(name, value);
  const hasBody = reply.body !== undefined || reply.jsonText !== undefined || reply.jsonItems !== undefined;
  if (STATUSES_WITHOUT_BODY.has(reply.status) || !hasBody) {
    response.writeHead(reply.status).end();
    return;
  }
  if (reply.jsonItems) return writeJsonArray(response, reply.status, reply.jsonItems);
  const json = reply.jsonText ?? JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(json),
  });
  response.end(json);
}

/** Writes `[item,item,...]` in pieces, waiting for the socket to drain between them. */
async function writeJsonArray(response: ServerResponse, status: number, items: readonly string[]): Promise<void> {
  let length = 2 + Math.max(0, items.length - 1);
  for (const item of items) length += Buffer.byteLength(item);
  response.writeHead(status, { 'content-type': JSON_CONTENT_TYPE, 'content-length': length });
  response.write('[');
  for (let start = 0; start < items.length; start += ITEMS_PER_WRITE) {
    const part = items.slice(start, start + ITEMS_PER_WRITE);
    // An empty first item puts the comma in front, so each piece is one flat string from join.
    if (start > 0) part.unshift('');
    if (!response.write(part.join(',')) && !(await drained(response))) return;
  }
  response.end(']');
}

/** Resolves true once the response can take more, false when it closed instead (client gone, server closing). */
function drained(response: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done).off('close', done);
      resolve(!response.destroyed && response.writable);
    };
    response.once('drain', done).once('close', done);
  });
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
