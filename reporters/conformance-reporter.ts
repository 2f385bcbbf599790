// The conformance reporter: turns a run, or `playwright merge-reports`, into reports/conformance.*
// and the badge, and lets the gate set the exit status. The work is in plain functions beside it.
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
import { buildReport, buildRows } from './build-report.js';
import { collectExercise, collectFindings, collectTests, targetLostDuring } from './collect-tests.js';
import { applyGate } from './gate-policy.js';
import { gateSettingsOfRun } from './gate-settings.js';
import { renderSummary } from './render-summary.js';
import { REPORT_FILES } from './report-files.js';
import type { ConformanceReport, RequirementRow, TargetInfo, Verdict } from './report-types.js';
import { isTargetUnusable, runErrorsOf, stoppedAs, targetErrorOf } from './run-errors.js';
import { describeTarget, kitInfo } from './target.js';
import { displayPath } from './text.js';
import { appendToStepSummary, assertMatchesSchema, renderReportFiles, writeReportFiles } from './write-report-files.js';

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
    const stopped = stoppedAs(result) !== undefined;
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
    const complete = !stopped && lost === undefined;
    const ids = new Set(contract().requirements.map((entry) => entry.id));
    const rows = this.judgedRows(ids, secrets);
    // The target could not be tested: the probe before any test refused it, or it was lost.
    const unusable = this.errors.find(isTargetUnusable);
    const targetError = targetErrorOf(unusable, lost, process.env[RUN_PREFIX_VARIABLE], secrets);
    const runErrors = runErrorsOf({
      errors: this.errors,
      unusable,
      root: this.root,
      ids,
      secrets,
      stoppedAs: stoppedAs(result),
    });
    const decision = applyGate({ rows, ...gateSettingsOfRun(process.env), runErrors, targetError, complete });
    const report = buildReport({
      kit: kitInfo(),
      target: this.target(),
      startedAt: result.startTime,
      endedAt: new Date(result.startTime.getTime() + result.duration),
      rows,
      gate: decision.gate,
      verdict: decision.verdict,
      targetError,
      runErrors,
      exercise: this.root ? collectExercise(this.root) : null,
      complete,
    });
    assertMatchesSchema(report);

    const dir = resolve(this.options.reportDir ?? this.initial.reportDir);
    const files = renderReportFiles(report);
    await writeReportFiles(dir, files);
    appendToStepSummary(files.markdown);
    // A terminal reporter of Playwright's has printed the global setup's refusal of the target
    // already: each error is said once.
    this.printSummary(report, join(dir, REPORT_FILES.html), unusable !== undefined && this.printsErrorsToo());
    return decision.verdict;
  }

  /** One row per requirement of the catalog, from the tests of the run and the exchanges' findings. */
  private judgedRows(ids: ReadonlySet<string>, secrets: readonly string[]): RequirementRow[] {
    const tests = this.root ? collectTests(this.root, ids, secrets) : [];
    const findings = this.root ? collectFindings(this.root, ids, secrets) : [];
    return buildRows(contract().requirements, tests, findings);
  }

  /** The target as the report names it: from the blobs' metadata when merging, else the settings at the start. */
  private target(): TargetInfo {
    return describeTarget(this.config?.metadata, {
      apiUrl: this.initial.apiUrl,
      appId: this.initial.appId,
      embedded: !this.initial.apiUrl || process.env[EMBEDDED_TARGET_VARIABLE] === '1',
    });
  }

  private printSummary(report: ConformanceReport, htmlPath: string, targetErrorShown: boolean): void {
    const lines = renderSummary(report, undefined, targetErrorShown);
    lines.push(`  report: ${displayPath(htmlPath)}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
