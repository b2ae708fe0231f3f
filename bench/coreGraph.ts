import { Subject } from 'rxjs';
import type { Sample } from '../src/model/sample.js';
import { MICROS_PER_SECOND } from '../src/model/sample.js';
import { analyze } from '../src/operators/analyze.js';
import { defaultRuleSet } from '../src/rules/defaultRules.js';
import { createRandom } from '../src/stats/random.js';

/** Options of the full-graph benchmark. */
export interface CoreGraphBenchOptions {
  /** Number of series (60% latency, 20% heap, 10% open fds, 10% throughput). Default 1,000. */
  readonly series?: number;
  /** Samples in the timed phase, spread evenly over the series. Default 1,000,000. */
  readonly samples?: number;
  /** Samples per second of event time per series in the timed phase. Default 1. */
  readonly ratePerSeries?: number;
  readonly seed?: number;
}

export interface SeriesSpec {
  readonly metric: string;
  readonly unit: string;
  readonly tags: Record<string, string>;
  readonly next: (ts: number) => number;
}

const START = Date.UTC(2026, 0, 1) * 1000;
// The default reference is the 15 min after a 1 min warm-up; for 15 min after it is complete the
// longest regression window still overlaps it (those tests merge, as recent values tie with the
// baseline's own). An untimed 32 min at 1 sample/s per series gets past both, as a real soak's
// first half hour would, so the timed phase is the steady state.
export const WARMUP_SECONDS = 32 * 60;

/** The benchmark's series: 60% latency, 20% heap, 10% open fds, 10% throughput. */
export function seriesSpecs(count: number, seed: number): SeriesSpec[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, i): SeriesSpec => {
    const tags = { instance: `i${i % 50}`, endpoint: `e${i}` };
    const share = i / count;
    if (share < 0.6) {
      const median = 20 + 80 * random.next();
      return { metric: 'http_req_duration', unit: 'ms', tags, next: () => median * Math.exp(0.3 * random.normal()) };
    }
    if (share < 0.8) {
      const live = 150e6 + 100e6 * random.next();
      return {
        metric: 'process_heap_used_bytes',
        unit: 'bytes',
        tags,
        next: (ts) => live + ((ts / MICROS_PER_SECOND) % 40) * 1e6 + 1e6 * random.next(),
      };
    }
    if (share < 0.9) {
      const base = 50 + Math.floor(150 * random.next());
      return { metric: 'process_open_fds', unit: 'fds', tags, next: () => base + (random.next() < 0.01 ? 50 : 0) };
    }
    const rate = 500 + 1000 * random.next();
    return { metric: 'http_reqs_throughput', unit: 'req/s', tags, next: () => rate * (1 + 0.05 * random.normal()) };
  });
}

/** Samples of all series interleaved by time (series i offset by i µs within each step), lazily. */
export function* generateSamples(
  specs: readonly SeriesSpec[],
  from: number,
  steps: number,
  intervalSeconds: number,
): Generator<Sample> {
  for (let step = 0; step < steps; step++) {
    const base = from + Math.round(step * intervalSeconds * MICROS_PER_SECOND);
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i] as SeriesSpec;
      const ts = base + i;
      yield { ts, metric: spec.metric, value: spec.next(ts), tags: spec.tags, unit: spec.unit };
    }
  }
}

const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * The full default analysis (event time, per-series dispatch, rolling stats, regression, change
 * points, leak slope, scaling, alert states) through the public `analyze` operator, one
 * subscription, on many series in memory: samples/s on one core, peak RSS, and the analysis
 * state's heap size against the raw bytes its windows hold (16 B per sample: timestamp and
 * value). An untimed warm-up of 32 min of event time gets the baselines complete and past the
 * window that overlaps them, so the timed phase measures the steady state with every detector
 * evaluating. Prints figures only.
 */
export function runCoreGraphBench(options: CoreGraphBenchOptions = {}): void {
  const seriesCount = options.series ?? 1_000;
  const total = options.samples ?? 1_000_000;
  const steps = Math.max(1, Math.round(total / seriesCount));
  const gc = (globalThis as { gc?: () => void }).gc;
  const specs = seriesSpecs(seriesCount, options.seed ?? 1);

  const timedStart = START + WARMUP_SECONDS * MICROS_PER_SECOND;
  const rate = options.ratePerSeries ?? 1;
  // The timed samples are materialised up front so that generating them is not timed.
  const timed = [...generateSamples(specs, timedStart, steps, 1 / rate)];
  const warmupCount = WARMUP_SECONDS * seriesCount;
  console.log(
    `full graph: ${seriesCount} series (60% latency, 20% heap, 10% fds, 10% throughput), ` +
      `untimed warm-up ${warmupCount.toLocaleString()} samples (32 min at 1/s), ` +
      `timed ${timed.length.toLocaleString()} samples at ${rate}/s per series ` +
      `(${(steps / rate / 60).toFixed(1)} min of event time)`,
  );

  const input = new Subject<Sample>();
  const counts: Record<string, number> = {};
  const firing: Record<string, number> = {};
  // The state is on the heap and in the typed arrays' buffers, which heapUsed leaves out; the
  // buffers of dead arrays are released a collection after the arrays themselves, hence two.
  const memoryNow = (): number => {
    gc?.();
    gc?.();
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
  };
  const heapBefore = memoryNow();
  const subscription = input.pipe(analyze(defaultRuleSet())).subscribe((event) => {
    counts[event.type] = (counts[event.type] ?? 0) + 1;
    if (event.type === 'alert' && event.alert.state === 'firing')
      firing[event.alert.rule] = (firing[event.alert.rule] ?? 0) + 1;
  });
  for (const sample of generateSamples(specs, START, WARMUP_SECONDS, 1)) input.next(sample);

  let peakRss = process.memoryUsage().rss;
  const started = performance.now();
  for (let i = 0; i < timed.length; i++) {
    input.next(timed[i] as Sample);
    if ((i & 0x3ffff) === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const stateBytes = memoryNow() - heapBefore;

  // Raw window content at the end, 16 B per sample held (timestamp and value): every series has
  // the 60 s rolling-stats window; latency and throughput series also the 15 min window of the
  // regression's longest tier (the warm-up's tail included) and its frozen baseline (900 values,
  // 8 B each); heap and fds series a handful of envelope points.
  const timedSeconds = steps / rate;
  const held = (seconds: number): number =>
    Math.min(seconds, timedSeconds) * rate + Math.max(0, seconds - timedSeconds);
  let rawSamples = 0;
  for (const spec of specs) {
    rawSamples += held(60);
    if (spec.metric === 'http_req_duration' || spec.metric === 'http_reqs_throughput')
      rawSamples += held(900) + 900 / 2;
  }
  const rawBytes = rawSamples * 16;
  subscription.unsubscribe();
  input.complete();

  const throughput = timed.length / seconds;
  console.log(
    `  samples/s (one core):   ${Math.round(throughput).toLocaleString()}   ` +
      `(target ≥ 1,000,000: ${throughput >= 1e6 ? 'met' : `${(throughput / 1e6).toFixed(2)}× of target`})`,
  );
  console.log(
    `  events emitted:         ${Object.entries(counts)
      .map(([k, v]) => `${k} ${v.toLocaleString()}`)
      .join(', ')}`,
  );
  console.log(
    `  alerts firing by rule:  ${
      Object.entries(firing)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    } (the input has no injected change)`,
  );
  console.log(
    `  peak RSS:               ${megabytes(peakRss)} ` +
      `(the timed input array included: ${megabytes(timed.length * 120)} est.)`,
  );
  if (gc === undefined) {
    console.log('  state memory:           not measured (run with node --expose-gc)');
  } else {
    console.log(
      `  state memory:           ${megabytes(stateBytes)} (heap and array buffers) ` +
        `vs ${megabytes(rawBytes)} raw window bytes = ${(stateBytes / rawBytes).toFixed(2)}× (target ≤ 2×)`,
    );
  }
}
