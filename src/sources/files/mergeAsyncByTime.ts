import type { Sample } from '../../model/sample.js';
import { BinaryHeap } from '../../stats/binaryHeap.js';

/**
 * Lazy k-way merge of time-ordered async sample streams by timestamp (ties to the lower stream index), so
 * several recordings of the same period replay as one time-ordered stream. Closes every input
 * when the consumer stops early or an input fails. O(log k) per sample.
 */
export async function* mergeAsyncByTime(streams: readonly AsyncIterable<Sample>[]): AsyncGenerator<Sample> {
  const iterators = streams.map((stream) => stream[Symbol.asyncIterator]());
  const heap = new BinaryHeap<{ sample: Sample; index: number }>();
  try {
    for (let index = 0; index < iterators.length; index++) {
      const first = await (iterators[index] as AsyncIterator<Sample>).next();
      if (first.done !== true) heap.push(first.value.ts, { sample: first.value, index }, index);
    }
    while (heap.size > 0) {
      const { sample, index } = heap.pop() as { sample: Sample; index: number };
      yield sample;
      const next = await (iterators[index] as AsyncIterator<Sample>).next();
      if (next.done !== true) heap.push(next.value.ts, { sample: next.value, index }, index);
    }
  } finally {
    await Promise.allSettled(iterators.map((iterator) => iterator.return?.()));
  }
}
