import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { Severity } from '../model/alert.js';
import { DEFAULT_RULES, defaultRuleSet } from '../rules/defaultRules.js';
import { METRIC_KINDS, type MetricKind } from '../rules/metricKind.js';
import type { Rule, RuleMatch, RuleSet } from '../rules/rule.js';
import { DETECTOR_FIELDS, toDetectorConfig, WindowCodec, type DetectorName } from './detectorCodecs.js';
import { Duration, PositiveDuration } from '../model/fields/duration.js';
import { formatErrors } from './formatErrors.js';
import { PositiveInteger } from '../model/fields/fraction.js';
import { strictObject } from '../model/fields/strictObject.js';
import { SeverityCodec } from '../model/fields/textCodecs.js';

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

interface RuleEntry {
  readonly name: string;
  readonly enabled: boolean;
  readonly rule: Rule | null;
  /** Decoded common fields given explicitly, so an override of a default rule keeps the rest. */
  readonly overrides: Partial<Pick<Rule, 'severity' | 'for' | 'keepFiringFor' | 'alert'>> & {
    readonly match?: RuleMatch;
  };
}

const DETECTOR_NAMES = Object.keys(DETECTOR_FIELDS) as DetectorName[];

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

/** One entry of `rules:`: a full rule, or `{ name, enabled: false }` to switch a default rule off. */
const RuleEntryCodec = new t.Type<RuleEntry, unknown, unknown>(
  'Rule',
  (_u): _u is RuleEntry => false,
  (u, c) => {
    if (typeof u !== 'object' || u === null || Array.isArray(u))
      return t.failure(u, c, `expected a rule mapping with at least "name", got ${JSON.stringify(u)}`);
    const raw = u as Record<string, unknown>;
    const name = raw.name;
    if (typeof name !== 'string' || name.trim() === '') {
      return t.failures([
        {
          value: name,
          context: [...c, { key: 'name', type: t.string, actual: u }],
          message: `expected a non-empty rule name, got ${JSON.stringify(name)}`,
        },
      ]);
    }
    if (raw.detector === undefined) {
      const only = strictObject(t.partial(COMMON_FIELDS), ['name', ...Object.keys(COMMON_FIELDS)], 'RuleOverride');
      const decoded = only.validate(u, c);
      if (isLeft(decoded)) return decoded;
      const { match, severity, for: forMicros, keepFiringFor, alert } = decoded.right;
      const overrides = {
        ...(match !== undefined ? { match: toMatch(match) } : {}),
        ...(severity !== undefined ? { severity } : {}),
        ...(forMicros !== undefined ? { for: forMicros } : {}),
        ...(keepFiringFor !== undefined ? { keepFiringFor } : {}),
        ...(alert !== undefined ? { alert } : {}),
      };
      return t.success({ name, enabled: raw.enabled !== false, rule: null, overrides });
    }
    const detector = raw.detector as DetectorName;
    if (typeof raw.detector !== 'string' || !DETECTOR_NAMES.includes(detector)) {
      return t.failures([
        {
          value: raw.detector,
          context: [...c, { key: 'detector', type: t.string, actual: u }],
          message: `expected one of ${DETECTOR_NAMES.join(', ')}, got ${JSON.stringify(raw.detector)}`,
        },
      ]);
    }
    const fields = DETECTOR_FIELDS[detector];
    const codec = strictObject(
      t.intersection([
        t.type({ name: t.string, detector: t.string, ...fields.required }),
        t.partial({ ...COMMON_FIELDS, ...fields.optional }),
      ]),
      [
        'name',
        'detector',
        ...Object.keys(COMMON_FIELDS),
        ...Object.keys(fields.required),
        ...Object.keys(fields.optional),
      ],
      `Rule(${detector})`,
    );
    const decoded = codec.validate(u, c);
    if (isLeft(decoded)) return decoded;
    const value = decoded.right as Record<string, unknown>;
    const specific: Record<string, unknown> = {};
    for (const key of [...Object.keys(fields.required), ...Object.keys(fields.optional)])
      if (value[key] !== undefined) specific[key] = value[key];
    const rule: Rule = {
      name,
      match: toMatch(value.match as t.TypeOf<typeof Match> | undefined),
      detector: toDetectorConfig(detector, specific),
      severity: (value.severity as Severity | undefined) ?? 'warning',
      for: (value.for as number | undefined) ?? 0,
      keepFiringFor: (value.keepFiringFor as number | undefined) ?? 0,
      alert: (value.alert as boolean | undefined) ?? true,
    };
    return t.success({ name, enabled: value.enabled !== false, rule, overrides: {} });
  },
  (entry) => entry,
);

const Stats = strictObject(t.partial({ window: WindowCodec, hop: WindowCodec }), ['window', 'hop'], 'Stats');

const RulesFile = strictObject(
  t.partial({
    version: t.literal(1),
    defaults: t.boolean,
    stats: Stats,
    allowedLateness: Duration,
    maxSeries: PositiveInteger,
    idleAfter: PositiveDuration,
    rules: t.array(RuleEntryCodec),
  }),
  ['version', 'defaults', 'stats', 'allowedLateness', 'maxSeries', 'idleAfter', 'rules'],
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
        `rules[${index}].detector: rule "${entry.name}" is not a default rule, so it needs a detector (one of ${DETECTOR_NAMES.join(', ')})`,
      );
    }
  });
  return problems;
}

/**
 * Decodes a parsed rules document (see docs in the README: `defaults`, `stats`, `rules`...)
 * into a RuleSet, starting from the default rules unless `defaults: false`. A rule with the
 * name of a default rule replaces it (or, without `detector`, changes only the fields given;
 * `enabled: false` switches it off). Returns every problem at once, each with its path.
 */
export function decodeRules(document: unknown): Either<string[], RuleSet> {
  const decoded = RulesFile.validate(document ?? {}, [{ key: '', type: RulesFile, actual: document }]);
  if (isLeft(decoded)) {
    const raw = typeof document === 'object' && document !== null ? (document as Record<string, unknown>) : {};
    const defaults = raw.defaults === false ? [] : DEFAULT_RULES.map((rule) => rule.name);
    const entries = Array.isArray(raw.rules) ? raw.rules.map(outlineOf) : [];
    return left([...formatErrors(decoded.left), ...nameProblems(entries, defaults)]);
  }
  const file = decoded.right;
  const base = defaultRuleSet();
  const defaults = file.defaults === false ? [] : DEFAULT_RULES;
  const entries = file.rules ?? [];
  const problems = nameProblems(
    entries.map((entry) => ({ name: entry.name, enabled: entry.enabled, hasDetector: entry.rule !== null })),
    defaults.map((rule) => rule.name),
  );
  if (problems.length > 0) return left(problems);
  const rules = new Map<string, Rule>(defaults.map((rule) => [rule.name, rule]));
  for (const entry of entries) {
    if (!entry.enabled) rules.delete(entry.name);
    else if (entry.rule !== null) rules.set(entry.name, entry.rule);
    else rules.set(entry.name, { ...(rules.get(entry.name) as Rule), ...entry.overrides });
  }
  return right({
    rules: [...rules.values()],
    stats: { window: file.stats?.window ?? base.stats.window, hop: file.stats?.hop ?? base.stats.hop },
    allowedLateness: file.allowedLateness ?? base.allowedLateness,
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
    return left([`rules: expected a rules file path or a rules mapping, got ${JSON.stringify(raw)}`]);
  const ruleSet = decodeRules(raw ?? {});
  return isLeft(ruleSet)
    ? left(
        ruleSet.left.map((line) =>
          line.startsWith('(top level)') ? `rules${line.slice('(top level)'.length)}` : `rules.${line}`,
        ),
      )
    : ruleSet;
}
