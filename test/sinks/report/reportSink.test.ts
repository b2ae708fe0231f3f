import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixtureRecords } from '../../support/collect.js';
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

describe.skipIf(skipReason !== null)('HTML report rendered in headless Chromium', () => {
  let dir: string;
  let file: string;
  let records: SinkRecord[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'soakstream-report-'));
    file = join(dir, 'report.html');
    records = await fixtureRecords({ endpoint: EVIL });
    const sink = new ReportSink({ path: file, title: `soak <b>"checkout"</b> ${EVIL}` });
    await sink.write(records);
    await sink.close();
  }, 60_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test(
    'opens offline, draws every chart and the alert table, ' + 'with no console errors and no injected script',
    async () => {
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

        const expected = { series: 0, leaks: 0, scaling: 0 };
        const html = readFileSync(file, 'utf8');
        const embedded = JSON.parse(
          html
            .slice(
              html.indexOf('<script id="report-data" type="application/json">') + 49,
              html.indexOf('</script>', html.indexOf('report-data')),
            )
            .replace(/\\u003c/g, '<'),
        ) as { series: { leak: unknown }[]; scaling: unknown[]; alerts: { state: string }[] };
        expected.series = embedded.series.filter((s) => s.leak === null).length;
        expected.leaks = embedded.series.filter((s) => s.leak !== null).length;
        expected.scaling = embedded.scaling.length;
        expect(expected.leaks).toBeGreaterThan(0);
        expect(expected.scaling).toBe(1);

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
      })`)) as {
          series: number;
          leaks: number;
          scaling: number;
          alertRows: number;
          xss: unknown;
          title: string;
          h1: string;
          images: number;
        };
        expect(counts).toMatchObject({
          series: expected.series,
          leaks: expected.leaks,
          scaling: 1,
          alertRows: embedded.alerts.length,
          xss: null,
          images: 0,
        });
        expect(counts.title).toBe(`soak <b>"checkout"</b> ${EVIL}`);
        expect(counts.h1).toBe(counts.title);
        expect(embedded.alerts.some((a) => a.state === 'firing')).toBe(true);

        // A chart really drew: its canvas has non-background pixels.
        const inked = (await page.evaluate(`(() => {
        const canvas = document.querySelector('#leak-charts .uplot canvas');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let ink = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) ink++;
        return ink;
      })()`)) as number;
        expect(inked).toBeGreaterThan(1000);
        expect(await page.locator('#scaling-charts h3').first().textContent()).toContain(EVIL);
        expect(problems).toEqual([]);
        expect(requests).toEqual([]);
        if (process.env.SOAKSTREAM_REPORT_SCREENSHOT !== undefined)
          await page.screenshot({ path: process.env.SOAKSTREAM_REPORT_SCREENSHOT, fullPage: true });
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
