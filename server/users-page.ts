// One page of the paginated envelope (D4). Pages start at multiples of the page size, so `next` from
// `first` lands exactly on `last`, and `previews` of page k is page k-1.
import { ApiError } from './errors.js';
import type { FaultSwitches } from './faults.js';
import type { ModeRules } from './mode.js';
import { type LinkParts, pageLinker } from './page-links.js';
import { positionScheme } from './page-position.js';
import { OrderedView } from './sorted-index.js';
import { userJsonText } from './user-json.js';
import type { UserRecord } from './user-record.js';

/** The page size used when none is asked, and the largest one served (a larger ask is capped). */
export const PAGE_SIZE = { default: 20, max: 100 } as const;

/** The paginated envelope as sent, its users as their JSON texts (user-json.ts caches them). */
export interface UsersPage {
  count: number;
  links: Record<string, string | null>;
  total_count: number;
  users: string[];
}

/** The JSON text of a page: JSON.stringify of the envelope, with the users' cached texts spliced in. */
export function usersPageText(page: UsersPage): string {
  const head = JSON.stringify({ count: page.count, links: page.links, total_count: page.total_count });
  return `${head.slice(0, -1)},"users":[${page.users.join(',')}]}`;
}

/** What one page request is made of. */
export interface PageRequest {
  readonly appId: string;
  readonly query: URLSearchParams;
  readonly order: OrderedView<UserRecord>;
  readonly hostHeader: string | undefined;
  readonly listenAuthority: string;
}

/** The envelope for the page the query asks for. */
export function usersPage(request: PageRequest, rules: ModeRules, faults: FaultSwitches): UsersPage {
  const order = faults.on('unstable-order') ? shuffled(request.order, faults, request.appId) : request.order;
  const limit = readLimit(request.query, rules);
  const scheme = positionScheme(rules);
  const token = request.query.get(scheme.param);
  const start = token === null ? 0 : scheme.read(token, order);
  const users = order.slice(start, limit);
  const linkParts: LinkParts = {
    rules,
    appId: request.appId,
    presence: request.query.get('presence') ?? '',
    limit,
    scheme,
    order,
    hostHeader: request.hostHeader,
    listenAuthority: request.listenAuthority,
  };
  return {
    count: faults.on('count-not-page-length') ? limit : users.length,
    links: pageLinks(start, limit, order.size, pageLinker(linkParts), faults),
    total_count: faults.on('total-count-off-by-one') ? order.size + 1 : order.size,
    users: users.map((record) => userJsonText(record, rules, faults)),
  };
}

/** The page size asked, capped at PAGE_SIZE.max; an invalid one is refused or replaced per the mode. */
export function readLimit(query: URLSearchParams, rules: ModeRules): number {
  const asked = query.get('limit');
  if (asked === null) return PAGE_SIZE.default;
  const limit = /^\d+$/.test(asked) ? Number(asked) : Number.NaN;
  if (Number.isSafeInteger(limit) && limit >= 1) return Math.min(limit, PAGE_SIZE.max);
  if (rules.invalidLimit === 'use-default') return PAGE_SIZE.default;
  throw new ApiError('limit_invalid', `limit=${asked}`);
}

function pageLinks(
  start: number,
  limit: number,
  total: number,
  link: (index: number) => string,
  faults: FaultSwitches,
): Record<string, string | null> {
  const lastStart = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const previous = start > 0 ? link(Math.min(Math.max(0, start - limit), lastStart)) : null;
  const previousKey = faults.on('previous-instead-of-previews') ? 'previous' : 'previews';
  return {
    current: link(start),
    [previousKey]: previous,
    next: nextLink(start, limit, total, link, faults),
    first: total === 0 ? null : link(0),
    last: total === 0 ? null : link(lastStart),
  };
}

function nextLink(
  start: number,
  limit: number,
  total: number,
  link: (index: number) => string,
  faults: FaultSwitches,
): string | null {
  // Fault last-page-next-not-null: every page with users gets a next, the last one's empty.
  const hasNext = faults.on('last-page-next-not-null') ? start < total : start + limit < total;
  if (!hasNext) return null;
  // Fault next-skips-item: an off-by-one in the next position.
  return link(start + limit + (faults.on('next-skips-item') ? 1 : 0));
}

// The bug of fault unstable-order: paging over an unordered snapshot (think hash order).
// Who led each app's last shuffled order, per server: two requests in a row never agree on the
// first user, so the fault shows on every pair of reads, not on all but a lucky few.
const lastLeaders = new WeakMap<FaultSwitches, Map<string, string>>();

function shuffled(order: OrderedView<UserRecord>, faults: FaultSwitches, appId: string): OrderedView<UserRecord> {
  const items = [...order.all()];
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as UserRecord, items[i] as UserRecord];
  }
  const leaders = lastLeaders.get(faults) ?? new Map<string, string>();
  lastLeaders.set(faults, leaders);
  if (items.length > 1 && items[0]?.username === leaders.get(appId)) {
    const j = 1 + Math.floor(Math.random() * (items.length - 1));
    [items[0], items[j]] = [items[j] as UserRecord, items[0] as UserRecord];
  }
  if (items[0]) leaders.set(appId, items[0].username);
  return new OrderedView(items);
}
