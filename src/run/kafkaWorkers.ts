import { hostname } from 'node:os';
import { concatMap, lastValueFrom, Subject, takeUntil, Subscription, tap, type Observable } from 'rxjs';
import { loadScenario } from '../config/loadScenario.js';
import type { Scenario } from '../config/scenario.js';
import { ConfigError, SoakstreamError } from '../model/errors.js';
import type { Sample } from '../model/sample.js';
import { scenarioSession } from './openSinks.js';
import { producesSamples, progressPlan } from '../config/scenario.js';
import { notAnalysedWarnings, plural, refusedWarnings } from './describe.js';
import { ExitCode } from './exitCodes.js';
import { latencyLine, stoppedAt } from './runSummary.js';
import { runFigures, type RunFigures } from './runFigures.js';
import type { SummaryExtras } from './summaryDocument.js';
import { consumerNote, kafkaStatus, producerNote } from './kafkaStatus.js';
import { sampleSources } from './sampleSources.js';
import type { SessionSummary } from './session.js';
import { KafkaSampleProducer, type KafkaProducerStatus } from '../transport/kafka/kafkaSampleProducer.js';
import {
  kafkaSampleSource,
  type KafkaBatch,
  type KafkaSampleSource,
  type KafkaSampleSourceOptions,
} from '../transport/kafka/kafkaSampleSource.js';
import { formatMeasured, SuccessCriteria } from '../sources/load/successCriteria.js';
import { processProbe } from '../sources/probes/processProbe.js';
import { readProcessStats } from '../sources/probes/readProcessStats.js';
import type { Terminal } from './terminal.js';

/** The Kafka transport of a scenario, or a ConfigError naming the command that needs it. */
function kafkaTransport(
  scenario: Scenario,
  file: string,
  command: string,
): Extract<Scenario['transport'], { type: 'kafka' }> {
  if (scenario.transport.type === 'kafka') return scenario.transport;
  throw new ConfigError(`${file}: ${command} needs a Kafka transport`, [
    'transport: expected { type: kafka, brokers: [...], topic: ... } ' +
      '(use `soakstream run` for the in-memory transport)',
  ]);
}

/**
 * Offers every sample of a stream to the producer and waits until each one was published or given
 * up on. The stream cannot be paused (load keeps its schedule, probes their interval), so samples
 * the producer has no room for are refused and counted rather than held without bound. Fails with
 * the producer's error (brokers unreachable past the timeout), which stops the stream.
 */
async function publishAll(samples: Observable<Sample>, producer: KafkaSampleProducer): Promise<void> {
  await lastValueFrom(samples.pipe(tap((sample) => producer.offer(sample))), { defaultValue: undefined });
  await producer.flush();
}

/** Closes a producer after its stream ended or failed; the first error is the one to report. */
async function closeProducer(producer: KafkaSampleProducer, failure: unknown): Promise<unknown> {
  try {
    await producer.close();
  } catch (error) {
    return failure ?? error;
  }
  return failure;
}

/** "published 1,200 samples to soak; 0 not published", with why samples were not published. */
function publishedLine(status: KafkaProducerStatus, where: string): string {
  const abandoned = status.abandoned + status.waiting;
  const notPublished = status.refused + abandoned;
  const why: string[] = [];
  if (status.refused > 0) why.push(`${status.refused.toLocaleString('en-US')} dropped with the buffer full`);
  if (abandoned > 0) why.push(`${abandoned.toLocaleString('en-US')} abandoned when the producer gave up`);
  return (
    `published ${plural(status.published, 'sample')} ${where}; ${notPublished.toLocaleString('en-US')} not published` +
    `${why.length > 0 ? ` (${why.join(', ')})` : ''}`
  );
}

/** Settings of the Kafka commands that come from flags rather than the scenario. */
export interface KafkaCommandOptions {
  /** How long the brokers may stay unreachable before the command gives up (overrides the scenario's). */
  readonly brokerTimeoutMs?: number;
  /** Told the session's summary once the worker has stopped (analyze). */
  readonly onSummary?: (summary: SessionSummary) => void;
}

/**
 * `soakstream load <scenario>`: runs the scenario's load and probes and publishes the samples to
 * its Kafka topic. It connects first (brokers that do not answer are a one-line error), rides out
 * a broker outage up to the broker timeout (the status line shows it), and reports how many
 * samples were published and how many not; past the timeout it ends with the producer's error
 * after printing that.
 */
export async function runLoad(
  file: string,
  terminal: Terminal,
  stop: Subject<void>,
  options: KafkaCommandOptions & { readonly onSummary?: (extras: SummaryExtras) => void } = {},
): Promise<{ exitCode: 0 | 1 | 130; reasons: readonly string[]; figures: RunFigures }> {
  const { scenario } = await loadScenario(file);
  const transport = kafkaTransport(scenario, file, 'load');
  if (!producesSamples(scenario, false))
    throw new ConfigError(`${file}: nothing to publish`, ['load: expected a load (or probes) for `soakstream load`']);
  terminal.line(
    `soakstream load ${scenario.name}: publishing to ${transport.topic} on ${transport.kafka.brokers.join(',')}`,
  );
  const brokerTimeoutMs = options.brokerTimeoutMs ?? transport.brokerTimeoutMs;
  const producer = await KafkaSampleProducer.connect({
    connection: transport.kafka,
    topic: transport.topic,
    ...(brokerTimeoutMs !== undefined ? { brokerTimeoutMs } : {}),
    ...(transport.maxBuffered !== undefined ? { maxBuffered: transport.maxBuffered } : {}),
  });
  const verdicts = new SuccessCriteria(scenario.criteria);
  const plan = progressPlan(scenario);
  const started = performance.now();
  let interruptedAtMs: number | null = null;
  const stopped = stop.subscribe({ complete: () => (interruptedAtMs ??= performance.now() - started) });
  const stopStatus = kafkaStatus(terminal, plan, () => {
    const status = producer.status();
    return { samples: status.published, firing: [], note: producerNote(status) };
  });
  let failure: unknown = null;
  try {
    await publishAll(sampleSources(scenario, { stop, verdicts }), producer);
  } catch (error) {
    failure = error;
  } finally {
    stopStatus();
    stopped.unsubscribe();
  }
  failure = await closeProducer(producer, failure);
  terminal.summary(publishedLine(producer.status(), `to ${transport.topic}`));
  if (failure !== null) throw failure;
  const criteria = verdicts.evaluate();
  if (verdicts.requestCount > 0) terminal.summary(latencyLine(verdicts));
  for (const c of criteria)
    terminal.summary(`  ${c.pass ? '✓' : '✗'} ${c.criterion.text} (measured ${formatMeasured(c)})`);
  const figures = runFigures(verdicts, [], performance.now() - started);
  const reasons = criteria
    .filter((c) => !c.pass)
    .map((c) => `criterion ${c.criterion.text} failed (measured ${formatMeasured(c)})`);
  options.onSummary?.({ reasons, run: figures });
  // A load stopped by a signal is interrupted whatever its criteria say, as `run` is.
  if (interruptedAtMs !== null) {
    terminal.summary(`result: INTERRUPTED (stopped at ${stoppedAt(interruptedAtMs, plan.durationMs)})`);
    return { exitCode: ExitCode.interrupted, reasons, figures };
  }
  return { exitCode: reasons.length === 0 ? 0 : 1, reasons, figures };
}

export interface ProbeOptions {
  readonly pid: number;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly intervalMs: number;
  readonly tags: Readonly<Record<string, string>>;
  /** How long the brokers may stay unreachable before the probe gives up. Default 2 min. */
  readonly brokerTimeoutMs?: number;
}

/**
 * `soakstream probe --pid N`: samples a process (RSS, CPU, fds, threads, sockets) into a Kafka
 * topic until it exits (a normal end, said in a line) or is stopped. A pid with no process, or one
 * gone before the first sample, is a usage error; brokers are handled as by `load`.
 */
export async function runProbe(
  options: ProbeOptions,
  terminal: Terminal,
  stop: Subject<void>,
): Promise<{ exitCode: 0 | 1 }> {
  const noProcess = (): SoakstreamError =>
    new SoakstreamError('USAGE_ERROR', `no process ${options.pid} (--pid)`, { context: { pid: options.pid } });
  if ((await readProcessStats(options.pid)) === null) throw noProcess();
  terminal.line(
    `soakstream probe: pid ${options.pid} every ${options.intervalMs} ms ` +
      `to ${options.topic} on ${options.brokers.join(',')}`,
  );
  const producer = await KafkaSampleProducer.connect({
    connection: { brokers: options.brokers, clientId: 'soakstream-probe' },
    topic: options.topic,
    ...(options.brokerTimeoutMs !== undefined ? { brokerTimeoutMs: options.brokerTimeoutMs } : {}),
  });
  let sampled = false;
  let exited = false;
  const samples = processProbe({
    pid: options.pid,
    intervalMs: options.intervalMs,
    tags: { scenario: 'probe', ...options.tags },
  }).pipe(
    takeUntil(stop),
    tap((sample) => {
      // The probe ends with process_up 0 when the process is gone.
      if (sample.metric === 'process_up' && sample.value === 0) {
        if (!sampled) throw noProcess();
        exited = true;
      }
      sampled = true;
    }),
  );
  const stopStatus = kafkaStatus(terminal, { durationMs: null, stages: [] }, () => {
    const status = producer.status();
    return { samples: status.published, firing: [], note: producerNote(status) };
  });
  let failure: unknown = null;
  try {
    await publishAll(samples, producer);
  } catch (error) {
    failure = error;
  } finally {
    stopStatus();
  }
  failure = await closeProducer(producer, failure);
  if (exited) terminal.line(`pid ${options.pid} exited; the probe ends`);
  if (sampled) terminal.summary(publishedLine(producer.status(), `of pid ${options.pid} to ${options.topic}`));
  if (failure !== null) throw failure;
  return { exitCode: 0 };
}

/**
 * A consumer-group sample source that prints each dead letter on the terminal and counts them, and
 * prints the partitions it is given at every (re)join of the group (analyze, record).
 */
export function reportingSource(
  options: Omit<KafkaSampleSourceOptions, 'onDeadLetter' | 'onAssignment'>,
  terminal: Terminal,
): { source: KafkaSampleSource; deadLetters: () => number } {
  let count = 0;
  const source = kafkaSampleSource({
    ...options,
    onDeadLetter: (letter) => {
      count++;
      terminal.line(`dead letter: ${letter.topic}[${letter.partition}]@${letter.offset}: ${letter.reason}`);
    },
    onAssignment: (partitions) => {
      const given =
        partitions.length === 0
          ? `no partition of ${options.topic} (more members than partitions)`
          : `${options.topic} ${partitions.length === 1 ? 'partition' : 'partitions'} ${partitions.join(', ')}`;
      terminal.line(`group ${options.groupId}: assigned ${given}`);
    },
  });
  return { source, deadLetters: () => count };
}

/**
 * Waits for a stopped consumer source to leave its group and disconnect (the source bounds that
 * wait, cutting its connections past it) and says so when it could not leave cleanly.
 */
export async function leaveGroup(source: KafkaSampleSource, groupId: string, terminal: Terminal): Promise<void> {
  if (!(await source.disconnected()))
    terminal.line(`the consumer did not leave group ${groupId} in time; its connections were closed`);
}

/**
 * Hands each batch of a consumer source to `handle`, one at a time (the next is taken once the last
 * one's promise settles), until the source ends or fails, `stop` completes, or `handle` returns true.
 */
export function consumeBatches(
  source: KafkaSampleSource,
  stop: Observable<void>,
  handle: (batch: KafkaBatch) => Promise<boolean | void>,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stopping = new Subscription();
    const finish = (): void => {
      subscription.unsubscribe();
      stopping.unsubscribe();
      resolve();
    };
    const subscription = source.batches
      .pipe(concatMap(async (batch) => (await handle(batch)) === true && finish()))
      .subscribe({ error: reject, complete: resolve });
    stopping.add(stop.subscribe({ complete: finish }));
  });
}

/** How long a stopped analyze worker waits for what it took to be stored before it leaves its group. */
const DRAIN_MS = 5_000;

/**
 * `soakstream analyze <scenario>`: a Kafka consumer-group worker. It analyses the samples of the
 * partitions it is given and writes the scenario's sinks; a batch is acknowledged (its offsets
 * committed) only once every sink has stored the samples and the events they produced so far, so
 * a crashed worker's batches are delivered again. Runs until stopped (exit 0), riding out broker
 * outages up to the broker timeout; past it, the sinks are closed with what they hold and the
 * broker error ends the command.
 */
export async function runAnalyzeWorker(
  file: string,
  terminal: Terminal,
  stop: Subject<void>,
  options: KafkaCommandOptions = {},
): Promise<{ exitCode: 0 | 1 }> {
  const { scenario } = await loadScenario(file);
  const transport = kafkaTransport(scenario, file, 'analyze');
  const { session, opened } = await scenarioSession(scenario, terminal, { host: hostname() });
  terminal.line(
    `soakstream analyze ${scenario.name}: group ${transport.groupId} on ${transport.topic} ` +
      `(${transport.kafka.brokers.join(',')}); sinks: ${opened.sinks.map((s) => s.name).join(', ') || 'none'}`,
  );
  const brokerTimeoutMs = options.brokerTimeoutMs ?? transport.brokerTimeoutMs;
  const { source, deadLetters } = reportingSource(
    {
      connection: transport.kafka,
      topic: transport.topic,
      groupId: transport.groupId,
      fromBeginning: transport.fromBeginning,
      ...(brokerTimeoutMs !== undefined ? { brokerTimeoutMs } : {}),
    },
    terminal,
  );
  const group = { groupId: transport.groupId, brokers: transport.kafka.brokers };
  const stopStatus = kafkaStatus(terminal, { durationMs: null, stages: [] }, () => ({
    samples: session.samples,
    firing: session.book.firing.map((a) => a.rule),
    note: consumerNote(source, group, `${plural(session.samples, 'sample')} analysed`),
  }));
  let failure: unknown = null;
  // Consuming ends when stopped, after the batches taken so far are stored and acknowledged (at
  // most DRAIN_MS, fetching paused meanwhile, so little is delivered again to the next worker), or
  // at once when storing fails.
  const ended = new Subject<void>();
  const stopping = stop.subscribe({
    complete: () => {
      try {
        source.pause();
      } catch {
        // Not consuming yet (still joining): there is nothing to pause.
      }
      const drained = setTimeout(() => ended.complete(), DRAIN_MS);
      void session
        .flush()
        .catch(() => undefined)
        .finally(() => {
          clearTimeout(drained);
          ended.complete();
        });
    },
  });
  try {
    await consumeBatches(source, ended, (batch) => {
      for (const sample of batch.samples) session.push(sample);
      // A batch is acknowledged once every sink holds its samples and the events they produced.
      // Meanwhile further batches are taken (the source bounds how many), so one write stores many.
      session.flush().then(
        () => batch.ack(),
        (error: unknown) => {
          failure ??= error;
          ended.complete();
        },
      );
      return Promise.resolve();
    });
  } catch (error) {
    failure = error;
  } finally {
    stopping.unsubscribe();
    stopStatus();
  }
  await leaveGroup(source, transport.groupId, terminal);
  let summary: SessionSummary | null = null;
  try {
    summary = await session.close();
  } catch (error) {
    failure ??= error;
  }
  if (summary !== null) options.onSummary?.(summary);
  if (summary !== null)
    terminal.summary(
      `analysed ${summary.samples.toLocaleString('en-US')} samples of ${summary.series} series; ` +
        `${summary.fired.length} alerts fired, ${summary.firingAtEnd.length} firing at the end` +
        `${deadLetters() > 0 ? `; ${deadLetters()} dead letters` : ''}` +
        [...notAnalysedWarnings(summary.notAnalysed), ...refusedWarnings(summary.sinks)]
          .map((warning) => `\nwarning: ${warning}`)
          .join(''),
    );
  if (failure !== null) throw failure;
  return { exitCode: 0 };
}
