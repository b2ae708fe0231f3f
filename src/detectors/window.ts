import type { WindowSpec } from '../model/fields/window.js';
import { CountWindow } from '../stats/countWindow.js';
import type { SlidingWindow } from '../stats/slidingWindow.js';
import { TimeWindow } from '../stats/timeWindow.js';

/** Creates the sliding window a {@link WindowSpec} describes; throws RangeError on a bad spec. */
export function createWindow(spec: WindowSpec, what: string): SlidingWindow & { evictBefore?(ts: number): void } {
  validateWindowSpec(spec, what);
  return 'count' in spec ? new CountWindow(spec.count) : new TimeWindow(spec.duration);
}

/** Throws the RangeError {@link createWindow} would, without building a window (options are checked once per rule). */
export function validateWindowSpec(spec: WindowSpec, what: string): void {
  if ('count' in spec) {
    if (!Number.isInteger(spec.count) || spec.count < 1)
      throw new RangeError(`${what}: window.count must be a positive integer, got ${spec.count}`);
  } else if (!(spec.duration > 0) || !Number.isFinite(spec.duration)) {
    throw new RangeError(`${what}: window.duration must be > 0 µs, got ${spec.duration}`);
  }
}
