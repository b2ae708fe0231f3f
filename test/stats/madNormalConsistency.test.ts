import quantileNormal from '@stdlib/stats-base-dists-normal-quantile';
import { describe, it } from 'vitest';
import { MAD_NORMAL_CONSISTENCY } from '../../src/stats/madNormalConsistency.js';
import { approxEqual } from '../support/approxEqual.js';

describe('MAD_NORMAL_CONSISTENCY', () => {
  it('is 1/Φ⁻¹(3/4) to the four decimals R uses (1.4826)', () => {
    approxEqual(MAD_NORMAL_CONSISTENCY, 1 / quantileNormal(0.75, 0, 1), 0, 5e-5);
  });
});
