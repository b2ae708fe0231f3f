import { connect, filter, map, merge, mergeMap, type Observable } from 'rxjs';
import type { AnalysisEvent, SeriesRef } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import type { Stat } from '../model/stat.js';
import { alerting } from '../operators/alerting.js';
import type { DetectorSignal } from '../operators/detectorSignal.js';
import { rollingStats } from '../operators/rollingStats.js';
import { detectorStream, type DetectorOutput } from './detectorStream.js';
import { metricKind } from '../rules/metricKind.js';
import type { RuleSet } from '../rules/rule.js';
import { ruleMatches } from '../rules/ruleMatches.js';

/**
 * The operator graph of one series: rolling stats always, plus the detector of every rule
 * that matches the series (by kind, metric glob and tags), with the alert state machine fed
 * by every alerting rule. Scaling rules are handled across series by the analysis graph.
 * `samples` must be hot (bySeries hands each series over as a Subject): it is subscribed once
 * per operator.
 */
export function seriesGraph(
  samples: Observable<Sample>,
  ref: SeriesRef,
  first: Sample,
  ruleSet: RuleSet,
): Observable<AnalysisEvent> {
  const kind = metricKind(ref.metric, first.unit);
  const rules = ruleSet.rules.filter((rule) => rule.detector.type !== 'scaling' && ruleMatches(rule.match, ref, kind));
  // `samples` is the hot per-series Subject of bySeries, so every operator subscribes to it
  // directly: multicasting it again would add a hop to every sample.
  const stats = samples.pipe(rollingStats({ window: ruleSet.stats.window, hop: ruleSet.stats.hop, ref }));
  const statEvents = (source: Observable<Stat>): Observable<AnalysisEvent> =>
    source.pipe(map((stat): AnalysisEvent => ({ type: 'stat', stat })));
  if (rules.length === 0) return statEvents(stats);
  // connect multicasts the stats to every detector that reads them.
  return stats.pipe(
    connect((sharedStats) =>
      merge(
        statEvents(sharedStats),
        merge(...rules.map((rule) => detectorStream(rule, samples, sharedStats, ref, first.unit))).pipe(
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
      ),
    ),
  );
}
