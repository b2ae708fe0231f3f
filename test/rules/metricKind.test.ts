import { describe, expect, it } from 'vitest';
import { METRIC_KINDS, type MetricKind } from '../../src/model/metricKind.js';
import { metricKind } from '../../src/rules/metricKind.js';

describe('metricKind', () => {
  it.each<[string, string | undefined, MetricKind]>([
    // k6
    ['http_req_duration', 'ms', 'latency'],
    ['http_req_waiting', 'ms', 'latency'],
    ['http_req_failed', undefined, 'errors'],
    ['http_reqs_throughput', 'req/s', 'throughput'],
    ['iteration_duration', undefined, 'latency'],
    // Prometheus / OpenTelemetry naming
    ['http_server_request_duration_seconds', undefined, 'latency'],
    ['http.server.request.duration', 's', 'latency'],
    ['gc_pause', 'sec', 'latency'],
    ['rpc_latency', 'us', 'latency'],
    ['process_heap_used_bytes', undefined, 'memory'],
    ['process_heap_used_bytes', 'bytes', 'memory'],
    ['process_resident_memory_bytes', undefined, 'memory'],
    ['nodejs_external_memory', undefined, 'memory'],
    ['cache_size', 'MiB', 'memory'],
    ['process_open_fds', undefined, 'resource'],
    // Tokens are delimited by any non-alphanumeric character, so snake_case and dotted names classify.
    ['http_rps', undefined, 'throughput'],
    ['process_mem', undefined, 'memory'],
    ['process.mem.used', undefined, 'memory'],
    // `bytes` means memory only as a suffix: a byte counter is not a heap.
    ['response_bytes_total', undefined, 'other'],
    ['process_open_fds', 'fds', 'resource'],
    ['jvm_threads_live', undefined, 'resource'],
    ['go_goroutines', undefined, 'resource'],
    ['pool_size', 'handles', 'resource'],
    ['grpc_errors_total', undefined, 'errors'],
    ['requests_failed_total', undefined, 'errors'],
    ['upstream_5xx', undefined, 'errors'],
    ['requests_per_second', undefined, 'throughput'],
    ['checkout', 'rps', 'throughput'],
    ['events', 'ops/s', 'throughput'],
    ['messages', '1/s', 'throughput'],
    ['queue_depth', undefined, 'other'],
    ['http_requests_total', undefined, 'other'],
    ['cpu_usage', '%', 'other'],
  ])('%s [%s] is %s', (metric, unit, kind) => {
    expect(metricKind(metric, unit)).toBe(kind);
  });

  it('puts a stated unit first, then errors among names: a failure count per second named so is errors', () => {
    expect(metricKind('request_errors', 'ms')).toBe('latency');
    expect(metricKind('failed_requests_per_second')).toBe('errors');
  });

  it('reads a time unit in a name only as its last token: us-east-1 is no microsecond', () => {
    // Both were latencies before: `us` and `ms` matched as tokens anywhere in the name.
    expect(metricKind('us-east-1')).toBe('other');
    expect(metricKind('ms_teams_calls')).toBe('other');
    expect(metricKind('gc_pause_ms')).toBe('latency');
    expect(metricKind('lookup.us')).toBe('latency');
    expect(metricKind('query_time_seconds')).toBe('latency');
  });

  it('reads an error name as errors only for 0/1, ratio or count values', () => {
    // Before, any *_failure name was an error rate, whatever its values: the error-rate rule fired
    // on temperatures.
    expect(metricKind('disk_failure_temperature', undefined, 71.5)).toBe('other');
    expect(metricKind('fan_failure_speed', undefined, -3)).toBe('other');
    expect(metricKind('http_req_failed', undefined, 0)).toBe('errors');
    expect(metricKind('http_req_failed', undefined, 1)).toBe('errors');
    expect(metricKind('error_ratio', undefined, 0.031)).toBe('errors');
    expect(metricKind('http_req_errors', undefined, 17)).toBe('errors');
    // A name that says more than errors keeps the rest: a failure latency in seconds.
    expect(metricKind('failed_login_duration_seconds', 's', 2.5)).toBe('latency');
  });

  it('lets the unit decide when the name says nothing, ignoring case and surrounding space', () => {
    expect(metricKind('foo', ' MS ')).toBe('latency');
    expect(metricKind('foo', 'Bytes')).toBe('memory');
    expect(metricKind('foo', 'REQ/S')).toBe('throughput');
    expect(metricKind('foo')).toBe('other');
  });

  it('lists every kind once, errors first and other last', () => {
    expect(new Set(METRIC_KINDS).size).toBe(6);
    expect(METRIC_KINDS[0]).toBe('errors');
    expect(METRIC_KINDS[METRIC_KINDS.length - 1]).toBe('other');
  });
});
