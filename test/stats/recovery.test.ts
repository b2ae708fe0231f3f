import { describe, expect, it } from 'vitest';
import { Recovery } from '../../src/stats/recovery.js';

/** Reference 10, 11, 9, 10, 10, 12, 8, 10: median 10, MAD 0.5, so 4 robust σ = 4·1.4826·0.5 = 2.9652. */
const REFERENCE = [10, 11, 9, 10, 10, 12, 8, 10];

function withReference(hold = 3): Recovery {
  const recovery = new Recovery({ referencePoints: 8, hold });
  REFERENCE.forEach((value, i) => recovery.push(i, value));
  return recovery;
}

describe('Recovery (robust control band, run rule)', () => {
  it('finds the impact, and the recovery at the first of `hold` points back in the band', () => {
    const recovery = withReference();
    recovery.start(100);
    // 10 in band (no impact yet); 30 impact; 25 out; 11 in; 40 out again (the run restarts);
    // 10, 11, 9: three in a row from t = 105.
    for (const [t, value] of [
      [100, 10],
      [101, 30],
      [102, 25],
      [103, 11],
      [104, 40],
      [105, 10],
      [106, 11],
      [107, 9],
    ])
      recovery.push(t as number, value as number);
    const result = recovery.result();
    expect(result?.center).toBe(10);
    // The consistency constant is 1.4826 (1/Φ⁻¹(3/4) to four decimals, as the MAD kernel uses it).
    expect(result?.halfWidth).toBeCloseTo(4 * 1.4826 * 0.5, 12);
    expect(result?.impactAt).toBe(101);
    expect(result?.recoveredAt).toBe(105);
    expect(result?.recoveryTime).toBe(5);
  });

  it('says when there was no impact, and when there is no recovery yet', () => {
    const quiet = withReference();
    quiet.start(50);
    for (let t = 50; t < 60; t++) quiet.push(t, 10 + (t % 2));
    expect(quiet.result()).toMatchObject({ impactAt: null, recoveredAt: 50, recoveryTime: 0 });

    const down = withReference();
    down.start(50);
    for (let t = 50; t < 60; t++) down.push(t, t === 55 ? 10 : 100);
    // One good reading in the outage is not a recovery (hold 3).
    expect(down.result()).toMatchObject({ impactAt: 50, recoveredAt: null, recoveryTime: null });
  });

  it('keeps a minimum band width relative to the level, and refuses what it cannot judge', () => {
    const flat = new Recovery({ referencePoints: 5, hold: 1 });
    for (let t = 0; t < 5; t++) flat.push(t, 200);
    flat.start(5);
    // MAD 0: the band is ±5% of 200 = ±10, so 205 is no impact and 215 is.
    flat.push(5, 205);
    expect(flat.result()?.impactAt).toBeNull();
    flat.push(6, 215);
    expect(flat.result()?.impactAt).toBe(6);
    expect(() => new Recovery({ referencePoints: 5, hold: 1 }).start(0)).toThrow(
      'recovery: 0 points before the fault; at least 3 are needed',
    );
    expect(() => new Recovery({ referencePoints: 2, hold: 1 })).toThrow(RangeError);
    expect(() => new Recovery({ referencePoints: 5, hold: 0 })).toThrow(RangeError);
  });
});
