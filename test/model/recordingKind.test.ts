import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatNdjson } from '../../src/model/ndjson.js';
import { recordingKind } from '../../src/model/recordingKind.js';
import { ContainerWriter } from '../../src/model/recordingWriter.js';
import { useTempDirectory } from '../support/tempDirectory.js';

const T0 = 1_767_225_600_000_000;
const kindOf = (text: string): ReturnType<typeof recordingKind> => recordingKind(Buffer.from(text, 'utf8'));

describe('recordingKind', () => {
  const tempPath = useTempDirectory();

  it('recognises Avro containers by their magic bytes and what they hold by the writer schema', async () => {
    expect(recordingKind(readFileSync('test/fixtures/soak-step-leak.avro'))).toEqual({
      format: 'Avro',
      holds: 'samples',
    });
    const stats = await ContainerWriter.openStats(tempPath('run-stats-000001.avro'));
    await stats.close();
    expect(recordingKind(readFileSync(tempPath('run-stats-000001.avro')))).toEqual({ format: 'Avro', holds: 'stats' });
    const alerts = await ContainerWriter.openAlerts(tempPath('run-alerts-000001.avro'));
    await alerts.close();
    expect(recordingKind(readFileSync(tempPath('run-alerts-000001.avro')))).toEqual({
      format: 'Avro',
      holds: 'alerts',
    });
    // The magic bytes alone (a header cut short) are still an Avro container.
    expect(recordingKind(Buffer.from('Obj\x01\x02', 'latin1'))).toEqual({ format: 'Avro', holds: 'records' });
  });

  it('recognises NDJSON samples, stats and alerts by the fields of the first line', () => {
    const sample = formatNdjson({ ts: T0, metric: 'latency', value: 3, tags: { a: 'b' } });
    expect(kindOf(`\n${sample}\n${sample}\n`)).toEqual({ format: 'NDJSON', holds: 'samples' });
    expect(kindOf('{"ts":1,"windowStart":0,"series":"s","metric":"m","n":3}\n')).toEqual({
      format: 'NDJSON',
      holds: 'stats',
    });
    expect(kindOf('{"id":"x","rule":"r","state":"firing","series":"s"}\n')).toEqual({
      format: 'NDJSON',
      holds: 'alerts',
    });
  });

  it('recognises timestamp,value CSV with or without a header', () => {
    expect(recordingKind(readFileSync('test/fixtures/nab_nyc_taxi_head.csv'))).toEqual({
      format: 'CSV',
      holds: 'samples',
    });
    expect(kindOf('1767225600,12.5\n1767225601,13\n')).toEqual({ format: 'CSV', holds: 'samples' });
    expect(kindOf('"time","value"\n"2026-01-01T00:00:00Z","1e3"\n')).toEqual({ format: 'CSV', holds: 'samples' });
  });

  it('leaves scenarios and rules, in YAML or JSON, and empty files alone', () => {
    for (const file of ['examples/demo.yaml', 'examples/rules.yaml', 'examples/rules-test.yaml'])
      expect(recordingKind(readFileSync(file))).toBeNull();
    expect(kindOf('{"version":1,"name":"json","probes":{"self":true},"duration":"10s"}')).toBeNull();
    expect(kindOf('{ version: 1, name: flow, probes: { self: true } }\n')).toBeNull();
    expect(kindOf('criteria: ["p95 < 200ms", "errors < 1%"]\n')).toBeNull();
    expect(kindOf('a,b\nc,d\n')).toBeNull();
    expect(kindOf('')).toBeNull();
  });
});
