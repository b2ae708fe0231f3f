import { DEFAULT_RULES, defaultRuleSet } from './defaultRules.js';
import type { PresetName } from './presetNames.js';
import type { Rule, RuleSet } from './rule.js';

/**
 * The generic rule of the `anomaly` preset: the anomaly detector (src/detectors/anomaly.ts) on
 * every series whatever its kind, firing as soon as a sample's anomaly score reaches the
 * threshold; the detector holds an anomaly for 60 samples, so one episode raises one alert.
 */
export const ANOMALY_RULES: readonly Rule[] = [
  {
    name: 'anomaly',
    match: {},
    detector: { type: 'anomaly' },
    severity: 'warning',
    for: 0,
    keepFiringFor: 0,
    alert: true,
  },
];

/** Named starting points for the rules: `soak` (the default rules) and `anomaly` (any metric). */
export const PRESETS: Readonly<Record<PresetName, readonly Rule[]>> = { soak: DEFAULT_RULES, anomaly: ANOMALY_RULES };

/** The rule set of a preset: its rules, with the default settings (stats, lateness, limits). */
export const presetRuleSet = (preset: PresetName): RuleSet => ({ ...defaultRuleSet(), rules: PRESETS[preset] });

/**
 * `ruleSet` started from `preset` instead of the default rules: the default rules it holds
 * unchanged give way to the preset's rules; rules it added or changed stay. O(rules).
 */
export function withPreset(ruleSet: RuleSet, preset: PresetName): RuleSet {
  if (preset === 'soak') return ruleSet;
  const kept = ruleSet.rules.filter((rule) => !DEFAULT_RULES.includes(rule));
  const names = new Set(kept.map((rule) => rule.name));
  return { ...ruleSet, rules: [...PRESETS[preset].filter((rule) => !names.has(rule.name)), ...kept] };
}
