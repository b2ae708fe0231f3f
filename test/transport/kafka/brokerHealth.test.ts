import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { BrokerError } from '../../../src/model/errors.js';
import { exitCodeOf } from '../../../src/run/exitCodes.js';
import { BrokerHealth, formatSeconds, isRetriableKafkaError } from '../../../src/transport/kafka/brokerHealth.js';

describe('BrokerHealth', () => {
  it('an outage starts at the first failure and ends at the next answer', () => {
    let now = 1000;
    const health = new BrokerHealth(['a:9092', 'b:9092'], () => now);
    expect(health.unreachableForMs()).toBe(0);
    health.failure('connect ECONNREFUSED');
    now += 4000;
    health.failure('connect ECONNREFUSED');
    now += 8000;
    expect(health.unreachableForMs()).toBe(12_000);
    expect(health.reached).toBe(false);
    health.answer();
    expect(health.unreachableForMs()).toBe(0);
    expect(health.reached).toBe(true);
  });

  it('names the brokers and the last failure in one line, a BrokerError (exit 3)', () => {
    const health = new BrokerHealth(['127.0.0.1:1']);
    health.failure('connect ECONNREFUSED');
    const error = health.unreachable();
    expect(error).toBeInstanceOf(BrokerError);
    expect(error.message).toBe('cannot reach Kafka brokers 127.0.0.1:1 (connect ECONNREFUSED)');
    expect(exitCodeOf(error)).toBe(3);
  });

  it('a refusal by brokers that answer is told apart from unreachable brokers', () => {
    const health = new BrokerHealth(['k:9092']);
    health.answer();
    const refused = health.errorOf(new Error('Topic authorization failed'), 'cannot publish to soak');
    expect(refused.message).toBe('cannot publish to soak (Kafka brokers k:9092): Topic authorization failed');
    health.failure('read ECONNRESET');
    expect(health.errorOf(new Error('Connection error'), 'cannot publish to soak').message).toBe(
      'cannot reach Kafka brokers k:9092 (read ECONNRESET)',
    );
  });

  it('connect fails with the unreachable error when no broker answers in time, and abandons the client', async () => {
    const health = new BrokerHealth(['k:9092']);
    let abandoned = false;
    const connecting = health.connect(
      () => new Promise<void>(() => undefined),
      async () => {
        abandoned = true;
      },
      20,
    );
    await expect(connecting).rejects.toThrow('cannot reach Kafka brokers k:9092 (no answer in 0 s)');
    expect(abandoned).toBe(true);
  });
});

describe('isRetriableKafkaError', () => {
  it('follows kafkajs: connection errors and exhausted retries of them may pass once the brokers are back', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED');
    expect(isRetriableKafkaError(refused)).toBe(true);
    expect(isRetriableKafkaError(new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 5, retryTime: 2000 }))).toBe(
      true,
    );
    expect(isRetriableKafkaError(new KafkaJSNonRetriableError('Topic authorization failed'))).toBe(false);
    expect(isRetriableKafkaError(new TypeError('bug'))).toBe(false);
  });
});

describe('formatSeconds', () => {
  it('says durations in seconds, then minutes and seconds', () => {
    expect(formatSeconds(12_400)).toBe('12 s');
    expect(formatSeconds(120_000)).toBe('2 min');
    expect(formatSeconds(150_000)).toBe('2 min 30 s');
  });
});
