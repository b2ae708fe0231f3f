import type { Sample } from '../../model/sample.js';
import { BinaryHeap } from '../../stats/binaryHeap.js';

interface Head {
  readonly sample: Sample;
  readonly index: number;
  readonly iterator: Iterator<Sample>;
}

/**
 * Lazy k-way merge of time-ordered sample streams by ts (binary min-heap, Knuth TAOCP vol. 3
 * §5.4.1); ties go to the lower stream index. Each input must itself be ordered by ts.
 * O(log k) per sample, O(k) memory; iterators are closed if the consumer stops early.
 */
export function* mergeByTime(streams: readonly Iterable<Sample>[]): Generator<Sample> {
  const heap = new BinaryHeap<Head>();
  const iterators = streams.map((stream) => stream[Symbol.iterator]());
  const open = new Set<Iterator<Sample>>();
  try {
    iterators.forEach((iterator, index) => {
      const first = iterator.next();
      if (first.done !== true) {
        open.add(iterator);
        heap.push(first.value.ts, { sample: first.value, index, iterator }, index);
      }
    });
    while (heap.size > 0) {
      const top = heap.pop() as Head;
      yield top.sample;
      const following = top.iterator.next();
      if (following.done === true) open.delete(top.iterator);
      else
        heap.push(following.value.ts, { sample: following.value, index: top.index, iterator: top.iterator }, top.index);
    }
  } finally {
    for (const iterator of open) iterator.return?.();
  }
}
