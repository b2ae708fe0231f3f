import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { Severity } from '../model/alert.js';
import { parseCsvTimestamp } from '../model/csvTimestamp.js';
import type { Tags } from '../model/sample.js';
import type { RuleSet } from '../rules/rule.js';
import { decodeRulesField } from './decodeRules.js';
import { Duration, PositiveDuration } from '../model/fields/duration.js';
import { formatErrors } from './formatErrors.js';
import { strictObject } from '../model/fields/strictObject.js';
import { NonEmpty, SeverityCodec, StringMap } from '../model/fields/textCodecs.js';
import { showValue } from '../model/showValue.js';

/**
 * One input series of a rule test, in the expanding notation of `promtool test rules`
 * (Prometheus docs, "Unit testing for rules"): `"1 2 3"`, `"100+5x10"` (100, 105 … 150: eleven
 * values), `"50-1x3"`, `"7x4"` (five 7s), `"_"` (no sample at that step) and `"_x3"` (three gaps).
 */
export interface RuleTestSeries {
  readonly metric: string;
  readonly tags: Tags;
  readonly unit?: string;
  /** Time between consecutive values, µs. */
  readonly interval: number;
  /** One entry per step; null where the notation has a gap. */
  readonly values: readonly (number | null)[];
  /** Relative Gaussian noise multiplied onto every value (0.05: sd of 5%), seeded by the test's seed. */
  readonly noise: number;
}

export type RuleTestInput =
  | {
      readonly type: 'series';
      readonly series: readonly RuleTestSeries[];
      /** Event time of the first step, epoch µs. */ readonly start: number;
    }
  | {
      readonly type: 'recording';
      readonly files: readonly string[];
      readonly metric?: string;
      readonly tags?: Tags;
      readonly unit?: string;
    };

/** An alert a test expects to be firing; fields left out match anything. */
export interface ExpectedAlert {
  readonly rule: string;
  readonly series?: string;
  readonly severity?: Severity;
  /** Tags the alert's series must carry (a subset). */
  readonly tags?: Tags;
}

/**
 * The alerts expected to be firing `at` (µs after the input's first step or sample); any other
 * firing alert is a mismatch.
 */
export interface RuleTestEvaluation {
  readonly at: number;
  readonly firing: readonly ExpectedAlert[];
}

export interface RuleTest {
  readonly name: string;
  readonly input: RuleTestInput;
  readonly seed: number;
  readonly evaluations: readonly RuleTestEvaluation[];
}

/** A decoded test spec; its rules, or the rules file (relative to the spec) the loader reads. */
export interface RuleTestSpecDraft {
  readonly rules: RuleSet | { readonly file: string };
  readonly tests: readonly RuleTest[];
}

const NUMBER = '[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:e[-+]?\\d+)?';
const TERM = new RegExp(`^(${NUMBER})(?:([+-])(${NUMBER}))?x(\\d+)$`, 'i');
const SINGLE = new RegExp(`^${NUMBER}$`, 'i');

/** Expands promtool series notation into values (null for `_` gaps); throws a message naming the bad term. */
export function expandSeriesValues(notation: string): (number | null)[] {
  const values: (number | null)[] = [];
  for (const term of notation
    .trim()
    .split(/\s+/)
    .filter((s) => s !== '')) {
    if (term === '_') {
      values.push(null);
      continue;
    }
    const gaps = /^_x(\d+)$/.exec(term);
    if (gaps !== null) {
      for (let i = 0; i < Number(gaps[1]); i++) values.push(null);
      continue;
    }
    if (SINGLE.test(term)) {
      values.push(Number(term));
      continue;
    }
    const match = TERM.exec(term);
    if (match === null)
      throw new Error(`expected values like "1 2 3", "100+5x10", "7x4" or "_x3", got term ${JSON.stringify(term)}`);
    const first = Number(match[1]);
    const step = match[3] === undefined ? 0 : (match[2] === '-' ? -1 : 1) * Number(match[3]);
    for (let i = 0; i <= Number(match[4]); i++) values.push(first + i * step);
  }
  if (values.length === 0) throw new Error('expected at least one value');
  return values;
}

const Values = new t.Type<(number | null)[], string, unknown>(
  'SeriesValues',
  (u): u is (number | null)[] => Array.isArray(u),
  (u, c) => {
    if (Array.isArray(u) && u.every((v) => (typeof v === 'number' && Number.isFinite(v)) || v === null)) {
      return u.length > 0 ? t.success(u as (number | null)[]) : t.failure(u, c, 'expected at least one value');
    }
    if (typeof u !== 'string')
      return t.failure(u, c, `expected a series like "100+5x10" or a list of numbers, got ${showValue(u)}`);
    try {
      return t.success(expandSeriesValues(u));
    } catch (error) {
      return t.failure(u, c, (error as Error).message);
    }
  },
  (values) => values.map((v) => (v === null ? '_' : String(v))).join(' '),
);

/** A time as CSV recordings give it (ISO 8601, UTC unless a zone is given, or epoch s/ms/µs) decoded to epoch µs. */
const Timestamp = new t.Type<number, string, unknown>(
  'Timestamp',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const micros =
      u instanceof Date
        ? u.getTime() * 1000
        : typeof u === 'string' || typeof u === 'number'
          ? parseCsvTimestamp(String(u))
          : undefined;
    return micros !== undefined
      ? t.success(micros)
      : t.failure(u, c, `expected an ISO 8601 time like "2026-01-01T00:00:00Z" or epoch seconds, got ${showValue(u)}`);
  },
  (micros) => new Date(micros / 1000).toISOString(),
);

const Noise = t.refinement(t.number, (n) => n >= 0 && n < 1, 'a relative noise in [0, 1)');

const Series = strictObject(
  t.intersection([
    t.type({ metric: NonEmpty, values: Values }),
    t.partial({ tags: StringMap, unit: t.string, interval: PositiveDuration, noise: Noise }),
  ]),
  ['metric', 'tags', 'unit', 'interval', 'values', 'noise'],
  'Series',
);

const Input = strictObject(
  t.partial({
    series: t.array(Series),
    start: Timestamp,
    recording: t.union([NonEmpty, t.array(NonEmpty)]),
    metric: NonEmpty,
    tags: StringMap,
    unit: t.string,
  }),
  ['series', 'start', 'recording', 'metric', 'tags', 'unit'],
  'Input',
);

const Expected = strictObject(
  t.intersection([
    t.type({ rule: NonEmpty }),
    t.partial({ series: NonEmpty, severity: SeverityCodec, tags: StringMap }),
  ]),
  ['rule', 'series', 'severity', 'tags'],
  'ExpectedAlert',
);

const ExpectedArray = t.array(Expected);
/**
 * The expected alerts; an empty YAML value (`firing:`) means none, as `firing: []` does. The array
 * codec stands in the context as the parent, so element paths read `firing[0]`.
 */
const ExpectedList = new t.Type<t.TypeOf<typeof Expected>[], unknown, unknown>(
  'ExpectedAlerts',
  ExpectedArray.is,
  (u, c) =>
    u === null
      ? t.success([])
      : ExpectedArray.validate(u, [...c.slice(0, -1), { ...(c[c.length - 1] as t.ContextEntry), type: ExpectedArray }]),
  (list) => list,
);

const Evaluation = strictObject(t.type({ at: Duration, firing: ExpectedList }), ['at', 'firing'], 'Evaluation');

const Test = strictObject(
  t.intersection([
    t.type({ name: NonEmpty, input: Input, expect: t.array(Evaluation) }),
    t.partial({ seed: t.number }),
  ]),
  ['name', 'input', 'expect', 'seed'],
  'Test',
);

const Spec = strictObject(
  t.intersection([t.type({ tests: t.array(Test) }), t.partial({ version: t.literal(1), rules: t.unknown })]),
  ['version', 'rules', 'tests'],
  'RuleTestSpec',
);

/**
 * Decodes a parsed rule-test spec (`soakstream test`), or every problem at once as `path: message`
 * lines. Rules are left to the loader: a path is read relative to the spec, a mapping is decoded
 * as a rules file.
 */
export function decodeRuleTests(document: unknown): Either<string[], RuleTestSpecDraft> {
  const decoded = Spec.validate(document, [{ key: '', type: Spec, actual: document }]);
  const problems = isLeft(decoded) ? formatErrors(decoded.left) : [];
  if (isLeft(decoded)) return left(problems);
  const spec = decoded.right;
  if (spec.tests.length === 0) problems.push('tests: expected at least one test');
  const names = new Set<string>();
  const tests = spec.tests.map((test, i): RuleTest | null => {
    if (names.has(test.name))
      problems.push(`tests[${i}].name: ${JSON.stringify(test.name)} is used by an earlier test`);
    names.add(test.name);
    if (test.expect.length === 0)
      problems.push(`tests[${i}].expect: expected at least one evaluation ({ at, firing })`);
    const input = test.input;
    const hasSeries = input.series !== undefined;
    const hasRecording = input.recording !== undefined;
    if (hasSeries === hasRecording) {
      problems.push(
        `tests[${i}].input: expected either series (inline values) or recording (a file), ` +
          `not ${hasSeries ? 'both' : 'neither'}`,
      );
      return null;
    }
    if (hasSeries && (input.metric !== undefined || input.tags !== undefined || input.unit !== undefined)) {
      problems.push(`tests[${i}].input: metric, tags and unit describe a CSV recording; give them per series instead`);
    }
    if (hasRecording && input.start !== undefined)
      problems.push(`tests[${i}].input.start: a recording starts at its first sample; start is for inline series`);
    const evaluations = test.expect.map((e) => ({ at: e.at, firing: e.firing }));
    const common = { name: test.name, seed: test.seed ?? 1, evaluations };
    if (input.series !== undefined) {
      if (input.series.length === 0) problems.push(`tests[${i}].input.series: expected at least one series`);
      const series = input.series.map((s) => ({
        metric: s.metric,
        tags: s.tags ?? {},
        interval: s.interval ?? 1_000_000,
        values: s.values,
        noise: s.noise ?? 0,
        ...(s.unit !== undefined ? { unit: s.unit } : {}),
      }));
      return { ...common, input: { type: 'series', series, start: input.start ?? 0 } };
    }
    const files = typeof input.recording === 'string' ? [input.recording] : (input.recording ?? []);
    return {
      ...common,
      input: { type: 'recording', files, metric: input.metric, tags: input.tags, unit: input.unit },
    };
  });
  const rules = decodeRulesField(spec.rules);
  if (isLeft(rules)) problems.push(...rules.left);
  return problems.length > 0 || isLeft(rules)
    ? left(problems)
    : right({ rules: rules.right, tests: tests.filter((test): test is RuleTest => test !== null) });
}
