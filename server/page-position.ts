// How a page position travels in a link: a plain `offset`, or an opaque `cursor` holding the first
// user's sort key, which survives inserts and deletes before it where an offset does not.
import { Buffer } from 'node:buffer';
import { ApiError } from './errors.js';
import type { ModeRules } from './mode.js';
import type { OrderedView } from './sorted-index.js';
import type { SortKey, UserRecord } from './user-record.js';

/** Reads and writes page positions (indexes into the list order) as a query parameter. */
export interface PositionScheme {
  /** The query parameter that carries the position. */
  readonly param: string;
  /** The index a token designates; ApiError when the token is not one this scheme writes. */
  read(token: string, order: OrderedView<UserRecord>): number;
  /** The token for an index; an index at or past the end designates the end. */
  write(index: number, order: OrderedView<UserRecord>): string;
}

const offsetScheme: PositionScheme = {
  param: 'offset',
  read(token) {
    const offset = /^\d+$/.test(token) ? Number(token) : Number.NaN;
    if (!Number.isSafeInteger(offset)) throw new ApiError('offset_invalid', `offset=${token}`);
    return offset;
  },
  write: (index) => String(index),
};

type CursorJson = { u: string; s: number } | { end: true };

function cursorScheme(rules: ModeRules): PositionScheme {
  return {
    param: 'cursor',
    read(token, order) {
      const position = decodeCursor(token);
      if ('end' in position) return order.size;
      const probe: SortKey = { username: position.u, seq: position.s };
      return order.firstIndexWhere((record) => rules.order(record, probe) >= 0);
    },
    write(index, order) {
      const record = order.at(index);
      const position: CursorJson = record ? { u: record.username, s: record.seq } : { end: true };
      return Buffer.from(JSON.stringify(position)).toString('base64url');
    },
  };
}

function decodeCursor(token: string): CursorJson {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new ApiError('cursor_invalid', `cursor=${token}`);
  }
  if (isCursor(position)) return position;
  throw new ApiError('cursor_invalid', `cursor=${token}`);
}

function isCursor(value: unknown): value is CursorJson {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  if (candidate.end === true) return true;
  return typeof candidate.u === 'string' && Number.isSafeInteger(candidate.s);
}

/** The position scheme of a mode. */
export function positionScheme(rules: ModeRules): PositionScheme {
  return rules.paging === 'offset' ? offsetScheme : cursorScheme(rules);
}
