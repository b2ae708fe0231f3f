import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeScenario } from '../../src/config/decodeScenario.js';
import { interpolateEnv, redact } from '../../src/config/interpolateEnv.js';

const problems = (document: unknown): string[] => {
  const decoded = decodeScenario(document);
  return isLeft(decoded) ? decoded.left : [];
};

describe('decodeScenario', () => {
  it(
    'fills the defaults: memory transport, console + report + recording sinks, ' +
      'the default rules, the scenario tag',
    () => {
      const decoded = decodeScenario({ version: 1, name: 'x', probes: { self: true } });
      expect(isRight(decoded)).toBe(true);
      if (!isRight(decoded)) return;
      const scenario = decoded.right;
      expect(scenario.transport).toEqual({ type: 'memory' });
      expect(Object.keys(scenario.sinks)).toEqual(['console', 'report', 'recording']);
      expect(scenario.sinks.console).toEqual({ summaryEveryMs: 0 });
      expect(scenario.tags).toEqual({ scenario: 'x' });
      expect('rules' in scenario.rules && scenario.rules.rules.length).toBe(9);
    },
  );

  it('resolves request paths against target.url and rates to requests per second', () => {
    const decoded = decodeScenario({
      version: 1,
      name: 'x',
      target: { url: 'http://h:1/api/' },
      requests: [{ name: 'a', path: 'items?q=1' }],
      load: { stages: [{ duration: '1m', rate: '0..120/m' }] },
    });
    if (!isRight(decoded)) throw new Error(JSON.stringify(decoded.left));
    expect(decoded.right.requests[0]?.url).toBe('http://h:1/api/items?q=1');
    expect(decoded.right.load).toEqual({
      model: 'open',
      maxInFlight: 1000,
      stages: [{ durationMs: 60_000, from: 0, to: 2 }],
    });
  });

  it('a Kafka alerts sink needs brokers of its own or a Kafka transport', () => {
    expect(problems({ version: 1, name: 'x', probes: { self: true }, sinks: { kafkaAlerts: true } })).toEqual([
      'sinks.kafkaAlerts: expected brokers (or a kafka transport to take them from)',
    ]);
    const decoded = decodeScenario({
      version: 1,
      name: 'x',
      transport: { type: 'kafka', brokers: 'k1:9092,k2:9092' },
      sinks: { kafkaAlerts: true },
    });
    if (!isRight(decoded)) throw new Error(JSON.stringify(decoded.left));
    expect(decoded.right.sinks.kafkaAlerts?.kafka.brokers).toEqual(['k1:9092', 'k2:9092']);
  });

  it("a Kafka transport's broker timeout and buffer bound are decoded, and checked", () => {
    const decoded = decodeScenario({
      version: 1,
      name: 'x',
      probes: { self: true },
      transport: { type: 'kafka', brokers: 'k1:9092', brokerTimeout: '30s', maxBuffered: '1000' },
    });
    if (!isRight(decoded)) throw new Error(JSON.stringify(decoded.left));
    expect(decoded.right.transport).toMatchObject({ type: 'kafka', brokerTimeoutMs: 30_000, maxBuffered: 1000 });
    const bad = problems({
      version: 1,
      name: 'x',
      probes: { self: true },
      transport: { type: 'kafka', brokers: 'k1:9092', brokerTimeout: 'soon', maxBuffered: 0 },
    });
    expect(bad).toHaveLength(2);
    expect(bad[0]).toMatch(/^transport\.brokerTimeout: /);
    expect(bad[1]).toMatch(/^transport\.maxBuffered: /);
  });

  it('checks Kafka topics and the recording prefix as the sinks will, before anything starts', () => {
    expect(
      problems({
        version: 1,
        name: 'x',
        transport: { type: 'kafka', brokers: 'k:9092', topic: 'soak samples' },
        sinks: { recording: { prefix: 'a/b' }, kafkaAlerts: { alertsTopic: 'alerts!', regressionsTopic: null } },
      }),
    ).toEqual([
      'transport.topic: expected a Kafka topic name (1–249 of letters, digits, ".", "_" and "-"), got "soak samples"',
      'sinks.recording.prefix: expected a file name prefix of letters, digits, ".", "_" and "-", got "a/b"',
      'sinks.kafkaAlerts.alertsTopic: expected a Kafka topic name ' +
        '(1–249 of letters, digits, ".", "_" and "-"), got "alerts!"',
    ]);
  });

  it(
    'refuses a memory-transport scenario that produces no samples (run would analyse nothing), ' +
      "not a Kafka worker's",
    () => {
      expect(problems({ version: 1, name: 'x', probes: { self: false } })).toEqual([
        'load: expected a load or at least one probe (the scenario produces no samples)',
      ]);
      expect(
        isRight(
          decodeScenario({
            version: 1,
            name: 'x',
            probes: { self: false },
            transport: { type: 'kafka', brokers: 'k:9092' },
          }),
        ),
      ).toBe(true);
    },
  );

  it('reports duplicate request names and paths without a target url', () => {
    expect(
      problems({
        version: 1,
        name: 'x',
        requests: [
          { name: 'a', path: '/a' },
          { name: 'a', url: 'http://h/' },
        ],
      }),
    ).toEqual([
      'requests[0].path: a path needs target.url to resolve against (or give a full url)',
      'requests[1].name: "a" is used by an earlier request',
    ]);
  });
});

describe('interpolateEnv', () => {
  it('substitutes ${NAME} and ${NAME:-default} in strings only, keeps $${ literal, and collects secret fields', () => {
    const {
      value,
      problems: missing,
      secrets,
    } = interpolateEnv(
      { url: 'http://${HOST:-localhost}:${PORT}', sasl: { password: '${PASS}' }, note: '$${NOT}', n: 3 },
      { PORT: '9092', PASS: 'pa55word-xyz' },
    );
    expect(value).toEqual({ url: 'http://localhost:9092', sasl: { password: 'pa55word-xyz' }, note: '${NOT}', n: 3 });
    expect(missing).toEqual([]);
    expect([...secrets]).toEqual(['pa55word-xyz']);
    expect(redact('auth failed for pa55word-xyz', secrets)).toBe('auth failed for ***');
  });

  it('names the path of every unset variable', () => {
    expect(interpolateEnv({ a: [{ b: '${NOPE}' }] }, {}).problems).toEqual([
      'a[0].b: environment variable NOPE is not set (write ${NOPE:-default} to give a default)',
    ]);
  });
});
