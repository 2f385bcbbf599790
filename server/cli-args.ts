// The stand-alone server's command line: parsed strictly with node:util parseArgs into
// startReferenceServer options, with a --help built from the same defaults and fault list.
import { parseArgs } from 'node:util';
import { FAULTS, type FaultName } from './faults.js';
import { MODES } from './mode.js';
import { DEFAULTS, OptionError, type ReferenceServerOptions } from './server-options.js';

/** The port the stand-alone server uses when none is given: the kit's default API_URL. */
export const CLI_DEFAULT_PORT = 4010;

/** What the command line asks for: the help text, or a server with these options. */
export type CliRequest = { readonly help: string } | { readonly options: ReferenceServerOptions };

interface FlagHelp {
  readonly flag: string;
  readonly text: string;
}

const FLAGS: readonly FlagHelp[] = [
  { flag: '--port N', text: `TCP port to listen on; 0 picks a free one (default ${CLI_DEFAULT_PORT})` },
  { flag: '--host H', text: `loopback address to bind (default ${DEFAULTS.host})` },
  { flag: '--api-key K', text: 'require exactly this value in the API key header (default: no key required)' },
  { flag: '--api-key-header H', text: `the header that carries the key (default ${DEFAULTS.apiKeyHeader})` },
  { flag: '--latency-ms N', text: `delay before each answer, in milliseconds (default ${DEFAULTS.latencyMs})` },
  { flag: '--seed-users N', text: 'fill --seed-app with N generated users at start (default 0)' },
  { flag: '--seed-app APP', text: 'the app id --seed-users fills (default: none; required with --seed-users)' },
  { flag: '--mode M', text: `${MODES.join(' or ')} (default ${DEFAULTS.mode})` },
  {
    flag: '--max-body-bytes N',
    text: `largest request body accepted, larger gets 413 (default ${DEFAULTS.maxBodyBytes})`,
  },
  {
    flag: '--max-username-length N',
    text: `longest username accepted at create (default ${DEFAULTS.maxUsernameLength})`,
  },
  { flag: '--fault NAME', text: 'plant a fault, see below; repeatable (default: none)' },
  { flag: '-h, --help', text: 'print this help and exit' },
];

/** The --help text: every flag with its default, then every fault with its description. */
export function helpText(): string {
  const flagWidth = Math.max(...FLAGS.map((entry) => entry.flag.length)) + 2;
  const faultWidth = Math.max(...FAULTS.map((fault) => fault.name.length)) + 2;
  return [
    'Usage: npm run reference-server -- [options]',
    '',
    'Serves the Users API from memory on a loopback address until SIGINT or SIGTERM.',
    '',
    'Options:',
    ...FLAGS.map((entry) => `  ${entry.flag.padEnd(flagWidth)}${entry.text}`),
    '',
    'Faults (off unless named with --fault):',
    ...FAULTS.map((fault) => `  ${fault.name.padEnd(faultWidth)}${fault.description}`),
    '',
  ].join('\n');
}

/** Parses the arguments; OptionError (one sentence) for anything the server cannot start with. */
export function parseCliArgs(args: readonly string[]): CliRequest {
  const { values } = parseFlags(args);
  if (values.help) return { help: helpText() };
  if ((values['seed-users'] === undefined) !== (values['seed-app'] === undefined)) {
    throw new OptionError('--seed-users and --seed-app go together: give both or neither.');
  }
  const seedUsers = values['seed-users'];
  const seedApp = values['seed-app'];
  const options: ReferenceServerOptions = {
    port: values.port === undefined ? CLI_DEFAULT_PORT : count('--port', values.port),
    host: values.host,
    apiKey: values['api-key'],
    apiKeyHeader: values['api-key-header'],
    latencyMs: optionalCount('--latency-ms', values['latency-ms']),
    mode: values.mode as ReferenceServerOptions['mode'],
    maxBodyBytes: optionalCount('--max-body-bytes', values['max-body-bytes']),
    maxUsernameLength: optionalCount('--max-username-length', values['max-username-length']),
    // Checked by the server at start, which names an unknown fault in its error.
    faults: (values.fault ?? []) as FaultName[],
    seed:
      seedUsers !== undefined && seedApp !== undefined
        ? [{ appId: seedApp, users: count('--seed-users', seedUsers) }]
        : [],
  };
  return { options };
}

function parseFlags(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'api-key': { type: 'string' },
        'api-key-header': { type: 'string' },
        'latency-ms': { type: 'string' },
        'seed-users': { type: 'string' },
        'seed-app': { type: 'string' },
        mode: { type: 'string' },
        'max-body-bytes': { type: 'string' },
        'max-username-length': { type: 'string' },
        fault: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // parseArgs explains itself in one sentence, sometimes with advice after it.
    throw new OptionError(`${(error as Error).message.split('. ')[0]?.replace(/\.$/, '')}. See --help.`);
  }
}

function count(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new OptionError(`${flag} takes a whole number, not "${text}".`);
  return Number(text);
}

function optionalCount(flag: string, text: string | undefined): number | undefined {
  return text === undefined ? undefined : count(flag, text);
}
