import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { AnyDetectorDefinition } from '../detectors/definition.js';
import { DETECTOR_TYPES, detectorDefinition, type DetectorConfig, type DetectorType } from '../detectors/registry.js';
import { ROLLING_STATS_FIELDS } from '../detectors/rollingStats.js';
import type { Severity } from '../model/alert.js';
import { Duration, PositiveDuration } from '../model/fields/duration.js';
import { PositiveInteger } from '../model/fields/fraction.js';
import { strictObject } from '../model/fields/strictObject.js';
import { SeverityCodec } from '../model/fields/textCodecs.js';
import { METRIC_KINDS, type MetricKind } from '../model/metricKind.js';
import { compileRule } from '../rules/compileRules.js';
import { defaultRuleSet } from '../rules/defaultRules.js';
import { PRESET_NAMES, type PresetName } from '../rules/presetNames.js';
import { PRESETS } from '../rules/presets.js';
import type { Rule, RuleMatch, RuleSet } from '../rules/rule.js';
import { formatErrors } from './formatErrors.js';
import { resolveBaselineReferences } from './resolveBaselineReferences.js';
import { showValue } from '../model/showValue.js';

const Kind = t.keyof(
  Object.fromEntries(METRIC_KINDS.map((k) => [k, null])) as Record<MetricKind, null>,
  `one of ${METRIC_KINDS.join(', ')}`,
);
const Match = strictObject(
  t.partial({
    kind: t.union([Kind, t.array(Kind)]),
    metric: t.string,
    tags: t.record(t.string, t.string),
    exclude: t.union([t.string, t.array(t.string)]),
  }),
  ['kind', 'metric', 'tags', 'exclude'],
  'Match',
);
const COMMON_FIELDS = {
  match: Match,
  severity: SeverityCodec,
  for: Duration,
  keepFiringFor: Duration,
  alert: t.boolean,
  enabled: t.boolean,
};

/** A decoded `rules:` entry: the rule it defines or changes (null when it has no detector to decode). */
interface RuleEntry {
  readonly name: string;
  readonly enabled: boolean;
  readonly rule: Rule | null;
}

const toMatch = (match: t.TypeOf<typeof Match> | undefined): RuleMatch => {
  if (match === undefined) return {};
  const kinds = match.kind === undefined ? undefined : Array.isArray(match.kind) ? match.kind : [match.kind];
  const exclude =
    match.exclude === undefined ? undefined : typeof match.exclude === 'string' ? [match.exclude] : match.exclude;
  return {
    ...(kinds !== undefined ? { kinds } : {}),
    ...(match.metric !== undefined ? { metric: match.metric } : {}),
    ...(match.tags !== undefined ? { tags: match.tags } : {}),
    ...(exclude !== undefined ? { exclude } : {}),
  };
};

/** The codecs of a detector's options: every one optional, unless `required` (a new rule) asks for them. */
function detectorCodec(definition: AnyDetectorDefinition, withRequired: boolean): t.Mixed {
  const fields = definition.fields as Record<string, t.Mixed>;
  const required = new Set(withRequired ? (definition.required as string[]) : []);
  const pick = (keep: (key: string) => boolean): Record<string, t.Mixed> =>
    Object.fromEntries(Object.entries(fields).filter(([key]) => keep(key)));
  return t.intersection([
    t.type({ name: t.string, ...pick((key) => required.has(key)) }),
    t.partial({ detector: t.string, ...COMMON_FIELDS, ...pick((key) => !required.has(key)) }),
  ]);
}

/**
 * One entry of `rules:`. A new rule names its detector and gives its required options; an entry
 * with the name of a default rule changes only the fields it gives — common ones (match,
 * severity, for...) and any option of the rule's detector, decoded by the detector's own codecs —
 * unless it names another detector, which replaces the rule; `enabled: false` switches it off.
 */
const ruleEntryCodec = (known: ReadonlyMap<string, Rule>): t.Type<RuleEntry, unknown, unknown> =>
  new t.Type<RuleEntry, unknown, unknown>(
    'Rule',
    (_u): _u is RuleEntry => false,
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u))
        return t.failure(u, c, `expected a rule mapping with at least "name", got ${showValue(u)}`);
      const raw = u as Record<string, unknown>;
      const name = raw.name;
      if (typeof name !== 'string' || name.trim() === '') {
        return t.failures([
          {
            value: name,
            context: [...c, { key: 'name', type: t.string, actual: u }],
            message: `expected a non-empty rule name, got ${showValue(name)}`,
          },
        ]);
      }
      if (raw.detector !== undefined && !DETECTOR_TYPES.includes(raw.detector as DetectorType)) {
        return t.failures([
          {
            value: raw.detector,
            context: [...c, { key: 'detector', type: t.string, actual: u }],
            message: `expected one of ${DETECTOR_TYPES.join(', ')}, got ${showValue(raw.detector)}`,
          },
        ]);
      }
      const base = known.get(name);
      const type = (raw.detector as DetectorType | undefined) ?? base?.detector.type;
      if (type === undefined) {
        // No detector to decode options with: the name checks say so; the common fields are still checked.
        const common = strictObject(t.partial(COMMON_FIELDS), ['name', ...Object.keys(COMMON_FIELDS)], 'Rule');
        const decoded = common.validate(u, c);
        return isLeft(decoded) ? decoded : t.success({ name, enabled: raw.enabled !== false, rule: null });
      }
      const definition = detectorDefinition(type);
      const changes = base !== undefined && base.detector.type === type;
      const optionNames = Object.keys(definition.fields);
      const allowed = ['name', 'detector', ...Object.keys(COMMON_FIELDS), ...optionNames];
      const codec = strictObject(detectorCodec(definition, !changes), allowed, `Rule(${type})`);
      const decoded = codec.validate(u, c);
      if (isLeft(decoded)) return decoded;
      const value = decoded.right as Record<string, unknown>;
      const options: Record<string, unknown> = {};
      for (const key of optionNames) if (value[key] !== undefined) options[key] = value[key];
      const detector = { ...(changes ? base.detector : {}), ...options, type } as DetectorConfig;
      const given = <K extends keyof Rule>(key: K, fallback: Rule[K]): Rule[K] =>
        (value[key] as Rule[K] | undefined) ?? fallback;
      const rule: Rule = {
        name,
        match: value.match !== undefined ? toMatch(value.match as t.TypeOf<typeof Match>) : changes ? base.match : {},
        detector,
        severity: given('severity', changes ? base.severity : ('warning' as Severity)),
        for: given('for', changes ? base.for : 0),
        keepFiringFor: given('keepFiringFor', changes ? base.keepFiringFor : 0),
        alert: given('alert', changes ? base.alert : true),
      };
      return t.success({ name, enabled: value.enabled !== false, rule });
    },
    (entry) => entry,
  );

const MetricSpecCodec = strictObject(t.partial({ kind: Kind, unit: t.string }), ['kind', 'unit'], 'MetricSpec');
// Kept in document order: the first glob that names a metric decides.
const Metrics = t.record(t.string, MetricSpecCodec);

const Stats = strictObject(t.partial(ROLLING_STATS_FIELDS), ['window', 'hop'], 'Stats');

const rulesFileCodec = (known: ReadonlyMap<string, Rule>) =>
  strictObject(
    t.partial({
      version: t.literal(1),
      preset: t.keyof(
        Object.fromEntries(PRESET_NAMES.map((name) => [name, null])) as Record<PresetName, null>,
        `one of ${PRESET_NAMES.join(', ')}`,
      ),
      defaults: t.boolean,
      stats: Stats,
      metrics: Metrics,
      allowedLateness: Duration,
      maxAhead: PositiveDuration,
      maxSeries: PositiveInteger,
      idleAfter: PositiveDuration,
      rules: t.array(ruleEntryCodec(known)),
    }),
    [
      'version',
      'preset',
      'defaults',
      'stats',
      'metrics',
      'allowedLateness',
      'maxAhead',
      'maxSeries',
      'idleAfter',
      'rules',
    ],
    'RulesFile',
  );

/** What the name checks need of a `rules:` entry; known even when its other fields fail to decode. */
interface EntryOutline {
  readonly name: string;
  readonly enabled: boolean;
  readonly hasDetector: boolean;
}

const outlineOf = (raw: unknown): EntryOutline | null => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const { name, enabled, detector } = raw as Record<string, unknown>;
  return typeof name === 'string' && name.trim() !== ''
    ? { name, enabled: enabled !== false, hasDetector: detector !== undefined }
    : null;
};

/**
 * Checks that need only the names, so they run even when fields fail to decode: duplicate names,
 * disabling a rule that does not exist, a rule that is not a default one but has no detector.
 */
function nameProblems(entries: readonly (EntryOutline | null)[], defaults: readonly string[]): string[] {
  const known = new Set(defaults);
  const seen = new Set<string>();
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    if (entry === null) return;
    if (seen.has(entry.name)) problems.push(`rules[${index}].name: rule "${entry.name}" is defined twice`);
    seen.add(entry.name);
    if (!entry.enabled) {
      if (!known.has(entry.name) && !entry.hasDetector)
        problems.push(
          `rules[${index}].name: no rule named "${entry.name}" to disable (known: ${[...known].join(', ')})`,
        );
      known.delete(entry.name);
    } else if (entry.hasDetector) {
      known.add(entry.name);
    } else if (!known.has(entry.name)) {
      problems.push(
        `rules[${index}].detector: rule "${entry.name}" is not a default rule, ` +
          `so it needs a detector (one of ${DETECTOR_TYPES.join(', ')})`,
      );
    }
  });
  return problems;
}

/**
 * Decodes a parsed rules document (see docs in the README: `defaults`, `stats`, `rules`...)
 * into a RuleSet, starting from the rules of its `preset` (default `soak`: the default rules)
 * unless `defaults: false`. A rule with the name of a default rule replaces it (or, without
 * `detector`, changes only the fields given; `enabled: false` switches it off). Returns every
 * problem at once, each with its path.
 */
export function decodeRules(document: unknown): Either<string[], RuleSet> {
  const raw = typeof document === 'object' && document !== null ? (document as Record<string, unknown>) : {};
  const preset =
    typeof raw.preset === 'string' && Object.hasOwn(PRESETS, raw.preset) ? (raw.preset as PresetName) : 'soak';
  const defaults = raw.defaults === false ? [] : PRESETS[preset];
  const known = new Map(defaults.map((rule) => [rule.name, rule]));
  const RulesFile = rulesFileCodec(known);
  const decoded = RulesFile.validate(document ?? {}, [{ key: '', type: RulesFile, actual: document }]);
  const defaultNames = defaults.map((rule) => rule.name);
  if (isLeft(decoded)) {
    const entries = Array.isArray(raw.rules) ? raw.rules.map(outlineOf) : [];
    return left([...formatErrors(decoded.left), ...nameProblems(entries, defaultNames)]);
  }
  const file = decoded.right;
  const base = defaultRuleSet();
  const entries = file.rules ?? [];
  const problems = nameProblems(
    entries.map((entry, index) => ({
      name: entry.name,
      enabled: entry.enabled,
      hasDetector: (Array.isArray(raw.rules) ? outlineOf(raw.rules[index])?.hasDetector : false) ?? false,
    })),
    defaultNames,
  );
  if (problems.length > 0) return left(problems);
  const rules = new Map<string, Rule>(known);
  for (const entry of entries) {
    if (!entry.enabled) rules.delete(entry.name);
    else if (entry.rule !== null) rules.set(entry.name, entry.rule);
  }
  // Regression references that name a saved baseline read its values now, before the checks below.
  const resolution = resolveBaselineReferences([...rules.values()]);
  if (resolution.problems.length > 0) return left(resolution.problems);
  const resolvedFrom = new Map<Rule, Rule>();
  [...rules.values()].forEach((rule, i) => {
    const resolved = resolution.rules[i] as Rule;
    if (resolved !== rule) {
      resolvedFrom.set(rule, resolved);
      rules.set(rule.name, resolved);
    }
  });
  // Option values each codec accepts may still not go together (a threshold without a limit, a
  // fit window shorter than its bucket): the detector's own checks say so, at the rule's path.
  const optionProblems: string[] = [];
  entries.forEach((entry, index) => {
    const rule = rules.get(entry.name);
    if (rule === undefined || entry.rule === null || rule !== (resolvedFrom.get(entry.rule) ?? entry.rule)) return;
    try {
      compileRule(rule);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      optionProblems.push(`rules[${index}]: ${error.message}`);
    }
  });
  if (optionProblems.length > 0) return left(optionProblems);
  const metrics = Object.entries(file.metrics ?? {}).map(([metric, spec]) => ({ metric, ...spec }));
  return right({
    ...(metrics.length > 0 ? { metrics } : {}),
    rules: [...rules.values()],
    stats: { window: file.stats?.window ?? base.stats.window, hop: file.stats?.hop ?? base.stats.hop },
    allowedLateness: file.allowedLateness ?? base.allowedLateness,
    maxAhead: file.maxAhead ?? base.maxAhead,
    maxSeries: file.maxSeries ?? base.maxSeries,
    idleAfter: file.idleAfter ?? base.idleAfter,
  });
}

/**
 * The `rules:` field of a scenario or a rule-test spec: a file path (returned as `{ file }` for
 * the loader to read relative to its document), an inline rules mapping (decoded as a rules file,
 * its problems prefixed with `rules.`), or absent (the default rules).
 */
export function decodeRulesField(raw: unknown): Either<string[], RuleSet | { readonly file: string }> {
  if (typeof raw === 'string') return right({ file: raw });
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw)))
    return left([`rules: expected a rules file path or a rules mapping, got ${showValue(raw)}`]);
  const ruleSet = decodeRules(raw ?? {});
  return isLeft(ruleSet)
    ? left(
        ruleSet.left.map((line) =>
          line.startsWith('(top level)') ? `rules${line.slice('(top level)'.length)}` : `rules.${line}`,
        ),
      )
    : ruleSet;
}
