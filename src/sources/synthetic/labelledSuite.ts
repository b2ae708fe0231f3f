import { MICROS_PER_HOUR, MICROS_PER_MINUTE } from '../../model/sample.js';
import type { Sample } from '../../model/sample.js';
import { seriesKey } from '../../model/seriesKey.js';
import { createRandom, fmix32 } from '../../stats/random.js';
import { syntheticFds } from './syntheticFds.js';
import { syntheticHeap } from './syntheticHeap.js';
import { syntheticLatency } from './syntheticLatency.js';
import type { LatencyChange } from './syntheticLatency.js';

/**
 * One labelled synthetic series. `magnitude` is the relative latency change (+0.25 = +25%),
 * the heap leak in MB/h (1 MB = 1,000,000 bytes) or the descriptor leak in fds/h; 0 without change.
 * `changeAt` is the onset in epoch µs (also set for an improvement, whose `expect` is 'none').
 */
export interface LabelledSeries {
  readonly cls: string;
  readonly kind: 'latency' | 'memory' | 'fds';
  readonly series: string;
  readonly expect: 'regression' | 'leak' | 'none';
  readonly changeAt: number | null;
  readonly magnitude: number;
  /** Event-time span of the stream, epoch µs: [start, end). */
  readonly start: number;
  readonly end: number;
  readonly samples: () => Iterable<Sample>;
}

/** Options of the labelled suite: master seed, stream hours per series, series per class. */
export interface LabelledSuiteOptions {
  readonly seed?: number;
  readonly hours?: number;
  readonly seriesPerClass?: number;
}

interface ClassSpec {
  readonly cls: string;
  readonly kind: LabelledSeries['kind'];
  readonly expect: LabelledSeries['expect'];
  /** Magnitude, or null when drawn per series (fds leak). */
  readonly magnitude: number | null;
  readonly change: 'none' | 'step' | 'drift' | 'leak';
}

const CLASSES: readonly ClassSpec[] = [
  { cls: 'latency_none', kind: 'latency', expect: 'none', magnitude: 0, change: 'none' },
  { cls: 'latency_step_5', kind: 'latency', expect: 'regression', magnitude: 0.05, change: 'step' },
  { cls: 'latency_step_10', kind: 'latency', expect: 'regression', magnitude: 0.1, change: 'step' },
  { cls: 'latency_step_25', kind: 'latency', expect: 'regression', magnitude: 0.25, change: 'step' },
  { cls: 'latency_drift_30', kind: 'latency', expect: 'regression', magnitude: 0.3, change: 'drift' },
  { cls: 'latency_improve_20', kind: 'latency', expect: 'none', magnitude: -0.2, change: 'step' },
  { cls: 'heap_none', kind: 'memory', expect: 'none', magnitude: 0, change: 'none' },
  { cls: 'heap_leak_2', kind: 'memory', expect: 'leak', magnitude: 2, change: 'leak' },
  { cls: 'heap_leak_5', kind: 'memory', expect: 'leak', magnitude: 5, change: 'leak' },
  { cls: 'heap_leak_10', kind: 'memory', expect: 'leak', magnitude: 10, change: 'leak' },
  { cls: 'heap_leak_30', kind: 'memory', expect: 'leak', magnitude: 30, change: 'leak' },
  { cls: 'heap_leak_60', kind: 'memory', expect: 'leak', magnitude: 60, change: 'leak' },
  { cls: 'fds_none', kind: 'fds', expect: 'none', magnitude: 0, change: 'none' },
  { cls: 'fds_leak', kind: 'fds', expect: 'leak', magnitude: null, change: 'leak' },
];

/** Fixed start, 2026-01-01T00:00:00Z in epoch µs, so every run covers the same event time. */
const SUITE_START = Date.UTC(2026, 0, 1) * 1_000;
const DRIFT_SPAN = 2 * MICROS_PER_HOUR;

/** Seed of one series: seed, class and index through MurmurHash3's finaliser, so neighbours decorrelate. */
function mix(seed: number, a: number, b: number): number {
  return fmix32(seed ^ Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca77));
}

function latencyChange(spec: ClassSpec, at: number, magnitude: number): LatencyChange {
  if (spec.change === 'step') return { shape: 'step', at, factor: 1 + magnitude };
  if (spec.change === 'drift') return { shape: 'drift', at, total: magnitude, over: DRIFT_SPAN };
  return { shape: 'none' };
}

/**
 * The labelled benchmark suite: 14 classes × `seriesPerClass` (default 4) series of `hours`
 * (default 3) from a fixed epoch, each with its own seed derived from `seed` (default 1), onset
 * drawn uniformly in [40, 100] min after the start. Samples are generated lazily on each call of
 * `samples()`, so the suite costs O(classes · series) memory until iterated.
 */
export function labelledSuite(options: LabelledSuiteOptions = {}): LabelledSeries[] {
  const seed = options.seed ?? 1;
  const duration = Math.round((options.hours ?? 3) * MICROS_PER_HOUR);
  const perClass = options.seriesPerClass ?? 4;
  const start = SUITE_START;
  const end = start + duration;
  const out: LabelledSeries[] = [];
  CLASSES.forEach((spec, classIndex) => {
    for (let instance = 0; instance < perClass; instance++) {
      const seriesSeed = mix(seed, classIndex, instance);
      const draw = createRandom(mix(seriesSeed, 0x5eed, 0));
      const onset = start + Math.round((40 + 60 * draw.next()) * MICROS_PER_MINUTE);
      const magnitude = spec.magnitude ?? 5 + draw.nextInt(26);
      const tags = { scenario: 'synthetic', class: spec.cls, instance: String(instance) };
      const changeAt = spec.change === 'none' ? null : onset;
      const leak = changeAt === null ? undefined : { at: changeAt, rate: magnitude };
      const base = { seed: seriesSeed, start, duration, tags };
      let metric: string;
      let samples: () => Iterable<Sample>;
      if (spec.kind === 'latency') {
        metric = 'http_req_duration';
        samples = () => syntheticLatency({ ...base, change: latencyChange(spec, onset, magnitude) });
      } else if (spec.kind === 'memory') {
        metric = 'process_heap_used_bytes';
        samples = () => syntheticHeap({ ...base, ...(leak ? { leak } : {}) });
      } else {
        metric = 'process_open_fds';
        samples = () => syntheticFds({ ...base, ...(leak ? { leak } : {}) });
      }
      out.push({
        cls: spec.cls,
        kind: spec.kind,
        series: seriesKey(metric, tags),
        expect: spec.expect,
        changeAt,
        magnitude,
        start,
        end,
        samples,
      });
    }
  });
  return out;
}
