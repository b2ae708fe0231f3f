import { Observable, type OperatorFunction } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NONE, type Processor } from '../../src/detectors/processor.js';
import type { DetectorSignal } from '../../src/detectors/detectorSignal.js';
import type { Sample } from '../../src/model/sample.js';
import { alerting } from '../../src/operators/alerting.js';
import { analyze } from '../../src/operators/analyze.js';
import { changePoints } from '../../src/operators/changePoints.js';
import { eventTime } from '../../src/operators/eventTime.js';
import { leakSlope } from '../../src/operators/leakSlope.js';
import { processorOperator } from '../../src/operators/processorOperator.js';
import { regression } from '../../src/operators/regression.js';
import { robustZ } from '../../src/operators/robustZ.js';
import { rollingStats } from '../../src/operators/rollingStats.js';
import { scalingEfficiency } from '../../src/operators/scalingEfficiency.js';
import { runOperator } from '../support/runOperator.js';
import { sample } from '../support/sample.js';
import { testScheduler } from '../support/testScheduler.js';

/** A processor that sums what it is given, emits the running sum of every second input and the total at the end. */
class Summing implements Processor<number, number> {
  total = 0;
  private count = 0;

  push(x: number): readonly number[] {
    if (x < 0) throw new RangeError(`negative input ${x}`);
    this.total += x;
    return ++this.count % 2 === 0 ? [this.total] : NONE;
  }

  end(): readonly number[] {
    return [this.total];
  }
}

describe('processorOperator', () => {
  it('passes what push returns on, then what end returns before completing', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('-a-b-c-|', { a: 1, b: 2, c: 3 }).pipe(processorOperator(() => new Summing()));
      expectObservable(out).toBe('---x---(y|)', { x: 3, y: 6 });
    });
  });

  it('passes a source error through without calling end', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('-a-#', { a: 1 }, new Error('boom')).pipe(processorOperator(() => new Summing()));
      expectObservable(out).toBe('---#', undefined, new Error('boom'));
    });
  });

  it('sends an exception of the processor to the error channel and releases the source', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('-a-b-c-|', { a: 1, b: -1, c: 3 });
      expectObservable(source.pipe(processorOperator(() => new Summing()))).toBe(
        '---#',
        undefined,
        new RangeError('negative input -1'),
      );
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('calls end on an empty source and completes', () => {
    expect(
      runOperator(
        [],
        processorOperator(() => new Summing()),
      ),
    ).toEqual({ values: [0], completed: true, error: undefined });
  });

  it('unsubscribes from the source when the consumer unsubscribes early', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('-a-b-c-d-|', { a: 1, b: 2, c: 3, d: 4 });
      expectObservable(source.pipe(processorOperator(() => new Summing())), '^----!').toBe('---x--', { x: 3 });
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('creates one processor per subscription, so subscribers never share state', () => {
    const created: Summing[] = [];
    const operator = processorOperator(() => {
      const summing = new Summing();
      created.push(summing);
      return summing;
    });
    expect(runOperator([1, 2], operator).values).toEqual([3, 3]);
    expect(runOperator([5, 5], operator).values).toEqual([10, 10]);
    expect(created.map((s) => s.total)).toEqual([3, 10]);
  });
});

// Every public operator that wraps a processor, with an input that makes it emit: the checks above
// hold for each because each is built by processorOperator; these confirm the wiring per operator.
const samples: Sample[] = Array.from({ length: 400 }, (_, i) =>
  sample(i * 1_000_000, 100 + (i % 5), 'http_req_duration', { concurrency: String(1 + Math.floor(i / 100)) }),
);
const signals: DetectorSignal[] = [true, true, false].map((active, i) => ({
  series: 's',
  metric: 's',
  tags: {},
  metricKind: 'other',
  rule: 'r',
  kind: 'threshold',
  severity: 'warning',
  ts: i,
  active,
  value: 1,
  baseline: 0,
  effect: 0,
  pValue: null,
  message: 'm',
  forMicros: 0,
  keepFiringForMicros: 0,
}));
const operators: [string, OperatorFunction<never, unknown>, readonly unknown[]][] = [
  ['rollingStats', rollingStats({ window: { count: 10 }, hop: { count: 10 } }), samples],
  [
    'regression',
    regression({ direction: 'up', reference: { type: 'initial', warmup: 0, duration: 60_000_000 } }),
    samples,
  ],
  ['leakSlope', leakSlope({ bucket: 10_000_000, fitWindow: 300_000_000, minSpan: 0 }), samples],
  [
    'changePoints',
    changePoints({ bucket: 1_000_000, referenceBuckets: 3, h: 1 }),
    [...samples, sample(400_000_000, 1e6, 'http_req_duration')],
  ],
  ['robustZ', robustZ(), samples],
  ['scalingEfficiency', scalingEfficiency({ samplesPerLevel: 16 }), samples],
  ['eventTime', eventTime({ allowedLateness: 1 }), samples],
  ['alerting', alerting(), signals],
  ['analyze', analyze(), samples],
];

describe.each(operators)('%s, a processorOperator', (_name, operator, input) => {
  it('emits, completes, and subscribes to its source once', () => {
    let subscriptions = 0;
    const source = new Observable<never>((subscriber) => {
      subscriptions++;
      for (const item of input) subscriber.next(item as never);
      subscriber.complete();
    });
    const values: unknown[] = [];
    let completed = false;
    source.pipe(operator).subscribe({ next: (value) => values.push(value), complete: () => (completed = true) });
    expect(values.length).toBeGreaterThan(0);
    expect(completed).toBe(true);
    expect(subscriptions).toBe(1);
  });

  it('propagates a source error', () => {
    const failing = new Observable<never>((subscriber) => {
      subscriber.next(input[0] as never);
      subscriber.error(new Error('source failed'));
    });
    const errors: unknown[] = [];
    failing.pipe(operator).subscribe({ error: (error: unknown) => errors.push(error) });
    expect(errors).toEqual([new Error('source failed')]);
  });
});
