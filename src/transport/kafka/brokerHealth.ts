import type { Socket } from 'node:net';
import { BrokerError } from '../../model/errors.js';

/** How long Kafka brokers may stay unreachable before a command gives up, by default: 2 minutes. */
export const DEFAULT_BROKER_TIMEOUT_MS = 120_000;

/** How long a client may take at start to hear from a broker before the brokers count as unreachable: 5 s. */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * What one Kafka client has seen of its brokers, from its sockets: every answer means they are
 * reachable; a refused, failed or timed-out connection or request starts an outage, which the next
 * answer ends. Commands read it for their live status and their deadlines. It also holds the
 * client's open sockets, so a client that will not let go (a request the broker never answers)
 * can be cut off. O(1) per event.
 */
export class BrokerHealth {
  private answered = false;
  private outageSince: number | null = null;
  private lastFailure: string | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly brokers: readonly string[],
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A broker sent bytes: the brokers are reachable. */
  answer(): void {
    this.answered = true;
    this.outageSince = null;
  }

  /** A connection or request failed; `reason` says how, e.g. "connect ECONNREFUSED". */
  failure(reason: string): void {
    this.lastFailure = reason;
    this.outageSince ??= this.now();
  }

  /** Holds a socket of the client until it closes. */
  adopt(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  /** Destroys the client's open sockets: its pending requests fail at once. */
  cutConnections(): void {
    // With an error, so kafkajs fails the socket's pending requests instead of waiting for them to time out.
    for (const socket of this.sockets) socket.destroy(new Error('connection closed by soakstream'));
    this.sockets.clear();
  }

  /** Whether any broker has answered since the client started. */
  get reached(): boolean {
    return this.answered;
  }

  /** How long (ms) the brokers have been unreachable: 0 while they answer. */
  unreachableForMs(): number {
    return this.outageSince === null ? 0 : this.now() - this.outageSince;
  }

  /** The last failure, e.g. "connect ECONNREFUSED", or null. */
  get reason(): string | null {
    return this.lastFailure;
  }

  /**
   * The one-line error of brokers that cannot be reached, naming them and the last failure:
   * "cannot reach Kafka brokers 127.0.0.1:1 (connect ECONNREFUSED)", then `detail` if given.
   */
  unreachable(detail = '', cause?: unknown): BrokerError {
    return new BrokerError(
      `cannot reach Kafka brokers ${this.brokers.join(',')} (${this.lastFailure ?? 'no answer'})${detail}`,
      { retriable: true, context: { brokers: this.brokers.join(',') }, cause },
    );
  }

  /**
   * The error a failed Kafka operation ends a command with: {@link unreachable} when the brokers
   * are unreachable (or were never reached), otherwise kafkajs' message after `what` and the brokers.
   */
  errorOf(error: unknown, what: string): BrokerError {
    if (error instanceof BrokerError) return error;
    if (this.outageSince !== null || !this.answered) return this.unreachable('', error);
    const message = error instanceof Error ? error.message : String(error);
    return new BrokerError(`${what} (Kafka brokers ${this.brokers.join(',')}): ${message}`, {
      context: { brokers: this.brokers.join(',') },
      cause: error,
    });
  }

  /**
   * Runs a client's `connect`, failing with {@link unreachable} if no broker answers within
   * `timeoutMs` (then `abandon` is called) or the connection fails.
   */
  async connect(connect: () => Promise<void>, abandon: () => Promise<void>, timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const connecting = connect();
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        this.lastFailure ??= `no answer in ${formatSeconds(timeoutMs)}`;
        reject(this.unreachable());
      }, timeoutMs);
    });
    try {
      await Promise.race([connecting, timedOut]);
    } catch (error) {
      // kafkajs may still be retrying: its later failure is this one.
      connecting.catch(() => undefined);
      await abandon().catch(() => undefined);
      throw this.errorOf(error, 'cannot connect');
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Whether a kafkajs error may pass once the brokers are back (the rule kafkajs restarts consumers by). */
export function isRetriableKafkaError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'KafkaJSNumberOfRetriesExceeded') return true;
  let root: Error = error;
  while (root.cause instanceof Error) root = root.cause;
  return (root as { retriable?: unknown }).retriable === true || (error as { retriable?: unknown }).retriable === true;
}

/** "12 s", "2 min", "2 min 30 s". */
export function formatSeconds(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
}
