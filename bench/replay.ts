import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from '../src/stats/median.js';
import { CLI, ensureBuilt } from './ensureBuilt.js';
import { writeReplayCorpus } from './replayCorpus.js';
import type { ReplayCorpus } from './replayCorpus.js';
import { timeChild } from './timeChild.js';
import type { ChildRun } from './timeChild.js';

/** Options of the replay benchmark; `quick` means a tenth of the event time (12 min) and 2 rounds. */
export interface ReplayBenchOptions {
  readonly seed?: number;
  readonly quick?: boolean;
  /** Rounds, each running every contender once in rotated order. Default 5 (2 with `quick`). */
  readonly rounds?: number;
}

/** What the replay benchmark found: the corpus, median wall times and per-round ratios, and the verdicts. */
export interface ReplayReport {
  readonly corpus: ReplayCorpus;
  readonly medianMs: Readonly<Record<ContenderName, number>>;
  readonly ratios: Readonly<Record<string, number>>;
  readonly correct: boolean;
  readonly goalsMet: boolean;
}

type ContenderName = 'naive' | 'ndjson' | 'avro';

interface Contender {
  readonly name: ContenderName;
  readonly label: string;
  readonly args: readonly string[];
}

const SUMMARY = /^replayed ([\d,.\u00a0\u202f ]+) samples of (\d+) series.*$/m;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const times = (ratio: number): string => `${ratio.toFixed(2)}×`;
const mib = (kib: number | null): string => (kib === null ? 'n/a' : `${(kib / 1024).toFixed(0)} MiB`);

/** The sample count of a replay's summary line, or null when the line is missing. */
function summarisedSamples(stdout: string): number | null {
  const match = SUMMARY.exec(stdout);
  return match === null ? null : Number((match[1] as string).replace(/\D/g, ''));
}

/** Checks every run against the corpus; prints what each file's replay summarised and returns whether all agree. */
function checkRuns(corpus: ReplayCorpus, runs: Record<ContenderName, ChildRun[]>): boolean {
  const problems: string[] = [];
  for (const run of runs.naive) {
    if (!run.stdout.includes(`naive: ${corpus.samples} samples of ${corpus.series} series`))
      problems.push(`naive reader printed ${JSON.stringify(run.stdout.trim())}`);
  }
  for (const name of ['ndjson', 'avro'] as const) {
    for (const run of runs[name]) {
      const samples = summarisedSamples(run.stdout);
      if (samples !== corpus.samples) problems.push(`${name} replay summarised ${samples} samples`);
      if (run.stdout !== (runs[name][0] as ChildRun).stdout)
        problems.push(`${name} replay output differs between rounds`);
    }
    const first = (runs[name][0] as ChildRun).stdout;
    const listed = first.split('\n').filter((line) => line.startsWith('  - ')).length;
    console.log(`  ${name.padEnd(6)} ${SUMMARY.exec(first)?.[0] ?? '(no summary line)'} [${listed} alert lines]`);
  }
  const identical = (runs.ndjson[0] as ChildRun).stdout === (runs.avro[0] as ChildRun).stdout;
  if (!identical) problems.push('the NDJSON and Avro replays printed different summaries');
  for (const problem of problems) console.log(`  PROBLEM: ${problem}`);
  console.log(
    `  correctness: ${problems.length === 0 ? 'both files give the corpus count and identical summaries' : 'FAILED'}`,
  );
  return problems.length === 0;
}

/**
 * Replay throughput (`npm run bench -- replay`): writes the labelled synthetic corpus (56 series,
 * 2 h of event time, ≈ 0.53 M samples) to a temp directory as NDJSON and as a deflate Avro recording,
 * then times, each in its own child process, `soakstream replay <file> -q` on both files and a naive
 * NDJSON reader (bench/naiveReplay.mjs: readline + JSON.parse + a running mean per series). Every
 * round runs the three in rotated order; reports median wall times (Node.js start-up included),
 * peak RSS, the median of the per-round ratios and the goals, and checks that both replays count
 * every sample and print the same summary. Cost: rounds × three full reads of the corpus.
 */
export async function runReplayBench(options: ReplayBenchOptions = {}): Promise<ReplayReport> {
  const rounds = options.rounds ?? (options.quick ? 2 : 5);
  await ensureBuilt();
  const directory = await mkdtemp(join(tmpdir(), 'soakstream-replay-bench-'));
  try {
    const corpus = await writeReplayCorpus(directory, { seed: options.seed ?? 1, hours: options.quick ? 0.2 : 2 });
    console.log(
      `corpus: ${corpus.samples.toLocaleString('en-US')} samples of ${corpus.series} series; ` +
        `NDJSON ${(corpus.ndjsonBytes / 2 ** 20).toFixed(1)} MiB, ` +
        `Avro (deflate) ${(corpus.avroBytes / 2 ** 20).toFixed(1)} MiB`,
    );
    const contenders: readonly Contender[] = [
      { name: 'naive', label: 'naive reader (NDJSON)', args: ['bench/naiveReplay.mjs', corpus.ndjson] },
      {
        name: 'ndjson',
        label: 'soakstream replay NDJSON',
        args: [CLI, 'replay', corpus.ndjson, '-q', '--fail-on', 'none'],
      },
      { name: 'avro', label: 'soakstream replay Avro', args: [CLI, 'replay', corpus.avro, '-q', '--fail-on', 'none'] },
    ];
    const runs: Record<ContenderName, ChildRun[]> = { naive: [], ndjson: [], avro: [] };
    for (let round = 0; round < rounds; round++) {
      const order = contenders.map((_, i) => contenders[(round + i) % contenders.length] as Contender);
      for (const contender of order) {
        const run = await timeChild(process.execPath, contender.args, true);
        if (run.code !== 0) throw new Error(`${contender.label} exited with ${run.code}:\n${run.stderr}`);
        runs[contender.name].push(run);
      }
      const line = order.map((c) => `${c.name} ${seconds((runs[c.name].at(-1) as ChildRun).ms)}`).join(', ');
      process.stderr.write(`  round ${round + 1}/${rounds}: ${line}\n`);
    }
    const correct = checkRuns(corpus, runs);

    const ms = (name: ContenderName): number[] => runs[name].map((run) => run.ms);
    const medianMs = { naive: median(ms('naive')), ndjson: median(ms('ndjson')), avro: median(ms('avro')) };
    const perRound = (a: ContenderName, b: ContenderName): number =>
      median(runs[a].map((run, i) => run.ms / (runs[b][i] as ChildRun).ms));
    const ratios = {
      'replay NDJSON / naive': perRound('ndjson', 'naive'),
      'replay Avro / naive': perRound('avro', 'naive'),
      'replay Avro / replay NDJSON': perRound('avro', 'ndjson'),
    };

    console.log(
      `\n${'contender'.padEnd(26)}${'median'.padStart(9)}${'min'.padStart(9)}${'max'.padStart(9)}` +
        `${'peak RSS'.padStart(10)}`,
    );
    for (const c of contenders) {
      const walls = ms(c.name);
      const rss = runs[c.name].map((run) => run.peakRssKib);
      const peak = rss.every((kib) => kib !== null) ? median(rss as number[]) : null;
      console.log(
        `${c.label.padEnd(26)}${seconds(medianMs[c.name]).padStart(9)}${seconds(Math.min(...walls)).padStart(9)}` +
          `${seconds(Math.max(...walls)).padStart(9)}${mib(peak).padStart(10)}`,
      );
    }
    console.log(`\nmedian of ${rounds} per-round ratios`);
    for (const [name, ratio] of Object.entries(ratios)) console.log(`  ${name.padEnd(28)}${times(ratio).padStart(7)}`);
    const goals = [
      {
        goal: 'NDJSON replay ≤ 1.5× naive',
        value: ratios['replay NDJSON / naive'],
        met: ratios['replay NDJSON / naive'] <= 1.5,
      },
      {
        goal: 'Avro replay faster than NDJSON replay',
        value: ratios['replay Avro / replay NDJSON'],
        met: ratios['replay Avro / replay NDJSON'] < 1,
      },
    ];
    console.log('\ngoals');
    for (const g of goals)
      console.log(`  ${g.goal.padEnd(40)}${times(g.value).padStart(7)}  ${g.met ? 'met' : 'not met'}`);
    return { corpus, medianMs, ratios, correct, goalsMet: goals.every((g) => g.met) };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
