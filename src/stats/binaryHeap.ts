/**
 * Binary min-heap ordered by a numeric key, ties broken by a second number: by default the
 * insertion order (stable), or one the caller gives, such as a stream index for a deterministic
 * k-way merge (Williams 1964; CLRS ch. 6). O(log n) push and pop, O(1) peek. Used to reorder
 * out-of-order records by event time and to merge time-ordered streams.
 */
export class BinaryHeap<T> {
  private readonly items: T[] = [];
  private readonly keys: number[] = [];
  private readonly order: number[] = [];
  private sequence = 0;

  get size(): number {
    return this.items.length;
  }

  /** Smallest key, or +Infinity when empty. */
  peekKey(): number {
    return this.items.length > 0 ? (this.keys[0] as number) : Number.POSITIVE_INFINITY;
  }

  /** Adds an item; among equal keys the smaller `tieBreak` (default: insertion order) pops first. */
  push(key: number, item: T, tieBreak?: number): void {
    const items = this.items;
    const keys = this.keys;
    const order = this.order;
    let i = items.length;
    const sequence = this.sequence++;
    const seq = tieBreak ?? sequence;
    items.push(item);
    keys.push(key);
    order.push(seq);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent] as number;
      if (pk < key || (pk === key && (order[parent] as number) < seq)) break;
      items[i] = items[parent] as T;
      keys[i] = pk;
      order[i] = order[parent] as number;
      i = parent;
    }
    items[i] = item;
    keys[i] = key;
    order[i] = seq;
  }

  /** Removes and returns the item with the smallest key (earliest pushed among equals). */
  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const keys = this.keys;
    const order = this.order;
    const top = items[0] as T;
    const lastItem = items.pop() as T;
    const lastKey = keys.pop() as number;
    const lastOrder = order.pop() as number;
    const n = items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        let child = left;
        if (right < n) {
          const lk = keys[left] as number;
          const rk = keys[right] as number;
          if (rk < lk || (rk === lk && (order[right] as number) < (order[left] as number))) child = right;
        }
        const ck = keys[child] as number;
        if (ck > lastKey || (ck === lastKey && (order[child] as number) > lastOrder)) break;
        items[i] = items[child] as T;
        keys[i] = ck;
        order[i] = order[child] as number;
        i = child;
      }
      items[i] = lastItem;
      keys[i] = lastKey;
      order[i] = lastOrder;
    }
    return top;
  }
}
