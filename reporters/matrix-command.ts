// `users-api-conformance matrix REPORT... [--out DIR]`: comparison.md and .html, to compare
// implementations requirement by requirement. Exit 0 written; 2 bad use or an unusable report.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseCommandLine, UsageError } from '../runtime/cli-args.js';
import { USAGE_EXIT_CODE } from '../runtime/exit-codes.js';
import { readSettings } from '../runtime/settings.js';
import { buildMatrix, type NamedReport } from './build-matrix.js';
import type { CommandResult } from './gate-command.js';
import { ReportFileError, readReportFile } from './read-report.js';
import { renderMatrixHtml, renderMatrixMarkdown } from './render-matrix.js';
import { displayPath } from './text.js';
import { writeAtomically } from './write-atomically.js';

export const MATRIX_USAGE =
  'usage: users-api-conformance matrix <conformance.json> [<conformance.json> ...] [--out <dir>]' +
  " (in the kit's repository: npm run matrix -- ...)";

export async function runMatrix(argv: readonly string[]): Promise<CommandResult> {
  try {
    const { values, positionals } = parseCommandLine(argv, {
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return { code: 0, out: [MATRIX_USAGE], err: [] };
    if (!positionals.length) throw new UsageError('give at least one report file');
    const seen = new Set<string>();
    const inputs: NamedReport[] = [];
    for (const path of positionals) {
      const shown = displayPath(resolve(path));
      if (seen.has(shown)) throw new UsageError(`${shown} is given twice`);
      seen.add(shown);
      inputs.push({ path: shown, report: readReportFile(path) });
    }
    const dir = resolve(values.out ?? readSettings().reportDir);
    const matrix = buildMatrix(inputs);
    const files = [
      { path: join(dir, 'comparison.md'), content: renderMatrixMarkdown(matrix) },
      { path: join(dir, 'comparison.html'), content: renderMatrixHtml(matrix) },
    ];
    await writeAtomically(files);
    const rows = matrix.groups.reduce((sum, group) => sum + group.rows.length, 0);
    return {
      code: 0,
      out: [
        `Conformance matrix: ${matrix.columns.length} implementations × ${rows} requirements`,
        ...matrix.columns.map((column) => `  ${column.passing}/${column.total} ${column.name}`),
        `  wrote ${files.map((file) => displayPath(file.path)).join(', ')}`,
      ],
      err: [],
    };
  } catch (error) {
    if (error instanceof UsageError)
      return { code: USAGE_EXIT_CODE, out: [], err: [`matrix: ${error.message}`, MATRIX_USAGE] };
    if (error instanceof ReportFileError) return { code: USAGE_EXIT_CODE, out: [], err: [`matrix: ${error.message}`] };
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const result = await runMatrix(process.argv.slice(2));
  if (result.out.length) process.stdout.write(`${result.out.join('\n')}\n`);
  if (result.err.length) process.stderr.write(`${result.err.join('\n')}\n`);
  process.exitCode = result.code;
}
