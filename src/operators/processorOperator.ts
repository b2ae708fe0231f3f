import { Observable, type OperatorFunction } from 'rxjs';
import type { Processor } from '../detectors/processor.js';

/**
 * The one way a processor becomes an RxJS operator, in the spirit of RxJS's own `operate`: each
 * subscription creates its own processor (state is never shared between subscribers), every value
 * goes to `push` and completion to `end`, and what they return is passed on in order. An exception
 * a processor throws (a kernel's RangeError, a timestamp going backwards) goes to the error
 * channel, which releases the subscription upstream; errors from upstream pass through as they
 * are; unsubscribing early unsubscribes upstream. O(1) per value on top of the processor.
 */
export function processorOperator<I, O>(create: () => Processor<I, O>): OperatorFunction<I, O> {
  return (source) =>
    new Observable<O>((subscriber) => {
      const processor = create();
      const forward = (results: readonly O[]): void => {
        for (let i = 0; i < results.length; i++) subscriber.next(results[i] as O);
      };
      return source.subscribe({
        next: (input) => {
          let results: readonly O[];
          try {
            results = processor.push(input);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          forward(results);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          let results: readonly O[];
          try {
            results = processor.end();
          } catch (error) {
            subscriber.error(error);
            return;
          }
          forward(results);
          subscriber.complete();
        },
      });
    });
}
