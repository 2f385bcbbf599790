// The stand-alone reference server (`npm run reference-server -- --port 4010 ...`): one line when it
// listens, one with the request count on SIGINT or SIGTERM, exit 2 with one sentence on a bad flag.
import { USAGE_EXIT_CODE } from '../runtime/exit-codes.js';
import { parseCliArgs } from './cli-args.js';
import { type RunningReferenceServer, startReferenceServer } from './reference-server.js';
import { OptionError } from './server-options.js';

const EXIT_FAILURE = 1;

async function main(args: readonly string[]): Promise<void> {
  let request: ReturnType<typeof parseCliArgs>;
  try {
    request = parseCliArgs(args);
  } catch (error) {
    fail(error, USAGE_EXIT_CODE);
    return;
  }
  if ('help' in request) {
    process.stdout.write(request.help);
    return;
  }
  // Listening for signals before the banner: until a listener exists, a signal kills the
  // process outright, and whoever waits for the banner may signal at once.
  const starting = startReferenceServer(request.options);
  stopOnSignals(starting);
  let server: RunningReferenceServer;
  try {
    server = await starting;
  } catch (error) {
    fail(error, error instanceof OptionError ? USAGE_EXIT_CODE : EXIT_FAILURE);
    process.removeAllListeners('SIGINT').removeAllListeners('SIGTERM');
    return;
  }
  process.stdout.write(`${banner(server)}\n`);
}

/** The one line printed once the server listens. */
function banner(server: RunningReferenceServer): string {
  const notes = [
    ...(server.mode === 'canonical' ? [] : [`mode ${server.mode}`]),
    ...(server.faults.length === 0 ? [] : [`faults: ${server.faults.join(', ')}`]),
  ];
  const suffix = notes.length === 0 ? '' : ` (${notes.join('; ')})`;
  return `Users API reference server listening on ${server.url}${suffix}`;
}

function stopOnSignals(starting: Promise<RunningReferenceServer>): void {
  const stop = () => {
    starting
      .then(async (server) => {
        await server.close();
        // The count tells a benchmark (or anyone) how many requests a run sent; written before exiting.
        const served = server.requestsServed;
        const line = `Users API reference server stopped after ${served} request${served === 1 ? '' : 's'}\n`;
        await new Promise<void>((resolve) => process.stdout.write(line, () => resolve()));
      })
      .then(
        () => process.exit(0),
        () => process.exit(EXIT_FAILURE),
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function fail(error: unknown, exitCode: number): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`reference-server: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exitCode = exitCode;
}

await main(process.argv.slice(2));
