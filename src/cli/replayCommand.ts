import { Subject } from 'rxjs';
import { loadRules } from '../config/loadRules.js';
import type { Alert } from '../model/alert.js';
import type { Sample, Tags } from '../model/sample.js';
import { AlertBook } from '../pipeline/alertBook.js';
import { analyze } from '../pipeline/analyze.js';
import { defaultRuleSet } from '../pipeline/defaultRules.js';
import { mergeAsyncByTime } from '../sources/files/mergeAsyncByTime.js';
import { readSampleFile } from '../sources/files/readSampleFile.js';
import { formatAlertLine, formatEventTime } from '../sinks/console/formatAlertLine.js';
import type { SinkRecord } from '../sinks/sink.js';
import { NdjsonFile } from './ndjsonFile.js';

/** Options of `soakstream replay`. */
export interface ReplayOptions {
  readonly rules?: string;
  readonly alertsOut?: string;
  readonly statsOut?: string;
  readonly metric?: string;
  readonly tags?: Tags;
  readonly unit?: string;
  readonly quiet?: boolean;
  /** Receives every sample and analysis event, in order (the report command feeds its report with them). */
  readonly onRecord?: (record: SinkRecord) => void;
}

/** What a replay found, for the summary and the exit code. */
export interface ReplaySummary {
  readonly samples: number;
  readonly series: number;
  readonly alerts: readonly Alert[];
  readonly firingAtEnd: readonly Alert[];
  readonly late: number;
}

/**
 * `soakstream replay <file...>`: runs the rules over recordings (Avro, NDJSON, CSV) as fast as
 * possible on event time — the same stats and alerts as live, deterministically. Alert
 * transitions are printed as they happen; NDJSON files receive alerts and stats on request;
 * progress goes to stderr every 2 s of wall time.
 */
export async function replayCommand(files: readonly string[], options: ReplayOptions, out: (line: string) => void = console.log, progress: (line: string) => void = console.error): Promise<ReplaySummary> {
  const ruleSet = options.rules !== undefined ? await loadRules(options.rules) : defaultRuleSet();
  const fileOptions = {
    ...(options.metric !== undefined ? { metric: options.metric } : {}),
    ...(options.tags !== undefined ? { tags: options.tags } : {}),
    ...(options.unit !== undefined ? { unit: options.unit } : {}),
  };
  const streams = files.map((file) => readSampleFile(file, fileOptions));
  const alertsFile = options.alertsOut !== undefined ? await NdjsonFile.open(options.alertsOut) : null;
  const statsFile = options.statsOut !== undefined ? await NdjsonFile.open(options.statsOut) : null;

  const book = new AlertBook();
  let samples = 0;
  let failure: unknown = null;
  const input = new Subject<Sample>();
  const subscription = input.pipe(analyze(ruleSet)).subscribe({
    next: (event) => {
      options.onRecord?.(event);
      // Every transition goes to --alerts-out; pending alerts that clear before firing are not printed.
      const shown = book.observe(event);
      if (shown !== null && options.quiet !== true) out(formatAlertLine(shown));
      if (event.type === 'alert') alertsFile?.write(event.alert);
      if (event.type === 'stat') statsFile?.write(event.stat);
    },
    error: (error: unknown) => {
      failure = error;
    },
  });

  const started = Date.now();
  let lastProgress = started;
  let lastTs = 0;
  try {
    for await (const sample of mergeAsyncByTime(streams)) {
      options.onRecord?.({ type: 'sample', sample });
      input.next(sample);
      if (failure !== null) throw failure;
      samples++;
      lastTs = sample.ts;
      if ((samples & 0x3fff) === 0) {
        await alertsFile?.drained();
        await statsFile?.drained();
        const now = Date.now();
        if (now - lastProgress >= 2000) {
          lastProgress = now;
          progress(`replayed ${samples.toLocaleString()} samples (${Math.round(samples / ((now - started) / 1000)).toLocaleString()}/s), event time ${formatEventTime(lastTs)}`);
        }
      }
    }
    input.complete();
    if (failure !== null) throw failure;
  } finally {
    subscription.unsubscribe();
    await alertsFile?.close();
    await statsFile?.close();
  }
  return { samples, series: book.series, alerts: book.alerts, firingAtEnd: book.firing, late: book.late };
}
