#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { FILE_PREFIX, isBrokerAddress, KAFKA_TOPIC_NAME, splitBrokers } from '../model/names.js';
import { parseDuration } from '../model/fields/parseDuration.js';
import { parseTag } from './parseTag.js';
import { EXIT_CODE_TABLE, ExitCode, exitCodeOf } from '../run/exitCodes.js';
import { formatError } from './formatError.js';
import { PRESET_NAMES, type PresetName } from '../rules/presetNames.js';
import { alertFailure, DEFAULT_FAIL_ON, FAIL_ON_VALUES, type FailOn } from '../run/verdict.js';
import type { SummaryExtras } from '../run/summaryDocument.js';

// Only argument parsing and printing live here. Each command loads its own modules when it runs
// (dynamic imports), so `soakstream --help` or a usage error does not load Kafka, InfluxDB, Avro
// and the analysis.

// Exit codes: one table for every command (src/run/exitCodes.ts).
const EXIT_OK = ExitCode.ok;
const EXIT_USAGE = ExitCode.usage;

const EXIT_CODES_HELP = `\nExit codes (every command):\n${EXIT_CODE_TABLE.map(
  ([code, text]) => `  ${String(code).padStart(3)}  ${text}`,
).join('\n')}`;

/** Help of --broker-timeout; a scenario's command takes its default from the scenario. */
const brokerTimeoutHelp = (scenario: boolean): string =>
  'give up (exit 3) once the Kafka brokers have been unreachable this long, e.g. 30s ' +
  `(default ${scenario ? "the scenario's transport.brokerTimeout, else " : ''}2m; ` +
  'brokers that do not answer within 5 s of start are an error at once)';

const usage = (message: string): CommanderError => new CommanderError(EXIT_USAGE, 'soakstream.usage', message);

const positiveInteger =
  (flag: string) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw usage(`${flag}: expected a positive integer, got "${value}"`);
    return n;
  };

const duration =
  (flag: string) =>
  (value: string): number => {
    const micros = parseDuration(value);
    if (micros === null || micros <= 0)
      throw usage(`${flag}: expected a duration like "30s", "5m" or "1h", got "${value}"`);
    return micros / 1000;
  };

/** Kafka brokers from a flag, or a usage error naming it. */
function brokersOf(value: string): string[] {
  const brokers = splitBrokers(value);
  if (brokers.length === 0 || !brokers.every(isBrokerAddress))
    throw usage(`--brokers: expected host:port[,host:port...], got "${value}"`);
  return brokers;
}

/** The file options of replay and report: `--metric`, `--tag` (as tags), `--unit`, `--max-line-length`. */
const csvOptions = (opts: {
  metric?: string;
  tag?: Record<string, string>;
  unit?: string;
  maxLineLength?: number;
}): { metric?: string; tags?: Record<string, string>; unit?: string; maxLineCharacters?: number } => ({
  metric: opts.metric,
  tags: opts.tag,
  unit: opts.unit,
  ...(opts.maxLineLength !== undefined ? { maxLineCharacters: opts.maxLineLength } : {}),
});

/** --summary-out: where the command's summary goes as JSON, checked before any work. */
const summaryOutOption = (): Option =>
  new Option('--summary-out <file>', 'write the summary as JSON (version 2), however the command ends');

/**
 * Runs a command's body and writes its --summary-out document however it ends (withSummaryDocument);
 * the path is checked before any work, as every output is.
 */
async function summarised(
  command: string,
  path: string | undefined,
  body: Parameters<(typeof import('../run/summaryDocument.js'))['withSummaryDocument']>[2],
): Promise<number> {
  const { withSummaryDocument } = await import('../run/summaryDocument.js');
  if (path !== undefined) {
    const { checkOutputPath } = await import('../run/checkOutputPath.js');
    await checkOutputPath(path, { setting: '--summary-out', kind: 'file', createsDirectories: false });
  }
  return withSummaryDocument(command, path, body);
}

/** --max-line-length: the longest NDJSON or CSV line read, in characters. */
const maxLineOption = (): Option =>
  new Option('--max-line-length <characters>', 'longest NDJSON or CSV line accepted (default 1048576)').argParser(
    (value: string): number => {
      const n = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
        throw usage(`--max-line-length: expected a whole number of characters ≥ 1, got "${value}"`);
      return n;
    },
  );

/** The terminal of a long-running command and the stop signal its Ctrl-C sends. */
const interactive = async (): Promise<ReturnType<(typeof import('../run/terminal.js'))['interactive']>> =>
  (await import('../run/terminal.js')).interactive();

/** --fail-on, the same values and default for every command that analyses; checked before any work. */
const failOnOption = (): Option =>
  new Option('--fail-on <when>', 'exit 1 when an alert is still "firing" at the end, when "any" alert fired, or "none"')
    .argParser((value: string): FailOn => {
      if (!(FAIL_ON_VALUES as readonly string[]).includes(value))
        throw usage(`--fail-on: expected "firing", "any" or "none", got "${value}"`);
      return value as FailOn;
    })
    .default(DEFAULT_FAIL_ON);

/** --ignore-tags of compare and baseline save. */
const ignoreTagsOption = (): Option =>
  new Option('--ignore-tags <keys>', 'tags that differ between runs and are ignored when series are matched').default(
    'run,pid,host',
  );

/** --skip of compare and baseline save. */
const skipOption = (): Option =>
  new Option('--skip <warmup>', 'warm-up dropped from each run: a duration such as 2m, "auto" (MSER-5) or 0').default(
    'auto',
  );

/** The options of commands that read runs from recordings (compare, baseline save). */
interface RunFileOptions {
  ignoreTags: string;
  skip: string;
  rules?: string;
  metric?: string;
  tag?: Record<string, string>;
  unit?: string;
  maxLineLength?: number;
}

/** Adds the options of commands that read runs from recordings (compare, baseline save). */
const withRunFileOptions = (command: Command): Command =>
  command
    .addOption(ignoreTagsOption())
    .addOption(skipOption())
    .option('--rules <file>', 'rules file whose metrics: section states kinds and units by glob')
    .option('--metric <name>', 'metric name for CSV input (timestamp,value)')
    .option('--tag <key=value>', 'tag for CSV input (repeatable)', parseTag)
    .option('--unit <unit>', 'unit for CSV input, e.g. ms or bytes')
    .addOption(maxLineOption());

/** Checks and converts the run-reading options; the rules file is read for its metrics: section. */
async function runFileOptions(opts: RunFileOptions): Promise<{
  ignoreTags: string[];
  skip: number | 'auto';
  metrics?: import('../rules/rule.js').MetricSpec[];
  file: ReturnType<typeof csvOptions>;
}> {
  let skip: number | 'auto';
  if (opts.skip === 'auto') skip = 'auto';
  else if (opts.skip === '0') skip = 0;
  else {
    const micros = parseDuration(opts.skip);
    if (micros === null || micros < 0)
      throw usage(`--skip: expected a duration such as 2m, "auto" or 0, got "${opts.skip}"`);
    skip = micros;
  }
  const metrics =
    opts.rules !== undefined
      ? (await (await import('../config/loadRules.js')).loadRules(opts.rules)).metrics
      : undefined;
  return {
    ignoreTags: opts.ignoreTags
      .split(',')
      .map((tag) => tag.trim())
      .filter((tag) => tag !== ''),
    skip,
    ...(metrics !== undefined ? { metrics: [...metrics] } : {}),
    file: csvOptions(opts),
  };
}

const presetOption = (): Option =>
  new Option(
    '--preset <name>',
    'start the rules from a preset instead of the default rules: "anomaly" (any metric) or "soak" (the defaults)',
  ).argParser((value: string): PresetName => {
    if (!(PRESET_NAMES as readonly string[]).includes(value))
      throw usage(`--preset: expected ${PRESET_NAMES.map((name) => `"${name}"`).join(' or ')}, got "${value}"`);
    return value as PresetName;
  });

/** The package's version, from its package.json (two levels up from src/cli and dist/cli). */
const version = (): string =>
  (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function program(): Command {
  const cli = new Command('soakstream')
    .version(version(), '-V, --version', 'print the version and exit')
    .description(
      'Online, statistically sound detection of latency regressions, leaks and scaling loss in soak-test streams.',
    )
    .exitOverride()
    .showHelpAfterError()
    .option('--debug', 'print the stack trace of an error')
    .addHelpText('after', EXIT_CODES_HELP);

  cli
    .command('run')
    .description(
      'run a scenario in one process: start its target, generate load, probe, analyse online, ' +
        'write the report and recording',
    )
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .addOption(failOnOption())
    .addOption(presetOption())
    .option(
      '--grace <duration>',
      'at the end (or on Ctrl-C), how long the sinks may take to store what is queued',
      duration('--grace'),
    )
    .addOption(summaryOutOption())
    .action(
      async (file: string, opts: { failOn: FailOn; preset?: PresetName; grace?: number; summaryOut?: string }) => {
        const { runScenarioFile } = await import('../run/runScenario.js');
        const { terminal, stop } = await interactive();
        process.exitCode = await summarised('run', opts.summaryOut, async (report) => {
          const result = await runScenarioFile(file, {
            failOn: opts.failOn,
            ...(opts.preset !== undefined ? { preset: opts.preset } : {}),
            terminal,
            stop,
            ...(opts.grace !== undefined ? { graceMs: opts.grace } : {}),
            onSummary: report,
          });
          return result.exitCode;
        });
      },
    );

  cli
    .command('load')
    .description(
      "run a scenario's load and probes and publish the samples to its Kafka transport (for analyze workers)",
    )
    .argument('<scenario>', 'scenario file with transport: { type: kafka, ... }')
    .option('--broker-timeout <duration>', brokerTimeoutHelp(true), duration('--broker-timeout'))
    .addOption(summaryOutOption())
    .action(async (file: string, opts: { brokerTimeout?: number; summaryOut?: string }) => {
      const { runLoad } = await import('../run/kafkaWorkers.js');
      const { terminal, stop } = await interactive();
      process.exitCode = await summarised('load', opts.summaryOut, async (report) => {
        const options = {
          brokerTimeoutMs: opts.brokerTimeout,
          onSummary: (extras: SummaryExtras) => report(null, extras),
        };
        return (await runLoad(file, terminal, stop, options)).exitCode;
      });
    });

  cli
    .command('probe')
    .description(
      'sample a process (resident memory, CPU, threads, file descriptors, sockets) into a Kafka topic until it exits',
    )
    .requiredOption('--pid <pid>', 'process to probe', positiveInteger('--pid'))
    .option(
      '--brokers <list>',
      'Kafka brokers, host:port[,host:port...]',
      process.env.KAFKA_BROKERS ?? 'localhost:9092',
    )
    .option('--topic <topic>', 'topic to publish to', 'soakstream.samples')
    .option('--interval <ms>', 'sampling interval in milliseconds', positiveInteger('--interval'), 1000)
    .option('--tag <key=value>', 'tag for every sample (repeatable), e.g. --tag scenario=checkout', parseTag)
    .option('--broker-timeout <duration>', brokerTimeoutHelp(false), duration('--broker-timeout'))
    .action(
      async (opts: {
        pid: number;
        brokers: string;
        topic: string;
        interval: number;
        tag?: Record<string, string>;
        brokerTimeout?: number;
      }) => {
        const brokers = brokersOf(opts.brokers);
        const { runProbe } = await import('../run/kafkaWorkers.js');
        const { terminal, stop } = await interactive();
        const options = {
          pid: opts.pid,
          brokers,
          topic: opts.topic,
          intervalMs: opts.interval,
          tags: opts.tag ?? {},
          brokerTimeoutMs: opts.brokerTimeout,
        };
        process.exitCode = (await runProbe(options, terminal, stop)).exitCode;
      },
    );

  cli
    .command('analyze')
    .description(
      "Kafka consumer-group worker: analyse the samples of its partitions and write the scenario's sinks " +
        '(InfluxDB, Kafka alerts...)',
    )
    .argument('<scenario>', 'scenario file with transport: { type: kafka, ... } and the sinks to write')
    .option('--broker-timeout <duration>', brokerTimeoutHelp(true), duration('--broker-timeout'))
    .addOption(summaryOutOption())
    .action(async (file: string, opts: { brokerTimeout?: number; summaryOut?: string }) => {
      const { runAnalyzeWorker } = await import('../run/kafkaWorkers.js');
      const { terminal, stop } = await interactive();
      process.exitCode = await summarised('analyze', opts.summaryOut, async (report) => {
        const options = { brokerTimeoutMs: opts.brokerTimeout, onSummary: report };
        return (await runAnalyzeWorker(file, terminal, stop, options)).exitCode;
      });
    });

  cli
    .command('record')
    .description(
      'write the samples of a Kafka topic to Avro recordings (one file series per partition) ' +
        'for replay, report and test',
    )
    .option(
      '--brokers <list>',
      'Kafka brokers, host:port[,host:port...]',
      process.env.KAFKA_BROKERS ?? 'localhost:9092',
    )
    .option('--topic <topic>', 'topic to record', 'soakstream.samples')
    .option('-o, --out <dir>', 'directory of the recording', 'soak-recording')
    .option('--prefix <name>', 'file name prefix (default: the topic)')
    .option(
      '--group <id>',
      'consumer group; a restarted recorder with the same group goes on where it stopped',
      'soakstream-record',
    )
    .option('--from-latest', 'a new group starts at the newest messages instead of the oldest')
    .option('--duration <duration>', 'stop after this long, e.g. 10m', duration('--duration'))
    .option(
      '--idle <duration>',
      'stop once no message has come for this long since the group was joined, e.g. 30s',
      duration('--idle'),
    )
    .option('--max-samples <n>', 'stop after this many samples', positiveInteger('--max-samples'))
    .option(
      '--max-bytes <n>',
      'start a new file once one holds this many bytes (default 256 MiB)',
      positiveInteger('--max-bytes'),
    )
    .option('--broker-timeout <duration>', brokerTimeoutHelp(false), duration('--broker-timeout'))
    .action(
      async (opts: {
        brokers: string;
        topic: string;
        out: string;
        prefix?: string;
        group: string;
        fromLatest?: boolean;
        duration?: number;
        idle?: number;
        maxSamples?: number;
        maxBytes?: number;
        brokerTimeout?: number;
      }) => {
        const prefix = opts.prefix ?? opts.topic.replace(/[^\w.-]+/g, '-');
        if (!KAFKA_TOPIC_NAME.test(opts.topic))
          throw usage(
            `--topic: expected a Kafka topic name (1–249 of letters, digits, ".", "_" and "-"), got "${opts.topic}"`,
          );
        if (!FILE_PREFIX.test(prefix))
          throw usage(`--prefix: expected letters, digits, ".", "_" and "-", got "${prefix}"`);
        const connection = { brokers: brokersOf(opts.brokers), clientId: 'soakstream-record' };
        const { runRecorder } = await import('../run/record.js');
        const { terminal, stop } = await interactive();
        await runRecorder(
          {
            connection,
            topic: opts.topic,
            groupId: opts.group,
            fromBeginning: opts.fromLatest !== true,
            dir: opts.out,
            prefix,
            maxBytes: opts.maxBytes,
            durationMs: opts.duration,
            idleMs: opts.idle,
            maxSamples: opts.maxSamples,
            brokerTimeoutMs: opts.brokerTimeout,
          },
          terminal,
          stop,
        );
      },
    );

  cli
    .command('report')
    .description('replay recordings through the rules and write the self-contained HTML report')
    .argument('<file...>', 'recordings (Avro .avro, NDJSON .ndjson/.jsonl, CSV .csv); several files are merged by time')
    .requiredOption('-o, --out <file>', 'the HTML report to write, e.g. report.html')
    .option('--rules <file>', 'rules file (YAML) overriding the default rules')
    .addOption(presetOption())
    .option('--title <title>', 'report title')
    .option('--metric <name>', 'metric name for CSV input (timestamp,value)')
    .option('--tag <key=value>', 'tag for CSV input (repeatable)', parseTag)
    .option('--unit <unit>', 'unit for CSV input, e.g. ms or bytes')
    .addOption(maxLineOption())
    .addOption(summaryOutOption())
    .addOption(failOnOption())
    .action(
      async (
        files: string[],
        opts: {
          failOn: FailOn;
          out: string;
          rules?: string;
          preset?: PresetName;
          title?: string;
          metric?: string;
          tag?: Record<string, string>;
          unit?: string;
          maxLineLength?: number;
          summaryOut?: string;
        },
      ) => {
        const { report } = await import('../run/report.js');
        process.exitCode = await summarised('report', opts.summaryOut, async (reportSummary) => {
          const summary = await report(files, {
            out: opts.out,
            rules: opts.rules,
            ...(opts.preset !== undefined ? { preset: opts.preset } : {}),
            title: opts.title,
            ...csvOptions(opts),
            onSummary: (seen) => reportSummary(seen),
          });
          console.log(
            `wrote ${opts.out}: ${summary.samples.toLocaleString('en-US')} samples of ${summary.series} series, ` +
              `${summary.fired.length} alerts fired, ${summary.firingAtEnd.length} still firing at the end`,
          );
          const { notAnalysedWarnings } = await import('../run/describe.js');
          for (const warning of notAnalysedWarnings(summary.notAnalysed)) console.log(`warning: ${warning}`);
          const failure = alertFailure(opts.failOn, summary);
          if (failure === null) return ExitCode.ok;
          reportSummary(summary, { reasons: [failure] });
          console.log(`result: FAIL (${failure}; --fail-on ${opts.failOn})`);
          return ExitCode.verdict;
        });
      },
    );

  cli
    .command('push')
    .description(
      'backfill InfluxDB from recordings of a run (after an outage outlasted its retries): the samples are ' +
        "analysed again with the scenario's rules and written as the run writes them; pushing twice duplicates nothing",
    )
    .argument('<recording...>', 'sample recordings of the run (Avro .avro, NDJSON, CSV)')
    .requiredOption('--scenario <file>', "the run's scenario: its InfluxDB sink, rules and name")
    .option('--influx <url>', "another InfluxDB URL than the scenario's")
    .option('--host <name>', 'the host tag of the points (default: this machine, as run writes it)')
    .action(async (files: string[], opts: { scenario: string; influx?: string; host?: string }) => {
      const { push } = await import('../run/push.js');
      const summary = await push(files, {
        scenario: opts.scenario,
        ...(opts.influx !== undefined ? { influxUrl: opts.influx } : {}),
        ...(opts.host !== undefined ? { host: opts.host } : {}),
      });
      console.log(
        `pushed ${summary.samples.toLocaleString('en-US')} samples of ${summary.series} series to ${summary.url}: ` +
          `${summary.points.toLocaleString('en-US')} points`,
      );
    });

  cli
    .command('validate')
    .description('check a scenario or rules file and list every problem with its path (exit 2 when there is one)')
    .argument('<file>', 'scenario or rules file')
    .action(async (file: string) => {
      const { validate } = await import('../run/validate.js');
      for (const line of await validate(file)) console.log(line);
    });

  cli
    .command('test')
    .description(
      "unit-test alert rules: replay each test's input series or recording and compare the alerts firing " +
        'at given times with the expected ones (exit 1 on a mismatch, with a diff)',
    )
    .argument('<spec...>', 'rule test spec files (YAML); see examples/rules-test.yaml')
    .addOption(presetOption())
    .action(async (specs: string[], opts: { preset?: PresetName }) => {
      const { testRules } = await import('../run/testRules.js');
      process.exitCode = (await testRules(specs, console.log, opts.preset)).exitCode;
    });

  withRunFileOptions(cli.command('compare'))
    .description(
      'compare the runs of a base build with the runs of a new one, per series and statistic, ' +
        'with confidence intervals and p-values (like benchstat, for soak recordings)',
    )
    .argument(
      '<files...>',
      'base runs (recordings: Avro, NDJSON or CSV; each file is one run), or "base new"; ' +
        'with --baseline, the new runs',
    )
    .option('--against <files...>', 'the new runs; without it, exactly two files: base and new')
    .option('--baseline <name>', 'compare the files (new runs) with a stored baseline instead of base runs')
    .option('--store <dir>', 'baseline store (default $SOAKSTREAM_BASELINES or .soakstream/baselines)')
    .option('--allow-env-mismatch', 'compare with a baseline measured in another environment')
    .option('--alpha <p>', 'significance level of the verdict', '0.01')
    .option(
      '--method <name>',
      '"welch" (runs pooled with their serial correlation) or "utest" (benchstat: U test over runs)',
      'welch',
    )
    .option('--format <format>', 'text, markdown, json or csv', 'text')
    .option(
      '--fail-on <when>',
      '"regression": exit 1 when a significant regression reaches --threshold; "none"',
      'none',
    )
    .option('--threshold <change>', 'smallest relative change that fails --fail-on regression, e.g. 5%', '0%')
    .action(
      async (
        files: string[],
        opts: RunFileOptions & {
          against?: string[];
          baseline?: string;
          store?: string;
          allowEnvMismatch?: boolean;
          alpha: string;
          method: string;
          format: string;
          failOn: string;
          threshold: string;
        },
      ) => {
        const { COMPARE_FORMATS, formatCompare } = await import('../run/formatCompare.js');
        if (opts.baseline !== undefined && opts.against !== undefined)
          throw usage('compare: --baseline takes the place of the base runs; give the new runs without --against');
        if (opts.baseline === undefined && opts.against === undefined && files.length !== 2)
          throw usage(
            `compare: give two files (base new), or the base runs and --against the new runs; got ${files.length}`,
          );
        if (!(COMPARE_FORMATS as readonly string[]).includes(opts.format))
          throw usage(`--format: expected ${COMPARE_FORMATS.join(', ')}, got "${opts.format}"`);
        if (opts.method !== 'welch' && opts.method !== 'utest')
          throw usage(`--method: expected "welch" or "utest", got "${opts.method}"`);
        if (opts.failOn !== 'regression' && opts.failOn !== 'none')
          throw usage(`--fail-on: expected "regression" or "none", got "${opts.failOn}"`);
        const alpha = Number(opts.alpha);
        if (!(alpha > 0 && alpha < 1)) throw usage(`--alpha: expected a number between 0 and 1, got "${opts.alpha}"`);
        const thresholdMatch = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(opts.threshold);
        if (thresholdMatch === null)
          throw usage(`--threshold: expected a percentage such as 5%, got "${opts.threshold}"`);
        const options = {
          ...(await runFileOptions(opts)),
          alpha,
          threshold: Number(thresholdMatch[1]) / 100,
          method: opts.method,
        } as const;
        let result;
        if (opts.baseline !== undefined) {
          const { compareWithBaseline } = await import('../run/baselineCommands.js');
          result = await compareWithBaseline(opts.baseline, files, {
            ...options,
            ...(opts.store !== undefined ? { store: opts.store } : {}),
            ...(opts.allowEnvMismatch === true ? { allowEnvMismatch: true } : {}),
          });
        } else {
          const [base, next] =
            opts.against === undefined ? [[files[0] as string], [files[1] as string]] : [files, opts.against];
          const { compareRuns } = await import('../run/compare.js');
          result = await compareRuns(base, next, options);
        }
        console.log(formatCompare(result, opts.format as (typeof COMPARE_FORMATS)[number]));
        const regressions = result.rows.filter((row) => row.regression);
        process.exitCode = opts.failOn === 'regression' && regressions.length > 0 ? ExitCode.verdict : ExitCode.ok;
        if (process.exitCode === ExitCode.verdict)
          console.error(
            `result: FAIL (${regressions.length} significant regression${regressions.length === 1 ? '' : 's'}; ` +
              '--fail-on regression)',
          );
      },
    );

  cli
    .command('calibrate')
    .description(
      "search the regression and leak rules' sensitivity (alpha, threshold, for) on labelled recordings " +
        'for a target false-alarm rate, holding half the series out, and write the chosen rules file',
    )
    .argument('<files...>', 'recordings (Avro, NDJSON or CSV)')
    .requiredOption('--labels <file>', 'JSON array of {series, start, end, kind} (times ISO-8601 or epoch µs)')
    .requiredOption('-o, --output <file>', 'the calibrated rules file to write (YAML)')
    .option('--rules <file>', 'rules file to start from (default: the default rules)')
    .option('--target <rate>', 'highest false alarms per change-free series-hour', '0.05')
    .option('--metric <name>', 'metric name for CSV input (timestamp,value)')
    .option('--tag <key=value>', 'tag for CSV input (repeatable)', parseTag)
    .option('--unit <unit>', 'unit for CSV input, e.g. ms or bytes')
    .addOption(maxLineOption())
    .action(
      async (
        files: string[],
        opts: {
          labels: string;
          output: string;
          rules?: string;
          target: string;
          metric?: string;
          tag?: Record<string, string>;
          unit?: string;
          maxLineLength?: number;
        },
      ) => {
        const target = Number(opts.target);
        if (!(target >= 0) || !Number.isFinite(target))
          throw usage(`--target: expected false alarms per series-hour ≥ 0, e.g. 0.05, got "${opts.target}"`);
        const { calibrateCommand } = await import('../run/calibrate.js');
        await calibrateCommand(files, {
          labels: opts.labels,
          output: opts.output,
          target,
          ...(opts.rules !== undefined ? { rules: opts.rules } : {}),
          file: csvOptions(opts),
        });
      },
    );

  const baseline = cli
    .command('baseline')
    .description('stored per-series summaries of accepted runs, to compare later runs with (compare --baseline)');
  const storeOption = (): Option =>
    new Option('--store <dir>', 'baseline store (default $SOAKSTREAM_BASELINES or .soakstream/baselines)');
  const print = (lines: readonly string[]): void => {
    for (const line of lines) console.log(line);
  };
  withRunFileOptions(baseline.command('save'))
    .description('summarise recordings (one run each) into a named baseline, with this machine as its environment')
    .argument('<files...>', 'recordings (Avro, NDJSON or CSV)')
    .requiredOption('--name <name>', 'baseline name (letters, digits, ".", "-", "_")')
    .addOption(storeOption())
    .option('--keep <runs>', 'keep the newest N runs (default 10, or what the baseline has)', positiveInteger('--keep'))
    .option(
      '--half-life <runs>',
      'weigh older runs down by half every N runs when comparing (default: equal weights)',
      positiveInteger('--half-life'),
    )
    .option('--allow-env-mismatch', 'add runs from another environment than the baseline was saved in')
    .action(
      async (
        files: string[],
        opts: RunFileOptions & {
          name: string;
          store?: string;
          keep?: number;
          halfLife?: number;
          allowEnvMismatch?: boolean;
        },
      ) => {
        const { saveBaseline } = await import('../run/baselineCommands.js');
        const options = await runFileOptions(opts);
        print(
          await saveBaseline(files, {
            ...options,
            ignoreTags: options.ignoreTags,
            name: opts.name,
            ...(opts.store !== undefined ? { store: opts.store } : {}),
            policy: {
              ...(opts.keep !== undefined ? { keep: opts.keep } : {}),
              ...(opts.halfLife !== undefined ? { halfLife: opts.halfLife } : {}),
            },
            ...(opts.allowEnvMismatch === true ? { allowEnvMismatch: true } : {}),
          }),
        );
      },
    );
  baseline
    .command('list')
    .description('the baselines of the store')
    .addOption(storeOption())
    .action(async (opts: { store?: string }) => {
      print(await (await import('../run/baselineCommands.js')).listBaselines(opts.store));
    });
  baseline
    .command('show')
    .description("a baseline's runs, environment and pooled statistics per series")
    .argument('<name>')
    .addOption(storeOption())
    .action(async (name: string, opts: { store?: string }) => {
      print(await (await import('../run/baselineCommands.js')).showBaseline(name, opts.store));
    });
  baseline
    .command('export')
    .description('write a baseline as one portable file')
    .argument('<name>')
    .requiredOption('-o, --output <file>', 'file to write')
    .addOption(storeOption())
    .action(async (name: string, opts: { output: string; store?: string }) => {
      const { checkOutputPath } = await import('../run/checkOutputPath.js');
      await checkOutputPath(opts.output, { setting: '--output', kind: 'file', createsDirectories: false });
      print(await (await import('../run/baselineCommands.js')).exportBaseline(name, opts.output, opts.store));
    });
  baseline
    .command('import')
    .description('add an exported baseline to the store (never over one of the same name)')
    .argument('<file>')
    .option('--as <name>', 'store it under this name')
    .addOption(storeOption())
    .action(async (file: string, opts: { as?: string; store?: string }) => {
      print(await (await import('../run/baselineCommands.js')).importBaseline(file, opts));
    });
  baseline
    .command('delete')
    .description('remove a baseline from the store')
    .argument('<name>')
    .addOption(storeOption())
    .action(async (name: string, opts: { store?: string }) => {
      print(await (await import('../run/baselineCommands.js')).deleteBaseline(name, opts.store));
    });

  cli
    .command('replay')
    .description(
      'run the rules over recordings (Avro .avro, NDJSON .ndjson/.jsonl, CSV .csv) as fast as possible on event time',
    )
    .argument('<file...>', 'recordings to replay; several files are merged by time')
    .option('--rules <file>', 'rules file (YAML) overriding the default rules')
    .addOption(presetOption())
    .option('--alerts-out <file>', 'write every alert transition as NDJSON')
    .option('--stats-out <file>', 'write every rolling Stat as NDJSON')
    .option(
      '--events-out <file>',
      'write every detector event as NDJSON: change points (detection time and onset), leak fits, ' +
        'regression verdicts, outliers, anomaly scores, scaling, fault recoveries',
    )
    .option('--metric <name>', 'metric name for CSV input (timestamp,value)')
    .option('--tag <key=value>', 'tag for CSV input (repeatable)', parseTag)
    .option('--unit <unit>', 'unit for CSV input, e.g. ms or bytes')
    .addOption(maxLineOption())
    .addOption(summaryOutOption())
    .addOption(failOnOption())
    .option('-q, --quiet', 'print only the summary')
    .action(
      async (
        files: string[],
        opts: {
          rules?: string;
          preset?: PresetName;
          alertsOut?: string;
          statsOut?: string;
          eventsOut?: string;
          metric?: string;
          tag?: Record<string, string>;
          unit?: string;
          maxLineLength?: number;
          summaryOut?: string;
          failOn: FailOn;
          quiet?: boolean;
        },
      ) => {
        const { replay } = await import('../run/replay.js');
        const { formatEventTime } = await import('../sinks/console/formatAlertLine.js');
        const { notAnalysedWarnings } = await import('../run/describe.js');
        const { faultLines } = await import('../run/runSummary.js');
        process.exitCode = await summarised('replay', opts.summaryOut, async (report) => {
          const summary = await replay(files, {
            rules: opts.rules,
            ...(opts.preset !== undefined ? { preset: opts.preset } : {}),
            alertsOut: opts.alertsOut,
            statsOut: opts.statsOut,
            eventsOut: opts.eventsOut,
            quiet: opts.quiet,
            ...csvOptions(opts),
            onSummary: (seen) => report(seen),
          });
          const fired = summary.fired;
          console.log(
            `\nreplayed ${summary.samples.toLocaleString()} samples of ${summary.series} series: ` +
              `${fired.length} alert${fired.length === 1 ? '' : 's'} fired, ` +
              `${summary.firingAtEnd.length} still firing at the end`,
          );
          for (const warning of notAnalysedWarnings(summary.notAnalysed)) console.log(`warning: ${warning}`);
          // Quiet: the summary only; the alerts are one flag away.
          if (opts.quiet === true && fired.length > 0)
            console.log(`  (without --quiet each alert is listed; --alerts-out FILE writes every transition)`);
          else
            for (const alert of fired)
              console.log(
                `  - ${alert.rule} on ${alert.series} since ${formatEventTime(alert.since)} (id ${alert.id})`,
              );
          for (const line of faultLines(summary)) console.log(line);
          const failure = alertFailure(opts.failOn, summary);
          if (failure === null) return ExitCode.ok;
          report(summary, { reasons: [failure] });
          console.log(`result: FAIL (${failure}; --fail-on ${opts.failOn})`);
          return ExitCode.verdict;
        });
      },
    );
  return cli;
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.help' ||
        error.code === 'commander.version'
      )
        return EXIT_OK;
      if (error.code === 'soakstream.usage') console.error(`error: ${error.message}`);
      return EXIT_USAGE;
    }
    console.error(formatError(error, argv.includes('--debug')));
    return exitCodeOf(error);
  }
}

// Output piped into a command that stops reading (`soakstream --help | head`) is not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
    throw error;
  });

process.exitCode = await main(process.argv);
// Every command closes what it opened; should a connection to a server that stopped answering
// still be open, the command still ends (this timer alone keeps nothing alive).
setTimeout(() => process.exit(), 3000).unref();
