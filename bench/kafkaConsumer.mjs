// The Kafka benchmark's baseline: the least a consumer-group member must do to read soakstream's
// samples from a topic. A bare kafkajs consumer (eachBatch, kafkajs' default auto-commit after each
// batch, as analyze commits after each batch) decodes every message with the project's codec
// (dist/model/sampleCodec.js, the decodeSamples that analyze uses) and counts the samples; nothing
// else. It runs until SIGINT or SIGTERM, then leaves the group and prints the count.
// Usage: node bench/kafkaConsumer.mjs <brokers> <topic> <group>
import process from 'node:process';
import kafkajs from 'kafkajs';
import { decodeSamples } from '../dist/model/sampleCodec.js';

const [brokers, topic, groupId] = process.argv.slice(2);
if (groupId === undefined) {
  process.stderr.write('usage: node bench/kafkaConsumer.mjs <brokers> <topic> <group>\n');
  process.exit(2);
}

const kafka = new kafkajs.Kafka({ brokers: brokers.split(','), clientId: 'bench-reference', logLevel: 0 });
const consumer = kafka.consumer({ groupId });
let samples = 0;
let messages = 0;
let batches = 0;
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await consumer.run({
  eachBatch: async ({ batch }) => {
    batches++;
    for (const message of batch.messages) {
      if (message.value === null) continue;
      samples += decodeSamples(message.value).length;
      messages++;
    }
  },
});

const stop = async () => {
  await consumer.disconnect();
  process.stdout.write(`counted ${samples} samples in ${messages} messages, ${batches} batches\n`);
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
