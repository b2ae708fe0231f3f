import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAnalysis } from '../src/analysis/runAnalysis.js';
import { parseRules } from '../src/config/loadRules.js';
import type { Sample } from '../src/model/sample.js';
import { defaultRuleSet } from '../src/rules/defaultRules.js';
import type { RuleSet } from '../src/rules/rule.js';
import { tcpdCover, tcpdF1 } from './tcpdScore.js';

/** Where the TCPD copy is looked for unless `--tcpd DIR` or SOAKSTREAM_TCPD_DIR says otherwise. */
export const DEFAULT_TCPD_DIR = '../shared/tcpd';

/** One univariate TCPD series: its values (null for a gap) and each annotator's change points. */
export interface TcpdSeries {
  readonly name: string;
  readonly values: readonly (number | null)[];
  readonly annotations: readonly (readonly number[])[];
}

interface TcpdFile {
  readonly n_obs: number;
  readonly n_dim: number;
  readonly series: readonly { readonly raw: readonly (number | null)[] }[];
}

/**
 * The univariate series of a TCPD copy that TCPDBench's v3 "default" table averages over: all
 * but the synthetic quality_control_* series, the multivariate ones, and uk_coal_employ (the
 * series with missing values, which the table leaves out).
 */
export function readTcpd(dir: string): TcpdSeries[] {
  const annotationsPath = join(dir, 'annotations.json');
  if (!existsSync(annotationsPath))
    throw new Error(`${annotationsPath} not found: give the TCPD copy with --tcpd DIR (annotations.json, datasets/)`);
  const annotations = JSON.parse(readFileSync(annotationsPath, 'utf8')) as Record<string, Record<string, number[]>>;
  const out: TcpdSeries[] = [];
  for (const name of readdirSync(join(dir, 'datasets')).sort()) {
    if (name.startsWith('quality_control_') || name === 'uk_coal_employ') continue;
    const file = JSON.parse(readFileSync(join(dir, 'datasets', name, `${name}.json`), 'utf8')) as TcpdFile;
    if (file.n_dim !== 1) continue;
    const byAnnotator = annotations[name];
    if (byAnnotator === undefined) throw new Error(`${annotationsPath}: no annotations for ${name}`);
    out.push({ name, values: (file.series[0] as TcpdFile['series'][0]).raw, annotations: Object.values(byAnnotator) });
  }
  return out;
}

const START = 1_767_225_600_000_000;
/** Observations are equally spaced in their index: one a minute. */
const SPACING = 60_000_000;

/** The change points soakstream's change-point events put on a series: each one's estimated onset index. */
export function changePointIndices(series: TcpdSeries, rules: RuleSet): number[] {
  const samples: Sample[] = [];
  series.values.forEach((value, i) => {
    if (value !== null) samples.push({ ts: START + i * SPACING, metric: 'value', value, tags: {} });
  });
  const found: number[] = [];
  runAnalysis(samples, {
    rules,
    onEvent: (event) => {
      if (event.type === 'changepoint') found.push(Math.round((event.changePoint.onset - START) / SPACING));
    },
  });
  return found;
}

/** The rules file whose change points the TCPD benchmark scores first, as users run it. */
export const SEGMENT_RULES_FILE = 'examples/changepoint-rules.yaml';

/**
 * The configurations scored on TCPD, each one rule set for every series: the segmentation rule of
 * {@link SEGMENT_RULES_FILE} as a user runs it (one observation per bucket, since the bucket follows
 * the series' interval), then CUSUM change points on any metric with the default reference length
 * and threshold, and with a shorter reference for these short series (15 to 816 observations).
 */
export function tcpdConfigurations(): { label: string; rules: RuleSet }[] {
  const rule = (referenceBuckets: number, h: number, k: number): RuleSet => ({
    ...defaultRuleSet(),
    rules: [
      {
        name: 'level-change',
        match: {},
        detector: { type: 'changepoint', method: 'cusum', bucket: SPACING, referenceBuckets, h, k },
        severity: 'info',
        for: 0,
        keepFiringFor: 0,
        alert: false,
      },
    ],
  });
  return [
    {
      label: `**soakstream segment change points** (\`--rules ${SEGMENT_RULES_FILE}\`, onsets from \`--events-out\`)`,
      rules: parseRules(readFileSync(SEGMENT_RULES_FILE, 'utf8'), SEGMENT_RULES_FILE),
    },
    { label: 'soakstream CUSUM, reference 90 observations, h 12', rules: rule(90, 12, 0.5) },
    { label: 'soakstream CUSUM, reference 30 observations, h 40, k 2', rules: rule(30, 40, 2) },
  ];
}

/** Mean F1 and cover of predictions per series. */
export function scoreTcpd(
  corpus: readonly TcpdSeries[],
  predict: (series: TcpdSeries) => readonly number[],
): { f1: number; cover: number; perSeries: { name: string; f1: number; cover: number; found: number }[] } {
  const perSeries = corpus.map((series) => {
    const predicted = predict(series);
    return {
      name: series.name,
      f1: tcpdF1(series.annotations, predicted, series.values.length),
      cover: tcpdCover(series.annotations, predicted, series.values.length),
      found: predicted.length,
    };
  });
  const mean = (key: 'f1' | 'cover'): number => perSeries.reduce((sum, s) => sum + s[key], 0) / perSeries.length;
  return { f1: mean('f1'), cover: mean('cover'), perSeries };
}

/**
 * Scores soakstream's change points on TCPD next to the `zero` baseline recomputed on the same
 * series, and prints the published v3 default-experiment figures as anchors.
 */
export function runTcpdBench(options: {
  readonly dir?: string;
  readonly configurations: readonly { readonly label: string; readonly rules: RuleSet }[];
}): void {
  const dir = options.dir ?? process.env.SOAKSTREAM_TCPD_DIR ?? DEFAULT_TCPD_DIR;
  const corpus = readTcpd(dir);
  console.log(
    `TCPD: ${corpus.length} univariate series (${dir}; the 10 series TCPD cannot redistribute are not here, ` +
      `so the published means are over a larger set)\n`,
  );
  console.log('| method | F1 (margin 5) | cover | change points |\n|---|---:|---:|---:|');
  const row = (label: string, result: ReturnType<typeof scoreTcpd>): void => {
    const points = result.perSeries.reduce((n, s) => n + s.found, 0);
    console.log(`| ${label} | ${result.f1.toFixed(3)} | ${result.cover.toFixed(3)} | ${points} |`);
  };
  row(
    'zero (no change point), this subset',
    scoreTcpd(corpus, () => []),
  );
  for (const { label, rules } of options.configurations)
    row(
      label,
      scoreTcpd(corpus, (series) => changePointIndices(series, rules)),
    );
  // Means over this subset's 25 series of TCPDBench's published per-series scores
  // (analysis/output/scores/default_{f1,cover}_scores.json), so methods compare on the same series.
  console.log(
    '| published, this subset: binseg (default) | 0.690 | 0.655 | |\n' +
      '| published, this subset: pelt (default) | 0.684 | 0.656 | |\n' +
      '| published, this subset: bocpd (default) | 0.657 | 0.591 | |\n' +
      '| published, this subset: amoc (default) | 0.647 | 0.657 | |\n' +
      '| published, all 32 univariate series: zero | 0.645 | 0.566 | |\n' +
      '| published: binseg (default) | 0.698 | 0.672 | |\n' +
      '| published: pelt (default) | 0.674 | 0.652 | |\n' +
      '| published: bocpd (default) | 0.662 | 0.594 | |',
  );
}
