import type { Consumer, KafkaMessage, Producer } from 'kafkajs';
import { Observable } from 'rxjs';
import { SoakstreamError } from '../../model/errors.js';
import type { Sample, Tags } from '../../model/sample.js';
import { sameTags } from '../../model/tagsInterner.js';
import { decodeSamples } from '../../model/sampleCodec.js';
import { BrokerHealth, CONNECT_TIMEOUT_MS, DEFAULT_BROKER_TIMEOUT_MS, formatSeconds } from './brokerHealth.js';
import { createKafka, type KafkaConnection } from './createKafka.js';

/** Samples of one fetched batch of one partition; call `ack()` once every sink holds them. */
export interface KafkaBatch {
  readonly topic: string;
  readonly partition: number;
  readonly firstOffset: string;
  readonly lastOffset: string;
  readonly samples: readonly Sample[];
  ack(): void;
}

/** A message that could not be decoded, as sent to the dead-letter topic. */
export interface DeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly reason: string;
}

/** Options of {@link kafkaSampleSource}. */
export interface KafkaSampleSourceOptions {
  readonly connection: KafkaConnection;
  readonly topic: string;
  readonly groupId: string;
  /** Where undecodable or invalid messages go. Default `<topic>.dead-letter`. */
  readonly deadLetterTopic?: string;
  /** A new group starts at the earliest offset (default) or only sees new messages. */
  readonly fromBeginning?: boolean;
  readonly onDeadLetter?: (letter: DeadLetter) => void;
  /** Told the partitions of the topic this member was given, at every (re)join of the group. */
  readonly onAssignment?: (partitions: readonly number[]) => void;
  /** How long a silent worker keeps its partitions before the group moves them. Default 30,000 ms. */
  readonly sessionTimeoutMs?: number;
  /** How long the brokers may stay unreachable before the stream fails with a BrokerError. Default 2 min. */
  readonly brokerTimeoutMs?: number;
  /** How long the first connection may take before the stream fails with a BrokerError. Default 5 s. */
  readonly connectTimeoutMs?: number;
  /** How long a stopped consumer may take to leave the group before its connections are cut. Default 5 s. */
  readonly leaveTimeoutMs?: number;
}

/** Where a consumer source stands: connecting, joining its group (again), or consuming its partitions. */
export interface KafkaSourceStatus {
  readonly phase: 'connecting' | 'joining' | 'consuming';
  /** performance.now() of the first assignment, or null before it. */
  readonly firstJoinAt: number | null;
  /** Partitions of the last assignment. */
  readonly partitions: readonly number[];
  /** How long (ms) the brokers have been unreachable, 0 while they answer; and the last failure. */
  readonly unreachableForMs: number;
  readonly reason: string | null;
}

/** The consumer source and its flow control. */
export interface KafkaSampleSource {
  readonly batches: Observable<KafkaBatch>;
  /** Stops fetching (kafkajs pause) until `resume`: backpressure beyond the bound on unacknowledged samples. */
  pause(): void;
  resume(): void;
  /** The current subscription's state (O(1)); `connecting` before any. */
  status(): KafkaSourceStatus;
  /**
   * Resolves once the last subscription's consumer has stopped (after unsubscribing), whatever it
   * was doing: connecting, joining or consuming. True when it left the group within
   * `leaveTimeoutMs`; false when its connections had to be cut then (a broker that does not answer).
   */
  disconnected(): Promise<boolean>;
}

const HEARTBEAT_MS = 3000;
/** Series whose tags objects are shared at once; beyond it the table starts afresh. */
const MAX_INTERNED = 100_000;
/** How often the broker timeout is checked. */
const WATCH_MS = 1000;
/**
 * Samples handed on and not yet acknowledged past which no more batches are fetched: downstream
 * (a sink write, a file) acknowledges many batches at once while kafkajs fetches on.
 */
const MAX_UNACKED = 50_000;
/** How soon a commit that failed (an outage, a rebalance) is tried again. */
const COMMIT_RETRY_MS = 1_000;
/** Default of {@link KafkaSampleSourceOptions.leaveTimeoutMs}. */
const LEAVE_TIMEOUT_MS = 5_000;

const NOT_STARTED: KafkaSourceStatus = {
  phase: 'connecting',
  firstJoinAt: null,
  partitions: [],
  unreachableForMs: 0,
  reason: null,
};

/**
 * Consumes samples from a Kafka topic as a consumer-group member (scale out by adding members:
 * every series is keyed to one partition, so its state lives in one worker). Messages are Avro
 * single-object encoded samples or sample batches. Delivery is **at-least-once**: a batch's
 * offset is committed only after its `ack()` (and those of the partition's earlier batches), the
 * acknowledged offsets of all partitions in one request. Fetching goes on meanwhile until 50,000
 * samples wait for their ack, so a sink acknowledges many batches with one write; a worker that
 * stops commits what was acknowledged and leaves the rest to be delivered again.
 * Undecodable or invalid messages go to the dead-letter topic with the reason and their origin in
 * headers (`soakstream-error`, `soakstream-source`), are counted via `onDeadLetter`, and the
 * stream goes on. A broker outage is ridden out: kafkajs restarts the consumer, which rejoins the
 * group and goes on from the last committed offset, and messages this subscription already handed
 * on are not handed on again. The stream fails with a BrokerError naming the brokers when none
 * answers within `connectTimeoutMs` at start, when they stay unreachable past `brokerTimeoutMs`,
 * or on a fault no restart can help. Unsubscribing disconnects, also mid-join; `disconnected()`
 * says when that is done.
 */
export function kafkaSampleSource(options: KafkaSampleSourceOptions): KafkaSampleSource {
  const deadLetterTopic = options.deadLetterTopic ?? `${options.topic}.dead-letter`;
  const brokerTimeoutMs = options.brokerTimeoutMs ?? DEFAULT_BROKER_TIMEOUT_MS;
  const who = `consumer of ${options.topic} (group ${options.groupId})`;
  let consumer: Consumer | null = null;
  let status: () => KafkaSourceStatus = () => NOT_STARTED;
  let leaving: Promise<boolean> = Promise.resolve(true);
  const batches = new Observable<KafkaBatch>((subscriber) => {
    const health = new BrokerHealth(options.connection.brokers);
    const kafka = createKafka(options.connection, health);
    const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
    let stopped = false;
    const own = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout,
      rebalanceTimeout: sessionTimeout,
      heartbeatInterval: Math.min(HEARTBEAT_MS, Math.floor(sessionTimeout / 3)),
      // kafkajs restarts a consumer after a retriable crash (an outage), but never one that was stopped.
      retry: { retries: 5, restartOnFailure: async () => !stopped },
    });
    const producer: Producer = kafka.producer();
    let phase: KafkaSourceStatus['phase'] = 'connecting';
    let firstJoinAt: number | null = null;
    let partitions: readonly number[] = [];
    status = () => ({
      phase,
      firstJoinAt,
      partitions,
      unreachableForMs: health.unreachableForMs(),
      reason: health.reason,
    });
    const fail = (error: unknown): void => {
      if (!stopped) subscriber.error(error);
    };
    // Decoding gives every sample its own tags object; one per series (by message key, checked
    // equal) lets the per-tags caches downstream (series keys, scaling groups) hit.
    const tagsByKey = new Map<string, Tags>();
    const internTags = (key: string, sample: Sample): Sample => {
      const known = tagsByKey.get(key);
      if (known !== undefined && sameTags(known, sample.tags)) return { ...sample, tags: known };
      if (tagsByKey.size >= MAX_INTERNED) tagsByKey.clear();
      tagsByKey.set(key, sample.tags);
      return sample;
    };
    // After a restart kafkajs fetches again from the last committed offset. What this subscription
    // already handed on (per partition: the last offset, and that batch's acknowledgement) is skipped,
    // so the samples downstream holds are not counted twice; its commit waits for that acknowledgement.
    const delivered = new Map<number, { offset: bigint; acknowledged: Promise<void> }>();
    // Batches handed on and not yet acknowledged, in samples: past MAX_UNACKED no more are fetched.
    let unacked = 0;
    const acknowledgements = new Set<Promise<void>>();
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    // Offsets acknowledged and not yet committed, per partition; committed together, one request at a time.
    const toCommit = new Map<number, bigint>();
    let committing: Promise<void> | null = null;
    let commitRetry: NodeJS.Timeout | undefined;
    const commitAcknowledged = (): Promise<void> =>
      (committing ??= (async () => {
        while (toCommit.size > 0) {
          const offsets = [...toCommit].map(([partition, offset]) => ({
            topic: options.topic,
            partition,
            offset: offset.toString(),
          }));
          toCommit.clear();
          try {
            await own.commitOffsets(offsets);
          } catch {
            // An outage or a rebalance: commit again in a moment, with the next acknowledgement or on
            // leaving; offsets of partitions this member no longer has are dropped at the next join.
            for (const { partition, offset } of offsets)
              if (!toCommit.has(partition)) toCommit.set(partition, BigInt(offset));
            clearTimeout(commitRetry);
            commitRetry = setTimeout(() => void (stopped ? undefined : commitAcknowledged()), COMMIT_RETRY_MS);
            break;
          }
        }
      })().finally(() => (committing = null)));
    consumer = own;

    const watchdog = setInterval(() => {
      const outage = health.unreachableForMs();
      if (outage > brokerTimeoutMs)
        fail(
          health.unreachable(
            ` for ${formatSeconds(outage)}, past the broker timeout of ${formatSeconds(brokerTimeoutMs)}; ` +
              `the ${who} gave up`,
          ),
        );
    }, WATCH_MS);

    const deadLetter = async (message: KafkaMessage, partition: number, error: unknown): Promise<void> => {
      const reason =
        error instanceof SoakstreamError
          ? `${error.code}: ${error.message}`
          : String((error as Error).message ?? error);
      await producer.send({
        topic: deadLetterTopic,
        messages: [
          {
            key: message.key,
            value: message.value,
            headers: {
              'soakstream-error': reason,
              'soakstream-source': `${options.topic}/${partition}/${message.offset}`,
            },
          },
        ],
      });
      options.onDeadLetter?.({ topic: options.topic, partition, offset: message.offset, reason });
    };

    const start = async (): Promise<void> => {
      await health.connect(
        async () => {
          await Promise.all([own.connect(), producer.connect()]);
        },
        async () => undefined,
        options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      );
      if (stopped) return;
      phase = 'joining';
      await own.subscribe({ topic: options.topic, fromBeginning: options.fromBeginning ?? true });
      if (stopped) return;
      own.on(own.events.GROUP_JOIN, (event) => {
        phase = 'consuming';
        firstJoinAt ??= performance.now();
        partitions = event.payload.memberAssignment[options.topic] ?? [];
        for (const partition of toCommit.keys()) if (!partitions.includes(partition)) toCommit.delete(partition);
        // A join that completes after the stream stopped: leave the group at once.
        if (stopped) void own.disconnect().catch(() => undefined);
        else options.onAssignment?.(partitions);
      });
      own.on(own.events.REBALANCING, () => {
        phase = 'joining';
      });
      own.on(own.events.REQUEST_TIMEOUT, () => health.failure('request timed out'));
      own.on(own.events.CRASH, (event) => {
        // With restart, kafkajs rejoins the group by itself (a retriable fault); only a final crash ends the stream.
        if (event.payload.restart) phase = 'joining';
        else fail(health.errorOf(event.payload.error, `the ${who} crashed`));
      });
      await own.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          const samples: Sample[] = [];
          const before = delivered.get(batch.partition);
          for (const message of batch.messages) {
            if (message.value === null) continue;
            if (before !== undefined && BigInt(message.offset) <= before.offset) continue;
            try {
              const key = message.key === null ? null : message.key.toString();
              for (const sample of decodeSamples(message.value))
                samples.push(key === null ? sample : internTags(key, sample));
            } catch (error) {
              await deadLetter(message, batch.partition, error);
            }
          }
          if (!isRunning() || isStale() || stopped) return;
          const last = BigInt(batch.lastOffset());
          // Committable once this batch and what this partition handed on before it are acknowledged.
          let committable = before?.acknowledged ?? Promise.resolve();
          if (samples.length > 0) {
            let acknowledge: () => void = () => undefined;
            const acknowledged = new Promise<void>((resolve) => (acknowledge = resolve));
            committable = before === undefined ? acknowledged : Promise.all([before.acknowledged, acknowledged]).then();
            delivered.set(batch.partition, { offset: last, acknowledged: committable });
            unacked += samples.length;
            const waiting = acknowledged.then(() => {
              unacked -= samples.length;
              acknowledgements.delete(waiting);
            });
            acknowledgements.add(waiting);
            subscriber.next({
              topic: batch.topic,
              partition: batch.partition,
              firstOffset: batch.firstOffset() ?? batch.lastOffset(),
              lastOffset: batch.lastOffset(),
              samples,
              ack: acknowledge,
            });
          }
          void committable.then(() => {
            if (stopped || !partitions.includes(batch.partition)) return;
            if ((toCommit.get(batch.partition) ?? -1n) < last + 1n) toCommit.set(batch.partition, last + 1n);
            void commitAcknowledged();
          });
          // kafkajs fetches on from here; the offset is committed once downstream has the batch.
          resolveOffset(batch.lastOffset());
          if (unacked <= MAX_UNACKED) return;
          // Downstream is behind: keep the group membership alive while it catches up.
          const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_MS);
          try {
            while (unacked > MAX_UNACKED && !stopped) await Promise.race([...acknowledgements, released]);
          } finally {
            clearInterval(beat);
          }
        },
      });
    };
    const started = start().catch((error: unknown) => fail(health.errorOf(error, `the ${who} failed`)));

    return () => {
      stopped = true;
      consumer = null;
      clearInterval(watchdog);
      release();
      clearTimeout(commitRetry);
      // What was acknowledged by now is committed before leaving; batches still unacknowledged are
      // delivered again to the next member.
      const disconnect = (): Promise<unknown> =>
        Promise.all([
          commitAcknowledged()
            .catch(() => undefined)
            .then(() => own.disconnect())
            .catch(() => undefined),
          producer.disconnect().catch(() => undefined),
        ]);
      // A consumer stopped while connecting or joining finishes that first (kafkajs goes on with
      // it): disconnect again once it has. A broker that holds a request (a slow join) is cut off.
      let timer: NodeJS.Timeout | undefined;
      const cut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), options.leaveTimeoutMs ?? LEAVE_TIMEOUT_MS);
      });
      const left = disconnect()
        .then(() => started)
        .then(disconnect)
        .then(() => true);
      leaving = Promise.race([left, cut]).then((clean) => {
        clearTimeout(timer);
        if (!clean) health.cutConnections();
        return clean;
      });
    };
  });
  return {
    batches,
    pause: () => consumer?.pause([{ topic: options.topic }]),
    resume: () => consumer?.resume([{ topic: options.topic }]),
    status: () => status(),
    disconnected: () => leaving,
  };
}
