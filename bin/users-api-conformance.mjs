#!/usr/bin/env node
// The `users-api-conformance` command: an installed package runs dist/ with plain node, so no
// TypeScript loader ships; a clone runs the sources through tsx, so no build step is needed.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const sources = new URL('./cli.ts', import.meta.url);
let cli;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
  cli = await import(sources.href);
} else {
  cli = await import('../dist/bin/cli.js');
}
process.exitCode = await cli.main(process.argv.slice(2));
