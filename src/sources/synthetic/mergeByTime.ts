import type { Sample } from '../../model/sample.js';

interface Head {
  readonly sample: Sample;
  readonly index: number;
  readonly iterator: Iterator<Sample>;
}

/** Heap order: earlier ts first; equal ts by lower stream index, so the merge is deterministic. */
function before(a: Head, b: Head): boolean {
  return a.sample.ts < b.sample.ts || (a.sample.ts === b.sample.ts && a.index < b.index);
}

function siftDown(heap: Head[], from: number): void {
  let i = from;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let smallest = i;
    if (left < heap.length && before(heap[left] as Head, heap[smallest] as Head)) smallest = left;
    if (right < heap.length && before(heap[right] as Head, heap[smallest] as Head)) smallest = right;
    if (smallest === i) return;
    [heap[i], heap[smallest]] = [heap[smallest] as Head, heap[i] as Head];
    i = smallest;
  }
}

function siftUp(heap: Head[], from: number): void {
  let i = from;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i] as Head, heap[parent] as Head)) return;
    [heap[i], heap[parent]] = [heap[parent] as Head, heap[i] as Head];
    i = parent;
  }
}

/**
 * Lazy k-way merge of time-ordered sample streams by ts (binary min-heap, Knuth TAOCP vol. 3
 * §5.4.1); ties go to the lower stream index. Each input must itself be ordered by ts.
 * O(log k) per sample, O(k) memory; iterators are closed if the consumer stops early.
 */
export function* mergeByTime(streams: readonly Iterable<Sample>[]): Generator<Sample> {
  const heap: Head[] = [];
  const iterators = streams.map((stream) => stream[Symbol.iterator]());
  try {
    iterators.forEach((iterator, index) => {
      const first = iterator.next();
      if (!first.done) {
        heap.push({ sample: first.value, index, iterator });
        siftUp(heap, heap.length - 1);
      }
    });
    while (heap.length > 0) {
      const top = heap[0] as Head;
      yield top.sample;
      const following = top.iterator.next();
      if (following.done) {
        const last = heap.pop() as Head;
        if (heap.length > 0) {
          heap[0] = last;
          siftDown(heap, 0);
        }
      } else {
        heap[0] = { sample: following.value, index: top.index, iterator: top.iterator };
        siftDown(heap, 0);
      }
    }
  } finally {
    for (const head of heap) head.iterator.return?.();
  }
}
