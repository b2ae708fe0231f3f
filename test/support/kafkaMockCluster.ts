import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';

const SOURCE = new URL('./kafka/mockCluster.c', import.meta.url).pathname;
const BUILD_DIR = new URL('./kafka/.build/', import.meta.url).pathname;
const BINARY = `${BUILD_DIR}mock-cluster`;

/** A running librdkafka mock cluster: Kafka protocol on 127.0.0.1 ports (see kafka/mockCluster.c). */
export interface KafkaMockCluster {
  readonly brokers: string[];
  createTopic(name: string, partitions: number): Promise<void>;
  brokerDown(id: number): Promise<void>;
  brokerUp(id: number): Promise<void>;
  /** Answers broker `id`'s next request of Kafka API `apiKey` `ms` late (a slow group join, say). */
  delayRequest(id: number, apiKey: number, ms: number): Promise<void>;
  stop(): Promise<void>;
}

/** Kafka API keys the fault tests use (Kafka protocol guide). */
export const KafkaApi = { JoinGroup: 11 } as const;

/** True when the helper can be built here: librdkafka's mock header and gcc are installed. */
export function kafkaMockAvailable(): boolean {
  if (!existsSync('/usr/include/librdkafka/rdkafka_mock.h')) return false;
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Why Kafka integration tests skip, in one line, or null when they can run. */
export function kafkaMockSkipReason(): string | null {
  return kafkaMockAvailable()
    ? null
    : 'librdkafka-dev (rdkafka_mock.h) and gcc are needed for the Kafka mock cluster: ' +
        'apt-get install -y librdkafka-dev gcc';
}

function build(): void {
  if (existsSync(BINARY) && statSync(BINARY).mtimeMs >= statSync(SOURCE).mtimeMs) return;
  mkdirSync(BUILD_DIR, { recursive: true });
  // Test files run in parallel workers and may build at once: each compiles to a file of its
  // own and renames it into place (atomic), so none starts a half-written binary.
  const partial = `${BINARY}.${process.pid}.tmp`;
  execFileSync('gcc', ['-O2', '-o', partial, SOURCE, '-lrdkafka'], { stdio: 'inherit' });
  renameSync(partial, BINARY);
}

/** Builds (once) and starts a mock cluster with `brokers` brokers; stop() ends it. */
export async function startKafkaMockCluster(brokers = 1): Promise<KafkaMockCluster> {
  build();
  const child: ChildProcess = spawn(BINARY, [String(brokers)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: Interface = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const queue: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  lines.on('line', (line) => {
    const waiter = waiters.shift();
    if (waiter !== undefined) waiter(line);
    else queue.push(line);
  });
  const nextLine = (): Promise<string> =>
    new Promise((resolve) => (queue.length > 0 ? resolve(queue.shift() as string) : waiters.push(resolve)));
  const command = async (text: string): Promise<void> => {
    (child.stdin as NodeJS.WritableStream).write(`${text}\n`);
    const answer = await nextLine();
    if (answer !== 'ok') throw new Error(`mock cluster: "${text}" failed: ${answer}`);
  };
  const bootstrap = await nextLine();
  return {
    brokers: bootstrap.split(','),
    createTopic: (name, partitions) => command(`topic ${name} ${partitions}`),
    brokerDown: (id) => command(`down ${id}`),
    brokerUp: (id) => command(`up ${id}`),
    delayRequest: (id, apiKey, ms) => command(`delay ${id} ${apiKey} ${ms}`),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      (child.stdin as NodeJS.WritableStream).end();
      await exited;
    },
  };
}
