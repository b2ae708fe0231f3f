import { MICROS_PER_HOUR, MICROS_PER_SECOND } from '../../model/sample.js';
import type { Sample, Tags } from '../../model/sample.js';
import { createRandom } from '../../stats/random.js';

const METRIC = 'process_open_fds';

/** Parameters of a synthetic open-file-descriptor stream; times in epoch µs. */
export interface SyntheticFdsSpec {
  readonly seed: number;
  readonly start: number;
  /** Stream length in µs. */
  readonly duration: number;
  readonly tags?: Tags;
  /** Descriptors held at rest (default: drawn uniformly from 50–200). */
  readonly baseline?: number;
  /** Mean number of transient bursts per hour, Poisson arrivals (default 3). */
  readonly burstsPerHour?: number;
  /** Extra descriptors of a burst, drawn uniformly (default 20–200). */
  readonly burstMinimum?: number;
  readonly burstMaximum?: number;
  /** Burst length in seconds, drawn uniformly (default 3–60). */
  readonly burstShortest?: number;
  readonly burstLongest?: number;
  /** Seconds between samples (default 5). */
  readonly interval?: number;
  /** Descriptors leaked per hour from event time `at`, one at a time. */
  readonly leak?: { readonly at: number; readonly rate: number };
}

interface Burst {
  readonly end: number;
  readonly size: number;
}

/**
 * Lazy open-fds stream (integers): a baseline, connection churn of 0–3 descriptors, transient
 * bursts arriving as a Poisson process (exponential gaps) that hold U(20, 200) descriptors for
 * U(3, 60) s, and an optional leak that adds ⌊rate·(t − at)⌋ descriptors. O(1) memory beyond
 * the bursts currently open; O(1 + open bursts) time per sample.
 */
export function* syntheticFds(spec: SyntheticFdsSpec): Generator<Sample> {
  const random = createRandom(spec.seed);
  const uniformInteger = (low: number, high: number): number => low + random.nextInt(high - low + 1);
  const baseline = spec.baseline ?? uniformInteger(50, 200);
  const burstsPerHour = spec.burstsPerHour ?? 3;
  const meanGap = burstsPerHour > 0 ? MICROS_PER_HOUR / burstsPerHour : Infinity;
  const gap = (): number => -Math.log(1 - random.next()) * meanGap;
  const step = Math.round((spec.interval ?? 5) * MICROS_PER_SECOND);
  const tags = Object.freeze({ ...(spec.tags ?? {}) });
  const leak = spec.leak;

  let open: Burst[] = [];
  let nextBurst = spec.start + gap();
  const end = spec.start + spec.duration;
  for (let ts = spec.start; ts < end; ts += step) {
    while (nextBurst <= ts) {
      const length =
        (spec.burstShortest ?? 3) + ((spec.burstLongest ?? 60) - (spec.burstShortest ?? 3)) * random.next();
      open.push({
        end: nextBurst + length * MICROS_PER_SECOND,
        size: uniformInteger(spec.burstMinimum ?? 20, spec.burstMaximum ?? 200),
      });
      nextBurst += gap();
    }
    if (open.length > 0) open = open.filter((burst) => burst.end > ts);
    let value = baseline + random.nextInt(4);
    for (const burst of open) value += burst.size;
    if (leak && ts > leak.at) value += Math.floor((leak.rate * (ts - leak.at)) / MICROS_PER_HOUR);
    yield { ts, metric: METRIC, value, tags, unit: 'fds' };
  }
}
