// The only reader of the kit's environment (and `.env`). SETTINGS is the one table of names, flags,
// defaults and meanings: `--help` prints it; a self-test holds README.md and `.env.example` to it.
import { config as loadDotenv } from 'dotenv';

loadDotenv({ quiet: true });

/**
 * The shortest key the kit accepts. A shorter one cannot be told apart from ordinary words,
 * so blanking it out of what a run writes would blank those words too (or leave the key).
 */
export const SHORTEST_KEY = 8;

/** One setting: its environment variable (the key in SETTINGS), its command-line flag, its default. */
export interface SettingDefinition {
  /** The flag of `users-api-conformance`, without its dashes. */
  readonly flag: string;
  /** What the flag's value is called in --help. */
  readonly valueName: string;
  /** The value used when the variable is unset or blank; undefined: it stays unset. */
  readonly fallback: string | undefined;
  /** What unset means, for a setting without a fallback. */
  readonly whenUnset?: string;
  /** One line for --help. */
  readonly meaning: string;
}

/** Every setting of a run, in the order --help and the README list them. */
export const SETTINGS = {
  API_URL: {
    flag: 'url',
    valueName: 'URL',
    fallback: undefined,
    whenUnset: 'the embedded reference server',
    meaning: 'base URL of the implementation (http or https, may include a path prefix)',
  },
  APP_ID: { flag: 'app-id', valueName: 'ID', fallback: 'conformance', meaning: 'the app id in /v1/{APP_ID}/users' },
  SECOND_APP_ID: {
    flag: 'second-app-id',
    valueName: 'ID',
    fallback: undefined,
    whenUnset: 'the tenancy checks are skipped; embedded server: {APP_ID}-second',
    meaning: 'a second app for the tenancy checks (D11)',
  },
  API_KEY: {
    // The flag names a variable that holds the key: a key on a command line would show in
    // process lists and shell history.
    flag: 'api-key-env',
    valueName: 'NAME',
    fallback: undefined,
    whenUnset: 'the credential checks are skipped; embedded server: a random key',
    meaning: `the API key, at least ${SHORTEST_KEY} characters, sent exactly as given, never printed or written; the flag names the variable holding it`,
  },
  API_KEY_HEADER: {
    flag: 'api-key-header',
    valueName: 'HEADER',
    fallback: 'Authorization',
    meaning: 'the header that carries the key',
  },
  PRESENCE_QUERY: {
    flag: 'presence-query',
    valueName: 'NAME=VALUE',
    fallback: 'presence=true',
    meaning: 'the query that selects Get Users with Presence (D3)',
  },
  PAGE_SIZE_PARAM: {
    flag: 'page-size-param',
    valueName: 'NAME',
    fallback: 'limit',
    meaning: 'the query parameter that asks for a page size (D3)',
  },
  PAGE_BUDGET: {
    flag: 'page-budget',
    valueName: 'N',
    fallback: '200',
    meaning: 'at most this many pages are read in one walk (D4)',
  },
  REQUEST_TIMEOUT_MS: {
    flag: 'timeout-ms',
    valueName: 'MS',
    fallback: '10000',
    meaning: 'per-request time-out, in milliseconds',
  },
  REPORT_DIR: { flag: 'report-dir', valueName: 'DIR', fallback: 'reports', meaning: 'where reports are written' },
  GATE: {
    flag: 'gate',
    valueName: 'strict|default',
    fallback: 'default',
    meaning: 'strict also fails the run on SHOULD failures',
  },
  BASELINE: {
    flag: 'baseline',
    valueName: 'PATH',
    fallback: undefined,
    whenUnset: 'every failure counts',
    meaning: 'a previous conformance.json: fail only on regressions against it',
  },
} as const satisfies Record<string, SettingDefinition>;

export type SettingName = keyof typeof SETTINGS;

/**
 * Set by the command when the key came from --api-key-env NAME, to that flag, so hints name
 * what the user actually used; unset, the key came from API_KEY itself.
 */
export const API_KEY_SOURCE_VARIABLE = 'USERS_API_KIT_KEY_SOURCE';

/** The environment variables of a run, in table order. */
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** Settings of one conformance run, checked once before anything is sent. */
export interface Settings {
  /** Base URL of the implementation; undefined means the embedded reference server. */
  apiUrl: string | undefined;
  appId: string;
  secondAppId: string | undefined;
  apiKey: string | undefined;
  /** What the user set the key with, for hints: `API_KEY` or `--api-key-env NAME`. */
  apiKeySource: string;
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
  /** The setting the message is about, so a command line can name its flag. */
  declare readonly variable: SettingName | undefined;

  constructor(message: string, variable?: SettingName) {
    super(message);
    // Not enumerable: Playwright prints the error with its own properties, and one line will do.
    Object.defineProperty(this, 'variable', { value: variable, enumerable: false });
    // The message says everything; a stack would bury it under the kit's own source lines.
    this.stack = `${this.name}: ${message}`;
  }
}

type Env = Record<string, string | undefined>;

/** The names of the settings that have a fallback. */
type Defaulted = { [K in SettingName]: (typeof SETTINGS)[K]['fallback'] extends string ? K : never }[SettingName];

function optionalText(env: Env, name: SettingName): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function text(env: Env, name: Defaulted): string {
  return optionalText(env, name) ?? SETTINGS[name].fallback;
}

function positiveInteger(env: Env, name: 'PAGE_BUDGET' | 'REQUEST_TIMEOUT_MS'): number {
  const raw = text(env, name);
  if (!/^[1-9][0-9]*$/.test(raw)) {
    throw new SettingsError(
      `${name}=${JSON.stringify(raw)} is not a positive whole number (default ${SETTINGS[name].fallback}).`,
      name,
    );
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
      'API_URL',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SettingsError(`API_URL=${JSON.stringify(raw)} must be an http or https URL.`, 'API_URL');
  }
  if (url.search || url.hash) {
    throw new SettingsError(
      `API_URL=${JSON.stringify(raw)} must not carry a query or fragment; the kit adds /v1/{APP_ID}/users.`,
      'API_URL',
    );
  }
  // The kit appends `/v1/...`, so a trailing slash would double it.
  return url.href.replace(/\/+$/, '');
}

function presenceQuery(env: Env): Settings['presenceQuery'] {
  const raw = text(env, 'PRESENCE_QUERY');
  const match = /^([^=&?#\s]+)=([^&?#\s]*)$/.exec(raw);
  if (!match?.[1] || match[2] === undefined) {
    throw new SettingsError(
      `PRESENCE_QUERY=${JSON.stringify(raw)} must be one name=value pair, e.g. presence=true.`,
      'PRESENCE_QUERY',
    );
  }
  return { name: match[1], value: match[2] };
}

function appId(env: Env, name: 'APP_ID' | 'SECOND_APP_ID'): string | undefined {
  const value = name === 'APP_ID' ? text(env, name) : optionalText(env, name);
  if (value !== undefined && /[/?#\s]/.test(value)) {
    throw new SettingsError(`${name}=${JSON.stringify(value)} must not contain "/", "?", "#" or spaces.`, name);
  }
  return value;
}

function keySource(env: Env): string {
  return env[API_KEY_SOURCE_VARIABLE]?.trim() || 'API_KEY';
}

function apiKey(env: Env): string | undefined {
  const key = optionalText(env, 'API_KEY');
  if (key !== undefined && key.length < SHORTEST_KEY) {
    throw new SettingsError(
      `The key in ${keySource(env)} has ${key.length} character(s); the kit needs at least ${SHORTEST_KEY} to keep it out of ` +
        'what a run writes without blanking ordinary words. Use a longer key for the kit.',
      'API_KEY',
    );
  }
  return key;
}

/** Reads and checks the settings; throws one SettingsError for the first unusable value. */
export function readSettings(env: Env = process.env): Settings {
  const primaryApp = appId(env, 'APP_ID') as string;
  const secondAppId = appId(env, 'SECOND_APP_ID');
  if (secondAppId === primaryApp) {
    throw new SettingsError(
      `SECOND_APP_ID must differ from APP_ID (both are ${JSON.stringify(primaryApp)}).`,
      'SECOND_APP_ID',
    );
  }
  const pageSizeParam = text(env, 'PAGE_SIZE_PARAM');
  if (!/^[A-Za-z0-9_.[\]-]+$/.test(pageSizeParam)) {
    throw new SettingsError(
      `PAGE_SIZE_PARAM=${JSON.stringify(pageSizeParam)} is not a query parameter name.`,
      'PAGE_SIZE_PARAM',
    );
  }
  return {
    apiUrl: baseUrl(env),
    appId: primaryApp,
    secondAppId,
    apiKey: apiKey(env),
    apiKeySource: keySource(env),
    apiKeyHeader: text(env, 'API_KEY_HEADER'),
    presenceQuery: presenceQuery(env),
    pageSizeParam,
    pageBudget: positiveInteger(env, 'PAGE_BUDGET'),
    requestTimeoutMs: positiveInteger(env, 'REQUEST_TIMEOUT_MS'),
    reportDir: text(env, 'REPORT_DIR'),
  };
}

/** How the end of a run is judged: the gate policy and the baseline report, if any. */
export interface GateSettings {
  policy: 'strict' | 'default';
  /** Path of a previous conformance.json, as given; undefined for none. */
  baseline: string | undefined;
}

/** Reads GATE and BASELINE; throws SettingsError for a GATE that is not a policy. */
export function readGateSettings(env: Env = process.env): GateSettings {
  const baseline = optionalText(env, 'BASELINE');
  const gate = text(env, 'GATE');
  if (gate !== 'strict' && gate !== 'default') {
    throw new SettingsError(
      `GATE=${JSON.stringify(env.GATE)} is not a gate policy: use GATE=strict, GATE=default or leave it unset.`,
      'GATE',
    );
  }
  return { policy: gate, baseline };
}
