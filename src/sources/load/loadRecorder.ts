import { performance } from 'node:perf_hooks';
import type { Subscriber } from 'rxjs';
import { MICROS_PER_MS, type Sample, type Tags } from '../../model/sample.js';
import type { RequestSpec } from './requestSpec.js';
import type { RequestOutcome } from './sendRequest.js';

/** Wall-clock epoch µs from a performance.now() reading (sub-millisecond resolution). */
export const epochMicros = (performanceMs: number): number =>
  Math.round((performance.timeOrigin + performanceMs) * MICROS_PER_MS);

/**
 * Turns request outcomes into samples, in the names k6 users know: `http_req_duration` (ms),
 * `http_req_failed` (0 or 1, so its mean is the error rate), `http_req_errors` (1 per failure,
 * tagged with the `error` kind), `http_req_dropped` (1 per request that could not start on
 * time) and `http_reqs_throughput` (completed requests per second).
 */
export class LoadRecorder {
  // One tags object per (request, stage), shared by every sample of it: a load run emits
  // millions of samples, and downstream series keys are cached per tags object.
  private readonly tagCache = new Map<RequestSpec, WeakMap<Tags, Tags>>();
  private readonly errorTags = new WeakMap<Tags, Map<string, Tags>>();
  private readonly stepTags = new WeakMap<Tags, Tags>();

  constructor(
    private readonly subscriber: Subscriber<Sample>,
    private readonly tags: Tags,
  ) {}

  private tagsFor(spec: RequestSpec, extra: Tags): Tags {
    let byExtra = this.tagCache.get(spec);
    if (byExtra === undefined) {
      byExtra = new WeakMap();
      this.tagCache.set(spec, byExtra);
    }
    let tags = byExtra.get(extra);
    if (tags === undefined) {
      tags = { ...this.tags, ...extra, request: spec.name };
      byExtra.set(extra, tags);
    }
    return tags;
  }

  request(spec: RequestSpec, outcome: RequestOutcome, durationMs: number, endMs: number, extra: Tags): void {
    const ts = epochMicros(endMs);
    const tags = this.tagsFor(spec, extra);
    this.subscriber.next({ ts, metric: 'http_req_duration', value: durationMs, tags, unit: 'ms' });
    this.subscriber.next({ ts, metric: 'http_req_failed', value: outcome.error === null ? 0 : 1, tags, unit: 'bool' });
    if (outcome.error !== null)
      this.subscriber.next({
        ts,
        metric: 'http_req_errors',
        value: 1,
        tags: this.withError(tags, outcome.error),
        unit: 'count',
      });
  }

  dropped(spec: RequestSpec, atMs: number, extra: Tags): void {
    this.subscriber.next({
      ts: epochMicros(atMs),
      metric: 'http_req_dropped',
      value: 1,
      tags: this.tagsFor(spec, extra),
      unit: 'count',
    });
  }

  throughput(requestsPerSecond: number, atMs: number, extra: Tags): void {
    let tags = this.stepTags.get(extra);
    if (tags === undefined) {
      tags = { ...this.tags, ...extra };
      this.stepTags.set(extra, tags);
    }
    this.subscriber.next({
      ts: epochMicros(atMs),
      metric: 'http_reqs_throughput',
      value: requestsPerSecond,
      tags,
      unit: 'req/s',
    });
  }

  private withError(tags: Tags, error: string): Tags {
    let byError = this.errorTags.get(tags);
    if (byError === undefined) {
      byError = new Map();
      this.errorTags.set(tags, byError);
    }
    let tagged = byError.get(error);
    if (tagged === undefined) {
      tagged = { ...tags, error };
      byError.set(error, tagged);
    }
    return tagged;
  }
}
