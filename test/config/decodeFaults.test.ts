import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseByteSize } from '../../src/config/decodeFaults.js';
import { decodeScenario } from '../../src/config/decodeScenario.js';

/** A scenario starting a target at 127.0.0.1:9 with a 60 s load, and these faults. */
const withFaults = (faults: unknown, extra: Record<string, unknown> = {}): unknown => ({
  version: 1,
  name: 'x',
  target: { url: 'http://127.0.0.1:9', start: { command: ['node', 'server.js'] } },
  requests: [{ name: 'a', path: '/' }],
  load: { stages: [{ duration: '60s', rate: '10/s' }] },
  faults,
  ...extra,
});

const problems = (document: unknown): string[] => {
  const decoded = decodeScenario(document);
  return isLeft(decoded) ? decoded.left : [];
};

describe('scenario faults:', () => {
  it('decodes each action with its defaults, in ms', () => {
    const decoded = decodeScenario(
      withFaults([
        { name: 'k', at: '10s', kill: {} },
        { name: 'p', at: '20s', pause: { for: '3s' } },
        { name: 'r', every: '25s', start: '5s', jitter: '2s', restart: { grace: '1s' } },
        { name: 'n', at: '30s', network: { for: '5s', latency: '100ms', jitter: '10ms', bandwidth: '100KB/s' } },
        { name: 'c', at: '40s', cpu: { for: '5s', workers: 2 } },
        { name: 'm', at: '40s', memory: { for: '5s', bytes: '64MiB' } },
        { name: 'e', at: '50s', exec: { command: ['kubectl', 'delete', 'pod', 'x'], timeout: '30s' } },
      ]),
    );
    if (!isRight(decoded)) throw new Error(decoded.left.join('\n'));
    expect(decoded.right.faults).toEqual([
      { name: 'k', atMs: 10_000, action: { kind: 'kill', restartAfterMs: 0 } },
      { name: 'p', atMs: 20_000, action: { kind: 'pause', durationMs: 3000 } },
      { name: 'r', everyMs: 25_000, startMs: 5000, jitterMs: 2000, action: { kind: 'restart', graceMs: 1000 } },
      {
        name: 'n',
        atMs: 30_000,
        action: {
          kind: 'network',
          durationMs: 5000,
          faults: { latencyMs: 100, jitterMs: 10, bandwidthBytesPerSecond: 100_000 },
        },
      },
      { name: 'c', atMs: 40_000, action: { kind: 'cpu', durationMs: 5000, workers: 2 } },
      { name: 'm', atMs: 40_000, action: { kind: 'memory', durationMs: 5000, bytes: 64 * 1024 ** 2 } },
      {
        name: 'e',
        atMs: 50_000,
        action: { kind: 'exec', command: ['kubectl', 'delete', 'pod', 'x'], durationMs: 30_000 },
      },
    ]);
  });

  it('names every problem with its path', () => {
    expect(
      problems(
        withFaults([
          { name: 'a', at: '5s' },
          { name: 'b', at: '5s', kill: {}, pause: { for: '1s' } },
          { name: 'c', at: 'soon', pause: { for: '1s' } },
          { name: 'd', at: '5s', network: { for: '1s' } },
          { name: 'e', at: '5s', every: '10s', pause: { for: '1s' } },
          { name: 'a', pause: { for: '1s' } },
          { name: 'f', at: '5s', memory: { for: '1s', bytes: 'lots' } },
          { name: 'g', at: '5s', kill: { restartAfter: '1s', signal: 'HUP' } },
        ]),
      ),
    ).toEqual([
      'faults[2].at: expected a duration like "30s", "5m" or "1h", got "soon"',
      'faults[6].memory.bytes: expected a size like "256MB" or "64KiB", got "lots"',
      'faults[7].kill.signal: unknown field (expected one of: restartAfter)',
    ]);
    expect(
      problems(
        withFaults([
          { name: 'a', at: '5s' },
          { name: 'b', at: '5s', kill: {}, pause: { for: '1s' } },
          { name: 'd', at: '5s', network: { for: '1s' } },
          { name: 'e', at: '5s', every: '10s', pause: { for: '1s' } },
          { name: 'a', pause: { for: '1s' } },
        ]),
      ),
    ).toEqual([
      'faults[0]: expected exactly one action of kill, pause, restart, network, cpu, memory, exec',
      'faults[1]: expected exactly one action of kill, pause, restart, network, cpu, memory, exec, got kill and pause',
      'faults[2].network: expected latency, bandwidth, reset or blackhole',
      'faults[3]: give "at" or "every", not both',
      'faults[4].name: "a" is used by an earlier fault',
      'faults[4]: expected "at" or "every"',
    ]);
  });

  it('needs a started target for process faults, a target url for network faults, and a run length', () => {
    expect(
      problems({
        version: 1,
        name: 'x',
        probes: { self: true },
        duration: '1m',
        faults: [
          { name: 'k', at: '1s', kill: {} },
          { name: 'n', at: '1s', network: { for: '1s', reset: true } },
        ],
      }),
    ).toEqual([
      'faults[0].kill: needs target.start (soakstream only kills a service it started)',
      'faults[1].network: needs target.url (the fault proxy goes in front of it)',
    ]);
    expect(
      problems({
        version: 1,
        name: 'x',
        target: { start: { command: ['x'] } },
        probes: { self: true },
        faults: [{ name: 'k', at: '1s', kill: {} }],
      }),
    ).toEqual(['faults: faults need a run length (duration, or load stages)']);
  });

  it('refuses schedules that overlap themselves or start after the run', () => {
    expect(problems(withFaults([{ name: 'p', every: '5s', jitter: '2s', pause: { for: '2s' } }]))).toEqual([
      'faults: fault p: every 5000 ms must be longer than its duration (2000 ms) plus twice its jitter (2000 ms), ' +
        'or occurrences overlap',
    ]);
    expect(problems(withFaults([{ name: 'p', at: '2m', pause: { for: '2s' } }]))).toEqual([
      'faults: no fault starts within the run (60 s)',
    ]);
  });

  it('reads sizes in decimal and binary units', () => {
    expect([parseByteSize('512MB'), parseByteSize('64 KiB'), parseByteSize('1.5gb'), parseByteSize('12')]).toEqual([
      512e6,
      65_536,
      1.5e9,
      null,
    ]);
  });
});
