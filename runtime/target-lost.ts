// A target that stops answering mid-run is marked lost for the whole run after one more unanswered
// question, so the remaining tests are skipped with that reason instead of a hundred time-outs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { askTarget } from './ask-target.js';
import type { Settings } from './settings.js';

/** Set by the global setup: a folder of this run's shared state. Tests run in several processes, so a file. */
export const RUN_STATE_VARIABLE = 'USERS_API_KIT_RUN_STATE';

/** The annotation a test gets when the target was lost before or while it ran; the reporter reads it. */
export const TARGET_LOST_ANNOTATION = 'target-lost';

const MARKER_FILE = 'target-lost.txt';

/** Makes the run's state folder and names it in the environment the workers inherit. */
export function createRunState(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'users-api-conformance-run-'));
  process.env[RUN_STATE_VARIABLE] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

function markerPath(): string | undefined {
  const dir = process.env[RUN_STATE_VARIABLE];
  return dir ? join(dir, MARKER_FILE) : undefined;
}

// Once lost, lost for the rest of the run: no need to read the file again.
let knownLost: string | undefined;

/** Why the target is considered gone, when it is; undefined while it answers. */
export function targetLost(): string | undefined {
  if (knownLost !== undefined) return knownLost;
  const path = markerPath();
  if (!path) return undefined;
  try {
    knownLost = readFileSync(path, 'utf8');
  } catch {
    // No marker: the target has not been lost.
  }
  return knownLost;
}

// One confirmation at a time per process: a test sending 70 requests at once to a dead target
// gets 70 failures, and one confirmation settles all of them.
let confirming: Promise<void> | undefined;

// A target is lost only when it leaves this many questions unanswered, this far apart, each
// given the whole request time-out: a latency spike or a restart of a second is not a loss.
const QUESTIONS = 2;
const PAUSE_BETWEEN_QUESTIONS_MS = 2_000;

/**
 * Called with a request that got no HTTP answer. Asks the target again, twice, a pause apart;
 * when neither question is answered, marks it lost for every worker. A target that answers was
 * only failing that one request, which the test judges as usual.
 */
export function confirmTargetAnswers(
  settings: Settings & { apiUrl: string },
  failed: { method: string; url: string; transportError: string },
): Promise<void> {
  if (targetLost() !== undefined) return Promise.resolve();
  confirming ??= (async () => {
    let answer: Awaited<ReturnType<typeof askTarget>> | undefined;
    for (let question = 0; question < QUESTIONS; question += 1) {
      if (question > 0) await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_QUESTIONS_MS));
      answer = await askTarget(settings, settings.requestTimeoutMs);
      if (answer.failure === undefined) {
        await answer.response.body?.cancel();
        return;
      }
    }
    if (answer?.failure === undefined) return;
    markTargetLost(
      `the target at ${settings.apiUrl} stopped answering during the run: ${failed.method} ${failed.url} ` +
        `got no HTTP answer (${failed.transportError}), and neither did ${QUESTIONS} GETs of ${answer.url.href} ` +
        `${PAUSE_BETWEEN_QUESTIONS_MS / 1000} s apart (${answer.failure})`,
    );
  })().finally(() => {
    confirming = undefined;
  });
  return confirming;
}

function markTargetLost(reason: string): void {
  const path = markerPath();
  knownLost ??= reason;
  if (!path) return;
  try {
    // The first worker to find out writes the reason; later ones keep it.
    writeFileSync(path, reason, { flag: 'wx' });
  } catch {
    // Already marked by another worker, or the run state folder is gone at the very end.
  }
}
