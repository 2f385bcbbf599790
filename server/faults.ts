// Fault switches: realistic bugs the server can start with, each read where the bug would live, so the
// kit can be shown to catch it. `breaks` names the requirements it fails (checked against the catalog).

/** What one fault switch is: its name, the bug it plants, and the requirements it violates. */
export interface FaultSpec {
  readonly name: string;
  readonly description: string;
  readonly breaks: readonly string[];
}

/** Every fault switch of the server: the only list of them. */
export const FAULTS = [
  {
    name: 'duplicate-usernames',
    description: 'Create skips the uniqueness check, so a second create of a name succeeds and both are listed.',
    breaks: [
      'USR-CREATE-DUPLICATE',
      'USR-CREATE-DUPLICATE-409',
      'USR-CREATE-DUPLICATE-KEEPS-FIRST',
      'USR-CREATE-CONCURRENT-UNIQUE',
    ],
  },
  {
    name: 'non-atomic-uniqueness',
    description: 'Create checks the name, awaits a few milliseconds, then inserts: simultaneous creates all succeed.',
    breaks: ['USR-CREATE-CONCURRENT-UNIQUE'],
  },
  {
    name: 'delete-keeps-user',
    description: 'Delete answers success but removes nothing.',
    breaks: [
      'USR-DELETE-GET-404',
      'USR-DELETE-GONE-FROM-LISTS',
      'USR-DELETE-TOTAL-DROPS',
      'USR-DELETE-NAME-REUSABLE',
      'USR-CLEANUP-NO-LEFTOVERS',
    ],
  },
  {
    name: 'delete-leaves-in-lists',
    description: 'Delete removes the user from the lookup map but not from the list and page index.',
    breaks: [
      'USR-DELETE-GONE-FROM-LISTS',
      'USR-DELETE-TOTAL-DROPS',
      'USR-PAGE-WALK-EVERY-USER-ONCE',
      'USR-CLEANUP-NO-LEFTOVERS',
    ],
  },
  {
    name: 'delete-by-prefix',
    description: 'Deleting a user also deletes every user whose name starts with that name.',
    breaks: ['USR-DELETE-OTHERS-UNAFFECTED'],
  },
  {
    name: 'total-count-off-by-one',
    description: 'The paginated envelope reports total_count one higher than the number of users.',
    breaks: ['USR-PAGE-WALK-EVERY-USER-ONCE', 'USR-LIST-MATCHES-TOTAL'],
  },
  {
    name: 'count-not-page-length',
    description: 'The envelope reports the page size asked as count, even on a short last page.',
    breaks: ['USR-PAGE-COUNT-EQUALS-ITEMS'],
  },
  {
    name: 'next-skips-item',
    description: "The next link's position is one past where it should be, so one user per page is never shown.",
    breaks: ['USR-PAGE-WALK-EVERY-USER-ONCE', 'USR-PAGE-WALK-ENDS-AT-LAST', 'USR-PAGE-PREVIEWS-BACK'],
  },
  {
    name: 'last-page-next-not-null',
    description: "The last page's next link points past the end, to an empty page.",
    breaks: ['USR-PAGE-LAST-NEXT-NULL', 'USR-PAGE-WALK-ENDS-AT-LAST'],
  },
  {
    name: 'unstable-order',
    description: 'Each page request reads the users in a freshly shuffled order, led by another user than the last.',
    breaks: [
      'USR-PAGE-FIRST-LAST-LINKS',
      'USR-PAGE-WALK-ENDS-AT-LAST',
      'USR-PAGE-WALK-EVERY-USER-ONCE',
      'USR-PAGE-CURRENT-REFETCH',
      'USR-PAGE-PREVIEWS-BACK',
    ],
  },
  {
    name: 'missing-property',
    description: 'Every user object is sent without its avatar property.',
    breaks: [
      'USR-CREATE-SHAPE',
      'USR-CREATE-ECHO',
      'USR-GET-SUCCESS',
      'USR-GET-SHAPE',
      'USR-UPDATE-SHAPE',
      'USR-UPDATE-FIELDS-SET',
      'USR-LIST-ITEM-SHAPE',
    ],
  },
  {
    name: 'presence-status-string',
    description: 'presence_status is sent as the string "offline" or "online" instead of 0 or 1.',
    breaks: [
      'USR-CREATE-SHAPE',
      'USR-CREATE-PRESENCE-OFFLINE',
      'USR-GET-SHAPE',
      'USR-UPDATE-SHAPE',
      'USR-LIST-ITEM-SHAPE',
      'USR-PAGE-ITEM-PRESENCE',
    ],
  },
  {
    name: 'created-at-changes-on-update',
    description: 'Update sets created_at to the time of the update.',
    breaks: ['USR-UPDATE-CREATED-AT'],
  },
  {
    name: 'updated-at-frozen',
    description: 'Update leaves updated_at at its creation value.',
    breaks: ['USR-UPDATE-UPDATED-AT'],
  },
  {
    name: 'rename-through-body',
    description: 'Update applies a body username as a rename, even onto a taken name, leaving two users with one name.',
    breaks: ['USR-UPDATE-USERNAME-IGNORED', 'USR-UPDATE-NO-DUPLICATE'],
  },
  {
    name: 'malformed-json-500',
    description: 'A body that is not valid JSON answers 500 instead of 400.',
    breaks: [
      'USR-CREATE-MALFORMED-JSON',
      'USR-CREATE-INVALID-400',
      'USR-UPDATE-INVALID-BODY',
      'USR-UPDATE-INVALID-400',
      'USR-ROBUST-NO-5XX',
    ],
  },
  {
    name: 'unknown-user-empty-200',
    description: 'GET of an unknown username answers 200 with {} instead of 404.',
    // A 200 to Get User must be a user: the exchange rules charge every such {} to the shape.
    breaks: ['USR-GET-NOT-FOUND', 'USR-GET-SHAPE', 'USR-DELETE-GET-404', 'USR-TENANCY-ITEM-ISOLATED'],
  },
  {
    name: 'tenant-leak-in-lists',
    description: 'Both list forms show the users of every app, not only the app of the path.',
    breaks: ['USR-TENANCY-LIST-ISOLATED'],
  },
  {
    name: 'auth-not-enforced',
    description: 'Requests without the API key or with a wrong one are served as if the key were right.',
    breaks: ['USR-AUTH-MISSING-KEY', 'USR-AUTH-WRONG-KEY'],
  },
  {
    name: 'username-not-decoded',
    description: 'The username in the path is matched without percent-decoding it.',
    // The kit cannot delete the users it created under encoded names, so they are left over.
    breaks: ['USR-USERNAME-ENCODED-PATH', 'USR-CLEANUP-NO-LEFTOVERS'],
  },
  {
    name: 'array-capped-at-10',
    description: 'Get Users (the array form) returns at most 10 users.',
    breaks: ['USR-LIST-HOLDS-CREATED', 'USR-LIST-MATCHES-TOTAL'],
  },
  {
    name: 'previous-instead-of-previews',
    description: 'The envelope links name the previous page `previous` instead of the published `previews`.',
    breaks: ['USR-PAGE-ENVELOPE'],
  },
  {
    name: 'astral-name-500',
    description:
      'A first_name or last_name with a character outside the BMP answers 500, as a utf8mb3 column refuses it.',
    breaks: ['USR-ROBUST-NO-5XX'],
  },
  {
    name: 'long-field-500',
    description:
      'A first_name, last_name or avatar over 255 characters answers 500, as a VARCHAR(255) column refuses it.',
    breaks: ['USR-ROBUST-NO-5XX'],
  },
  {
    name: 'empty-update-500',
    description: 'An update that sets no field answers 500, as an UPDATE with an empty SET list fails.',
    breaks: ['USR-ROBUST-NO-5XX'],
  },
  {
    name: 'null-field-500',
    description: 'A null first_name, last_name or avatar answers 500: a length check runs before the type check.',
    breaks: ['USR-ROBUST-NO-5XX'],
  },
  {
    name: 'dot-suffix-dropped',
    description: 'The username in the path loses its last dot and what follows, read as a format suffix (.json).',
    // The kit cannot delete the users it created with dots in their names, so they are left over.
    breaks: ['USR-USERNAME-ENCODED-PATH', 'USR-CLEANUP-NO-LEFTOVERS'],
  },
  {
    name: 'username-emoji-500',
    description: 'A create whose username holds an emoji answers 500 (a collation that cannot compare it).',
    // The username tests only note a 5xx: the rule that no request gets one owns it.
    breaks: ['USR-ROBUST-NO-5XX'],
  },
  {
    name: 'duplicate-answers-400',
    description: 'A create of a taken name answers 400 instead of 409 (only a SHOULD is broken).',
    breaks: ['USR-CREATE-DUPLICATE-409'],
  },
  {
    name: 'timestamps-not-rfc3339',
    description: 'Timestamps are sent like "Sat Nov 28 2026 10:00:00", not RFC 3339 (only a SHOULD is broken).',
    breaks: ['USR-USER-TIMESTAMPS-RFC3339'],
  },
] as const satisfies readonly FaultSpec[];

/** The name of one fault switch. */
export type FaultName = (typeof FAULTS)[number]['name'];

/** Thrown at start when a fault name is not one of FAULTS. */
export class UnknownFaultError extends Error {
  override name = 'UnknownFaultError';
}

const FAULT_NAMES: ReadonlySet<string> = new Set(FAULTS.map((fault) => fault.name));

/** Narrows a name to a fault name. */
export function isFaultName(name: string): name is FaultName {
  return FAULT_NAMES.has(name);
}

/** The switches one server was started with; read-only once built. */
export class FaultSwitches {
  private readonly enabled: ReadonlySet<FaultName>;

  constructor(names: readonly string[] = []) {
    const unknown = names.filter((name) => !isFaultName(name));
    if (unknown.length > 0) {
      throw new UnknownFaultError(
        `Unknown fault ${unknown.map((name) => `"${name}"`).join(', ')}; known faults: ${[...FAULT_NAMES].join(', ')}.`,
      );
    }
    this.enabled = new Set(names as readonly FaultName[]);
  }

  /** Whether the server plants this bug. */
  on(name: FaultName): boolean {
    return this.enabled.has(name);
  }

  /** The faults that are on, in the order of FAULTS. */
  list(): FaultName[] {
    return FAULTS.map((fault) => fault.name).filter((name) => this.enabled.has(name));
  }
}
