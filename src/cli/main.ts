#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { SoakstreamError } from '../model/errors.js';
import { formatEventTime } from '../sinks/console/formatAlertLine.js';
import { parseTag } from './parseTag.js';
import { replayCommand } from './replayCommand.js';

/** Exit codes: 0 success, 1 failure (alerts firing with --fail-on, corrupt input, runtime error), 2 usage or configuration error. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

function program(): Command {
  const cli = new Command('soakstream')
    .description('Online, statistically sound detection of latency regressions, leaks and scaling loss in soak-test streams.')
    .exitOverride()
    .showHelpAfterError();

  cli
    .command('replay')
    .description('run the rules over recordings (Avro .avro, NDJSON .ndjson/.jsonl, CSV .csv) as fast as possible on event time')
    .argument('<file...>', 'recordings to replay; several files are merged by time')
    .option('--rules <file>', 'rules file (YAML) overriding the default rules')
    .option('--alerts-out <file>', 'write every alert transition as NDJSON')
    .option('--stats-out <file>', 'write every rolling Stat as NDJSON')
    .option('--metric <name>', 'metric name for CSV input (timestamp,value)')
    .option('--tag <key=value>', 'tag for CSV input (repeatable)', parseTag)
    .option('--unit <unit>', 'unit for CSV input, e.g. ms or bytes')
    .option('--fail-on <state>', 'exit 1 when an alert is "firing" at the end (or "any" alert fired)')
    .option('-q, --quiet', 'print only the summary')
    .action(async (files: string[], opts: { rules?: string; alertsOut?: string; statsOut?: string; metric?: string; tag?: Record<string, string>; unit?: string; failOn?: string; quiet?: boolean }) => {
      if (opts.failOn !== undefined && opts.failOn !== 'firing' && opts.failOn !== 'any') {
        throw new CommanderError(EXIT_USAGE, 'soakstream.usage', `--fail-on: expected "firing" or "any", got "${opts.failOn}"`);
      }
      const summary = await replayCommand(files, {
        ...(opts.rules !== undefined ? { rules: opts.rules } : {}),
        ...(opts.alertsOut !== undefined ? { alertsOut: opts.alertsOut } : {}),
        ...(opts.statsOut !== undefined ? { statsOut: opts.statsOut } : {}),
        ...(opts.metric !== undefined ? { metric: opts.metric } : {}),
        ...(opts.tag !== undefined ? { tags: opts.tag } : {}),
        ...(opts.unit !== undefined ? { unit: opts.unit } : {}),
        ...(opts.quiet !== undefined ? { quiet: opts.quiet } : {}),
      });
      const fired = summary.alerts.filter((a) => a.state === 'firing');
      console.log(`\nreplayed ${summary.samples.toLocaleString()} samples of ${summary.series} series${summary.late > 0 ? ` (${summary.late} late samples dropped)` : ''}: ${fired.length} alert${fired.length === 1 ? '' : 's'} fired, ${summary.firingAtEnd.length} still firing at the end`);
      for (const alert of fired) console.log(`  - ${alert.rule} on ${alert.series} since ${formatEventTime(alert.since)} (id ${alert.id})`);
      if ((opts.failOn === 'firing' && summary.firingAtEnd.length > 0) || (opts.failOn === 'any' && fired.length > 0)) process.exitCode = EXIT_FAILURE;
    });
  return cli;
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') return EXIT_OK;
      if (error.code === 'soakstream.usage') console.error(`error: ${error.message}`);
      return EXIT_USAGE;
    }
    if (error instanceof SoakstreamError) {
      console.error(`error: ${error.message}`);
      return error.code === 'CONFIG_ERROR' ? EXIT_USAGE : EXIT_FAILURE;
    }
    console.error(error);
    return EXIT_FAILURE;
  }
}

process.exitCode = await main(process.argv);
