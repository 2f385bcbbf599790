// Before any test: settings checked, the embedded server started if API_URL is unset, the target
// probed, so a wrong target ends the run in seconds rather than with one time-out per test.
import { randomBytes } from 'node:crypto';
import { type FullConfig, request } from '@playwright/test';
import { EMBEDDED_TARGET_VARIABLE, newRunPrefix, RUN_PREFIX_VARIABLE } from '../../runtime/run-identity.js';
import { readSettings } from '../../runtime/settings.js';
import { createRunState, targetLost } from '../../runtime/target-lost.js';
import { startReferenceServer } from '../../server/reference-server.js';
import { ApiClient } from './support/api-client.js';
import { probeTarget } from './support/probe-target.js';
import { judgeAndRecord } from './support/run-findings.js';
import { finalSweepDone, sweepRunUsers } from './support/sweep.js';

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const settings = readSettings();
  let close = async () => {};
  if (!settings.apiUrl) {
    // The embedded server gets a key and a second app, so the D10 and D11 checks run rather than skip.
    const apiKey = `kit-${randomBytes(12).toString('hex')}`;
    const server = await startReferenceServer({ apiKey, apiKeyHeader: settings.apiKeyHeader });
    // Environment variables are Playwright's documented way from global setup to the workers: the
    // URL is known only now, after the configuration (and any option fixture in it) was read.
    process.env.API_URL = server.url;
    process.env.API_KEY = apiKey;
    process.env.SECOND_APP_ID ||= `${settings.appId}-second`;
    process.env[EMBEDDED_TARGET_VARIABLE] = '1';
    close = () => server.close();
  }
  process.env[RUN_PREFIX_VARIABLE] ??= newRunPrefix();
  const removeRunState = createRunState();
  try {
    const probed = readSettings();
    const exchange = await probeTarget(probed);
    // Outside any test: spooled, and carried by the run's first test.
    judgeAndRecord(
      exchange,
      { operation: 'listUsersWithPresence', requestTimeoutMs: probed.requestTimeoutMs },
      undefined,
    );
  } catch (error) {
    removeRunState();
    await close();
    throw error;
  }
  return async () => {
    // A target lost mid-run cannot be swept; the report says so and names the run's prefix. A
    // run whose final check swept already sends nothing more: no exchange goes unjudged.
    if (targetLost() === undefined && !finalSweepDone()) await sweepLeftovers();
    removeRunState();
    await close();
  };
}

// Bounds the last sweep, so a target that stopped answering cannot hold up the end of the run.
const SWEEP_TIMEOUT_MS = 15_000;

/**
 * Deletes whatever users of this run are still there (D12). A finished run has already done
 * so in its final check; this is for a run interrupted by a signal, or one whose final check
 * never ran, so it too leaves the target as it found it. Quiet: the verdict is not its business.
 */
async function sweepLeftovers(): Promise<void> {
  const settings = readSettings();
  if (!settings.apiUrl) return;
  const context = await request.newContext();
  try {
    const api = new ApiClient(context, { ...settings, apiUrl: settings.apiUrl });
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, SWEEP_TIMEOUT_MS).unref());
    await Promise.race([sweepRunUsers(api).then(() => undefined), timeout]);
  } catch {
    // A target that is gone cannot be swept; the report already says why the run ended.
  } finally {
    await context.dispose();
  }
}
