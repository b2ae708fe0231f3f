import { EMPTY, merge, mergeMap, Observable, of, takeUntil, tap, timer } from 'rxjs';
import { runDurationMs, type Scenario } from '../config/scenario.js';
import type { Sample } from '../model/sample.js';
import { closedModelLoad } from '../sources/load/closedModelLoad.js';
import type { HoldBack } from '../sources/load/holdBack.js';
import { openModelLoad } from '../sources/load/openModelLoad.js';
import type { RequestSpec } from '../sources/load/requestSpec.js';
import { enforceCriteria, type SuccessCriteria } from '../sources/load/successCriteria.js';
import { hostProbe } from '../sources/probes/hostProbe.js';
import { nodeSelfProbe } from '../sources/probes/nodeSelfProbe.js';
import { processProbe } from '../sources/probes/processProbe.js';

export interface SampleSourceOptions {
  /** PID of the started target service, probed when `probes.target` is on. */
  readonly targetPid?: number;
  /** PIDs of the target each time a fault started it again: each is probed from then on. */
  readonly targetRestarts?: Observable<number>;
  /**
   * Fault records (see faultRunner): merged in as they come, and given to the verdicts (availability
   * during and outside faults). Not cut at the run length: the runner ends itself, with each
   * fault's end recorded.
   */
  readonly faults?: Observable<Sample>;
  /** Emits (or completes) to end every source early, e.g. on Ctrl-C. */
  readonly stop?: Observable<unknown>;
  /**
   * Running verdicts on the scenario's criteria (built with them), fed every load sample: read
   * them when the stream ends, which may be by the run length cutting the load short.
   */
  readonly verdicts?: SuccessCriteria;
  /** Holds the load back while the analysis cannot keep up (see HoldBack). */
  readonly holdBack?: HoldBack;
}

/**
 * Every sample a scenario produces: the load generator (open or closed model, with the success
 * criteria enforced on its samples) and the probes, all tagged with the scenario's tags. The
 * stream ends when the run length is over (probes would go on forever) or `stop` emits.
 */
export function sampleSources(scenario: Scenario, options: SampleSourceOptions = {}): Observable<Sample> {
  const tags = scenario.tags;
  const { probes } = scenario;
  const sources: Observable<Sample>[] = [];
  const holdBack = options.holdBack !== undefined ? { holdBack: options.holdBack } : {};
  if (scenario.load !== undefined) {
    // A scenario's requests are load-generator request specs as they are.
    const requests: readonly RequestSpec[] = scenario.requests;
    const load =
      scenario.load.model === 'open'
        ? openModelLoad({
            requests,
            stages: scenario.load.stages,
            maxInFlight: scenario.load.maxInFlight,
            tags,
            seed: scenario.seed,
            ...holdBack,
          })
        : closedModelLoad({ requests, steps: scenario.load.stages, tags, seed: scenario.seed, ...holdBack });
    sources.push(
      scenario.criteria.length > 0 || options.verdicts !== undefined
        ? load.pipe(enforceCriteria(options.verdicts ?? scenario.criteria, { abortOnFail: scenario.abortOnFail }))
        : load,
    );
  }
  if (probes.self)
    sources.push(nodeSelfProbe({ intervalMs: probes.intervalMs, tags: { ...tags, service: 'soakstream' } }));
  if (probes.host) sources.push(hostProbe({ intervalMs: probes.intervalMs, tags }));
  if (probes.target && options.targetPid !== undefined) {
    const pids = merge(of(options.targetPid), options.targetRestarts ?? EMPTY);
    sources.push(
      pids.pipe(
        mergeMap((pid) => processProbe({ pid, intervalMs: probes.intervalMs, tags: { ...tags, service: 'target' } })),
      ),
    );
  }
  for (const pid of probes.pids) sources.push(processProbe({ pid, intervalMs: probes.intervalMs, tags }));
  const verdicts = options.verdicts;
  const faults =
    options.faults === undefined
      ? []
      : [verdicts !== undefined ? options.faults.pipe(tap((sample) => verdicts.observe(sample))) : options.faults];
  if (sources.length === 0) return faults.length > 0 ? merge(...faults) : EMPTY;
  const duration = runDurationMs(scenario);
  const ends: Observable<unknown>[] = [];
  if (duration !== null) ends.push(timer(duration));
  if (options.stop !== undefined) ends.push(options.stop);
  const all = merge(...sources);
  return merge(ends.length === 0 ? all : all.pipe(takeUntil(merge(...ends))), ...faults);
}
