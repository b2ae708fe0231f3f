import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SinkError } from '../../src/model/errors.js';
import { Delivery } from '../../src/run/delivery.js';
import { InfluxSink } from '../../src/sinks/influx/influxSink.js';
import { MEASUREMENT } from '../../src/sinks/influx/schema.js';
import type { Sink, SinkRecord } from '../../src/sinks/sink.js';
import { influxdSkipReason, startInfluxd, type InfluxServer } from '../support/influxd.js';

const T0 = 1_767_225_600_000_000;
const stat = (i: number): SinkRecord => ({
  type: 'stat',
  stat: {
    ts: T0 + i * 1_000_000,
    windowStart: T0,
    series: 'lat',
    metric: 'lat',
    tags: {},
    metricKind: 'other',
    n: i + 1,
    min: 1,
    max: 2,
    mean: 1.5,
    stdev: 0.5,
    median: 1.5,
    mad: 0.5,
    p50: 1.5,
    p90: 2,
    p95: 2,
    p99: 2,
  },
});

/** An in-memory sink that keeps what it is given, or fails from the `failAt`-th write on. */
class ListSink implements Sink {
  readonly written: SinkRecord[][] = [];
  closed = false;
  constructor(
    readonly name: string,
    private readonly failAt = Infinity,
  ) {}
  write(records: readonly SinkRecord[]): Promise<void> {
    if (this.written.length + 1 >= this.failAt) return Promise.reject(new SinkError(`${this.name} refused`));
    this.written.push([...records]);
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

describe('Delivery', () => {
  it('writes batches of batchSize to every sink, in order, and flush covers the rest', async () => {
    const a = new ListSink('a');
    const b = new ListSink('b');
    const delivery = new Delivery([a, b], { batchSize: 3, lingerMs: 60_000 });
    for (let i = 0; i < 7; i++) delivery.push(stat(i));
    await delivery.flush();
    for (const sink of [a, b]) {
      const writes = sink.written.map((batch) => batch.map((r) => (r.type === 'stat' ? r.stat.n : 0)));
      // The first batch is written as it fills; what queued behind it may go in one write.
      expect(writes[0]).toEqual([1, 2, 3]);
      expect(writes.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    }
    expect(delivery.pending).toBe(0);
  });

  it('a sink that fell behind gets what queued meanwhile in one write', async () => {
    const stalled = new StalledSink();
    const delivery = new Delivery([stalled], { batchSize: 10 });
    for (let i = 0; i < 50; i++) delivery.push(stat(i));
    // One write of 10 is in progress; four batches queue behind it.
    stalled.release(2);
    await delivery.flush();
    expect(stalled.writes).toEqual([10, 40]);
    await delivery.close();
  });

  it('a sink failure rejects that flush and every later one, and close still closes every sink', async () => {
    const good = new ListSink('good');
    const bad = new ListSink('bad', 2);
    const delivery = new Delivery([good, bad], { batchSize: 100 });
    delivery.push(stat(0));
    await delivery.flush();
    delivery.push(stat(1));
    await expect(delivery.flush()).rejects.toThrow('bad refused');
    delivery.push(stat(2));
    await expect(delivery.flush()).rejects.toThrow('bad refused');
    // The failed sink holds back nothing: the good one stores on; the bad one is given nothing more.
    expect(good.written).toHaveLength(3);
    expect(bad.written).toHaveLength(1);
    await expect(delivery.close()).rejects.toThrow(/^bad refused; 2 records not stored$/);
    expect(good.closed && bad.closed).toBe(true);
    expect(delivery.statuses().map((s) => [s.name, s.stored, s.lost])).toEqual([
      ['good', 3, 0],
      ['bad', 1, 2],
    ]);
  });

  it('a stalled sink holds back neither the others nor the source beyond its queue bound', async () => {
    const good = new ListSink('good');
    const stalled = new StalledSink();
    const delivery = new Delivery([good, stalled], { batchSize: 10, maxQueued: 100 });
    for (let i = 0; i < 100; i++) delivery.push(stat(i));
    expect(delivery.ready()).toBeUndefined();
    for (let i = 100; i < 150; i++) delivery.push(stat(i));
    const waiting = delivery.ready();
    expect(waiting).toBeInstanceOf(Promise);
    // The good sink has every batch although the other one has not stored its first.
    await new Promise((resolve) => setImmediate(resolve));
    expect(good.written.flat()).toHaveLength(150);
    expect(delivery.statuses().map((s) => s.queued)).toEqual([0, 150]);
    let resumed = false;
    void waiting?.then(() => (resumed = true));
    // The first write (10) done, the rest (140) goes in one write: still above half the bound.
    stalled.release(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(resumed).toBe(false);
    expect(delivery.statuses()[1]?.queued).toBe(140);
    // Room again once the queue is at or below half the bound.
    stalled.release(1);
    await waiting;
    expect(delivery.statuses()[1]?.queued).toBe(0);
    await delivery.close();
    expect(stalled.stored).toBe(150);
  });

  it('close gives a stalled sink the grace period, then gives up its queue and says what was lost', async () => {
    const good = new ListSink('good');
    const stalled = new StalledSink();
    const delivery = new Delivery([good, stalled], { batchSize: 10 });
    for (let i = 0; i < 25; i++) delivery.push(stat(i));
    const announced: string[] = [];
    const closing = delivery.close({
      graceMs: 1500,
      onWait: (waiting, grace) => announced.push(`${waiting.map((w) => `${w.name} ${w.queued}`).join()} ${grace}`),
    });
    await expect(closing).rejects.toThrow(
      /^stalled: could not store its queue within the 1.5 s grace period; 25 records not stored$/,
    );
    expect(announced).toEqual(['stalled 25 1500']);
    expect(stalled.aborted).toBe(true);
    expect(good.written.flat()).toHaveLength(25);
    expect(good.closed && stalled.closed).toBe(true);
  });
});

/** A sink whose writes wait until released (batch by batch), and that stops waiting when aborted. */
class StalledSink implements Sink {
  readonly name = 'stalled';
  stored = 0;
  /** Records per write, in order. */
  readonly writes: number[] = [];
  closed = false;
  aborted = false;
  private budget = 0;
  private waiting: (() => void)[] = [];
  write(records: readonly SinkRecord[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const attempt = (): void => {
        if (this.aborted) reject(new SinkError('stalled: aborted'));
        else if (this.budget > 0) {
          this.budget--;
          this.stored += records.length;
          this.writes.push(records.length);
          resolve();
        } else this.waiting.push(attempt);
      };
      attempt();
    });
  }
  /** Lets `batches` more writes through. */
  release(batches: number): void {
    this.budget += batches;
    const waiting = this.waiting;
    this.waiting = [];
    for (const attempt of waiting) attempt();
  }
  abort(): void {
    this.aborted = true;
    this.release(0);
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

const skipReason = influxdSkipReason();
if (skipReason !== null) console.log(`skipping Delivery into InfluxDB: ${skipReason}`);

describe.skipIf(skipReason !== null)('Delivery into InfluxSink (real influxd)', () => {
  let influx: InfluxServer;
  beforeAll(async () => {
    influx = await startInfluxd();
    await influx.createDatabase('delivery');
  }, 30_000);
  afterAll(async () => {
    await influx?.stop();
  });

  it('flush resolves once InfluxDB has the points: Delivery batches, the sink sends each batch at once', async () => {
    // A request size far larger than the batches: the sink never waits to fill one.
    const sink = new InfluxSink({ url: influx.url, bucket: 'delivery', batchSize: 50_000 });
    const delivery = new Delivery([sink], { batchSize: 10 });
    for (let i = 0; i < 25; i++) delivery.push(stat(i));
    await delivery.flush();
    const rows =
      (await influx.query(`SELECT n FROM "${MEASUREMENT.stats}"`, 'delivery')).results[0]?.series?.[0]?.values ?? [];
    expect(rows).toHaveLength(25);
    await delivery.close();
  });
});
