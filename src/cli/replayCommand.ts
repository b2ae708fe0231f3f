import { loadRules } from '../config/loadRules.js';
import type { Alert } from '../model/alert.js';
import type { AnalysisEvent } from '../model/events.js';
import type { Tags } from '../model/sample.js';
import { AlertBook } from '../run/alertBook.js';
import { analyzeSamples } from '../pipeline/runAnalysis.js';
import { defaultRuleSet } from '../rules/defaultRules.js';
import { readSampleFiles } from '../sources/files/readSampleFile.js';
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
export async function replayCommand(
  files: readonly string[],
  options: ReplayOptions,
  out: (line: string) => void = console.log,
  progress: (line: string) => void = console.error,
): Promise<ReplaySummary> {
  const ruleSet = options.rules !== undefined ? await loadRules(options.rules) : defaultRuleSet();
  // CSV options (metric, tags, unit) are fields of the replay options; an unknown file type fails here, before any output is opened.
  const input = readSampleFiles(files, options);
  const alertsFile = options.alertsOut !== undefined ? await NdjsonFile.open(options.alertsOut) : null;
  const statsFile = options.statsOut !== undefined ? await NdjsonFile.open(options.statsOut) : null;

  const book = new AlertBook();
  const onEvent = (event: AnalysisEvent): void => {
    options.onRecord?.(event);
    // Every transition goes to --alerts-out; pending alerts that clear before firing are not printed.
    const shown = book.observe(event);
    if (shown !== null && options.quiet !== true) out(formatAlertLine(shown));
    if (event.type === 'alert') alertsFile?.write(event.alert);
    if (event.type === 'stat') statsFile?.write(event.stat);
  };

  const started = Date.now();
  let lastProgress = started;
  // Every 16,384 samples: wait for the NDJSON files to drain, and report progress every 2 s.
  const checkpoint = async (index: number, ts: number): Promise<void> => {
    await alertsFile?.drained();
    await statsFile?.drained();
    const now = Date.now();
    if (now - lastProgress >= 2000) {
      lastProgress = now;
      progress(
        `replayed ${index.toLocaleString()} samples (${Math.round(index / ((now - started) / 1000)).toLocaleString()}/s), event time ${formatEventTime(ts)}`,
      );
    }
  };
  let samples: number;
  try {
    samples = await analyzeSamples(input, ruleSet, onEvent, (sample, index) => {
      options.onRecord?.({ type: 'sample', sample });
      return index > 0 && (index & 0x3fff) === 0 ? checkpoint(index, sample.ts) : undefined;
    });
  } finally {
    await alertsFile?.close();
    await statsFile?.close();
  }
  return { samples, series: book.series, alerts: book.alerts, firingAtEnd: book.firing, late: book.late };
}
