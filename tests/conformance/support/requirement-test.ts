// The one module spec files import: `test(...requirement(ID), async ({ api, names }) => ...)`, so
// every conformance test is titled, tagged and given the suite's fixtures the same way.
export type { Cleanup, RequirementTestOptions } from './cleanup.js';
export { test } from './fixtures.js';
export { NameMaker } from './name-maker.js';
export { requirement } from './requirement.js';
export type { TargetSettings } from './target-settings.js';
