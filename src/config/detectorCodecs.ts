import * as t from 'io-ts';
import type { DetectorConfig } from '../rules/rule.js';
import { Duration, PositiveDuration } from '../model/fields/duration.js';
import { Fraction, NonNegative, PositiveInteger, Probability } from '../model/fields/fraction.js';
import { strictObject } from '../model/fields/strictObject.js';

/** A window given as a duration (`60s`) or a sample count (`1024`). */
export const WindowCodec = new t.Type<{ duration: number } | { count: number }, unknown, unknown>(
  'Window',
  (u): u is { duration: number } | { count: number } => typeof u === 'object' && u !== null,
  (u, c) => {
    if (typeof u === 'number')
      return Number.isInteger(u) && u > 0
        ? t.success({ count: u })
        : t.failure(
            u,
            c,
            `expected a sample count (positive integer) or a duration like "60s", got ${JSON.stringify(u)}`,
          );
    const decoded = PositiveDuration.validate(u, c);
    return decoded._tag === 'Right'
      ? t.success({ duration: decoded.right })
      : t.failure(u, c, `expected a duration like "60s" or a sample count like 1024, got ${JSON.stringify(u)}`);
  },
  (w) => w,
);

const Tier = strictObject(t.type({ window: PositiveDuration, minShift: Fraction }), ['window', 'minShift'], 'Tier');

const Reference = new t.Type<
  NonNullable<Extract<DetectorConfig, { type: 'regression' }>['reference']>,
  unknown,
  unknown
>(
  'Reference',
  (_u): _u is never => false,
  (u, c) => {
    const type = typeof u === 'object' && u !== null ? (u as { type?: unknown }).type : undefined;
    switch (type) {
      case 'initial':
        return strictObject(t.type({ type: t.literal('initial'), warmup: Duration, duration: PositiveDuration }), [
          'type',
          'warmup',
          'duration',
        ]).validate(u, c);
      case 'trailing':
        return strictObject(t.type({ type: t.literal('trailing'), lag: Duration, duration: PositiveDuration }), [
          'type',
          'lag',
          'duration',
        ]).validate(u, c);
      case 'stored':
        return strictObject(t.type({ type: t.literal('stored'), values: t.array(t.number) }), [
          'type',
          'values',
        ]).validate(u, c);
      default:
        return t.failure(
          u,
          c,
          `expected a reference with type "initial", "trailing" or "stored", got ${JSON.stringify(u)}`,
        );
    }
  },
  (r) => r,
);

const StatField = t.keyof(
  {
    n: null,
    min: null,
    max: null,
    mean: null,
    stdev: null,
    median: null,
    mad: null,
    p50: null,
    p90: null,
    p95: null,
    p99: null,
  },
  'StatField',
);

/** Detector-specific fields of a rule, per detector name, with their codecs. */
export const DETECTOR_FIELDS = {
  regression: {
    required: { direction: t.keyof({ up: null, down: null }, '"up" | "down"') },
    optional: {
      reference: Reference,
      tiers: t.array(Tier),
      evaluateEvery: PositiveDuration,
      alpha: Probability,
      clearFraction: Fraction,
      minSamples: PositiveInteger,
      resolution: NonNegative,
    },
  },
  leak: {
    required: {},
    optional: {
      bucket: PositiveDuration,
      fitWindow: PositiveDuration,
      minSpan: Duration,
      confidence: Probability,
      alpha: Probability,
      minSlopePerHour: NonNegative,
      minRelativeSlopePerHour: Fraction,
    },
  },
  changepoint: {
    required: {},
    optional: {
      method: t.keyof({ cusum: null, 'page-hinkley': null }, '"cusum" | "page-hinkley"'),
      bucket: PositiveDuration,
      referenceBuckets: PositiveInteger,
      k: NonNegative,
      h: NonNegative,
      delta: NonNegative,
      threshold: NonNegative,
      clip: NonNegative,
    },
  },
  outlier: {
    required: {},
    optional: { window: WindowCodec, threshold: NonNegative, minSamples: PositiveInteger },
  },
  threshold: {
    required: { stat: StatField },
    optional: { above: t.number, below: t.number },
  },
  scaling: {
    required: {},
    optional: {
      concurrencyTag: t.string,
      ignoreTags: t.array(t.string),
      minEfficiency: Fraction,
      retrogradeFraction: Fraction,
    },
  },
} as const;

/** Names of the detectors a rule can use. */
export type DetectorName = keyof typeof DETECTOR_FIELDS;

/** Builds the DetectorConfig from a rule's decoded detector-specific fields. */
export function toDetectorConfig(name: DetectorName, fields: Record<string, unknown>): DetectorConfig {
  if (name === 'changepoint') {
    const { method, ...rest } = fields;
    return {
      type: 'changepoint',
      ...(method !== undefined ? { detector: method as 'cusum' | 'page-hinkley' } : {}),
      ...rest,
    } as DetectorConfig;
  }
  if (name === 'regression' && Array.isArray(fields.tiers)) {
    const tiers = (fields.tiers as { window: number; minShift: number }[]).map((tier) => ({
      recent: tier.window,
      minRelativeShift: tier.minShift,
    }));
    return { type: 'regression', ...fields, tiers } as unknown as DetectorConfig;
  }
  return { type: name, ...fields } as DetectorConfig;
}
