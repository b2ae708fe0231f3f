import type { Batches } from '../../model/batches.js';
import type { Sample } from '../../model/sample.js';
import { BinaryHeap } from '../../stats/binaryHeap.js';

/** One input of the merge: its iterator, its current batch and the position in it. */
interface Cursor {
  readonly index: number;
  readonly iterator: AsyncIterator<readonly Sample[]>;
  batch: readonly Sample[];
  position: number;
}

/**
 * Lazy k-way merge of time-ordered sample streams, each given in batches, by timestamp (ties to
 * the lower stream index), so several recordings of the same period replay as one time-ordered
 * stream; the output comes in batches of up to `size` samples. An input is awaited only when its
 * batch runs out. Closes every input when the consumer stops early or an input fails.
 * O(log k) per sample.
 */
export async function* mergeBatchesByTime(streams: readonly Batches<Sample>[], size = 4096): AsyncGenerator<Sample[]> {
  const cursors: Cursor[] = streams.map((stream, index) => ({
    index,
    iterator: stream[Symbol.asyncIterator](),
    batch: [],
    position: 0,
  }));
  const heap = new BinaryHeap<Cursor>();
  /** Moves a cursor to its next sample, fetching its next batch when needed; false once it is done. */
  const refill = async (cursor: Cursor): Promise<boolean> => {
    while (cursor.position >= cursor.batch.length) {
      const next = await cursor.iterator.next();
      if (next.done === true) return false;
      cursor.batch = next.value;
      cursor.position = 0;
    }
    return true;
  };
  try {
    for (const cursor of cursors)
      if (await refill(cursor)) heap.push((cursor.batch[0] as Sample).ts, cursor, cursor.index);
    let out: Sample[] = [];
    while (heap.size > 0) {
      const cursor = heap.pop() as Cursor;
      out.push(cursor.batch[cursor.position++] as Sample);
      if (out.length >= size) {
        yield out;
        out = [];
      }
      // Only a cursor whose batch ran out waits for its input.
      if (cursor.position < cursor.batch.length || (await refill(cursor)))
        heap.push((cursor.batch[cursor.position] as Sample).ts, cursor, cursor.index);
    }
    if (out.length > 0) yield out;
  } finally {
    await Promise.allSettled(cursors.map((cursor) => cursor.iterator.return?.()));
  }
}
