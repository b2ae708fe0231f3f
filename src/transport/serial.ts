/**
 * Runs async tasks one at a time, in the order they were queued: how a sink keeps the order of
 * writes while callers do not wait for each other. A failed task fails only its own promise.
 */
export class Serial {
  private tail: Promise<void> = Promise.resolve();

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  idle(): Promise<void> {
    return this.tail;
  }
}
