import type { AlertKind } from '../model/alert.js';
import type { SeriesRef } from '../model/events.js';
import type { AlertPolicy } from '../detectors/alertState.js';
import { resolveOptions, type AnyDetectorDefinition, type SeriesContext, type Timed } from '../detectors/definition.js';
import type { Processor } from '../detectors/processor.js';
import { detectorDefinition } from '../detectors/registry.js';
import { validateRollingStats } from '../detectors/rollingStats.js';
import type { Rule, RuleSet } from './rule.js';

/**
 * A rule ready to run: its detector's definition and options (defaults filled in, checked) and its
 * processor factory.
 */
export interface CompiledRule {
  readonly rule: Rule;
  readonly definition: AnyDetectorDefinition;
  readonly options: object;
  /** Builds the rule's processor for a series (or a group, for detectors that span series). */
  readonly create: (series: SeriesContext) => Processor<unknown, Timed>;
  /** What the alert state machine needs, or null when the rule does not alert. */
  readonly policy: AlertPolicy | null;
  /** The group of a series for detectors that span series; absent for per-series detectors. */
  readonly group?: (series: SeriesRef) => SeriesRef | null;
}

/** A rule set with every rule compiled, as the analysis runs it. */
export interface CompiledRuleSet extends RuleSet {
  readonly compiled: readonly CompiledRule[];
}

/**
 * Compiles one rule: resolves its detector options against the definition's defaults and checks
 * them once for every series (RangeError naming the rule and what is wrong).
 */
export function compileRule(rule: Rule): CompiledRule {
  const definition = detectorDefinition(rule.detector.type);
  const options = resolveOptions<object>(definition, rule.detector as unknown as Record<string, unknown>);
  let create: CompiledRule['create'];
  try {
    create = definition.compile(options);
  } catch (error) {
    if (error instanceof RangeError) throw new RangeError(`rule ${rule.name}: ${error.message}`);
    throw error;
  }
  const policy: AlertPolicy | null = rule.alert
    ? {
        rule: rule.name,
        kind: definition.type as AlertKind,
        severity: rule.severity,
        forMicros: rule.for,
        keepFiringForMicros: rule.keepFiringFor,
      }
    : null;
  const group = definition.group;
  return {
    rule,
    definition,
    options,
    create,
    policy,
    ...(group !== undefined ? { group: (series: SeriesRef) => group.call(definition, options, series) } : {}),
  };
}

/** Compiles every rule of a set and checks its rolling-stats options; throws the first RangeError. */
export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  validateRollingStats(ruleSet.stats);
  return { ...ruleSet, compiled: ruleSet.rules.map(compileRule) };
}
