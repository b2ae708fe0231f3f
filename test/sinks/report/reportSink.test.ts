import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixtureRecords } from '../../support/collect.js';
import fc from 'fast-check';
import { nameArbitrary } from '../../model/sampleArbitrary.js';
import { rejectedWith } from '../../support/thrown.js';
import { SinkError } from '../../../src/model/errors.js';
import { ReportCollector } from '../../../src/sinks/report/reportData.js';
import { escapeHtml, scriptJson } from '../../../src/sinks/report/renderReport.js';
import { ReportSink } from '../../../src/sinks/report/reportSink.js';
import type { SinkRecord } from '../../../src/sinks/sink.js';
import type { FaultRecovery } from '../../../src/model/events.js';
import { faultSoakRecords } from '../../support/faultSoak.js';
import { chromiumSkipReason, launchChromium } from '../../support/chromium.js';

const EVIL = '</script><img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
const T0 = 1_767_225_600_000_000;
const SECOND = 1_000_000;

describe('HTML report', () => {
  test('a report that cannot be written fails its close with a SinkError naming its path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soakstream-report-'));
    try {
      const file = join(dir, 'some-file.txt');
      writeFileSync(file, 'not a directory');
      const path = join(file, 'report.html');
      const error = await rejectedWith(new ReportSink({ path }).close(), SinkError);
      expect(error.message).toMatch(
        new RegExp(`^report: cannot write ${path.replace(/[.]/g, '\\.')}: [^\n]+ \\((EEXIST|ENOTDIR)\\)$`),
      );
      expect(error.context).toEqual({ file: path });
      expect(readdirSync(dir)).toEqual(['some-file.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('escapes text for HTML and JSON for a script element', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
    expect(scriptJson({ s: '</script>\u2028' })).toBe('{"s":"\\u003c/script>\\u2028"}');
  });

  test('the collector thins long series to at most maxPoints and keeps alerting series first', () => {
    const collector = new ReportCollector({ maxPoints: 100, maxSeries: 2 });
    const stat = (series: string, i: number): SinkRecord => ({
      type: 'stat',
      stat: {
        ts: i * 1e6,
        windowStart: 0,
        series,
        metric: series,
        tags: {},
        metricKind: 'other',
        n: 1,
        min: i,
        max: i,
        mean: i,
        stdev: 0,
        median: i,
        mad: 0,
        p50: i,
        p90: i,
        p95: i,
        p99: i,
      },
    });
    for (let i = 0; i < 1000; i++) collector.add(stat('a', i));
    collector.add(stat('b', 0));
    collector.add(stat('c', 0));
    collector.add({
      type: 'alert',
      alert: {
        id: '1',
        rule: 'r',
        kind: 'leak',
        severity: 'warning',
        state: 'firing',
        series: 'b',
        metric: 'b',
        tags: {},
        metricKind: 'other',
        ts: 0,
        since: 0,
        value: 0,
        baseline: 0,
        effect: 0,
        message: '',
      },
    });
    const data = collector.data();
    expect(data.series.map((s) => s.series)).toEqual(['b', 'a']);
    expect(data.omittedSeries).toBe(1);
    const a = data.series[1];
    expect(a?.t.length).toBeLessThan(100);
    expect(a?.t.length).toBeGreaterThanOrEqual(50);
    // Thinning keeps every k-th hop, so the kept points stay evenly spaced and in order.
    const gaps = new Set(a?.t.slice(1).map((t, i) => t - (a.t[i] as number)));
    expect(gaps.size).toBe(1);
  });

  test('the collector merges the phases of each fault into one row with its verdict', () => {
    const collector = new ReportCollector();
    for (const record of faultSoakRecords(T0, { scenario: 'checkout' })) collector.add(record);
    const data = collector.data();
    expect(data.startedAt).toBe(T0);
    expect(data.omittedFaults).toBe(0);
    const group = { series: 'soakstream_fault{scenario=checkout}', tags: { scenario: 'checkout' } };
    expect(data.faults).toEqual([
      {
        ...group,
        fault: 'kill-target',
        action: 'kill',
        occurrence: 1,
        start: T0 + 60 * SECOND,
        end: T0 + 70 * SECOND,
        impactAt: T0 + 60 * SECOND,
        recoveredAt: T0 + 72 * SECOND,
        recoveryTime: 12 * SECOND,
        deadline: T0 + 130 * SECOND,
        verdict: 'recovered',
        message: 'fault kill-target #1 (kill): impact after 0.0 s, recovered 12.0 s after it began',
      },
      {
        ...group,
        fault: 'slow-network',
        action: 'network',
        occurrence: 1,
        start: T0 + 150 * SECOND,
        end: T0 + 160 * SECOND,
        impactAt: T0 + 150 * SECOND,
        recoveredAt: null,
        recoveryTime: null,
        deadline: T0 + 220 * SECOND,
        verdict: 'not-recovered',
        message: expect.stringMatching(/^fault slow-network #1 \(network\): not recovered 60\.0 s after it ended: /),
      },
    ]);
    // The fault records' own statistics are not a chart: faults are shaded on every chart instead.
    expect(data.series.map((s) => s.metric).sort()).toEqual(['http_req_duration', 'http_req_failed']);
  });

  test('a fault recovered after its verdict is recovered late; one the run cut short is unfinished', () => {
    const collector = new ReportCollector({ maxFaults: 3 });
    const base: FaultRecovery = {
      series: 'soakstream_fault',
      metric: 'soakstream_fault',
      tags: {},
      metricKind: 'other',
      ts: T0,
      fault: 'pause-db',
      action: 'pause',
      occurrence: 1,
      phase: 'start',
      start: T0,
      end: null,
      impactAt: null,
      recoveredAt: null,
      recoveryTime: null,
      deadline: null,
      quantile: 0.95,
      measures: [],
    };
    const ended = { ...base, end: T0 + 5 * SECOND, deadline: T0 + 65 * SECOND, impactAt: T0 + SECOND };
    const phases: FaultRecovery[] = [
      base,
      { ...ended, ts: T0 + 5 * SECOND, phase: 'end' },
      { ...ended, ts: T0 + 65 * SECOND, phase: 'not-recovered' },
      {
        ...ended,
        ts: T0 + 90 * SECOND,
        phase: 'recovered',
        recoveredAt: T0 + 80 * SECOND,
        recoveryTime: 80 * SECOND,
      },
      // The second occurrence is still on when the stream ends; the third has only started.
      { ...base, occurrence: 2, start: T0 + 100 * SECOND, ts: T0 + 100 * SECOND },
      { ...base, occurrence: 2, start: T0 + 100 * SECOND, ts: T0 + 120 * SECOND, phase: 'unfinished' },
      { ...base, occurrence: 3, start: T0 + 110 * SECOND, ts: T0 + 110 * SECOND },
      // Past maxFaults: counted, not kept.
      { ...base, occurrence: 4, start: T0 + 115 * SECOND, ts: T0 + 115 * SECOND },
    ];
    for (const recovery of phases) collector.add({ type: 'recovery', recovery });
    const data = collector.data();
    expect(data.faults.map((f) => [f.occurrence, f.verdict, f.end, f.recoveryTime])).toEqual([
      [1, 'recovered-late', T0 + 5 * SECOND, 80 * SECOND],
      [2, 'unfinished', null, null],
      [3, 'in-progress', null, null],
    ]);
    expect(data.faults[0]?.message).toBe(
      'fault pause-db #1 (pause): impact after 1.0 s, recovered 80.0 s after it began',
    );
    expect(data.omittedFaults).toBe(1);
    expect(data.startedAt).toBe(T0);
    expect(() => new ReportCollector({ maxFaults: 1 })).toThrow('report: maxFaults must be an integer ≥ 2, got 1');
  });
});

const skipReason = chromiumSkipReason();
if (skipReason !== null) console.log(`skipping report rendering in Chromium: ${skipReason}`);

/** What a report page drew in headless Chromium, next to what its embedded data asked for. */
interface Rendered {
  readonly embedded: { series: { leak: unknown }[]; scaling: unknown[]; alerts: { state: string }[] };
  readonly counts: {
    series: number;
    leaks: number;
    scaling: number;
    alertRows: number;
    xss: unknown;
    title: string;
    h1: string;
    images: number;
  };
  /** Non-background pixels of the first leak chart's canvas. */
  readonly inked: number;
  /** The text of each cell of the faults table, row by row. */
  readonly faultRows: string[][];
  /** Per time chart (series, then leak charts), pixels in the colour faults are shaded with. */
  readonly faultShade: number[];
  readonly summary: string;
  readonly faultLegend: string | null;
  readonly scalingHeading: string;
  /** Console errors and warnings, page errors, and requests for anything but the file itself. */
  readonly problems: string[];
  readonly requests: string[];
  /** The page's width against the window's (1,280 px): no horizontal scrolling when it is not larger. */
  readonly layout: { scrollWidth: number; innerWidth: number };
  /** Per alert row: the series its link names and whether the chart it points to exists (null: no link). */
  readonly alertLinks: ({ text: string; target: boolean } | null)[];
  /** The legend labels of each series chart, chart by chart. */
  readonly legends: string[][];
}

/** Opens a report file in headless Chromium and reads what it drew. */
async function renderInChromium(file: string): Promise<Rendered> {
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 20_000 });
    const html = readFileSync(file, 'utf8');
    const embedded = JSON.parse(
      html
        .slice(
          html.indexOf('<script id="report-data" type="application/json">') + 49,
          html.indexOf('</script>', html.indexOf('report-data')),
        )
        .replace(/\\u003c/g, '<'),
    ) as Rendered['embedded'];
    // Browser-side code as text: the test program is compiled without DOM types.
    const counts = (await page.evaluate(`({
      series: document.querySelectorAll('#series-charts .uplot canvas').length,
      leaks: document.querySelectorAll('#leak-charts .uplot canvas').length,
      scaling: document.querySelectorAll('#scaling-charts .uplot canvas').length,
      alertRows: document.querySelectorAll('#alert-rows tr').length,
      xss: window.__xss ?? null,
      title: document.title,
      h1: document.querySelector('h1')?.textContent ?? '',
      images: document.images.length,
    })`)) as Rendered['counts'];
    // A chart really drew: its canvas has non-background pixels.
    const inked = (await page.evaluate(`(() => {
      const canvas = document.querySelector('#leak-charts .uplot canvas');
      if (canvas === null) return 0;
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) ink++;
      return ink;
    })()`)) as number;
    const faultRows = (await page.evaluate(
      `[...document.querySelectorAll('#fault-rows tr')].map((tr) => [...tr.children].map((td) => td.textContent))`,
    )) as string[][];
    // The fill rgba(188, 189, 34, 0.2) on a transparent canvas reads back as (188, 189, 34, 51).
    // Read through a copy made for readback: many reads of the page's own canvases make Chromium warn.
    const faultShade = (await page.evaluate(`[...document.querySelectorAll(
      '#series-charts .uplot canvas, #leak-charts .uplot canvas')].map((canvas) => {
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      const context = copy.getContext('2d', { willReadFrequently: true });
      context.drawImage(canvas, 0, 0);
      const pixels = context.getImageData(0, 0, copy.width, copy.height).data;
      const near = (i, value) => Math.abs(pixels[i] - value) <= 3;
      let shaded = 0;
      for (let i = 0; i < pixels.length; i += 4)
        if (near(i, 188) && near(i + 1, 189) && near(i + 2, 34) && near(i + 3, 51)) shaded++;
      return shaded;
    })`)) as number[];
    const summary = (await page.locator('p.summary').textContent()) ?? '';
    const faultLegend = await page.evaluate(`document.querySelector('.fault-legend')?.textContent ?? null`);
    // A run without a scaling step has no scaling chart.
    const scalingHeading = (await page.evaluate(
      `document.querySelector('#scaling-charts h3')?.textContent ?? ''`,
    )) as string;
    const layout = (await page.evaluate(
      `({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })`,
    )) as Rendered['layout'];
    const alertLinks = (await page.evaluate(`[...document.querySelectorAll('#alert-rows tr')].map((tr) => {
      const a = tr.querySelector('a');
      if (a === null) return null;
      return { text: a.textContent, target: document.getElementById(a.getAttribute('href').slice(1)) !== null };
    })`)) as Rendered['alertLinks'];
    const legends = (await page.evaluate(`[...document.querySelectorAll('#series-charts section')].map((section) =>
      [...section.querySelectorAll('.u-legend .u-series .u-label')].map((label) => label.textContent))`)) as string[][];
    if (process.env.SOAKSTREAM_REPORT_SCREENSHOT !== undefined)
      await page.screenshot({ path: process.env.SOAKSTREAM_REPORT_SCREENSHOT, fullPage: true });
    return {
      embedded,
      counts,
      inked,
      faultRows,
      faultShade,
      summary,
      faultLegend: faultLegend as string | null,
      scalingHeading,
      problems,
      requests,
      layout,
      alertLinks,
      legends,
    };
  } finally {
    await browser.close();
  }
}

/** Writes a report of `records` into a new directory and returns its path. */
async function writeReport(dir: string, name: string, title: string, records: SinkRecord[]): Promise<string> {
  const file = join(dir, name);
  const sink = new ReportSink({ path: file, title });
  await sink.write(records);
  await sink.close();
  return file;
}

describe.skipIf(skipReason !== null)('HTML report rendered in headless Chromium', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'soakstream-report-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('fits a 1,280 px window, links each alert to its series chart, and draws error series as rates', async () => {
    const file = await writeReport(dir, 'layout.html', 'layout', await fixtureRecords({ endpoint: '/checkout' }));
    const { embedded, layout, alertLinks, legends, problems } = await renderInChromium(file);
    expect(problems).toEqual([]);
    expect(layout.innerWidth).toBe(1280);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    expect(alertLinks.length).toBeGreaterThan(0);
    for (const link of alertLinks) if (link !== null) expect(link.target, link.text).toBe(true);
    expect(alertLinks.filter((link) => link !== null).length).toBeGreaterThan(0);
    // The 0/1 failed requests with their 30% burst: drawn as the rolling mean, which reaches it.
    const series = embedded.series as unknown as { series: string; kind: string; mean: number[] }[];
    const checkout = series.findIndex((s) => s.series === 'http_req_failed{request=checkout}');
    expect(series[checkout]?.kind).toBe('errors');
    expect(Math.max(...(series[checkout]?.mean ?? []))).toBeGreaterThanOrEqual(0.25);
    expect(legends.some((labels) => labels.includes('error rate (rolling mean, %)'))).toBe(true);
  }, 60_000);

  test(
    'opens offline, draws every chart and the alert table, ' + 'with no console errors and no injected script',
    async () => {
      const title = `soak <b>"checkout"</b> ${EVIL}`;
      const file = await writeReport(dir, 'report.html', title, await fixtureRecords({ endpoint: EVIL }));
      const { embedded, counts, inked, scalingHeading, problems, requests } = await renderInChromium(file);
      const leaks = embedded.series.filter((s) => s.leak !== null).length;
      expect(leaks).toBeGreaterThan(0);
      expect(embedded.scaling).toHaveLength(1);
      expect(counts).toMatchObject({
        series: embedded.series.length - leaks,
        leaks,
        scaling: 1,
        alertRows: embedded.alerts.length,
        xss: null,
        images: 0,
      });
      expect(counts.title).toBe(title);
      expect(counts.h1).toBe(counts.title);
      expect(embedded.alerts.some((a) => a.state === 'firing')).toBe(true);
      expect(inked).toBeGreaterThan(1000);
      expect(scalingHeading).toContain(EVIL);
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
    },
    60_000,
  );

  test('with faults: the faults table lists each fault and its recovery, every time chart shades them', async () => {
    const records = faultSoakRecords(T0, { scenario: 'checkout' });
    const file = await writeReport(dir, 'faults.html', 'faults', records);
    const { embedded, counts, faultRows, faultShade, summary, faultLegend, problems, requests } =
      await renderInChromium(file);
    expect(faultRows).toEqual([
      [
        'kill-target #1',
        'kill',
        '+60.0 s',
        '10.0 s',
        '0.0 s',
        '12.0 s',
        'recovered',
        'fault kill-target #1 (kill): impact after 0.0 s, recovered 12.0 s after it began',
      ],
      [
        'slow-network #1',
        'network',
        '+2m 30s',
        '10.0 s',
        '0.0 s',
        'not recovered',
        'NOT RECOVERED',
        'fault slow-network #1 (network): not recovered 60.0 s after it ended: ' +
          'latency p95 190.2 ms (band 22.8 ± 11.4 ms), errors 35.0% (band ≤ 5.0%)',
      ],
    ]);
    expect(summary).toContain('2 faults injected, 1 not recovered');
    expect(faultLegend).toBe(
      '2 fault(s) shaded on every time chart, from start to end; a green line where the service recovered.',
    );
    // Latency and errors: both charts drawn, each with both 10 s spans shaded (of a 4-minute chart).
    expect(counts.series).toBe(2);
    expect(embedded.alerts.length).toBe(3);
    expect(faultShade).toHaveLength(2);
    for (const shaded of faultShade) expect(shaded).toBeGreaterThan(2000);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);

    // The same run without its recovery events: no row, no shade.
    const without = await writeReport(
      dir,
      'no-faults.html',
      'no faults',
      records.filter((record) => record.type !== 'recovery'),
    );
    const plain = await renderInChromium(without);
    expect(plain.faultRows).toEqual([['No faults were injected.']]);
    expect(plain.faultShade).toEqual([0, 0]);
    expect(plain.faultLegend).toBeNull();
    expect(plain.summary).not.toContain('faults injected');
  }, 60_000);

  test('series named constructor, __proto__ and toString, with such tags, draw and alert like any other', async () => {
    // Series keys that are Object.prototype's own names: untagged metrics; the scaling run's tag is one too.
    const metrics = new Map([
      ['http_req_duration', 'constructor'],
      ['process_heap_used_bytes', '__proto__'],
    ]);
    const records = await fixtureRecords({ toString: 'valueOf' }, (sample) => ({
      ...sample,
      metric: metrics.get(sample.metric) ?? sample.metric,
      tags: {},
    }));
    const file = await writeReport(dir, 'prototype-names.html', 'prototype names', records);
    const { embedded, counts, inked, problems } = await renderInChromium(file);
    const leaks = embedded.series.filter((s) => s.leak !== null).length;
    expect(leaks).toBeGreaterThan(0);
    expect(embedded.alerts.length).toBeGreaterThan(0);
    expect(counts).toMatchObject({
      series: embedded.series.length - leaks,
      leaks,
      scaling: embedded.scaling.length,
      alertRows: embedded.alerts.length,
    });
    expect(inked).toBeGreaterThan(1000);
    expect(problems).toEqual([]);
  }, 60_000);

  test('property: any names the model accepts render inert (no script runs, every chart and row drawn)', async () => {
    const hostile = fc.constantFrom(
      EVIL,
      '${alert(1)}',
      '"><svg onload=alert(1)>',
      '\u2028',
      '</script',
      '&amp;',
      '`x`',
    );
    const name = fc.oneof(nameArbitrary(24), hostile);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.tuple(name, name, name), async ([metric, tagKey, tagValue]) => {
        fc.pre(tagKey !== '__proto__' && tagKey !== 'time');
        const records = await fixtureRecords({ [tagKey]: tagValue }, (sample) =>
          sample.metric === 'http_req_duration' ? { ...sample, metric } : sample,
        );
        const file = await writeReport(dir, `property-${++run}.html`, `${metric} ${tagValue}`, records);
        const { embedded, counts, problems, requests } = await renderInChromium(file);
        const leaks = embedded.series.filter((s) => s.leak !== null).length;
        expect(counts).toMatchObject({
          series: embedded.series.length - leaks,
          leaks,
          scaling: embedded.scaling.length,
          alertRows: embedded.alerts.length,
          xss: null,
          images: 0,
        });
        expect(problems).toEqual([]);
        expect(requests).toEqual([]);
      }),
      { numRuns: 4 },
    );
  }, 180_000);
});
