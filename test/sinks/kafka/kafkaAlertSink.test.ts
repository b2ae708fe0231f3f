import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Alert, AlertKind, AlertState } from '../../../src/model/alert.js';
import { decodeAlert } from '../../../src/model/alertCodec.js';
import { SinkError } from '../../../src/model/errors.js';
import { createKafka } from '../../../src/transport/kafka/createKafka.js';
import { ALERT_ID_HEADER, KafkaAlertSink } from '../../../src/sinks/kafka/kafkaAlertSink.js';
import { kafkaMockSkipReason, startKafkaMockCluster, type KafkaMockCluster } from '../../support/kafkaMockCluster.js';

const skipReason = kafkaMockSkipReason();
if (skipReason !== null) console.log(`skipping Kafka alert sink tests: ${skipReason}`);

const T0 = 1_767_225_600_000_000;
const alert = (i: number, kind: AlertKind, state: AlertState, series = `latency{endpoint=/e${i % 3}}`): Alert => ({
  id: `id-${kind}-${i}`,
  rule: `${kind}-rule`,
  kind,
  severity: 'warning',
  state,
  series,
  metric: 'latency',
  tags: { endpoint: `/e${i % 3}` },
  metricKind: 'other',
  ts: T0 + i,
  since: T0,
  onset: null,
  value: 1.2,
  baseline: 1,
  effect: 0.2,
  pValue: 0.001,
  message: `alert ${i}`,
  reason: null,
});

interface Received {
  readonly key: string;
  readonly alert: Alert;
  readonly idHeader: string;
}

describe.skipIf(skipReason !== null)('KafkaAlertSink on the librdkafka mock cluster', () => {
  let cluster: KafkaMockCluster;
  beforeAll(async () => {
    cluster = await startKafkaMockCluster(1);
  });
  afterAll(async () => {
    await cluster.stop();
  });

  const read = async (topic: string, count: number): Promise<Received[]> => {
    const consumer = createKafka({ brokers: cluster.brokers }).consumer({ groupId: `reader-${topic}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: Received[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.push({
            key: message.key?.toString() ?? '',
            alert: decodeAlert(message.value as Buffer),
            idHeader: message.headers?.[ALERT_ID_HEADER]?.toString() ?? '',
          });
          if (received.length >= count) resolve();
        },
      });
    });
    await consumer.disconnect();
    return received;
  };

  test(
    'alerts go to the alerts topic, regression alerts also to the regressions topic, ' +
      'keyed by series with ids in the payload and a header',
    async () => {
      await cluster.createTopic('t1.alerts', 3);
      await cluster.createTopic('t1.regressions', 3);
      const sink = await KafkaAlertSink.connect({
        connection: { brokers: cluster.brokers },
        alertsTopic: 't1.alerts',
        regressionsTopic: 't1.regressions',
      });
      const alerts = [
        alert(0, 'regression', 'pending'),
        alert(1, 'leak', 'firing'),
        alert(2, 'regression', 'firing'),
        alert(3, 'scaling', 'resolved'),
      ];
      await sink.write([
        { type: 'diagnostic', diagnostic: { ts: T0, kind: 'late', count: 1, message: 'ignored' } },
        ...alerts.map((a) => ({ type: 'alert' as const, alert: a })),
      ]);
      expect(sink.messages).toBe(6);
      await sink.close();

      const all = await read('t1.alerts', 4);
      expect(all.map((r) => r.alert).sort((a, b) => a.ts - b.ts)).toEqual(alerts);
      for (const r of all) {
        expect(r.key).toBe(r.alert.series);
        expect(r.idHeader).toBe(r.alert.id);
      }
      const regressions = await read('t1.regressions', 2);
      expect(regressions.map((r) => r.alert.id).sort()).toEqual(['id-regression-0', 'id-regression-2']);
    },
  );

  test('writes are published in order: one series keeps its transitions in sequence', async () => {
    await cluster.createTopic('t2.alerts', 2);
    const sink = await KafkaAlertSink.connect({
      connection: { brokers: cluster.brokers },
      alertsTopic: 't2.alerts',
      regressionsTopic: null,
    });
    const series = 'heap{}';
    const states: AlertState[] = ['pending', 'firing', 'resolved'];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        sink.write([{ type: 'alert', alert: alert(i, 'leak', states[i % 3] as AlertState, series) }]),
      ),
    );
    await sink.close();
    const received = await read('t2.alerts', 30);
    expect(received.map((r) => r.alert.ts - T0)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  test('a broker that stays down fails the write with a retriable SinkError', async () => {
    const down = await startKafkaMockCluster(1);
    await down.createTopic('t3.alerts', 1);
    const sink = await KafkaAlertSink.connect({
      connection: { brokers: down.brokers, retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 } },
      alertsTopic: 't3.alerts',
      regressionsTopic: null,
    });
    await down.stop();
    const error = (await sink
      .write([{ type: 'alert', alert: alert(0, 'leak', 'firing') }])
      .catch((e: unknown) => e)) as SinkError;
    expect(error).toBeInstanceOf(SinkError);
    expect(error.retriable).toBe(true);
    expect(error.message).toMatch(/could not publish 1 alerts to t3.alerts/);
    await sink.close().catch(() => undefined);
  });

  test('rejects a bad topic name', async () => {
    await expect(
      KafkaAlertSink.connect({ connection: { brokers: cluster.brokers }, alertsTopic: 'bad topic' }),
    ).rejects.toThrow(/alertsTopic must be 1–249 of/);
  });
});
