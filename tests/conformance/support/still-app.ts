// Checks that need the app still retry with growing, jittered pauses while another client writes: a
// few quick retries give up during another run's busy phase, leaving a broken count unjudged.
import { type TestInfo, test } from '@playwright/test';

/**
 * The longest a test goes on looking for a still moment, from its first look: longer than
 * another run's parallel phase on a busy two-core machine (half a minute and more), so two
 * pipelines sharing an app both get their counts judged. Nothing waits while nobody writes.
 */
export const STILL_WAIT_MS = 60_000;
// Left of the test's time-out after the last look: one more walk, and deleting the test's users.
const RESERVE_MS = 20_000;
const MAX_ATTEMPTS = 25;
const FIRST_PAUSE_MS = 100;
const LONGEST_PAUSE_MS = 2_500;

/** One budget per test, however many loops of it look for a still moment (a walk inside a re-read). */
interface StillBudget {
  deadline: number;
  /** Some loop of this test has looked already. */
  looked: boolean;
  /** Some look of this test found the app moving: another client writes. */
  sawMovement: boolean;
}

const budgets = new WeakMap<object, StillBudget>();
const testStarts = new WeakMap<object, number>();

/** Called as each test starts (by its auto fixture), so budgets can keep clear of its time-out. */
export function noteTestStart(info: TestInfo): void {
  testStarts.set(info, performance.now());
}

function budgetOfThisTest(): StillBudget {
  const info = test.info();
  let budget = budgets.get(info);
  if (budget === undefined) {
    const start = testStarts.get(info);
    const latest = start !== undefined && info.timeout > 0 ? start + info.timeout - RESERVE_MS : Infinity;
    budget = { deadline: Math.min(performance.now() + STILL_WAIT_MS, latest), looked: false, sawMovement: false };
    budgets.set(info, budget);
  }
  return budget;
}

/** Whether the running test may still look again, e.g. walk once more to confirm what it saw. */
export function stillTimeLeft(): boolean {
  return performance.now() < budgetOfThisTest().deadline;
}

/** Whether the running test has seen the app move under it: another client writes. */
export function sawOtherWriters(): boolean {
  return budgetOfThisTest().sawMovement;
}

/**
 * Numbers the attempts at a still moment: `for await (const attempt of stillAttempts()) {...}`.
 * Not expect.poll or toPass: the loops keep what each attempt saw, and end inconclusive, not failed.
 * The first comes at once (unless an earlier loop of the test used its budget up); each later
 * one after a pause, while the budget lasts.
 */
export async function* stillAttempts(): AsyncGenerator<number> {
  const budget = budgetOfThisTest();
  let pause = FIRST_PAUSE_MS;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    if (attempt > 0) {
      budget.sawMovement = true;
      // Jittered, so two runs retrying in step do not keep disturbing each other.
      const wait = pause * (0.5 + Math.random());
      if (performance.now() + wait > budget.deadline) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
    } else if (budget.looked && performance.now() > budget.deadline) {
      return;
    }
    budget.looked = true;
    yield attempt;
  }
}
