import { hostname } from 'node:os';
import type { PresetName } from '../rules/presetNames.js';
import { withPreset } from '../rules/presets.js';
import { from, merge, Observable, Subject } from 'rxjs';
import { loadScenario } from '../config/loadScenario.js';
import type { Scenario } from '../config/scenario.js';
import { ConfigError, SoakstreamError } from '../model/errors.js';
import { SuccessCriteria } from '../sources/load/successCriteria.js';
import { MemoryTransport } from '../transport/memoryTransport.js';
import { describeDuration, describeFaults, describeLoad, describeSinks } from './describe.js';
import { checkSinkPaths, scenarioSession } from './openSinks.js';
import { progressPlan, runDurationMs } from '../config/scenario.js';
import { sampleSources } from './sampleSources.js';
import { TargetService } from './targetService.js';
import { checkFaultTools, faultRunner } from './faultRunner.js';
import { FaultProxy } from '../sources/faults/faultProxy.js';
import { faultTimeline, type ScheduledFault } from '../sources/faults/faultSchedule.js';
import { feedBatches, Session, type SessionSummary } from './session.js';
import { HoldBack } from '../sources/load/holdBack.js';
import type { FailOn } from './verdict.js';
import { runSummary, waitLine } from './runSummary.js';
import { runFigures, type RunFigures } from './runFigures.js';
import type { SummaryExtras } from './summaryDocument.js';
import { Progress, type Terminal } from './terminal.js';

export type { FailOn } from './verdict.js';

export interface RunOptions {
  readonly failOn: FailOn;
  /** Start the scenario's rules from this preset instead of the default rules (`--preset`). */
  readonly preset?: PresetName;
  /** Where progress, alert lines and the summary go. */
  readonly terminal: Terminal;
  /**
   * Ends the run early (Ctrl-C): the sources stop at once, what they produced is analysed, the
   * sinks get `graceMs` to store it, and the result is "interrupted" (exit 130).
   */
  readonly stop?: Subject<void>;
  /** How long the sinks may take to store what is queued at the end of the run. Default 15 s. */
  readonly graceMs?: number;
  /** Told the session's summary, why the run failed and what it measured, once the run has ended. */
  readonly onSummary?: (summary: SessionSummary, extras: SummaryExtras) => void;
}

export interface RunResult {
  readonly exitCode: 0 | 1 | 130;
  readonly alerts: number;
  readonly firingAtEnd: number;
  readonly criteriaFailed: number;
  /** Stopped before the end: by a signal (`stop`). */
  readonly interrupted: boolean;
  /** Why it failed: each failed criterion with its measured value, alerts firing (empty when it passed). */
  readonly reasons: readonly string[];
  /** What it measured: requests, latency quantiles, error rate, throughput, criteria, faults. */
  readonly figures: RunFigures;
}

/** How long sinks may take to store what is queued when a run ends, unless set: 15 s. */
export const DEFAULT_GRACE_MS = 15_000;

const describe = (scenario: Scenario): string =>
  `soakstream run ${scenario.name}: ${describeLoad(scenario)}; ${describeDuration(scenario)}; ` +
  `${scenario.faults.length > 0 ? `faults: ${describeFaults(scenario)}; ` : ''}sinks: ${describeSinks(scenario)}`;

/**
 * `soakstream run <scenario>`: starts the target service if the scenario has one, runs load and
 * probes into the in-memory transport, analyses the stream online and writes every sink; prints
 * live progress and ends with a summary. The exit code says whether the criteria held and, per
 * `failOn`, whether alerts fired.
 */
export async function runScenarioFile(file: string, options: RunOptions): Promise<RunResult> {
  const { scenario } = await loadScenario(file);
  const rules = options.preset !== undefined ? withPreset(scenario.rules, options.preset) : scenario.rules;
  return runScenario({ ...scenario, rules }, options, file);
}

/**
 * Runs a decoded scenario (from a file, or `ScenarioBuilder.build()` in code) as `soakstream run`
 * does; `source` names it in messages.
 */
export async function runScenario(decoded: Scenario, options: RunOptions, source = decoded.name): Promise<RunResult> {
  let scenario = decoded;
  if (scenario.transport.type !== 'memory') {
    throw new ConfigError(`${source}: run analyses in this process on the memory transport`, [
      'transport.type: with "kafka", start analysis workers with `soakstream analyze <scenario>` ' +
        'and publish with `soakstream load <scenario>` (or remove transport to run everything here)',
    ]);
  }
  await checkSinkPaths(scenario.sinks);
  const term = options.terminal;
  term.line(describe(scenario));
  const timeline = faultPlan(scenario);
  checkFaultTools(timeline);
  let service: TargetService | null = null;
  let proxy: FaultProxy | null = null;
  if (scenario.target?.start !== undefined)
    service = await TargetService.start(scenario.target.start, (line) => term.line(line));

  // One set of running verdicts: the criteria and the summary's quantiles read the same histogram.
  const verdicts = new SuccessCriteria(scenario.criteria);
  const started = performance.now();
  const plan = progressPlan(scenario);
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  let session: Session | null = null;
  try {
    if (timeline.some((fault) => fault.action.kind === 'network')) {
      const routed = await proxyTarget(scenario);
      proxy = routed.proxy;
      scenario = routed.scenario;
      term.line(routed.line);
    }
    const { session: live, opened } = await scenarioSession(scenario, term, {
      scenario: scenario.name,
      host: hostname(),
    });
    session = live;
    const transport = new MemoryTransport();
    // Ctrl-C stops the sources; so does a sink that gave up, which ends the run.
    const stopSources = new Subject<void>();
    let interruptedAt: number | null = null;
    const onStop = (): void => {
      interruptedAt ??= performance.now() - started;
      stopSources.next();
    };
    const stopping = options.stop?.subscribe({ next: onStop, complete: onStop });
    // The target service exiting during the run stops the sources at once; the run fails once the sinks are closed.
    let serviceFailure = null as SoakstreamError | null;
    const serviceExit = service === null ? [] : [from(service.exited.then((error) => (serviceFailure = error)))];
    // While the analysis cannot keep up (a sink's queue and then the transport are full), the load holds back.
    const holdBack = new HoldBack(() => transport.full);
    let producerError: unknown = null;
    const target = service;
    const faults =
      timeline.length === 0
        ? {}
        : {
            faults: faultRunner({
              timeline,
              runMs: runDurationMs(scenario) ?? 0,
              target,
              proxy,
              tags: scenario.tags,
              log: (line) => term.line(line),
              stop: merge(stopSources, ...serviceExit),
            }),
          };
    const producing = sampleSources(scenario, {
      ...(target !== null
        ? {
            targetPid: target.pid,
            targetRestarts: new Observable<number>((subscriber) => target.onRestart((pid) => subscriber.next(pid))),
          }
        : {}),
      ...faults,
      stop: merge(stopSources, ...serviceExit),
      verdicts,
      holdBack,
    }).subscribe({
      next: (sample) => void transport.publish(sample),
      error: (error: unknown) => {
        transport.close();
        producerError = error;
      },
      complete: () => transport.close(),
    });
    const stopProgress = Progress.start(term, plan, () => ({
      samples: live.samples,
      firing: live.book.firing.map((a) => a.rule),
      sinks: live.sinkStatuses(),
    }));
    let sinkFailure: unknown = null;
    try {
      // Once stopping, what is queued is analysed without waiting for slow sinks: they get the grace period.
      await feedBatches(transport.batches(), live, { waitForSinks: () => interruptedAt === null });
    } catch (error) {
      sinkFailure = error;
      stopSources.next();
    } finally {
      producing.unsubscribe();
      stopping?.unsubscribe();
    }
    session = null;
    let summary: SessionSummary;
    try {
      summary = await live.close({
        graceMs,
        onWait: (waiting, grace) => term.line(waitLine(waiting, grace, interruptedAt !== null)),
      });
    } catch (error) {
      // Stopped by a signal, a sink that could not store its queue in the grace period has lost
      // it: the summary says so and the result stays "interrupted".
      if (interruptedAt === null || sinkFailure !== null) sinkFailure ??= error;
      summary = live.summary();
    } finally {
      // The status ran on while the sinks caught up, so a recovery then is told too.
      stopProgress();
    }
    if (serviceFailure !== null) throw serviceFailure;
    if (
      sinkFailure === null &&
      producerError !== null &&
      !(producerError instanceof SoakstreamError && producerError.code === 'THRESHOLD_FAILED')
    )
      throw producerError;
    if (producerError !== null) term.line(`stopped early: ${(producerError as Error).message}`);

    verdicts.recordRecoveries(summary.recoveries);
    const elapsedMs = performance.now() - started;
    const figures = runFigures(verdicts, summary.recoveries, elapsedMs);
    const { lines, exitCode, criteriaFailed, reasons } = runSummary({
      scenario,
      elapsedMs,
      plannedMs: plan.durationMs,
      verdicts,
      summary,
      opened,
      holdBack,
      failOn: options.failOn,
      interruptedAtMs: interruptedAt,
      sinkFailure,
    });
    for (const line of lines) term.summary(line);
    options.onSummary?.(summary, { reasons, run: figures });
    // What InfluxDB did not store can be written again from the recording.
    if (opened.recorder !== null && summary.sinks.some((sink) => sink.lost > 0 && sink.name === 'influxdb'))
      term.line(
        `the recording holds every sample; to backfill InfluxDB: ` +
          `soakstream push ${opened.recorder.sampleFiles.join(' ')} --scenario ${source}`,
      );
    if (sinkFailure !== null) throw sinkFailure;
    return {
      exitCode,
      alerts: summary.fired.length,
      firingAtEnd: summary.firingAtEnd.length,
      criteriaFailed,
      interrupted: interruptedAt !== null,
      reasons,
      figures,
    };
  } finally {
    await session?.abort();
    await proxy?.close();
    await service?.stop();
  }
}

/** The scenario's faults on its timeline (none without faults). */
const faultPlan = (scenario: Scenario): ScheduledFault[] =>
  scenario.faults.length === 0 ? [] : faultTimeline(scenario.faults, runDurationMs(scenario) ?? 0, scenario.seed);

/**
 * Puts a fault proxy in front of the scenario's target URL (network faults act on the path from
 * the load to the target): the requests to the target's origin are sent to the proxy instead.
 */
async function proxyTarget(scenario: Scenario): Promise<{ proxy: FaultProxy; scenario: Scenario; line: string }> {
  const target = new URL(scenario.target?.url ?? '');
  const port = target.port !== '' ? Number(target.port) : target.protocol === 'https:' ? 443 : 80;
  const proxy = await FaultProxy.start({ targetHost: target.hostname.replace(/^\[|\]$/g, ''), targetPort: port });
  const via = new URL(target.href);
  via.hostname = '127.0.0.1';
  via.port = String(proxy.port);
  const requests = scenario.requests.map((request) => {
    const url = new URL(request.url);
    if (url.origin !== target.origin) return request;
    url.protocol = via.protocol;
    url.host = via.host;
    return { ...request, url: url.toString() };
  });
  return {
    proxy,
    scenario: { ...scenario, requests },
    line: `network faults: requests to ${target.origin} go through the fault proxy on ${via.host}`,
  };
}
