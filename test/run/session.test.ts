import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/model/sample.js';
import { defaultRuleSet } from '../../src/rules/defaultRules.js';
import type { RuleSet } from '../../src/rules/rule.js';
import { analyzeAll, Session } from '../../src/run/session.js';
import type { Sink, SinkRecord } from '../../src/sinks/sink.js';
import { sample } from '../support/sample.js';

/** A sink that keeps what it is given, and can be told to fail or to hold its writes. */
class MemorySink implements Sink {
  readonly name = 'memory';
  readonly records: SinkRecord[] = [];
  closed = 0;
  fail: Error | null = null;
  hold: Promise<void> | null = null;

  async write(records: readonly SinkRecord[]): Promise<void> {
    if (this.hold !== null) await this.hold;
    if (this.fail !== null) throw this.fail;
    this.records.push(...records);
  }

  close(): Promise<void> {
    this.closed++;
    return Promise.resolve();
  }
}

// One stat per sample and a threshold rule that fires at once on values above 10.
const rules: RuleSet = {
  ...defaultRuleSet(),
  rules: [
    {
      name: 'high',
      match: {},
      detector: { type: 'threshold', stat: 'max', above: 10 },
      severity: 'warning',
      for: 0,
      keepFiringFor: 0,
      alert: true,
    },
  ],
  stats: { window: { count: 1 }, hop: { count: 1 } },
  allowedLateness: 0,
};

const values = (...xs: number[]): Sample[] => xs.map((x, i) => sample(i * 1_000_000, x, 'queue_depth'));

describe('Session', () => {
  it('hands each sample and then its events to the sinks, and keeps the alerts for the summary', async () => {
    const sink = new MemorySink();
    const shown: string[] = [];
    // A live session (a wall clock): each sample is analysed as it comes, none held to anchor event time.
    const now = (): number => Date.now() * 1000;
    const session = new Session({ rules, sinks: [sink], onAlert: (alert) => shown.push(alert.state), now });
    // Resolved after three clear evaluations in a row (hysteresis).
    for (const s of values(1, 20, 30, 2, 3, 4)) session.push(s);
    await session.flush();
    expect(sink.records.map((r) => (r.type === 'alert' ? `alert:${r.alert.state}` : r.type))).toEqual([
      'sample',
      'stat',
      'sample',
      'stat',
      'alert:firing',
      'sample',
      'stat',
      'sample',
      'stat',
      'sample',
      'stat',
      'sample',
      'stat',
      'alert:resolved',
    ]);
    expect(shown).toEqual(['firing', 'resolved']);
    const summary = await session.close();
    expect(summary).toMatchObject({ samples: 6, first: 0, last: 5_000_000, series: 1, notAnalysed: {} });
    expect(summary.fired.map((alert) => alert.rule)).toEqual(['high']);
    expect(summary.firingAtEnd).toEqual([]);
    expect(sink.closed).toBe(1);
  });

  it('analyses without sinks, and ends the analysis when closed', async () => {
    const session = new Session({ rules: { ...rules, stats: { window: { count: 10 }, hop: { count: 10 } } } });
    for (const s of values(1, 2, 3)) session.push(s);
    expect(session.summary().series).toBe(0); // no Stat yet: the hop has not closed
    expect((await session.close()).series).toBe(1); // the last, partial hop
  });

  it('keeps the first sink failure with what it lost, the other sink stores on, close closes both', async () => {
    const failing = new MemorySink();
    failing.fail = new Error('disk full');
    const healthy = new MemorySink();
    const session = new Session({ rules, sinks: [failing, healthy] });
    session.push(sample(0, 1));
    await expect(session.flush()).rejects.toThrow('disk full');
    expect(session.error?.message).toMatch(/^memory: disk full; \d+ records not stored$/);
    session.push(sample(1, 1));
    await expect(session.close()).rejects.toThrow('disk full');
    // The failed sink holds back nothing: the healthy one has every record, the failed one none.
    expect(healthy.records.filter((r) => r.type === 'sample')).toHaveLength(2);
    expect(session.summary().sinks.map((s) => [s.stored > 0, s.lost > 0])).toEqual([
      [false, true],
      [true, false],
    ]);
    expect([failing.closed, healthy.closed]).toEqual([1, 1]);
  });
});

describe('analyzeAll', () => {
  it('reads a sync or an async sequence to its end and closes the session', async () => {
    const sync = await analyzeAll(values(1, 20), new Session({ rules }));
    async function* later(): AsyncGenerator<Sample> {
      yield* values(1, 20);
    }
    const async = await analyzeAll(later(), new Session({ rules }));
    expect(async).toEqual(sync);
    expect(sync.fired).toHaveLength(1);
  });

  it('waits for slow sinks instead of buffering without bound, and reports progress', async () => {
    const sink = new MemorySink();
    let release: () => void = () => undefined;
    sink.hold = new Promise((resolve) => (release = resolve));
    const progress: number[] = [];
    let secondCheckpoint: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (secondCheckpoint = resolve));
    const many = Array.from({ length: 100_000 }, (_, i) => sample(i, 1, 'queue_depth'));
    const session = new Session({ rules, sinks: [sink], delivery: { maxQueued: 50_000 } });
    const done = analyzeAll(many, session, (samples) => {
      progress.push(samples);
      if (progress.length === 2) secondCheckpoint();
    });
    // By the second checkpoint (32,768 samples, two records each) the sink's queue holds more than
    // its 50,000 records: the reader waits there, however long the event loop runs, until they catch up.
    await reached;
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(progress).toEqual([16_384, 32_768]);
    expect(sink.records).toEqual([]);
    release();
    const summary = await done;
    expect(summary.samples).toBe(100_000);
    expect(sink.records.filter((r) => r.type === 'sample')).toHaveLength(100_000);
  });

  it('closes the sinks and rethrows when the source fails', async () => {
    const sink = new MemorySink();
    async function* broken(): AsyncGenerator<Sample> {
      yield sample(0, 1);
      throw new Error('truncated recording');
    }
    await expect(analyzeAll(broken(), new Session({ rules, sinks: [sink] }))).rejects.toThrow('truncated recording');
    expect(sink.closed).toBe(1);
  });
});
