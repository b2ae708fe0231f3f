import type { Tags } from '../model/sample.js';
import type { RuleSet } from '../rules/rule.js';
import type { KafkaConnection } from '../transport/kafka/createKafka.js';
import type { Criterion } from '../sources/load/successCriteria.js';
import type { FaultSpec } from '../sources/faults/faultSchedule.js';

/** One HTTP request of the mix (`requests:`). */
export interface ScenarioRequest {
  readonly name: string;
  readonly url: string;
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly weight: number;
  readonly expectStatus?: readonly number[];
  readonly timeoutMs: number;
}

/** Open model: arrivals at a rate, ramped linearly from `from` to `to` requests/s over the stage. */
export interface OpenStage {
  readonly durationMs: number;
  readonly from: number;
  readonly to: number;
}

/** Closed model: `concurrency` users, each sending its next request when the last one returns. */
export interface ClosedStage {
  readonly durationMs: number;
  readonly concurrency: number;
}

export type ScenarioLoad =
  | { readonly model: 'open'; readonly stages: readonly OpenStage[]; readonly maxInFlight: number }
  | { readonly model: 'closed'; readonly stages: readonly ClosedStage[] };

/** A service soakstream starts before the load and stops after it (the demo target, a local build). */
export interface ScenarioService {
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** URL polled until it answers 2xx before the load starts. */
  readonly ready?: string;
  readonly readyTimeoutMs: number;
}

export interface ScenarioProbes {
  /** soakstream's own Node.js process (heap, event loop, GC). */
  readonly self: boolean;
  /** The whole host (CPU, memory, load). */
  readonly host: boolean;
  /** The started target service's process (RSS, CPU, fds, threads, sockets). */
  readonly target: boolean;
  readonly pids: readonly number[];
  readonly intervalMs: number;
}

export type ScenarioTransport =
  | { readonly type: 'memory' }
  | {
      readonly type: 'kafka';
      readonly kafka: KafkaConnection;
      readonly topic: string;
      readonly groupId: string;
      readonly fromBeginning: boolean;
      /** How long the brokers may stay unreachable before load, analyze or record give up (default 2 min). */
      readonly brokerTimeoutMs?: number;
      /** Samples `load` holds while the brokers are unreachable; beyond it they are not published (default 50,000). */
      readonly maxBuffered?: number;
    };

export interface ScenarioSinks {
  /** Alert lines; a summary line every `summaryEveryMs` too when it is above 0. */
  readonly console?: { readonly summaryEveryMs: number };
  readonly report?: { readonly path: string; readonly title?: string };
  readonly recording?: {
    readonly dir: string;
    readonly prefix: string;
    readonly maxBytes: number;
    readonly stats: boolean;
    readonly alerts: boolean;
  };
  readonly influx?: {
    readonly url: string;
    readonly token?: string;
    readonly org?: string;
    readonly bucket: string;
    readonly rawSamples: boolean;
    /** A failing write is retried this long, then the run fails (exit 3). */
    readonly retryForMs: number;
  };
  readonly kafkaAlerts?: {
    readonly kafka: KafkaConnection;
    readonly alertsTopic: string;
    readonly regressionsTopic: string | null;
    /** A failing send is retried this long, then the run fails (exit 3). */
    readonly retryForMs: number;
  };
}

/** A decoded scenario file: everything `soakstream run`, `load` and `analyze` need. Durations in ms. */
export interface Scenario {
  readonly version: 1;
  readonly name: string;
  readonly description?: string;
  /** Tags added to every sample (`scenario` is always set to the name). */
  readonly tags: Tags;
  readonly seed: number;
  /** Run length; default the sum of the load stages (or, with no load, until interrupted). */
  readonly durationMs?: number;
  readonly target?: { readonly url?: string; readonly start?: ScenarioService };
  readonly requests: readonly ScenarioRequest[];
  readonly load?: ScenarioLoad;
  readonly probes: ScenarioProbes;
  readonly transport: ScenarioTransport;
  readonly sinks: ScenarioSinks;
  readonly rules: RuleSet;
  /** The rules file the scenario names, when it names one (resolved against the scenario's directory). */
  readonly rulesFile?: string;
  readonly criteria: readonly Criterion[];
  /** Stop the run as soon as a criterion fails (after enough requests). */
  readonly abortOnFail: boolean;
  /** Faults injected on a schedule (`faults:`), in the order given. */
  readonly faults: readonly FaultSpec[];
}

/** How long the load runs (ms): the sum of its stages, or 0 without load. */
export const loadDurationMs = (scenario: Pick<Scenario, 'load'>): number =>
  scenario.load?.stages.reduce((sum, stage) => sum + stage.durationMs, 0) ?? 0;

/** What a progress line needs to know of a scenario's timing: its run length and its stages' lengths (ms). */
export const progressPlan = (scenario: Scenario): { durationMs: number | null; stages: number[] } => ({
  durationMs: runDurationMs(scenario),
  stages: scenario.load?.stages.map((s) => s.durationMs) ?? [],
});

/** The run length: the scenario's duration, else its load's; null means until stopped. */
export const runDurationMs = (scenario: Pick<Scenario, 'durationMs' | 'load'>): number | null =>
  scenario.durationMs ?? (scenario.load !== undefined ? loadDurationMs(scenario) : null);

/** Whether {@link sampleSources} has anything to run: a load or a probe (the target's only when it is started). */
export const producesSamples = (
  scenario: Pick<Scenario, 'load' | 'probes' | 'target'>,
  targetStarted: boolean,
): boolean => {
  const { probes } = scenario;
  return (
    scenario.load !== undefined ||
    probes.self ||
    probes.host ||
    probes.pids.length > 0 ||
    (targetStarted && probes.target && scenario.target?.start !== undefined)
  );
};
