import { basename } from 'node:path';
import { ReportSink } from '../sinks/report/reportSink.js';
import { checkOutputPath } from './checkOutputPath.js';
import { replay, type ReplayOptions, type ReplaySummary } from './replay.js';

/** Options of `soakstream report`: those of replay for the input and rules, and the HTML file. */
export interface ReportOptions extends Omit<ReplayOptions, 'alertsOut' | 'statsOut' | 'eventsOut' | 'quiet' | 'sinks'> {
  /** The HTML file to write. */
  readonly out: string;
  readonly title?: string;
}

/**
 * `soakstream report <recording...> -o report.html`: replays recordings through the rules (the
 * defaults, or `--rules`) into the self-contained HTML report of what they show: rolling
 * quantiles per series, leak fits, scaling curves and the alert timeline, as `run` writes it live.
 */
export async function report(
  files: readonly string[],
  options: ReportOptions,
  progress: (line: string) => void = console.error,
): Promise<ReplaySummary> {
  await checkOutputPath(options.out, { setting: '-o', kind: 'file', createsDirectories: true });
  const sink = new ReportSink({
    path: options.out,
    title: options.title ?? `soakstream · ${files.map((file) => basename(file)).join(', ')}`,
  });
  return replay(files, { ...options, quiet: true, sinks: [sink] }, () => undefined, progress);
}
