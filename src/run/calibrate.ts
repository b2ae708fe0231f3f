import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { stringify } from 'yaml';
import { runAnalysis } from '../analysis/runAnalysis.js';
import { parseRules } from '../config/loadRules.js';
import { formatErrors } from '../config/formatErrors.js';
import type { AlertKind } from '../model/alert.js';
import { SoakstreamError } from '../model/errors.js';
import { formatDuration } from '../model/formatQuantity.js';
import type { Sample } from '../model/sample.js';
import { MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND } from '../model/sample.js';
import { seriesKey } from '../model/seriesKey.js';
import type { Rule, RuleSet } from '../rules/rule.js';
import { readSampleFile, type SampleFileOptions } from '../sources/files/readSampleFile.js';
import { sortedMedian } from '../stats/sortedMedian.js';
import { DEFAULT_REGRESSION_TIERS } from '../detectors/regression.js';
import { detectorDefinition } from '../detectors/registry.js';
import { ruleMatches } from '../rules/ruleMatches.js';
import { seriesOf } from '../rules/seriesOf.js';
import { fmix32 } from '../stats/random.js';
import { poissonUpper } from '../stats/poissonUpper.js';

/** One labelled change: on `series`, a change of `kind` from `start` (its onset) to `end` (µs). */
export interface Label {
  readonly series: string;
  readonly start: number;
  readonly end: number;
  readonly kind: AlertKind;
}

const Time = t.union([t.number, t.string]);
const LabelsCodec = t.array(
  t.type({
    series: t.string,
    start: Time,
    end: Time,
    kind: t.keyof({
      regression: null,
      leak: null,
      scaling: null,
      changepoint: null,
      outlier: null,
      threshold: null,
      anomaly: null,
    }),
  }),
);

/** Epoch µs from a number (µs) or an ISO-8601 string. */
function micros(value: number | string, where: string): number {
  if (typeof value === 'number') return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new SoakstreamError('USAGE_ERROR', `${where}: expected epoch µs or an ISO-8601 time, got "${value}"`);
  return ms * 1000;
}

/** Decodes a labels document (a JSON array of {series, start, end, kind}), naming the file and entry at fault. */
export function decodeLabels(text: string, source: string): Label[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new SoakstreamError('USAGE_ERROR', `${source}: not JSON: ${(error as Error).message}`);
  }
  const decoded = LabelsCodec.decode(document);
  if (isLeft(decoded))
    throw new SoakstreamError(
      'USAGE_ERROR',
      `${source}: expected an array of {series, start, end, kind}: ` +
        formatErrors(decoded.left).slice(0, 3).join('; '),
    );
  return decoded.right.map((raw, i) => {
    const label = {
      series: raw.series,
      start: micros(raw.start, `${source}[${i}].start`),
      end: micros(raw.end, `${source}[${i}].end`),
      kind: raw.kind,
    };
    if (!(label.end > label.start))
      throw new SoakstreamError('USAGE_ERROR', `${source}[${i}]: end must be after start`);
    return label;
  });
}

/** Sensitivity settings of one candidate: what it multiplies or sets on the rule. */
export interface Candidate {
  readonly alpha: number;
  /** Factor on the practical threshold (every regression tier's minShift, the leak's relative slope). */
  readonly threshold: number;
  /** The rule's `for`, µs. */
  readonly for: number;
}

/** How one candidate did on a set of series. */
export interface Score {
  readonly falseAlarms: number;
  readonly changeFreeHours: number;
  readonly falseAlarmRate: number;
  /** Exact 95% upper bound of the false-alarm rate (Garwood), per change-free series-hour. */
  readonly falseAlarmBound: number;
  readonly changes: number;
  readonly detected: number;
  readonly recall: number | null;
  readonly medianDelay: number | null;
}

/** What calibration found for one rule. */
export interface RuleCalibration {
  readonly rule: string;
  readonly kind: AlertKind;
  readonly candidates: readonly { readonly candidate: Candidate; readonly train: Score }[];
  readonly chosen: Candidate;
  /** Whether the chosen candidate met the target on the training series. */
  readonly metTarget: boolean;
  readonly heldOut: { readonly chosen: Score; readonly current: Score };
  /** The rule as written to the calibrated rules file. */
  readonly calibrated: Rule;
}

const ALPHAS = [1e-2, 1e-3, 1e-4];
const SCALES = [0.5, 0.75, 1, 1.5];
const FORS: Readonly<Record<'regression' | 'leak', readonly number[]>> = {
  regression: [0, 5 * MICROS_PER_SECOND, 30 * MICROS_PER_SECOND],
  leak: [0, 2 * MICROS_PER_MINUTE, 4 * MICROS_PER_MINUTE],
};

/** The rule with a candidate's settings applied. */
export function applyCandidate(rule: Rule, candidate: Candidate): Rule {
  const detector = rule.detector;
  if (detector.type === 'regression') {
    const tiers = (detector.tiers ?? DEFAULT_REGRESSION_TIERS).map((tier) => ({
      ...tier,
      minShift: Math.min(1, tier.minShift * candidate.threshold),
    }));
    return { ...rule, for: candidate.for, detector: { ...detector, alpha: candidate.alpha, tiers } };
  }
  if (detector.type === 'leak') {
    const relative = Math.min(1, (detector.minRelativeSlopePerHour ?? 0.01) * candidate.threshold);
    return {
      ...rule,
      for: candidate.for,
      detector: { ...detector, alpha: candidate.alpha, minRelativeSlopePerHour: relative },
    };
  }
  throw new RangeError(`calibrate: rule ${rule.name} (${detector.type}) has no sensitivity settings to search`);
}

/** The sensitivity settings a rule has now, as a candidate (threshold factor 1). */
function currentOf(rule: Rule): Candidate {
  const defaults = detectorDefinition(rule.detector.type).defaults as { alpha?: number };
  const alpha = (rule.detector as { alpha?: number }).alpha ?? defaults.alpha ?? 0.001;
  return { alpha, threshold: 1, for: rule.for };
}

/** Every candidate of a rule's grid: α × threshold factor × `for`. */
function gridOf(rule: Rule): Candidate[] {
  const fors = FORS[rule.detector.type === 'leak' ? 'leak' : 'regression'];
  return ALPHAS.flatMap((alpha) =>
    SCALES.flatMap((threshold) => fors.map((forMicros) => ({ alpha, threshold, for: forMicros }))),
  );
}

/** The samples of a corpus, in time order, with each series' span and identity. */
export interface Corpus {
  readonly samples: readonly Sample[];
  /** The series key of each sample, computed once (every candidate filters the samples by series). */
  readonly keys: readonly string[];
  readonly series: ReadonlyMap<string, { readonly first: Sample; readonly start: number; readonly end: number }>;
}

/** Reads recordings into one time-ordered corpus. */
export async function readCorpus(paths: readonly string[], options: SampleFileOptions = {}): Promise<Corpus> {
  const samples: Sample[] = [];
  const series = new Map<string, { first: Sample; start: number; end: number }>();
  for (const path of paths) for await (const sample of readSampleFile(path, options)) samples.push(sample);
  if (samples.length === 0) throw new SoakstreamError('USAGE_ERROR', `${paths.join(', ')}: no samples to calibrate on`);
  samples.sort((a, b) => a.ts - b.ts);
  const keys = samples.map((sample) => {
    const key = seriesKey(sample.metric, sample.tags);
    const span = series.get(key);
    if (span === undefined) series.set(key, { first: sample, start: sample.ts, end: sample.ts });
    else span.end = sample.ts;
    return key;
  });
  return { samples, keys, series };
}

/**
 * Splits the series in two halves, a training and a held-out one, alternately within groups of
 * series of the same metric with the same labels' kinds (so both halves hold changed and unchanged
 * series of every metric), in the order of a hash of their keys (deterministic, not by name).
 */
export function splitSeries(
  keys: readonly string[],
  labels: readonly Label[],
): { train: Set<string>; heldOut: Set<string> } {
  const kinds = new Map<string, string>();
  for (const label of labels) kinds.set(label.series, [kinds.get(label.series), label.kind].filter(Boolean).join(','));
  const hash = (key: string): number => {
    let h = 0;
    for (let i = 0; i < key.length; i++) h = fmix32(h ^ key.charCodeAt(i));
    return h >>> 0;
  };
  const groups = new Map<string, string[]>();
  for (const key of keys) {
    // Series of one metric with the same labels' kinds form a group (so each half gets its share).
    const group = `${key.split('{')[0]}|${kinds.get(key) ?? ''}`;
    groups.set(group, [...(groups.get(group) ?? []), key]);
  }
  const train = new Set<string>();
  const heldOut = new Set<string>();
  for (const members of groups.values())
    [...members].sort((a, b) => hash(a) - hash(b)).forEach((key, i) => (i % 2 === 0 ? train : heldOut).add(key));
  return { train, heldOut };
}

/**
 * How a rule did on a set of series: false alarms are its firing alerts outside the labelled
 * windows of its kind on their series, per change-free series-hour (the series' span less those
 * windows); a label is detected by the first firing alert inside its window, its delay from the
 * label's start. Only series the rule applies to count. O(samples of the set).
 */
export function scoreRule(
  corpus: Corpus,
  keys: ReadonlySet<string>,
  rule: Rule,
  base: RuleSet,
  labels: readonly Label[],
): Score {
  const kind = rule.detector.type as AlertKind;
  const applies = [...keys].filter((key) => {
    const entry = corpus.series.get(key);
    return entry !== undefined && ruleMatches(rule.match, seriesOf(entry.first, key, base.metrics ?? []));
  });
  const set = new Set(applies);
  const firing = new Map<string, number[]>();
  runAnalysis(
    corpus.samples.filter((_, i) => set.has(corpus.keys[i] as string)),
    {
      rules: { ...base, rules: [rule] },
      onEvent: (event) => {
        if (event.type !== 'alert' || event.alert.state !== 'firing' || event.alert.rule !== rule.name) return;
        firing.set(event.alert.series, [...(firing.get(event.alert.series) ?? []), event.alert.ts]);
      },
    },
  );
  let falseAlarms = 0;
  let changeFree = 0;
  let changes = 0;
  const delays: number[] = [];
  for (const key of applies) {
    const span = corpus.series.get(key) as { start: number; end: number };
    const windows = labels.filter((label) => label.series === key && label.kind === kind);
    const inside = (ts: number): boolean => windows.some((w) => ts >= w.start && ts <= w.end);
    const times = firing.get(key) ?? [];
    falseAlarms += times.filter((ts) => !inside(ts)).length;
    const covered = windows.reduce(
      (sum, w) => sum + Math.max(0, Math.min(w.end, span.end) - Math.max(w.start, span.start)),
      0,
    );
    changeFree += Math.max(0, span.end - span.start - covered);
    for (const w of windows) {
      changes++;
      const hit = times.find((ts) => ts >= w.start && ts <= w.end);
      if (hit !== undefined) delays.push(hit - w.start);
    }
  }
  delays.sort((a, b) => a - b);
  const changeFreeHours = changeFree / MICROS_PER_HOUR;
  return {
    falseAlarms,
    changeFreeHours,
    falseAlarmRate: changeFreeHours > 0 ? falseAlarms / changeFreeHours : 0,
    falseAlarmBound: changeFreeHours > 0 ? poissonUpper(falseAlarms) / changeFreeHours : Number.POSITIVE_INFINITY,
    changes,
    detected: delays.length,
    recall: changes > 0 ? delays.length / changes : null,
    medianDelay: delays.length > 0 ? sortedMedian(delays) : null,
  };
}

/** Options of {@link calibrate}. */
export interface CalibrateOptions {
  /** Highest acceptable false alarms per change-free series-hour on the training series. Default 0.05. */
  readonly target?: number;
  /** Told of each candidate scored (progress). */
  readonly progress?: (line: string) => void;
}

const sameCandidate = (a: Candidate, b: Candidate): boolean =>
  a.alpha === b.alpha && a.threshold === b.threshold && a.for === b.for;

/**
 * Whether candidate a did better than b on the training series: more recall, then less delay, then
 * fewer false alarms; among equals, the less sensitive (smaller α, larger threshold, longer for),
 * which holds the same results with more margin.
 */
function better(a: { candidate: Candidate; train: Score }, b: { candidate: Candidate; train: Score }): boolean {
  const recall = (s: Score): number => s.recall ?? 0;
  const delay = (s: Score): number => s.medianDelay ?? Number.POSITIVE_INFINITY;
  const order = [
    recall(b.train) - recall(a.train),
    delay(a.train) - delay(b.train),
    a.train.falseAlarmRate - b.train.falseAlarmRate,
    a.candidate.alpha - b.candidate.alpha,
    b.candidate.threshold - a.candidate.threshold,
    b.candidate.for - a.candidate.for,
  ].find((difference) => difference !== 0);
  return order !== undefined && order < 0;
}

/**
 * Searches the sensitivity settings of each alerting regression and leak rule (α, the practical
 * threshold scaled by 0.5–1.5, `for`) on the training half of the labelled series: the candidate
 * with the highest recall (then shortest median delay) whose false-alarm rate is at most the
 * target; without one, the candidate with the fewest false alarms. Its figures on the held-out half,
 * next to the rule's current settings', say how it generalises. Rules with no series or no labels
 * of their kind are left as they are. O(rules · candidates · samples).
 */
export function calibrate(
  corpus: Corpus,
  labels: readonly Label[],
  base: RuleSet,
  options: CalibrateOptions = {},
): RuleCalibration[] {
  const target = options.target ?? 0.05;
  const { train, heldOut } = splitSeries([...corpus.series.keys()], labels);
  const out: RuleCalibration[] = [];
  for (const rule of base.rules) {
    if (!rule.alert || (rule.detector.type !== 'regression' && rule.detector.type !== 'leak')) continue;
    const kind = rule.detector.type as AlertKind;
    const labelled = labels.some(
      (label) =>
        label.kind === kind &&
        corpus.series.has(label.series) &&
        ruleMatches(
          rule.match,
          seriesOf((corpus.series.get(label.series) as { first: Sample }).first, label.series, base.metrics ?? []),
        ),
    );
    if (!labelled) {
      options.progress?.(`${rule.name}: no labelled ${kind} on the series it applies to; left as it is`);
      continue;
    }
    const grid = gridOf(rule);
    const candidates = grid.map((candidate, i) => {
      const trainScore = scoreRule(corpus, train, applyCandidate(rule, candidate), base, labels);
      options.progress?.(`${rule.name}: candidate ${i + 1}/${grid.length} scored`);
      return { candidate, train: trainScore };
    });
    // A candidate qualifies when the 95% upper bound of its false-alarm rate is within the target:
    // a few quiet hours do not show a rate of 0.05 per hour (that takes 60 with no alarm).
    const qualifying = candidates.filter((c) => c.train.falseAlarmBound <= target);
    const current = currentOf(rule);
    const best =
      qualifying.length > 0
        ? qualifying.reduce((a, b) => (better(b, a) ? b : a))
        : // Without proof of the target: the fewest false alarms, then the current settings, then
          // the least sensitive (smallest α, largest threshold, longest for).
          ([...candidates].sort(
            (a, b) =>
              a.train.falseAlarms - b.train.falseAlarms ||
              Number(sameCandidate(b.candidate, current)) - Number(sameCandidate(a.candidate, current)) ||
              a.candidate.alpha - b.candidate.alpha ||
              b.candidate.threshold - a.candidate.threshold ||
              b.candidate.for - a.candidate.for,
          )[0] as (typeof candidates)[number]);
    const calibrated = applyCandidate(rule, best.candidate);
    out.push({
      rule: rule.name,
      kind,
      candidates,
      chosen: best.candidate,
      metTarget: qualifying.length > 0,
      heldOut: {
        chosen: scoreRule(corpus, heldOut, calibrated, base, labels),
        current: scoreRule(corpus, heldOut, applyCandidate(rule, currentOf(rule)), base, labels),
      },
      calibrated,
    });
  }
  return out;
}

/**
 * The calibrated rules file: the base document (a rules file's, or an empty one for the default
 * rules) with each calibrated rule's settings set on its entry (added as an override when the
 * document has none), checked by decoding it back. Returns the YAML text.
 */
export function calibratedRulesFile(
  document: Record<string, unknown> | null,
  calibrations: readonly RuleCalibration[],
): string {
  const doc: Record<string, unknown> = { version: 1, ...(document ?? {}) };
  const entries = Array.isArray(doc.rules) ? [...(doc.rules as Record<string, unknown>[])] : [];
  for (const calibration of calibrations) {
    const rule = calibration.calibrated;
    const detector = rule.detector as {
      type: string;
      alpha?: number;
      tiers?: { window: number; minShift: number }[];
      minRelativeSlopePerHour?: number;
    };
    const settings: Record<string, unknown> = { for: formatDuration(rule.for), alpha: detector.alpha };
    if (detector.tiers !== undefined)
      settings.tiers = detector.tiers.map((tier) => ({
        window: formatDuration(tier.window),
        minShift: Number(tier.minShift.toPrecision(6)),
      }));
    if (detector.minRelativeSlopePerHour !== undefined)
      settings.minRelativeSlopePerHour = Number(detector.minRelativeSlopePerHour.toPrecision(6));
    const index = entries.findIndex((entry) => entry.name === rule.name);
    if (index >= 0) entries[index] = { ...entries[index], ...settings };
    else entries.push({ name: rule.name, ...settings });
  }
  doc.rules = entries;
  const text = stringify(doc);
  parseRules(text, 'calibrated rules');
  return text;
}

const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(0)}%`);
const delayText = (micros: number | null): string =>
  micros === null ? '—' : `${(micros / MICROS_PER_MINUTE).toFixed(1)} min`;
const scoreText = (score: Score): string =>
  `false alarms ${score.falseAlarms} in ${score.changeFreeHours.toFixed(1)} h ` +
  `(${score.falseAlarmRate.toFixed(3)}/h), ` +
  `recall ${pct(score.recall)} of ${score.changes}, median delay ${delayText(score.medianDelay)}`;

/** The calibration as text: per rule, every candidate's training figures, then the held-out check. */
export function formatCalibration(calibrations: readonly RuleCalibration[], target: number): string[] {
  const lines: string[] = [];
  for (const c of calibrations) {
    lines.push(
      `${c.rule} (${c.kind}): ${c.candidates.length} candidates on the training series; ` +
        `target ≤ ${target} false alarms per series-hour`,
    );
    lines.push('     alpha  threshold   for     FA/h  FA/h 95% bound  recall  median delay');
    for (const { candidate, train } of c.candidates) {
      const chosen = candidate === c.chosen;
      lines.push(
        `  ${chosen ? '*' : ' '} ${String(candidate.alpha).padEnd(6)}  ×${candidate.threshold.toFixed(2).padEnd(8)} ` +
          `${formatDuration(candidate.for).padStart(4)}  ${train.falseAlarmRate.toFixed(3).padStart(7)}  ` +
          `${train.falseAlarmBound.toFixed(3).padStart(14)}  ` +
          `${pct(train.recall).padStart(6)}  ${delayText(train.medianDelay).padStart(12)}`,
      );
    }
    if (!c.metTarget) {
      const hours = c.candidates[0]?.train.changeFreeHours ?? 0;
      lines.push(
        `  no candidate is shown to meet the target: ${hours.toFixed(1)} change-free training hours bound a ` +
          `quiet candidate's rate at ${(poissonUpper(0) / Math.max(hours, 1e-9)).toFixed(3)}/h (95%); ` +
          `${Math.ceil(poissonUpper(0) / target)} hours are needed. Chosen: the fewest false alarms, ` +
          'then the current settings',
      );
    }
    lines.push(`  held out, chosen (*): ${scoreText(c.heldOut.chosen)}`);
    lines.push(`  held out, current:    ${scoreText(c.heldOut.current)}`);
    lines.push('');
  }
  return lines;
}

/** `soakstream calibrate`: reads labels, rules and recordings, calibrates, writes the rules file. */
export async function calibrateCommand(
  files: readonly string[],
  options: {
    readonly labels: string;
    readonly rules?: string;
    readonly target?: number;
    readonly output: string;
    readonly file?: SampleFileOptions;
  },
  out: (line: string) => void = console.log,
  progress: (line: string) => void = console.error,
): Promise<RuleCalibration[]> {
  const { readFile, writeFile } = await import('node:fs/promises');
  const { checkOutputPath } = await import('./checkOutputPath.js');
  const { loadRules } = await import('../config/loadRules.js');
  const { parseYaml, readConfigText } = await import('../config/configText.js');
  const { defaultRuleSet } = await import('../rules/defaultRules.js');
  await checkOutputPath(options.output, { setting: '--output', kind: 'file', createsDirectories: false });
  let labelsText: string;
  try {
    labelsText = await readFile(options.labels, 'utf8');
  } catch (error) {
    throw new SoakstreamError('USAGE_ERROR', `${options.labels}: cannot read the labels: ${(error as Error).message}`);
  }
  const labels = decodeLabels(labelsText, options.labels);
  const base = options.rules !== undefined ? await loadRules(options.rules) : defaultRuleSet();
  const document =
    options.rules !== undefined
      ? (parseYaml(await readConfigText(options.rules, 'rules file'), options.rules) as Record<string, unknown>)
      : null;
  progress(`calibrate: reading ${files.join(', ')}`);
  const corpus = await readCorpus(files, options.file ?? {});
  const unknown = labels.filter((label) => !corpus.series.has(label.series));
  if (unknown.length === labels.length)
    throw new SoakstreamError(
      'USAGE_ERROR',
      `${options.labels}: no label names a series of the recordings (first: ${labels[0]?.series ?? 'none'})`,
    );
  if (unknown.length > 0)
    progress(`warning: ${unknown.length} labels name series not in the recordings (first: ${unknown[0]?.series})`);
  const target = options.target ?? 0.05;
  progress(
    `calibrate: ${corpus.samples.length.toLocaleString()} samples of ${corpus.series.size} series, ` +
      `${labels.length} labels; half the series train, half are held out`,
  );
  const calibrations = calibrate(corpus, labels, base, { target, progress });
  if (calibrations.length === 0)
    throw new SoakstreamError(
      'USAGE_ERROR',
      'no alerting regression or leak rule applies to a labelled series: nothing to calibrate',
    );
  for (const line of formatCalibration(calibrations, target)) out(line);
  await writeFile(options.output, calibratedRulesFile(document, calibrations));
  out(`wrote ${options.output}`);
  return calibrations;
}
