import { from, type OperatorFunction } from 'rxjs';

/** Outcome of {@link runOperator}: everything emitted, and whether the stream completed or erred. */
export interface OperatorRun<O> {
  readonly values: O[];
  readonly completed: boolean;
  readonly error: unknown;
}

/**
 * Feeds `input` synchronously through `operator` and returns what came out. The operators under
 * test are synchronous, so the whole run happens inside the subscribe call.
 */
export function runOperator<I, O>(input: Iterable<I>, operator: OperatorFunction<I, O>): OperatorRun<O> {
  const values: O[] = [];
  let completed = false;
  let error: unknown;
  from(input)
    .pipe(operator)
    .subscribe({
      next: (value) => values.push(value),
      error: (err: unknown) => {
        error = err;
      },
      complete: () => {
        completed = true;
      },
    });
  return { values, completed, error };
}
