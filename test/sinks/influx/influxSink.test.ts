import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Alert } from '../../../src/model/alert.js';
import { decodeRules } from '../../../src/config/decodeRules.js';
import { SinkError } from '../../../src/model/errors.js';
import type { Stat } from '../../../src/model/stat.js';
import { InfluxSink } from '../../../src/sinks/influx/influxSink.js';
import { MEASUREMENT } from '../../../src/sinks/influx/schema.js';
import type { SinkRecord } from '../../../src/sinks/sink.js';
import { Session } from '../../../src/run/session.js';
import { createRandom } from '../../../src/stats/random.js';
import type { RuleSet } from '../../../src/rules/rule.js';
import { influxdSkipReason, startInfluxd, type InfluxServer } from '../../support/influxd.js';
import { faultSoakRecords } from '../../support/faultSoak.js';
import { freePort } from '../../support/net.js';

const skipReason = influxdSkipReason();
if (skipReason !== null) console.log(`skipping InfluxDB sink tests: ${skipReason}`);

const T0 = 1_767_225_600_000_000;

const ruleSetOf = (decoded: ReturnType<typeof decodeRules>): RuleSet => {
  if (decoded._tag === 'Left') throw new Error(decoded.left.join('\n'));
  return decoded.right;
};

const stat = (i: number, tags: Record<string, string> = { scenario: 'checkout' }): SinkRecord => {
  const s: Stat = {
    ts: T0 + i * 1_000_000,
    windowStart: T0,
    series: 'http_req_duration',
    metric: 'http_req_duration',
    tags,
    metricKind: 'latency',
    n: 10 + i,
    min: 1,
    max: 9,
    mean: 5,
    stdev: 1.5,
    median: 5,
    mad: 1,
    p50: 5,
    p90: 8,
    p95: 8.5,
    p99: 9,
  };
  return { type: 'stat', stat: s };
};

describe.skipIf(skipReason !== null)(
  'InfluxSink against a real influxd (Debian 1.6.7 behind the /api/v2/write shim)',
  () => {
    let influx: InfluxServer;
    let db = 0;
    const freshDatabase = async (): Promise<string> => {
      const name = `sink_test_${++db}`;
      await influx.createDatabase(name);
      return name;
    };
    beforeAll(async () => {
      influx = await startInfluxd();
    }, 30_000);
    afterAll(async () => {
      await influx.stop();
    });

    test('writes stats with their tags and µs timestamps; write resolves once the server has them', async () => {
      const bucket = await freshDatabase();
      const sink = new InfluxSink({
        url: influx.url,
        bucket,
        tags: { run: 'r1', host: 'ci' },
        batchSize: 7,
      });
      await sink.write(Array.from({ length: 20 }, (_, i) => stat(i)));
      const result = await influx.query(
        `SELECT n, p95 FROM "${MEASUREMENT.stats}" WHERE "run" = 'r1' AND "scenario" = 'checkout'`,
        bucket,
      );
      const rows = result.results[0]?.series?.[0]?.values ?? [];
      expect(rows).toHaveLength(20);
      expect(rows[0]).toEqual([T0, 10, 8.5]);
      expect(rows[19]).toEqual([T0 + 19_000_000, 29, 8.5]);
      expect(sink.stats()).toMatchObject({ written: 20, buffered: 0, requests: 3, retries: 0 });
      await sink.close();
    });

    test('tag values from untrusted samples cannot inject line protocol', async () => {
      const bucket = await freshDatabase();
      const sink = new InfluxSink({ url: influx.url, bucket, rawSamples: true });
      const nasty = [
        'a,b=c',
        'x y',
        'k=v',
        'line\nevil,metric=pwned value=666',
        'back\\slash',
        'quote"s',
        "it's",
        'trailing\\',
        'end\\ ',
        'x\\,y=1 z',
      ];
      await sink.write(
        nasty.map((value, i) => ({
          type: 'sample',
          sample: { ts: T0 + i, metric: 'latency', value: i, tags: { endpoint: value } },
        })),
      );
      await sink.close();
      const measurements = await influx.query('SHOW MEASUREMENTS', bucket);
      expect(measurements.results[0]?.series?.[0]?.values).toEqual([[MEASUREMENT.samples]]);
      const rows =
        (await influx.query(`SELECT value, endpoint FROM "${MEASUREMENT.samples}"`, bucket)).results[0]?.series?.[0]
          ?.values ?? [];
      expect(rows).toHaveLength(nasty.length);
      const stored = new Map(rows.map((row) => [row[1], row[2]]));
      // InfluxDB 1.x stores a newline in a tag value as the two characters \n (line protocol has no
      // newline escape it undoes).
      const expected = nasty.map((value) => value.replace('\n', '\\n').replace(/\\(?=[ ,=]|$)/g, '\u2216'));
      expect(rows.map((row) => row[2])).toEqual(expected);
      expect(stored.size).toBe(nasty.length);
    });

    test('a point the server refuses (outside its time range) is counted; the rest is stored', async () => {
      const bucket = await freshDatabase();
      const sink = new InfluxSink({ url: influx.url, bucket, rawSamples: true });
      const at = (ts: number, value: number): SinkRecord => ({
        type: 'sample',
        sample: { ts, metric: 'm', value, tags: {} },
      });
      // Year 2300 is past the last nanosecond InfluxDB can store (2262): it refuses that point alone.
      const year2300 = Date.UTC(2300, 0, 1) * 1000;
      await sink.write([at(T0, 1), at(year2300, 2), at(T0 + 1, 3)]);
      await sink.write([at(T0 + 2, 4)]);
      await sink.close();
      expect(sink.refused()).toEqual({ count: 1, reason: expect.stringMatching(/^HTTP 400: .*partial write/) });
      const rows =
        (await influx.query(`SELECT value FROM "${MEASUREMENT.samples}"`, bucket)).results[0]?.series?.[0]?.values ??
        [];
      expect(rows.map((row) => row[1])).toEqual([1, 3, 4]);
    });

    test('constant tags follow the same backslash rule as series tags', async () => {
      const bucket = await freshDatabase();
      const sink = new InfluxSink({ url: influx.url, bucket, tags: { run: 'r\\', host: 'ci' } });
      await sink.write([stat(0)]);
      await sink.close();
      const rows =
        (await influx.query(`SELECT n, "run", "host" FROM "${MEASUREMENT.stats}"`, bucket)).results[0]?.series?.[0]
          ?.values ?? [];
      expect(rows).toEqual([[T0, 10, 'r\u2216', 'ci']]);
    });

    test(
      'a series tag named like a tag the point sets itself is kept as user_<name>; ' +
        'constant tags yield to series tags',
      async () => {
        const bucket = await freshDatabase();
        const sink = new InfluxSink({ url: influx.url, bucket, tags: { run: 'r2', host: 'ci' } });
        await sink.write([stat(0, { run: 'from-sample', metric: 'other', metric_kind: 'mine' })]);
        await sink.close();
        const tags = await influx.query(`SHOW TAG KEYS FROM "${MEASUREMENT.stats}"`, bucket);
        expect(tags.results[0]?.series?.[0]?.values.flat().sort()).toEqual([
          'host',
          'metric',
          'metric_kind',
          'run',
          'user_metric',
          'user_metric_kind',
        ]);
        const rows =
          (
            await influx.query(
              `SELECT n, "run", "host", "metric", user_metric, metric_kind, user_metric_kind ` +
                `FROM "${MEASUREMENT.stats}"`,
              bucket,
            )
          ).results[0]?.series?.[0]?.values ?? [];
        // metric_kind is the kind the Stat carries (the rules saw http_req_duration as a latency).
        expect(rows).toEqual([[T0, 10, 'from-sample', 'ci', 'http_req_duration', 'other', 'latency', 'mine']]);
      },
    );

    test(
      'the kind the rules saw travels to InfluxDB: ' + 'checkout in ms is a latency in stats, alerts and raw samples',
      async () => {
        const bucket = await freshDatabase();
        // `checkout` says nothing by its name; its unit makes it a latency, and the rules alert on it as one.
        const session = new Session({
          rules: ruleSetOf(
            decodeRules({
              rules: [
                {
                  name: 'latency-regression',
                  reference: { type: 'initial', warmup: '0s', duration: '60s' },
                  tiers: [{ window: '40s', minShift: '10%' }],
                  evaluateEvery: '5s',
                  for: '0s',
                },
              ],
            }),
          ),
          sinks: [new InfluxSink({ url: influx.url, bucket, rawSamples: true })],
        });
        const random = createRandom(5);
        for (let i = 0; i < 180; i++) {
          const value = (i < 90 ? 20 : 40) * (1 + 0.05 * random.normal());
          session.push({ ts: T0 + i * 1_000_000, metric: 'checkout', value, tags: { service: 'shop' }, unit: 'ms' });
        }
        const summary = await session.close();
        expect(summary.fired.map((alert) => [alert.rule, alert.metricKind])).toEqual([
          ['latency-regression', 'latency'],
        ]);
        for (const measurement of [
          MEASUREMENT.stats,
          MEASUREMENT.alerts,
          MEASUREMENT.regressions,
          MEASUREMENT.samples,
        ]) {
          const kinds = await influx.query(`SHOW TAG VALUES FROM "${measurement}" WITH KEY = "metric_kind"`, bucket);
          expect(kinds.results[0]?.series?.[0]?.values, measurement).toEqual([['metric_kind', 'latency']]);
        }
      },
    );

    test('anomaly scores land per sample; change-point alerts carry their onset, a superseded one why', async () => {
      const bucket = await freshDatabase();
      const rules = ruleSetOf(
        decodeRules({
          preset: 'anomaly',
          rules: [
            {
              name: 'level-change',
              detector: 'changepoint',
              bucket: '10s',
              referenceBuckets: 12,
              match: { metric: 'depth' },
            },
          ],
        }),
      );
      const session = new Session({ rules, sinks: [new InfluxSink({ url: influx.url, bucket })] });
      const random = createRandom(8);
      // One sample a second; the level steps up at 600 s and again at 1,200 s.
      for (let i = 0; i < 1800; i++) {
        const value = 100 + (i >= 600 ? 40 : 0) + (i >= 1200 ? 40 : 0) + random.normal();
        session.push({ ts: T0 + i * 1_000_000, metric: 'depth', value, tags: {} });
      }
      const summary = await session.close();
      const scored = await influx.query(`SELECT count(score) FROM "${MEASUREMENT.anomaly}"`, bucket);
      // Scores start once 30 samples are in the window and the likelihood has 100 surprises behind it.
      expect(scored.results[0]?.series?.[0]?.values?.[0]?.[1]).toBe(1800 - 30 - 100);
      const changes = await influx.query(
        `SELECT "onset", "reason", "state" FROM "${MEASUREMENT.alerts}" WHERE "rule" = 'level-change'`,
        bucket,
      );
      // Times in µs (the query asks for epoch=u).
      const rows = (changes.results[0]?.series?.[0]?.values ?? []) as [number, number, string | null, string][];
      expect(rows.map((row) => row[3])).toEqual(['firing', 'resolved', 'firing']);
      expect(rows[1]?.[2]).toBe('superseded');
      for (const [time, onset] of rows) expect(onset).toBeLessThan(time);
      expect(summary.fired.filter((alert) => alert.rule === 'level-change')).toHaveLength(2);
    });

    test('alerts land with their state, id and message; non-finite fields are left out, not fatal', async () => {
      const bucket = await freshDatabase();
      const sink = new InfluxSink({ url: influx.url, bucket });
      const alert: Alert = {
        id: 'a1b2',
        rule: 'latency-regression',
        kind: 'regression',
        severity: 'warning',
        state: 'firing',
        series: 's',
        metric: 'http_req_duration',
        tags: {},
        metricKind: 'other',
        ts: T0,
        since: T0 - 60_000_000,
        value: 120,
        baseline: 100,
        effect: 0.2,
        pValue: Number.NaN,
        message: 'p50 "up" 20%, <b> ends with \\',
      };
      await sink.write([{ type: 'alert', alert }]);
      await sink.close();
      const rows =
        (
          await influx.query(
            `SELECT id, message, effect, p_value, firing, "state" FROM "${MEASUREMENT.alerts}"`,
            bucket,
          )
        ).results[0]?.series?.[0]?.values ?? [];
      expect(rows).toEqual([[T0, 'a1b2', 'p50 "up" 20%, <b> ends with \\', 0.2, null, 1, 'firing']]);
    });

    test(
      'each phase of a fault lands in faults at the fault start, tagged with its phase: ' +
        'none overwrites another, a redelivery overwrites itself',
      async () => {
        const bucket = await freshDatabase();
        const records = faultSoakRecords(T0).filter((record) => record.type === 'recovery');
        expect(records).toHaveLength(6);
        const sink = new InfluxSink({ url: influx.url, bucket, tags: { scenario: 'checkout', run: 'r3' } });
        await sink.write(records);
        // At-least-once delivery: the same records again store no new point.
        await sink.write(records);
        await sink.close();
        const result = await influx.query(
          `SELECT "fault", "action", "phase", "occurrence", "end_s", "impact_s", "recovery_s", "deadline_s", ` +
            `"end_ms", "recovered_ms", "message" FROM "${MEASUREMENT.faults}" ` +
            `WHERE "scenario" = 'checkout' AND "run" = 'r3'`,
          bucket,
        );
        const rows = (result.results[0]?.series?.[0]?.values ?? []).map((row) => row.slice(0, -1));
        const second = 1_000_000;
        // Times in µs; the fault recovered 12 s after its start (its impact gone at 72 s), the other did not.
        expect(rows).toEqual([
          [T0 + 60 * second, 'kill-target', 'kill', 'end', 1, 10, 0, null, 70, (T0 + 70 * second) / 1000, null],
          [
            T0 + 60 * second,
            'kill-target',
            'kill',
            'recovered',
            1,
            10,
            0,
            12,
            70,
            (T0 + 70 * second) / 1000,
            (T0 + 72 * second) / 1000,
          ],
          [T0 + 60 * second, 'kill-target', 'kill', 'start', 1, null, null, null, null, null, null],
          [T0 + 150 * second, 'slow-network', 'network', 'end', 1, 10, 0, null, 70, (T0 + 160 * second) / 1000, null],
          [
            T0 + 150 * second,
            'slow-network',
            'network',
            'not-recovered',
            1,
            10,
            0,
            null,
            70,
            (T0 + 160 * second) / 1000,
            null,
          ],
          [T0 + 150 * second, 'slow-network', 'network', 'start', 1, null, null, null, null, null, null],
        ]);
        const messages = (result.results[0]?.series?.[0]?.values ?? []).map((row) => row.at(-1));
        expect(messages).toContain('fault kill-target #1 (kill): impact after 0.0 s, recovered 12.0 s after it began');
        expect(messages).toContain('fault slow-network #1 (network) ended after 10.0 s');
      },
    );

    test(
      'while the server fails, writes wait behind the one retried (backpressure) ' +
        'and nothing is lost once it recovers',
      async () => {
        const bucket = await freshDatabase();
        const retries: number[] = [];
        const sink = new InfluxSink({
          url: influx.url,
          bucket,
          batchSize: 10,
          minRetryDelayMs: 20,
          maxRetryDelayMs: 80,
          onRetry: (_e, attempt) => retries.push(attempt),
        });
        influx.failWrites(503);
        const settled: number[] = [];
        const writes = Array.from({ length: 6 }, (_, w) =>
          sink.write(Array.from({ length: 10 }, (_, i) => stat(w * 10 + i))).then(() => settled.push(w)),
        );
        await sleep(300);
        // The first write is retried; the others wait behind it; none is acknowledged while the server fails.
        expect(settled).toEqual([]);
        expect(sink.stats()).toMatchObject({ written: 0, buffered: 60 });
        expect(retries.length).toBeGreaterThan(1);
        influx.failWrites(0);
        await Promise.all(writes);
        expect(settled).toEqual([0, 1, 2, 3, 4, 5]);
        await sink.close();
        const count = await influx.query(`SELECT count(n) FROM "${MEASUREMENT.stats}"`, bucket);
        expect(count.results[0]?.series?.[0]?.values[0]?.[1]).toBe(60);
      },
    );

    test('a stalled server holds writes too, and they complete in order when it answers', async () => {
      const bucket = await freshDatabase();
      const sink = new InfluxSink({
        url: influx.url,
        bucket,
        batchSize: 5,
        minRetryDelayMs: 10,
        maxRetryDelayMs: 20,
      });
      influx.failWrites(-1);
      const order: number[] = [];
      const writes = [0, 1, 2, 3].map((w) =>
        sink.write(Array.from({ length: 5 }, (_, i) => stat(w * 5 + i))).then(() => order.push(w)),
      );
      await sleep(150);
      expect(order).toEqual([]);
      influx.failWrites(0);
      await Promise.all(writes);
      expect(order).toEqual([0, 1, 2, 3]);
      await sink.close();
    });

    test('a refused batch fails its writes with the server message, and later writes too', async () => {
      const sink = new InfluxSink({ url: influx.url, bucket: 'no_such_database' });
      const error = (await sink.write([stat(0)]).catch((e: unknown) => e)) as SinkError;
      expect(error).toBeInstanceOf(SinkError);
      expect(error.message).toMatch(/refused a batch of 1 points: HTTP 404.*database not found/);
      await expect(sink.write([stat(1)])).rejects.toBe(error);
      await expect(sink.close()).rejects.toBe(error);
    });

    test('gives up after maxRetryTimeMs with a retriable SinkError', async () => {
      const bucket = await freshDatabase();
      const sink = new InfluxSink({
        url: influx.url,
        bucket,
        minRetryDelayMs: 10,
        maxRetryDelayMs: 20,
        maxRetryTimeMs: 100,
      });
      influx.failWrites(503);
      try {
        const error = (await sink.write([stat(0)]).catch((e: unknown) => e)) as SinkError;
        expect(error).toBeInstanceOf(SinkError);
        expect(error.retriable).toBe(true);
        expect(error.message).toMatch(/gave up after \d+ attempts.*HTTP 503/);
      } finally {
        influx.failWrites(0);
      }
    });

    test('a server without /api/v2/write (InfluxDB before 1.8) is named as too old, at once', async () => {
      const sink = new InfluxSink({ url: influx.directUrl, bucket: 'soak' });
      const error = (await sink.write([stat(0)]).catch((e: unknown) => e)) as SinkError;
      expect(error.message).toContain(`influxdb at ${influx.directUrl}: the server refused a batch of 1 points`);
      expect(error.message).toContain('no /api/v2/write endpoint (InfluxDB 1.8+ or 2.x is needed)');
      await expect(sink.close()).rejects.toBe(error);
    });

    test('a closed port is retried (the sink reports its trouble meanwhile) until the deadline', async () => {
      const url = `http://127.0.0.1:${await freePort()}`;
      const sink = new InfluxSink({ url, minRetryDelayMs: 20, maxRetryDelayMs: 40, maxRetryTimeMs: 400 });
      expect(sink.trouble()).toBeNull();
      const writing = sink.write([stat(0)]).catch((e: unknown) => e);
      while (sink.trouble() === null) await sleep(5);
      expect(sink.trouble()?.reason).toMatch(/ECONNREFUSED/);
      const error = (await writing) as SinkError;
      expect(error.message).toMatch(
        new RegExp(`^influxdb at ${url}: gave up after \\d+ attempts over [\\d.]+ s: .*ECONNREFUSED`),
      );
      expect(error.retriable).toBe(true);
      expect(sink.trouble()).toBeNull();
      await expect(sink.close()).rejects.toBe(error);
    });

    test('the password of a URL with user-info shows in no message of the sink', async () => {
      const port = await freePort();
      const sink = new InfluxSink({
        url: `http://writer:pw-4f9a2c@127.0.0.1:${port}`,
        minRetryDelayMs: 20,
        maxRetryDelayMs: 40,
        maxRetryTimeMs: 200,
      });
      expect(sink.target).toBe(`http://writer:***@127.0.0.1:${port}`);
      const error = (await sink.write([stat(0)]).catch((e: unknown) => e)) as SinkError;
      expect(error.message).toMatch(
        new RegExp(`^influxdb at http://writer:\\*\\*\\*@127\\.0\\.0\\.1:${port}: gave up`),
      );
      expect(error.message).not.toContain('pw-4f9a2c');
      await expect(sink.close()).rejects.toBe(error);
    });

    test('abort ends the retries at once: the write in progress fails', async () => {
      const bucket = await freshDatabase();
      const sink = new InfluxSink({ url: influx.url, bucket, minRetryDelayMs: 10, maxRetryDelayMs: 20 });
      influx.failWrites(-1);
      try {
        const writing = sink.write([stat(0)]).catch((e: unknown) => e);
        await sleep(100);
        sink.abort();
        const error = (await writing) as SinkError;
        expect(error).toBeInstanceOf(SinkError);
        expect(error.message).toMatch(/gave up after 1 attempts/);
      } finally {
        influx.failWrites(0);
      }
      await sink.close().catch(() => undefined);
    });

    test('rejects bad options with the option named', () => {
      expect(() => new InfluxSink({ url: 'not a url' })).toThrow(/url is not a URL/);
      expect(() => new InfluxSink({ url: 'ftp://x' })).toThrow(/must be http or https/);
      expect(() => new InfluxSink({ url: influx.url, batchSize: 0 })).toThrow(/batchSize must be a positive number/);
    });
  },
);
