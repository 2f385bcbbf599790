// Walks the paginated list by its links, as the self-tests and the load benchmark's
// invariant check read it.
import assert from 'node:assert/strict';
import type { ApiClient } from './api-client.js';

/** One page of the envelope, as the walker sees it. */
export interface Page {
  readonly url: string;
  readonly count: number;
  readonly total_count: number;
  readonly links: Record<string, string | null>;
  readonly users: Array<Record<string, unknown>>;
}

/** Fetches one page; fails unless it answers 200. */
export async function fetchPage(api: ApiClient, url: string): Promise<Page> {
  const answer = await api.call(url);
  assert.equal(answer.status, 200, `GET ${url}: ${answer.text}`);
  return { ...(answer.json as Omit<Page, 'url'>), url: new URL(url, api.url).href };
}

/** Follows a link of a page (`next`, `previews`, ...) resolved against the page's URL, at most `maxPages` times. */
export async function follow(api: ApiClient, start: Page, key: string, maxPages: number): Promise<Page[]> {
  const pages = [start];
  let page = start;
  for (let step = 0; step < maxPages; step++) {
    const link = page.links[key];
    if (link === null || link === undefined) return pages;
    page = await fetchPage(api, new URL(link, page.url).href);
    pages.push(page);
  }
  assert.fail(`following ${key} did not end within ${maxPages} pages`);
}

/** The usernames on a list of pages, in order. */
export function usernamesOf(pages: readonly Page[]): string[] {
  return pages.flatMap((page) => page.users.map((user) => String(user.username)));
}
