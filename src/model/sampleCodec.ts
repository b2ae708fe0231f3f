import type { Sample } from './sample.js';
import { defaultSchemaRegistry } from './schemaRegistry.js';
import { decodeSingleObject, encodeSingleObject, expectSchema } from './singleObject.js';
import { validateSample } from './validateSample.js';
import { DecodeError } from './errors.js';

/** The Avro record of a (valid) sample: Avro writes a missing optional unit as null; the model leaves it out. */
export function sampleToAvro(sample: Sample): Omit<Sample, 'unit'> & { unit: string | null } {
  return { ts: sample.ts, metric: sample.metric, value: sample.value, tags: sample.tags, unit: sample.unit ?? null };
}

const batchItems = (value: unknown): Sample[] =>
  (value as { samples: unknown[] }).samples.map((record, index) =>
    validateSample(record, `sampleBatch.v1 item ${index}`),
  );

/**
 * Validates and single-object encodes one Sample with schema sample.v1 (Avro 1.11 spec, "Single
 * object encoding"). O(size).
 */
export function encodeSample(sample: Sample): Buffer {
  const valid = validateSample(sample);
  return encodeSingleObject(defaultSchemaRegistry().get('sample.v1'), sampleToAvro(valid));
}

/**
 * Decodes and validates a single-object sample.v1 message; DecodeError, UnknownSchemaError or
 * InvalidSampleError on bad data. O(size).
 */
export function decodeSample(bytes: Uint8Array): Sample {
  const { schema, value } = decodeSingleObject(bytes, defaultSchemaRegistry());
  expectSchema(schema, 'sample.v1', bytes.length);
  return validateSample(value, 'sample.v1 message');
}

/** Validates and single-object encodes many Samples as one sampleBatch.v1 message. O(total size). */
export function encodeSampleBatch(samples: readonly Sample[]): Buffer {
  const records = samples.map((sample, index) => sampleToAvro(validateSample(sample, `batch item ${index}`)));
  return encodeSingleObject(defaultSchemaRegistry().get('sampleBatch.v1'), { samples: records });
}

/**
 * Decodes a single-object sampleBatch.v1 message and validates every sample (errors name the item
 * index). O(total size).
 */
export function decodeSampleBatch(bytes: Uint8Array): Sample[] {
  const { schema, value } = decodeSingleObject(bytes, defaultSchemaRegistry());
  expectSchema(schema, 'sampleBatch.v1', bytes.length);
  return batchItems(value);
}

/**
 * Decodes a single-object message holding either one sample (sample.v1) or a batch
 * (sampleBatch.v1), as Kafka producers may send either; validates every sample. O(size).
 */
export function decodeSamples(bytes: Uint8Array): Sample[] {
  const { schema, value } = decodeSingleObject(bytes, defaultSchemaRegistry());
  let samples: Sample[];
  if (schema === 'sample.v1') samples = [validateSample(value, 'sample.v1 message')];
  else {
    expectSchema(schema, 'sampleBatch.v1', bytes.length);
    samples = batchItems(value);
  }
  refuseReplacedUtf8(bytes, samples);
  return samples;
}

const REPLACEMENT_BYTES = Buffer.from('\uFFFD');

/**
 * Avro strings are UTF-8, and avsc decodes invalid UTF-8 to U+FFFD without a word. A decoded
 * string holding U+FFFD whose message does not hold its UTF-8 bytes (EF BF BD) was invalid UTF-8:
 * refused with a DecodeError rather than analysed as another series. O(size), only then.
 */
function refuseReplacedUtf8(bytes: Uint8Array, samples: readonly Sample[]): void {
  let holdsReplacement: boolean | undefined;
  for (let index = 0; index < samples.length; index++) {
    const sample = samples[index] as Sample;
    if (!hasReplacement(sample)) continue;
    holdsReplacement ??= Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(REPLACEMENT_BYTES);
    if (!holdsReplacement)
      throw new DecodeError(`sample ${index} of the message: a string is not valid UTF-8`, { index });
  }
}

/** Whether any string of a sample holds U+FFFD. O(size), no allocation. */
function hasReplacement(sample: Sample): boolean {
  if (sample.metric.includes('\uFFFD') || (sample.unit?.includes('\uFFFD') ?? false)) return true;
  for (const key in sample.tags)
    if (key.includes('\uFFFD') || (sample.tags[key] as string).includes('\uFFFD')) return true;
  return false;
}
