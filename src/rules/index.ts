// The rule model, default rules, metric kinds, matching, and rules compiled for the analysis.
export { compileRule, compileRuleSet } from './compileRules.js';
export type { CompiledRule, CompiledRuleSet } from './compileRules.js';
export { DEFAULT_RULES, defaultRuleSet } from './defaultRules.js';
export { metricKind } from './metricKind.js';
export type { RuleMatch, Rule, RuleSet } from './rule.js';
export { globToRegExp, ruleMatches } from './ruleMatches.js';
export { seriesOf } from './seriesOf.js';
