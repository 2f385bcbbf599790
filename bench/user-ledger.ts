// What a run of requests did to each app's users, judged from the answers alone so any serving order
// holds: a name is live exactly when its 2xx creates outnumber its 2xx deletes by one (D5, D8).

/** One name of one app, as far as the answers told. */
export interface LedgerEntry {
  /** 1 when the app listed the name as the ledger started. */
  atStart: 0 | 1;
  /** Creates and deletes of the name answered 2xx. */
  creates: number;
  deletes: number;
  /** A create or delete that got no answer (a run cut short): either outcome is allowed. */
  unanswered: boolean;
  /** The last requests about the name and what came back, oldest first, for failure messages. */
  history: string[];
}

/** What the answers say a name should be now. */
export type Expected = 'live' | 'gone' | 'either' | 'impossible';

// A name may be touched thousands of times under load; a message needs only the last few.
const HISTORY_KEPT = 12;

/** The users of every app a run touched, from the answers to its creates and deletes. */
export class UserLedger {
  private readonly apps = new Map<string, Map<string, LedgerEntry>>();

  /** Records the names an app lists before the run: the state the run starts from. */
  startWith(appId: string, usernames: Iterable<string>): void {
    // Known from now on even when empty, so its lists are checked too.
    this.app(appId);
    for (const username of usernames) this.record(appId, username, undefined).atStart = 1;
  }

  /** A create of the name answered 2xx. */
  created(appId: string, username: string, exchange?: string): void {
    this.record(appId, username, exchange).creates++;
  }

  /** A delete of the name answered 2xx. */
  deleted(appId: string, username: string, exchange?: string): void {
    this.record(appId, username, exchange).deletes++;
  }

  /** A create or delete of the name was sent and got no answer, so it may or may not have happened. */
  unanswered(appId: string, username: string, exchange?: string): void {
    this.record(appId, username, exchange).unanswered = true;
  }

  /** Any other request about the name, kept for the failure messages. */
  touched(appId: string, username: string, exchange: string): void {
    this.record(appId, username, exchange);
  }

  /** The apps the ledger knows, in the order it met them. */
  appIds(): string[] {
    return [...this.apps.keys()];
  }

  /** The names of an app with their entries. */
  entries(appId: string): ReadonlyMap<string, Readonly<LedgerEntry>> {
    return this.apps.get(appId) ?? new Map();
  }

  private app(appId: string): Map<string, LedgerEntry> {
    let app = this.apps.get(appId);
    if (!app) {
      app = new Map();
      this.apps.set(appId, app);
    }
    return app;
  }

  private record(appId: string, username: string, exchange: string | undefined): LedgerEntry {
    const app = this.app(appId);
    let entry = app.get(username);
    if (!entry) {
      entry = { atStart: 0, creates: 0, deletes: 0, unanswered: false, history: [] };
      app.set(username, entry);
    }
    if (exchange !== undefined) {
      entry.history.push(exchange);
      if (entry.history.length > HISTORY_KEPT) entry.history.shift();
    }
    return entry;
  }
}

/** What an entry says the name should be now. */
export function expectedOf(entry: Readonly<LedgerEntry>): Expected {
  const live = entry.atStart + entry.creates - entry.deletes;
  // One unanswered create or delete moves the count by at most one either way.
  if (entry.unanswered) return live >= -1 && live <= 2 ? 'either' : 'impossible';
  if (live === 1) return 'live';
  if (live === 0) return 'gone';
  return 'impossible';
}
