// Runs a command the way a user would, from a clean environment, for the self-tests that start
// the kit's command line, npm, or Playwright as child processes. Bounded: when time is up, the
// child's whole process group is killed (npm and the kit start children of their own).
import { spawn } from 'node:child_process';
import { SETTING_NAMES } from '../../../runtime/settings.js';

/** How a child process ended, with everything it printed. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * This process's environment without the caller's settings, npm script context, test runner
 * context or job summary, then `extra`. Settings are blanked rather than deleted, so no .env in
 * the child's folder can fill them in.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|INIT_CWD$|NODE_OPTIONS$|NODE_TEST_CONTEXT$|GITHUB_STEP_SUMMARY$)/.test(name)) continue;
    env[name] = value;
  }
  for (const name of SETTING_NAMES) env[name] = '';
  return { ...env, ...extra };
}

/** Runs the command to its end, or kills its process group after `timeoutMs`. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string | undefined>; timeoutMs: number },
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    }, options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
