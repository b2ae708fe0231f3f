// Transports (in memory, Kafka) that carry samples with backpressure; the retry module; Serial.
export { MemoryTransport } from './memoryTransport.js';
export type { MemoryTransportOptions } from './memoryTransport.js';
export { Backoff, RetriesExhausted, retry } from './retry.js';
export type { RetryOptions } from './retry.js';
export { Serial } from './serial.js';
export { createKafka } from './kafka/createKafka.js';
export type { KafkaConnection } from './kafka/createKafka.js';
export { KafkaSampleProducer } from './kafka/kafkaSampleProducer.js';
export type { KafkaSampleProducerOptions } from './kafka/kafkaSampleProducer.js';
export { kafkaSampleSource } from './kafka/kafkaSampleSource.js';
export type { KafkaBatch, DeadLetter, KafkaSampleSourceOptions, KafkaSampleSource } from './kafka/kafkaSampleSource.js';
