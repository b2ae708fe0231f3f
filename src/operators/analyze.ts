import type { OperatorFunction } from 'rxjs';
import { Analysis } from '../analysis/analysis.js';
import type { AnalysisEvent } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { compileRuleSet } from '../rules/compileRules.js';
import { defaultRuleSet } from '../rules/defaultRules.js';
import type { RuleSet } from '../rules/rule.js';
import { processorOperator } from './processorOperator.js';

/**
 * The analysis of a sample stream as an operator (see Analysis for what it does and the order of
 * its events): one subscription, one Analysis per subscriber. The rules are compiled, and any
 * RangeError in their options thrown, when the operator is created.
 */
export function analyze(ruleSet: RuleSet = defaultRuleSet()): OperatorFunction<Sample, AnalysisEvent> {
  const compiled = compileRuleSet(ruleSet);
  return processorOperator(() => new Analysis(compiled));
}
