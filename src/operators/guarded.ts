import type { Subscriber } from 'rxjs';

/**
 * Wraps a notification handler so that an exception it throws (a kernel's RangeError, say) goes
 * to the subscriber's error channel with state released, instead of escaping into RxJS, which
 * would report it as an uncaught exception and keep the stream running. O(1).
 */
export function guarded<T>(subscriber: Subscriber<unknown>, handler: (value: T) => void): (value: T) => void {
  return (value: T) => {
    try {
      handler(value);
    } catch (error) {
      subscriber.error(error);
    }
  };
}
