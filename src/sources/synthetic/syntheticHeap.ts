import { MICROS_PER_HOUR, MICROS_PER_SECOND } from '../../model/sample.js';
import type { Sample, Tags } from '../../model/sample.js';
import { createRandom } from '../../stats/random.js';

/** Bytes per megabyte: decimal, MB = 1,000,000 bytes, as in the leak rates of the labelled suite. */
const MEGABYTE = 1_000_000;
const METRIC = 'process_heap_used_bytes';

/** Parameters of a synthetic heap stream; sizes in MB (1 MB = 1,000,000 bytes), times in epoch µs. */
export interface SyntheticHeapSpec {
  readonly seed: number;
  readonly start: number;
  /** Stream length in µs. */
  readonly duration: number;
  readonly tags?: Tags;
  /** Live set before any leak, MB (default: drawn uniformly from [150, 250]). */
  readonly liveSet?: number;
  /** Garbage allocated between two collections, MB, drawn per tooth (default 30–50). */
  readonly toothMinimum?: number;
  readonly toothMaximum?: number;
  /** Time between collections, seconds, drawn per tooth (default 15–60). */
  readonly gcMinimum?: number;
  readonly gcMaximum?: number;
  /** Garbage that survives a collection, MB, drawn per tooth (default 0.5–2). */
  readonly residualMinimum?: number;
  readonly residualMaximum?: number;
  /** Seconds between samples (default 1). */
  readonly interval?: number;
  /** Live-set growth of `rate` MB/h from event time `at`. */
  readonly leak?: { readonly at: number; readonly rate: number };
}

/**
 * Lazy heap-used stream (bytes) under a garbage-collector sawtooth: the live set L(t) grows by
 * the leak rate after onset; each tooth allocates U(30, 50) MB linearly over a U(15, 60) s
 * collection interval and a collection drops the heap to L(t) plus U(0.5, 2) MB of surviving
 * garbage, so the post-GC lower envelope has exactly the leak slope (the quantity a leak detector
 * estimates). MB = 1,000,000 bytes. O(1) time and memory per sample.
 */
export function* syntheticHeap(spec: SyntheticHeapSpec): Generator<Sample> {
  const random = createRandom(spec.seed);
  const uniform = (low: number, high: number): number => low + (high - low) * random.next();
  const liveSet = (spec.liveSet ?? uniform(150, 250)) * MEGABYTE;
  const tooth = (): number => uniform(spec.toothMinimum ?? 30, spec.toothMaximum ?? 50) * MEGABYTE;
  const period = (): number => Math.round(uniform(spec.gcMinimum ?? 15, spec.gcMaximum ?? 60) * MICROS_PER_SECOND);
  const residual = (): number => uniform(spec.residualMinimum ?? 0.5, spec.residualMaximum ?? 2) * MEGABYTE;
  const step = Math.round((spec.interval ?? 1) * MICROS_PER_SECOND);
  const tags = Object.freeze({ ...(spec.tags ?? {}) });
  const leak = spec.leak;

  // The stream starts at a random point inside a tooth, as a real process would.
  let length = period();
  let lastCollection = spec.start - Math.floor(random.next() * length);
  let nextCollection = lastCollection + length;
  let height = tooth();
  let surviving = residual();

  const end = spec.start + spec.duration;
  for (let ts = spec.start; ts < end; ts += step) {
    while (ts >= nextCollection) {
      length = period();
      lastCollection = nextCollection;
      nextCollection = lastCollection + length;
      height = tooth();
      surviving = residual();
    }
    const live = leak && ts > leak.at ? liveSet + (leak.rate * MEGABYTE * (ts - leak.at)) / MICROS_PER_HOUR : liveSet;
    const fraction = (ts - lastCollection) / length;
    // Allocation is bursty, but the noise vanishes right after a collection so the floor stays clean.
    const garbage = Math.max(0, height * fraction + 0.005 * height * fraction * random.normal());
    yield { ts, metric: METRIC, value: Math.round(live + surviving + garbage), tags, unit: 'bytes' };
  }
}
