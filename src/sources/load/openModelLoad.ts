import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Observable } from 'rxjs';
import type { Dispatcher } from 'undici';
import type { Sample, Tags } from '../../model/sample.js';
import { arrivalTime, type RateStage } from './arrivalSchedule.js';
import type { HoldBack } from './holdBack.js';
import { LoadRecorder } from './loadRecorder.js';
import { requestMix } from './requestMix.js';
import type { RequestSpec } from './requestSpec.js';
import { loadDispatcher, sendRequest } from './sendRequest.js';

/** Options of {@link openModelLoad}. */
export interface OpenModelOptions {
  readonly requests: readonly RequestSpec[];
  readonly stages: readonly RateStage[];
  /** Requests in flight beyond which a due request is dropped (counted, not sent). Default 1000. */
  readonly maxInFlight?: number;
  readonly tags?: Tags;
  readonly seed?: number;
  /** Interval of `http_reqs_throughput` samples. Default 1000 ms. */
  readonly throughputEveryMs?: number;
  /** undici dispatcher; default up to maxInFlight connections (a Pool for one origin, an Agent for several). */
  readonly dispatcher?: Dispatcher;
  /** While it is active, requests that fall due are not sent (counted in it). */
  readonly holdBack?: HoldBack;
}

/**
 * Open-model load: requests arrive on a schedule (constant rates and linear ramps, stage after
 * stage) whatever the server does, as real users do. Each request's latency is measured from its
 * **intended** start, so time spent waiting behind a stalled server counts (the
 * coordinated-omission correction of wrk2/HdrHistogram); a request due while `maxInFlight`
 * requests are outstanding is dropped and counted in `http_req_dropped`. Samples are tagged with
 * `stage`. Bounded by the stages' total duration plus the last requests' timeouts; completes by
 * itself; unsubscribing stops scheduling and aborts outstanding requests.
 */
export function openModelLoad(options: OpenModelOptions): Observable<Sample> {
  const pick = requestMix(options.requests, options.seed ?? 1);
  const maxInFlight = options.maxInFlight ?? 1000;
  if (options.stages.length === 0) throw new RangeError('openModelLoad: at least one stage is needed');
  options.stages.forEach((stage, i) => {
    if (!(stage.from >= 0) || !(stage.to >= 0) || !Number.isFinite(stage.from + stage.to))
      throw new RangeError(
        `openModelLoad: stages[${i}] rates must be finite and ≥ 0, got ${stage.from}..${stage.to}/s`,
      );
    if (!(stage.durationMs > 0))
      throw new RangeError(`openModelLoad: stages[${i}].durationMs must be > 0, got ${stage.durationMs}`);
  });
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
    throw new RangeError(`openModelLoad: maxInFlight must be a positive integer, got ${maxInFlight}`);
  const every = options.throughputEveryMs ?? 1000;

  return new Observable<Sample>((subscriber) => {
    const ownDispatcher = options.dispatcher === undefined ? loadDispatcher(options.requests, maxInFlight) : null;
    const dispatcher = options.dispatcher ?? (ownDispatcher as Dispatcher);
    const recorder = new LoadRecorder(subscriber, { ...options.tags, model: 'open' });
    const outstanding = new Set<Promise<void>>();
    let stopped = false;
    let completed = 0;

    const fire = (spec: RequestSpec, intended: number, extra: Readonly<Record<string, string>>): void => {
      // sendRequest never rejects (failures are outcomes), so its one callback also retires the request.
      const done: Promise<void> = sendRequest(dispatcher, spec).then((outcome) => {
        outstanding.delete(done);
        if (stopped) return;
        const finished = performance.now();
        recorder.request(spec, outcome, finished - intended, finished, extra);
        completed++;
      });
      outstanding.add(done);
    };

    const run = async (): Promise<void> => {
      const origin = performance.now();
      let stageStart = origin;
      let lastReport = origin;
      for (let s = 0; s < options.stages.length && !stopped; s++) {
        const stage = options.stages[s] as RateStage;
        const extra = { stage: String(s) };
        for (let n = 0; !stopped; n++) {
          const offset = arrivalTime(stage, n);
          if (!Number.isFinite(offset)) break;
          const intended = stageStart + offset;
          const wait = intended - performance.now();
          if (wait > 1) await sleep(wait - 0.5);
          if (stopped) return;
          const spec = pick();
          if (options.holdBack?.active() === true) options.holdBack.skipped++;
          else if (outstanding.size >= maxInFlight) recorder.dropped(spec, intended, extra);
          else fire(spec, intended, extra);
          const now = performance.now();
          if (now - lastReport >= every) {
            recorder.throughput((completed / (now - lastReport)) * 1000, now, extra);
            completed = 0;
            lastReport = now;
          }
        }
        stageStart += stage.durationMs;
        const rest = stageStart - performance.now();
        if (rest > 0) await sleep(rest);
      }
      await Promise.all(outstanding);
      await ownDispatcher?.close();
      if (!stopped) subscriber.complete();
    };
    run().catch((error: unknown) => subscriber.error(error));

    return () => {
      stopped = true;
      void ownDispatcher?.destroy();
    };
  });
}
