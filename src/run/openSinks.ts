import type { Scenario, ScenarioSinks } from '../config/scenario.js';
import { ConsoleSink } from '../sinks/console/consoleSink.js';
import { InfluxSink } from '../sinks/influx/influxSink.js';
import { KafkaAlertSink } from '../sinks/kafka/kafkaAlertSink.js';
import { RecorderSink } from '../sinks/recorder/recorderSink.js';
import { ReportSink } from '../sinks/report/reportSink.js';
import type { Sink } from '../sinks/sink.js';
import type { Tags } from '../model/sample.js';
import { formatAlertLine } from '../sinks/console/formatAlertLine.js';
import { checkOutputPath } from './checkOutputPath.js';
import { Session } from './session.js';
import type { Terminal } from './terminal.js';

export interface OpenedSinks {
  readonly sinks: Sink[];
  readonly console: ConsoleSink | null;
  readonly report: ReportSink | null;
  readonly recorder: RecorderSink | null;
}

/**
 * Checks that the files a scenario's sinks write can be written (the report's path, the recording's
 * directory), before a target starts or a sample is read: a ConfigError naming the field, the path
 * and the reason otherwise.
 */
export async function checkSinkPaths(config: ScenarioSinks): Promise<void> {
  if (config.report !== undefined)
    await checkOutputPath(config.report.path, { setting: 'sinks.report.path', kind: 'file', createsDirectories: true });
  if (config.recording !== undefined)
    await checkOutputPath(config.recording.dir, {
      setting: 'sinks.recording.dir',
      kind: 'directory',
      createsDirectories: true,
    });
}

/**
 * Opens the sinks a scenario asks for, after {@link checkSinkPaths}. `tags` become constant InfluxDB
 * tags (scenario, run, host). If one fails to open, the ones already open are closed before the
 * error is rethrown.
 */
export async function openSinks(
  config: ScenarioSinks,
  options: { tags: Tags; title: string; consoleOut?: { write(text: string): unknown } },
): Promise<OpenedSinks> {
  await checkSinkPaths(config);
  const sinks: Sink[] = [];
  try {
    const consoleSink =
      config.console !== undefined
        ? new ConsoleSink({
            summaryEveryMs: config.console.summaryEveryMs,
            ...(options.consoleOut !== undefined ? { out: options.consoleOut } : {}),
          })
        : null;
    if (consoleSink !== null) sinks.push(consoleSink);
    const report =
      config.report !== undefined
        ? new ReportSink({ path: config.report.path, title: config.report.title ?? options.title })
        : null;
    if (report !== null) sinks.push(report);
    const recorder = config.recording !== undefined ? await RecorderSink.open(config.recording) : null;
    if (recorder !== null) sinks.push(recorder);
    if (config.influx !== undefined) {
      const { url, token, org, bucket, rawSamples, retryForMs } = config.influx;
      sinks.push(
        new InfluxSink({
          url,
          bucket,
          rawSamples,
          maxRetryTimeMs: retryForMs,
          tags: options.tags,
          ...(token !== undefined ? { token } : {}),
          ...(org !== undefined ? { org } : {}),
        }),
      );
    }
    if (config.kafkaAlerts !== undefined) {
      const { kafka, alertsTopic, regressionsTopic, retryForMs } = config.kafkaAlerts;
      sinks.push(await KafkaAlertSink.connect({ connection: kafka, alertsTopic, regressionsTopic, retryForMs }));
    }
    return { sinks, console: consoleSink, report, recorder };
  } catch (error) {
    await Promise.allSettled(sinks.map((sink) => sink.close()));
    throw error;
  }
}

/**
 * The session of a scenario's live analysis (run, analyze): its rules, and the sinks it asks for
 * opened with `tags` as constant tags. Without a console sink, alert lines still reach the
 * terminal.
 */
export async function scenarioSession(
  scenario: Scenario,
  terminal: Terminal,
  tags: Tags,
): Promise<{ session: Session; opened: OpenedSinks }> {
  const opened = await openSinks(scenario.sinks, {
    tags,
    title: `soakstream · ${scenario.name}`,
    consoleOut: terminal.alertOut,
  });
  const session = new Session({
    rules: scenario.rules,
    sinks: opened.sinks,
    now: () => Date.now() * 1000,
    ...(opened.console === null ? { onAlert: (alert) => terminal.alert(formatAlertLine(alert)) } : {}),
  });
  return { session, opened };
}
