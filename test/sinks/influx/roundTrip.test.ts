import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Sample, Tags } from '../../../src/model/sample.js';
import { seriesKey } from '../../../src/model/seriesKey.js';
import { validateSample } from '../../../src/model/validateSample.js';
import { InfluxSink } from '../../../src/sinks/influx/influxSink.js';
import { MEASUREMENT } from '../../../src/sinks/influx/schema.js';
import { influxdSkipReason, startInfluxd, type InfluxServer } from '../../support/influxd.js';
import { nameArbitrary } from '../../model/sampleArbitrary.js';

const skipReason = influxdSkipReason();
if (skipReason !== null) console.log(`skipping the InfluxDB round-trip property: ${skipReason}`);

const T0 = 1_767_225_600_000_000;
// Columns of a raw sample row that are not series tags.
const NOT_TAGS = new Set(['time', 'value', 'metric', 'metric_kind']);

/** The series (metric and tags) of each row of `samples`, by its value: keys as written, user_ stripped once. */
function seriesOfRows(columns: readonly string[], rows: readonly unknown[][]): Map<number, Sample> {
  const out = new Map<number, Sample>();
  for (const row of rows) {
    const tags: Record<string, string> = {};
    columns.forEach((column, i) => {
      const cell = row[i];
      if (NOT_TAGS.has(column) || cell === null || cell === undefined) return;
      tags[column.startsWith('user_') ? column.slice('user_'.length) : column] = cell as string;
    });
    const value = row[columns.indexOf('value')] as number;
    out.set(value, { ts: 0, metric: row[columns.indexOf('metric')] as string, value, tags });
  }
  return out;
}

describe.skipIf(skipReason !== null)('InfluxDB round trip of names (real influxd 1.6.7)', () => {
  let influx: InfluxServer;
  let db = 0;
  beforeAll(async () => {
    influx = await startInfluxd();
  }, 30_000);
  afterAll(async () => {
    await influx.stop();
  });

  // Keys the sink itself sets or uses as fields are written as user_<key>: they are drawn often here.
  const key = fc.oneof(
    nameArbitrary(10),
    fc.constantFrom('metric', 'metric_kind', 'value', 'user_metric', 'user_', 'constructor', 'toString', 'host'),
  );
  const tagsArbitrary: fc.Arbitrary<Tags> = fc.dictionary(
    key.filter((k) => k !== '__proto__' && k !== 'time'),
    fc.oneof(nameArbitrary(10), fc.constantFrom('a\\b', '\\x', 'x y', 'a,b=c', '"q"', '𝄞')),
    { maxKeys: 3 },
  );
  const seriesArbitrary = fc.record({ metric: fc.oneof(nameArbitrary(12), key), tags: tagsArbitrary });

  test('every metric and tag the model accepts comes back identical, and distinct series stay distinct', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(seriesArbitrary, { minLength: 1, maxLength: 25 }), async (series) => {
        const bucket = `round_trip_${++db}`;
        await influx.createDatabase(bucket);
        // Each sample is valid in the model; its value numbers it.
        const samples = series.map(({ metric, tags }, i) => validateSample({ ts: T0 + i, metric, value: i, tags }));
        const sink = new InfluxSink({ url: influx.url, bucket, rawSamples: true });
        await sink.write(samples.map((sample) => ({ type: 'sample', sample })));
        await sink.close();
        const result = (await influx.query(`SELECT * FROM "${MEASUREMENT.samples}"`, bucket)).results[0];
        const table = result?.series?.[0];
        expect(table?.values).toHaveLength(samples.length);
        const back = seriesOfRows(table?.columns ?? [], table?.values ?? []);
        for (const sample of samples) {
          const stored = back.get(sample.value);
          expect({ metric: stored?.metric, tags: stored?.tags }).toEqual({ metric: sample.metric, tags: sample.tags });
        }
        const distinct = new Set(samples.map((s) => seriesKey(s.metric, s.tags)));
        const shown = (await influx.query(`SHOW SERIES FROM "${MEASUREMENT.samples}"`, bucket)).results[0];
        expect(shown?.series?.[0]?.values).toHaveLength(distinct.size);
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
