// Reading a request body: bounded in size whatever Content-Length says, and parsed as JSON
// once, so every operation gets the same 400s and 413s.
import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors.js';
import type { FaultSwitches } from './faults.js';

// After a 413 the rest of the body is read and dropped, and the connection stays open: a
// server that closes while the client still sends makes the kernel reset the connection, and
// the client reads the reset instead of the 413 (E15). Past this much the socket is cut.
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/** The whole body, or ApiError body_too_large as soon as it passes `maxBytes`. */
export function readBody(message: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(message.headers['content-length']);
  if (declared > maxBytes) {
    drain(message);
    return Promise.reject(tooLarge(`it declares ${declared} bytes, and at most ${maxBytes} are accepted`, maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = () => {
      message.off('data', onData);
      message.off('end', onEnd);
      message.off('close', onClose);
      message.off('error', onClose);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      stop();
      drain(message);
      reject(tooLarge(`it is longer than ${maxBytes} bytes`, maxBytes));
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, received));
    };
    // The client went away mid-body: there is nobody to answer, but the promise must settle.
    const onClose = () => {
      stop();
      reject(new ApiError('request_malformed', 'the body ended before it was complete'));
    };
    message.on('data', onData);
    message.on('end', onEnd);
    message.on('close', onClose);
    message.on('error', onClose);
  });
}

/** The body parsed as JSON; ApiError body_not_json when it is not JSON. */
export async function readJsonBody(
  message: IncomingMessage,
  maxBytes: number,
  faults: FaultSwitches,
): Promise<unknown> {
  const text = (await readBody(message, maxBytes)).toString('utf8');
  // The bug of fault malformed-json-500: the parse error escapes to the last-resort 500.
  if (faults.on('malformed-json-500')) return JSON.parse(text) as unknown;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError('body_not_json', text.length === 0 ? 'the body is empty' : (error as Error).message);
  }
}

function tooLarge(detail: string, maxBytes: number): ApiError {
  return new ApiError('body_too_large', detail, { 'x-max-body-bytes': String(maxBytes) });
}

function drain(message: IncomingMessage): void {
  let dropped = 0;
  message.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_LIMIT_BYTES) message.socket.destroy();
  });
  message.on('error', () => {});
  message.resume();
}
