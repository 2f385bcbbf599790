// The server's conforming personalities: canonical (every SHOULD), alternative (the other allowed
// choice everywhere) and narrow (refuses what it may), so the kit can tell refusing from breaking.
import type { Compare } from './sorted-index.js';
import type { SortKey } from './user-record.js';

/** The mode names, for options and the CLI. */
export const MODES = ['canonical', 'alternative', 'narrow'] as const;

/** One of the server's modes. */
export type Mode = (typeof MODES)[number];

/** The choices a mode makes. */
export interface ModeRules {
  /** 201 (the SHOULD of D5) or 200 (also conforming). */
  readonly createdStatus: 200 | 201;
  /** 200 with the deleted user, or 204 without a body (D8). */
  readonly deleteAnswer: 'deleted-user' | 'no-content';
  /** How later pages are addressed: `offset` query or opaque `cursor` query (D3). */
  readonly paging: 'offset' | 'cursor';
  /** Envelope links as absolute URLs or as paths relative to the server (D4). */
  readonly links: 'absolute' | 'relative';
  /** The stable order of both list forms. */
  readonly order: Compare<SortKey>;
  /** Whether users carry the example's `id`, `role` and `status` besides the eight properties (D6). */
  readonly extraUserProperties: boolean;
  /** Unknown keys in a create body: ignored, or refused with 400 (D5). */
  readonly unknownCreateKeys: 'ignore' | 'reject';
  /** A body username differing from the path on update: refused with 400, or ignored (D7). */
  readonly differentBodyUsername: 'reject' | 'ignore';
  /** A page size that is not an integer >= 1: refused with 400, or the default used (E16). */
  readonly invalidLimit: 'reject' | 'use-default';
  /** The usernames accepted at create, beyond the server's length limit; null for any (E30). */
  readonly usernameRule: { readonly pattern: RegExp; readonly maxLength: number } | null;
  /** The longest first_name, last_name or avatar accepted, in characters; null for no limit (E30). */
  readonly maxFieldLength: number | null;
  /** The SHOULD requirements a mode's choices give up on purpose (their MUST still holds). */
  readonly forgoes: readonly string[];
}

const byCreation: Compare<SortKey> = (a, b) => a.seq - b.seq;

// Ties only happen when a fault lets two users share a name; seq keeps even those stable.
const byUsernameDescending: Compare<SortKey> = (a, b) =>
  a.username < b.username ? 1 : a.username > b.username ? -1 : a.seq - b.seq;

/** The rules of each mode. */
export const MODE_RULES: Record<Mode, ModeRules> = {
  canonical: {
    createdStatus: 201,
    deleteAnswer: 'deleted-user',
    paging: 'offset',
    links: 'absolute',
    order: byCreation,
    extraUserProperties: false,
    unknownCreateKeys: 'ignore',
    differentBodyUsername: 'reject',
    invalidLimit: 'reject',
    usernameRule: null,
    maxFieldLength: null,
    forgoes: [],
  },
  alternative: {
    createdStatus: 200,
    deleteAnswer: 'no-content',
    paging: 'cursor',
    links: 'relative',
    order: byUsernameDescending,
    extraUserProperties: true,
    unknownCreateKeys: 'reject',
    differentBodyUsername: 'ignore',
    invalidLimit: 'use-default',
    usernameRule: null,
    maxFieldLength: null,
    // 200 on create is conforming (2xx is the MUST), and the kit must say it misses the SHOULD.
    forgoes: ['USR-CREATE-STATUS-201'],
  },
  narrow: {
    createdStatus: 201,
    deleteAnswer: 'deleted-user',
    paging: 'offset',
    links: 'absolute',
    order: byCreation,
    extraUserProperties: false,
    unknownCreateKeys: 'ignore',
    differentBodyUsername: 'reject',
    invalidLimit: 'reject',
    // As many sign-up forms do: ASCII letters, digits, dot, dash and underscore, 30 at most.
    usernameRule: { pattern: /^[A-Za-z0-9._-]+$/, maxLength: 30 },
    maxFieldLength: 100,
    forgoes: [],
  },
};

/** Narrows a string to a mode name. */
export function isMode(name: string): name is Mode {
  return (MODES as readonly string[]).includes(name);
}
