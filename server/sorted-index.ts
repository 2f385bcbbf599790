// An array kept in a fixed order, so a page is a slice and a cursor a binary search, never a walk
// of the whole app. Inserts and removals pay a memmove, cheap at the kit's sizes (100,000 users).

/** Orders two items: negative when `a` comes first. */
export type Compare<T> = (a: T, b: T) => number;

/** An ordered, read-only sequence that pages are cut from. */
export class OrderedView<T> {
  constructor(protected readonly items: T[]) {}

  /** How many items the sequence holds. */
  get size(): number {
    return this.items.length;
  }

  /** The item at a position, if there is one. */
  at(index: number): T | undefined {
    return this.items[index];
  }

  /** The items from `start` on, at most `count` of them. */
  slice(start: number, count: number): T[] {
    return this.items.slice(start, start + count);
  }

  /** Every item, in order. */
  all(): readonly T[] {
    return this.items;
  }

  /** The first position whose item satisfies a predicate that is false, then true, along the order. */
  firstIndexWhere(predicate: (item: T) => boolean): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (predicate(this.items[middle] as T)) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}

/** An OrderedView that keeps its order as items come and go. */
export class SortedIndex<T> extends OrderedView<T> {
  constructor(private readonly compare: Compare<T>) {
    super([]);
  }

  /** Adds an item after every item that orders equal to it, so equal keys keep arrival order. */
  insert(item: T): void {
    const at = this.firstIndexWhere((other) => this.compare(other, item) > 0);
    if (at === this.items.length) this.items.push(item);
    else this.items.splice(at, 0, item);
  }

  /** Adds many items with one sort, for seeding: n inserts would each move the array. */
  insertMany(items: readonly T[]): void {
    for (const item of items) this.items.push(item);
    this.items.sort(this.compare);
  }

  /** Removes this very item (by identity, as faults can leave equal keys); false when absent. */
  remove(item: T): boolean {
    let at = this.firstIndexWhere((other) => this.compare(other, item) >= 0);
    while (at < this.items.length && this.items[at] !== item && this.compare(this.items[at] as T, item) === 0) at++;
    if (this.items[at] !== item) return false;
    this.items.splice(at, 1);
    return true;
  }
}
