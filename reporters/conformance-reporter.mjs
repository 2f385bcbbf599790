// The conformance reporter for `playwright merge-reports` where the kit is an installed package,
// by a path that does not depend on the build's layout. In this repository, without a build,
// name reporters/conformance-reporter.ts instead.
// Usage: npx playwright merge-reports --reporter ./node_modules/users-api-conformance/reporters/conformance-reporter.mjs DIR
export { default } from '../dist/reporters/conformance-reporter.js';
