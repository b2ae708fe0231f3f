/**
 * A synchronous processor of one stream: fed inputs in event-time order, it returns what each
 * one produced, and `end()` returns what is left when the stream ends. No RxJS: the analysis
 * drives thousands of them from one subscription, and the public operators wrap them through one
 * helper (src/operators/processorOperator.ts). The array a call returns is read before the next
 * call, so a processor may hand out the same array every time; most calls return {@link NONE}.
 */
export interface Processor<I, O> {
  push(input: I): readonly O[];
  end(): readonly O[];
}

/** What a call that produced nothing returns: one shared, frozen empty array. */
export const NONE: readonly never[] = Object.freeze([]);
