// Shared by the mock-cluster and the testcontainers (real Apache Kafka) suites.
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import type { Subscription } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisEvent } from '../../src/model/events.js';
import type { Sample } from '../../src/model/sample.js';
import { encodeSample } from '../../src/model/sampleCodec.js';
import { seriesKey } from '../../src/model/seriesKey.js';
import { runAnalysis } from '../../src/analysis/runAnalysis.js';
import { KafkaSampleProducer } from '../../src/transport/kafka/kafkaSampleProducer.js';
import { kafkaSampleSource, type DeadLetter, type KafkaBatch } from '../../src/transport/kafka/kafkaSampleSource.js';
import { createRandom } from '../../src/stats/random.js';
import { committedBy } from './kafkaAdmin.js';

const START = 1_767_225_600_000_000;

function generate(series: number, perSeries: number): Sample[] {
  const random = createRandom(5);
  const tags = Array.from({ length: series }, (_, i) => ({ endpoint: `e${i}` }));
  const out: Sample[] = [];
  for (let step = 0; step < perSeries; step++) {
    for (let i = 0; i < series; i++)
      out.push({
        ts: START + step * 100_000 + i,
        metric: 'http_req_duration',
        value: 50 * Math.exp(0.3 * random.normal()),
        tags: tags[i] as { endpoint: string },
        unit: 'ms',
      });
  }
  return out;
}

/** Consumes until `until(total)` holds, calling `onBatch`; returns every batch delivered. */
function consume(
  source: ReturnType<typeof kafkaSampleSource>,
  onBatch: (batch: KafkaBatch, total: number) => boolean | void,
): Promise<{ batches: KafkaBatch[]; subscription: Subscription }> {
  return new Promise((resolve, reject) => {
    const batches: KafkaBatch[] = [];
    let total = 0;
    const subscription: Subscription = source.batches.subscribe({
      next: (batch) => {
        batches.push(batch);
        total += batch.samples.length;
        if (onBatch(batch, total) === true) resolve({ batches, subscription });
      },
      error: reject,
    });
  });
}

const byTime = (a: Sample, b: Sample): number =>
  a.ts - b.ts || seriesKey(a.metric, a.tags).localeCompare(seriesKey(b.metric, b.tags));

/** A Kafka-protocol cluster the transport scenarios run against. */
export interface KafkaUnderTest {
  readonly brokers: string[];
  createTopic(name: string, partitions: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The transport's integration scenarios, run against any Kafka-protocol cluster: 100,000
 * samples without loss or duplication, a restart resuming from committed offsets, and a poison
 * message sent to the dead-letter topic. Skipped, with the one-line reason in the suite name,
 * when `skipReason` is set.
 */
export function describeKafkaTransport(
  name: string,
  skipReason: string | null,
  start: () => Promise<KafkaUnderTest>,
): void {
  describe.skipIf(skipReason !== null)(`${name}${skipReason !== null ? ` (skipped: ${skipReason})` : ''}`, () => {
    let cluster: KafkaUnderTest;
    beforeAll(async () => {
      cluster = await start();
    }, 180_000);
    afterAll(async () => {
      await cluster?.stop();
    });
    const connection = (): { brokers: string[] } => ({ brokers: cluster.brokers });
    /** A one-partition topic holding `samples` in messages of 100 samples each. */
    const publishBatched = async (topic: string, samples: Sample[]): Promise<Sample[]> => {
      await cluster.createTopic(topic, 1);
      const producer = await KafkaSampleProducer.connect({ connection: connection(), topic, batchSize: 100 });
      for (const sample of samples) await producer.publish(sample);
      await producer.close();
      return samples;
    };

    it('delivers 100,000 samples with no loss or duplication, and the analysis equals the direct one', async () => {
      await cluster.createTopic('samples', 4);
      const produced = generate(100, 1000);
      const producer = await KafkaSampleProducer.connect({ connection: connection(), topic: 'samples' });
      for (const sample of produced) await producer.publish(sample);
      await producer.close();

      const { batches, subscription } = await consume(
        kafkaSampleSource({ connection: connection(), topic: 'samples', groupId: 'analysis' }),
        (batch, total) => {
          batch.ack();
          return total >= produced.length;
        },
      );
      subscription.unsubscribe();
      const consumed = batches.flatMap((b) => b.samples);
      expect(consumed).toHaveLength(produced.length);
      expect(new Set(consumed.map((s) => `${seriesKey(s.metric, s.tags)}@${s.ts}`)).size).toBe(produced.length);
      // Each series is keyed to one partition, so its samples arrive in order.
      const lastTs = new Map<string, number>();
      for (const s of consumed) {
        const key = seriesKey(s.metric, s.tags);
        expect(s.ts).toBeGreaterThan(lastTs.get(key) ?? 0);
        lastTs.set(key, s.ts);
      }
      const analyse = (samples: Sample[]): AnalysisEvent[] => {
        const events: AnalysisEvent[] = [];
        runAnalysis([...samples].sort(byTime), { onEvent: (e) => events.push(e) });
        return events;
      };
      const direct = analyse(produced);
      // 100 series × 100 s of samples at a 10 s hop.
      expect(direct.filter((e) => e.type === 'stat')).toHaveLength(1000);
      expect(analyse(consumed)).toEqual(direct);
    });

    it('resumes from the committed offset after a restart: only the unacknowledged batch comes again', async () => {
      const produced = await publishBatched('restart', generate(10, 300));

      let acknowledged = 0;
      let pending: KafkaBatch | null = null;
      const worker = kafkaSampleSource({
        connection: connection(),
        topic: 'restart',
        groupId: 'restartable',
        sessionTimeoutMs: 6000,
      });
      const first = await consume(worker, (batch) => {
        if (acknowledged >= 500) {
          pending = batch; // the worker "dies" with this batch in hand
          return true;
        }
        batch.ack();
        acknowledged += batch.samples.length;
        return false;
      });
      first.subscription.unsubscribe();
      await worker.disconnected();
      expect(pending).not.toBeNull();
      const unacknowledged = pending as unknown as KafkaBatch;

      const second = await consume(
        kafkaSampleSource({
          connection: connection(),
          topic: 'restart',
          groupId: 'restartable',
          sessionTimeoutMs: 6000,
        }),
        (batch, total) => {
          batch.ack();
          return total >= produced.length - acknowledged;
        },
      );
      second.subscription.unsubscribe();
      expect(second.batches[0]?.firstOffset).toBe(unacknowledged.firstOffset);
      const again = second.batches.flatMap((b) => b.samples);
      const seen = first.batches.slice(0, -1).flatMap((b) => b.samples);
      expect(seen.length + again.length).toBe(produced.length);
      expect([...seen, ...again].sort(byTime)).toEqual([...produced].sort(byTime));
    });

    it('takes further batches while earlier ones await their ack, and commits each once acknowledged', async () => {
      const produced = await publishBatched('pipelined', generate(10, 100));
      const committed = (): Promise<number> => committedBy(cluster.brokers, 'pipelined', 'pipelined');
      const untilCommitted = async (offset: number): Promise<number> => {
        // Commits follow acknowledgements asynchronously: wait for this one (bounded, never on speed).
        for (let i = 0; i < 300 && (await committed()) < offset; i++) await sleep(100);
        return committed();
      };

      const source = kafkaSampleSource({ connection: connection(), topic: 'pipelined', groupId: 'pipelined' });
      // No batch is acknowledged until every sample has been handed on.
      const { batches, subscription } = await consume(source, (_batch, total) => total >= produced.length);
      expect(batches.length).toBeGreaterThan(1);
      expect(await committed()).toBe(0);

      const half = Math.floor(batches.length / 2);
      for (const batch of batches.slice(0, half)) batch.ack();
      const through = Number((batches[half - 1] as KafkaBatch).lastOffset) + 1;
      expect(await untilCommitted(through)).toBe(through);
      await sleep(500);
      expect(await committed()).toBe(through);

      for (const batch of batches.slice(half)) batch.ack();
      const end = Number((batches.at(-1) as KafkaBatch).lastOffset) + 1;
      expect(await untilCommitted(end)).toBe(end);
      subscription.unsubscribe();
      await source.disconnected();
      expect(batches.flatMap((b) => b.samples)).toHaveLength(produced.length);
    });

    it('pause stops delivery until resume, with nothing lost', async () => {
      await cluster.createTopic('paced', 1);
      const produce = async (from: number): Promise<void> => {
        const producer = await KafkaSampleProducer.connect({ connection: connection(), topic: 'paced' });
        for (let i = from; i < from + 100; i++)
          await producer.publish({ ts: START + i, metric: 'm', value: i, tags: {} });
        await producer.close();
      };
      await produce(0);
      const source = kafkaSampleSource({
        connection: connection(),
        topic: 'paced',
        groupId: 'paced',
        sessionTimeoutMs: 6000,
      });
      const received: number[] = [];
      let firstBatch: () => void = () => undefined;
      const gotFirst = new Promise<void>((resolve) => {
        firstBatch = resolve;
      });
      const subscription = source.batches.subscribe((batch) => {
        received.push(...batch.samples.map((s) => s.value));
        if (received.length >= 100) {
          source.pause();
          firstBatch();
        }
        batch.ack();
      });
      await gotFirst;
      await produce(100);
      await sleep(2000);
      expect(received).toHaveLength(100);
      source.resume();
      for (let waited = 0; received.length < 200 && waited < 30_000; waited += 100) await sleep(100);
      subscription.unsubscribe();
      await source.disconnected();
      expect(received).toEqual(Array.from({ length: 200 }, (_, i) => i));
    });

    it('routes a poison message to the dead-letter topic with the reason, and goes on', async () => {
      await cluster.createTopic('poison', 1);
      await cluster.createTopic('poison.dead-letter', 1);
      const kafka = new Kafka({ brokers: cluster.brokers, logLevel: logLevel.NOTHING });
      const raw = kafka.producer();
      await raw.connect();
      const good = (i: number): Sample => ({ ts: START + i, metric: 'm', value: i, tags: {} });
      await raw.send({
        topic: 'poison',
        messages: [
          { value: encodeSample(good(1)) },
          { key: 'bad', value: Buffer.from('not avro at all') },
          { value: encodeSample(good(2)) },
        ],
      });
      await raw.disconnect();

      const letters: DeadLetter[] = [];
      const { batches, subscription } = await consume(
        kafkaSampleSource({
          connection: connection(),
          topic: 'poison',
          groupId: 'poisoned',
          onDeadLetter: (l) => letters.push(l),
        }),
        (batch, total) => {
          batch.ack();
          return total >= 2;
        },
      );
      subscription.unsubscribe();
      expect(batches.flatMap((b) => b.samples).map((s) => s.value)).toEqual([1, 2]);
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ topic: 'poison', partition: 0, offset: '1' });
      expect(letters[0]?.reason).toMatch(/DECODE_ERROR/);

      const dlq = kafka.consumer({ groupId: 'dlq-reader' });
      await dlq.connect();
      await dlq.subscribe({ topic: 'poison.dead-letter', fromBeginning: true });
      const dead = await new Promise<{ key: string; headers: Record<string, string> }>((resolve) => {
        void dlq.run({
          eachMessage: async ({ message }) => {
            const headers = Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString() ?? '']),
            );
            resolve({ key: message.key?.toString() ?? '', headers });
          },
        });
      });
      await dlq.disconnect();
      expect(dead.key).toBe('bad');
      expect(dead.headers['soakstream-error']).toMatch(/DECODE_ERROR/);
      expect(dead.headers['soakstream-source']).toBe('poison/0/1');
    });
  });
}
