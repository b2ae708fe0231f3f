import { loadRules } from '../config/loadRules.js';
import type { PresetName } from '../rules/presetNames.js';
import { withPreset } from '../rules/presets.js';
import type { Tags } from '../model/sample.js';
import { defaultRuleSet } from '../rules/defaultRules.js';
import type { RuleSet } from '../rules/rule.js';
import { formatAlertLine, formatEventTime } from '../sinks/console/formatAlertLine.js';
import { NdjsonSink } from '../sinks/ndjson/ndjsonSink.js';
import type { Sink } from '../sinks/sink.js';
import { readSampleFilesBatches } from '../sources/files/readSampleFile.js';
import { checkOutputPath } from './checkOutputPath.js';
import { analyzeBatches, Session, type SessionSummary } from './session.js';

/** Options of `soakstream replay`. */
export interface ReplayOptions {
  /** A rules file (YAML); default the default rules. */
  readonly rules?: string;
  /** Rules already decoded (a scenario's), instead of a file. */
  readonly ruleSet?: RuleSet;
  /** Start the rules from this preset instead of the default rules (`--preset`). */
  readonly preset?: PresetName;
  /** Write every alert transition, or every rolling Stat, to this NDJSON file. */
  readonly alertsOut?: string;
  readonly statsOut?: string;
  /**
   * Writes every detector event (change points, leak fits, regression verdicts, outliers, scaling,
   * fault recoveries) as NDJSON.
   */
  readonly eventsOut?: string;
  /** Metric, tags and unit of CSV input (timestamp,value). */
  readonly metric?: string;
  readonly tags?: Tags;
  readonly unit?: string;
  /** Longest NDJSON or CSV line read, in characters. */
  readonly maxLineCharacters?: number;
  /** Told the summary once the replay has ended, also when a corrupt file ended it after its intact part. */
  readonly onSummary?: (summary: SessionSummary) => void;
  /** Print no alert lines. */
  readonly quiet?: boolean;
  /** More sinks to feed (the report command's HTML report). */
  readonly sinks?: readonly Sink[];
}

/** What a replay found, for the summary and the exit code. */
export type ReplaySummary = SessionSummary;

/** The analysis events detectors store, as --events-out writes them. */
export const DETECTOR_EVENT_TYPES = [
  'changepoint',
  'leak',
  'regression',
  'outlier',
  'anomaly',
  'scaling',
  'recovery',
] as const;

/**
 * `soakstream replay <file...>`: runs the rules over recordings (Avro, NDJSON, CSV) as fast as
 * possible on event time — the same stats and alerts as live, deterministically. Alert
 * transitions are printed as they happen; NDJSON files receive alerts and stats on request;
 * progress goes to stderr every 2 s of wall time.
 */
export async function replay(
  files: readonly string[],
  options: ReplayOptions,
  out: (line: string) => void = console.log,
  progress: (line: string) => void = console.error,
): Promise<ReplaySummary> {
  // Outputs are checked before anything is read: a wrong path fails at once, not after the replay.
  for (const [setting, path] of [
    ['--alerts-out', options.alertsOut],
    ['--stats-out', options.statsOut],
    ['--events-out', options.eventsOut],
  ] as const)
    if (path !== undefined) await checkOutputPath(path, { setting, kind: 'file', createsDirectories: false });
  const loaded = options.ruleSet ?? (options.rules !== undefined ? await loadRules(options.rules) : defaultRuleSet());
  const rules = options.preset !== undefined ? withPreset(loaded, options.preset) : loaded;
  // CSV options (metric, tags, unit) are fields of the replay options; an unknown file type fails
  // here, before any output is opened.
  const input = readSampleFilesBatches(files, options);
  const sinks: Sink[] = [...(options.sinks ?? [])];
  try {
    if (options.alertsOut !== undefined)
      sinks.push(await NdjsonSink.open({ path: options.alertsOut, types: ['alert'] }));
    if (options.statsOut !== undefined) sinks.push(await NdjsonSink.open({ path: options.statsOut, types: ['stat'] }));
    if (options.eventsOut !== undefined)
      sinks.push(await NdjsonSink.open({ path: options.eventsOut, types: DETECTOR_EVENT_TYPES, typed: true }));
  } catch (error) {
    await Promise.allSettled(sinks.map((sink) => sink.close()));
    throw error;
  }
  const session = new Session({
    rules,
    sinks,
    ...(options.quiet !== true ? { onAlert: (alert) => out(formatAlertLine(alert)) } : {}),
  });
  const started = Date.now();
  let lastProgress = started;
  return analyzeBatches(
    input,
    session,
    (samples, ts) => {
      const now = Date.now();
      if (now - lastProgress < 2000) return;
      lastProgress = now;
      const rate = Math.round(samples / ((now - started) / 1000));
      progress(
        `replayed ${samples.toLocaleString()} samples (${rate.toLocaleString()}/s), event time ${formatEventTime(ts)}`,
      );
    },
    options.onSummary,
  );
}
