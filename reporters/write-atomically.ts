// Writes report files whole or not at all (temporary files, renamed into place once all are
// written), so a reader never sees half a report.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface OutputFile {
  path: string;
  content: string;
}

function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes all files, or (on any error) none of the new contents, and cleans up its temporary files. */
export async function writeAtomically(files: readonly OutputFile[]): Promise<void> {
  const staged: { temp: string; path: string }[] = [];
  try {
    for (const file of files) {
      await mkdir(dirname(file.path), { recursive: true });
      const temp = temporaryPath(file.path);
      staged.push({ temp, path: file.path });
      await writeFile(temp, file.content, { flag: 'wx' });
    }
    for (const { temp, path } of staged) await rename(temp, path);
  } catch (error) {
    await Promise.all(staged.map(({ temp }) => rm(temp, { force: true })));
    throw error;
  }
}
