// What a run exercised, for the report's summary: each test hands its process's tally to the
// reporter as an annotation; a worker's last tally waits in the spool for the run's last test.
import type { TestInfo } from '@playwright/test';
import { EXERCISE_ANNOTATION, type ExerciseTally, encodeExercise } from '../../../runtime/report-annotations.js';
import { spoolAnnotation } from './annotation-spool.js';
import type { Exchange } from './exchange.js';
import type { OperationId } from './exchange-operation.js';

function emptyTally(): ExerciseTally {
  return { requests: {}, usersCreated: 0, usersDeleted: 0, pagesRead: 0, pageSizes: [], inputClasses: [] };
}

let tally = emptyTally();
let tallied = false;

function succeeded(exchange: Exchange): boolean {
  const status = exchange.response?.status ?? 0;
  return status >= 200 && status < 300;
}

/** Counts one exchange the kit sent; `pageSizeParam` names the query that asks a page size. */
export function tallyExchange(exchange: Exchange, operation: OperationId | undefined, pageSizeParam: string): void {
  tallied = true;
  const key = operation ?? 'other';
  tally.requests[key] = (tally.requests[key] ?? 0) + 1;
  if (!succeeded(exchange)) return;
  if (operation === 'createUser') tally.usersCreated += 1;
  if (operation === 'deleteUser') tally.usersDeleted += 1;
  if (operation === 'listUsersWithPresence') {
    tally.pagesRead += 1;
    const asked = Number(new URL(exchange.request.url).searchParams.get(pageSizeParam));
    if (Number.isInteger(asked) && asked > 0 && !tally.pageSizes.includes(asked)) tally.pageSizes.push(asked);
  }
}

/** Notes that an input class of specs/input-classes.yaml was sent. */
export function tallyInputClass(id: string): void {
  tallied = true;
  if (!tally.inputClasses.includes(id)) tally.inputClasses.push(id);
}

function take(): ExerciseTally | undefined {
  if (!tallied) return undefined;
  const taken = tally;
  tally = emptyTally();
  tallied = false;
  return taken;
}

/** Hands the tally since the last hand-over to the test, as it ends. */
export function handOverExercise(info: TestInfo): void {
  const taken = take();
  if (taken) info.annotations.push({ type: EXERCISE_ANNOTATION, description: encodeExercise(taken) });
}

/** Spools what is left when a worker ends (its last background deletes), for the run's last test. */
export function spoolExercise(): void {
  const taken = take();
  if (taken) spoolAnnotation({ type: EXERCISE_ANNOTATION, description: encodeExercise(taken) });
}
