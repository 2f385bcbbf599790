// Bookkeeping of the input-class tests: one case per class, judged view by view. A 5xx or no answer
// is only noted here: the exchange rules charge it to USR-ROBUST-NO-5XX or USR-ROBUST-ANSWERED.
import { test } from '@playwright/test';
import type { InputClass } from '../../../specs/contract.js';
import type { ApiClient } from './api-client.js';
import type { Exchange } from './exchange.js';
import { tallyInputClass } from './exercise.js';
import { describeClass, shown } from './input-values.js';
import { scanPages } from './sweep.js';
import { verifyThat } from './verdicts.js';

/** How the server answered the request that carried a class. */
export type Answer = 'stored' | 'refused' | 'server-error' | 'unanswered' | 'other';

/** One class sent once, and what the test found about it. */
export interface ClassCase {
  row: InputClass;
  /** Where the class went: a field, or the whole body. */
  where: string;
  username: string;
  answer?: Answer;
  findings: string[];
  /** The exchanges behind the findings, the first one first. */
  evidence: Exchange[];
}

export function newCase<R extends InputClass>(row: R, where: string, username: string): ClassCase & { row: R } {
  tallyInputClass(row.id);
  return { row, where, username, findings: [], evidence: [] };
}

/** Classifies the answer to the request that carried the class, and records it. */
export function answerOf(kase: ClassCase, exchange: Exchange): Answer {
  const status = exchange.response?.status;
  kase.answer =
    status === undefined
      ? 'unanswered'
      : status >= 500
        ? 'server-error'
        : status >= 400
          ? 'refused'
          : status >= 200 && status < 300
            ? 'stored'
            : 'other';
  if (kase.answer === 'other') fail(kase, `a 2xx (stored) or a 4xx (refused), got ${status}`, exchange);
  return kase.answer;
}

/** Records a finding of a case, with the exchange that shows it. */
export function fail(kase: ClassCase, finding: string, exchange: Exchange): void {
  kase.findings.push(finding);
  if (!kase.evidence.includes(exchange)) kase.evidence.push(exchange);
}

/** The JSON object body of an exchange, or undefined. */
export function objectBody(exchange: Exchange): Record<string, unknown> | undefined {
  const json = exchange.response?.json;
  return json !== null && typeof json === 'object' && !Array.isArray(json)
    ? (json as Record<string, unknown>)
    : undefined;
}

/**
 * A check of one field in one view: fails the case when the value read back is not accepted.
 * A view without the field is not judged here: a missing property is the shape requirements'
 * finding (they judge every answer), and page items need not carry it (E11).
 */
export function expectField(
  kase: ClassCase,
  view: string,
  exchange: Exchange,
  body: Record<string, unknown> | undefined,
  field: string,
  accepts: (actual: unknown) => boolean,
  expected: string,
): void {
  if (body === undefined || !(field in body)) return;
  const actual = body[field];
  if (!accepts(actual)) fail(kase, `${view} showed ${field} ${shown(actual)}, expected ${expected}`, exchange);
}

/** The users of both list forms, by username: one array read and one scan of the pages. */
export interface ListedUsers {
  array: Exchange;
  arrayItems: Map<string, Record<string, unknown>> | undefined;
  pageItems: Map<string, Record<string, unknown>>;
  /** The page each paged user was seen on. */
  pages: Map<string, Exchange>;
}

function itemsOf(json: unknown): Record<string, unknown>[] {
  return Array.isArray(json)
    ? json.filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object')
    : [];
}

/** Reads Get Users once and scans Get Users with Presence once, within the page budget. */
export async function readLists(api: ApiClient): Promise<ListedUsers> {
  const [array, scan] = await Promise.all([api.listUsers(), scanPages(api)]);
  const arrayItems =
    array.response?.status === 200 && Array.isArray(array.response.json)
      ? new Map(itemsOf(array.response.json).map((item) => [String(item.username), item]))
      : undefined;
  const pageItems = new Map<string, Record<string, unknown>>();
  const pages = new Map<string, Exchange>();
  for (const page of scan.pages) {
    for (const item of itemsOf((page.response?.json as { users?: unknown } | undefined)?.users)) {
      const username = String(item.username);
      if (pageItems.has(username)) continue;
      pageItems.set(username, item);
      pages.set(username, page);
    }
  }
  return { array, arrayItems, pageItems, pages };
}

/**
 * Judges a stored case where the list forms show it. Whether a list holds every user is the
 * list requirements' to judge (USR-LIST-HOLDS-CREATED, the walks on a still app): a capped
 * array or a page scan that other tests' writes shifted says nothing about the class. What
 * the lists show of the case's user is judged: its fields, and its name, found by the part
 * of the name the kit made (`stem`, which `siblings` of the test may share), so a name the
 * server changed is seen as changed.
 */
export function expectListed(
  kase: ClassCase,
  lists: ListedUsers,
  judge: (view: string, exchange: Exchange, item: Record<string, unknown>) => void,
  stem?: { stem: string; siblings: readonly string[] },
): void {
  const views = [
    { view: 'Get Users', items: lists.arrayItems, page: () => lists.array },
    {
      view: 'Get Users with Presence',
      items: lists.pageItems,
      page: (name: string) => lists.pages.get(name) as Exchange,
    },
  ];
  for (const { view, items, page } of views) {
    if (!items) continue;
    const item = items.get(kase.username);
    if (item) {
      judge(view, page(kase.username), item);
      continue;
    }
    // Another user the test made with the same stem (a case twin) is not this one renamed.
    const renamed = stem
      ? [...items.keys()].find((name) => name.includes(stem.stem) && !stem.siblings.includes(name))
      : undefined;
    if (renamed !== undefined) fail(kase, `${view} lists it as ${shown(renamed)}`, page(renamed));
  }
}

/**
 * Ends the test: notes what the server did with each class, and fails with one line per class
 * that was not refused cleanly or stored exactly.
 */
export async function judgeCases(cases: ClassCase[], label: string, expected: string): Promise<void> {
  const info = test.info();
  const byAnswer = (answer: Answer) => cases.filter((kase) => kase.answer === answer).map((kase) => kase.row.id);
  const refused = byAnswer('refused');
  info.annotations.push({
    type: 'observed',
    description: `${label}: ${byAnswer('stored').length} of ${cases.length} classes stored, ${refused.length} refused with a 4xx${refused.length ? ` (${refused.join(', ')})` : ''}`,
  });
  const leftToRules = [...byAnswer('server-error'), ...byAnswer('unanswered')];
  if (leftToRules.length) {
    info.annotations.push({
      type: 'not judged',
      description: `${label}: ${leftToRules.join(', ')} answered with a 5xx or not at all, which USR-ROBUST-NO-5XX or USR-ROBUST-ANSWERED judges`,
    });
  }
  // A test that judged nothing is skipped with its reason, never passed.
  const judged = cases.filter((kase) => kase.answer === 'stored' || kase.answer === 'refused' || kase.findings.length);
  test.skip(
    judged.length === 0,
    `Not judged: none of the ${cases.length} classes got a 2xx or a 4xx (${label}); what they got is judged by USR-ROBUST-NO-5XX and USR-ROBUST-ANSWERED.`,
  );
  const failed = cases.filter((kase) => kase.findings.length);
  await verifyThat(
    failed.length === 0,
    `${expected}; ${failed.length} of ${cases.length} classes were not:\n           ${failed
      .map((kase) => `${describeClass(kase.row)} in ${kase.where}: ${kase.findings.join('; ')}`)
      .join('\n           ')}`,
    // The first exchange of each failed class, at most five: the lines above say the rest.
    failed.slice(0, 5).map((kase) => kase.evidence[0] as Exchange),
  );
}
