import { describe, expect, it } from 'vitest';
import { cleanPredictions, tcpdCover, tcpdF1, truePositives } from '../../bench/tcpdScore.js';

// The unit checks of TCPDBench's metrics (van den Burg & Williams 2020), as its documentation gives them.
describe('TCPD metrics', () => {
  it('F1 with margin 5 reproduces the published unit checks', () => {
    expect(tcpdF1([[10, 20], [11, 20], [10], [0, 5]], [10, 20], 100)).toBeCloseTo(1, 10);
    expect(tcpdF1([[], [10], [50]], [10], 100)).toBeCloseTo(0.9090909, 7);
    expect(tcpdF1([[], [10], [50]], [], 100)).toBeCloseTo(0.8, 10);
  });

  it('covering reproduces the published unit checks', () => {
    expect(tcpdCover([[10, 20], [10], [0, 5]], [10, 20], 45)).toBeCloseTo(0.7962963, 7);
    expect(tcpdCover([[], [10], [40]], [10], 45)).toBeCloseTo(0.7954145, 7);
    expect(tcpdCover([[], [10], [40]], [], 45)).toBeCloseTo(0.81893, 6);
  });

  it('matches one prediction to one true point, the closest, and drops predictions at either end', () => {
    expect(truePositives([10, 12], [11])).toBe(1);
    expect(truePositives([10, 20], [16])).toBe(1);
    expect(truePositives([10], [16])).toBe(0);
    expect(cleanPredictions([0, 5, 5, 99, 98, 3], 100)).toEqual([3, 5, 98]);
  });
});
