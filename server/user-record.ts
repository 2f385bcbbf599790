// What the server stores of a user, not what it sends (user-json.ts): timestamps as epoch
// milliseconds, so sending is the one place that formats them.

/** The properties Update User may change; `username` is the key and never changes. */
export const EDITABLE_FIELDS = ['first_name', 'last_name', 'avatar'] as const;

/** One of the properties Update User may change. */
export type EditableField = (typeof EDITABLE_FIELDS)[number];

/** One stored user. `seq` is unique in the server and orders users by creation. */
export interface UserRecord {
  readonly seq: number;
  username: string;
  first_name: string;
  last_name: string;
  avatar: string;
  createdAt: number;
  updatedAt: number;
  lastLoginAt: number | null;
  presence: 0 | 1;
  /**
   * The user's JSON text as last sent (user-json.ts), kept so that Get Users at 100,000 users
   * joins texts instead of serializing every user again; dropped whenever a field changes.
   */
  jsonText: string | undefined;
}

/** What a create asks for: a username and any of the editable fields. */
export type NewUser = Pick<UserRecord, 'username'> & Partial<Pick<UserRecord, EditableField>>;

/** What an update asks for. A username here is a rename, which only a fault lets through. */
export type UserChanges = Partial<Pick<UserRecord, EditableField | 'username'>>;

/** The keys a create body may hold: the username and the editable fields. */
export const CREATE_KEYS: ReadonlySet<string> = new Set(['username', ...EDITABLE_FIELDS]);

/** The part of a user that the orders of users compare. */
export type SortKey = Pick<UserRecord, 'username' | 'seq'>;

/** The time for an updated_at: now, but always after `previous`, so that it visibly changes. */
export function laterThan(previous: number): number {
  return Math.max(Date.now(), previous + 1);
}
