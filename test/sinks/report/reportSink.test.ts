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
import { chromiumSkipReason, launchChromium } from '../../support/chromium.js';

const EVIL = '</script><img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';

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
  readonly scalingHeading: string;
  /** Console errors and warnings, page errors, and requests for anything but the file itself. */
  readonly problems: string[];
  readonly requests: string[];
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
    const scalingHeading = (await page.locator('#scaling-charts h3').first().textContent()) ?? '';
    if (process.env.SOAKSTREAM_REPORT_SCREENSHOT !== undefined)
      await page.screenshot({ path: process.env.SOAKSTREAM_REPORT_SCREENSHOT, fullPage: true });
    return { embedded, counts, inked, scalingHeading, problems, requests };
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
