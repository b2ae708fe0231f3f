import { describe, expect, it } from 'vitest';
import type { SeriesRef } from '../../src/model/events.js';
import type { MetricKind } from '../../src/model/metricKind.js';
import { globToRegExp, ruleMatches } from '../../src/rules/ruleMatches.js';

const ref = (metric: string, tags: Record<string, string> = {}, metricKind: MetricKind = 'other'): SeriesRef => ({
  series: metric,
  metric,
  tags,
  metricKind,
});

describe('globToRegExp', () => {
  it.each<[string, string, boolean]>([
    ['http_*', 'http_req_duration', true],
    ['http_*', 'http_', true],
    ['http_*', 'xhttp_req', false],
    ['*_bytes', 'process_heap_used_bytes', true],
    ['*_bytes', 'process_heap_used_bytes_total', false],
    ['*', '', true],
    ['*', 'anything.at/all', true],
    ['http_req_?', 'http_req_a', true],
    ['http_req_?', 'http_req_', false],
    ['http_req_?', 'http_req_ab', false],
    ['a*b?c', 'aXXbYc', true],
    ['a*b?c', 'abc', false],
    // regex metacharacters in names are literal
    ['http.server.duration', 'http.server.duration', true],
    ['http.server.duration', 'httpXserverXduration', false],
    ['cpu(total)', 'cpu(total)', true],
    ['cpu(total)', 'cputotal', false],
    ['p[95]', 'p[95]', true],
    ['p[95]', 'p9', false],
    ['a+b', 'a+b', true],
    ['a+b', 'aab', false],
    ['cost$|^x', 'cost$|^x', true],
    ['cost$|^x', 'x', false],
    ['back\\slash', 'back\\slash', true],
    ['{a,b}', '{a,b}', true],
    ['{a,b}', 'a', false],
    ['price^2', 'price^2', true],
  ])('%j against %j: %s', (glob, name, matches) => {
    expect(globToRegExp(glob).test(name)).toBe(matches);
  });

  it('returns the same compiled expression for the same glob', () => {
    expect(globToRegExp('cache_*')).toBe(globToRegExp('cache_*'));
  });
});

describe('ruleMatches', () => {
  const series = ref('http_req_duration', { scenario: 'checkout', service: 'shop' }, 'latency');

  it('matches everything with an empty match', () => {
    expect(ruleMatches({}, series)).toBe(true);
    expect(ruleMatches({}, ref('x'))).toBe(true);
  });

  it.each([
    [{ kinds: ['latency'] as const }, true],
    [{ kinds: ['latency', 'throughput'] as const }, true],
    [{ kinds: ['memory'] as const }, false],
    [{ kinds: [] as const }, false],
    [{ metric: 'http_*' }, true],
    [{ metric: 'grpc_*' }, false],
    [{ tags: { scenario: 'checkout' } }, true],
    [{ tags: { scenario: 'checkout', service: 'shop' } }, true],
    [{ tags: { scenario: 'browse' } }, false],
    [{ tags: { region: 'eu' } }, false],
    [{ kinds: ['latency'] as const, metric: 'http_*', tags: { scenario: 'checkout' } }, true],
    [{ kinds: ['latency'] as const, metric: 'http_*', tags: { scenario: 'browse' } }, false],
    [{ kinds: ['memory'] as const, metric: 'http_*', tags: { scenario: 'checkout' } }, false],
    [{ exclude: ['http_req_duration'] }, false],
    [{ exclude: ['*_duration', 'grpc_*'] }, false],
    [{ exclude: ['grpc_*'] }, true],
    [{ kinds: ['latency'] as const, exclude: [] }, true],
  ])('%j → %s (every condition must hold)', (match, expected) => {
    expect(ruleMatches(match, series)).toBe(expected);
  });

  it("leaves the load generator's per-event error counters out of the default error-rate rule", async () => {
    const { DEFAULT_RULES } = await import('../../src/rules/defaultRules.js');
    const errorRate = DEFAULT_RULES.find((rule) => rule.name === 'error-rate');
    expect(errorRate).toBeDefined();
    expect(ruleMatches(errorRate!.match, ref('http_req_failed', {}, 'errors'))).toBe(true);
    expect(ruleMatches(errorRate!.match, ref('requests_failed_ratio', {}, 'errors'))).toBe(true);
    expect(ruleMatches(errorRate!.match, ref('http_req_errors', { error: 'ECONNRESET' }, 'errors'))).toBe(false);
    expect(ruleMatches(errorRate!.match, ref('http_req_dropped', {}, 'errors'))).toBe(false);
  });

  it('compares tag values exactly, not as globs', () => {
    expect(ruleMatches({ tags: { scenario: 'check*' } }, series)).toBe(false);
    expect(ruleMatches({ tags: { scenario: 'check*' } }, ref('m', { scenario: 'check*' }))).toBe(true);
  });
});
