import type { ExpectedAlert, RuleTest, RuleTestSeries } from '../config/decodeRuleTests.js';
import type { Alert } from '../model/alert.js';
import type { Sample } from '../model/sample.js';
import { seriesKey } from '../model/seriesKey.js';
import { mergeByTime } from '../sources/synthetic/mergeByTime.js';
import { createRandom } from '../stats/random.js';
import { AlertBook } from '../model/alertBook.js';
import type { RuleSet } from '../rules/rule.js';
import { analyzeAll, Session } from './session.js';

/**
 * What one `at` of a rule test found: expected alerts that fire, expected ones that do not, and
 * firing ones nobody expected.
 */
export interface EvaluationResult {
  /** Offset from the input's start, µs. */
  readonly at: number;
  /** Event time evaluated, epoch µs. */
  readonly time: number;
  /** True when `time` lies after the input's last sample (nothing changes after it). */
  readonly afterInput: boolean;
  readonly matched: readonly { readonly expected: ExpectedAlert; readonly actual: Alert }[];
  readonly missing: readonly ExpectedAlert[];
  readonly unexpected: readonly Alert[];
}

export interface RuleTestResult {
  readonly name: string;
  readonly passed: boolean;
  readonly samples: number;
  /** Event time the `at` offsets count from: the inline series' start or the recording's first sample. */
  readonly origin: number;
  readonly evaluations: readonly EvaluationResult[];
}

/**
 * The samples of inline test series, merged by time: step i of a series is at start + i·interval;
 * gaps (`_`) produce no sample; `noise` multiplies each value by 1 + noise·N(0, 1) from a
 * generator seeded per test, so a run is reproducible.
 */
export function testSeriesSamples(series: readonly RuleTestSeries[], start: number, seed: number): Iterable<Sample> {
  const random = createRandom(seed);
  const streams = series.map((s) => {
    const samples: Sample[] = [];
    s.values.forEach((value, i) => {
      if (value === null) return;
      const noisy = s.noise > 0 ? value * (1 + s.noise * random.normal()) : value;
      samples.push({
        ts: start + i * s.interval,
        metric: s.metric,
        value: noisy,
        tags: s.tags,
        ...(s.unit !== undefined ? { unit: s.unit } : {}),
      });
    });
    return samples;
  });
  return mergeByTime(streams);
}

const matches = (expected: ExpectedAlert, alert: Alert): boolean =>
  expected.rule === alert.rule &&
  (expected.series === undefined || expected.series === alert.series) &&
  (expected.severity === undefined || expected.severity === alert.severity) &&
  Object.entries(expected.tags ?? {}).every(([key, value]) => alert.tags[key] === value);

/**
 * The alerts firing at each of `times` (any order): one pass over the transitions, in event-time
 * order, through an AlertBook; the alerts of a time are those whose latest transition at or
 * before it is `firing`.
 */
function firingAt(transitions: readonly Alert[], times: readonly number[]): Alert[][] {
  const order = times.map((time, index) => ({ time, index })).sort((a, b) => a.time - b.time);
  const book = new AlertBook();
  const firing: Alert[][] = [];
  let next = 0;
  for (const { time, index } of order) {
    for (; next < transitions.length && (transitions[next] as Alert).ts <= time; next++)
      book.observe({ type: 'alert', alert: transitions[next] as Alert });
    firing[index] = book.firing;
  }
  return firing;
}

/**
 * Pairs expected alerts with firing ones. The most specific expectations (series, then tags, then
 * severity given) choose first, so a loose expectation cannot take the alert a precise one needs.
 */
function compare(
  expectations: readonly ExpectedAlert[],
  firing: readonly Alert[],
): Pick<EvaluationResult, 'matched' | 'missing' | 'unexpected'> {
  const specificity = (e: ExpectedAlert): number =>
    (e.series !== undefined ? 4 : 0) + (e.tags !== undefined ? 2 : 0) + (e.severity !== undefined ? 1 : 0);
  const order = expectations
    .map((expected, index) => ({ expected, index }))
    .sort((a, b) => specificity(b.expected) - specificity(a.expected) || a.index - b.index);
  const free = [...firing];
  const matched: { expected: ExpectedAlert; actual: Alert }[] = [];
  const missing: ExpectedAlert[] = [];
  for (const { expected } of order) {
    const at = free.findIndex((alert) => matches(expected, alert));
    if (at < 0) missing.push(expected);
    else matched.push({ expected, actual: free.splice(at, 1)[0] as Alert });
  }
  return { matched, missing, unexpected: free };
}

/**
 * Runs one rule test: the samples go through a session of `ruleSet` on event time, exactly as a
 * replay does, and at each `at` the alerts firing are compared with the expected ones.
 */
export async function runRuleTest(
  test: RuleTest,
  ruleSet: RuleSet,
  samples: Iterable<Sample> | AsyncIterable<Sample>,
  origin?: number,
): Promise<RuleTestResult> {
  const {
    alerts: transitions,
    samples: count,
    first,
    last,
  } = await analyzeAll(samples, new Session({ rules: ruleSet }));
  const start = origin ?? first ?? 0;
  const firing = firingAt(
    transitions,
    test.evaluations.map((evaluation) => start + evaluation.at),
  );
  const evaluations = test.evaluations.map((evaluation, i): EvaluationResult => {
    const time = start + evaluation.at;
    return {
      at: evaluation.at,
      time,
      afterInput: time > (last ?? Number.NEGATIVE_INFINITY),
      ...compare(evaluation.firing, firing[i] as Alert[]),
    };
  });
  return {
    name: test.name,
    passed: evaluations.every((e) => e.missing.length === 0 && e.unexpected.length === 0),
    samples: count,
    origin: start,
    evaluations,
  };
}

/** How an expected alert reads in a diff: `memory-leak on heap{…} [critical] with tags {service=api}`. */
export function describeExpected(expected: ExpectedAlert): string {
  return (
    `${expected.rule}${expected.series !== undefined ? ` on ${expected.series}` : ''}` +
    `${expected.severity !== undefined ? ` [${expected.severity}]` : ''}` +
    `${expected.tags !== undefined ? ` with tags ${seriesKey('', expected.tags)}` : ''}`
  );
}
