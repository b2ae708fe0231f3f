import { firstValueFrom, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../../src/model/sample.js';
import { closedModelLoad } from '../../../src/sources/load/closedModelLoad.js';
import { openModelLoad } from '../../../src/sources/load/openModelLoad.js';
import { classifyRequestError } from '../../../src/sources/load/sendRequest.js';
import { startHttpTarget, type HttpTarget } from '../../support/httpTarget.js';

let target: HttpTarget;
beforeEach(async () => {
  target = await startHttpTarget();
});
afterEach(async () => {
  await target.close();
});

const of = (samples: Sample[], metric: string): Sample[] => samples.filter((s) => s.metric === metric);

describe('closedModelLoad', () => {
  it('runs each concurrency step for its duration and tags throughput with the level', async () => {
    const samples = await firstValueFrom(
      closedModelLoad({
        requests: [{ name: 'ok', url: `${target.url}/slow?ms=5` }],
        steps: [
          { concurrency: 1, durationMs: 300 },
          { concurrency: 4, durationMs: 300 },
        ],
        throughputEveryMs: 100,
        tags: { scenario: 't' },
      }).pipe(toArray()),
    );
    const durations = of(samples, 'http_req_duration');
    expect(durations.length).toBe(target.hits());
    expect(durations.every((s) => s.value >= 4 && s.tags.scenario === 't' && s.tags.request === 'ok')).toBe(true);
    const throughput = of(samples, 'http_reqs_throughput');
    const level = (c: string): number[] => throughput.filter((s) => s.tags.concurrency === c).map((s) => s.value);
    expect(level('1').length).toBeGreaterThan(0);
    expect(level('4').length).toBeGreaterThan(0);
    // Four users against a 5 ms endpoint complete more per second than one.
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(level('4'))).toBeGreaterThan(1.5 * mean(level('1')));
    expect(of(samples, 'http_req_failed').every((s) => s.value === 0)).toBe(true);
  });

  it('classifies status errors and timeouts per request of the mix', async () => {
    const samples = await firstValueFrom(
      closedModelLoad({
        requests: [
          { name: 'fail', url: `${target.url}/fail` },
          { name: 'slow', url: `${target.url}/slow?ms=300`, timeoutMs: 50 },
        ],
        steps: [{ concurrency: 2, durationMs: 250 }],
      }).pipe(toArray()),
    );
    const errors = of(samples, 'http_req_errors');
    expect(errors.some((s) => s.tags.request === 'fail' && s.tags.error === 'status')).toBe(true);
    expect(errors.some((s) => s.tags.request === 'slow' && s.tags.error === 'timeout')).toBe(true);
    expect(of(samples, 'http_req_failed').every((s) => s.value === 1)).toBe(true);
  });
});

describe('openModelLoad', () => {
  it('sends the scheduled number of requests: 0→100/s over 1 s is 50 arrivals', async () => {
    const samples = await firstValueFrom(
      openModelLoad({
        requests: [{ name: 'ok', url: `${target.url}/ok` }],
        stages: [{ from: 0, to: 100, durationMs: 1000 }],
      }).pipe(toArray()),
    );
    expect(of(samples, 'http_req_duration')).toHaveLength(50);
    expect(target.hits()).toBe(50);
    expect(of(samples, 'http_req_dropped')).toHaveLength(0);
  });

  it(
    'measures latency from the intended start: ' +
      'a stalled server shows in every queued request (coordinated omission)',
    async () => {
      // One connection at a time: while the server stalls for 300 ms, due requests wait their turn.
      const run = firstValueFrom(
        openModelLoad({
          requests: [{ name: 'ok', url: `${target.url}/ok` }],
          stages: [{ from: 50, to: 50, durationMs: 600 }],
          maxInFlight: 100,
        }).pipe(toArray()),
      );
      setTimeout(() => target.stallFor(300), 100);
      const durations = of(await run, 'http_req_duration').map((s) => s.value);
      // Requests that arrived during the stall waited for its end; without the correction only
      // the first of them would show it. At 50/s, ~15 arrivals fall into the 300 ms stall.
      expect(durations.filter((d) => d >= 100).length).toBeGreaterThanOrEqual(8);
    },
  );

  it('drops requests that cannot start while maxInFlight are outstanding, and counts them', async () => {
    const samples = await firstValueFrom(
      openModelLoad({
        requests: [{ name: 'slow', url: `${target.url}/slow?ms=200` }],
        stages: [{ from: 100, to: 100, durationMs: 300 }],
        maxInFlight: 2,
      }).pipe(toArray()),
    );
    const sent = of(samples, 'http_req_duration').length;
    const dropped = of(samples, 'http_req_dropped').length;
    expect(sent + dropped).toBe(30);
    expect(dropped).toBeGreaterThan(20);
    expect(sent).toBeLessThanOrEqual(4);
  });

  it('counts refused connections as connect errors and validates stages', async () => {
    await target.close();
    const samples = await firstValueFrom(
      openModelLoad({
        requests: [{ name: 'down', url: `${target.url}/ok`, timeoutMs: 500 }],
        stages: [{ from: 20, to: 20, durationMs: 200 }],
      }).pipe(toArray()),
    );
    expect(of(samples, 'http_req_errors').every((s) => s.tags.error === 'connect')).toBe(true);
    expect(of(samples, 'http_req_errors').length).toBe(4);
    target = await startHttpTarget();
    expect(() =>
      openModelLoad({ requests: [{ name: 'x', url: 'ftp://x' }], stages: [{ from: 1, to: 1, durationMs: 10 }] }),
    ).toThrow('must be http or https');
    expect(() => openModelLoad({ requests: [{ name: 'x', url: 'http://127.0.0.1/' }], stages: [] })).toThrow(
      RangeError,
    );
    expect(classifyRequestError({ code: 'ECONNREFUSED' })).toBe('connect');
    expect(classifyRequestError({ name: 'TimeoutError' })).toBe('timeout');
    expect(classifyRequestError(new Error('x'))).toBe('other');
  });
});
