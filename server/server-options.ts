// The options of startReferenceServer, their defaults, and the checks that refuse a bad
// option at start with a sentence, before any socket is opened.
import { isIP } from 'node:net';
import { type FaultName, FaultSwitches } from './faults.js';
import { isMode, MODES, type Mode } from './mode.js';

/** One app to fill with generated users at start. */
export interface SeedSpec {
  appId: string;
  users: number;
}

/** What startReferenceServer accepts; every field has a default. */
export interface ReferenceServerOptions {
  /** Loopback address to bind; anything else is refused. Default 127.0.0.1. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** When set, every request must carry exactly this value in `apiKeyHeader`. */
  apiKey?: string;
  /** The header that carries the key. Default `authorization`. */
  apiKeyHeader?: string;
  /** Delay before each answer, in milliseconds. Default 0. */
  latencyMs?: number;
  /** Which conforming choices to make. Default canonical. */
  mode?: Mode;
  /** Bugs to plant. Default none. Checked at start too, as names may come from a command line. */
  faults?: readonly FaultName[];
  /** Apps to fill with generated users at start. */
  seed?: readonly SeedSpec[];
  /** Largest request body accepted; larger ones get 413. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Longest username accepted at create, in characters. Default 256. */
  maxUsernameLength?: number;
  /** Where the last-resort handler reports an unexpected error. Default stderr. */
  logError?: (line: string) => void;
}

/** The options with every default applied and every value checked. */
export interface ResolvedOptions {
  readonly host: string;
  readonly port: number;
  readonly apiKey: string | undefined;
  readonly apiKeyHeader: string;
  readonly latencyMs: number;
  readonly mode: Mode;
  readonly faults: FaultSwitches;
  readonly seed: readonly SeedSpec[];
  readonly maxBodyBytes: number;
  readonly maxUsernameLength: number;
  readonly logError: (line: string) => void;
}

/** The defaults, also shown by the CLI's --help. */
export const DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  apiKeyHeader: 'authorization',
  latencyMs: 0,
  mode: 'canonical',
  maxBodyBytes: 64 * 1024,
  maxUsernameLength: 256,
} as const satisfies Partial<ResolvedOptions>;

/** Thrown at start for an option the server cannot run with. */
export class OptionError extends Error {
  override name = 'OptionError';
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Applies the defaults and checks every option; OptionError names the first bad one. */
export function resolveOptions(options: ReferenceServerOptions = {}): ResolvedOptions {
  const mode = options.mode ?? DEFAULTS.mode;
  if (!isMode(mode)) throw new OptionError(`Mode "${mode}" is not one of ${MODES.join(', ')}.`);
  const apiKeyHeader = (options.apiKeyHeader ?? DEFAULTS.apiKeyHeader).toLowerCase();
  if (!HEADER_NAME.test(apiKeyHeader)) throw new OptionError(`"${apiKeyHeader}" is not a valid header name.`);
  if (options.apiKey === '') throw new OptionError('The API key is empty; leave it out to serve without a key.');
  return {
    host: loopbackHost(options.host ?? DEFAULTS.host),
    port: integerIn('port', options.port ?? DEFAULTS.port, 0, 65535),
    apiKey: options.apiKey,
    apiKeyHeader,
    latencyMs: integerIn('latencyMs', options.latencyMs ?? DEFAULTS.latencyMs, 0, 60_000),
    mode,
    faults: faultSwitches(options.faults ?? []),
    seed: checkSeeds(options.seed ?? []),
    maxBodyBytes: integerIn('maxBodyBytes', options.maxBodyBytes ?? DEFAULTS.maxBodyBytes, 1, 2 ** 30),
    maxUsernameLength: integerIn(
      'maxUsernameLength',
      options.maxUsernameLength ?? DEFAULTS.maxUsernameLength,
      1,
      2 ** 20,
    ),
    logError: options.logError ?? ((line) => process.stderr.write(`${line}\n`)),
  };
}

// The server is a test double: it must never be reachable from another machine.
function loopbackHost(host: string): string {
  const loopback = host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
  if (!loopback)
    throw new OptionError(
      `Host "${host}" is not a loopback address; the reference server binds only 127.0.0.1, ::1 or localhost.`,
    );
  return host;
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new OptionError(`${name} must be an integer from ${min} to ${max}, not ${String(value)}.`);
  }
  return value;
}

function faultSwitches(names: readonly string[]): FaultSwitches {
  try {
    return new FaultSwitches(names);
  } catch (error) {
    throw new OptionError((error as Error).message);
  }
}

// Seeded names are user-000001 and on in every app, so one app seeded twice would clash.
function checkSeeds(seeds: readonly SeedSpec[]): readonly SeedSpec[] {
  const seen = new Set<string>();
  for (const seed of seeds) {
    if (typeof seed.appId !== 'string' || seed.appId === '') throw new OptionError('A seed needs a non-empty appId.');
    if (seen.has(seed.appId)) throw new OptionError(`App "${seed.appId}" is seeded twice; seed each app once.`);
    seen.add(seed.appId);
    integerIn(`seed users of app "${seed.appId}"`, seed.users, 0, 10_000_000);
  }
  return seeds;
}
