// The way every conformance test is declared, and the one module spec files import:
// `test(...requirement(ID), async ({ api, names }) => ...)`. `requirement` titles, tags and
// annotates the test (requirement.ts); `test` carries the suite's fixtures (fixtures.ts).
export type { Cleanup, RequirementTestOptions } from './cleanup.js';
export { test } from './fixtures.js';
export { NameMaker } from './name-maker.js';
export { requirement } from './requirement.js';
export type { TargetSettings } from './target-settings.js';
