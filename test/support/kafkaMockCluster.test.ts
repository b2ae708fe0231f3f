import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaMockSkipReason, startKafkaMockCluster } from './kafkaMockCluster.js';

const skip = kafkaMockSkipReason();

describe.skipIf(skip !== null)(`librdkafka mock cluster${skip !== null ? ` (skipped: ${skip})` : ''}`, () => {
  it('speaks the Kafka protocol to kafkajs: produce and consume through a consumer group', async () => {
    const cluster = await startKafkaMockCluster(1);
    try {
      await cluster.createTopic('smoke', 2);
      const kafka = new Kafka({ brokers: cluster.brokers, clientId: 'smoke', logLevel: logLevel.NOTHING });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: 'smoke',
        messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 3}`, value: `v${i}` })),
      });
      await producer.disconnect();
      const consumer = kafka.consumer({ groupId: 'smoke-group' });
      await consumer.connect();
      await consumer.subscribe({ topic: 'smoke', fromBeginning: true });
      const seen: string[] = [];
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(message.value?.toString() ?? '');
            if (seen.length === 20) resolve();
          },
        });
      });
      await consumer.disconnect();
      expect(seen.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`).sort());
    } finally {
      await cluster.stop();
    }
  });
});
