// The kit's configuration: environment variables, optionally from a `.env` file. This is the
// only place that reads them; the table in README.md and `.env.example` list the same names.
import { config as loadDotenv } from 'dotenv';

loadDotenv({ quiet: true });

/** Settings of one conformance run, checked once before anything is sent. */
export interface Settings {
  /** Base URL of the implementation; undefined means the embedded reference server. */
  apiUrl: string | undefined;
  appId: string;
  secondAppId: string | undefined;
  apiKey: string | undefined;
  apiKeyHeader: string;
  presenceQuery: { name: string; value: string };
  pageSizeParam: string;
  pageBudget: number;
  requestTimeoutMs: number;
  reportDir: string;
}

/** A setting that cannot be used; its message names the variable, the value and what would do. */
export class SettingsError extends Error {
  override name = 'SettingsError';

  constructor(message: string) {
    super(message);
    // The message says everything; a stack would bury it under the kit's own source lines.
    this.stack = `${this.name}: ${message}`;
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim();
  return value ? value : fallback;
}

function optionalText(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function positiveInteger(env: Env, name: string, fallback: number): number {
  const raw = optionalText(env, name);
  if (raw === undefined) return fallback;
  if (!/^[1-9][0-9]*$/.test(raw)) {
    throw new SettingsError(`${name}=${JSON.stringify(raw)} is not a positive whole number (default ${fallback}).`);
  }
  return Number(raw);
}

function baseUrl(env: Env): string | undefined {
  const raw = optionalText(env, 'API_URL');
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SettingsError(
      `API_URL=${JSON.stringify(raw)} is not a URL; give the base, e.g. https://staging.example.com.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SettingsError(`API_URL=${JSON.stringify(raw)} must be an http or https URL.`);
  }
  if (url.search || url.hash) {
    throw new SettingsError(
      `API_URL=${JSON.stringify(raw)} must not carry a query or fragment; the kit adds /v1/{APP_ID}/users.`,
    );
  }
  // The kit appends `/v1/...`, so a trailing slash would double it.
  return url.href.replace(/\/+$/, '');
}

function presenceQuery(env: Env): Settings['presenceQuery'] {
  const raw = text(env, 'PRESENCE_QUERY', 'presence=true');
  const match = /^([^=&?#\s]+)=([^&?#\s]*)$/.exec(raw);
  if (!match?.[1] || match[2] === undefined) {
    throw new SettingsError(`PRESENCE_QUERY=${JSON.stringify(raw)} must be one name=value pair, e.g. presence=true.`);
  }
  return { name: match[1], value: match[2] };
}

function appId(env: Env, name: string, fallback?: string): string | undefined {
  const value = fallback === undefined ? optionalText(env, name) : text(env, name, fallback);
  if (value !== undefined && /[/?#\s]/.test(value)) {
    throw new SettingsError(`${name}=${JSON.stringify(value)} must not contain "/", "?", "#" or spaces.`);
  }
  return value;
}

/** Reads and checks the settings; throws one SettingsError for the first unusable value. */
export function readSettings(env: Env = process.env): Settings {
  const primaryApp = appId(env, 'APP_ID', 'conformance') as string;
  const secondAppId = appId(env, 'SECOND_APP_ID');
  if (secondAppId === primaryApp) {
    throw new SettingsError(`SECOND_APP_ID must differ from APP_ID (both are ${JSON.stringify(primaryApp)}).`);
  }
  const pageSizeParam = text(env, 'PAGE_SIZE_PARAM', 'limit');
  if (!/^[A-Za-z0-9_.[\]-]+$/.test(pageSizeParam)) {
    throw new SettingsError(`PAGE_SIZE_PARAM=${JSON.stringify(pageSizeParam)} is not a query parameter name.`);
  }
  return {
    apiUrl: baseUrl(env),
    appId: primaryApp,
    secondAppId,
    apiKey: optionalText(env, 'API_KEY'),
    apiKeyHeader: text(env, 'API_KEY_HEADER', 'Authorization'),
    presenceQuery: presenceQuery(env),
    pageSizeParam,
    pageBudget: positiveInteger(env, 'PAGE_BUDGET', 200),
    requestTimeoutMs: positiveInteger(env, 'REQUEST_TIMEOUT_MS', 10_000),
    reportDir: text(env, 'REPORT_DIR', 'reports'),
  };
}
