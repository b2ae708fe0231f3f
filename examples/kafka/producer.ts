// The producer half of a Kafka pair: an application publishing its own timings to soakstream.
// A simulated job runner reports each job's duration and its queue depth; 20 s in, its jobs
// get 60% slower. Run the worker half, `soakstream analyze examples/kafka/worker.yaml`, next to it
// (any number of workers: they share the topic's partitions as one consumer group).
//
//   KAFKA_BROKERS=localhost:9092 npx tsx examples/kafka/producer.ts [seconds]
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaSampleProducer, type Sample } from 'soakstream';

const brokers = (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(',');
const topic = process.env.SOAK_TOPIC ?? 'soakstream.samples';
const seconds = Number(process.argv[2] ?? 60);
const RATE = 50; // jobs per second

const producer = await KafkaSampleProducer.connect({ connection: { brokers, clientId: 'job-runner' }, topic });
const started = Date.now();
const tags = { service: 'job-runner', queue: 'emails' };
let published = 0;
try {
  for (let i = 0; Date.now() - started < seconds * 1000; i++) {
    const elapsed = (Date.now() - started) / 1000;
    const slowdown = elapsed >= 20 ? 1.6 : 1;
    // Job durations: lognormal-ish around 40 ms, with the slowdown from 20 s on.
    const duration = 0.04 * slowdown * Math.exp(0.25 * (Math.random() + Math.random() + Math.random() - 1.5));
    const ts = Date.now() * 1000;
    const samples: Sample[] = [
      { ts, metric: 'job_duration_seconds', value: duration, tags, unit: 's' },
      { ts, metric: 'job_queue_depth', value: 10 + (i % 7), tags, unit: 'jobs' },
    ];
    for (const sample of samples) await producer.publish(sample);
    published += samples.length;
    await sleep(1000 / RATE);
  }
  await producer.flush();
} finally {
  await producer.close();
}
console.log(`published ${published} samples to ${topic}`);
