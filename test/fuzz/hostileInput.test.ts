import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/config/configText.js';
import { rulesOf } from '../../src/config/loadRules.js';
import { checkScenario } from '../../src/config/loadScenario.js';
import { readCsvSamples } from '../../src/model/csv.js';
import { ConfigError, SoakstreamError } from '../../src/model/errors.js';
import { formatNdjson, readNdjsonBatches } from '../../src/model/ndjson.js';
import { readRecording } from '../../src/model/readRecording.js';
import { checksumsPath, RecordingWriter } from '../../src/model/recordingWriter.js';
import type { Sample } from '../../src/model/sample.js';
import { decodeSamples, encodeSample, encodeSampleBatch } from '../../src/model/sampleCodec.js';
import { cli } from '../support/cli.js';
import { collectUntilError } from '../support/collect.js';
import { useTempDirectory } from '../support/tempDirectory.js';
import { sampleArbitrary } from '../model/sampleArbitrary.js';

/**
 * Fuzzing of every input soakstream reads (CONVENTIONS: bad input gets a typed error naming
 * where): whatever the bytes, a reader yields valid samples or throws a SoakstreamError (a typed
 * error with its location), never a TypeError, RangeError or anything untyped, and never hangs.
 */

const T0 = 1_767_225_600_000_000;
const valid = (i: number): Sample => ({ ts: T0 + i * 1000, metric: 'm', value: i, tags: { k: `v${i % 3}` } });

/** Text that is mostly plausible NDJSON or CSV, cut, spliced and sprinkled with odd characters. */
const hostileText = (lines: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        lines,
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.constantFrom('', '\r', '\uFEFF', '{', '}', '"', '\\', '\u0000', '\u001b[2J', '1e999', '-0', 'NaN', ','),
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('\n'));

/** The error a source throws, or undefined when it reads to its end; anything untyped fails the test. */
async function typedFailure(source: AsyncIterable<unknown>): Promise<SoakstreamError | undefined> {
  const { error } = await collectUntilError(source);
  if (error === undefined) return undefined;
  expect(error, String(error)).toBeInstanceOf(SoakstreamError);
  return error as SoakstreamError;
}

describe('fuzzing: never a crash, hang or untyped error; always a typed error naming where', () => {
  const path = useTempDirectory();

  it('NDJSON', async () => {
    const line = fc.oneof(
      sampleArbitrary.map((sample) => formatNdjson(sample)),
      sampleArbitrary.map((sample) => formatNdjson(sample).slice(0, 20)),
      fc.json(),
    );
    await fc.assert(
      fc.asyncProperty(hostileText(line), async (text) => {
        const error = await typedFailure(readNdjsonBatches(Readable.from([Buffer.from(text)]), { name: 'in.ndjson' }));
        if (error !== undefined) expect(error.message).toMatch(/in\.ndjson:\d+/);
      }),
      { numRuns: 300 },
    );
  });

  it('CSV', async () => {
    const line = fc.oneof(
      fc.tuple(fc.integer(), fc.double()).map(([t, v]) => `${t},${v}`),
      fc.constantFrom('timestamp,value', '2026-01-01T00:00:00Z,1', '"a,b",2', '"unterminated,1', '1,2,3'),
    );
    await fc.assert(
      fc.asyncProperty(hostileText(line), async (text) => {
        const source = readCsvSamples(Readable.from([Buffer.from(text)]), { metric: 'm', name: 'in.csv' });
        const error = await typedFailure(source);
        if (error !== undefined) expect(error.message).toMatch(/in\.csv(:\d+)?/);
      }),
      { numRuns: 300 },
    );
  });

  it('Avro recordings cut short or with bits flipped (with and without their checksums)', async () => {
    const file = path('fuzz.avro');
    const writer = await RecordingWriter.open(file, { blockSize: 1024 });
    for (let i = 0; i < 400; i++) await writer.write(valid(i));
    await writer.close();
    const bytes = readFileSync(file);
    const damaged = path('damaged.avro');
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: bytes.length }),
        fc.array(fc.nat({ max: bytes.length * 8 - 1 }), { maxLength: 3 }),
        fc.boolean(),
        async (cut, flips, withChecksums) => {
          const copy = Buffer.from(bytes.subarray(0, cut));
          for (const bit of flips)
            if (bit >> 3 < copy.length) copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
          writeFileSync(damaged, copy);
          if (withChecksums) copyFileSync(checksumsPath(file), checksumsPath(damaged));
          else rmSync(checksumsPath(damaged), { force: true });
          const { read, error } = await collectUntilError(readRecording(damaged));
          if (error !== undefined) {
            expect(error, String(error)).toBeInstanceOf(SoakstreamError);
            expect((error as Error).message).toContain(damaged);
          }
          // With its checksums, whatever is read was written: a flip is found, never read as another value.
          if (withChecksums) for (const sample of read) expect(sample).toEqual(valid(sample.value));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('Kafka messages: any bytes, and real messages cut short or with bits flipped', () => {
    const message = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc
        .tuple(fc.array(sampleArbitrary, { minLength: 1, maxLength: 3 }), fc.nat(), fc.nat())
        .map(([samples, cut, bit]) => {
          const bytes = Buffer.from(samples.length === 1 ? encodeSample(samples[0]!) : encodeSampleBatch(samples));
          const copy = bytes.subarray(0, 1 + (cut % bytes.length));
          const at = bit % (copy.length * 8);
          copy[at >> 3] = (copy[at >> 3] as number) ^ (1 << (at & 7));
          return copy;
        }),
    );
    fc.assert(
      fc.property(message, (bytes) => {
        try {
          for (const sample of decodeSamples(bytes)) expect(typeof sample.metric).toBe('string');
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(SoakstreamError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('scenario and rules YAML: any document, any text', async () => {
    const field = fc.constantFrom(
      'version',
      'name',
      'rules',
      'defaults',
      'stats',
      'maxSeries',
      'maxAhead',
      'allowedLateness',
      'detector',
      'tiers',
      'target',
      'load',
      'sinks',
      'transport',
      'criteria',
      'requests',
      'constructor',
      '__proto__',
    );
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }),
        fc.constantFrom('5%', '-1s', '1e309', '${HOME}', 'NaN', 'kafka', 'threshold', 'regression'),
        fc.dictionary(field, tie('node'), { maxKeys: 4 }),
        fc.array(tie('node'), { maxLength: 3 }),
      ),
    })).node;
    const document = fc.oneof(
      fc.dictionary(field, value, { maxKeys: 6 }).map((doc) => stringify({ version: 1, ...doc })),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.constantFrom('a: &a [*a]', 'a: !!js/function "x"', '{', '- - - -', 'a: b: c', '\t x: 1'),
    );
    await fc.assert(
      fc.asyncProperty(document, async (text) => {
        for (const decode of [
          (doc: unknown) => rulesOf(doc, 'fuzz.yaml'),
          (doc: unknown) => checkScenario(doc, 'fuzz.yaml', {}),
        ]) {
          try {
            decode(parseYaml(text, 'fuzz.yaml'));
          } catch (error) {
            expect(error, `${String(error)} for ${JSON.stringify(text)}`).toBeInstanceOf(ConfigError);
            expect((error as Error).message).toMatch(/^fuzz\.yaml/);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('CLI flags: a documented exit code and a one-line error, never a stack trace', async () => {
    const flag = fc.constantFrom(
      '--rules',
      '--fail-on',
      '--max-line-length',
      '--summary-out',
      '--metric',
      '--tag',
      '--grace',
      '--brokers',
      '--bogus',
      '-o',
      '-q',
    );
    const argument = fc.oneof(
      fc.constantFrom('', '-1', '0', 'x', '1e999', 'a=b', '=', 'firing', '/nonexistent/file', '--', '\u001b[2J'),
      fc.string({ maxLength: 8 }),
    );
    const command = fc.constantFrom('replay', 'report', 'validate', 'run', 'nosuchcommand');
    const file = path('one.ndjson');
    writeFileSync(file, `${formatNdjson(valid(0))}\n`);
    await fc.assert(
      fc.asyncProperty(command, fc.array(fc.tuple(flag, argument), { maxLength: 3 }), async (name, pairs) => {
        // Flags that name an output get a path in the temp directory, never one in the checkout.
        const outputs = new Set(['-o', '--summary-out']);
        const args = pairs.flatMap(([f, value], i) => [f, outputs.has(f) ? path(`out-${i}-${value.length}`) : value]);
        const run = await cli(name, file, ...args);
        expect([0, 1, 2]).toContain(run.code);
        expect(run.stderr).not.toMatch(/^\s+at /m);
        expect(run.stderr).not.toMatch(/^error: internal error/m);
      }),
      { numRuns: 12 },
    );
  }, 300_000);
});
