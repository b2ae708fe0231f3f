/**
 * The metrics of the Turing Change Point Dataset benchmark (van den Burg & Williams, "An Evaluation
 * of Change Point Detection Algorithms", arXiv:2003.06222): F1 with a margin of 5 samples against
 * the union of the annotators' change points (precision) and each annotator's own (recall,
 * averaged), and segmentation covering (Arbeláez et al. 2010), averaged over annotators. Change
 * points are 0-based indices, each starting a segment; predictions outside 1..T−2 are dropped and
 * index 0 counts as a change point for every set, as the benchmark does. Pure functions.
 */

/** Predicted change points as the benchmark cleans them: distinct, within 1..T−2, ascending. */
export function cleanPredictions(predicted: readonly number[], length: number): number[] {
  return [...new Set(predicted)].filter((x) => x >= 1 && x <= length - 2).sort((a, b) => a - b);
}

/**
 * True positives of `predicted` for `truth` within `margin`: each true point, in ascending order,
 * takes the closest unused prediction (the smaller on a tie). O(|truth| · |predicted|).
 */
export function truePositives(truth: readonly number[], predicted: readonly number[], margin = 5): number {
  const used = new Set<number>();
  let hits = 0;
  for (const tau of [...truth].sort((a, b) => a - b)) {
    let best: number | null = null;
    for (const x of predicted) {
      if (used.has(x) || Math.abs(tau - x) > margin) continue;
      if (
        best === null ||
        Math.abs(tau - x) < Math.abs(tau - best) ||
        (Math.abs(tau - x) === Math.abs(tau - best) && x < best)
      )
        best = x;
    }
    if (best !== null) {
      used.add(best);
      hits++;
    }
  }
  return hits;
}

/** F1 (margin 5) of `predicted` against every annotator's change points, as TCPDBench computes it. */
export function tcpdF1(
  annotations: readonly (readonly number[])[],
  predicted: readonly number[],
  length: number,
): number {
  const withZero = (points: readonly number[]): number[] => [...new Set([0, ...points])];
  const x = withZero(cleanPredictions(predicted, length));
  const union = withZero(annotations.flat());
  const precision = truePositives(union, x) / x.length;
  const recall =
    annotations.reduce((sum, points) => {
      const truth = withZero(points);
      return sum + truePositives(truth, x) / truth.length;
    }, 0) / annotations.length;
  return (2 * precision * recall) / (precision + recall);
}

/** The segments change points cut 0..T−1 into, as [start, end) pairs. */
function segments(points: readonly number[], length: number): [number, number][] {
  const cuts = [...new Set(points.filter((p) => p > 0 && p < length))].sort((a, b) => a - b);
  const bounds = [0, ...cuts, length];
  return bounds.slice(1).map((end, i) => [bounds[i] as number, end]);
}

/** Covering of the true segmentation by the predicted one: Σ |R| · max Jaccard(R, R') / T. */
function covering(truth: readonly number[], predicted: readonly number[], length: number): number {
  const predictedSegments = segments(predicted, length);
  let total = 0;
  for (const [a, b] of segments(truth, length)) {
    let best = 0;
    for (const [c, d] of predictedSegments) {
      const intersection = Math.max(0, Math.min(b, d) - Math.max(a, c));
      if (intersection === 0) continue;
      best = Math.max(best, intersection / (Math.max(b, d) - Math.min(a, c)));
    }
    total += (b - a) * best;
  }
  return total / length;
}

/** Segmentation covering of `predicted`, averaged over the annotators, as TCPDBench computes it. */
export function tcpdCover(
  annotations: readonly (readonly number[])[],
  predicted: readonly number[],
  length: number,
): number {
  const x = cleanPredictions(predicted, length);
  return annotations.reduce((sum, points) => sum + covering(points, x, length), 0) / annotations.length;
}
