// The paginated envelope's links: canonical ones absolute from the client's Host header,
// alternative ones paths. The first page's link has no position, so `first` leads to it (E21).
import type { ModeRules } from './mode.js';
import type { PositionScheme } from './page-position.js';
import type { OrderedView } from './sorted-index.js';
import type { UserRecord } from './user-record.js';

/** What the links of one page are built from. */
export interface LinkParts {
  readonly rules: ModeRules;
  readonly appId: string;
  readonly presence: string;
  readonly limit: number;
  readonly scheme: PositionScheme;
  readonly order: OrderedView<UserRecord>;
  readonly hostHeader: string | undefined;
  readonly listenAuthority: string;
}

// A Host header is echoed into links, so only a plain host[:port] is trusted.
const PLAIN_AUTHORITY = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** A function that writes the link to the page starting at an index. */
export function pageLinker(parts: LinkParts): (index: number) => string {
  const origin = parts.rules.links === 'absolute' ? `http://${authority(parts)}` : '';
  const path = `${origin}/v1/${encodeURIComponent(parts.appId)}/users`;
  // The same for every link of the page, so encoded once; positions are digits or base64url,
  // which encodeURIComponent leaves as they are, as URLSearchParams would.
  const base = `${path}?${new URLSearchParams({ presence: parts.presence, limit: String(parts.limit) })}`;
  const param = encodeURIComponent(parts.scheme.param);
  return (index) =>
    index > 0 ? `${base}&${param}=${encodeURIComponent(parts.scheme.write(index, parts.order))}` : base;
}

function authority(parts: LinkParts): string {
  const host = parts.hostHeader;
  return host !== undefined && PLAIN_AUTHORITY.test(host) ? host : parts.listenAuthority;
}
