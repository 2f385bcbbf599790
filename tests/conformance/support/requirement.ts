// The title, tags and annotations of the test of one catalog requirement.
import type { TestDetails } from '@playwright/test';
import { contract } from '../../../specs/contract.js';
import { REQUIREMENT_ANNOTATION } from './verdicts.js';

/**
 * The title and details of the test of one catalog requirement, used as
 * `test(...requirement('USR-ID'), async ({ api }) => ...)` so Playwright records the spec
 * file's own line. `variant` tells apart several tests of one requirement (for example one
 * per operation); the catalog's ID and title always start the name. Tags (`@ID`, `@LEVEL`)
 * survive shards and merges, and the reporter reads them.
 */
export function requirement(id: string, variant?: string): [string, TestDetails] {
  const entry = contract().requirement(id);
  return [
    `${id} ${entry.title}${variant ? ` [${variant}]` : ''}`,
    {
      tag: [`@${id}`, `@${entry.level}`],
      annotation: [
        { type: REQUIREMENT_ANNOTATION, description: id },
        { type: 'level', description: entry.level },
      ],
    },
  ];
}
