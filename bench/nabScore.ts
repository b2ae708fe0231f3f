/**
 * The scoring of the Numenta Anomaly Benchmark (Lavin & Ahmad 2015, "Evaluating Real-time Anomaly
 * Detection Algorithms — the Numenta Anomaly Benchmark", arXiv:1510.03336; NAB v1.0 rules): per row
 * an anomaly score in [0, 1]; a row at or above one corpus-wide threshold θ is a detection; rows of
 * the probationary period (the first 15% of a file, at most 750 rows) are not scored; the earliest
 * detection in an anomaly window earns a weight on a scaled sigmoid of its position (1 at the
 * window's first row, about 0 at its last), a window without one costs A_FN, a detection outside
 * every window costs A_FP, less just after a window (the sigmoid again). θ is chosen per profile to
 * maximise the corpus total over every distinct score; the total is normalised so that detecting
 * nothing scores 0 and one detection at the start of every window 100. Pure functions.
 */

/** The cost matrix of one application profile (NAB's config/profiles.json). */
export interface NabProfile {
  readonly name: string;
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
}

/** NAB's three application profiles. */
export const NAB_PROFILES: readonly NabProfile[] = [
  { name: 'standard', tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  { name: 'reward_low_FP_rate', tpWeight: 1, fpWeight: 0.22, fnWeight: 1 },
  { name: 'reward_low_FN_rate', tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
];

/** One labelled file: its row count and its anomaly windows as inclusive row ranges. */
export interface NabFile {
  readonly name: string;
  readonly rows: number;
  readonly windows: readonly (readonly [number, number])[];
}

/** NAB's scaled sigmoid: 2 / (1 + e^(5x)) − 1, and −1 beyond x = 3. */
export const scaledSigmoid = (x: number): number => (x > 3 ? -1 : 2 / (1 + Math.exp(5 * x)) - 1);

/** Rows before this index are NAB's probationary period: min(⌊0.15·N⌋, 750). */
export const probationRows = (rows: number): number => Math.min(Math.floor(0.15 * rows), 750);

/**
 * What a detection at each row of `file` would be worth (S_i of the NAB rules), and the window
 * each row lies in (−1 outside every window). O(rows).
 */
export function rowWeights(file: NabFile, profile: NabProfile): { weight: Float64Array; window: Int32Array } {
  const weight = new Float64Array(file.rows);
  const window = new Int32Array(file.rows).fill(-1);
  const atStart = scaledSigmoid(-1);
  let previous: readonly [number, number] | null = null;
  let next = 0;
  for (let i = 0; i < file.rows; i++) {
    const current = file.windows[next];
    if (current !== undefined && i >= current[0] && i <= current[1]) {
      const [, end] = current;
      const width = end - current[0] + 1;
      weight[i] = (profile.tpWeight * scaledSigmoid(-(end - i + 1) / width)) / atStart;
      window[i] = next;
      if (i === end) {
        previous = current;
        next++;
      }
    } else if (previous === null) {
      weight[i] = -profile.fpWeight;
    } else {
      const width = previous[1] - previous[0] + 1;
      weight[i] = profile.fpWeight * scaledSigmoid((i - previous[1]) / (width - 1));
    }
  }
  return { weight, window };
}

/** One profile's result: the best threshold, the raw total there, and the normalised score. */
export interface NabProfileScore {
  readonly profile: string;
  readonly threshold: number;
  readonly raw: number;
  readonly score: number;
  /** Windows with a detection, windows in all, and detections outside every window, at the threshold. */
  readonly detectedWindows: number;
  readonly windows: number;
  readonly falsePositives: number;
}

/**
 * Scores per-row anomaly scores (`scores[f][i]` for row i of `files[f]`) under one profile, at the
 * corpus-wide threshold that maximises the raw total (every distinct score, and "no detection").
 * The sweep takes rows in descending score order, keeping each window's earliest detection:
 * O(R log R) for R scored rows.
 */
export function nabScore(
  files: readonly NabFile[],
  scores: readonly ArrayLike<number>[],
  profile: NabProfile,
): NabProfileScore {
  type Row = { readonly score: number; readonly weight: number; readonly window: number; readonly index: number };
  const rows: Row[] = [];
  const earliest: { index: number; weight: number }[][] = [];
  let windows = 0;
  files.forEach((file, f) => {
    const fileScores = scores[f];
    if (fileScores === undefined || fileScores.length !== file.rows)
      throw new RangeError(`${file.name}: ${fileScores?.length ?? 0} scores for ${file.rows} rows`);
    const { weight, window } = rowWeights(file, profile);
    windows += file.windows.length;
    const offset = earliest.length;
    for (let w = 0; w < file.windows.length; w++) earliest.push([]);
    for (let i = probationRows(file.rows); i < file.rows; i++) {
      const score = fileScores[i] as number;
      if (!(score > 0)) continue;
      const w = window[i] as number;
      rows.push({ score, weight: weight[i] as number, window: w < 0 ? -1 : offset + w, index: i });
    }
  });
  rows.sort((a, b) => b.score - a.score);
  const firsts = earliest.map(() => ({ index: Number.POSITIVE_INFINITY, weight: -profile.fnWeight }));
  let raw = -profile.fnWeight * windows;
  let falsePositives = 0;
  let detected = 0;
  let best = { threshold: 1.1, raw, falsePositives: 0, detected: 0 };
  for (let r = 0; r < rows.length;) {
    const threshold = (rows[r] as Row).score;
    for (; r < rows.length && (rows[r] as Row).score === threshold; r++) {
      const row = rows[r] as Row;
      if (row.window < 0) {
        raw += row.weight;
        falsePositives++;
        continue;
      }
      const first = firsts[row.window] as { index: number; weight: number };
      if (row.index >= first.index) continue;
      if (first.index === Number.POSITIVE_INFINITY) detected++;
      raw += row.weight - first.weight;
      first.index = row.index;
      first.weight = row.weight;
    }
    if (raw > best.raw) best = { threshold, raw, falsePositives, detected };
  }
  const nothing = -profile.fnWeight * windows;
  const perfect = profile.tpWeight * windows;
  return {
    profile: profile.name,
    threshold: best.threshold,
    raw: best.raw,
    score: (100 * (best.raw - nothing)) / (perfect - nothing),
    detectedWindows: best.detected,
    windows,
    falsePositives: best.falsePositives,
  };
}
