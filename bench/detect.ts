import type { AnalysisEvent } from '../src/model/events.js';
import type { Sample } from '../src/model/sample.js';
import { runAnalysis } from '../src/analysis/runAnalysis.js';
import { labelledSuite } from '../src/sources/synthetic/labelledSuite.js';
import type { LabelledSeries } from '../src/sources/synthetic/labelledSuite.js';
import { mergeByTime } from '../src/sources/synthetic/mergeByTime.js';
import { detectScore } from './detectScore.js';
import type { DetectScore, ScoredAlert } from './detectScore.js';
import { detectTable } from './detectTable.js';
import { detectTargets } from './detectTargets.js';
import type { TargetResult } from './detectTargets.js';

/** Options of the detection benchmark; `quick` means 1 series per class and 2 h unless given. */
export interface DetectBenchOptions {
  readonly seed?: number;
  readonly hours?: number;
  readonly seriesPerClass?: number;
  readonly quick?: boolean;
}

/** Throughput of the analysis on one class (all its series merged by time). */
export interface ClassRun {
  readonly cls: string;
  readonly samples: number;
  readonly alerts: number;
  readonly elapsedMs: number;
  readonly samplesPerSecond: number;
}

/** Everything the detection benchmark measured: scores, targets, throughput and the Markdown table. */
export interface DetectReport {
  readonly seed: number;
  readonly hours: number;
  readonly seriesPerClass: number;
  readonly score: DetectScore;
  readonly targets: readonly TargetResult[];
  readonly pass: boolean;
  readonly runs: readonly ClassRun[];
  readonly markdown: string;
}

/** Runs the analysis on one class and collects its firing alerts, counting samples on the way. */
function analyseClass(members: readonly LabelledSeries[]): { alerts: ScoredAlert[]; samples: number } {
  const alerts: ScoredAlert[] = [];
  let samples = 0;
  function* counted(stream: Iterable<Sample>): Generator<Sample> {
    for (const sample of stream) {
      samples++;
      yield sample;
    }
  }
  runAnalysis(counted(mergeByTime(members.map((member) => member.samples()))), {
    onEvent: (event: AnalysisEvent) => {
      if (event.type === 'alert' && event.alert.state === 'firing') alerts.push(event.alert);
    },
  });
  return { alerts, samples };
}

/**
 * Detection-quality benchmark (`npm run bench -- detect`): runs the default rules on every class of
 * the labelled synthetic suite (each class's series merged by time, one fresh analysis per class),
 * scores firing alerts against the labels, checks the targets and prints progress to stderr and a
 * Markdown table to stdout. Cost: one analysis pass over the suite, O(total samples).
 */
export async function runDetectBench(options: DetectBenchOptions = {}): Promise<DetectReport> {
  const seed = options.seed ?? 1;
  const hours = options.hours ?? (options.quick ? 2 : 3);
  const seriesPerClass = options.seriesPerClass ?? (options.quick ? 1 : 8);
  const suite = labelledSuite({ seed, hours, seriesPerClass });
  const classes = [...new Set(suite.map((series) => series.cls))];
  process.stderr.write(`detect: seed ${seed}, ${hours} h × ${seriesPerClass} series × ${classes.length} classes\n`);

  const alerts: ScoredAlert[] = [];
  const runs: ClassRun[] = [];
  const started = performance.now();
  for (const cls of classes) {
    const begun = performance.now();
    const result = analyseClass(suite.filter((series) => series.cls === cls));
    const elapsedMs = performance.now() - begun;
    const samplesPerSecond = result.samples / Math.max(elapsedMs / 1000, 1e-9);
    alerts.push(...result.alerts);
    runs.push({ cls, samples: result.samples, alerts: result.alerts.length, elapsedMs, samplesPerSecond });
    process.stderr.write(
      `  ${cls.padEnd(20)} ${String(result.samples).padStart(9)} samples  ` +
        `${Math.round(samplesPerSecond).toLocaleString('en-US').padStart(11)} samples/s  ` +
        `${(elapsedMs / 1000).toFixed(1)} s  (${((performance.now() - started) / 1000).toFixed(1)} s total)\n`,
    );
    // Yield to the event loop between classes so a caller's timers and signals still run.
    await new Promise((resolve) => setImmediate(resolve));
  }

  const score = detectScore(suite, alerts);
  const targets = detectTargets(score);
  const markdown = detectTable(score, targets);
  process.stdout.write(`${markdown}\n`);
  return { seed, hours, seriesPerClass, score, targets, pass: targets.every((t) => t.pass), runs, markdown };
}
