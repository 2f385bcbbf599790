// `users-api-conformance`: runs the packaged playwright.config, never the working folder's, against
// --url or the embedded server. Bad input exits 2 before any request; otherwise the gate's code.
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPORT_FILES } from '../reporters/report-files.js';
import { parseCommandLine, UsageError } from '../runtime/cli-args.js';
import { USAGE_EXIT_CODE, VERDICT_EXIT_CODES } from '../runtime/exit-codes.js';
import { MODULE_EXTENSION, PACKAGE_ROOT } from '../runtime/package-root.js';
import {
  API_KEY_SOURCE_VARIABLE,
  readGateSettings,
  readSettings,
  SETTING_NAMES,
  SETTINGS,
  type SettingName,
  SettingsError,
} from '../runtime/settings.js';

export const COMMAND = 'users-api-conformance';
// The kit's code: the sources in a clone, dist/ in the installed package.
const CODE_ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The configuration every run uses: the package's own. */
export const PACKAGED_CONFIG = join(CODE_ROOT, `playwright.config${MODULE_EXTENSION}`);
const REPORTER = join(CODE_ROOT, 'reporters', `conformance-reporter${MODULE_EXTENSION}`);

type Env = Record<string, string | undefined>;

/** Flags beyond the settings. */
const EXTRA_FLAGS = [
  {
    flag: '--shard X/Y',
    text: 'run shard X of Y only, and write its blob into {report-dir}/blob for playwright merge-reports',
  },
  { flag: '-h, --help', text: 'print this help and exit' },
  { flag: '--version', text: "print the kit's version and exit" },
] as const;

const OPTIONS = {
  ...Object.fromEntries(SETTING_NAMES.map((name) => [SETTINGS[name].flag, { type: 'string' as const }])),
  shard: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

function defaultText(name: SettingName): string {
  const setting = SETTINGS[name];
  if (setting.fallback !== undefined) return `default: ${setting.fallback}`;
  return `default: unset, ${'whenUnset' in setting ? setting.whenUnset : 'none'}`;
}

/** The --help text: every flag with its variable and default, from the one table of settings. */
export function helpText(): string {
  const rows = [
    ...SETTING_NAMES.map((name) => ({
      flag: `--${SETTINGS[name].flag} ${SETTINGS[name].valueName}`,
      variable: name,
      text: SETTINGS[name].meaning,
      more: defaultText(name),
    })),
    ...EXTRA_FLAGS.map((entry) => ({ ...entry, variable: '', more: '' })),
  ];
  const flagWidth = Math.max(...rows.map((row) => row.flag.length)) + 2;
  const variableWidth = Math.max(...rows.map((row) => row.variable.length)) + 2;
  const indent = ' '.repeat(2 + flagWidth + variableWidth);
  return [
    `Usage: ${COMMAND} [options] [-- playwright test options]`,
    `       ${COMMAND} gate <conformance.json> [--strict] [--baseline <conformance.json>]`,
    `       ${COMMAND} matrix <conformance.json> [<conformance.json> ...] [--out <dir>]`,
    '',
    'Runs the Users API conformance suite against an implementation (without --url: an embedded',
    'reference server) and writes conformance.json, .md, .html, a badge and junit.xml into',
    '--report-dir. The exit code is the verdict, the first word of the summary:',
    `  ${VERDICT_EXIT_CODES.pass} PASS        every gated requirement was judged and passed (or was left out by your settings)`,
    `  ${VERDICT_EXIT_CODES.fail} FAIL        a gated requirement failed: a MUST, and a SHOULD with --gate strict`,
    `  ${USAGE_EXIT_CODE}             a command line or setting that cannot be used, before any request is sent`,
    `  ${VERDICT_EXIT_CODES.error} ERROR       the target could not be tested: unreachable, credentials refused, lost mid-run`,
    `  ${VERDICT_EXIT_CODES.incomplete} INCOMPLETE  a gated requirement was not judged (a --grep, an inconclusive check) or the`,
    '                run did not finish; a shard exits 0 for this, its merged report is gated',
    '',
    'Options: each sets the environment variable beside it, which may also come from ./.env.',
    ...rows.flatMap((row) => [
      `  ${row.flag.padEnd(flagWidth)}${row.variable.padEnd(variableWidth)}${row.text}`,
      ...(row.more ? [`${indent}${row.more}`] : []),
    ]),
    '',
    'Commands:',
    '  gate    apply the gate to a finished conformance.json, e.g. of merged shards: exit as above',
    '  matrix  compare conformance.json files side by side: comparison.md and comparison.html',
    '',
  ].join('\n');
}

/** What a run of the suite needs: Playwright's arguments and environment. */
export interface RunPlan {
  args: string[];
  env: Env;
}

/** Names a SettingsError after the flag that gave the value, when a flag did. */
function settingsMessage(error: SettingsError, fromFlags: ReadonlySet<SettingName>): string {
  if (error.variable && fromFlags.has(error.variable)) return `--${SETTINGS[error.variable].flag}: ${error.message}`;
  return error.message;
}

/**
 * Checks the command line and the settings it makes, and returns the Playwright run, or
 * throws UsageError with the one line to print. Nothing is sent from here.
 */
export async function planRun(
  values: Record<string, string | boolean | undefined>,
  rest: readonly string[],
  env: Env,
  cwd: string,
): Promise<RunPlan> {
  const runEnv: Env = { ...env };
  const fromFlags = new Set<SettingName>();
  for (const name of SETTING_NAMES) {
    const value = values[SETTINGS[name].flag];
    if (typeof value !== 'string') continue;
    fromFlags.add(name);
    if (name === 'API_KEY') {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
        throw new UsageError(`--api-key-env takes the name of a variable that holds the key, not "${value}"`);
      }
      const key = env[value];
      if (!key?.trim()) throw new UsageError(`--api-key-env ${value}: the variable ${value} is not set`);
      runEnv.API_KEY = key;
      runEnv[API_KEY_SOURCE_VARIABLE] = `--api-key-env ${value}`;
    } else {
      runEnv[name] = value;
    }
  }
  let reportDir: string;
  let baseline: string | undefined;
  try {
    reportDir = resolve(cwd, readSettings(runEnv).reportDir);
    baseline = readGateSettings(runEnv).baseline;
  } catch (error) {
    if (error instanceof SettingsError) throw new UsageError(settingsMessage(error, fromFlags));
    throw error;
  }
  // Playwright resolves paths against the packaged config's folder; the user means their own.
  runEnv.REPORT_DIR = reportDir;
  if (baseline !== undefined) {
    const path = resolve(cwd, baseline);
    const { ReportFileError, readReportFile } = await import('../reporters/read-report.js');
    try {
      readReportFile(path);
    } catch (error) {
      if (error instanceof ReportFileError) {
        throw new UsageError(`${fromFlags.has('BASELINE') ? '--baseline' : 'BASELINE'}: ${error.message}`);
      }
      throw error;
    }
    runEnv.BASELINE = path;
  }
  const args = ['test', `--config=${PACKAGED_CONFIG}`];
  if (typeof values.shard === 'string') {
    const shard = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(values.shard);
    if (!shard || Number(shard[1]) > Number(shard[2])) {
      throw new UsageError(`--shard takes X/Y with 1 <= X <= Y, e.g. 1/3, not "${values.shard}"`);
    }
    // A shard's results are merged later: its blob, its own short verdict, and the list.
    args.push(`--shard=${values.shard}`, `--reporter=list,blob,${REPORTER}`);
    runEnv.PLAYWRIGHT_BLOB_OUTPUT_DIR = join(reportDir, 'blob');
  }
  args.push(...rest);
  return { args, env: runEnv };
}

/** Runs Playwright's CLI from the kit's own dependencies; resolves with its exit code. */
function runPlaywright(plan: RunPlan, cwd: string): Promise<number> {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const child = spawn(process.execPath, [cli, ...plan.args], { cwd, env: plan.env, stdio: 'inherit' });
  // Ctrl+C reaches Playwright from the terminal too (it ignores a second SIGINT within a
  // second). A SIGTERM for this process alone, as a CI cancel sends, becomes a SIGINT for
  // Playwright, which stops the run, sweeps up its users and still writes the report.
  const forward = () => child.kill('SIGINT');
  process.on('SIGINT', forward).on('SIGTERM', forward);
  return new Promise((resolvePromise) => {
    child.on('error', (error) => {
      process.stderr.write(`${COMMAND}: could not start Playwright: ${error.message}\n`);
      resolvePromise(1);
    });
    child.on('close', (code) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      resolvePromise(code ?? 1);
    });
  });
}

/**
 * The exit code of a run: its report's verdict, when the run wrote one (not for `--list`, or a
 * run Playwright could not start). A shard judges only part of the catalog, so its INCOMPLETE
 * is no failure: the merged report is gated.
 */
async function exitCodeOfRun(plan: RunPlan, started: number, playwrightCode: number, shard: boolean): Promise<number> {
  const reportPath = join(plan.env.REPORT_DIR as string, REPORT_FILES.json);
  try {
    if (statSync(reportPath).mtimeMs < started) return playwrightCode;
  } catch {
    return playwrightCode;
  }
  const { readReportFile, ReportFileError } = await import('../reporters/read-report.js');
  try {
    const { verdict } = readReportFile(reportPath, { allowUnfinished: true }).summary;
    return shard && verdict === 'incomplete' ? VERDICT_EXIT_CODES.pass : VERDICT_EXIT_CODES[verdict];
  } catch (error) {
    if (error instanceof ReportFileError) return playwrightCode;
    throw error;
  }
}

function print(lines: readonly string[], stream: NodeJS.WriteStream): void {
  if (lines.length) stream.write(`${lines.join('\n')}\n`);
}

/** The command: returns the exit code. */
export async function main(argv: readonly string[], env: Env = process.env, cwd = process.cwd()): Promise<number> {
  if (argv[0] === 'gate' || argv[0] === 'matrix') {
    const result =
      argv[0] === 'gate'
        ? (await import('../reporters/gate-command.js')).runGate(argv.slice(1))
        : await (await import('../reporters/matrix-command.js')).runMatrix(argv.slice(1));
    print(result.out, process.stdout);
    print(result.err, process.stderr);
    return result.code;
  }
  try {
    const { values, positionals, rest } = parseCommandLine(argv, OPTIONS);
    if (values.help) {
      process.stdout.write(helpText());
      return 0;
    }
    if (values.version) {
      const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
      process.stdout.write(`${pkg.version}\n`);
      return 0;
    }
    const stray = positionals.slice(0, positionals.length - rest.length);
    if (stray.length) {
      throw new UsageError(`unexpected argument ${stray[0]}: the commands are gate and matrix; see --help`);
    }
    const plan = await planRun(values, rest, env, cwd);
    const started = Date.now();
    const playwrightCode = await runPlaywright(plan, cwd);
    return exitCodeOfRun(plan, started, playwrightCode, typeof values.shard === 'string');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const hint = /^unknown option --api-key(=|$)/.test(error.message)
      ? ': give the key in a variable and its name with --api-key-env NAME'
      : /^(unknown option|unexpected argument)/.test(error.message) && !error.message.includes('--help')
        ? '; see --help'
        : '';
    process.stderr.write(`${COMMAND}: ${error.message}${hint}\n`);
    return USAGE_EXIT_CODE;
  }
}
