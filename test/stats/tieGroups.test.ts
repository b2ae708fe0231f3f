import { describe, expect, it } from 'vitest';
import { tieGroups } from '../../src/stats/tieGroups.js';

describe('tieGroups', () => {
  it('sums t(t−1)/2, t(t−1)(2t+5) and t³−t over runs of equal values (worked by hand)', () => {
    // Groups of 2 and 3: pairs 1 + 3 = 4; penalty 2·1·9 + 3·2·11 = 18 + 66 = 84; cubes 6 + 24 = 30.
    expect(tieGroups([1, 1, 2, 3, 3, 3])).toEqual({ tiedPairs: 4, penalty: 84, cubes: 30 });
    expect(tieGroups([1, 2, 3])).toEqual({ tiedPairs: 0, penalty: 0, cubes: 0 });
    expect(tieGroups([])).toEqual({ tiedPairs: 0, penalty: 0, cubes: 0 });
    // One group of 4: 6 pairs; 4·3·13 = 156; 64 − 4 = 60.
    expect(tieGroups(new Float64Array([5, 5, 5, 5]))).toEqual({ tiedPairs: 6, penalty: 156, cubes: 60 });
  });
});
