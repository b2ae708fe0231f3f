import erfc from '@stdlib/math-base-special-erfc';

/**
 * NAB's "windowed Gaussian" reference detector (Lavin & Ahmad 2015), rebuilt from its description
 * to check the NAB scorer against a published score (39.65 standard): each value's score is
 * 1 − Q(|x − μ| / σ), Q the normal tail probability, against the mean and population standard
 * deviation (σ = 10⁻⁶ when 0) of a window of up to 6,400 earlier values, filled one value at a
 * time and then moved on by 100 values at once; the first value scores 0. O(window) per update.
 */
export function windowedGaussianScores(values: ArrayLike<number>): Float64Array {
  const windowSize = 6400;
  const stepSize = 100;
  const scores = new Float64Array(values.length);
  let window: number[] = [];
  let step: number[] = [];
  let mean = 0;
  let std = 1;
  const update = (): void => {
    let sum = 0;
    for (const v of window) sum += v;
    mean = sum / window.length;
    let squares = 0;
    for (const v of window) squares += (v - mean) ** 2;
    std = Math.sqrt(squares / window.length);
    if (std === 0) std = 0.000001;
  };
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (window.length > 0) {
      // The tail beyond x, reflected about the mean for values below it.
      const far = x < mean ? 2 * mean - x : x;
      scores[i] = 1 - 0.5 * erfc((far - mean) / std / Math.SQRT2);
    }
    if (window.length < windowSize) {
      window.push(x);
      update();
    } else {
      step.push(x);
      if (step.length === stepSize) {
        window = window.slice(stepSize).concat(step);
        step = [];
        update();
      }
    }
  }
  return scores;
}
