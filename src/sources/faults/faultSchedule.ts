import { createRandom } from '../../stats/random.js';
import type { NetworkFaults } from './faultProxy.js';

/** What a fault does to the target. Durations in ms. */
export type FaultAction =
  /** SIGKILL the target, start it again after `restartAfterMs`. */
  | { readonly kind: 'kill'; readonly restartAfterMs: number }
  /** SIGSTOP the target, SIGCONT after `durationMs`. */
  | { readonly kind: 'pause'; readonly durationMs: number }
  /** SIGTERM, SIGKILL after `graceMs` if still running, then start again. */
  | { readonly kind: 'restart'; readonly graceMs: number }
  /** Network faults on the path to the target (through the fault proxy) for `durationMs`. */
  | { readonly kind: 'network'; readonly durationMs: number; readonly faults: NetworkFaults }
  /** CPU pressure by a stressor process (stress-ng) for `durationMs`: `workers` busy processes. */
  | { readonly kind: 'cpu'; readonly durationMs: number; readonly workers: number }
  /** Memory pressure by a stressor process (stress-ng) for `durationMs`: `bytes` held and touched. */
  | { readonly kind: 'memory'; readonly durationMs: number; readonly bytes: number }
  /** Any command (a fault in the user's own infrastructure); `durationMs` the time it is given. */
  | { readonly kind: 'exec'; readonly command: readonly string[]; readonly durationMs: number };

/** One named fault of a scenario: once at `atMs`, or every `everyMs` (from `startMs`) with ± `jitterMs`. */
export interface FaultSpec {
  readonly name: string;
  readonly action: FaultAction;
  readonly atMs?: number;
  readonly everyMs?: number;
  readonly startMs?: number;
  readonly jitterMs?: number;
}

/** One occurrence of a fault on the run's timeline, ms from the run's start. */
export interface ScheduledFault {
  readonly name: string;
  readonly occurrence: number;
  readonly action: FaultAction;
  readonly startMs: number;
  /** When the action ends (the restart, the resume, the faults switched off); = start for a restart. */
  readonly endMs: number;
}

/** How long an action lasts on the timeline. */
export function actionDuration(action: FaultAction): number {
  switch (action.kind) {
    case 'kill':
      return action.restartAfterMs;
    case 'restart':
      return 0;
    default:
      return action.durationMs;
  }
}

/**
 * The faults of a run laid out on its timeline: a fault `at` occurs once; an `every` fault from
 * `startMs` (default one period in) every period until the run ends, each occurrence moved by a
 * uniform jitter drawn from `seed` (so a run and its replay have the same schedule). Occurrences
 * that would start outside the run are dropped. Throws a RangeError naming the fault when its
 * period is not longer than its duration plus twice its jitter (occurrences would overlap) or it
 * has neither `at` nor `every`. Sorted by start. O(occurrences · log).
 */
export function faultTimeline(specs: readonly FaultSpec[], runMs: number, seed = 1): ScheduledFault[] {
  const random = createRandom(seed);
  const out: ScheduledFault[] = [];
  for (const spec of specs) {
    const duration = actionDuration(spec.action);
    if (spec.atMs !== undefined) {
      if (spec.atMs >= 0 && spec.atMs < runMs)
        out.push({
          name: spec.name,
          occurrence: 1,
          action: spec.action,
          startMs: spec.atMs,
          endMs: spec.atMs + duration,
        });
      continue;
    }
    if (spec.everyMs === undefined) throw new RangeError(`fault ${spec.name}: needs "at" or "every"`);
    const jitter = spec.jitterMs ?? 0;
    if (!(spec.everyMs > duration + 2 * jitter))
      throw new RangeError(
        `fault ${spec.name}: every ${spec.everyMs} ms must be longer than its duration (${duration} ms) ` +
          `plus twice its jitter (${jitter} ms), or occurrences overlap`,
      );
    let occurrence = 0;
    for (let nominal = spec.startMs ?? spec.everyMs; nominal < runMs; nominal += spec.everyMs) {
      const start = Math.round(nominal + jitter * (2 * random.next() - 1));
      if (start < 0 || start >= runMs) continue;
      occurrence++;
      out.push({ name: spec.name, occurrence, action: spec.action, startMs: start, endMs: start + duration });
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs || a.name.localeCompare(b.name));
}
