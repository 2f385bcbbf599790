// The conformance reporter for `playwright merge-reports` in an installed package, by a path that
// does not depend on dist/'s layout. In a clone, without a build, name the .ts beside it instead.
export { default } from '../dist/reporters/conformance-reporter.js';
