import { formatChange, formatValue, type CompareResult, type CompareRow } from './compare.js';

/** Output formats of `soakstream compare`. */
export const COMPARE_FORMATS = ['text', 'markdown', 'json', 'csv'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

/** Version of the JSON document `compare --format json` prints. */
export const COMPARE_JSON_VERSION = 1;

const pText = (p: number): string => (p < 0.001 ? '<0.001' : p.toFixed(3));

const ciText = (row: CompareRow): string =>
  row.ciLow === null || row.ciHigh === null
    ? ''
    : `[${formatChange(row.ciLow, row)}, ${formatChange(row.ciHigh, row)}]`;

/** The cells of one row, as text and Markdown show them. */
function cells(row: CompareRow): string[] {
  return [
    row.series,
    row.stat,
    formatValue(row.base, row),
    formatValue(row.new, row),
    row.verdict + (row.regression ? ' !' : ''),
    ciText(row),
    pText(row.p),
    `${row.runs[0]}+${row.runs[1]}`,
  ];
}

const HEADER = ['series', 'stat', 'base', 'new', 'change', '95% CI', 'p', 'runs'];

function geomeanCells(result: CompareResult): string[] | null {
  const g = result.geomean;
  // Values of different units have no common mean: the row gives the geometric mean of the ratios.
  return g === null
    ? null
    : ['geomean', '', '', '', formatChange(g.change, { stat: 'geomean', scale: 'log' }), '', '', ''];
}

/** Lines that say what was compared and what was left out, under the table. */
function notes(result: CompareResult): string[] {
  const out: string[] = [];
  const regressions = result.rows.filter((row) => row.regression).length;
  out.push(
    `${result.rows.length} statistics of ${new Set(result.rows.map((r) => r.series)).size} series; ` +
      `~: no change significant at p < ${result.alpha}/k for a series' k statistics` +
      (result.method === 'utest'
        ? ' (Mann–Whitney U over runs, as benchstat)'
        : ' (Welch, runs pooled with serial correlation)') +
      `; ${regressions} regression${regressions === 1 ? '' : 's'} (!)` +
      (result.threshold > 0 ? ` of at least ${(result.threshold * 100).toFixed(1)}%` : ''),
  );
  const [baseDropped, nextDropped] = result.dropped;
  const [baseSamples, nextSamples] = result.samples;
  out.push(
    `warm-up dropped: ${((100 * baseDropped) / baseSamples).toFixed(1)}% of base samples, ` +
      `${((100 * nextDropped) / nextSamples).toFixed(1)}% of new`,
  );
  const list = (keys: readonly string[]): string => keys.slice(0, 5).join(', ') + (keys.length > 5 ? ', …' : '');
  if (result.onlyBase.length > 0) out.push(`only in base (${result.onlyBase.length}): ${list(result.onlyBase)}`);
  if (result.onlyNew.length > 0) out.push(`only in new (${result.onlyNew.length}): ${list(result.onlyNew)}`);
  return out;
}

function text(result: CompareResult): string {
  const rows = [HEADER, ...result.rows.map(cells)];
  const geomean = geomeanCells(result);
  if (geomean !== null) rows.push(geomean);
  const widths = HEADER.map((_, column) => Math.max(...rows.map((row) => (row[column] as string).length)));
  const line = (row: string[]): string =>
    row
      .map((cell, column) =>
        column >= 2 && column !== 5 ? cell.padStart(widths[column] as number) : cell.padEnd(widths[column] as number),
      )
      .join('  ')
      .trimEnd();
  return [...rows.map(line), '', ...notes(result)].join('\n');
}

const escapeMarkdown = (cell: string): string => cell.replace(/\|/g, '\\|');

function markdown(result: CompareResult): string {
  const rows = result.rows.map((row) => {
    const c = cells(row).map(escapeMarkdown);
    return row.regression ? c.map((cell, i) => (i === 4 ? `**${cell}**` : cell)) : c;
  });
  const geomean = geomeanCells(result);
  if (geomean !== null) rows.push(geomean.map((cell, i) => (i === 0 ? `*${cell}*` : cell)));
  const table = [
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map((_, i) => (i >= 2 && i !== 5 ? '---:' : '---')).join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
  return [...table, '', ...notes(result).map((note) => `_${escapeMarkdown(note)}_  `)].join('\n');
}

function json(result: CompareResult): string {
  return JSON.stringify(
    {
      version: COMPARE_JSON_VERSION,
      method: result.method,
      alpha: result.alpha,
      threshold: result.threshold,
      rows: result.rows,
      geomean: result.geomean,
      onlyBase: result.onlyBase,
      onlyNew: result.onlyNew,
      samples: { base: result.samples[0], new: result.samples[1] },
      dropped: { base: result.dropped[0], new: result.dropped[1] },
    },
    null,
    2,
  );
}

const csvCell = (value: unknown): string => {
  const cell = value === null || value === undefined ? '' : String(value);
  return /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
};

function csv(result: CompareResult): string {
  const columns = [
    'series',
    'metric',
    'kind',
    'stat',
    'unit',
    'scale',
    'base',
    'new',
    'change',
    'ciLow',
    'ciHigh',
    'p',
    'verdict',
    'regression',
  ] as const;
  return [
    columns.join(','),
    ...result.rows.map((row) => columns.map((column) => csvCell(row[column as keyof CompareRow])).join(',')),
  ].join('\n');
}

/** A comparison in one of the output formats. */
export function formatCompare(result: CompareResult, format: CompareFormat): string {
  switch (format) {
    case 'text':
      return text(result);
    case 'markdown':
      return markdown(result);
    case 'json':
      return json(result);
    case 'csv':
      return csv(result);
  }
}
