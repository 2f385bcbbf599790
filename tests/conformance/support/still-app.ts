// Checks that need the app to hold still (counts, whole walks) retry while another client writes
// to it: another run of the kit against the same staging app, a person, a job. A few quick
// retries are not enough when that other run is in its busy parallel phase, which lasts
// seconds: a check would give up, be inconclusive, and a broken count would go unjudged. So the
// retries go on with growing, jittered pauses until the test has spent STILL_WAIT_MS waiting for
// a still moment, bounded in count too; only then is the check inconclusive. When nobody else
// writes, the first attempt is still and nothing waits.
import { test } from '@playwright/test';

/** The longest a test goes on looking for a still moment, from its first look: half the test time-out. */
export const STILL_WAIT_MS = 30_000;
const MAX_ATTEMPTS = 25;
const FIRST_PAUSE_MS = 100;
const LONGEST_PAUSE_MS = 2_500;

// One budget per test, however many loops of it look for a still moment (a walk inside a re-read).
const deadlines = new WeakMap<object, number>();

function deadlineOfThisTest(): number {
  const info = test.info();
  let deadline = deadlines.get(info);
  if (deadline === undefined) {
    deadline = performance.now() + STILL_WAIT_MS;
    deadlines.set(info, deadline);
  }
  return deadline;
}

/**
 * Numbers the attempts at a still moment: `for await (const attempt of stillAttempts()) {...}`.
 * The first comes at once; each later one after a pause, while the test's budget lasts.
 */
export async function* stillAttempts(): AsyncGenerator<number> {
  const deadline = deadlineOfThisTest();
  let pause = FIRST_PAUSE_MS;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    if (attempt > 0) {
      // Jittered, so two runs retrying in step do not keep disturbing each other.
      const wait = pause * (0.5 + Math.random());
      if (performance.now() + wait > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
    }
    yield attempt;
  }
}
