// Groups report rows by operation, in the order the operations first appear in the catalog;
// an operation the current catalog does not know (an older report) comes after, by name.
import { contract, type Requirement } from '../specs/contract.js';
import type { RequirementRow, RequirementStatus } from './report-types.js';
import { compareText } from './text.js';

export interface OperationGroup<T> {
  operation: string;
  rows: T[];
}

export function groupByOperation<T extends { operation: string }>(
  rows: readonly T[],
  catalog: readonly Requirement[] = contract().requirements,
): OperationGroup<T>[] {
  const order = new Map<string, number>();
  for (const requirement of catalog)
    if (!order.has(requirement.operation)) order.set(requirement.operation, order.size);
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(row.operation) ?? [];
    list.push(row);
    groups.set(row.operation, list);
  }
  const rank = (operation: string) => order.get(operation) ?? Number.MAX_SAFE_INTEGER;
  return [...groups.keys()]
    .sort((a, b) => rank(a) - rank(b) || compareText(a, b))
    .map((operation) => ({ operation, rows: groups.get(operation) ?? [] }));
}

/** How each status is shown in text: a symbol a reader sees at a glance, then the word. */
export const STATUS_LABEL: Record<RequirementStatus, string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  skipped: '⏭️ skipped',
  untested: '➖ untested',
  flaky: '⚠️ flaky',
};

/**
 * How a row's status is read: a MAY only observes what an implementation does, so one that
 * passed reads as observed; a failure that does not fail the gate (a SHOULD by default, a
 * MAY) reads as a warning. Words only: the HTML report cannot count on an emoji font.
 */
export function statusWord(row: Pick<RequirementRow, 'id' | 'level' | 'status'>, failing: ReadonlySet<string>): string {
  if (row.level === 'MAY' && row.status === 'passed') return 'observed';
  if (row.status === 'failed' && !failing.has(row.id)) return 'warning';
  return row.status;
}

const WORD_SYMBOLS: Record<string, string> = { observed: '👁️', warning: '⚠️' };

/** The status as text shows it: a symbol a reader sees at a glance, then the word. */
export function statusText(row: Pick<RequirementRow, 'id' | 'level' | 'status'>, failing: ReadonlySet<string>): string {
  const word = statusWord(row, failing);
  return word === row.status ? STATUS_LABEL[row.status] : `${WORD_SYMBOLS[word]} ${word}`;
}
