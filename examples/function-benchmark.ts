// Soak-test a function instead of a service: run it many times, record every call's duration and
// the process heap, and let the rules tell whether it slows down or leaks as it runs.
//
//   npx tsx examples/function-benchmark.ts
//
// The function under test, `isDuplicate`, remembers every id it has seen in an array that is
// never trimmed: each call scans a longer list (a latency regression) and keeps 1 KiB more (a
// leak). soakstream finds both within seconds; the report lands in soak-report/ (or $SOAK_REPORT_DIR).
import { finalize, lastValueFrom, merge, Subject, takeUntil, tap } from 'rxjs';
import { formatAlertLine, functionBenchmark, nodeSelfProbe, parseRules, ReportSink, Session } from 'soakstream';

const seen: { id: string; payload: string }[] = [];
let calls = 0;

export function isDuplicate(id: string): boolean {
  const duplicate = seen.some((entry) => entry.id === id);
  seen.push({ id, payload: `${id}:`.padEnd(1024, '.') });
  return duplicate;
}

// Time-compressed rules: a benchmark runs for seconds, not hours. The reference is the first
// 2 s of calls; regressions are tested every 500 ms over 1 s windows.
const rules = parseRules(
  `
defaults: false
stats: { window: 1s, hop: 250ms }
allowedLateness: 100ms
rules:
  - name: function-regression
    detector: regression
    direction: up
    match: { metric: function_duration_seconds }
    reference: { type: initial, warmup: 500ms, duration: 2s }
    tiers: [ { window: 1s, minShift: 25% } ]
    evaluateEvery: 500ms
    alpha: 0.001
    for: 500ms
    severity: warning
  - name: heap-leak
    detector: leak
    match: { metric: nodejs_heap_used_bytes }
    bucket: 250ms
    fitWindow: 6s
    minSpan: 3s
    minRelativeSlopePerHour: 100%
    for: 500ms
    # The heap is sampled on the wall clock: on a busy machine the slope's interval can touch 0 for
    # a few seconds. The alert stays firing unless the leak is gone for 10 s.
    keepFiringFor: 10s
    severity: critical
`,
  'function-benchmark rules',
);

const reportPath = `${process.env.SOAK_REPORT_DIR ?? 'soak-report'}/function-benchmark.html`;
// One session analyses the samples and hands them and its findings to the report.
const session = new Session({
  rules,
  sinks: [new ReportSink({ path: reportPath, title: 'soakstream · isDuplicate benchmark' })],
  onAlert: (alert) => console.log(formatAlertLine(alert)),
});
// The heap is sampled alongside the calls, until the benchmark ends.
const finished = new Subject<void>();
const calling = functionBenchmark(() => isDuplicate(`user-${calls++}`), {
  name: 'isDuplicate',
  warmup: 200,
  iterations: 70_000,
}).pipe(finalize(() => finished.next()));
const heap = nodeSelfProbe({ intervalMs: 100 }).pipe(takeUntil(finished));

const started = performance.now();
await lastValueFrom(merge(calling, heap).pipe(tap((sample) => session.push(sample))), { defaultValue: undefined });
const summary = await session.close();
console.log(
  `\n${calls.toLocaleString('en-US')} calls in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
    `${summary.fired.length} alerts fired: ${summary.fired.map((a) => a.rule).join(', ') || 'none'}`,
);
console.log(`report: ${reportPath}`);
