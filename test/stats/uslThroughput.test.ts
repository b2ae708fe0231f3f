import { describe, expect, it } from 'vitest';
import { uslThroughput } from '../../src/stats/uslThroughput.js';
import { approxEqual } from '../support/approxEqual.js';

describe('uslThroughput', () => {
  it('matches usl4j ModelTest throughputAtConcurrency for the published Cisco parameters', () => {
    // Book parameters σ = 0.02671591, κ = 7.690945e-4, λ = 995.6486 (Schwartz 2015); usl4j expects
    // X(20) = 11063.633137626028 and X(35) = 12341.7456205207 from its own fit of the same data.
    const parameters = { sigma: 0.02671591, kappa: 7.690945e-4, lambda: 995.6486 };
    approxEqual(uslThroughput(20, parameters), 11063.633137626028, 1e-5);
    approxEqual(uslThroughput(35, parameters), 12341.7456205207, 1e-5);
  });

  it('reduces to λ at N = 1, linear scaling without costs and Amdahl’s law without coherency', () => {
    expect(uslThroughput(1, { sigma: 0.3, kappa: 0.01, lambda: 250 })).toBe(250);
    expect(uslThroughput(64, { sigma: 0, kappa: 0, lambda: 10 })).toBe(640);
    // Amdahl: speed-up N / (1 + σ(N − 1)) = 16 / (1 + 0.05·15) = 16/1.75.
    approxEqual(uslThroughput(16, { sigma: 0.05, kappa: 0, lambda: 1 }), 16 / 1.75, 1e-15);
  });

  it('peaks at N* = sqrt((1 − σ)/κ) (Gunther, Guerrilla Capacity Planning, 2007)', () => {
    const parameters = { sigma: 0.04, kappa: 0.0025, lambda: 1 };
    const peak = Math.sqrt((1 - 0.04) / 0.0025);
    const top = uslThroughput(peak, parameters);
    expect(top).toBeGreaterThan(uslThroughput(peak - 0.5, parameters));
    expect(top).toBeGreaterThan(uslThroughput(peak + 0.5, parameters));
  });
});
