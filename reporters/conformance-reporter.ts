// The conformance reporter (issue 5): at the end of a run, or of `playwright merge-reports`,
// it turns the results into reports/conformance.{json,md,html} and conformance-badge.svg,
// prints a short summary, and lets the gate decide the exit status. It keeps only the config,
// the root suite and the errors outside tests; the work is in the plain functions beside it.
// Usage: reporter: [['./reporters/conformance-reporter.ts']] (REPORT_DIR, GATE, BASELINE).
// Merging shards: `playwright merge-reports --reporter ./reporters/conformance-reporter.ts DIR`
// reads the target from the blobs' config metadata. Give the merge the run's API_KEY when
// there is one: the reporter only uses it to blank it out of failure messages.
import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type {
  FullConfig,
  FullResult,
  Reporter,
  Suite,
  TestCase,
  TestError,
  TestResult,
  TestStep,
} from '@playwright/test/reporter';
import { redact, secretForms } from '../runtime/key-redaction.js';
import { EMBEDDED_TARGET_VARIABLE, RUN_PREFIX_VARIABLE } from '../runtime/run-identity.js';
import { readSettings, SETTINGS } from '../runtime/settings.js';
import { contract } from '../specs/contract.js';
import { buildReport, buildRows, serializeReport } from './build-report.js';
import { collectExercise, collectFindings, collectTests, failedHelpers, targetLostDuring } from './collect-tests.js';
import { applyGate, gateOptionsFromEnv } from './gate-policy.js';
import { REPORT_SCHEMA, readReportFile } from './read-report.js';
import { renderBadge } from './render-badge.js';
import { renderHtml } from './render-html.js';
import { renderJunit } from './render-junit.js';
import { renderMarkdown } from './render-markdown.js';
import { renderSummary } from './render-summary.js';
import { REPORT_FILES } from './report-files.js';
import type { Verdict } from './report-types.js';
import { describeTarget, kitInfo } from './target.js';
import { cleanMessage, displayPath } from './text.js';
import { writeAtomically } from './write-atomically.js';

export interface ConformanceReporterOptions {
  /** Overrides REPORT_DIR. */
  reportDir?: string;
  /** Set by Playwright: 'list' for `playwright test --list`, which runs no test and gets no report. */
  _mode?: string;
}

interface SettingsSnapshot {
  apiUrl: string | undefined;
  appId: string;
  apiKey: string | undefined;
  reportDir: string;
}

function settingsSnapshot(): SettingsSnapshot {
  try {
    const { apiUrl, appId, apiKey, reportDir } = readSettings();
    return { apiUrl, appId, apiKey, reportDir };
  } catch {
    // The config already stopped a run with bad settings; merge-reports may run without them.
    return {
      apiUrl: undefined,
      appId: SETTINGS.APP_ID.fallback,
      apiKey: undefined,
      reportDir: SETTINGS.REPORT_DIR.fallback,
    };
  }
}

/** Blanks the secrets out of an error and its causes, in place. */
function redactError(error: TestError, secrets: readonly string[]): void {
  for (const field of ['message', 'stack', 'value', 'snippet'] as const) {
    const text = error[field];
    if (text !== undefined) error[field] = redact(text, secrets);
  }
  if (error.cause) redactError(error.cause, secrets);
}

// Playwright's reporters that print a run's errors where the summary is read.
const TERMINAL_REPORTERS = new Set(['list', 'line', 'dot', 'github']);

/** The global setup's refusal of the target (tests/conformance/support/probe-target.ts). */
function isTargetUnusable(error: TestError): boolean {
  return /TargetUnusableError/.test(error.stack ?? error.message ?? '');
}

function firstLine(error: TestError): string {
  const text = error.message ?? error.value ?? 'unknown error';
  return text.split('\n').find((line) => line.trim()) ?? text;
}

export default class ConformanceReporter implements Reporter {
  private config: FullConfig | undefined;
  private root: Suite | undefined;
  private readonly errors: TestError[] = [];
  // Read before the global setup fills in API_URL for the embedded server.
  private readonly initial = settingsSnapshot();

  constructor(private readonly options: ConformanceReporterOptions = {}) {}

  printsToStdio(): boolean {
    return true;
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.config = config;
    this.root = suite;
  }

  /** Whether another reporter of the run prints the run's errors to the terminal. */
  private printsErrorsToo(): boolean {
    return (this.config?.reporter ?? []).some(([name]) => TERMINAL_REPORTERS.has(name));
  }

  onError(error: TestError): void {
    this.errors.push(error);
  }

  /** Every form of the API key to blank: the one set now (the embedded server's) and the one set at the start. */
  private secrets(): string[] {
    return [settingsSnapshot().apiKey, this.initial.apiKey].flatMap(secretForms);
  }

  // Playwright records each request as a step, and a request that failed (a time-out, a dropped
  // connection) as a step whose error holds the call log, which lists the request's headers, the
  // key among them. The HTML and blob reporters write the steps at the end of the run, from these
  // same objects, so the key is blanked out of them here, as each step ends.
  onStepEnd(_test: TestCase, _result: TestResult, step: TestStep): void {
    if (step.error) redactError(step.error, this.secrets());
  }

  async onEnd(result: FullResult): Promise<{ status: FullResult['status'] } | undefined> {
    // Listing the tests must not replace the last run's report with one of untested rows.
    if (this.options._mode === 'list') return undefined;
    const stopped = result.status === 'interrupted' || result.status === 'timedout';
    try {
      const verdict = await this.writeReports(result, stopped);
      // Playwright knows only passed and failed; the kit's command turns the report's verdict
      // into its own exit code (VERDICT_EXIT_CODES).
      return { status: stopped ? result.status : verdict === 'pass' ? 'passed' : 'failed' };
    } catch (error) {
      process.stdout.write(
        `ERROR Users API conformance: the conformance reporter failed: ${(error as Error).message}\n`,
      );
      return { status: stopped ? result.status : 'failed' };
    }
  }

  /** Writes the reports and prints the summary; returns the verdict. */
  private async writeReports(result: FullResult, stopped: boolean): Promise<Verdict> {
    const secrets = this.secrets();
    const lost = this.root ? targetLostDuring(this.root, secrets) : undefined;
    const unfinished = stopped || lost !== undefined;
    const catalog = contract().requirements;
    const ids = new Set(catalog.map((entry) => entry.id));
    const tests = this.root ? collectTests(this.root, ids, secrets) : [];
    const findings = this.root ? collectFindings(this.root, ids, secrets) : [];
    const rows = buildRows(catalog, tests, findings);

    // The target could not be tested: the probe before any test refused it, or it was lost.
    const unusable = this.errors.find(isTargetUnusable);
    const prefix = process.env[RUN_PREFIX_VARIABLE];
    const targetError = unusable
      ? cleanMessage(firstLine(unusable).replace(/^(Error: )?TargetUnusableError: /, ''), secrets)
      : lost
        ? `${lost.reason}; ${lost.notRun} of ${lost.total} tests were not run` +
          (prefix ? `, and users this run created (names starting with ${prefix}) may be left on it` : '')
        : null;
    const runErrors = this.errors
      .filter((error) => error !== unusable)
      .map((error) => cleanMessage(firstLine(error), secrets));
    if (this.root) runErrors.push(...failedHelpers(this.root, ids, secrets));
    if (stopped) {
      runErrors.push(
        result.status === 'timedout'
          ? 'the run reached its global timeout: its results are partial'
          : 'the run was interrupted: its results are partial',
      );
    }
    const { options, errors: settingErrors } = gateOptionsFromEnv(process.env);
    let baselineRows = null;
    const baselineLabel = options.baseline ? displayPath(resolve(options.baseline)) : null;
    if (options.baseline) {
      try {
        baselineRows = readReportFile(options.baseline).requirements;
      } catch (error) {
        settingErrors.push(`BASELINE: ${(error as Error).message}`);
      }
    }
    const decision = applyGate({
      rows,
      policy: options.policy,
      baselineLabel,
      baselineRows,
      settingErrors,
      runErrors,
      targetError,
      complete: !unfinished,
    });

    const target = describeTarget(this.config?.metadata, {
      apiUrl: this.initial.apiUrl,
      appId: this.initial.appId,
      embedded: !this.initial.apiUrl || process.env[EMBEDDED_TARGET_VARIABLE] === '1',
    });
    const report = buildReport({
      kit: kitInfo(),
      target,
      startedAt: result.startTime,
      endedAt: new Date(result.startTime.getTime() + result.duration),
      rows,
      gate: decision.gate,
      verdict: decision.verdict,
      targetError,
      runErrors,
      exercise: this.root ? collectExercise(this.root) : null,
      complete: !unfinished,
    });
    const checked = contract().validate(REPORT_SCHEMA, report);
    if (!checked.valid) throw new Error(`the report does not match its schema: ${checked.errors.join('; ')}`);

    const dir = resolve(this.options.reportDir ?? this.initial.reportDir);
    const markdown = renderMarkdown(report);
    await writeAtomically([
      { path: join(dir, REPORT_FILES.json), content: serializeReport(report) },
      { path: join(dir, REPORT_FILES.markdown), content: markdown },
      { path: join(dir, REPORT_FILES.html), content: renderHtml(report) },
      { path: join(dir, REPORT_FILES.badge), content: renderBadge(report) },
      { path: join(dir, REPORT_FILES.junit), content: renderJunit(report) },
    ]);
    const stepSummary = process.env.GITHUB_STEP_SUMMARY;
    if (stepSummary) {
      try {
        appendFileSync(stepSummary, `${markdown}\n`);
      } catch (error) {
        process.stdout.write(`  (could not append to GITHUB_STEP_SUMMARY: ${(error as Error).message})\n`);
      }
    }
    // A terminal reporter of Playwright's has printed the global setup's refusal of the target
    // already: each error is said once.
    const shown = unusable !== undefined && this.printsErrorsToo();
    const lines = renderSummary(report, undefined, shown);
    lines.push(`  report: ${displayPath(join(dir, REPORT_FILES.html))}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return decision.verdict;
  }
}
