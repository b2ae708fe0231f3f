import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { KafkaConnection } from '../transport/kafka/createKafka.js';
import { FILE_PREFIX, isBrokerAddress, KAFKA_TOPIC_NAME, splitBrokers } from '../model/names.js';
import { parseCriterion, type Criterion } from '../sources/load/successCriteria.js';
import { decodeRulesField } from './decodeRules.js';
import { faultSpecs, Faults } from './decodeFaults.js';
import { faultTimeline, type FaultSpec } from '../sources/faults/faultSchedule.js';
import { PositiveDuration } from '../model/fields/duration.js';
import { formatErrors } from './formatErrors.js';
import { PositiveInteger } from '../model/fields/fraction.js';
import {
  producesSamples,
  runDurationMs,
  type Scenario,
  type ScenarioLoad,
  type ScenarioRequest,
  type ScenarioSinks,
  type ScenarioTransport,
} from './scenario.js';
import { DEFAULT_DATABASE, DEFAULT_RETRY_TIME_MS } from '../sinks/influx/schema.js';
import {
  DEFAULT_ALERTS_TOPIC,
  DEFAULT_KAFKA_RETRY_TIME_MS,
  DEFAULT_REGRESSIONS_TOPIC,
} from '../sinks/kafka/kafkaAlertSink.js';
import { DEFAULT_MAX_BYTES } from '../sinks/recorder/recorderSink.js';
import { strictObject } from '../model/fields/strictObject.js';
import { NonEmpty, StringMap } from '../model/fields/textCodecs.js';
import { showValue } from '../model/showValue.js';

const RATE = /^\s*(\d+(?:\.\d+)?)(?:\s*\.\.\s*(\d+(?:\.\d+)?))?\s*\/\s*(s|m|min)\s*$/;

/** `"200/s"`, `"0..500/s"` (a linear ramp) or per minute (`"30/m"`): requests per second. */
export const Rate = new t.Type<{ from: number; to: number }, string, unknown>(
  'Rate',
  (u): u is { from: number; to: number } => typeof u === 'object' && u !== null && 'from' in u,
  (u, c) => {
    const match = typeof u === 'string' ? RATE.exec(u) : null;
    if (match === null) return t.failure(u, c, `expected "N/s" or "A..B/s", got ${showValue(u)}`);
    const per = match[3] === 's' ? 1 : 60;
    const from = Number(match[1]) / per;
    return t.success({ from, to: match[2] === undefined ? from : Number(match[2]) / per });
  },
  (rate) => (rate.from === rate.to ? `${rate.from}/s` : `${rate.from}..${rate.to}/s`),
);

/** A positive integer, also from a string (values interpolated from the environment are strings). */
const Count = new t.Type<number, number, unknown>(
  'Count',
  PositiveInteger.is,
  (u, c) => PositiveInteger.validate(typeof u === 'string' && /^\s*\d+\s*$/.test(u) ? Number(u) : u, c),
  (n) => n,
);

/** A boolean, also from "true"/"false" strings (environment values). */
const Flag = new t.Type<boolean, boolean, unknown>(
  'Flag',
  (u): u is boolean => typeof u === 'boolean',
  (u, c) =>
    typeof u === 'boolean'
      ? t.success(u)
      : u === 'true' || u === 'false'
        ? t.success(u === 'true')
        : t.failure(u, c, `expected true or false, got ${showValue(u)}`),
  (b) => b,
);

const Url = new t.Type<string, string, unknown>(
  'Url',
  t.string.is,
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c, `expected an http(s) URL, got ${showValue(u)}`);
    try {
      const url = new URL(u);
      return url.protocol === 'http:' || url.protocol === 'https:'
        ? t.success(u)
        : t.failure(u, c, `expected an http(s) URL, got ${showValue(u)}`);
    } catch {
      return t.failure(u, c, `expected an http(s) URL, got ${showValue(u)}`);
    }
  },
  (s) => s,
);

/** Kafka brokers: a list of host:port, or one comma-separated string (e.g. from ${KAFKA_BROKERS}). */
const Brokers = new t.Type<string[], string[], unknown>(
  'Brokers',
  (u): u is string[] => Array.isArray(u),
  (u, c) => {
    const list = typeof u === 'string' ? splitBrokers(u) : u;
    if (!Array.isArray(list) || list.length === 0)
      return t.failure(
        u,
        c,
        `expected a list of brokers like ["localhost:9092"] or "host1:9092,host2:9092", got ${showValue(u)}`,
      );
    const bad = list.find((b) => !isBrokerAddress(b));
    return bad === undefined
      ? t.success(list as string[])
      : t.failure(u, c, `expected host:port, got ${showValue(bad)}`);
  },
  (list) => list,
);

/** A string the given pattern accepts (a Kafka topic, a file prefix), or `expected <what>, got …`. */
const Matching = (name: string, pattern: RegExp, what: string): t.Type<string, string, unknown> =>
  new t.Type<string, string, unknown>(
    name,
    t.string.is,
    (u, c) =>
      typeof u === 'string' && pattern.test(u)
        ? t.success(u)
        : t.failure(u, c, `expected ${what}, got ${showValue(u)}`),
    (s) => s,
  );
const Topic = Matching(
  'KafkaTopic',
  KAFKA_TOPIC_NAME,
  'a Kafka topic name (1–249 of letters, digits, ".", "_" and "-")',
);
const FilePrefix = Matching('FilePrefix', FILE_PREFIX, 'a file name prefix of letters, digits, ".", "_" and "-"');

const HttpMethod = t.keyof(
  { GET: null, HEAD: null, POST: null, PUT: null, PATCH: null, DELETE: null, OPTIONS: null },
  'GET | HEAD | POST | PUT | PATCH | DELETE | OPTIONS',
);
const Status = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 100 && n <= 599, 'HTTP status (100–599)');

const Request = strictObject(
  t.intersection([
    t.type({ name: NonEmpty }),
    t.partial({
      url: Url,
      path: t.string,
      method: HttpMethod,
      headers: StringMap,
      body: t.string,
      weight: t.number,
      expectStatus: t.array(Status),
      timeout: PositiveDuration,
    }),
  ]),
  ['name', 'url', 'path', 'method', 'headers', 'body', 'weight', 'expectStatus', 'timeout'],
  'Request',
);

const OpenStageCodec = strictObject(
  t.type({ duration: PositiveDuration, rate: Rate }),
  ['duration', 'rate'],
  'OpenStage',
);
const ClosedStageCodec = strictObject(
  t.type({ duration: PositiveDuration, concurrency: Count }),
  ['duration', 'concurrency'],
  'ClosedStage',
);
const Load = new t.Type<ScenarioLoad, unknown, unknown>(
  'Load',
  (_u): _u is ScenarioLoad => false,
  (u, c) => {
    const model = typeof u === 'object' && u !== null ? ((u as { model?: unknown }).model ?? 'open') : undefined;
    if (model === 'closed') {
      const decoded = strictObject(
        t.type({ model: t.literal('closed'), stages: t.array(ClosedStageCodec) }),
        ['model', 'stages'],
        'ClosedLoad',
      ).validate(u, c);
      if (isLeft(decoded)) return decoded;
      const stages = decoded.right.stages.map((s) => ({ durationMs: s.duration / 1000, concurrency: s.concurrency }));
      return stages.length > 0
        ? t.success({ model: 'closed', stages })
        : t.failure(u, c, 'expected at least one stage');
    }
    if (model !== 'open' && model !== undefined) {
      return t.failures([
        {
          value: model,
          context: [...c, { key: 'model', type: t.string, actual: u }],
          message: `expected "open" or "closed", got ${showValue(model)}`,
        },
      ]);
    }
    const decoded = strictObject(
      t.intersection([
        t.type({ stages: t.array(OpenStageCodec) }),
        t.partial({ model: t.literal('open'), maxInFlight: Count }),
      ]),
      ['model', 'stages', 'maxInFlight'],
      'OpenLoad',
    ).validate(u, c);
    if (isLeft(decoded)) return decoded;
    const stages = decoded.right.stages.map((s) => ({ durationMs: s.duration / 1000, ...s.rate }));
    return stages.length > 0
      ? t.success({ model: 'open', stages, maxInFlight: decoded.right.maxInFlight ?? 1000 })
      : t.failure(u, c, 'expected at least one stage');
  },
  (load) => load,
);

const Service = strictObject(
  t.intersection([
    t.type({ command: t.array(NonEmpty) }),
    t.partial({ env: StringMap, cwd: t.string, ready: Url, readyTimeout: PositiveDuration }),
  ]),
  ['command', 'env', 'cwd', 'ready', 'readyTimeout'],
  'Service',
);
const Target = strictObject(t.partial({ url: Url, start: Service }), ['url', 'start'], 'Target');

const Probes = strictObject(
  t.partial({ self: Flag, host: Flag, target: Flag, pids: t.array(Count), interval: PositiveDuration }),
  ['self', 'host', 'target', 'pids', 'interval'],
  'Probes',
);

const Sasl = strictObject(
  t.type({
    mechanism: t.keyof(
      { plain: null, 'scram-sha-256': null, 'scram-sha-512': null },
      'plain | scram-sha-256 | scram-sha-512',
    ),
    username: NonEmpty,
    password: NonEmpty,
  }),
  ['mechanism', 'username', 'password'],
  'Sasl',
);
/** The Kafka connection fields a transport and the alerts sink share (brokers required where it is). */
const KAFKA_OPTIONAL = { clientId: NonEmpty, ssl: Flag, sasl: Sasl };
const KAFKA_KEYS = ['brokers', ...Object.keys(KAFKA_OPTIONAL)];
type KafkaFields = { brokers: string[] } & Partial<t.TypeOf<t.TypeC<typeof KAFKA_OPTIONAL>>>;

const Transport = new t.Type<ScenarioTransport, unknown, unknown>(
  'Transport',
  (_u): _u is ScenarioTransport => false,
  (u, c) => {
    const type = typeof u === 'object' && u !== null ? (u as { type?: unknown }).type : undefined;
    if (type === 'memory')
      return strictObject(t.type({ type: t.literal('memory') }), ['type'], 'MemoryTransport').validate(
        u,
        c,
      ) as t.Validation<ScenarioTransport>;
    if (type !== 'kafka')
      return t.failures([
        {
          value: type,
          context: [...c, { key: 'type', type: t.string, actual: u }],
          message: `expected "memory" or "kafka", got ${showValue(type)}`,
        },
      ]);
    const decoded = strictObject(
      t.intersection([
        t.type({ type: t.literal('kafka'), brokers: Brokers }),
        t.partial({
          ...KAFKA_OPTIONAL,
          topic: Topic,
          groupId: NonEmpty,
          fromBeginning: Flag,
          brokerTimeout: PositiveDuration,
          maxBuffered: Count,
        }),
      ]),
      ['type', ...KAFKA_KEYS, 'topic', 'groupId', 'fromBeginning', 'brokerTimeout', 'maxBuffered'],
      'KafkaTransport',
    ).validate(u, c);
    if (isLeft(decoded)) return decoded;
    const v = decoded.right;
    return t.success({
      type: 'kafka',
      kafka: kafkaConnection(v),
      topic: v.topic ?? 'soakstream.samples',
      groupId: v.groupId ?? 'soakstream-analyze',
      fromBeginning: v.fromBeginning ?? true,
      ...(v.brokerTimeout !== undefined ? { brokerTimeoutMs: v.brokerTimeout / 1000 } : {}),
      ...(v.maxBuffered !== undefined ? { maxBuffered: v.maxBuffered } : {}),
    });
  },
  (transport) => transport,
);

/** The kafkajs connection of decoded Kafka fields (client id `soakstream` unless given). */
function kafkaConnection(v: KafkaFields): KafkaConnection {
  return {
    brokers: v.brokers,
    clientId: v.clientId ?? 'soakstream',
    ...(v.ssl === true ? { ssl: true } : {}),
    ...(v.sasl !== undefined ? { sasl: v.sasl as KafkaConnection['sasl'] } : {}),
  };
}

/**
 * A sink given as `true`/`false` or as its settings; a mapping is checked as settings only, so its
 * errors are not mixed with "expected true or false".
 */
const FlagOr = <A>(settings: t.Type<A, unknown, unknown>): t.Type<boolean | A, unknown, unknown> =>
  new t.Type<boolean | A, unknown, unknown>(
    `boolean | ${settings.name}`,
    (u): u is boolean | A => Flag.is(u) || settings.is(u),
    (u, c) => (typeof u === 'boolean' || typeof u === 'string' ? Flag.validate(u, c) : settings.validate(u, c)),
    (v) => v,
  );

const Sinks = strictObject(
  t.partial({
    console: FlagOr(strictObject(t.partial({ summaryEvery: PositiveDuration }), ['summaryEvery'], 'ConsoleSink')),
    report: FlagOr(strictObject(t.partial({ path: NonEmpty, title: t.string }), ['path', 'title'], 'ReportSink')),
    recording: FlagOr(
      strictObject(
        t.partial({ dir: NonEmpty, prefix: FilePrefix, maxBytes: Count, stats: Flag, alerts: Flag }),
        ['dir', 'prefix', 'maxBytes', 'stats', 'alerts'],
        'RecordingSink',
      ),
    ),
    influx: strictObject(
      t.intersection([
        t.type({ url: Url }),
        t.partial({ token: t.string, org: t.string, bucket: NonEmpty, rawSamples: Flag, retryFor: PositiveDuration }),
      ]),
      ['url', 'token', 'org', 'bucket', 'rawSamples', 'retryFor'],
      'InfluxSink',
    ),
    kafkaAlerts: FlagOr(
      strictObject(
        t.partial({
          brokers: Brokers,
          ...KAFKA_OPTIONAL,
          alertsTopic: Topic,
          regressionsTopic: t.union([Topic, t.null]),
          retryFor: PositiveDuration,
        }),
        [...KAFKA_KEYS, 'alertsTopic', 'regressionsTopic', 'retryFor'],
        'KafkaAlertsSink',
      ),
    ),
  }),
  ['console', 'report', 'recording', 'influx', 'kafkaAlerts'],
  'Sinks',
);

const ScenarioFile = strictObject(
  t.intersection([
    t.type({ version: t.literal(1), name: NonEmpty }),
    t.partial({
      description: t.string,
      tags: StringMap,
      seed: t.number,
      duration: PositiveDuration,
      target: Target,
      requests: t.array(Request),
      load: Load,
      probes: Probes,
      transport: Transport,
      sinks: Sinks,
      rules: t.unknown,
      criteria: t.array(t.string),
      abortOnFail: Flag,
      faults: Faults,
    }),
  ]),
  [
    'version',
    'name',
    'description',
    'tags',
    'seed',
    'duration',
    'target',
    'requests',
    'load',
    'probes',
    'transport',
    'sinks',
    'rules',
    'criteria',
    'abortOnFail',
    'faults',
  ],
  'Scenario',
);

/** Where sinks write when a scenario says nothing (`run` writes a report and a recording). */
export const DEFAULT_OUTPUT_DIR = 'soak-report';

const sinksOf = (
  raw: t.TypeOf<typeof Sinks> | undefined,
  name: string,
  transport: ScenarioTransport,
): ScenarioSinks => {
  const sinks = raw ?? { console: true, report: true, recording: true };
  const on = <T>(value: boolean | T | undefined): value is true | T => value !== undefined && value !== false;
  const result: { -readonly [K in keyof ScenarioSinks]: ScenarioSinks[K] } = {};
  // The commands print their own progress line, so the console sink's summary is off unless asked for.
  if (on(sinks.console))
    result.console = { summaryEveryMs: sinks.console === true ? 0 : (sinks.console.summaryEvery ?? 0) / 1000 };
  if (on(sinks.report)) {
    const report = sinks.report === true ? {} : sinks.report;
    result.report = {
      path: report.path ?? `${DEFAULT_OUTPUT_DIR}/report.html`,
      ...(report.title !== undefined ? { title: report.title } : {}),
    };
  }
  if (on(sinks.recording)) {
    const recording = sinks.recording === true ? {} : sinks.recording;
    result.recording = {
      dir: recording.dir ?? DEFAULT_OUTPUT_DIR,
      prefix: recording.prefix ?? name.replace(/[^\w.-]+/g, '-'),
      maxBytes: recording.maxBytes ?? DEFAULT_MAX_BYTES,
      stats: recording.stats ?? false,
      alerts: recording.alerts ?? true,
    };
  }
  if (sinks.influx !== undefined) {
    const influx = sinks.influx;
    result.influx = {
      url: influx.url,
      bucket: influx.bucket ?? DEFAULT_DATABASE,
      rawSamples: influx.rawSamples ?? false,
      retryForMs: (influx.retryFor ?? DEFAULT_RETRY_TIME_MS * 1000) / 1000,
      ...(influx.token !== undefined ? { token: influx.token } : {}),
      ...(influx.org !== undefined ? { org: influx.org } : {}),
    };
  }
  if (on(sinks.kafkaAlerts)) {
    const k = sinks.kafkaAlerts === true ? {} : sinks.kafkaAlerts;
    // Decoding has checked that brokers are given or the transport is Kafka.
    const kafka =
      k.brokers !== undefined
        ? kafkaConnection({ ...k, brokers: k.brokers })
        : (transport as Extract<ScenarioTransport, { type: 'kafka' }>).kafka;
    result.kafkaAlerts = {
      kafka,
      alertsTopic: k.alertsTopic ?? DEFAULT_ALERTS_TOPIC,
      regressionsTopic: k.regressionsTopic === undefined ? DEFAULT_REGRESSIONS_TOPIC : k.regressionsTopic,
      retryForMs: (k.retryFor ?? DEFAULT_KAFKA_RETRY_TIME_MS * 1000) / 1000,
    };
  }
  return result;
};

/** A scenario decoded except for its rules file, which the loader reads (decoding stays pure). */
export type ScenarioDraft = Omit<Scenario, 'rules' | 'rulesFile'> & {
  readonly rules: Scenario['rules'] | { readonly file: string };
};

/**
 * Decodes a parsed scenario document (after `${ENV}` interpolation) into a scenario, or every
 * problem at once as `path: message` lines, e.g.
 * `load.stages[1].rate: expected "N/s" or "A..B/s", got "fast"`. Inline `rules:` decode as a rules
 * file does (their problems are prefixed with `rules.`); `rules: path.yaml` is left for the loader.
 */
export function decodeScenario(document: unknown): Either<string[], ScenarioDraft> {
  const decoded = ScenarioFile.validate(document, [{ key: '', type: ScenarioFile, actual: document }]);
  const problems = isLeft(decoded) ? formatErrors(decoded.left) : [];
  const raw = typeof document === 'object' && document !== null ? (document as Record<string, unknown>) : {};

  const rulesField = decodeRulesField(raw.rules);
  if (isLeft(rulesField)) problems.push(...rulesField.left);
  const rules = isLeft(rulesField) ? null : rulesField.right;

  const criteria: Criterion[] = [];
  if (Array.isArray(raw.criteria)) {
    raw.criteria.forEach((text, i) => {
      if (typeof text !== 'string') return;
      try {
        criteria.push(parseCriterion(text));
      } catch (error) {
        problems.push(`criteria[${i}]: ${(error as Error).message.replace(/^success criterion /, '')}`);
      }
    });
  }

  const requests: ScenarioRequest[] = [];
  let faults: readonly FaultSpec[] = [];
  if (!isLeft(decoded)) {
    const v = decoded.right;
    const base = v.target?.url;
    const names = new Set<string>();
    (v.requests ?? []).forEach((r, i) => {
      if (names.has(r.name))
        problems.push(`requests[${i}].name: ${JSON.stringify(r.name)} is used by an earlier request`);
      names.add(r.name);
      let url = r.url;
      if (url === undefined && r.path !== undefined) {
        if (base === undefined)
          problems.push(`requests[${i}].path: a path needs target.url to resolve against (or give a full url)`);
        else url = new URL(r.path, base).toString();
      }
      if (url === undefined && r.path === undefined) problems.push(`requests[${i}]: expected a url or a path`);
      if (r.url !== undefined && r.path !== undefined) problems.push(`requests[${i}]: give a url or a path, not both`);
      if (r.weight !== undefined && !(r.weight > 0 && Number.isFinite(r.weight)))
        problems.push(`requests[${i}].weight: expected a positive number, got ${showValue(r.weight)}`);
      if (url === undefined) return;
      requests.push({
        name: r.name,
        url,
        method: r.method ?? (r.body !== undefined ? 'POST' : 'GET'),
        headers: r.headers ?? {},
        weight: r.weight ?? 1,
        timeoutMs: (r.timeout ?? 10_000_000) / 1000,
        ...(r.body !== undefined ? { body: r.body } : {}),
        ...(r.expectStatus !== undefined ? { expectStatus: r.expectStatus } : {}),
      });
    });
    if (v.load !== undefined && (v.requests ?? []).length === 0)
      problems.push('load: a load needs at least one entry in requests');
    if (v.target?.start === undefined && v.probes?.target === true)
      problems.push('probes.target: there is no target.start service to probe');
    const decodedFaults = faultSpecs(v.faults ?? [], {
      hasService: v.target?.start !== undefined,
      hasTargetUrl: v.target?.url !== undefined,
    });
    problems.push(...decodedFaults.problems);
    faults = decodedFaults.faults;
    if (faults.length > 0 && v.transport !== undefined && v.transport.type !== 'memory')
      problems.push('faults: faults run in `soakstream run` (memory transport), not in distributed runs');
    const kafkaAlerts = v.sinks?.kafkaAlerts;
    const alertBrokers = typeof kafkaAlerts === 'object' ? kafkaAlerts.brokers : undefined;
    if (
      kafkaAlerts !== undefined &&
      kafkaAlerts !== false &&
      alertBrokers === undefined &&
      v.transport?.type !== 'kafka'
    ) {
      problems.push('sinks.kafkaAlerts: expected brokers (or a kafka transport to take them from)');
    }
  }
  if (problems.length > 0 || isLeft(decoded) || rules === null) return left(problems);

  const v = decoded.right;
  const transport: ScenarioTransport = v.transport ?? { type: 'memory' };
  const start = v.target?.start;
  const scenario: ScenarioDraft = {
    version: 1,
    name: v.name,
    tags: { ...v.tags, scenario: v.name },
    seed: v.seed ?? 1,
    requests,
    probes: {
      self: v.probes?.self ?? true,
      host: v.probes?.host ?? false,
      target: v.probes?.target ?? start !== undefined,
      pids: v.probes?.pids ?? [],
      intervalMs: (v.probes?.interval ?? 1_000_000) / 1000,
    },
    transport,
    sinks: sinksOf(v.sinks, v.name, transport),
    rules,
    criteria,
    abortOnFail: v.abortOnFail ?? false,
    faults,
    ...(v.description !== undefined ? { description: v.description } : {}),
    ...(v.duration !== undefined ? { durationMs: v.duration / 1000 } : {}),
    ...(v.load !== undefined ? { load: v.load } : {}),
    ...(v.target !== undefined
      ? {
          target: {
            ...(v.target.url !== undefined ? { url: v.target.url } : {}),
            ...(start !== undefined
              ? {
                  start: {
                    command: start.command,
                    env: start.env ?? {},
                    readyTimeoutMs: (start.readyTimeout ?? 15_000_000) / 1000,
                    ...(start.cwd !== undefined ? { cwd: start.cwd } : {}),
                    ...(start.ready !== undefined ? { ready: start.ready } : {}),
                  },
                }
              : {}),
          },
        }
      : {}),
  };
  // On the memory transport the scenario's own sources are all there is (a Kafka transport's
  // workers read what others publish).
  if (transport.type === 'memory' && !producesSamples(scenario, true))
    return left(['load: expected a load or at least one probe (the scenario produces no samples)']);
  if (faults.length > 0) {
    const runMs = runDurationMs(scenario);
    if (runMs === null) return left(['faults: faults need a run length (duration, or load stages)']);
    try {
      if (faultTimeline(faults, runMs, scenario.seed).length === 0)
        return left([`faults: no fault starts within the run (${runMs / 1000} s)`]);
    } catch (error) {
      return left([`faults: ${(error as Error).message}`]);
    }
  }
  return right(scenario);
}
