import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertId } from '../../src/detectors/alertId.js';

describe('alertId', () => {
  it('is the first 128 bits of SHA-256 over rule, series and start, NUL-separated, in hex', () => {
    const expected = createHash('sha256')
      .update('latency-regression\u0000latency{host=a}\u00001700000000000000')
      .digest('hex')
      .slice(0, 32);
    expect(alertId('latency-regression', 'latency{host=a}', 1_700_000_000_000_000)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is deterministic and changes with any of its inputs', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 0, max: 2 ** 52 }), (rule, series, since) => {
        const id = alertId(rule, series, since);
        expect(alertId(rule, series, since)).toBe(id);
        expect(alertId(rule, series, since + 1)).not.toBe(id);
        expect(alertId(`${rule}x`, series, since)).not.toBe(id);
        expect(alertId(rule, `${series}x`, since)).not.toBe(id);
      }),
    );
  });

  it('keeps rule and series apart: moving text across the separator changes the id', () => {
    expect(alertId('ab', 'c', 1)).not.toBe(alertId('a', 'bc', 1));
  });
});
