import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadScenario } from '../../src/config/loadScenario.js';
import { cli, ROOT } from '../support/cli.js';
import { freePort } from '../support/net.js';

// Docker does not run on the CI machines: this checks docker-compose.yml statically, against the
// files it mounts, the CLI commands it runs and the scenario those commands read.

interface Service {
  image?: string;
  build?: string;
  entrypoint?: string[];
  command?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  pid?: string;
  restart?: string;
  healthcheck?: { test: string[] };
}

const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const compose = parse(text, { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const envExample = Object.fromEntries(
  readFileSync(join(ROOT, '.env.example'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
/** Compose's own interpolation of `${VAR}`, `${VAR:-default}` and `${VAR:?message}` from .env. */
const interpolate = (value: string): string =>
  value.replace(
    /\$\{(\w+)(?::[-?]([^}]*))?\}/g,
    (_, name: string, fallback?: string) => envExample[name] ?? fallback ?? '',
  );

describe('docker-compose.yml', () => {
  it(
    'runs Kafka (KRaft), InfluxDB 2, Grafana, the demo target, a probe, ' + 'analyze workers and the load generator',
    () => {
      expect(Object.keys(services).sort()).toEqual([
        'analyze',
        'demo-target',
        'grafana',
        'influxdb',
        'kafka',
        'load',
        'probe',
      ]);
      expect(services.kafka?.image).toMatch(/^apache\/kafka:\d+\.\d+\.\d+$/);
      expect(String(services.kafka?.environment?.KAFKA_PROCESS_ROLES)).toBe('broker,controller');
      expect(services.influxdb?.image).toMatch(/^influxdb:2\.\d+$/);
      expect(services.grafana?.image).toMatch(/^grafana\/grafana-oss:\d+\.\d+\.\d+$/);
      for (const name of ['demo-target', 'probe', 'analyze', 'load']) expect(services[name]?.build, name).toBe('.');
    },
  );

  it('publishes Grafana on 3000, InfluxDB on 8086 and Kafka on 9094', () => {
    expect(services.grafana?.ports).toContain('3000:3000');
    expect(services.influxdb?.ports).toContain('8086:8086');
    expect(services.kafka?.ports).toContain('9094:9094');
  });

  it('mounts files that exist, and Grafana finds the provisioning and dashboards where its provisioning says', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const [source] = volume.split(':') as [string];
        if (!source.startsWith('.')) continue;
        expect(existsSync(join(ROOT, source)), `${name}: ${source}`).toBe(true);
      }
    }
    const grafana = services.grafana?.volumes ?? [];
    expect(grafana).toContain('./grafana/provisioning:/etc/grafana/provisioning:ro');
    const provider = parse(readFileSync(join(ROOT, 'grafana/provisioning/dashboards/soakstream.yaml'), 'utf8')) as {
      providers: { options: { path: string } }[];
    };
    expect(grafana).toContain(`./grafana/dashboards:${provider.providers[0]?.options.path}:ro`);
    expect(services.grafana?.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(
      `${provider.providers[0]?.options.path}/soak-overview.json`,
    );
    const datasource = readFileSync(join(ROOT, 'grafana/provisioning/datasources/soakstream.yaml'), 'utf8');
    for (const variable of datasource.matchAll(/\$\{(\w+)\}/g))
      expect(services.grafana?.environment, variable[1]).toHaveProperty(variable[1] as string);
    accessSync(join(ROOT, 'docker/influxdb/init-dbrp.sh'), constants.X_OK);
    expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
  });

  it('bakes in no secrets: passwords and tokens come from .env, whose example values say they are local-only', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|TOKEN|SECRET/.test(key))
          expect(String(value), `${name}.${key}`).toMatch(/^\$\{\w+(:\?[^}]+)?\}$/);
      }
    }
    for (const variable of text.matchAll(/\$\{(\w+)(:-[^}]*)?/g)) {
      if (variable[2] === undefined)
        expect(envExample, `.env.example lacks ${variable[1]}`).toHaveProperty(variable[1] as string);
    }
    for (const [key, value] of Object.entries(envExample))
      if (/PASSWORD|TOKEN/.test(key)) expect(value, key).toMatch(/local-only/);
  });

  it(
    'runs soakstream commands that exist, ' + 'on a scenario that validates with the environment compose gives it',
    async () => {
      const help = await cli('--help');
      const commands = new Set([...help.stdout.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]));
      for (const name of ['probe', 'analyze', 'load']) expect(commands, name).toContain(services[name]?.command?.[0]);
      expect(services['demo-target']?.entrypoint).toEqual(['node', 'examples/demo-target.mjs']);
      expect(existsSync(join(ROOT, 'examples/demo-target.mjs'))).toBe(true);
      expect(services.probe?.pid).toBe('service:demo-target');

      const file = services.analyze?.command?.[1] as string;
      expect(services.load?.command).toEqual(['load', file]);
      const env = Object.fromEntries(
        Object.entries(services.analyze?.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]),
      );
      const { scenario, secrets } = await loadScenario(join(ROOT, file), env);
      expect(scenario.transport).toMatchObject({
        type: 'kafka',
        kafka: { brokers: ['kafka:9092'] },
        topic: 'soakstream.samples',
      });
      expect(scenario.requests[0]?.url).toMatch(/^http:\/\/demo-target:8080\//);
      expect(scenario.sinks.influx).toMatchObject({
        url: 'http://influxdb:8086',
        token: envExample.INFLUXDB_TOKEN,
        bucket: 'soakstream',
      });
      expect(secrets).toContain(envExample.INFLUXDB_TOKEN);
      expect(services.probe?.command).toEqual(
        expect.arrayContaining(['--topic', 'soakstream.samples', '--brokers', 'kafka:9092']),
      );
    },
  );

  it('does not restart the one-shot load, and starts load and probe once the demo target is healthy', async () => {
    // load exits when its soak is over, with 1 when a criterion failed: a restart would run the soak again.
    expect(services.load?.restart).toBe('no');
    for (const name of ['analyze', 'probe', 'demo-target']) expect(services[name]?.restart, name).toBe('on-failure');
    for (const name of ['load', 'probe'])
      expect(services[name]?.depends_on?.['demo-target'], name).toEqual({ condition: 'service_healthy' });
    // The healthcheck's command, run against a demo target started here, passes; against nothing it fails.
    const check = services['demo-target']?.healthcheck?.test as string[];
    expect(check.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    const port = await freePort();
    const script = (check[3] as string).replace('127.0.0.1:8080', `127.0.0.1:${port}`);
    const probe = (): number | null => spawnSync('node', ['-e', script], { timeout: 10_000 }).status;
    expect(probe()).toBe(1);
    const target = spawn('node', ['examples/demo-target.mjs', '--port', String(port)], { cwd: ROOT, stdio: 'pipe' });
    try {
      await once(target.stdout, 'data');
      expect(probe()).toBe(0);
    } finally {
      target.kill();
    }
  });

  it('gives the demo target flags that each take effect (no burst start without a length)', async () => {
    const args = (services['demo-target']?.command ?? []).map((arg) =>
      arg === '8080' ? '0' : arg === '0.0.0.0' ? '127.0.0.1' : arg,
    );
    const burst = args.indexOf('--error-burst-after');
    expect(burst).toBeGreaterThan(-1);
    expect(args).toEqual(expect.arrayContaining(['--error-burst-for', '--error-rate']));
    const alone = spawnSync('node', ['examples/demo-target.mjs', '--error-burst-after', '600s'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(alone.status).toBe(2);
    expect(alone.stderr).toMatch(/--error-burst-after needs --error-burst-for and --error-rate/);
    // With compose's own flags it starts and listens.
    const target = spawn('node', ['examples/demo-target.mjs', ...args], { cwd: ROOT, stdio: 'pipe' });
    try {
      const [first] = (await once(target.stdout, 'data')) as [Buffer];
      expect(first.toString()).toMatch(/^demo target listening on http:\/\/127\.0\.0\.1:\d+/);
    } finally {
      target.kill();
    }
  });
});
