import { hostname } from 'node:os';
import { relative } from 'node:path';
import { Subject } from 'rxjs';
import { loadScenario } from '../config/loadScenario.js';
import type { Scenario } from '../config/scenario.js';
import { ConfigError, SoakstreamError } from '../model/errors.js';
import { SuccessCriteria, type CriterionResult } from '../sources/load/successCriteria.js';
import { MemoryTransport } from '../transport/memoryTransport.js';
import { describeDuration, describeLoad, describeSinks, plural } from './describe.js';
import { checkSinkPaths, scenarioSession } from './openSinks.js';
import { progressPlan } from '../config/scenario.js';
import { sampleSources } from './sampleSources.js';
import { startService, type RunningService } from './service.js';
import { Session } from './session.js';
import { Progress, type Terminal } from './terminal.js';

/** When `run` exits 1 because of alerts: one firing at the end (default), any that fired, or never. */
export type FailOn = 'firing' | 'any' | 'none';

export interface RunOptions {
  readonly failOn: FailOn;
  /** Where progress, alert lines and the summary go. */
  readonly terminal: Terminal;
  /** Ends the run early (Ctrl-C): the sources stop, everything collected is analysed and written. */
  readonly stop?: Subject<void>;
}

export interface RunResult {
  readonly exitCode: 0 | 1;
  readonly alerts: number;
  readonly firingAtEnd: number;
  readonly criteriaFailed: number;
}

const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
const percent = (value: number): string => `${(value * 100).toFixed(2)}%`;
const measured = (result: CriterionResult): string =>
  result.criterion.statistic === 'errors' || result.criterion.statistic === 'dropped'
    ? percent(result.actual)
    : ms(result.actual);

const describe = (scenario: Scenario): string =>
  `soakstream run ${scenario.name}: ${describeLoad(scenario)}; ${describeDuration(scenario)}; ` +
  `sinks: ${describeSinks(scenario)}`;

/**
 * `soakstream run <scenario>`: starts the target service if the scenario has one, runs load and
 * probes into the in-memory transport, analyses the stream online and writes every sink; prints
 * live progress and ends with a summary. The exit code says whether the criteria held and, per
 * `failOn`, whether alerts fired.
 */
export async function runScenarioFile(file: string, options: RunOptions): Promise<RunResult> {
  return runScenario((await loadScenario(file)).scenario, options, file);
}

/**
 * Runs a decoded scenario (from a file, or `ScenarioBuilder.build()` in code) as `soakstream run`
 * does; `source` names it in messages.
 */
export async function runScenario(scenario: Scenario, options: RunOptions, source = scenario.name): Promise<RunResult> {
  if (scenario.transport.type !== 'memory') {
    throw new ConfigError(`${source}: run analyses in this process on the memory transport`, [
      'transport.type: with "kafka", start analysis workers with `soakstream analyze <scenario>` ' +
        'and publish with `soakstream load <scenario>` (or remove transport to run everything here)',
    ]);
  }
  await checkSinkPaths(scenario.sinks);
  const term = options.terminal;
  term.line(describe(scenario));
  let service: RunningService | null = null;
  if (scenario.target?.start !== undefined)
    service = await startService(scenario.target.start, (line) => term.line(line));

  // One set of running verdicts: the criteria and the summary's quantiles read the same histogram.
  const verdicts = new SuccessCriteria(scenario.criteria);
  const started = performance.now();
  let session: Session | null = null;
  try {
    const { session: live, opened } = await scenarioSession(scenario, term, {
      scenario: scenario.name,
      host: hostname(),
    });
    session = live;
    const transport = new MemoryTransport();
    const stop = options.stop ?? new Subject<void>();
    let producerError: unknown = null;
    const producing = sampleSources(scenario, {
      ...(service !== null ? { targetPid: service.pid } : {}),
      stop,
      verdicts,
    }).subscribe({
      next: (sample) => void transport.publish(sample),
      error: (error: unknown) => {
        transport.close();
        producerError = error;
      },
      complete: () => transport.close(),
    });
    const stopProgress = Progress.start(term, progressPlan(scenario), () => ({
      samples: live.samples,
      firing: live.book.firing.map((a) => a.rule),
    }));
    try {
      await new Promise<void>((resolve, reject) => {
        transport.consume().subscribe({
          next: (sample) => {
            live.push(sample);
            if (live.error !== null) reject(live.error);
          },
          error: reject,
          complete: resolve,
        });
      });
    } finally {
      stopProgress();
      producing.unsubscribe();
    }
    session = null;
    const summary = await live.close();
    if (
      producerError !== null &&
      !(producerError instanceof SoakstreamError && producerError.code === 'THRESHOLD_FAILED')
    )
      throw producerError;
    if (producerError !== null) term.line(`stopped early: ${(producerError as Error).message}`);

    const elapsed = (performance.now() - started) / 1000;
    const criteria = verdicts.evaluate();
    const failedCriteria = criteria.filter((c) => !c.pass);
    const fired = summary.fired;
    const firing = summary.firingAtEnd;
    const lines: string[] = [];
    lines.push(
      '',
      `summary of ${scenario.name} (${elapsed.toFixed(1)} s, ${plural(verdicts.requestCount, 'request')}, ` +
        `${plural(summary.samples, 'sample')}, ${plural(summary.series, 'series')})`,
    );
    if (verdicts.requestCount > 0)
      lines.push(
        `  latency   p50 ${ms(verdicts.statistic('p50'))} · p95 ${ms(verdicts.statistic('p95'))} · ` +
          `p99 ${ms(verdicts.statistic('p99'))} · errors ${percent(verdicts.statistic('errors'))}`,
      );
    if (criteria.length > 0) {
      lines.push('  criteria');
      for (const result of criteria)
        lines.push(`    ${result.pass ? '✓' : '✗'} ${result.criterion.text} (measured ${measured(result)})`);
    }
    lines.push(`  alerts    ${plural(fired.length, 'alert')} fired, ${firing.length} still firing`);
    for (const alert of fired)
      lines.push(
        `    - ${alert.rule} [${alert.severity}] on ${alert.series} (id ${alert.id})` +
          `${firing.some((f) => f.id === alert.id) ? ' — still firing' : ''}`,
      );
    if (scenario.sinks.report !== undefined) lines.push(`  report    ${scenario.sinks.report.path}`);
    if (opened.recorder !== null) {
      lines.push(`  recording ${opened.recorder.files.join(', ')}`);
      lines.push(
        `  replay    soakstream replay ${opened.recorder.sampleFiles.join(' ')}` +
          `${scenario.rulesFile !== undefined ? ` --rules ${relative(process.cwd(), scenario.rulesFile)}` : ''}`,
      );
    }
    const reasons: string[] = [];
    if (failedCriteria.length > 0) reasons.push(`${plural(failedCriteria.length, 'criterion')} failed`);
    if (options.failOn === 'firing' && firing.length > 0)
      reasons.push(`${plural(firing.length, 'alert')} firing at the end`);
    if (options.failOn === 'any' && fired.length > 0) reasons.push(`${plural(fired.length, 'alert')} fired`);
    lines.push(`result: ${reasons.length === 0 ? 'PASS' : `FAIL (${reasons.join('; ')})`}`);
    for (const line of lines) term.summary(line);
    return {
      exitCode: reasons.length === 0 ? 0 : 1,
      alerts: fired.length,
      firingAtEnd: firing.length,
      criteriaFailed: failedCriteria.length,
    };
  } finally {
    await session?.abort();
    await service?.stop();
  }
}
