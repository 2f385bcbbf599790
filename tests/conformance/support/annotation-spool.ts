// Annotations made outside any test (the setup's probe, a worker's last deletes) wait in a file per
// process until the run's first or last test takes them, so none is lost, in shards too.
import { appendFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_STATE_VARIABLE } from '../../../runtime/target-lost.js';

const SPOOL_PREFIX = 'annotations-';

/** One annotation, as a test carries it. */
export interface SpooledAnnotation {
  type: string;
  description: string;
}

/** Keeps an annotation for the next test that takes the spool; lost only once the run is over. */
export function spoolAnnotation(annotation: SpooledAnnotation): void {
  const dir = process.env[RUN_STATE_VARIABLE];
  if (!dir) return;
  try {
    appendFileSync(join(dir, `${SPOOL_PREFIX}${process.pid}.jsonl`), `${JSON.stringify(annotation)}\n`);
  } catch {
    // The run's state folder is gone: the run is over, and no test is left to carry it.
  }
}

/** Takes every spooled annotation of the run, in the order each process wrote them. */
export function takeSpooledAnnotations(): SpooledAnnotation[] {
  const dir = process.env[RUN_STATE_VARIABLE];
  if (!dir) return [];
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.startsWith(SPOOL_PREFIX));
  } catch {
    return [];
  }
  const taken: SpooledAnnotation[] = [];
  for (const name of files.sort()) {
    const path = join(dir, name);
    const text = readFileSync(path, 'utf8');
    rmSync(path, { force: true });
    for (const line of text.split('\n')) if (line.trim()) taken.push(JSON.parse(line) as SpooledAnnotation);
  }
  return taken;
}
