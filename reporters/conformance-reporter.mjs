// The conformance reporter for `playwright merge-reports` where the kit is an installed package:
// Playwright compiles no TypeScript inside node_modules, so this registers tsx (with the kit's
// own tsconfig) and loads conformance-reporter.ts. In this repository either file will do.
// Usage: npx playwright merge-reports --reporter ./node_modules/users-api-conformance/reporters/conformance-reporter.mjs DIR
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { default: ConformanceReporter } = await import('./conformance-reporter.ts');
export default ConformanceReporter;
