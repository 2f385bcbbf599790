// Groups report rows by operation, in the order the operations first appear in the catalog;
// an operation the current catalog does not know (an older report) comes after, by name.
import { contract, type Requirement } from '../specs/contract.js';
import type { RequirementStatus } from './report-types.js';
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
