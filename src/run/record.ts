import { Subject } from 'rxjs';
import type { KafkaConnection } from '../transport/kafka/createKafka.js';
import { RecorderSink } from '../sinks/recorder/recorderSink.js';
import { checkOutputPath } from './checkOutputPath.js';
import { plural } from './describe.js';
import { consumeBatches, leaveGroup, reportingSource } from './kafkaWorkers.js';
import { consumerNote, kafkaStatus } from './kafkaStatus.js';
import type { Terminal } from './terminal.js';

export interface RecordOptions {
  readonly connection: KafkaConnection;
  readonly topic: string;
  readonly groupId: string;
  readonly fromBeginning: boolean;
  /** Directory of the recording and the file name prefix (files `<prefix>-p<partition>-samples-NNNNNN.avro`). */
  readonly dir: string;
  readonly prefix: string;
  readonly maxBytes?: number;
  /**
   * Stop after this long (ms), after this many samples, or once no message has come for `idleMs`
   * while consuming (counted from the first partition assignment; not while joining or the brokers
   * are unreachable).
   */
  readonly durationMs?: number;
  readonly maxSamples?: number;
  readonly idleMs?: number;
  /** How long the brokers may stay unreachable before the recorder gives up. Default 2 min. */
  readonly brokerTimeoutMs?: number;
}

export interface RecordResult {
  readonly samples: number;
  readonly files: readonly string[];
  readonly deadLetters: number;
}

/**
 * `soakstream record`: a consumer-group member that writes the samples of a Kafka topic to Avro
 * recordings, one rotating file series per partition. A partition holds its series in the order
 * they were published, so each file is in event-time order and `soakstream replay` merges the
 * files by time. A batch is acknowledged (its offsets committed) only after its samples are
 * written, so a recorder that dies loses nothing and, restarted with the same group, goes on where
 * it stopped (a batch may then be recorded twice). Undecodable messages go to the dead-letter topic.
 * Broker outages are ridden out up to the broker timeout; past it the files are closed with what
 * they hold and the broker error ends the command. Stopped at any time, even while joining the
 * group, it leaves the group (waiting a bounded time) and closes its files.
 */
export async function runRecorder(
  options: RecordOptions,
  terminal: Terminal,
  stop: Subject<void>,
): Promise<RecordResult> {
  await checkOutputPath(options.dir, { setting: '-o', kind: 'directory', createsDirectories: true });
  const recorders = new Map<number, Promise<RecorderSink>>();
  const recorderOf = (partition: number): Promise<RecorderSink> => {
    let recorder = recorders.get(partition);
    if (recorder === undefined) {
      recorder = RecorderSink.open({
        dir: options.dir,
        prefix: `${options.prefix}-p${partition}`,
        ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
      });
      recorders.set(partition, recorder);
    }
    return recorder;
  };
  let samples = 0;
  terminal.line(
    `soakstream record: ${options.topic} on ${options.connection.brokers.join(',')} (group ${options.groupId}) ` +
      `into ${options.dir}/${options.prefix}-p*-samples-*.avro`,
  );
  const { source, deadLetters } = reportingSource(
    {
      connection: options.connection,
      topic: options.topic,
      groupId: options.groupId,
      fromBeginning: options.fromBeginning,
      ...(options.brokerTimeoutMs !== undefined ? { brokerTimeoutMs: options.brokerTimeoutMs } : {}),
    },
    terminal,
  );
  const group = { groupId: options.groupId, brokers: options.connection.brokers };
  const stopStatus = kafkaStatus(terminal, { durationMs: options.durationMs ?? null, stages: [] }, () => ({
    samples,
    firing: [],
    note: consumerNote(source, group, `${plural(samples, 'sample')} recorded`),
  }));
  // Ctrl-C, --duration and --idle all end the recording the same way.
  const finished = new Subject<void>();
  const finish = (): void => finished.complete();
  const stopping = stop.subscribe({ complete: finish });
  const timers: NodeJS.Timeout[] = [];
  if (options.durationMs !== undefined) timers.push(setTimeout(finish, options.durationMs));
  // Idle time counts only while consuming: from the first assignment, and not while (re)joining
  // the group or while the brokers are unreachable.
  let lastActivity = performance.now();
  const idleMs = options.idleMs;
  if (idleMs !== undefined)
    timers.push(
      setInterval(
        () => {
          const status = source.status();
          const now = performance.now();
          if (status.phase !== 'consuming' || status.unreachableForMs > 0) lastActivity = now;
          else if (now - lastActivity >= idleMs) finish();
        },
        Math.min(500, idleMs),
      ),
    );
  let failure: unknown = null;
  try {
    await consumeBatches(source, finished, async (batch) => {
      lastActivity = performance.now();
      if (batch.samples.length > 0) {
        const recorder = await recorderOf(batch.partition);
        await recorder.write(batch.samples.map((sample) => ({ type: 'sample' as const, sample })));
        // Committed only once they are in the file: a recorder killed now loses nothing committed.
        await recorder.sync();
      }
      samples += batch.samples.length;
      batch.ack();
      return options.maxSamples !== undefined && samples >= options.maxSamples;
    });
  } catch (error) {
    failure = error;
  } finally {
    for (const timer of timers) clearTimeout(timer);
    stopping.unsubscribe();
    stopStatus();
  }
  await leaveGroup(source, options.groupId, terminal);
  const files: string[] = [];
  for (const [, opening] of [...recorders].sort(([a], [b]) => a - b)) {
    try {
      const recorder = await opening;
      await recorder.close();
      files.push(...recorder.sampleFiles);
    } catch (error) {
      failure ??= error;
    }
  }
  terminal.summary(
    `recorded ${plural(samples, 'sample')} from ${options.topic} into ${plural(files.length, 'file')}` +
      `${deadLetters() > 0 ? `; ${plural(deadLetters(), 'dead letter')}` : ''}`,
  );
  for (const file of files) terminal.summary(`  ${file}`);
  if (files.length > 0) terminal.summary(`replay: soakstream replay ${files.join(' ')}`);
  if (failure !== null) throw failure;
  return { samples, files, deadLetters: deadLetters() };
}
