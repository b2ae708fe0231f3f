import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ScenarioBuilder, scenario } from '../../src/config/scenarioBuilder.js';
import { loadScenario } from '../../src/config/loadScenario.js';
import { ConfigError } from '../../src/model/errors.js';
import { httpSoak } from '../../examples/http-soak.js';
import { thrownBy } from '../support/thrown.js';

const ENV = { INFLUX_TOKEN: 'token-from-env', KAFKA_PASSWORD: 'pw-from-env' };

/** A scenario using every part of the format. */
const everything = scenario('everything')
  .describe('all sections')
  .tags({ team: 'perf' })
  .tags({ env: 'ci' })
  .seed(42)
  .duration('45m')
  .target('http://127.0.0.1:9000')
  .startTarget(['node', 'server.js', '--port', '9000'], {
    env: { NODE_ENV: 'production' },
    ready: 'http://127.0.0.1:9000/health',
    readyTimeout: '20s',
  })
  .get('home', '/')
  .post('checkout', '/checkout', '{"cart":[1]}', {
    weight: 2,
    headers: { 'content-type': 'application/json' },
    expectStatus: [200, 201],
    timeout: '5s',
  })
  .request({ name: 'external', url: 'https://example.com/ping', method: 'HEAD', weight: 0.5 })
  .closedLoad({ duration: '5m', concurrency: 10 }, { duration: '40m', concurrency: 50 })
  .probes({ host: true, pids: [4242], interval: '2s' })
  .kafka({
    brokers: ['k1:9092', 'k2:9092'],
    topic: 'soak.samples',
    groupId: 'workers',
    fromBeginning: false,
    ssl: true,
    sasl: { mechanism: 'scram-sha-512', username: 'soak', password: '${KAFKA_PASSWORD}' },
  })
  .sinks({
    console: { summaryEvery: '30s' },
    influx: { url: 'http://influx:8086', token: '${INFLUX_TOKEN}', org: 'perf', bucket: 'soaks', rawSamples: true },
  })
  .sinks({
    kafkaAlerts: { alertsTopic: 'perf.alerts', regressionsTopic: null },
    recording: { dir: 'out', stats: true },
  })
  .ruleSettings({ stats: { window: '2m', hop: '20s' }, allowedLateness: '10s' })
  .rule({ name: 'latency-regression', for: '2m', severity: 'critical' })
  .rule({
    name: 'queue-depth',
    detector: 'threshold',
    match: { metric: 'queue_depth' },
    stat: 'p95',
    above: 1000,
    for: '1m',
  })
  .criteria('p95 < 300ms')
  .criteria('errors < 1%')
  .abortOnFail();

describe('ScenarioBuilder', () => {
  it('builds the same scenario document as examples/http-soak.yaml', () => {
    expect(httpSoak.toDocument()).toEqual(parse(readFileSync('examples/http-soak.yaml', 'utf8')));
  });

  it('round-trips every field through YAML and through JSON', () => {
    const document = everything.toDocument();
    expect(ScenarioBuilder.fromYAML(everything.toYAML(), 'x.yaml', ENV).toDocument()).toEqual(document);
    expect(ScenarioBuilder.fromJSON(everything.toJSON(), 'x.json', ENV).toDocument()).toEqual(document);
    expect(parse(everything.toYAML())).toEqual(JSON.parse(everything.toJSON()));
  });

  it('decodes to the scenario the same file decodes to, with ${ENV} filled in only when built', async () => {
    expect(everything.toYAML()).toContain('${INFLUX_TOKEN}');
    const built = (await everything.build({ env: ENV })).scenario;
    const reimported = (await ScenarioBuilder.fromYAML(everything.toYAML(), 'x.yaml', ENV).build({ env: ENV }))
      .scenario;
    expect(reimported).toEqual(built);
    expect(built.sinks.influx?.token).toBe('token-from-env');
    expect(built.transport).toMatchObject({
      type: 'kafka',
      topic: 'soak.samples',
      groupId: 'workers',
      fromBeginning: false,
      kafka: { brokers: ['k1:9092', 'k2:9092'], ssl: true },
    });
    expect(built.load).toEqual({
      model: 'closed',
      stages: [
        { durationMs: 300_000, concurrency: 10 },
        { durationMs: 2_400_000, concurrency: 50 },
      ],
    });
    expect(built.requests.map((r) => [r.name, r.method, r.url, r.weight])).toEqual([
      ['home', 'GET', 'http://127.0.0.1:9000/', 1],
      ['checkout', 'POST', 'http://127.0.0.1:9000/checkout', 2],
      ['external', 'HEAD', 'https://example.com/ping', 0.5],
    ]);
    expect(built.rules.rules.find((r) => r.name === 'latency-regression')).toMatchObject({
      for: 120_000_000,
      severity: 'critical',
    });
    expect(built.rules.rules.find((r) => r.name === 'queue-depth')?.detector).toMatchObject({
      type: 'threshold',
      stat: 'p95',
      above: 1000,
    });
    expect(built.criteria.map((c) => c.text)).toEqual(['p95 < 300ms', 'errors < 1%']);
    expect(built.tags).toEqual({ team: 'perf', env: 'ci', scenario: 'everything' });
    expect(built.sinks.kafkaAlerts).toMatchObject({ alertsTopic: 'perf.alerts', regressionsTopic: null });
  });

  it('imports every example scenario file and exports it back unchanged, decoding as the file does', async () => {
    const env = { INFLUX_TOKEN: 'compose-token' };
    for (const file of ['examples/demo.yaml', 'examples/http-soak.yaml', 'examples/compose/soak.yaml']) {
      const text = readFileSync(file, 'utf8');
      const imported = ScenarioBuilder.fromYAML(text, file, env);
      expect(parse(imported.toYAML())).toEqual(parse(text));
      const fromBuilder = (await imported.build({ env, baseDir: file.slice(0, file.lastIndexOf('/')) })).scenario;
      expect(fromBuilder).toEqual((await loadScenario(file, env)).scenario);
    }
  });

  it('is immutable: a variant does not change the scenario it came from', () => {
    const base = scenario('base').target('http://127.0.0.1:1').get('a', '/a');
    const variant = base.get('b', '/b').openLoad({ duration: '1m', rate: '10/s' });
    expect(base.toDocument().requests?.map((r) => r.name)).toEqual(['a']);
    expect(base.toDocument().load).toBeUndefined();
    expect(variant.toDocument().requests?.map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('reports every problem of an imported document, and misuse of the builder, clearly', async () => {
    const broken =
      'version: 1\nname: broken\nrequests: [ { name: a } ]\n' +
      'load: { stages: [ { duration: 1m, rate: fast } ] }\nprobes: { colour: blue }\n';
    const error = thrownBy(() => ScenarioBuilder.fromYAML(broken, 'broken.yaml'), ConfigError);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^broken\.yaml: invalid scenario \(2 problems\)\n/);
    expect(error.issues).toEqual([
      'load.stages[0].rate: expected "N/s" or "A..B/s", got "fast"',
      'probes.colour: unknown field (expected one of: self, host, target, pids, interval)',
    ]);
    expect(() => ScenarioBuilder.fromJSON('{"version": 1,', 'bad.json')).toThrow(/bad\.json: invalid JSON/);
    await expect(scenario('x').openLoad({ duration: '1m', rate: 'lots' }).build()).rejects.toThrow(
      /scenario x: invalid scenario/,
    );
    expect(() => scenario('x').closedLoad({ duration: '1m', concurrency: 1 }).maxInFlight(5)).toThrow(
      'maxInFlight applies to an open load',
    );
    expect(() => scenario('x').rulesFile('rules.yaml').rule({ name: 'r' })).toThrow(
      'the rules come from the file rules.yaml',
    );
  });
});
