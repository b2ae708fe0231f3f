import { setTimeout as sleep } from 'node:timers/promises';
import { firstValueFrom, from, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FaultRecovery } from '../../../src/model/events.js';
import { faultSample } from '../../../src/model/faultRecord.js';
import type { Sample } from '../../../src/model/sample.js';
import { closedModelLoad } from '../../../src/sources/load/closedModelLoad.js';
import {
  enforceCriteria,
  formatMeasured,
  parseCriterion,
  SuccessCriteria,
  type CriterionResult,
} from '../../../src/sources/load/successCriteria.js';
import { startHttpTarget, type HttpTarget } from '../../support/httpTarget.js';

const request = (ms: number, failed: boolean, ts: number): Sample[] => [
  { ts, metric: 'http_req_duration', value: ms, tags: {}, unit: 'ms' },
  { ts, metric: 'http_req_failed', value: failed ? 1 : 0, tags: {}, unit: 'bool' },
];

describe('parseCriterion', () => {
  it('reads latency statistics in ms and rates as fractions', () => {
    expect(parseCriterion('p95 < 200ms')).toEqual({ text: 'p95 < 200ms', statistic: 'p95', operator: '<', limit: 200 });
    expect(parseCriterion('p99.9<=1.5s').limit).toBe(1500);
    expect(parseCriterion('avg < 500us').limit).toBe(0.5);
    expect(parseCriterion('errors < 1%')).toMatchObject({ statistic: 'errors', limit: 0.01 });
  });

  it('names the text and the expected form when it cannot parse', () => {
    expect(() => parseCriterion('p95 < fast')).toThrow('success criterion "p95 < fast": expected e.g. "p95 < 200ms"');
    expect(() => parseCriterion('errors < 5ms')).toThrow('takes a percentage');
    expect(() => parseCriterion('p95 < 5%')).toThrow('takes a duration');
    expect(() => parseCriterion('p150 < 5ms')).toThrow('percentile');
  });
});

describe('SuccessCriteria', () => {
  it('computes percentiles (3 significant digits), averages and error rates', () => {
    const verdicts = new SuccessCriteria(
      ['p95 < 960ms', 'p50 <= 501ms', 'errors < 10%', 'avg < 600ms'].map(parseCriterion),
    );
    // Latencies 1..1000 ms; every 20th request failed (5%).
    for (let i = 1; i <= 1000; i++) for (const s of request(i, i % 20 === 0, i)) verdicts.observe(s);
    const results = verdicts.evaluate();
    const actual = (text: string): CriterionResult => results.find((r) => r.criterion.text === text) as CriterionResult;
    expect(Math.abs(actual('p95 < 960ms').actual - 950)).toBeLessThanOrEqual(1);
    expect(Math.abs(actual('p50 <= 501ms').actual - 500)).toBeLessThanOrEqual(1);
    expect(actual('errors < 10%').actual).toBe(0.05);
    expect(Math.abs(actual('avg < 600ms').actual - 500.5)).toBeLessThanOrEqual(1);
    expect(results.every((r) => r.pass)).toBe(true);
  });

  it('counts availability during faults (requests under way between start and end record) and outside', () => {
    const texts = ['availability > 99%', 'availability during faults > 50%', 'availability outside faults > 99.9%'];
    const verdicts = new SuccessCriteria(texts.map(parseCriterion));
    // 1,000 requests of 5 ms, one a second; a fault from 100 s to 200 s fails 40 of its 100; 2
    // failures outside it; and one request started at 199.5 s that times out at 209.5 s (10 s):
    // under way during the fault, so it counts there, though it completed after the end.
    const second = 1_000_000;
    for (let i = 0; i < 1000; i++) {
      if (i === 100) verdicts.observe(faultSample(i * second, 'kill-target', 'kill', 'start'));
      if (i === 200) verdicts.observe(faultSample(i * second, 'kill-target', 'kill', 'end'));
      const failed = i >= 100 && i < 200 ? i % 5 < 2 : i === 500 || i === 900;
      for (const s of request(5, failed, i * second)) verdicts.observe(s);
      if (i === 209) for (const s of request(10_000, true, 209.5 * second)) verdicts.observe(s);
    }
    expect(verdicts.evaluate().map((r) => [r.criterion.text, r.actual, r.pass])).toEqual([
      ['availability > 99%', 1 - 43 / 1001, false],
      // During: the 100 from 100 s to 199 s, the one completing at 200 s (started 5 ms before the
      // end record) and the long one; 41 failed.
      ['availability during faults > 50%', 1 - 41 / 102, true],
      ['availability outside faults > 99.9%', 1 - 2 / 899, false],
    ]);
    expect(formatMeasured(verdicts.evaluate()[1] as CriterionResult)).toBe('59.80%');
  });

  it('judges recovery and MTTR from the detector’s verdicts: a fault not recovered is never', () => {
    const verdicts = new SuccessCriteria(['recovery < 30s', 'mttr < 10s'].map(parseCriterion));
    expect(verdicts.evaluate().every((r) => r.pass && Number.isNaN(r.actual))).toBe(true);
    const verdict = (phase: FaultRecovery['phase'], seconds: number | null): FaultRecovery =>
      ({ phase, recoveryTime: seconds === null ? null : seconds * 1_000_000 }) as FaultRecovery;
    verdicts.recordRecoveries([verdict('recovered', 4), verdict('recovered', 12)]);
    expect(verdicts.evaluate().map((r) => [r.actual, r.pass])).toEqual([
      [12_000, true],
      [8000, true],
    ]);
    verdicts.recordRecoveries([verdict('recovered', 4), verdict('not-recovered', null), verdict('unfinished', null)]);
    const results = verdicts.evaluate();
    expect(results.map((r) => r.pass)).toEqual([false, false]);
    expect(formatMeasured(results[0] as CriterionResult)).toBe('not recovered');
    expect(parseCriterion('recovery < 2m').limit).toBe(120_000);
    expect(() => parseCriterion('recovery < 5%')).toThrow('takes a duration');
    expect(() => parseCriterion('availability > 5s')).toThrow('takes a percentage');
  });
});

describe('enforceCriteria', () => {
  it('reports without stopping by default, with a final verdict', async () => {
    const finals: (readonly CriterionResult[])[] = [];
    const samples = Array.from({ length: 300 }, (_, i) => request(300, false, i)).flat();
    const out = await firstValueFrom(
      from(samples).pipe(
        enforceCriteria([parseCriterion('p95 < 200ms')], { onResults: (r, final) => final && finals.push(r) }),
        toArray(),
      ),
    );
    expect(out).toHaveLength(600);
    expect(finals[0]?.[0]?.pass).toBe(false);
  });

  describe('on a real load run', () => {
    let target: HttpTarget;
    beforeEach(async () => {
      target = await startHttpTarget();
    });
    afterEach(async () => {
      await target.close();
    });

    it('aborts the run early when a criterion fails, naming it and its measured value', async () => {
      const run = firstValueFrom(
        closedModelLoad({
          requests: [{ name: 'fail', url: `${target.url}/fail` }],
          steps: [{ concurrency: 4, durationMs: 20_000 }],
        }).pipe(enforceCriteria([parseCriterion('errors < 1%')], { abortOnFail: true, minRequests: 100 }), toArray()),
      );
      await expect(run).rejects.toThrow(/success criteria failed: errors < 1% \(measured 100\.00%\)/);
      // The 20 s run stopped after about 500 requests (1,000 samples checked), not 20 s later.
      const hitsAtAbort = target.hits();
      await sleep(200);
      expect(target.hits() - hitsAtAbort).toBeLessThanOrEqual(4);
      expect(hitsAtAbort).toBeLessThan(2000);
    });
  });
});
