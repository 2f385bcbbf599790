// Usernames unique to the run, whatever test or worker asks for one.
import type { TestInfo } from '@playwright/test';
import { runPrefix } from '../../../runtime/run-identity.js';

// Counts every name this worker process makes; with the worker's index it makes each name
// unique within the run, whatever test asks.
let namesMadeByThisWorker = 0;

/** Makes usernames unique to this run: letters and digits only, and short. */
export class NameMaker {
  /** For a test, or for a worker fixture: only the worker's index is read. */
  constructor(private readonly testInfo: Pick<TestInfo, 'workerIndex'>) {}

  /**
   * A fresh username such as `k3f9a1x01004bob`: the run's prefix, the worker, a count, and a
   * label of at most five letters saying what the test uses it for. Only lower-case letters and
   * digits, at most 17 characters, so a server that narrows the alphabet or the length (D2,
   * E15) still accepts the kit's ordinary names.
   */
  next(label = 'u'): string {
    if (!/^[a-z]{0,5}$/.test(label))
      throw new Error(`a username label is up to five lower-case letters, not "${label}"`);
    namesMadeByThisWorker += 1;
    const worker = this.testInfo.workerIndex.toString(36).padStart(2, '0');
    const count = namesMadeByThisWorker.toString(36).padStart(3, '0');
    return `${runPrefix()}${worker}${count}${label}`;
  }
}
