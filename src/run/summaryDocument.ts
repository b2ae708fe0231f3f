import { rename, unlink, writeFile } from 'node:fs/promises';
import { fileWriteError } from '../model/fileWriteError.js';
import { maskUrlPasswords } from '../model/secrets.js';
import { printableMessage } from '../model/showValue.js';
import { ExitCode, exitCodeOf } from './exitCodes.js';
import type { RunFigures } from './runFigures.js';
import type { SessionSummary } from './session.js';

/** How a command ended, as `--summary-out` writes it. */
export type SummaryResult = 'PASS' | 'FAIL' | 'INTERRUPTED' | 'ERROR';

/**
 * The machine-readable summary of a command (`--summary-out`, like k6's `--summary-export`),
 * format version 2: how it ended and why, what it saw, the alerts with their state at the end, the
 * samples it did not analyse by reason (late, quarantined, past the series limit) with the first
 * series named, what each sink stored and lost, and for `run` and `load` what the run measured
 * (`run`: requests, latency quantiles, error rate, throughput, each criterion with its measured
 * value, the faults and their recovery). Version 1 had `details` where version 2 has `run`.
 */
export interface SummaryDocument {
  readonly version: 2;
  readonly command: string;
  readonly result: SummaryResult;
  readonly exitCode: number;
  /** Why the result is FAIL: each failed criterion, alerts firing (empty otherwise). */
  readonly reasons: readonly string[];
  /** The error that ended it (one line, secrets masked), for result ERROR. */
  readonly error?: string;
  readonly samples: number;
  readonly series: number;
  /** Event time (epoch µs) of the first and last sample, null without samples. */
  readonly firstTs: number | null;
  readonly lastTs: number | null;
  readonly alerts: {
    readonly fired: readonly {
      readonly id: string;
      readonly rule: string;
      readonly severity: string;
      readonly series: string;
      readonly since: number;
      /** Its state when the command ended. */
      readonly state: 'firing' | 'resolved';
      readonly firingAtEnd: boolean;
    }[];
    readonly firingAtEnd: number;
  };
  readonly notAnalysed: SessionSummary['notAnalysed'];
  readonly sinks: readonly {
    readonly name: string;
    readonly stored: number;
    readonly lost: number;
    /** Points the destination refused while storing the rest (InfluxDB partial writes). */
    readonly refused: number;
  }[];
  readonly run?: RunFigures;
}

/** What a command adds to its session's summary: why it failed, and a run's figures. */
export interface SummaryExtras {
  readonly reasons?: readonly string[];
  readonly run?: RunFigures;
}

const resultOf = (exitCode: number): SummaryResult =>
  exitCode === ExitCode.ok
    ? 'PASS'
    : exitCode === ExitCode.verdict
      ? 'FAIL'
      : exitCode === ExitCode.interrupted
        ? 'INTERRUPTED'
        : 'ERROR';

/** The summary document of a command that ended with `exitCode` (or `error`), from what its session saw. */
export function summaryDocument(
  command: string,
  summary: SessionSummary | null,
  ending: { readonly exitCode: number; readonly error?: unknown; readonly extras?: SummaryExtras },
): SummaryDocument {
  const firing = new Set(summary?.firingAtEnd.map((alert) => alert.id) ?? []);
  const error = ending.error;
  const message =
    error === undefined
      ? undefined
      : maskUrlPasswords(printableMessage(error instanceof Error ? error.message : String(error), 500)).split('\n')[0];
  const result = error !== undefined ? 'ERROR' : resultOf(ending.exitCode);
  return {
    version: 2,
    command,
    result,
    exitCode: ending.exitCode,
    reasons: result === 'FAIL' ? (ending.extras?.reasons ?? []) : [],
    ...(message !== undefined ? { error: message } : {}),
    samples: summary?.samples ?? 0,
    series: summary?.series ?? 0,
    firstTs: summary?.first ?? null,
    lastTs: summary?.last ?? null,
    alerts: {
      fired: (summary?.fired ?? []).map((alert) => ({
        id: alert.id,
        rule: alert.rule,
        severity: alert.severity,
        series: alert.series,
        since: alert.since,
        state: firing.has(alert.id) ? 'firing' : 'resolved',
        firingAtEnd: firing.has(alert.id),
      })),
      firingAtEnd: firing.size,
    },
    notAnalysed: summary?.notAnalysed ?? {},
    sinks: (summary?.sinks ?? []).map((sink) => ({
      name: sink.name,
      stored: sink.stored,
      lost: sink.lost,
      refused: sink.refused?.count ?? 0,
    })),
    ...(ending.extras?.run !== undefined ? { run: ending.extras.run } : {}),
  };
}

/**
 * Writes a summary document as JSON, atomically (a temporary file renamed over `path`); a
 * file-system failure is a SinkError naming the file.
 */
export async function writeSummaryDocument(path: string, document: SummaryDocument): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(document, null, 2)}\n`);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw fileWriteError('--summary-out', path, error);
  }
}

/**
 * Runs a command body and writes its summary document to `path` (when given) however it ends:
 * with the exit code it returns, or as ERROR with the exit code of the error it throws (which is
 * rethrown). The body reports its session summary through `report` as soon as it has one.
 */
export async function withSummaryDocument(
  command: string,
  path: string | undefined,
  body: (report: (summary: SessionSummary | null, extras?: SummaryExtras) => void) => Promise<number>,
): Promise<number> {
  let summary: SessionSummary | null = null;
  let extras: SummaryExtras | undefined;
  const report = (seen: SessionSummary | null, more?: SummaryExtras): void => {
    summary = seen;
    extras = more;
  };
  let exitCode: number;
  try {
    exitCode = await body(report);
  } catch (error) {
    // The error that ended the command is the one reported; a summary that cannot be written is a note.
    if (path !== undefined)
      await writeSummaryDocument(
        path,
        summaryDocument(command, summary, { exitCode: exitCodeOf(error), error, ...(extras ? { extras } : {}) }),
      ).catch((failure: unknown) => process.stderr.write(`warning: ${(failure as Error).message}\n`));
    throw error;
  }
  if (path !== undefined)
    await writeSummaryDocument(path, summaryDocument(command, summary, { exitCode, ...(extras ? { extras } : {}) }));
  return exitCode;
}
