import { basename } from 'node:path';
import { Delivery } from '../run/delivery.js';
import { ReportSink } from '../sinks/report/reportSink.js';
import { replayCommand, type ReplayOptions, type ReplaySummary } from './replayCommand.js';

export interface ReportOptions extends Omit<ReplayOptions, 'alertsOut' | 'statsOut' | 'quiet' | 'onRecord'> {
  /** The HTML file to write. */
  readonly out: string;
  readonly title?: string;
}

/**
 * `soakstream report <recording...> -o report.html`: replays recordings through the rules (the
 * defaults, or `--rules`) and writes the self-contained HTML report of what they show: rolling
 * quantiles per series, leak fits, scaling curves and the alert timeline, as `run` writes it live.
 */
export async function reportCommand(
  files: readonly string[],
  options: ReportOptions,
  progress: (line: string) => void = console.error,
): Promise<ReplaySummary> {
  const report = new ReportSink({
    path: options.out,
    title: options.title ?? `soakstream · ${files.map((file) => basename(file)).join(', ')}`,
  });
  const delivery = new Delivery([report]);
  const summary = await replayCommand(
    files,
    { ...options, quiet: true, onRecord: (record) => delivery.push(record) },
    () => undefined,
    progress,
  );
  await delivery.close();
  return summary;
}
