// The comparison of several finished reports, like a browser-compatibility table: requirements by
// implementation, columns sorted worst to best by compliance fraction.
import type { Level, Requirement } from '../specs/contract.js';
import { contract } from '../specs/contract.js';
import { groupByOperation, type OperationGroup } from './group.js';
import type { ConformanceReport, RequirementStatus, Verdict } from './report-types.js';
import { compareText } from './text.js';

export interface MatrixColumn {
  name: string;
  path: string;
  verdict: Verdict;
  /** Requirements passed (flaky included) and all requirements of the report. */
  passing: number;
  total: number;
  mustPassing: number;
  mustTotal: number;
  statuses: Map<string, RequirementStatus>;
}

export interface MatrixRow {
  id: string;
  level: Level;
  operation: string;
  title: string;
}

export interface Matrix {
  columns: MatrixColumn[];
  groups: OperationGroup<MatrixRow>[];
}

export interface NamedReport {
  /** The file path as given, for naming ambiguous columns. */
  path: string;
  report: ConformanceReport;
}

function fraction(column: Pick<MatrixColumn, 'passing' | 'total'>): number {
  return column.total ? column.passing / column.total : 0;
}

export function targetName(report: ConformanceReport): string {
  return `${report.target.url} (app ${report.target.appId})`;
}

export function buildMatrix(
  inputs: readonly NamedReport[],
  catalog: readonly Requirement[] = contract().requirements,
): Matrix {
  const names = inputs.map((input) => targetName(input.report));
  const columns = inputs.map(({ path, report }, index): MatrixColumn => {
    const name = names[index] as string;
    const ambiguous = names.filter((other) => other === name).length > 1;
    const isPassing = (status: RequirementStatus) => status === 'passed' || status === 'flaky';
    const must = report.requirements.filter((row) => row.level === 'MUST');
    return {
      name: ambiguous ? path : name,
      path,
      verdict: report.summary.verdict,
      passing: report.requirements.filter((row) => isPassing(row.status)).length,
      total: report.requirements.length,
      mustPassing: must.filter((row) => isPassing(row.status)).length,
      mustTotal: must.length,
      statuses: new Map(report.requirements.map((row) => [row.id, row.status])),
    };
  });
  columns.sort((a, b) => fraction(a) - fraction(b) || compareText(a.name, b.name));

  const known = new Map(catalog.map((requirement) => [requirement.id, requirement]));
  const rows = new Map<string, MatrixRow>();
  for (const { report } of inputs) {
    for (const row of report.requirements) {
      if (rows.has(row.id)) continue;
      const source = known.get(row.id) ?? row;
      rows.set(row.id, { id: row.id, level: source.level, operation: source.operation, title: source.title });
    }
  }
  const sorted = [...rows.values()].sort((a, b) => compareText(a.id, b.id));
  return { columns, groups: groupByOperation(sorted, catalog) };
}

export function percent(passing: number, total: number): string {
  return total ? `${Math.floor((passing / total) * 100)}%` : 'n/a';
}
