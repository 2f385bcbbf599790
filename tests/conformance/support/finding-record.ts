// How a breach of an exchange rule travels from the test that saw it to the reporter: as an
// annotation of that test, which survives shards, blob reports and merge-reports. The reporter
// charges it to its requirement, which then fails whether or not its own test passed.

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
