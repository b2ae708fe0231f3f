import { describe, expect, it } from 'vitest';
import { MICROS_PER_HOUR, MICROS_PER_MINUTE } from '../../../src/model/sample.js';
import { seriesKey } from '../../../src/model/seriesKey.js';
import { labelledSuite } from '../../../src/sources/synthetic/labelledSuite.js';

const CLASSES = [
  'latency_none',
  'latency_step_5',
  'latency_step_10',
  'latency_step_25',
  'latency_drift_30',
  'latency_improve_20',
  'heap_none',
  'heap_leak_2',
  'heap_leak_5',
  'heap_leak_10',
  'heap_leak_30',
  'heap_leak_60',
  'fds_none',
  'fds_leak',
];

function firstSamples(iterable: Iterable<{ ts: number; value: number }>, n: number) {
  const out: { ts: number; value: number }[] = [];
  for (const s of iterable) {
    out.push({ ts: s.ts, value: s.value });
    if (out.length === n) break;
  }
  return out;
}

describe('labelledSuite', () => {
  it('has every class with 4 series of 3 h from 2026-01-01T00:00:00Z by default', () => {
    const suite = labelledSuite();
    expect(suite.length).toBe(CLASSES.length * 4);
    for (const cls of CLASSES) expect(suite.filter((s) => s.cls === cls).length).toBe(4);
    for (const s of suite) {
      expect(s.start).toBe(Date.parse('2026-01-01T00:00:00Z') * 1000);
      expect(s.end - s.start).toBe(3 * MICROS_PER_HOUR);
    }
    expect(new Set(suite.map((s) => s.series)).size).toBe(suite.length);
  });

  it('labels expectations, kinds and magnitudes by class', () => {
    const suite = labelledSuite({ seriesPerClass: 2 });
    const one = (cls: string) => suite.find((s) => s.cls === cls)!;
    expect(one('latency_none')).toMatchObject({ kind: 'latency', expect: 'none', changeAt: null, magnitude: 0 });
    expect(one('latency_step_10')).toMatchObject({ kind: 'latency', expect: 'regression', magnitude: 0.1 });
    expect(one('latency_drift_30')).toMatchObject({ kind: 'latency', expect: 'regression', magnitude: 0.3 });
    expect(one('latency_improve_20')).toMatchObject({ kind: 'latency', expect: 'none', magnitude: -0.2 });
    expect(one('latency_improve_20').changeAt).not.toBeNull();
    expect(one('heap_leak_30')).toMatchObject({ kind: 'memory', expect: 'leak', magnitude: 30 });
    expect(one('heap_none')).toMatchObject({ kind: 'memory', expect: 'none', changeAt: null });
    expect(one('fds_none')).toMatchObject({ kind: 'fds', expect: 'none', changeAt: null });
    const fds = one('fds_leak');
    expect(fds).toMatchObject({ kind: 'fds', expect: 'leak' });
    expect(fds.magnitude).toBeGreaterThanOrEqual(5);
    expect(fds.magnitude).toBeLessThanOrEqual(30);
  });

  it('draws onsets within [40, 100] min after the start', () => {
    const suite = labelledSuite({ seriesPerClass: 6 });
    const onsets = suite.filter((s) => s.changeAt !== null).map((s) => (s.changeAt! - s.start) / MICROS_PER_MINUTE);
    expect(onsets.length).toBe(11 * 6);
    for (const m of onsets) {
      expect(m).toBeGreaterThanOrEqual(40);
      expect(m).toBeLessThanOrEqual(100);
    }
    expect(Math.max(...onsets) - Math.min(...onsets)).toBeGreaterThan(30);
  });

  it('keys each series by the metric and tags of its samples', () => {
    for (const s of labelledSuite({ seriesPerClass: 1, hours: 0.05 })) {
      const [first] = s.samples();
      expect(first).toBeDefined();
      expect(seriesKey(first!.metric, first!.tags)).toBe(s.series);
      expect(first!.tags).toMatchObject({ scenario: 'synthetic', class: s.cls, instance: '0' });
    }
  });

  it('is deterministic per seed, differs across seeds and across series', () => {
    const a = labelledSuite({ seed: 5, seriesPerClass: 2, hours: 0.1 });
    const b = labelledSuite({ seed: 5, seriesPerClass: 2, hours: 0.1 });
    const c = labelledSuite({ seed: 6, seriesPerClass: 2, hours: 0.1 });
    a.forEach((s, i) => {
      expect(b[i]!.changeAt).toBe(s.changeAt);
      expect(firstSamples(b[i]!.samples(), 20)).toEqual(firstSamples(s.samples(), 20));
    });
    const step = (suite: typeof a, instance: number) => suite.filter((s) => s.cls === 'latency_step_25')[instance]!;
    expect(firstSamples(step(c, 0).samples(), 20)).not.toEqual(firstSamples(step(a, 0).samples(), 20));
    expect(firstSamples(step(a, 1).samples(), 20)).not.toEqual(firstSamples(step(a, 0).samples(), 20));
    expect(step(c, 0).changeAt).not.toBe(step(a, 0).changeAt);
  });

  it('replays the same samples on every call of samples()', () => {
    const [series] = labelledSuite({ seriesPerClass: 1, hours: 0.02 });
    expect([...series!.samples()]).toEqual([...series!.samples()]);
  });
});
