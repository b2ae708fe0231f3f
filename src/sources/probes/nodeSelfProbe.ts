import {
  constants,
  monitorEventLoopDelay,
  performance,
  PerformanceObserver,
  type PerformanceEntry,
} from 'node:perf_hooks';
import { Observable } from 'rxjs';
import { MICROS_PER_MS, type Sample, type Tags } from '../../model/sample.js';
import { epochMicros } from '../load/loadRecorder.js';

/** Options of {@link nodeSelfProbe}. */
export interface NodeSelfProbeOptions {
  /** Sampling interval in milliseconds. Default 1000. */
  readonly intervalMs?: number;
  /** Event-loop delay sampling resolution in milliseconds. Default 10. */
  readonly resolutionMs?: number;
  readonly tags?: Tags;
}

const GC_KINDS: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/**
 * Samples this Node.js process every interval: `nodejs_heap_used_bytes`,
 * `nodejs_heap_total_bytes`, `nodejs_external_bytes`, `nodejs_array_buffers_bytes`
 * (process.memoryUsage), event-loop delay percentiles over the interval
 * `nodejs_eventloop_delay_p50_seconds`/`_p90_`/`_p99_`/`_max_` (perf_hooks
 * monitorEventLoopDelay, reset each interval), `nodejs_eventloop_utilization` (fraction of the
 * interval the loop was busy), and one `nodejs_gc_pause_seconds` sample per collection tagged
 * with its `kind` (minor, major, incremental, weakcb). Timestamps are wall-clock epoch µs.
 */
export function nodeSelfProbe(options: NodeSelfProbeOptions = {}): Observable<Sample> {
  const intervalMs = options.intervalMs ?? 1000;
  const resolution = options.resolutionMs ?? 10;
  if (!(intervalMs >= 10)) throw new RangeError(`nodeSelfProbe: intervalMs must be ≥ 10, got ${intervalMs}`);
  const tags: Tags = { ...options.tags, pid: String(process.pid) };

  return new Observable<Sample>((subscriber) => {
    const histogram = monitorEventLoopDelay({ resolution });
    histogram.enable();
    let utilization = performance.eventLoopUtilization();
    // One tags object per GC kind, shared by its samples (series keys are cached per tags object).
    const gcTags = new Map<string, Tags>();
    const tagsOfKind = (kind: string): Tags => {
      let kindTags = gcTags.get(kind);
      if (kindTags === undefined) gcTags.set(kind, (kindTags = { ...tags, kind }));
      return kindTags;
    };
    const emit = (metric: string, value: number, unit: string, ts: number, sampleTags: Tags = tags): void => {
      if (Number.isFinite(value)) subscriber.next({ ts, metric, value, tags: sampleTags, unit });
    };
    const gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
        const kind = GC_KINDS[entry.detail?.kind ?? -1] ?? 'other';
        emit('nodejs_gc_pause_seconds', entry.duration / 1000, 's', epochMicros(entry.startTime), tagsOfKind(kind));
      }
    });
    gcObserver.observe({ entryTypes: ['gc'] });

    const timer = setInterval(() => {
      const ts = Date.now() * MICROS_PER_MS;
      const memory = process.memoryUsage();
      emit('nodejs_heap_used_bytes', memory.heapUsed, 'bytes', ts);
      emit('nodejs_heap_total_bytes', memory.heapTotal, 'bytes', ts);
      emit('nodejs_external_bytes', memory.external, 'bytes', ts);
      emit('nodejs_array_buffers_bytes', memory.arrayBuffers, 'bytes', ts);
      if (histogram.count > 0) {
        emit('nodejs_eventloop_delay_p50_seconds', histogram.percentile(50) / 1e9, 's', ts);
        emit('nodejs_eventloop_delay_p90_seconds', histogram.percentile(90) / 1e9, 's', ts);
        emit('nodejs_eventloop_delay_p99_seconds', histogram.percentile(99) / 1e9, 's', ts);
        emit('nodejs_eventloop_delay_max_seconds', histogram.max / 1e9, 's', ts);
      }
      histogram.reset();
      const now = performance.eventLoopUtilization();
      emit('nodejs_eventloop_utilization', performance.eventLoopUtilization(now, utilization).utilization, 'ratio', ts);
      utilization = now;
    }, intervalMs);

    return () => {
      clearInterval(timer);
      histogram.disable();
      gcObserver.disconnect();
    };
  });
}
