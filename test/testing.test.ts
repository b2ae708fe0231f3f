import { describe, expect, it } from 'vitest';
import { compare, soakstreamMatchers } from '../src/testing.js';

const release = 'test/fixtures/soak-no-change.avro';
const candidate = 'test/fixtures/soak-step-leak.avro';

describe('soakstream matchers (for Vitest and Jest)', () => {
  it('toRaiseNoAlerts passes on a quiet recording and lists the alerts of one that is not', async () => {
    expect((await soakstreamMatchers.toRaiseNoAlerts(release)).pass).toBe(true);
    const failed = await soakstreamMatchers.toRaiseNoAlerts([candidate]);
    expect(failed.pass).toBe(false);
    expect(failed.message()).toMatch(
      /^expected test\/fixtures\/soak-step-leak\.avro to raise no alerts, but \d+ fired:\n {2}- latency-regression on http_req_duration\{scenario=golden,service=checkout\} since 2026-01-01T\d\d:\d\d:\d\d\.\d{3}Z/,
    );
    expect(failed.message()).toContain(
      '- memory-leak on process_heap_used_bytes{scenario=golden,service=checkout} since',
    );
    // Ignoring those rules by name lets it pass.
    const ignored = await soakstreamMatchers.toRaiseNoAlerts(candidate, {
      ignore: ['latency-regression', 'memory-leak', 'latency-change-point'],
    });
    expect(ignored.pass).toBe(true);
  });

  it('toShowNoRegression prints the offending rows, and honours its threshold', async () => {
    const result = compare(release, candidate);
    const failed = await soakstreamMatchers.toShowNoRegression(result, { threshold: '5%' });
    expect(failed.pass).toBe(false);
    const message = failed.message();
    expect(message).toMatch(/^expected no regression of at least 5\.0%, but 4 statistics regressed:\nseries\s+stat/);
    expect(message).toMatch(
      /http_req_duration\{scenario=golden,service=checkout\}\s+p50\s+[\d.]+ ms\s+[\d.]+ ms\s+\+\d+\.\d\d% !/,
    );
    expect(message).not.toContain('floor');
    // p50 rose about 11%: below a 20% threshold only the leak's slope (from ~0) still counts.
    const high = await soakstreamMatchers.toShowNoRegression(result, { threshold: 0.2 });
    expect(high.message()).toContain('1 statistic regressed');
    expect((await soakstreamMatchers.toShowNoRegression(compare(release, release))).pass).toBe(true);
    await expect(soakstreamMatchers.toShowNoRegression(result, { threshold: 'a lot' })).rejects.toThrow(
      'threshold: expected a percentage like "5%" or a fraction, got a lot',
    );
  });
});
