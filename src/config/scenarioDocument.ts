import type { Severity } from '../model/alert.js';
import type { MetricKind } from '../model/metricKind.js';
import type { DetectorType } from '../detectors/registry.js';

// The scenario file format as TypeScript types: what a scenario YAML or JSON file holds before
// decoding (durations as text like "30s", rates like "200/s"). The fluent builder produces these
// documents; decodeScenario checks them, so the types and the decoder cannot drift apart unseen:
// test/config/scenarioBuilder.test.ts round-trips every field through both.

/** A duration such as "500ms", "30s", "1m30s", "2h". */
export type DurationText = string;
/** A request rate: "200/s", a ramp "0..500/s", or per minute "30/m". */
export type RateText = string;

export interface RequestDocument {
  readonly name: string;
  /** A full URL, or `path` resolved against `target.url`. */
  readonly url?: string;
  readonly path?: string;
  readonly method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly weight?: number;
  readonly expectStatus?: readonly number[];
  readonly timeout?: DurationText;
}

export interface OpenStageDocument {
  readonly duration: DurationText;
  readonly rate: RateText;
}

export interface ClosedStageDocument {
  readonly duration: DurationText;
  readonly concurrency: number;
}

export type LoadDocument =
  | { readonly model?: 'open'; readonly stages: readonly OpenStageDocument[]; readonly maxInFlight?: number }
  | { readonly model: 'closed'; readonly stages: readonly ClosedStageDocument[] };

export interface ServiceDocument {
  readonly command: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly ready?: string;
  readonly readyTimeout?: DurationText;
}

export interface ProbesDocument {
  readonly self?: boolean;
  readonly host?: boolean;
  readonly target?: boolean;
  readonly pids?: readonly number[];
  readonly interval?: DurationText;
}

export interface KafkaDocument {
  /** `["host:9092"]` or one comma-separated string. */
  readonly brokers: readonly string[] | string;
  readonly clientId?: string;
  readonly ssl?: boolean;
  readonly sasl?: {
    readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    readonly username: string;
    readonly password: string;
  };
}

export type TransportDocument =
  | { readonly type: 'memory' }
  | ({
      readonly type: 'kafka';
      readonly topic?: string;
      readonly groupId?: string;
      readonly fromBeginning?: boolean;
      /** How long the brokers may stay unreachable before load, analyze or record give up, e.g. "2m" (the default). */
      readonly brokerTimeout?: DurationText;
      /** Samples `load` holds while the brokers are unreachable (default 50,000); beyond it they are not published. */
      readonly maxBuffered?: number;
    } & KafkaDocument);

export interface SinksDocument {
  readonly console?: boolean | { readonly summaryEvery?: DurationText };
  readonly report?: boolean | { readonly path?: string; readonly title?: string };
  readonly recording?:
    | boolean
    | {
        readonly dir?: string;
        readonly prefix?: string;
        readonly maxBytes?: number;
        readonly stats?: boolean;
        readonly alerts?: boolean;
      };
  readonly influx?: {
    readonly url: string;
    readonly token?: string;
    readonly org?: string;
    readonly bucket?: string;
    readonly rawSamples?: boolean;
    /** How long a failing write is retried, e.g. "3m" (the default). */
    readonly retryFor?: string;
  };
  readonly kafkaAlerts?:
    | boolean
    | (Partial<KafkaDocument> & {
        readonly alertsTopic?: string;
        readonly regressionsTopic?: string | null;
        readonly retryFor?: string;
      });
}

/** One rule: a detector with its fields (see the README's rules reference), or a change to a default rule. */
export interface RuleDocument {
  readonly name: string;
  readonly detector?: DetectorType;
  readonly match?: {
    readonly kind?: MetricKind | readonly MetricKind[];
    readonly metric?: string;
    readonly tags?: Readonly<Record<string, string>>;
    readonly exclude?: string | readonly string[];
  };
  readonly severity?: Severity;
  readonly for?: DurationText;
  readonly keepFiringFor?: DurationText;
  readonly alert?: boolean;
  readonly enabled?: boolean;
  /** The detector's own fields, e.g. `tiers` and `reference` of a regression. */
  readonly [field: string]: unknown;
}

export interface RulesDocument {
  readonly version?: 1;
  readonly defaults?: boolean;
  readonly stats?: { readonly window?: DurationText | number; readonly hop?: DurationText | number };
  readonly allowedLateness?: DurationText;
  readonly maxAhead?: DurationText;
  readonly maxSeries?: number;
  readonly idleAfter?: DurationText;
  readonly rules?: readonly RuleDocument[];
}

/** A scenario file. */
export interface ScenarioDocument {
  readonly version: 1;
  readonly name: string;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly seed?: number;
  readonly duration?: DurationText;
  readonly target?: { readonly url?: string; readonly start?: ServiceDocument };
  readonly requests?: readonly RequestDocument[];
  readonly load?: LoadDocument;
  readonly probes?: ProbesDocument;
  readonly transport?: TransportDocument;
  readonly sinks?: SinksDocument;
  /** A rules file (relative to the scenario) or rules inline. */
  readonly rules?: string | RulesDocument;
  readonly criteria?: readonly string[];
  readonly abortOnFail?: boolean;
}
