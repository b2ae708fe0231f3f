import { connect, merge, Observable, type OperatorFunction } from 'rxjs';
import type { AnalysisEvent, Diagnostic } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { bySeries } from '../operators/bySeries.js';
import { eventTime } from '../operators/eventTime.js';
import { defaultRuleSet } from '../rules/defaultRules.js';
import type { RuleSet } from '../rules/rule.js';
import { scalingGraph } from './scalingGraph.js';
import { seriesGraph } from './seriesGraph.js';

/**
 * The analysis graph (DESIGN.md): samples are put in event-time order (late ones counted and
 * dropped), split by series within the cardinality limit, and each series runs rolling stats
 * and the detectors of its matching rules, with alert state machines; scaling rules run
 * across series. Diagnostics (late, out-of-order, series limit, evictions) are part of the
 * output. Deterministic: the same samples give the same events in the same order.
 */
export function analyze(ruleSet: RuleSet = defaultRuleSet()): OperatorFunction<Sample, AnalysisEvent> {
  const scalingRules = ruleSet.rules.filter((rule) => rule.detector.type === 'scaling');
  return (source) =>
    new Observable<AnalysisEvent>((subscriber) => {
      const onDiagnostic = (diagnostic: Diagnostic): void => subscriber.next({ type: 'diagnostic', diagnostic });
      return source
        .pipe(
          eventTime({ allowedLateness: ruleSet.allowedLateness, onDiagnostic }),
          connect((ordered) => {
            const perSeries = ordered.pipe(
              bySeries((series, ref, first) => seriesGraph(series, ref, first, ruleSet), {
                maxSeries: ruleSet.maxSeries,
                idleAfter: ruleSet.idleAfter,
                onDiagnostic,
              }),
            );
            return scalingRules.length > 0 ? merge(perSeries, ordered.pipe(scalingGraph(scalingRules))) : perSeries;
          }),
        )
        .subscribe(subscriber);
    });
}
