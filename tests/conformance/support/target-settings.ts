// The settings of the target the tests talk to, as the workers see them.
import { readSettings, type Settings } from '../../../runtime/settings.js';

/** Settings whose API_URL is known: the target's, or the embedded server's. */
export type TargetSettings = Settings & { apiUrl: string };

/** The settings of the running target; the global setup has filled in API_URL when it is embedded. */
export function targetSettings(): TargetSettings {
  const settings = readSettings();
  if (!settings.apiUrl)
    throw new Error('API_URL is not set: run the suite through playwright.config.ts, whose global setup sets it.');
  return settings as TargetSettings;
}
