#!/usr/bin/env node
// The `users-api-conformance` command (package.json "bin"). The kit is TypeScript: this shim
// registers tsx, with the kit's own tsconfig rather than the one of the folder it runs in,
// and hands over to bin/cli.ts.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
