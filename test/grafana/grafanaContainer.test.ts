import { readFileSync } from 'node:fs';
import { GenericContainer, Network, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { alertRuleProvisioning } from '../../grafana/src/alertRules.js';
import { dashboards } from '../../grafana/src/dashboards.js';
import { InfluxSink } from '../../src/sinks/influx/influxSink.js';
import { fixtureRecords } from '../support/collect.js';
import { dockerSkipReason } from '../support/dockerSkipReason.js';

// The images and settings docker-compose.yml runs, so this test checks what `docker compose up` starts.
const ROOT = new URL('../../', import.meta.url).pathname;
const compose = parse(readFileSync(`${ROOT}docker-compose.yml`, 'utf8')) as {
  services: Record<string, { image: string }>;
};
const TOKEN = 'container-test-token';
const PASSWORD = 'container-test-password';

const skipReason = dockerSkipReason();
if (skipReason !== null) console.log(`skipping Grafana and InfluxDB 2 containers: ${skipReason}`);

describe.skipIf(skipReason !== null)(
  'provisioned Grafana on InfluxDB 2 (testcontainers, the docker-compose images)',
  () => {
    let network: StartedNetwork;
    let influx: StartedTestContainer;
    let grafana: StartedTestContainer;
    let grafanaUrl: string;
    let range: { from: number; to: number };

    const api = async (path: string, init: RequestInit = {}): Promise<unknown> => {
      const response = await fetch(`${grafanaUrl}${path}`, {
        ...init,
        headers: {
          authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`,
          'content-type': 'application/json',
          ...init.headers,
        },
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${text}`);
      return JSON.parse(text) as unknown;
    };

    beforeAll(async () => {
      network = await new Network().start();
      influx = await new GenericContainer(compose.services.influxdb?.image as string)
        .withNetwork(network)
        .withNetworkAliases('influxdb')
        .withEnvironment({
          DOCKER_INFLUXDB_INIT_MODE: 'setup',
          DOCKER_INFLUXDB_INIT_USERNAME: 'soakstream',
          DOCKER_INFLUXDB_INIT_PASSWORD: PASSWORD,
          DOCKER_INFLUXDB_INIT_ORG: 'soakstream',
          DOCKER_INFLUXDB_INIT_BUCKET: 'soakstream',
          DOCKER_INFLUXDB_INIT_ADMIN_TOKEN: TOKEN,
        })
        .withCopyFilesToContainer([
          {
            source: `${ROOT}docker/influxdb/init-dbrp.sh`,
            target: '/docker-entrypoint-initdb.d/init-dbrp.sh',
            mode: 0o755,
          },
        ])
        .withExposedPorts(8086)
        .withWaitStrategy(Wait.forLogMessage(/Listening.*8086|service=tcp-listener.*8086/))
        .start();
      const records = await fixtureRecords();
      const sink = new InfluxSink({
        url: `http://${influx.getHost()}:${influx.getMappedPort(8086)}`,
        token: TOKEN,
        org: 'soakstream',
        bucket: 'soakstream',
        tags: { scenario: 'container', run: 'r1' },
      });
      for (let i = 0; i < records.length; i += 5000) await sink.write(records.slice(i, i + 5000));
      await sink.close();
      const times = records.flatMap((record) => (record.type === 'sample' ? [record.sample.ts / 1000] : []));
      range = { from: Math.floor(Math.min(...times)), to: Math.ceil(Math.max(...times)) };

      grafana = await new GenericContainer(compose.services.grafana?.image as string)
        .withNetwork(network)
        .withEnvironment({
          GF_SECURITY_ADMIN_PASSWORD: PASSWORD,
          SOAKSTREAM_INFLUX_URL: 'http://influxdb:8086',
          SOAKSTREAM_INFLUX_DATABASE: 'soakstream',
          SOAKSTREAM_INFLUX_TOKEN: TOKEN,
        })
        .withCopyDirectoriesToContainer([
          { source: `${ROOT}grafana/provisioning`, target: '/etc/grafana/provisioning' },
          { source: `${ROOT}grafana/dashboards`, target: '/var/lib/grafana/dashboards/soakstream' },
        ])
        .withExposedPorts(3000)
        .withWaitStrategy(Wait.forHttp('/api/health', 3000))
        .start();
      grafanaUrl = `http://${grafana.getHost()}:${grafana.getMappedPort(3000)}`;
    }, 300_000);

    afterAll(async () => {
      await grafana?.stop();
      await influx?.stop();
      await network?.stop();
    });

    test('every provisioned dashboard loads with all its panels', async () => {
      const found = (await api('/api/search?tag=soakstream&type=dash-db')) as { uid: string; title: string }[];
      const expected = Object.values(dashboards());
      expect(found.map((d) => d.uid).sort()).toEqual(expected.map((d) => d.uid).sort());
      for (const board of expected) {
        const loaded = (await api(`/api/dashboards/uid/${board.uid as string}`)) as {
          dashboard: { panels: unknown[] };
          meta: { provisioned: boolean };
        };
        expect(loaded.meta.provisioned).toBe(true);
        expect(loaded.dashboard.panels).toHaveLength(board.panels?.length ?? -1);
      }
    });

    test('the datasource reaches InfluxDB 2 over InfluxQL through the DBRP mapping', async () => {
      const health = (await api('/api/datasources/uid/soakstream-influxdb/health')) as { status: string };
      expect(health.status).toBe('OK');
      const body = {
        from: String(range.from),
        to: String(range.to),
        queries: [
          {
            refId: 'A',
            datasource: { type: 'influxdb', uid: 'soakstream-influxdb' },
            rawQuery: true,
            resultFormat: 'time_series',
            query:
              'SELECT max("p95") FROM "stats" WHERE "metric_kind" = \'latency\' AND $timeFilter ' +
              'GROUP BY time($__interval), "metric" fill(none)',
          },
        ],
      };
      const result = (await api('/api/ds/query', { method: 'POST', body: JSON.stringify(body) })) as {
        results: { A: { frames: { data: { values: unknown[][] } }[] } };
      };
      expect(result.results.A.frames.length).toBeGreaterThan(0);
      expect(result.results.A.frames[0]?.data.values[1]?.length).toBeGreaterThan(0);
    });

    test('the regression, leak and scaling alert rules are provisioned', async () => {
      const rules = (await api('/api/v1/provisioning/alert-rules')) as { uid: string }[];
      const expected = alertRuleProvisioning().groups.flatMap((group) => group.rules.map((rule) => rule.uid));
      expect(rules.map((rule) => rule.uid).sort()).toEqual([...expected].sort());
    });
  },
);
