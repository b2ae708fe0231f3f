import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/detectors/definition.js';
import { DETECTOR_TYPES, DETECTORS, detectorDefinition } from '../../src/detectors/registry.js';
import { DEFAULT_RULES } from '../../src/rules/defaultRules.js';

const alertSchema = JSON.parse(
  readFileSync(new URL('../../src/model/schemas/alert.v4.avsc', import.meta.url), 'utf8'),
) as {
  fields: { name: string; type: { symbols?: string[] } }[];
};

// The options every detector needs to be compiled with, for the checks below.
const REQUIRED_EXAMPLES: Readonly<Record<string, Record<string, unknown>>> = {
  regression: { direction: 'up' },
  threshold: { stat: 'p95', above: 1 },
};

describe('the detector registry', () => {
  it('lists each detector under the name its definition gives', () => {
    for (const [name, definition] of Object.entries(DETECTORS)) expect(definition.type).toBe(name);
    expect(DETECTOR_TYPES).toEqual([
      'regression',
      'leak',
      'changepoint',
      'outlier',
      'threshold',
      'scaling',
      'anomaly',
      'recovery',
    ]);
  });

  it('names every detector as an alert kind in the alert schema', () => {
    const kind = alertSchema.fields.find((field) => field.name === 'kind');
    expect(kind?.type.symbols).toEqual(expect.arrayContaining(DETECTOR_TYPES));
  });

  it.each(DETECTOR_TYPES)('%s: defaults and required options are options with codecs, and compile', (type) => {
    const definition = detectorDefinition(type);
    const fields = Object.keys(definition.fields);
    for (const key of [...Object.keys(definition.defaults), ...definition.required.map(String)])
      expect(fields).toContain(key);
    const options = resolveOptions<object>(definition, REQUIRED_EXAMPLES[type] ?? {});
    expect(typeof definition.compile(options)).toBe('function');
  });

  it('knows the detector of every default rule', () => {
    for (const rule of DEFAULT_RULES) expect(DETECTOR_TYPES).toContain(rule.detector.type);
  });

  it('fills in defaults and lets a config override them, ignoring its type and fields left undefined', () => {
    const definition = detectorDefinition('leak');
    expect(resolveOptions(definition, { type: 'leak', bucket: 60_000_000, fitWindow: undefined })).toEqual({
      ...definition.defaults,
      bucket: 60_000_000,
    });
  });
});
