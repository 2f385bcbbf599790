// Where the kit's files are, whether a clone's TypeScript or dist/'s JavaScript is running: data
// read at run time (package.json, specs/, schemas/) stays at the package root.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest folder above this module that holds package.json. */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

/** The kit's package root, with a trailing separator. */
export const PACKAGE_ROOT = join(findPackageRoot(), '/');

/** The extension of the kit's running modules: `.ts` in a clone, `.js` when built into dist/. */
export const MODULE_EXTENSION = fileURLToPath(import.meta.url).endsWith('.ts') ? '.ts' : '.js';
