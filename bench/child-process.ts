// The one place benchmarks and self-tests start child processes, so each is bounded in time and
// ended with all it started. Here, not in tests/self, because bench/ may not import tests/.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SETTING_NAMES } from '../runtime/settings.js';

export const projectRoot = fileURLToPath(new URL('../', import.meta.url));

/** How a child process ended, with everything it printed. */
export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly timedOut: boolean;
}

type Env = Record<string, string | undefined>;

/** Every child still running, so that this process's end (or a benchmark's Ctrl-C) ends them too. */
const running = new Set<ChildProcess>();

/** Ends a child and everything it started, if any of it still runs. */
function killTree(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The whole group has exited already.
  }
}

/** Kills every child still running and what it started. */
export function killAll(): void {
  for (const child of running) killTree(child);
}

process.once('exit', killAll);

/**
 * This process's environment without the caller's settings, npm script context, test runner
 * context or job summary, then `extra`. Settings are blanked rather than deleted, so no .env in
 * the child's folder can fill them in (the kit reads blank as unset).
 */
export function cleanEnv(extra: Record<string, string> = {}): Env {
  const env: Env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|INIT_CWD$|NODE_OPTIONS$|NODE_TEST_CONTEXT$|GITHUB_STEP_SUMMARY$)/.test(name)) continue;
    env[name] = value;
  }
  for (const name of SETTING_NAMES) env[name] = '';
  return { ...env, ...extra };
}

function start(command: string, args: readonly string[], cwd: string | undefined, env: Env | undefined) {
  const child = spawn(command, args, {
    cwd: cwd ?? projectRoot,
    env: env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const started = performance.now();
  let timedOut = false;
  const closed = new Promise<Finished>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      running.delete(child);
      // Whatever it started and left running goes too.
      killTree(child);
      resolve({ code, stdout, stderr, ms: performance.now() - started, timedOut });
    });
  });
  return {
    child,
    closed,
    output: () => `${stdout}${stderr}`,
    timeOut() {
      timedOut = true;
      killTree(child);
    },
  };
}

export interface BoundedOptions {
  cwd?: string;
  env?: Env;
  timeoutMs: number;
  /** Polled while the child runs; once it resolves true, the child gets SIGINT, as from Ctrl-C. */
  interruptWhen?: () => Promise<boolean>;
}

const POLL_INTERVAL_MS = 100;

/** Runs a command to its end, killing it (and its children) after `timeoutMs`. */
export async function runBounded(command: string, args: readonly string[], options: BoundedOptions): Promise<Finished> {
  const started = start(command, args, options.cwd, options.env);
  const timer = setTimeout(started.timeOut, options.timeoutMs);
  let running = true;
  const poll = async (condition: () => Promise<boolean>) => {
    while (running) {
      if (await condition().catch(() => false)) {
        started.child.kill('SIGINT');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  };
  if (options.interruptWhen) void poll(options.interruptWhen);
  try {
    return await started.closed;
  } finally {
    running = false;
    clearTimeout(timer);
  }
}

/** A child process that runs until stopped: a server under test. */
export interface Background {
  readonly pid: number;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Waits (at most `timeoutMs`) for output that matches, and answers the match. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** Sends `signal` (SIGTERM by default), then SIGKILL to it and its children if it has not exited within 10 s. */
  stop(signal?: NodeJS.Signals): Promise<Finished>;
}

const STOP_TIMEOUT_MS = 10_000;

/** Starts a long-running child process in its own process group. */
export function startBackground(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: Env } = {},
): Background {
  const started = start(command, args, options.cwd, options.env);
  const { child } = started;
  // A failed start shows in waitFor and stop; no unhandled rejection before either is called.
  started.closed.catch(() => {});
  return {
    pid: child.pid as number,
    output: started.output,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const look = () => {
          const match = pattern.exec(started.output());
          if (!match) return;
          stopLooking();
          resolve(match);
        };
        const timer = setTimeout(() => {
          stopLooking();
          reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms: ${started.output().slice(-500)}`));
        }, timeoutMs);
        const ended = (code: number | null) => {
          stopLooking();
          reject(new Error(`the process exited (${code}) before printing ${pattern}: ${started.output().slice(-500)}`));
        };
        const stopLooking = () => {
          clearTimeout(timer);
          child.stdout.off('data', look);
          child.stderr.off('data', look);
          child.off('close', ended);
        };
        child.stdout.on('data', look);
        child.stderr.on('data', look);
        child.once('close', ended);
        look();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(started.timeOut, STOP_TIMEOUT_MS);
      try {
        return await started.closed;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
