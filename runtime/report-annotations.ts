// What tests tell the reporter beyond pass and fail, as annotations, which survive shards and
// merge-reports: exchange-rule breaches, skips by the user's configuration, what a test exercised.

/** The annotation of a test skipped because of a setting the user chose; its description names the setting. */
export const CONFIGURATION_ANNOTATION = 'not-judged-by-configuration';

/** The annotation type of a run-wide finding. */
export const FINDING_ANNOTATION = 'exchange-finding';

/** One finding: the requirement it is charged to, the failure message, and how many more like it the test saw. */
export interface FindingRecord {
  requirement: string;
  message: string;
  /** Further breaches of the same requirement in the same test, counted but not shown. */
  more: number;
}

export function encodeFinding(record: FindingRecord): string {
  return JSON.stringify(record);
}

/** The record an annotation carries, or undefined when it is not one (an older or foreign annotation). */
export function decodeFinding(description: string | undefined): FindingRecord | undefined {
  if (!description) return undefined;
  try {
    const record = JSON.parse(description) as Partial<FindingRecord>;
    if (typeof record.requirement !== 'string' || typeof record.message !== 'string') return undefined;
    return { requirement: record.requirement, message: record.message, more: Number(record.more) || 0 };
  } catch {
    return undefined;
  }
}

/** The annotation of what a test exercised (tests/conformance/support/exercise.ts). */
export const EXERCISE_ANNOTATION = 'exercise';

/** Counts of what was sent: requests by operation ("other" for none), users, pages, page sizes, input classes. */
export interface ExerciseTally {
  requests: Record<string, number>;
  usersCreated: number;
  usersDeleted: number;
  pagesRead: number;
  pageSizes: number[];
  inputClasses: string[];
}

export function encodeExercise(tally: ExerciseTally): string {
  return JSON.stringify(tally);
}

/** The tally an annotation carries, or undefined when it is not one. */
export function decodeExercise(description: string | undefined): ExerciseTally | undefined {
  if (!description) return undefined;
  try {
    const tally = JSON.parse(description) as Partial<ExerciseTally>;
    if (typeof tally.requests !== 'object' || tally.requests === null) return undefined;
    return {
      requests: tally.requests as Record<string, number>,
      usersCreated: Number(tally.usersCreated) || 0,
      usersDeleted: Number(tally.usersDeleted) || 0,
      pagesRead: Number(tally.pagesRead) || 0,
      pageSizes: Array.isArray(tally.pageSizes) ? tally.pageSizes.filter(Number.isInteger) : [],
      inputClasses: Array.isArray(tally.inputClasses) ? tally.inputClasses.map(String) : [],
    };
  } catch {
    return undefined;
  }
}
