import { firstValueFrom, Subject, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { FAULT_EXIT_METRIC, FAULT_METRIC, faultOf } from '../../src/model/faultRecord.js';
import { checkFaultTools, faultRunner } from '../../src/run/faultRunner.js';
import { FaultProxy } from '../../src/sources/faults/faultProxy.js';
import { faultTimeline } from '../../src/sources/faults/faultSchedule.js';

describe('faultRunner (real commands, a real proxy)', () => {
  it('records each fault’s start and end, and an exec fault’s exit code, with the run’s tags', async () => {
    const timeline = faultTimeline(
      [
        {
          name: 'exit-3',
          atMs: 0,
          action: { kind: 'exec', command: ['node', '-e', 'process.exit(3)'], durationMs: 10_000 },
        },
        { name: 'missing', atMs: 50, action: { kind: 'exec', command: ['/nonexistent/tool'], durationMs: 1000 } },
      ],
      60_000,
    );
    const lines: string[] = [];
    const samples = await firstValueFrom(
      faultRunner({
        timeline,
        runMs: 60_000,
        target: null,
        proxy: null,
        tags: { scenario: 's' },
        log: (l) => lines.push(l),
      }).pipe(toArray()),
    );
    const faults = samples.filter((s) => s.metric === FAULT_METRIC).map((s) => faultOf(s));
    expect(faults.filter((f) => f?.fault === 'exit-3').map((f) => f?.phase)).toEqual(['start', 'end']);
    expect(samples.filter((s) => s.metric === FAULT_METRIC).every((s) => s.tags.scenario === 's')).toBe(true);
    const exits = samples.filter((s) => s.metric === FAULT_EXIT_METRIC);
    expect(exits.map((s) => [s.tags.fault, s.value]).sort()).toEqual([
      ['exit-3', 3],
      ['missing', -1],
    ]);
    expect(lines.join('\n')).toMatch(/fault exit-3 #1 \(exec\) ended after [\d.]+ s: exit code 3/);
    expect(lines.join('\n')).toMatch(
      /fault missing #1 \(exec\) ended after [\d.]+ s: exec: cannot run \/nonexistent\/tool: ENOENT/,
    );
    // Starts and ends come in time order, each end after its start.
    const ts = samples.filter((s) => s.metric === FAULT_METRIC).map((s) => s.ts);
    expect(ts.every((t, i) => i === 0 || t >= (ts[i - 1] as number))).toBe(true);
  });

  it('a stop undoes the network fault on at once and records its end; the proxy forwards clean again', async () => {
    const proxy = await FaultProxy.start({ targetHost: '127.0.0.1', targetPort: 9 });
    try {
      const stop = new Subject<void>();
      const lines: string[] = [];
      const timeline = faultTimeline(
        [{ name: 'slow', atMs: 0, action: { kind: 'network', durationMs: 600_000, faults: { latencyMs: 500 } } }],
        3_600_000,
      );
      const done = firstValueFrom(
        faultRunner({
          timeline,
          runMs: 3_600_000,
          target: null,
          proxy,
          tags: {},
          log: (l) => lines.push(l),
          stop,
        }).pipe(toArray()),
      );
      for (let i = 0; i < 100 && proxy.faults.latencyMs === undefined; i++) await new Promise((r) => setTimeout(r, 20));
      expect(proxy.faults).toEqual({ latencyMs: 500 });
      stop.next();
      const samples = await done;
      expect(proxy.faults).toEqual({});
      expect(samples.map((s) => faultOf(s)?.phase)).toEqual(['start', 'end']);
      expect(lines[1]).toMatch(/fault slow #1 \(network\) ended after [\d.]+ s: network faults off \(the run ended\)/);
    } finally {
      await proxy.close();
    }
  });

  it('names the fault and the package when stress-ng is needed and missing', () => {
    const timeline = faultTimeline(
      [{ name: 'hog', atMs: 0, action: { kind: 'cpu', durationMs: 1000, workers: 1 } }],
      10_000,
    );
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => checkFaultTools(timeline)).toThrow(
        /^fault hog: cpu pressure runs stress-ng, which is not installed on this machine \(Debian\/Ubuntu: apt-get install stress-ng\)$/,
      );
    } finally {
      process.env.PATH = path;
    }
  });
});
