#!/usr/bin/env node
// The `users-api-conformance` command (package.json "bin"). The installed package runs the
// JavaScript of dist/ (npm run build, which npm pack runs) with plain node. In a clone the
// TypeScript sources are here: tsx runs them, with the kit's own tsconfig, and no build is needed.
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
