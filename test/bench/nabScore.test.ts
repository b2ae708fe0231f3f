import { describe, expect, it } from 'vitest';
import { NAB_PROFILES, nabScore, probationRows, rowWeights, scaledSigmoid } from '../../bench/nabScore.js';

const [standard, lowFp, lowFn] = NAB_PROFILES as [
  (typeof NAB_PROFILES)[0],
  (typeof NAB_PROFILES)[0],
  (typeof NAB_PROFILES)[0],
];
// 20 rows, probation ⌊0.15·20⌋ = 3 rows, one window over rows 10..13 (4 rows wide).
const file = { name: 'toy.csv', rows: 20, windows: [[10, 13]] as const };

describe('NAB scoring (Lavin & Ahmad 2015, NAB v1.0 rules)', () => {
  it('has the scaled sigmoid of the NAB rules (reference values from the NAB description)', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.986614, 6);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.848284, 6);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.986614, 6);
    expect(scaledSigmoid(3.01)).toBe(-1);
    expect([probationRows(20), probationRows(4032), probationRows(22_695)]).toEqual([3, 604, 750]);
  });

  it('weighs rows: A_TP at the window start, the sigmoid through it, −A_FP before it, less just after it', () => {
    const { weight, window } = rowWeights(file, standard);
    expect(weight[5]).toBeCloseTo(-0.11, 12);
    expect(weight[10]).toBeCloseTo(1, 12);
    // x = −2/4 at row 12: σ(−0.5)/σ(−1) = 0.848284/0.986614.
    expect(weight[12]).toBeCloseTo(0.848284 / 0.986614, 5);
    // Two rows after the window: x = 2/(4 − 1), σ = 2/(1 + e^(10/3)) − 1 = −0.931110.
    expect(weight[15]).toBeCloseTo(0.11 * -0.93111, 5);
    expect([window[9], window[10], window[13], window[14]]).toEqual([-1, 0, 0, -1]);
  });

  it('picks the best threshold of the corpus, ignores probation rows, normalises null to 0 and perfect to 100', () => {
    const scores = new Float64Array(20);
    scores[1] = 1; // probation: never scored
    scores[12] = 0.9; // in the window
    scores[15] = 0.8; // just after it
    scores[5] = 0.5; // before it
    // θ = 0.9 gives 0.859793; 0.8 adds −0.102422; 0.5 another −0.11; nothing gives −1.
    const best = nabScore([file], [scores], standard);
    expect(best.threshold).toBe(0.9);
    expect(best.raw).toBeCloseTo(0.848284 / 0.986614, 5);
    expect(best.score).toBeCloseTo((100 * (0.848284 / 0.986614 + 1)) / 2, 3);
    expect([best.detectedWindows, best.windows, best.falsePositives]).toEqual([1, 1, 0]);
    expect(nabScore([file], [scores], lowFn).score).toBeCloseTo((100 * (0.848284 / 0.986614 + 2)) / 3, 3);
    const perfect = new Float64Array(20);
    perfect[10] = 1;
    expect(nabScore([file], [perfect], lowFp).score).toBeCloseTo(100, 10);
    expect(nabScore([file], [new Float64Array(20)], standard).score).toBe(0);
  });

  it('counts only the earliest detection of a window, whatever the order of their scores', () => {
    const scores = new Float64Array(20);
    scores[13] = 0.9;
    scores[10] = 0.2;
    const low = nabScore([file], [scores], standard);
    expect(low.threshold).toBe(0.2);
    expect(low.raw).toBeCloseTo(1, 12);
    expect(() => nabScore([file], [new Float64Array(3)], standard)).toThrow(/3 scores for 20 rows/);
  });
});
