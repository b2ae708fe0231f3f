import { connect, EMPTY, filter, groupBy, map, merge, mergeMap, type Observable, type OperatorFunction } from 'rxjs';
import type { AnalysisEvent, ScalingResult, SeriesRef } from '../model/events.js';
import type { Sample, Tags } from '../model/sample.js';
import { seriesKey } from '../model/seriesKey.js';
import { alerting } from '../operators/alerting.js';
import type { DetectorSignal } from '../operators/detectorSignal.js';
import { scalingEfficiency } from '../operators/scalingEfficiency.js';
import { formatPercent } from '../model/formatQuantity.js';
import { metricKind } from '../rules/metricKind.js';
import type { Rule } from '../rules/rule.js';
import { ruleMatches } from '../rules/ruleMatches.js';
import { signalOf } from './signalOf.js';

/** Tags that vary with the load step by default: closedModelLoad's step tag. */
const DEFAULT_IGNORED_TAGS: readonly string[] = ['stage'];

const withoutTags = (tags: Tags, dropped: ReadonlySet<string>): Tags => {
  const out: Record<string, string> = {};
  for (const key of Object.keys(tags)) if (!dropped.has(key)) out[key] = tags[key] as string;
  return out;
};

const scalingSignal = (rule: Rule, result: ScalingResult): DetectorSignal => {
  const top = result.levels[result.levels.length - 1];
  const peak =
    result.peakConcurrency !== null
      ? `, USL peak N* = ${result.peakConcurrency.toFixed(1)} (σ = ${result.sigma?.toFixed(4)}, κ = ${result.kappa?.toExponential(2)})`
      : '';
  return signalOf(rule, result, {
    ts: result.ts,
    active: result.degraded,
    value: result.efficiency,
    baseline: 1,
    effect: result.efficiency - 1,
    pValue: null,
    message: () =>
      `${result.series}: scaling efficiency ${(result.efficiency * 100).toFixed(0)}% at concurrency ${top?.concurrency ?? '?'} (${formatPercent(result.efficiency - 1)} vs linear)${peak}`,
  });
};

/**
 * Scaling rules across series: samples that carry the rule's concurrency tag are grouped by
 * their series without that tag and the rule's `ignoreTags` (default `stage`, which changes with
 * every load step), so the levels of one run meet in one group; each group's levels go through scalingEfficiency, and a
 * degraded result raises the rule's alert. O(1) per sample plus the operator's cost.
 */
export function scalingGraph(rules: readonly Rule[]): OperatorFunction<Sample, AnalysisEvent> {
  return (samples: Observable<Sample>) =>
    merge(
      ...rules.map((rule) => {
        const detector = rule.detector;
        if (detector.type !== 'scaling') throw new RangeError(`rule ${rule.name} is not a scaling rule`);
        const { ignoreTags, ...options } = detector;
        const tag = options.concurrencyTag ?? 'concurrency';
        const dropped = new Set([tag, ...(ignoreTags ?? DEFAULT_IGNORED_TAGS)]);
        const refs = new Map<string, SeriesRef>();
        // The group of a sample depends only on its metric and tags; sources share one tags object
        // across the samples of a series, so the key and the rule match are worked out once per
        // (tags object, metric) — the kind from that first sample's unit, as the series graph does.
        const groups = new WeakMap<Sample['tags'], Map<string, { key: string; matches: boolean }>>();
        const groupOf = (sample: Sample): { key: string; matches: boolean } => {
          let byMetric = groups.get(sample.tags);
          if (byMetric === undefined) groups.set(sample.tags, (byMetric = new Map()));
          let group = byMetric.get(sample.metric);
          if (group === undefined) {
            const tags = withoutTags(sample.tags, dropped);
            const key = seriesKey(sample.metric, tags);
            let ref = refs.get(key);
            if (ref === undefined) refs.set(key, (ref = { series: key, metric: sample.metric, tags }));
            group = { key, matches: ruleMatches(rule.match, ref, metricKind(sample.metric, sample.unit)) };
            byMetric.set(sample.metric, group);
          }
          return group;
        };
        return samples.pipe(
          // groupOf is a cached lookup per tags object and metric: nothing is allocated per sample.
          filter((sample) => sample.tags[tag] !== undefined && groupOf(sample).matches),
          groupBy((sample) => groupOf(sample).key),
          mergeMap((group) =>
            group.pipe(
              scalingEfficiency({ ...options, concurrencyTag: tag, ref: refs.get(group.key) as SeriesRef }),
              connect((results) =>
                merge(
                  results.pipe(map((scaling): AnalysisEvent => ({ type: 'scaling', scaling }))),
                  rule.alert
                    ? results.pipe(
                        map((result) => scalingSignal(rule, result)),
                        alerting(),
                        map((alert): AnalysisEvent => ({ type: 'alert', alert })),
                      )
                    : EMPTY,
                ),
              ),
            ),
          ),
        );
      }),
    );
}
