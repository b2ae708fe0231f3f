import { DEFAULT_RETRY_TIME_MS } from '../sinks/influx/schema.js';
import { hostname } from 'node:os';
import { loadScenario } from '../config/loadScenario.js';
import { ConfigError } from '../model/errors.js';
import { InfluxSink } from '../sinks/influx/influxSink.js';
import { replay, type ReplaySummary } from './replay.js';

/** Options of `soakstream push`. */
export interface PushOptions {
  /** The scenario of the run: its InfluxDB sink, rules and name. */
  readonly scenario: string;
  /** Another InfluxDB URL than the scenario's. */
  readonly influxUrl?: string;
  /** The `host` tag of the points; default this machine's name, as `run` writes it. */
  readonly host?: string;
}

/** What a push stored. */
export interface PushSummary extends ReplaySummary {
  /** Where the points went. */
  readonly url: string;
  readonly points: number;
}

/**
 * `soakstream push <recording...> --scenario <file>`: backfills InfluxDB from recordings, e.g.
 * after an outage outlasted a run's retries. The samples are analysed again with the scenario's
 * rules (replay is deterministic, so the stats and alerts are those of the live run) and written
 * as the run writes them (same measurements, tags and timestamps), so points the run stored are
 * overwritten with themselves: pushing twice, or pushing what is partly there, duplicates nothing.
 */
export async function push(
  files: readonly string[],
  options: PushOptions,
  progress: (line: string) => void = console.error,
): Promise<PushSummary> {
  const { scenario } = await loadScenario(options.scenario);
  const influx = scenario.sinks.influx;
  const url = options.influxUrl ?? influx?.url;
  if (url === undefined)
    throw new ConfigError(`${options.scenario}: nothing to push to`, [
      'sinks.influx: expected the InfluxDB sink of the run (or give --influx <url>)',
    ]);
  // A server that does not answer is said at once and every 10 s while the writes are retried.
  let lastNote = Number.NEGATIVE_INFINITY;
  const onRetry = (error: Error): void => {
    if (Date.now() - lastNote < 10_000) return;
    lastNote = Date.now();
    progress(
      `influxdb at ${sink.target ?? url} is not storing (${error.message.split('\n')[0]}); ` +
        `retrying for up to ${Math.round((influx?.retryForMs ?? DEFAULT_RETRY_TIME_MS) / 1000)} s (Ctrl-C to stop)`,
    );
  };
  const sink: InfluxSink = new InfluxSink({
    onRetry,
    url,
    bucket: influx?.bucket,
    rawSamples: influx?.rawSamples ?? false,
    tags: { scenario: scenario.name, host: options.host ?? hostname() },
    ...(influx?.token !== undefined ? { token: influx.token } : {}),
    ...(influx?.org !== undefined ? { org: influx.org } : {}),
    ...(influx !== undefined ? { maxRetryTimeMs: influx.retryForMs } : {}),
  });
  const summary = await replay(
    files,
    { ruleSet: scenario.rules, quiet: true, sinks: [sink] },
    () => undefined,
    progress,
  );
  return { ...summary, url, points: sink.stats().written };
}
