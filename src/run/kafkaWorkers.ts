import { hostname } from 'node:os';
import { concatMap, lastValueFrom, Subject, takeUntil, Subscription, tap, type Observable } from 'rxjs';
import { loadScenario } from '../config/loadScenario.js';
import type { Scenario } from '../config/scenario.js';
import { ConfigError } from '../model/errors.js';
import type { Sample } from '../model/sample.js';
import { scenarioSession } from './openSinks.js';
import { producesSamples, progressPlan } from '../config/scenario.js';
import { sampleSources } from './sampleSources.js';
import type { SessionSummary } from './session.js';
import type { KafkaConnection } from '../transport/kafka/createKafka.js';
import { KafkaSampleProducer } from '../transport/kafka/kafkaSampleProducer.js';
import {
  kafkaSampleSource,
  type KafkaBatch,
  type KafkaSampleSource,
  type KafkaSampleSourceOptions,
} from '../transport/kafka/kafkaSampleSource.js';
import { SuccessCriteria } from '../sources/load/successCriteria.js';
import { processProbe } from '../sources/probes/processProbe.js';
import { Progress, type Terminal } from './terminal.js';

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
 * Publishes a stream of samples to a Kafka topic and resolves once every one is acknowledged.
 * When the producer's buffer is full, `publish` returns a promise; the stream cannot be paused
 * (load must keep its schedule), so such waits are counted and reported instead.
 */
async function publishAll(
  samples: Observable<Sample>,
  connection: KafkaConnection,
  topic: string,
  counts = { published: 0, waits: 0 },
): Promise<{ published: number; waits: number }> {
  const producer = await KafkaSampleProducer.connect({ connection, topic });
  try {
    await lastValueFrom(
      samples.pipe(
        tap((sample) => {
          const waiting = producer.publish(sample);
          if (waiting !== undefined) {
            counts.waits++;
            // Not awaited (the load keeps its schedule); a send failure comes back from flush().
            waiting.catch(() => undefined);
          }
          counts.published++;
        }),
      ),
      { defaultValue: undefined },
    );
    await producer.flush();
  } finally {
    await producer.close();
  }
  return counts;
}

/** `soakstream load <scenario>`: runs the scenario's load and probes and publishes the samples to its Kafka topic. */
export async function runLoad(file: string, terminal: Terminal, stop: Subject<void>): Promise<{ exitCode: 0 | 1 }> {
  const { scenario } = await loadScenario(file);
  const transport = kafkaTransport(scenario, file, 'load');
  if (!producesSamples(scenario, false))
    throw new ConfigError(`${file}: nothing to publish`, ['load: expected a load (or probes) for `soakstream load`']);
  terminal.line(
    `soakstream load ${scenario.name}: publishing to ${transport.topic} on ${transport.kafka.brokers.join(',')}`,
  );
  const verdicts = new SuccessCriteria(scenario.criteria);
  const result = { published: 0, waits: 0 };
  const stopProgress = Progress.start(terminal, progressPlan(scenario), () => ({
    samples: result.published,
    firing: [],
  }));
  try {
    await publishAll(sampleSources(scenario, { stop, verdicts }), transport.kafka, transport.topic, result);
  } finally {
    stopProgress();
  }
  terminal.summary(
    `published ${result.published.toLocaleString('en-US')} samples to ${transport.topic}` +
      `${result.waits > 0 ? ` (the producer's buffer was full ${result.waits} times)` : ''}`,
  );
  const criteria = verdicts.evaluate();
  for (const c of criteria) terminal.summary(`  ${c.pass ? '✓' : '✗'} ${c.criterion.text}`);
  return { exitCode: criteria.every((c) => c.pass) ? 0 : 1 };
}

export interface ProbeOptions {
  readonly pid: number;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly intervalMs: number;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * `soakstream probe --pid N`: samples a process (RSS, CPU, fds, threads, sockets) into a Kafka
 * topic until it exits or is stopped.
 */
export async function runProbe(
  options: ProbeOptions,
  terminal: Terminal,
  stop: Subject<void>,
): Promise<{ exitCode: 0 | 1 }> {
  terminal.line(
    `soakstream probe: pid ${options.pid} every ${options.intervalMs} ms ` +
      `to ${options.topic} on ${options.brokers.join(',')}`,
  );
  const samples = processProbe({
    pid: options.pid,
    intervalMs: options.intervalMs,
    tags: { scenario: 'probe', ...options.tags },
  }).pipe(takeUntil(stop));
  const result = await publishAll(samples, { brokers: options.brokers, clientId: 'soakstream-probe' }, options.topic);
  terminal.summary(`published ${result.published.toLocaleString('en-US')} samples of pid ${options.pid}`);
  return { exitCode: 0 };
}

/** A consumer-group sample source that prints each dead letter on the terminal and counts them (analyze, record). */
export function reportingSource(
  options: Omit<KafkaSampleSourceOptions, 'onDeadLetter'>,
  terminal: Terminal,
): { source: KafkaSampleSource; deadLetters: () => number } {
  let count = 0;
  const source = kafkaSampleSource({
    ...options,
    onDeadLetter: (letter) => {
      count++;
      terminal.line(`dead letter: ${letter.topic}[${letter.partition}]@${letter.offset}: ${letter.reason}`);
    },
  });
  return { source, deadLetters: () => count };
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

/**
 * `soakstream analyze <scenario>`: a Kafka consumer-group worker. It analyses the samples of the
 * partitions it is given and writes the scenario's sinks; a batch is acknowledged (its offsets
 * committed) only once every sink has stored the samples and the events they produced so far, so
 * a crashed worker's batches are delivered again. Runs until stopped.
 */
export async function runAnalyzeWorker(
  file: string,
  terminal: Terminal,
  stop: Subject<void>,
): Promise<{ exitCode: 0 | 1 }> {
  const { scenario } = await loadScenario(file);
  const transport = kafkaTransport(scenario, file, 'analyze');
  const { session, opened } = await scenarioSession(scenario, terminal, { host: hostname() });
  terminal.line(
    `soakstream analyze ${scenario.name}: group ${transport.groupId} on ${transport.topic} ` +
      `(${transport.kafka.brokers.join(',')}); sinks: ${opened.sinks.map((s) => s.name).join(', ') || 'none'}`,
  );
  const { source, deadLetters } = reportingSource(
    {
      connection: transport.kafka,
      topic: transport.topic,
      groupId: transport.groupId,
      fromBeginning: transport.fromBeginning,
    },
    terminal,
  );
  const stopProgress = Progress.start(terminal, { durationMs: null, stages: [] }, () => ({
    samples: session.samples,
    firing: session.book.firing.map((a) => a.rule),
  }));
  let failure: unknown = null;
  try {
    await consumeBatches(source, stop, async (batch) => {
      for (const sample of batch.samples) session.push(sample);
      // A batch is acknowledged once every sink holds its samples and the events they produced.
      await session.flush();
      batch.ack();
    });
  } catch (error) {
    failure = error;
  } finally {
    stopProgress();
  }
  await source.disconnected();
  let summary: SessionSummary | null = null;
  try {
    summary = await session.close();
  } catch (error) {
    failure ??= error;
  }
  if (failure !== null || summary === null) throw failure;
  terminal.summary(
    `analysed ${summary.samples.toLocaleString('en-US')} samples of ${summary.series} series; ` +
      `${summary.fired.length} alerts fired, ${summary.firingAtEnd.length} firing at the end` +
      `${deadLetters() > 0 ? `; ${deadLetters()} dead letters` : ''}`,
  );
  return { exitCode: 0 };
}
