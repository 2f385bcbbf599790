// specs/schema-types.ts is generated from the JSON Schemas; this fails when a schema changed and
// `npm run types` was not run, so the TypeScript types never drift from the schemas.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SCHEMA_TYPES_FILE, schemaTypesText } from '../../specs/generate-schema-types.js';

test('specs/schema-types.ts is what `npm run types` makes of the schemas now', async () => {
  const fresh = await schemaTypesText();
  const checkedIn = readFileSync(SCHEMA_TYPES_FILE, 'utf8');
  assert.ok(
    checkedIn === fresh,
    'specs/schema-types.ts differs from the types the schemas give now: run `npm run types` and commit the result',
  );
});
