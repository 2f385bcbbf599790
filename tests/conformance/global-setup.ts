// Runs once before any test: checks the settings, starts the embedded reference server when
// API_URL is unset, fixes the run's username prefix, and makes sure the target answers HTTP,
// so a wrong target ends the run in seconds with one message instead of a time-out per test.
import { randomBytes } from 'node:crypto';
import type { FullConfig } from '@playwright/test';
import { startReferenceServer } from '../../server/reference-server.js';
import { readSettings } from './settings.js';
import { probeTarget } from './support/probe-target.js';
import { EMBEDDED_TARGET_VARIABLE, newRunPrefix, RUN_PREFIX_VARIABLE } from './support/run-identity.js';

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const settings = readSettings();
  let close = async () => {};
  if (!settings.apiUrl) {
    // The embedded server gets a key and a second app, so the D10 and D11 checks run rather than skip.
    const apiKey = `kit-${randomBytes(12).toString('hex')}`;
    const server = await startReferenceServer({ apiKey, apiKeyHeader: settings.apiKeyHeader });
    process.env.API_URL = server.url;
    process.env.API_KEY = apiKey;
    process.env.SECOND_APP_ID ||= `${settings.appId}-second`;
    process.env[EMBEDDED_TARGET_VARIABLE] = '1';
    close = () => server.close();
  }
  process.env[RUN_PREFIX_VARIABLE] ??= newRunPrefix();
  try {
    await probeTarget(readSettings());
  } catch (error) {
    await close();
    throw error;
  }
  return close;
}
