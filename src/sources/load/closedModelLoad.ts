import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Observable } from 'rxjs';
import type { Dispatcher } from 'undici';
import type { Sample, Tags } from '../../model/sample.js';
import { LoadRecorder } from './loadRecorder.js';
import { requestMix } from './requestMix.js';
import type { HoldBack } from './holdBack.js';
import type { RequestSpec } from './requestSpec.js';
import { loadDispatcher, sendRequest } from './sendRequest.js';

/** One step of a closed model: this many concurrent users for this long. */
export interface ConcurrencyStep {
  readonly concurrency: number;
  readonly durationMs: number;
}

/** Options of {@link closedModelLoad}. */
export interface ClosedModelOptions {
  readonly requests: readonly RequestSpec[];
  readonly steps: readonly ConcurrencyStep[];
  readonly tags?: Tags;
  readonly seed?: number;
  /** Interval of `http_reqs_throughput` samples within a step. Default 1000 ms. */
  readonly throughputEveryMs?: number;
  /** undici dispatcher; default one connection per concurrent user (a Pool for one origin, an Agent for several). */
  readonly dispatcher?: Dispatcher;
  /** While it is active, virtual users wait before their next request (the time is counted in it). */
  readonly holdBack?: HoldBack;
}

// How often a waiting virtual user looks again whether it may go on.
const HOLD_BACK_POLL_MS = 50;

/**
 * Closed-model load: for each step, `concurrency` users send requests from the weighted mix back
 * to back for `durationMs`. Latency is measured per request; `http_reqs_throughput` samples
 * (completed requests per second, every `throughputEveryMs`) carry the `concurrency` and `stage`
 * tags, which is what scalingEfficiency needs. Bounded by the steps' total duration plus the
 * last requests' timeouts; completes by itself; unsubscribing stops all users.
 */
export function closedModelLoad(options: ClosedModelOptions): Observable<Sample> {
  const pick = requestMix(options.requests, options.seed ?? 1);
  if (options.steps.length === 0) throw new RangeError('closedModelLoad: at least one step is needed');
  options.steps.forEach((step, i) => {
    if (!Number.isInteger(step.concurrency) || step.concurrency < 1)
      throw new RangeError(
        `closedModelLoad: steps[${i}].concurrency must be a positive integer, got ${step.concurrency}`,
      );
    if (!(step.durationMs > 0))
      throw new RangeError(`closedModelLoad: steps[${i}].durationMs must be > 0, got ${step.durationMs}`);
  });
  const every = options.throughputEveryMs ?? 1000;
  return new Observable<Sample>((subscriber) => {
    const maxConcurrency = Math.max(...options.steps.map((s) => s.concurrency));
    const ownDispatcher = options.dispatcher === undefined ? loadDispatcher(options.requests, maxConcurrency) : null;
    const dispatcher = options.dispatcher ?? (ownDispatcher as Dispatcher);
    const recorder = new LoadRecorder(subscriber, { ...options.tags, model: 'closed' });
    let stopped = false;

    const runStep = async (step: ConcurrencyStep, index: number): Promise<void> => {
      const extra = { stage: String(index), concurrency: String(step.concurrency) };
      const end = performance.now() + step.durationMs;
      let completed = 0;
      let windowStart = performance.now();
      const user = async (): Promise<void> => {
        // Two clock readings per request: the end of one request is the loop check of the next.
        let now = performance.now();
        while (!stopped && now < end) {
          if (options.holdBack?.active() === true) {
            await sleep(HOLD_BACK_POLL_MS);
            options.holdBack.waitedMs += HOLD_BACK_POLL_MS;
            now = performance.now();
            continue;
          }
          const spec = pick();
          const started = performance.now();
          const outcome = await sendRequest(dispatcher, spec);
          if (stopped) return;
          now = performance.now();
          recorder.request(spec, outcome, now - started, now, extra);
          completed++;
        }
      };
      const reporter = async (): Promise<void> => {
        while (!stopped && performance.now() < end) {
          await sleep(Math.min(every, Math.max(1, end - performance.now())));
          if (stopped) return;
          const now = performance.now();
          if (now - windowStart >= every / 2) recorder.throughput((completed / (now - windowStart)) * 1000, now, extra);
          completed = 0;
          windowStart = now;
        }
      };
      await Promise.all([reporter(), ...Array.from({ length: step.concurrency }, user)]);
    };

    void (async () => {
      for (let i = 0; i < options.steps.length && !stopped; i++) await runStep(options.steps[i] as ConcurrencyStep, i);
      await ownDispatcher?.close();
      if (!stopped) subscriber.complete();
    })().catch((error: unknown) => subscriber.error(error));

    return () => {
      stopped = true;
      void ownDispatcher?.destroy();
    };
  });
}
