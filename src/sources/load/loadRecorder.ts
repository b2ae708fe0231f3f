import { performance } from 'node:perf_hooks';
import type { Subscriber } from 'rxjs';
import { MICROS_PER_MS, type Sample, type Tags } from '../../model/sample.js';
import type { RequestSpec } from './requestSpec.js';
import type { RequestOutcome } from './sendRequest.js';

/** Wall-clock epoch µs from a performance.now() reading (sub-millisecond resolution). */
export const epochMicros = (performanceMs: number): number => Math.round((performance.timeOrigin + performanceMs) * MICROS_PER_MS);

/**
 * Turns request outcomes into samples, in the names k6 users know: `http_req_duration` (ms),
 * `http_req_failed` (0 or 1, so its mean is the error rate), `http_req_errors` (1 per failure,
 * tagged with the `error` kind), `http_req_dropped` (1 per request that could not start on
 * time) and `http_reqs_throughput` (completed requests per second).
 */
export class LoadRecorder {
  constructor(
    private readonly subscriber: Subscriber<Sample>,
    private readonly tags: Tags,
  ) {}

  request(spec: RequestSpec, outcome: RequestOutcome, durationMs: number, endMs: number, extra: Tags): void {
    const ts = epochMicros(endMs);
    const tags = { ...this.tags, ...extra, request: spec.name };
    this.subscriber.next({ ts, metric: 'http_req_duration', value: durationMs, tags, unit: 'ms' });
    this.subscriber.next({ ts, metric: 'http_req_failed', value: outcome.error === null ? 0 : 1, tags, unit: 'bool' });
    if (outcome.error !== null) this.subscriber.next({ ts, metric: 'http_req_errors', value: 1, tags: { ...tags, error: outcome.error }, unit: 'count' });
  }

  dropped(spec: RequestSpec, atMs: number, extra: Tags): void {
    this.subscriber.next({ ts: epochMicros(atMs), metric: 'http_req_dropped', value: 1, tags: { ...this.tags, ...extra, request: spec.name }, unit: 'count' });
  }

  throughput(requestsPerSecond: number, atMs: number, extra: Tags): void {
    this.subscriber.next({ ts: epochMicros(atMs), metric: 'http_reqs_throughput', value: requestsPerSecond, tags: { ...this.tags, ...extra }, unit: 'req/s' });
  }
}
