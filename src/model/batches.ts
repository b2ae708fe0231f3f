/**
 * Batches of samples, as readers produce them: one batch per file chunk or container block, so
 * a consumer awaits once per batch rather than once per sample (an `await` per sample of an async
 * generator costs more than parsing the sample). Every batch is non-empty and in file order.
 */
export type Batches<T> = AsyncIterable<readonly T[]>;

/** The items of batches one by one, for consumers that take a plain async sequence. */
export async function* flatten<T>(batches: Batches<T>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}

/** An async sequence in batches of up to `size` items. */
export async function* batched<T>(items: AsyncIterable<T>, size = 1024): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
