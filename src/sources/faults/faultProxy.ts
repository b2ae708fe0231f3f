import { createServer, connect, type Server, type Socket } from 'node:net';

/** Network faults a {@link FaultProxy} applies to the traffic it forwards; none by default. */
export interface NetworkFaults {
  /** Added delay per chunk in each direction, ms, and its jitter (uniform ± jitter), order kept. */
  readonly latencyMs?: number;
  readonly jitterMs?: number;
  /** Throughput limit per connection and direction, bytes per second. */
  readonly bandwidthBytesPerSecond?: number;
  /** Reset (TCP RST) every open connection and each new one at once. */
  readonly reset?: boolean;
  /** Accept connections, read what is sent and never forward nor answer. */
  readonly blackhole?: boolean;
}

/** Where the proxy listens and what it forwards to. */
export interface FaultProxyOptions {
  readonly targetHost: string;
  readonly targetPort: number;
  /** Listening port; 0 (default) picks a free one. */
  readonly listenPort?: number;
  readonly listenHost?: string;
  /** Random numbers in [0, 1) for jitter (default Math.random). */
  readonly random?: () => number;
}

/** What the proxy has done since it started. */
export interface FaultProxyStats {
  readonly connections: number;
  readonly resets: number;
  readonly blackholed: number;
  readonly bytesForwarded: number;
}

/**
 * One direction of a connection: chunks are written to `to` after the current latency and paced by
 * the bandwidth limit (a chunk waits until the bytes before it have had their time), in the order
 * they came: one queue and one timer per direction. O(1) per chunk.
 */
class Pipe {
  private nextFree = 0;
  private readonly queue: { due: number; chunk: Buffer }[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  private ended = false;

  constructor(
    private readonly to: Socket,
    private readonly proxy: FaultProxy,
  ) {}

  write(chunk: Buffer): void {
    const faults = this.proxy.faults;
    const now = Date.now();
    const latency = Math.max(0, (faults.latencyMs ?? 0) + (faults.jitterMs ?? 0) * (2 * this.proxy.random() - 1));
    const transfer =
      faults.bandwidthBytesPerSecond !== undefined ? (chunk.length / faults.bandwidthBytesPerSecond) * 1000 : 0;
    // Never before the chunk ahead of it: jitter must not reorder a byte stream.
    const start = Math.max(now + latency, this.nextFree);
    this.nextFree = start + transfer;
    this.queue.push({ due: this.nextFree, chunk });
    this.drain();
  }

  end(): void {
    this.ended = true;
    this.drain();
  }

  /** Writes every chunk that is due, then waits for the next one. */
  private drain(): void {
    if (this.timer !== null) return;
    const now = Date.now();
    while (this.head < this.queue.length && (this.queue[this.head] as { due: number }).due <= now) {
      const { chunk } = this.queue[this.head++] as { chunk: Buffer };
      if (!this.to.destroyed) {
        this.proxy.countForwarded(chunk.length);
        this.to.write(chunk);
      }
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      if (this.ended && !this.to.destroyed) this.to.end();
      return;
    }
    const wait = (this.queue[this.head] as { due: number }).due - now;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, wait);
  }

  /** Drops what is queued (the connection is gone). */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
    this.head = 0;
  }
}

/**
 * A TCP proxy in front of a service that injects network faults on the path from clients to it:
 * added latency with jitter, a bandwidth limit, connection resets and a black hole, switched on and
 * off at any time with {@link setFaults} (a fault schedule drives it). Without faults it forwards
 * bytes as they come. Every connection is closed by {@link close}.
 */
export class FaultProxy {
  faults: NetworkFaults = {};
  readonly random: () => number;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  /** Client-side sockets: the ones a reset fault resets. */
  private readonly clients = new Set<Socket>();
  private counts = { connections: 0, resets: 0, blackholed: 0, bytesForwarded: 0 };

  private constructor(private readonly options: FaultProxyOptions) {
    this.random = options.random ?? Math.random;
    this.server = createServer((client) => this.accept(client));
  }

  /** Starts listening; resolves once the port is bound (a port in use rejects, naming it). */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options);
    await new Promise<void>((resolve, reject) => {
      const where = `${options.listenHost ?? '127.0.0.1'}:${options.listenPort ?? 0}`;
      proxy.server.once('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(`fault proxy: cannot listen on ${where}: ${error.code ?? error.message}`)),
      );
      proxy.server.listen(options.listenPort ?? 0, options.listenHost ?? '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  /** The port clients connect to. */
  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  get stats(): FaultProxyStats {
    return { ...this.counts };
  }

  /** Applies faults from now on: a reset resets every open connection at once. */
  setFaults(faults: NetworkFaults): void {
    this.faults = { ...faults };
    if (faults.reset === true) for (const socket of [...this.clients]) this.reset(socket);
  }

  /** @internal Counts bytes written on to either side. */
  countForwarded(bytes: number): void {
    this.counts.bytesForwarded += bytes;
  }

  /** Stops listening and closes every connection. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.clients.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private reset(socket: Socket): void {
    this.counts.resets++;
    socket.resetAndDestroy();
  }

  private accept(client: Socket): void {
    this.counts.connections++;
    this.track(client);
    this.clients.add(client);
    client.on('close', () => this.clients.delete(client));
    if (this.faults.reset === true) {
      this.reset(client);
      return;
    }
    if (this.faults.blackhole === true) {
      this.counts.blackholed++;
      client.resume();
      return;
    }
    const upstream = connect(this.options.targetPort, this.options.targetHost);
    this.track(upstream);
    const toUpstream = new Pipe(upstream, this);
    const toClient = new Pipe(client, this);
    client.on('data', (chunk: Buffer) => (this.faults.blackhole === true ? undefined : toUpstream.write(chunk)));
    upstream.on('data', (chunk: Buffer) => (this.faults.blackhole === true ? undefined : toClient.write(chunk)));
    client.on('end', () => toUpstream.end());
    upstream.on('end', () => toClient.end());
    // A side that fails or closes takes the other with it.
    client.on('close', () => {
      toUpstream.cancel();
      upstream.destroy();
    });
    // The service closing after its answer: the answer still goes out, after its delay.
    upstream.on('close', (hadError) => {
      if (!hadError) return;
      toClient.cancel();
      client.destroy();
    });
  }
}
