import { stringify } from 'yaml';
import { invalid, parseYaml } from './configText.js';
import { checkScenario, scenarioOf, type LoadedScenario, type ScenarioOptions } from './loadScenario.js';
import type {
  ClosedStageDocument,
  DurationText,
  KafkaDocument,
  OpenStageDocument,
  ProbesDocument,
  RequestDocument,
  RuleDocument,
  RulesDocument,
  ScenarioDocument,
  ServiceDocument,
  SinksDocument,
  TransportDocument,
} from './scenarioDocument.js';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A typed, fluent way to write a scenario in code; it produces the same document a scenario file
 * holds, so `toYAML()` / `toJSON()` export it and `ScenarioBuilder.fromYAML()` imports a file
 * back (round trip: the document comes back equal). Builders are immutable: every method returns
 * a new builder, so one base scenario can fork into variants. `build()` decodes with the scenario
 * decoder, reporting every problem at once, exactly as `soakstream validate` does.
 *
 * ```ts
 * const soak = scenario('checkout-soak')
 *   .target('https://staging.example.com')
 *   .get('home', '/')
 *   .post('checkout', '/checkout', '{"cart":[1]}', { weight: 2, headers: { 'content-type': 'application/json' } })
 *   .openLoad({ duration: '2m', rate: '0..200/s' }, { duration: '1h', rate: '200/s' })
 *   .criteria('p95 < 300ms', 'errors < 1%');
 * writeFileSync('checkout-soak.yaml', soak.toYAML());
 * ```
 */
export class ScenarioBuilder {
  private constructor(private readonly document: ScenarioDocument) {}

  /** A new scenario with only its name (memory transport, default sinks and rules). */
  static create(name: string): ScenarioBuilder {
    return new ScenarioBuilder({ version: 1, name });
  }

  /**
   * Imports a parsed scenario document, checking it as the decoder does (after `${ENV}`
   * interpolation with `env`, default process.env); the document is kept as written, so
   * `${TOKEN}` stays a reference on export. Throws a ConfigError listing every problem.
   */
  static fromDocument(
    document: unknown,
    source = 'scenario',
    env: Readonly<Record<string, string | undefined>> = process.env,
  ): ScenarioBuilder {
    checkScenario(document, source, env);
    return new ScenarioBuilder(structuredClone(document) as ScenarioDocument);
  }

  /** Imports scenario YAML (or JSON, a subset of YAML); see {@link fromDocument}. */
  static fromYAML(
    text: string,
    source = 'scenario.yaml',
    env?: Readonly<Record<string, string | undefined>>,
  ): ScenarioBuilder {
    return ScenarioBuilder.fromDocument(parseYaml(text, source), source, env);
  }

  /** Imports scenario JSON; see {@link fromDocument}. */
  static fromJSON(
    text: string,
    source = 'scenario.json',
    env?: Readonly<Record<string, string | undefined>>,
  ): ScenarioBuilder {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw invalid(source, 'JSON', [(error as Error).message]);
    }
    return ScenarioBuilder.fromDocument(document, source, env);
  }

  private with(patch: Partial<Writable<ScenarioDocument>>): ScenarioBuilder {
    return new ScenarioBuilder({ ...this.document, ...patch });
  }

  describe(description: string): ScenarioBuilder {
    return this.with({ description });
  }

  /** Tags added to every sample (merged with those set before). */
  tags(tags: Readonly<Record<string, string>>): ScenarioBuilder {
    return this.with({ tags: { ...this.document.tags, ...tags } });
  }

  seed(seed: number): ScenarioBuilder {
    return this.with({ seed });
  }

  /** Run length; by default the sum of the load stages. */
  duration(duration: DurationText): ScenarioBuilder {
    return this.with({ duration });
  }

  /** The base URL request paths resolve against. */
  target(url: string): ScenarioBuilder {
    return this.with({ target: { ...this.document.target, url } });
  }

  /** A service started before the load and stopped after it (its process is probed). */
  startTarget(command: readonly string[], options: Omit<ServiceDocument, 'command'> = {}): ScenarioBuilder {
    return this.with({ target: { ...this.document.target, start: { command, ...options } } });
  }

  /** Adds a request to the mix. */
  request(request: RequestDocument): ScenarioBuilder {
    return this.with({ requests: [...(this.document.requests ?? []), request] });
  }

  /** Adds a GET of `path` (or a full URL) to the mix. */
  get(
    name: string,
    pathOrUrl: string,
    options: Omit<RequestDocument, 'name' | 'url' | 'path' | 'method' | 'body'> = {},
  ): ScenarioBuilder {
    return this.request({ name, ...where(pathOrUrl), ...options });
  }

  /** Adds a POST of `body` to `path` (or a full URL) to the mix. */
  post(
    name: string,
    pathOrUrl: string,
    body: string,
    options: Omit<RequestDocument, 'name' | 'url' | 'path' | 'method' | 'body'> = {},
  ): ScenarioBuilder {
    return this.request({ name, ...where(pathOrUrl), method: 'POST', body, ...options });
  }

  /** Open model: arrivals at a rate (`"200/s"`, ramps `"0..500/s"`), whatever the response times. */
  openLoad(...stages: readonly OpenStageDocument[]): ScenarioBuilder {
    return this.with({ load: { model: 'open', stages } });
  }

  /** Bounds the requests in flight of an open load (default 1000). */
  maxInFlight(maxInFlight: number): ScenarioBuilder {
    const load = this.document.load;
    if (load === undefined || load.model === 'closed')
      throw new TypeError('maxInFlight applies to an open load: call openLoad(...) first');
    return this.with({ load: { ...load, maxInFlight } });
  }

  /** Closed model: `concurrency` users, each sending its next request when the last returns. */
  closedLoad(...stages: readonly ClosedStageDocument[]): ScenarioBuilder {
    return this.with({ load: { model: 'closed', stages } });
  }

  probes(probes: ProbesDocument): ScenarioBuilder {
    return this.with({ probes: { ...this.document.probes, ...probes } });
  }

  /** Publishes samples to Kafka for `soakstream analyze` workers (instead of analysing in process). */
  kafka(
    kafka: KafkaDocument & Omit<Extract<TransportDocument, { type: 'kafka' }>, 'type' | keyof KafkaDocument>,
  ): ScenarioBuilder {
    return this.with({ transport: { type: 'kafka', ...kafka } });
  }

  /** Sinks to write (merged with those set before); without any, `run` writes console, report and recording. */
  sinks(sinks: SinksDocument): ScenarioBuilder {
    return this.with({ sinks: { ...this.document.sinks, ...sinks } });
  }

  /** Rules from a file, relative to where the scenario is written. */
  rulesFile(path: string): ScenarioBuilder {
    return this.with({ rules: path });
  }

  /** Rule settings inline: defaults on or off, stats window and hop, lateness (rules added with `rule` are kept). */
  ruleSettings(settings: Omit<RulesDocument, 'rules'>): ScenarioBuilder {
    return this.with({ rules: { ...this.inlineRules(), ...settings } });
  }

  /** Adds a rule inline, or changes a default one of the same name. */
  rule(rule: RuleDocument): ScenarioBuilder {
    const rules = this.inlineRules();
    return this.with({ rules: { ...rules, rules: [...(rules.rules ?? []), rule] } });
  }

  /** Success criteria such as `p95 < 300ms` or `errors < 1%` (added to those set before). */
  criteria(...criteria: readonly string[]): ScenarioBuilder {
    return this.with({ criteria: [...(this.document.criteria ?? []), ...criteria] });
  }

  /** Stops the run as soon as a criterion fails. */
  abortOnFail(abort = true): ScenarioBuilder {
    return this.with({ abortOnFail: abort });
  }

  private inlineRules(): RulesDocument {
    const rules = this.document.rules;
    if (typeof rules === 'string')
      throw new TypeError(
        `the rules come from the file ${rules}: add rules there, or build them inline without rulesFile(...)`,
      );
    return rules ?? {};
  }

  /** The scenario document (a copy). */
  toDocument(): ScenarioDocument {
    return structuredClone(this.document);
  }

  /** The scenario as a YAML file's text. */
  toYAML(): string {
    return stringify(this.document, { lineWidth: 0 });
  }

  /** The scenario as JSON text. */
  toJSON(): string {
    return `${JSON.stringify(this.document, null, 2)}\n`;
  }

  /**
   * Decodes the scenario for running (`runScenario`), interpolating `${ENV}` and reading a rules
   * file relative to `options.baseDir`; throws a ConfigError listing every problem.
   */
  build(options: ScenarioOptions = {}): Promise<LoadedScenario> {
    return scenarioOf(this.document, `scenario ${this.document.name}`, options);
  }
}

/** A request's `url` when given a full URL, else its `path`. */
const where = (pathOrUrl: string): { url: string } | { path: string } =>
  /^https?:\/\//i.test(pathOrUrl) ? { url: pathOrUrl } : { path: pathOrUrl };

/** Starts a scenario in code: `scenario('checkout-soak').target(...)...`; see {@link ScenarioBuilder}. */
export const scenario = (name: string): ScenarioBuilder => ScenarioBuilder.create(name);
