import { connect, filter, map, merge, mergeMap, type Observable } from 'rxjs';
import type { AnalysisEvent, SeriesRef } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { alerting } from '../operators/alerting.js';
import type { DetectorSignal } from '../operators/detectorSignal.js';
import { rollingStats } from '../operators/rollingStats.js';
import { detectorStream, type DetectorOutput } from './detectorStream.js';
import { metricKind } from './metricKind.js';
import type { RuleSet } from './rule.js';
import { ruleMatches } from './ruleMatches.js';

/**
 * The operator graph of one series: rolling stats always, plus the detector of every rule
 * that matches the series (by kind, metric glob and tags), with the alert state machine fed
 * by every alerting rule. Scaling rules are handled across series by the analysis graph.
 */
export function seriesGraph(samples: Observable<Sample>, ref: SeriesRef, first: Sample, ruleSet: RuleSet): Observable<AnalysisEvent> {
  const kind = metricKind(ref.metric, first.unit);
  const rules = ruleSet.rules.filter((rule) => rule.detector.type !== 'scaling' && ruleMatches(rule.match, ref, kind));
  return samples.pipe(
    connect((shared) => {
      const statsOptions = { window: ruleSet.stats.window, hop: ruleSet.stats.hop, ref };
      if (rules.length === 0) return shared.pipe(rollingStats(statsOptions), map((stat): AnalysisEvent => ({ type: 'stat', stat })));
      return shared.pipe(
        rollingStats(statsOptions),
        connect((stats) => {
          const outputs = merge(...rules.map((rule) => detectorStream(rule, shared, stats, ref, first.unit)));
          const statEvents = stats.pipe(map((stat): AnalysisEvent => ({ type: 'stat', stat })));
          return merge(
            statEvents,
            outputs.pipe(
              connect((out) =>
                merge(
                  out.pipe(mergeMap((o: DetectorOutput) => (o.event !== undefined ? [o.event] : []))),
                  out.pipe(
                    filter((o): o is DetectorOutput & { signal: DetectorSignal } => o.signal !== undefined),
                    map((o) => o.signal),
                    alerting(),
                    map((alert): AnalysisEvent => ({ type: 'alert', alert })),
                  ),
                ),
              ),
            ),
          );
        }),
      );
    }),
  );
}
