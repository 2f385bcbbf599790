// JSON answers written to the socket for what never becomes a request (parser errors, CONNECT):
// node would otherwise answer with a bare status or drop the connection (D9).
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ErrorCode, errorAnswer, requestLine } from './errors.js';
import { JSON_CONTENT_TYPE } from './respond.js';

/** The node:http 'clientError' listener: a JSON 4xx, then the connection is closed. */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  writeAndClose(socket, codeFor(error.code), 'A request');
}

/** The node:http 'connect' listener: this server tunnels nothing, so CONNECT gets a JSON 405. */
export function answerConnect(request: IncomingMessage, socket: Duplex): void {
  socket.on('error', () => socket.destroy());
  // An empty Allow says that no method is allowed on a CONNECT target (RFC 9110, 10.2.1).
  writeAndClose(socket, 'method_not_allowed', requestLine(request.method, request.url), 'allow: \r\n');
}

function writeAndClose(socket: Duplex, code: ErrorCode, at: string, extraHeaders = ''): void {
  const { status, body } = errorAnswer(code, at);
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${extraHeaders}` +
      `content-type: ${JSON_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(json)}\r\nconnection: close\r\n\r\n${json}`,
  );
}

function codeFor(nodeCode: string | undefined): ErrorCode {
  if (nodeCode === 'HPE_HEADER_OVERFLOW') return 'headers_too_large';
  if (nodeCode === 'ERR_HTTP_REQUEST_TIMEOUT') return 'request_timeout';
  return 'request_malformed';
}
