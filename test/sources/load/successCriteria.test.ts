import { setTimeout as sleep } from 'node:timers/promises';
import { firstValueFrom, from, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../../src/model/sample.js';
import { closedModelLoad } from '../../../src/sources/load/closedModelLoad.js';
import {
  enforceCriteria,
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
