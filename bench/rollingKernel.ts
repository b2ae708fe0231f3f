import { CountWindow } from '../src/stats/countWindow.js';
import { quantileSorted } from '../src/stats/quantileSorted.js';
import { createRandom } from '../src/stats/random.js';

/** Options of the rolling-kernel benchmark. */
export interface RollingKernelBenchOptions {
  /** Window length W (samples). Default 1024. */
  window?: number;
  /** Log-normal samples streamed through the window. Default 200,000. */
  samples?: number;
  /** Seed of the sample stream. Default 1. */
  seed?: number;
}

const PROBABILITIES = [0.5, 0.9, 0.95, 0.99] as const;
const STATISTICS_PER_HOP = 2 + PROBABILITIES.length;
/** Sorting a copy per hop is slow; the naive reference runs on at most this many samples. */
const NAIVE_SAMPLE_LIMIT = 20_000;
const WINDOWS_FOR_MEMORY = 1000;

interface Run {
  seconds: number;
  results: Float64Array;
}

/**
 * Benchmark of the exact sliding-window kernel: CountWindow (push + median + MAD + p50/p90/p95/p99
 * per hop) against a naive reference that sorts a copy of the last W values per hop; checks that
 * both give identical numbers and reports samples/s, their ratio, and memory per window as a
 * multiple of the raw window bytes. Prints figures only.
 */
export function runRollingKernelBench(options: RollingKernelBenchOptions = {}): void {
  const window = options.window ?? 1024;
  const samples = options.samples ?? 200_000;
  const random = createRandom(options.seed ?? 1);
  const data = new Float64Array(samples);
  for (let index = 0; index < samples; index++) data[index] = Math.exp(random.normal());

  console.log(`rolling kernel: W=${window}, ${samples} log-normal samples`);
  console.log('hop | structure       | samples |    samples/s | mismatches | speed-up');
  for (const hop of [1, 16]) {
    const naiveSamples = Math.min(samples, NAIVE_SAMPLE_LIMIT * hop);
    const fast = runCountWindow(data, samples, window, hop);
    const naive = runNaive(data, naiveSamples, window, hop);
    let mismatches = 0;
    for (let index = 0; index < naive.results.length; index++)
      if (naive.results[index] !== fast.results[index]) mismatches++;
    const fastRate = samples / fast.seconds;
    const naiveRate = naiveSamples / naive.seconds;
    console.log(
      `${pad(hop, 3)} | CountWindow     | ${pad(samples, 7)} | ${pad(Math.round(fastRate), 12)} | ` +
        `${pad(mismatches, 10)} | ${(fastRate / naiveRate).toFixed(1)}× (target ≥ 20×)`,
    );
    console.log(
      `${pad(hop, 3)} | naive re-sort   | ${pad(naiveSamples, 7)} | ${pad(Math.round(naiveRate), 12)} |            |`,
    );
  }
  printMemory(window, data);
}

function runCountWindow(data: Float64Array, samples: number, window: number, hop: number): Run {
  const structure = new CountWindow(window);
  const results = new Float64Array(Math.ceil(samples / hop) * STATISTICS_PER_HOP);
  let cursor = 0;
  const start = performance.now();
  for (let index = 0; index < samples; index++) {
    structure.push(index, data[index] as number);
    if ((index + 1) % hop !== 0) continue;
    results[cursor++] = structure.median();
    results[cursor++] = structure.mad();
    for (const p of PROBABILITIES) results[cursor++] = structure.quantile(p);
  }
  return { seconds: (performance.now() - start) / 1000, results };
}

function runNaive(data: Float64Array, samples: number, window: number, hop: number): Run {
  const recent: number[] = [];
  const results = new Float64Array(Math.ceil(samples / hop) * STATISTICS_PER_HOP);
  let cursor = 0;
  const start = performance.now();
  for (let index = 0; index < samples; index++) {
    recent.push(data[index] as number);
    if (recent.length > window) recent.shift();
    if ((index + 1) % hop !== 0) continue;
    const sorted = Float64Array.from(recent).sort();
    const center = quantileSorted(sorted, 0.5);
    const deviations = sorted.map((x) => Math.abs(x - center)).sort();
    results[cursor++] = center;
    results[cursor++] = quantileSorted(deviations, 0.5);
    for (const p of PROBABILITIES) results[cursor++] = quantileSorted(sorted, p);
  }
  return { seconds: (performance.now() - start) / 1000, results };
}

function printMemory(window: number, data: Float64Array): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) console.log('memory: figures include garbage (run node with --expose-gc for exact ones)');
  collect?.();
  const before = process.memoryUsage();
  const windows: CountWindow[] = [];
  for (let copy = 0; copy < WINDOWS_FOR_MEMORY; copy++) {
    const structure = new CountWindow(window);
    for (let index = 0; index < 2 * window; index++)
      structure.push(index, data[(index + copy) % data.length] as number);
    windows.push(structure);
  }
  collect?.();
  const after = process.memoryUsage();
  const bytes = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / windows.length;
  console.log(
    `memory: ${Math.round(bytes)} B per CountWindow(${window}) = ${(bytes / window).toFixed(1)} B per element`,
  );
  console.log(
    `        ${(bytes / (window * 16)).toFixed(2)}× raw ts+value bytes (W×16), ` +
      `${(bytes / (window * 8)).toFixed(2)}× raw value bytes (W×8)`,
  );
}

function pad(value: number, width: number): string {
  return String(value).padStart(width);
}
