// The one walk per worker that the read-only tests of quiet/pagination-walk.spec.ts share (D4): at
// PAGE_BUDGET pages, or against a slow target, a walk per test took most of the quiet project.
import { test } from '@playwright/test';
import type { Settings } from '../../../runtime/settings.js';
import type { ApiClient } from './api-client.js';
import { successful } from './checks.js';
import type { Exchange } from './exchange.js';
import type { NameMaker } from './name-maker.js';
import { fetchPage, namesOf, type StillWalk, type StillWalkFailure, stillWalk } from './page-walk.js';
import { sawOtherWriters, stillAttempts, stillTimeLeft } from './still-app.js';
import { inconclusive, precondition, RequirementViolation } from './verdicts.js';

// Seven users at pages of three make at least three pages, so first, middle and last differ.
const SEEDED_USERS = 7;
const SMALLEST_PAGE_SIZE = 3;

/** The users created for the walk, and the walk. */
export interface Seeded {
  seeded: string[];
  still: StillWalk;
}

/** What one attempt at the shared walk came to. */
type WalkOutcome = ({ kind: 'walked' } & Seeded) | { kind: 'create-failed'; exchange: Exchange } | StillWalkFailure;

/**
 * The shared walk. Users are created for it with a client of the worker,
 * so they outlive each test; the walk itself is read with the test's own client. Only a walk
 * taken is kept: after a failure (a create refused, a broken first page, an app that kept
 * changing) the next test tries again, as it would on its own.
 */
export class SharedWalk {
  private seeded: string[] | undefined;
  private walked: Seeded | undefined;

  constructor(
    private readonly owner: ApiClient,
    private readonly names: NameMaker,
  ) {}

  /**
   * The walk for a test that judges the walk's own pages: as it was taken, while the app held
   * still (walked now if there is none yet). Skips the test when no still walk can be had.
   */
  async take(api: ApiClient, settings: Settings): Promise<Seeded> {
    const outcome = await this.attempt(api, settings);
    if (outcome.kind === 'walked') return { seeded: outcome.seeded, still: outcome.still };
    if (outcome.kind === 'create-failed') {
      await precondition('creating the users to page through', outcome.exchange, successful);
    }
    if (outcome.kind === 'first-page-broken') {
      await precondition(
        'reading the first page (judged by USR-PAGE-ENVELOPE)',
        outcome.fetched.exchange,
        () => 'a users-page envelope',
      );
    }
    const totals = outcome.kind === 'kept-changing' ? outcome.totals : [];
    inconclusive(
      `total_count changed during every one of ${totals.length} walks (totals seen in the last: ` +
        `${JSON.stringify(totals.at(-1) ?? [])}); another client is writing to app ${settings.appId}.`,
    );
  }

  /**
   * The walk and what `read` read again to compare with it, for a test that re-reads pages. The
   * reads run while total_count is read once more; when it moved since the walk (someone wrote),
   * the list is walked again and read again, so the reads always belong to the walk they are
   * compared with. `read` only reads: verdicts come after.
   */
  async reread<T>(
    api: ApiClient,
    settings: Settings,
    read: (walked: Seeded) => Promise<T>,
  ): Promise<{ walked: Seeded; read: T }> {
    const moved: string[] = [];
    // Walked and read again while the test's still-app budget lasts, before it is inconclusive.
    // Not toPass: running out of attempts skips the test as inconclusive, citing what moved.
    for await (const _attempt of stillAttempts()) {
      const fresh = this.walked === undefined;
      const walked = await this.take(api, settings);
      const [result, now] = await Promise.all([
        read(walked),
        fresh ? undefined : fetchPage(api, api.pageUrl({ limit: SMALLEST_PAGE_SIZE })),
      ]);
      const total = now?.page?.total_count;
      if (fresh || total === walked.still.total) return { walked, read: result };
      moved.push(`${walked.still.total} then ${total ?? 'unreadable'}`);
      this.walked = undefined;
    }
    inconclusive(
      `total_count moved between the walk and the pages read again to compare with it, ${moved.length} times ` +
        `(last ${moved.slice(-3).join('; ')}); another client is writing to app ${settings.appId}.`,
    );
  }

  /**
   * Runs a test's judgement of the walk; when it finds a violation while another client may be
   * writing, walks again and judges anew. A walk is known still only by total_count before and
   * after it, and another client's create and delete in between (another run of the kit on the
   * same app) can fool that and shift a page. The first violation stands unless the fresh walk
   * differs from the first (someone did write) and passes: a bug that shows in some walks of an
   * unchanged list fails, as does one that shows in both.
   */
  async confirmed(judge: () => Promise<void>): Promise<void> {
    try {
      await judge();
    } catch (error) {
      if (!(error instanceof RequirementViolation)) throw error;
      const first = this.walked;
      if (!first) throw error;
      if (!stillTimeLeft()) {
        if (sawOtherWriters()) {
          inconclusive(
            `a walk showed a violation while another client wrote to the app, and no time was left to walk again`,
          );
        }
        throw error;
      }
      this.walked = undefined;
      await judge();
      const second = this.walked as Seeded | undefined;
      if (second && sameWalk(first, second)) throw error;
      const expected = error.message.split('\n').find((line) => line.startsWith('Expected:')) ?? error.message;
      test.info().annotations.push({
        type: 'observed',
        description: `one walk showed a violation that a fresh walk of the changed list did not (another client wrote): ${expected}`,
      });
    }
  }

  private async attempt(api: ApiClient, settings: Settings): Promise<WalkOutcome> {
    if (this.walked) return { kind: 'walked', ...this.walked };
    if (!this.seeded) {
      const failed = await this.seed();
      if (failed) return failed;
    }
    const seeded = this.seeded as string[];
    const still = await stillWalk(api, settings.pageBudget, SMALLEST_PAGE_SIZE);
    if ('kind' in still) return still;
    this.walked = { seeded, still };
    return { kind: 'walked', ...this.walked };
  }

  /** Creates the users of the walk; answers the first refused create, if any. */
  private async seed(): Promise<WalkOutcome | undefined> {
    // A few more than SEEDED_USERS, so the app holds a multiple of the page size: then the last
    // page is full, which is where an off-by-one `last` link points at an empty page past the
    // end. The count is read first, so that all the users are created at once.
    const probe = await fetchPage(this.owner, this.owner.pageUrl({ limit: SMALLEST_PAGE_SIZE }));
    const total = (probe.page?.total_count ?? 0) + SEEDED_USERS;
    const padding = (SMALLEST_PAGE_SIZE - (total % SMALLEST_PAGE_SIZE)) % SMALLEST_PAGE_SIZE;
    const usernames = Array.from({ length: SEEDED_USERS + padding }, (_, at) =>
      this.names.next(at < SEEDED_USERS ? 'page' : 'pad'),
    );
    const creates = await Promise.all(usernames.map((username) => this.owner.createUser({ username })));
    const refused = creates.find((created) => successful(created) !== undefined);
    if (refused) return { kind: 'create-failed', exchange: refused };
    this.seeded = usernames;
    return undefined;
  }
}

/** Two walks of the same list: the same total_count and the same names in the same order. */
/**
 * Whether nobody wrote between two walks: the same total_count and the same users. Only the
 * order may differ, and a list that reorders itself between walks is the server's own doing
 * (unstable paging), never a sign of another client: the first walk's violation stands.
 */
function sameWalk(first: Seeded, second: Seeded): boolean {
  const names = ({ still }: Seeded) =>
    still.walk.pages
      .flatMap((visit) => namesOf(visit.page))
      .sort()
      .join('\n');
  return first.still.total === second.still.total && names(first) === names(second);
}
