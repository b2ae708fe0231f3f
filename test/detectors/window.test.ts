import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWindow } from '../../src/detectors/window.js';
import { CountWindow } from '../../src/stats/countWindow.js';
import { TimeWindow } from '../../src/stats/timeWindow.js';

describe('createWindow', () => {
  it('makes a count window for { count } and a time window for { duration }', () => {
    expect(createWindow({ count: 5 }, 'test')).toBeInstanceOf(CountWindow);
    expect(createWindow({ duration: 1_000 }, 'test')).toBeInstanceOf(TimeWindow);
  });

  it('refuses bad specs with a RangeError that names the caller', () => {
    for (const spec of [
      { count: 0 },
      { count: -1 },
      { count: 2.5 },
      { count: Number.NaN },
      { duration: 0 },
      { duration: -5 },
      { duration: Number.NaN },
      { duration: Number.POSITIVE_INFINITY },
    ]) {
      expect(() => createWindow(spec, 'myOperator'), JSON.stringify(spec)).toThrow(
        /myOperator: window\.(count|duration)/,
      );
    }
  });

  it('holds the last `count` samples, or those with ts > newest − duration', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: -9, max: 9 })), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 10 }),
        (steps, size) => {
          const count = createWindow({ count: size }, 'test');
          const time = createWindow({ duration: size }, 'test');
          let ts = 0;
          const pushed: [number, number][] = [];
          for (const [step, value] of steps) {
            ts += step;
            pushed.push([ts, value]);
            count.push(ts, value);
            time.push(ts, value);
          }
          const sortedValues = (held: [number, number][]): number[] => held.map(([, v]) => v).sort((a, b) => a - b);
          expect([...count.copySorted()]).toEqual(sortedValues(pushed.slice(-size)));
          expect([...time.copySorted()]).toEqual(sortedValues(pushed.filter(([t]) => t > ts - size)));
        },
      ),
    );
  });

  it('evicts a time window on an external clock', () => {
    const window = createWindow({ duration: 10 }, 'test');
    window.push(0, 1);
    window.push(5, 2);
    window.evictBefore?.(12);
    expect(window.size).toBe(1);
    expect(window.oldestTs).toBe(5);
  });
});
