// Mixed create, get, update and delete load on the reference server; exits 1 on any error, unexpected
// status or broken invariant afterwards. Run: npm run bench:load [-- --seconds 10 --connections 100 --fault NAME]

import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { apiClient } from './api-client.js';
import { startBackground } from './child-process.js';
import { machine, runIfMain } from './lib.js';
import { checkUserInvariants, startLedger } from './user-invariants.js';
import type { UserLedger } from './user-ledger.js';

const APP = 'load';
const SEEDED_USERS = 1_000;
const START_TIMEOUT_MS = 60_000;
// autocannon's own per-request time-out, in seconds: a request waiting this long is an error.
const REQUEST_TIMEOUT_SECONDS = 5;
// Everything after the load (the invariant checks, stopping the server) gets this long.
const AFTER_LOAD_MS = 60_000;
const EXAMPLES_KEPT = 5;
const JSON_HEADERS = { 'content-type': 'application/json' };

const OPERATIONS = ['create', 'get', 'update', 'delete'] as const;
type Operation = (typeof OPERATIONS)[number];

// The statuses the contract gives each step of the sequence on a conforming server.
const EXPECTED: Record<Operation, readonly number[]> = {
  create: [200, 201], // D5: 2xx, SHOULD be 201
  get: [200], // D6
  update: [200], // D7
  delete: [200, 204], // D8
};

// --- autocannon, as far as used here (the package has no types) ------------------------------

interface CannonContext {
  username?: string;
  sentAt?: number;
}

interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: CannonRequest, context: CannonContext) => CannonRequest;
  onResponse?: (status: number, body: string, context: CannonContext) => void;
}

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

interface CannonInstance extends PromiseLike<CannonResult> {
  stop(): void;
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  requests: CannonRequest[];
}) => CannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

// --- What the run saw, per operation -----------------------------------------------------------

interface OperationTally {
  latenciesMs: number[];
  unexpected: number;
  examples: string[];
}

function emptyTally(): OperationTally {
  return { latenciesMs: [], unexpected: 0, examples: [] };
}

class LoadTally {
  readonly operations: Record<Operation, OperationTally> = {
    create: emptyTally(),
    get: emptyTally(),
    update: emptyTally(),
    delete: emptyTally(),
  };
  /** Names whose last request got no answer before the run ended, and what that request was. */
  readonly inFlight = new Map<string, Operation>();
  private names = 0;

  constructor(private readonly ledger: UserLedger) {}

  nextUsername(): string {
    return `load-${String(++this.names).padStart(7, '0')}`;
  }

  sent(operation: Operation, context: CannonContext): void {
    context.sentAt = performance.now();
    this.inFlight.set(context.username as string, operation);
  }

  answered(operation: Operation, status: number, body: string, context: CannonContext): void {
    const username = context.username as string;
    const tally = this.operations[operation];
    tally.latenciesMs.push(performance.now() - (context.sentAt ?? Number.NaN));
    this.inFlight.delete(username);
    if (!EXPECTED[operation].includes(status)) {
      tally.unexpected++;
      if (tally.examples.length < EXAMPLES_KEPT) {
        tally.examples.push(`${operation} of ${username} answered ${status} ${body.slice(0, 200)}`);
      }
      return;
    }
    if (operation === 'create') this.ledger.created(APP, username);
    if (operation === 'delete') this.ledger.deleted(APP, username);
  }

  /** Creates and deletes cut off by the end of the run may or may not have happened. */
  settleInFlight(): void {
    for (const [username, operation] of this.inFlight) {
      if (operation === 'create' || operation === 'delete') this.ledger.unanswered(APP, username);
    }
  }
}

/** The four steps of one connection's loop, chained through autocannon's per-connection context. */
function sequence(tally: LoadTally): CannonRequest[] {
  const users = `/v1/${APP}/users`;
  const step = (operation: Operation, request: (username: string) => CannonRequest): CannonRequest => ({
    setupRequest: (defaults, context) => {
      // autocannon clears the context when a connection starts the sequence again.
      if (operation === 'create') context.username = tally.nextUsername();
      tally.sent(operation, context);
      return { ...defaults, ...request(context.username as string) };
    },
    onResponse: (status, body, context) => tally.answered(operation, status, body, context),
  });
  return [
    step('create', (username) => ({
      method: 'POST',
      path: users,
      headers: JSON_HEADERS,
      body: JSON.stringify({ username, first_name: 'Load', last_name: 'Test' }),
    })),
    step('get', (username) => ({ method: 'GET', path: `${users}/${encodeURIComponent(username)}` })),
    step('update', (username) => ({
      method: 'PUT',
      path: `${users}/${encodeURIComponent(username)}`,
      headers: JSON_HEADERS,
      body: JSON.stringify({ last_name: 'Updated', avatar: 'https://example.com/a.png' }),
    })),
    step('delete', (username) => ({ method: 'DELETE', path: `${users}/${encodeURIComponent(username)}` })),
  ];
}

// --- The run -----------------------------------------------------------------------------------

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] as number;
}

const round = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '100' },
      // A planted bug (server/faults.ts), to see the properties break: e.g. delete-leaves-in-lists.
      fault: { type: 'string', multiple: true, default: [] },
    },
  });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new Error(`--seconds takes a whole number, not ${values.seconds}`);
  }
  if (!Number.isInteger(connections) || connections < 1) {
    throw new Error(`--connections takes a whole number, not ${values.connections}`);
  }
  // The whole script is bounded: lib.ts ends the server child when this exits.
  const deadlineMs = START_TIMEOUT_MS + seconds * 1000 + AFTER_LOAD_MS;
  setTimeout(() => {
    console.error(`bench:load: stopped after ${deadlineMs / 1000} s`);
    process.exit(2);
  }, deadlineMs).unref();

  const started = performance.now();
  console.log(`Machine: ${machine()}; load average ${loadavg()[0]?.toFixed(2)} at the start`);
  const server = startBackground(process.execPath, [
    ...['--import', 'tsx', 'server/cli.ts', '--port', '0'],
    ...['--seed-users', String(SEEDED_USERS), '--seed-app', APP],
    ...values.fault.flatMap((fault) => ['--fault', fault]),
  ]);
  const broken: string[] = [];
  let served: number;
  try {
    const banner = await server.waitFor(/listening on (http:\/\/\S+)(.*)/, START_TIMEOUT_MS);
    const url = banner[1] as string;
    const client = apiClient(url);
    const ledger = await startLedger(client, [APP]);
    const tally = new LoadTally(ledger);
    console.log(
      `autocannon: ${connections} connections for ${seconds} s against ${url}${banner[2] ?? ''}, each looping create → get → update → delete of its own user; ${SEEDED_USERS} users seeded in app "${APP}"`,
    );
    const result = await autocannon({
      url,
      connections,
      duration: seconds,
      timeout: REQUEST_TIMEOUT_SECONDS,
      requests: sequence(tally),
    });
    tally.settleInFlight();
    report(result, tally, broken);

    const findings = await checkUserInvariants(client, ledger, {
      pageSize: 100,
      maxPages: 1_000,
      maxGoneLookups: 1_000,
      concurrency: 16,
    });
    const names = ledger.entries(APP).size;
    console.log(
      `invariants at rest: ${findings.length === 0 ? 'hold' : `${findings.length} broken`} (${names.toLocaleString('en-US')} names: each live one answers GET and is listed once in both list forms, totals agree, deleted ones are gone)`,
    );
    for (const finding of findings.slice(0, 10)) console.log(`  ${finding}`);
    if (findings.length > 0) broken.push(`${findings.length} invariant(s) broken`);
  } finally {
    await server.stop();
    served = Number(/stopped after (\d+) request/.exec(server.output())?.[1] ?? Number.NaN);
  }
  // The server logs every time its last-resort 500 handler is reached (request-handler.ts).
  const unexpected = server.output().match(/reference server: unexpected error/g)?.length ?? 0;
  console.log(`server: ${round(served)} requests served; last-resort 500 reached ${unexpected} time(s)`);
  if (unexpected > 0) broken.push(`the last-resort 500 was reached ${unexpected} time(s)`);
  if (Number.isNaN(served)) broken.push('the server did not say how many requests it served');

  const elapsed = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\n${elapsed} s in all; load average ${loadavg()[0]?.toFixed(2)} at the end`);
  console.log(broken.length === 0 ? 'properties: all hold' : `properties BROKEN: ${broken.join('; ')}`);
  if (broken.length > 0) process.exitCode = 1;
}

function report(result: CannonResult, tally: LoadTally, broken: string[]): void {
  console.log(
    `\nthroughput: ${round(result.requests.average)} requests/s (${round(result.requests.total)} requests in ${result.duration.toFixed(1)} s); latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms (autocannon)`,
  );
  for (const operation of OPERATIONS) {
    const { latenciesMs, unexpected } = tally.operations[operation];
    const sorted = [...latenciesMs].sort((a, b) => a - b);
    console.log(
      `  ${operation.padEnd(6)} ${round(latenciesMs.length / result.duration).padStart(7)} requests/s  p50 ${ms(percentile(sorted, 0.5))}  p99 ${ms(percentile(sorted, 0.99))}  unexpected status ${unexpected}`,
    );
  }
  const unexpected = OPERATIONS.reduce((sum, operation) => sum + tally.operations[operation].unexpected, 0);
  console.log(
    `errors: ${result.errors} socket errors, ${result.timeouts} time-outs, ${result.non2xx} non-2xx, ${unexpected} answers not the step's expected status; ${tally.inFlight.size} requests cut off by the end of the run`,
  );
  for (const operation of OPERATIONS) {
    for (const example of tally.operations[operation].examples) console.log(`  ${example}`);
  }
  if (result.errors > 0 || result.timeouts > 0) {
    broken.push(`${result.errors} socket errors, ${result.timeouts} time-outs`);
  }
  if (result.non2xx > 0 || unexpected > 0) broken.push(`${result.non2xx} non-2xx, ${unexpected} unexpected statuses`);
}

runIfMain(import.meta.url, main);
