import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { runAnalysis } from '../src/analysis/runAnalysis.js';
import type { Sample } from '../src/model/sample.js';
import { defaultRuleSet } from '../src/rules/defaultRules.js';
import { presetRuleSet } from '../src/rules/presets.js';
import type { RuleSet } from '../src/rules/rule.js';
import { DEFAULT_NAB_DIR, readNabCorpus, type NabSeries } from './nabCorpus.js';
import { NAB_PROFILES, nabScore, type NabProfileScore } from './nabScore.js';
import { windowedGaussianScores } from './windowedGaussian.js';

/** Options of the NAB benchmark. */
export interface NabBenchOptions {
  /** The NAB copy: data/, labels/ and results/final_results.json. */
  readonly dir?: string;
  /** A NAB checkout's results/ folder: its detectors' per-row scores are scored too (the scorer check). */
  readonly published?: string;
  /** The soakstream configurations to score: a label and the rule set each file is replayed with. */
  readonly configurations: readonly { readonly label: string; readonly rules: RuleSet }[];
}

const MINUTE = 60_000_000;

/**
 * The soakstream configurations scored on NAB, each one rule set for every file: the default
 * rules (NAB's metric `value` is of no known kind) and CUSUM change points raising alerts on any
 * metric, in buckets of one 5-minute sample.
 */
export function nabConfigurations(): { label: string; rules: RuleSet }[] {
  const defaults = defaultRuleSet();
  return [
    { label: 'soakstream, default rules', rules: defaults },
    {
      label: 'soakstream, CUSUM change points alerting',
      rules: {
        ...defaults,
        rules: [
          {
            name: 'level-change',
            match: {},
            detector: { type: 'changepoint', method: 'cusum', bucket: 5 * MINUTE, referenceBuckets: 90 },
            severity: 'warning',
            for: 0,
            keepFiringFor: 0,
            alert: true,
          },
        ],
      },
    },
    { label: 'soakstream --preset anomaly', rules: presetRuleSet('anomaly') },
  ];
}

/** One detector's scores under the three profiles, with the published ones when there are. */
export interface NabRow {
  readonly detector: string;
  readonly scores: readonly NabProfileScore[];
  readonly published: readonly number[] | null;
}

/**
 * Per-row scores from soakstream's alerts: 1 at the row where each alert fired (the first row at or
 * after its event time), 0 elsewhere, so the threshold sweep counts alerts at their firing rows.
 */
function alertScores(series: NabSeries, rules: RuleSet): Float64Array {
  const scores = new Float64Array(series.rows);
  const samples: Sample[] = Array.from(series.ts, (ts, i) => ({
    ts,
    metric: 'value',
    value: series.values[i] as number,
    tags: { file: series.name },
  }));
  const firedAt: number[] = [];
  runAnalysis(samples, {
    rules,
    onEvent: (event) => {
      if (event.type === 'alert' && event.alert.state === 'firing') firedAt.push(event.alert.ts);
    },
  });
  for (const ts of firedAt) {
    const row = series.ts.findIndex((rowTs) => rowTs >= ts);
    if (row >= 0) scores[row] = 1;
  }
  return scores;
}

/** The per-row scores a NAB checkout's results/<detector>/ holds for every file, or null when one is missing. */
function publishedScores(results: string, detector: string, corpus: readonly NabSeries[]): Float64Array[] | null {
  const out: Float64Array[] = [];
  for (const series of corpus) {
    const path = join(results, detector, dirname(series.name), `${detector}_${basename(series.name)}`);
    if (!existsSync(path)) return null;
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .slice(1)
      .filter((line) => line.trim() !== '');
    out.push(Float64Array.from(lines, (line) => Number(line.split(',')[2])));
  }
  return out;
}

const scoreAll = (corpus: readonly NabSeries[], scores: readonly Float64Array[]): NabProfileScore[] =>
  NAB_PROFILES.map((profile) => nabScore(corpus, scores, profile));

/**
 * Scores soakstream's configurations on NAB next to the null detector, NAB's windowed Gaussian
 * rebuilt here and, given a NAB checkout's results, the published detectors' own per-row scores:
 * the rebuilt scorer must reproduce the published figures for those.
 */
export function runNabBench(options: NabBenchOptions): NabRow[] {
  const dir = options.dir ?? process.env.SOAKSTREAM_NAB_DIR ?? DEFAULT_NAB_DIR;
  const corpus = readNabCorpus(dir);
  const finalPath = join(dir, 'results', 'final_results.json');
  const final = existsSync(finalPath)
    ? (JSON.parse(readFileSync(finalPath, 'utf8')) as Record<string, Record<string, number>>)
    : {};
  const publishedOf = (key: string): number[] | null => {
    const entry = final[key];
    return entry === undefined ? null : NAB_PROFILES.map((profile) => entry[profile.name] as number);
  };
  const rows: NabRow[] = [];
  const add = (detector: string, scores: readonly Float64Array[], key: string | null): void => {
    const row = { detector, scores: scoreAll(corpus, scores), published: key === null ? null : publishedOf(key) };
    rows.push(row);
    console.log(formatRow(row));
  };
  console.log(
    `NAB: ${corpus.length} files, ${corpus.reduce((n, s) => n + s.rows, 0).toLocaleString('en-US')} rows, ` +
      `${corpus.reduce((n, s) => n + s.windows.length, 0)} windows (${dir})\n`,
  );
  console.log(HEADER);
  add(
    'null (no detection)',
    corpus.map((s) => new Float64Array(s.rows)),
    'null',
  );
  add(
    'windowed Gaussian, rebuilt',
    corpus.map((s) => windowedGaussianScores(s.values)),
    'windowedGaussian',
  );
  if (options.published !== undefined) {
    for (const detector of ['numenta', 'windowedGaussian', 'twitterADVec', 'relativeEntropy', 'ARTime']) {
      const scores = publishedScores(options.published, detector, corpus);
      if (scores === null) console.log(`| ${detector} | (per-row scores not found under ${options.published}) |`);
      else add(`${detector}, published per-row scores`, scores, detector);
    }
  }
  for (const { label, rules } of options.configurations) {
    const started = performance.now();
    const scores = corpus.map((series) => alertScores(series, rules));
    add(`${label} (${((performance.now() - started) / 1000).toFixed(1)} s)`, scores, null);
  }
  return rows;
}

const HEADER =
  '| detector | standard | reward low FP | reward low FN | published (std / low FP / low FN) |\n' +
  '|---|---:|---:|---:|---|';

const formatCell = (s: NabProfileScore): string =>
  `${s.score.toFixed(2)} (θ ${s.threshold.toPrecision(6)}, ${s.detectedWindows}/${s.windows} win, ` +
  `${s.falsePositives} FP)`;

const formatRow = ({ detector, scores, published }: NabRow): string => {
  const anchor = published === null ? '—' : published.map((p) => p.toFixed(2)).join(' / ');
  return `| ${detector} | ${scores.map(formatCell).join(' | ')} | ${anchor} |`;
};
