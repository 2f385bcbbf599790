// Bounded concurrency for the kit's request loops: a target is never sent more than a few
// requests of one loop at once.

/** Runs `task` over the items with at most `limit` at once; results keep the items' order. */
export async function mapConcurrently<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** Runs `task` over the items with at most `limit` at once, for its effects only. */
export async function forEachConcurrently<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<unknown>,
): Promise<void> {
  await mapConcurrently(items, limit, task);
}
