import { runCoreGraphBench } from './coreGraph.js';
import { runDetectBench } from './detect.js';
import { runFaultBench } from './faults.js';
import { runGraphBreakdownBench } from './graphBreakdown.js';
import { runKafkaBench } from './kafka.js';
import { runLoadgenBench } from './loadgen.js';
import { nabConfigurations, runNabBench } from './nab.js';
import { runTcpdBench, tcpdConfigurations } from './tcpd.js';
import { runCompareBench } from './compare.js';
import { runReplayBench } from './replay.js';
import { runSelfSoakBench } from './selfSoak.js';
import { runRollingKernelBench } from './rollingKernel.js';
import { runSinkBench } from './sinks.js';
import { runStartupBench } from './startup.js';

const BENCHES = [
  'core',
  'detect',
  'loadgen',
  'sinks',
  'replay',
  'startup',
  'faults',
  'kafka',
  'self-soak',
  'nab',
  'tcpd',
  'compare',
  'all',
] as const;

const USAGE = `usage: npm run bench -- <${BENCHES.join('|')}>
  [--quick] [--seed N] [--profile] [--only TEXT] [--nab DIR] [--published DIR] [--tcpd DIR]
  core     rolling median/MAD/quantile kernel vs a naive sort-per-hop reference, and the full
           default operator graph on 1,000 series × 1,000,000 samples (samples/s, peak RSS, state memory)
  detect   detection quality of the default rules on labelled synthetic soak streams
  loadgen  requests/s of the load generator vs autocannon and wrk against a local no-op server
  sinks    points/s into a local InfluxDB and alerts/s into the Kafka-protocol mock broker
  replay   soakstream replay of one labelled corpus as NDJSON and as Avro, each in its own process,
           vs a naive readline + JSON.parse reader of the NDJSON (wall time, peak RSS, same summary)
  startup  start-up of node dist/cli/main.js --help vs a bare node -e 0
  faults   soakstream run under real faults (InfluxDB stopped, slow, a full disk, a port clash):
           records sent, stored per sink, lost, duplicated, time to recover, peak RSS
  kafka    soakstream analyze consuming a preloaded topic on the Kafka mock broker into InfluxDB, vs a bare
           kafkajs consumer that only decodes and counts (samples/s, peak RSS, what analyze stored);
           with --profile, once more under node --cpu-prof
  self-soak soakstream run analysing ~5,000 samples/s for 30 min while its own leak detector watches its heap
           and RSS (slope and CI, leak alerts on itself, peak RSS); --quick: 3 min with the rules' durations ÷ 10
  nab      NAB v1.0 scores (three profiles) of soakstream's alerts, counted at their firing rows, next to
           the null detector, NAB's windowed Gaussian rebuilt, and the published scores; --nab DIR: the
           NAB copy (default ../shared/nab or $SOAKSTREAM_NAB_DIR); --published DIR: a NAB checkout's
           results/, whose per-row scores are scored too, to check the scorer against the published figures
  tcpd     TCPD F1 (margin 5) and segmentation covering of soakstream's change points (their onsets, as
           --events-out gives them) next to the zero baseline and the published default-experiment scores;
           --tcpd DIR: the TCPD copy (default ../shared/tcpd or $SOAKSTREAM_TCPD_DIR)
  compare  soakstream compare on generated pairs of latency runs, with and without a 5% shift, 1 and 3 runs
           per side, without and with variation between runs: how often series are flagged and shifts found
  --only   faults: only the rows whose name contains this text (e.g. --only broker)
  --quick  smaller inputs (for a fast look; the README figures use the defaults)`;

async function main(argv: readonly string[]): Promise<number> {
  const valueOf = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const only = valueOf('--only');
  const valued = new Set(
    ['--only', '--nab', '--published', '--tcpd'].map((flag) => argv.indexOf(flag) + 1).filter((index) => index > 0),
  );
  const names = argv.filter((a, i) => !a.startsWith('--') && !valued.has(i));
  const quick = argv.includes('--quick');
  const seedIndex = argv.indexOf('--seed');
  const seed = seedIndex >= 0 ? Number(argv[seedIndex + 1]) : 1;
  if (seedIndex >= 0 && !Number.isInteger(seed)) {
    console.error(`--seed needs an integer, got ${JSON.stringify(argv[seedIndex + 1])}\n${USAGE}`);
    return 2;
  }
  const benches = names.filter((n) => n !== String(seed));
  const unknown = benches.filter((n) => !(BENCHES as readonly string[]).includes(n));
  if (benches.length === 0 || unknown.length > 0) {
    console.error(`${unknown.length > 0 ? `unknown benchmark: ${unknown.join(', ')}\n` : ''}${USAGE}`);
    return 2;
  }
  const run = (name: string): boolean => benches.includes(name) || benches.includes('all');
  if (run('core')) {
    console.log('## core: rolling kernel');
    runRollingKernelBench({ seed, ...(quick ? { samples: 50_000 } : {}) });
    console.log('\n## core: where the time goes');
    runGraphBreakdownBench(quick ? { series: 100, samples: 50_000 } : { seed });
    for (const ratePerSeries of [1, 10]) {
      console.log(
        `\n## core: full default operator graph, ${ratePerSeries} sample${ratePerSeries === 1 ? '' : 's'}/s per series`,
      );
      runCoreGraphBench({ seed, ratePerSeries, ...(quick ? { samples: 100_000, series: 100 } : {}) });
    }
  }
  if (run('loadgen')) {
    console.log('\n## loadgen: requests/s, three tools side by side');
    await runLoadgenBench(quick ? { seconds: 3 } : {});
  }
  if (run('sinks')) {
    console.log('\n## sinks: InfluxDB points/s and Kafka alerts/s');
    await runSinkBench(quick ? { points: 20_000, alerts: 5000 } : {});
  }
  if (run('detect')) {
    console.log('\n## detect: default rules on labelled synthetic streams');
    const report = await runDetectBench({ seed, quick });
    if (!report.pass) console.log('\nSome detection targets were not met (see FAIL rows above).');
  }
  if (run('replay')) {
    console.log('\n## replay: soakstream replay of NDJSON and Avro vs a naive NDJSON reader');
    const report = await runReplayBench({ seed, quick });
    if (!report.correct) console.log('\nThe replays did not reproduce the corpus (see PROBLEM lines above).');
  }
  if (run('startup')) {
    console.log('\n## startup: CLI --help vs bare node');
    await runStartupBench({ quick });
  }
  if (run('faults')) {
    console.log('\n## faults: soakstream run under real faults');
    await runFaultBench({ quick, ...(only !== undefined ? { only } : {}) });
  }
  if (run('kafka')) {
    console.log('\n## kafka: samples through the mock broker into soakstream analyze and InfluxDB vs a bare consumer');
    const report = await runKafkaBench({
      ...(quick ? { samples: 200_000, rounds: 1 } : {}),
      profile: argv.includes('--profile'),
    });
    if (report !== null && !report.correct)
      console.log('\nanalyze did not store what a replay gives (see PROBLEM lines above).');
  }
  if (run('nab')) {
    console.log('\n## nab: Numenta Anomaly Benchmark v1.0, one configuration for all 58 files');
    const nab = valueOf('--nab');
    const published = valueOf('--published');
    runNabBench({
      ...(nab !== undefined ? { dir: nab } : {}),
      ...(published !== undefined ? { published } : {}),
      configurations: nabConfigurations(),
    });
  }
  if (run('tcpd')) {
    console.log('\n## tcpd: Turing Change Point Dataset, one configuration for all series');
    const tcpd = valueOf('--tcpd');
    runTcpdBench({ ...(tcpd !== undefined ? { dir: tcpd } : {}), configurations: tcpdConfigurations() });
  }
  if (run('compare')) {
    console.log('\n## compare: soakstream compare on generated pairs of runs');
    if (!runCompareBench({ seed, quick })) console.log('\nSome compare targets were not met (see FAIL rows above).');
  }
  if (run('self-soak')) {
    console.log('\n## self-soak: soakstream run at ~5,000 samples/s watched by its own leak detector');
    await runSelfSoakBench(quick ? { minutes: 3, compression: 10 } : {});
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
