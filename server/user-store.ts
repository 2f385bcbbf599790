// Every app's users: a Map by username and a SortedIndex in list order, changed in one synchronous
// step so no other request can run between a uniqueness check and its insert.
import type { FaultSwitches } from './faults.js';
import { type Compare, OrderedView, SortedIndex } from './sorted-index.js';
import {
  EDITABLE_FIELDS,
  laterThan,
  type NewUser,
  type SortKey,
  type UserChanges,
  type UserRecord,
} from './user-record.js';

const VARCHAR_LENGTH = 255;

interface StoreParts {
  readonly order: Compare<SortKey>;
  readonly faults: FaultSwitches;
  readonly nextSeq: () => number;
}

/** The users of one app. */
export class AppStore {
  private readonly byName = new Map<string, UserRecord>();
  /** The app's users in list order; pages are cut from it. */
  readonly index: SortedIndex<UserRecord>;
  // Index entries whose name the map gives to another record: only faults make any.
  private shadowed = 0;

  constructor(private readonly parts: StoreParts) {
    this.index = new SortedIndex<UserRecord>(parts.order);
  }

  /** The user of that name, if any. */
  get(username: string): UserRecord | undefined {
    return this.byName.get(username);
  }

  /** Whether the name is taken. */
  has(username: string): boolean {
    return this.byName.has(username);
  }

  /** Creates the user, or answers undefined when the name is taken: check and insert are one step. */
  create(input: NewUser): UserRecord | undefined {
    // The bug of fault username-emoji-500: a unique index whose collation fails on emoji.
    if (this.parts.faults.on('username-emoji-500') && /\p{Extended_Pictographic}/u.test(input.username)) {
      throw new Error('collation cannot compare the username');
    }
    if (this.byName.has(input.username) && !this.parts.faults.on('duplicate-usernames')) return undefined;
    return this.insert(input);
  }

  /** Inserts without asking whether the name is taken: callers must have made sure. */
  insert(input: NewUser, now = Date.now()): UserRecord {
    this.checkColumns(input);
    const record = newRecord(this.parts.nextSeq(), input, now);
    if (this.byName.has(record.username)) this.shadowed++;
    this.byName.set(record.username, record);
    this.index.insert(record);
    return record;
  }

  /** Adds many users at once with a single sort of the index. */
  seed(inputs: readonly UserRecord[]): void {
    for (const record of inputs) this.byName.set(record.username, record);
    this.index.insertMany(inputs);
  }

  /** Applies the changes to the user of that name; undefined when there is none. */
  update(username: string, changes: UserChanges): UserRecord | undefined {
    const record = this.byName.get(username);
    if (!record) return undefined;
    this.checkColumns(changes);
    // The bug of fault empty-update-500: an UPDATE built from the fields given, with no SET list.
    if (this.parts.faults.on('empty-update-500') && EDITABLE_FIELDS.every((field) => changes[field] === undefined)) {
      throw new Error('syntax error at or near "WHERE"');
    }
    const now = laterThan(record.updatedAt);
    for (const field of EDITABLE_FIELDS) {
      const value = changes[field];
      if (value !== undefined) record[field] = value;
    }
    if (changes.username !== undefined && changes.username !== username) this.rename(record, changes.username);
    if (this.parts.faults.on('created-at-changes-on-update')) record.createdAt = now;
    if (!this.parts.faults.on('updated-at-frozen')) record.updatedAt = now;
    record.jsonText = undefined;
    return record;
  }

  // The bugs of faults long-field-500 and astral-name-500: the columns of a careless schema,
  // VARCHAR(255) and a three-byte UTF-8 character set, refuse values the API accepted.
  private checkColumns(values: UserChanges): void {
    for (const field of EDITABLE_FIELDS) {
      const value = values[field];
      if (value === undefined) continue;
      if (this.parts.faults.on('long-field-500') && Array.from(value).length > VARCHAR_LENGTH) {
        throw new Error(`value too long for type character varying(${VARCHAR_LENGTH})`);
      }
      if (this.parts.faults.on('astral-name-500') && field !== 'avatar' && /[\u{10000}-\u{10FFFF}]/u.test(value)) {
        throw new Error(`incorrect string value for column ${field}`);
      }
    }
  }

  /** Removes the user of that name and answers it; undefined when there is none. */
  delete(username: string): UserRecord | undefined {
    const record = this.byName.get(username);
    if (!record) return undefined;
    if (this.parts.faults.on('delete-keeps-user')) return record;
    if (this.parts.faults.on('delete-by-prefix')) {
      for (const other of [...this.byName.values()]) {
        if (other.username.startsWith(username)) this.remove(other);
      }
      return record;
    }
    this.remove(record);
    return record;
  }

  private remove(record: UserRecord): void {
    this.byName.delete(record.username);
    if (this.parts.faults.on('delete-leaves-in-lists')) return;
    this.index.remove(record);
    if (this.shadowed > 0) this.removeShadows(record.username);
  }

  // A delete by name takes every entry of that name, as a table without a unique key would;
  // a fault that let a name in twice then shows in the lists, not as undeletable leftovers.
  private removeShadows(username: string): void {
    for (const shadow of this.index.all().filter((other) => other.username === username)) {
      this.index.remove(shadow);
      this.shadowed--;
    }
  }

  // Only reachable when the update handler forwards a body username (fault rename-through-body):
  // a naive rename that overwrites whoever held the new name in the map.
  private rename(record: UserRecord, username: string): void {
    this.byName.delete(record.username);
    this.index.remove(record);
    record.username = username;
    if (this.byName.has(username)) this.shadowed++;
    this.byName.set(username, record);
    this.index.insert(record);
  }
}

/** Every app's users: tenants are created on the first write, reads of an unknown app see none. */
export class TenantStore {
  private readonly apps = new Map<string, AppStore>();
  private seq = 0;
  private readonly parts: StoreParts;

  constructor(
    private readonly order: Compare<SortKey>,
    private readonly faults: FaultSwitches,
  ) {
    this.parts = { order, faults, nextSeq: () => ++this.seq };
  }

  /** The app's store, created if this is the app's first write. */
  app(appId: string): AppStore {
    let app = this.apps.get(appId);
    if (!app) {
      app = new AppStore(this.parts);
      this.apps.set(appId, app);
    }
    return app;
  }

  /** The app's store if the app has ever been written to. */
  find(appId: string): AppStore | undefined {
    return this.apps.get(appId);
  }

  /** The users both list forms show for the app, in list order. */
  listing(appId: string): OrderedView<UserRecord> {
    if (this.faults.on('tenant-leak-in-lists')) return this.everyApp();
    return this.apps.get(appId)?.index ?? new OrderedView<UserRecord>([]);
  }

  /** Seeds an app with `count` users named `user-000001` and so on. */
  seed(appId: string, count: number): void {
    const width = Math.max(6, String(count).length);
    const now = Date.now();
    const records: UserRecord[] = [];
    for (let n = 1; n <= count; n++) {
      const username = `user-${String(n).padStart(width, '0')}`;
      const record = newRecord(++this.seq, { username, first_name: 'Seed', last_name: `User ${n}` }, now);
      // Some seeded users are online, so page items show both presence values.
      if (n % 4 === 0) {
        record.presence = 1;
        record.lastLoginAt = now;
      }
      records.push(record);
    }
    this.app(appId).seed(records);
  }

  // The bug of fault tenant-leak-in-lists: a list query that forgot its app filter.
  private everyApp(): OrderedView<UserRecord> {
    const all = [...this.apps.values()].flatMap((app) => app.index.all());
    return new OrderedView(all.sort(this.order));
  }
}

function newRecord(seq: number, input: NewUser, now: number): UserRecord {
  return {
    seq,
    username: input.username,
    first_name: input.first_name ?? '',
    last_name: input.last_name ?? '',
    avatar: input.avatar ?? '',
    createdAt: now,
    updatedAt: now,
    lastLoginAt: null,
    presence: 0,
    jsonText: undefined,
  };
}
