// Counts that mean something only while the app holds still (D3, D8): quiet project, retried while
// another client writes, and inconclusive (never failed or passed) if the app never holds still.
import type { ApiClient } from '../support/api-client.js';
import { bodyIsArray, type Check, statusIs, successful } from '../support/checks.js';
import type { Exchange } from '../support/exchange.js';
import { requirement, test } from '../support/requirement-test.js';
import { stillAttempts } from '../support/still-app.js';
import { inconclusive, precondition, violation } from '../support/verdicts.js';

const MISMATCHES_TO_FAIL = 2;

// More users than any plausible cap on the array (10, 20, 25).
const MANY_USERS = 30;

const integerTotalCount: Check = (exchange) => {
  const total = (exchange.response?.json as { total_count?: unknown } | null | undefined)?.total_count;
  return Number.isInteger(total) ? undefined : `an envelope with an integer total_count, got ${JSON.stringify(total)}`;
};

/**
 * The mismatches that fail the test, once there are MISMATCHES_TO_FAIL of them: those off by
 * the same amount as the latest. Steady reads do not prove that nobody else wrote between
 * them; a steady difference does.
 */
function repeatedMismatches<T>(mismatches: readonly T[], difference: (seen: T) => number): T[] {
  const latest = mismatches.at(-1);
  if (latest === undefined) return [];
  return mismatches.filter((seen) => difference(seen) === difference(latest));
}

/** What the attempts saw, for an inconclusive verdict: how many, and the last few. */
function lastFew(moved: readonly string[]): string {
  const shown = moved.slice(-3).join('; ');
  return moved.length > 3 ? `${moved.length} times, last ${shown}` : shown;
}

/** The paginated form's total_count; skips the test when the first page cannot tell it. */
async function readTotal(api: ApiClient): Promise<{ exchange: Exchange; total: number }> {
  const exchange = await api.firstPage();
  await precondition('reading total_count from Get Users with Presence', exchange, statusIs(200), integerTotalCount);
  return { exchange, total: (exchange.response?.json as { total_count: number } | undefined)?.total_count ?? -1 };
}

test(...requirement('USR-LIST-MATCHES-TOTAL'), async ({ api, names }) => {
  const usernames = Array.from({ length: MANY_USERS }, () => names.next());
  const created = await Promise.all(usernames.map((username) => api.createUser({ username })));
  for (const exchange of created) await precondition('a create', exchange, successful);
  const moved: string[] = [];
  const mismatches: { length: number; total: number; exchanges: Exchange[] }[] = [];
  // Not toPass: a mismatch fails only when seen again off by the same amount, so attempts share evidence.
  for await (const _attempt of stillAttempts()) {
    const before = await readTotal(api);
    const list = await api.listUsers();
    await precondition('Get Users', list, statusIs(200), bodyIsArray);
    const after = await readTotal(api);
    if (before.total !== after.total) {
      moved.push(`${before.total} then ${after.total}`);
      continue;
    }
    const length = ((list.response?.json ?? []) as unknown[]).length;
    if (length === before.total) return;
    mismatches.push({ length, total: before.total, exchanges: [before.exchange, list, after.exchange] });
    const alike = repeatedMismatches(mismatches, (seen) => seen.length - seen.total);
    if (alike.length >= MISMATCHES_TO_FAIL) {
      await violation(
        `the array's length to equal total_count while nothing changes; ${alike
          .map((seen) => `total_count ${seen.total} before and after an array of ${seen.length} items`)
          .join(', then ')}`,
        alike.at(-1)?.exchanges,
      );
    }
  }
  inconclusive(`total_count kept changing around the array read (${lastFew(moved)}), so the app never held still`);
});

test(...requirement('USR-DELETE-TOTAL-DROPS'), async ({ api, names }) => {
  const moved: string[] = [];
  const mismatches: { before: number; after: number; exchanges: Exchange[] }[] = [];
  // Not toPass: a mismatch fails only when seen again off by the same amount, so attempts share evidence.
  for await (const _attempt of stillAttempts()) {
    const username = names.next();
    await precondition('the create', await api.createUser({ username }), successful);
    const before = [await readTotal(api), await readTotal(api)] as const;
    const deleted = await api.deleteUser(username);
    await precondition('the delete', deleted, successful);
    const after = [await readTotal(api), await readTotal(api)] as const;
    if (before[0].total !== before[1].total || after[0].total !== after[1].total) {
      moved.push(`${before[0].total}, ${before[1].total} before; ${after[0].total}, ${after[1].total} after`);
      continue;
    }
    if (after[0].total === before[0].total - 1) return;
    mismatches.push({
      before: before[0].total,
      after: after[0].total,
      exchanges: [before[1].exchange, deleted, after[0].exchange],
    });
    const alike = repeatedMismatches(mismatches, (seen) => seen.after - seen.before);
    if (alike.length >= MISMATCHES_TO_FAIL) {
      await violation(
        `total_count to drop by one with each delete; ${alike
          .map((seen) => `it went from ${seen.before} to ${seen.after}`)
          .join(', then ')} (each read twice, steady)`,
        alike.at(-1)?.exchanges,
      );
    }
  }
  inconclusive(`total_count kept changing around the delete (${lastFew(moved)}), so the app never held still`);
});
