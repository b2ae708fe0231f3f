import { rename, unlink, writeFile } from 'node:fs/promises';
import { fileWriteError } from '../model/fileWriteError.js';
import { maskUrlPasswords } from '../model/secrets.js';
import { printableMessage } from '../model/showValue.js';
import { ExitCode, exitCodeOf } from './exitCodes.js';
import type { SessionSummary } from './session.js';

/** How a command ended, as `--summary-out` writes it. */
export type SummaryResult = 'PASS' | 'FAIL' | 'INTERRUPTED' | 'ERROR';

/**
 * The machine-readable summary of a command that analyses (`--summary-out`, like k6's
 * `--summary-export`), format version 1: how it ended, what it saw, the alerts, the samples it did
 * not analyse by reason (late, quarantined, past the series limit) with the first series named,
 * what each sink stored and lost, and the command's own figures (`details`: a run's criteria).
 */
export interface SummaryDocument {
  readonly version: 1;
  readonly command: string;
  readonly result: SummaryResult;
  readonly exitCode: number;
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
  readonly details?: Readonly<Record<string, unknown>>;
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
  ending: { readonly exitCode: number; readonly error?: unknown; readonly details?: Record<string, unknown> },
): SummaryDocument {
  const firing = new Set(summary?.firingAtEnd.map((alert) => alert.id) ?? []);
  const error = ending.error;
  const message =
    error === undefined
      ? undefined
      : maskUrlPasswords(printableMessage(error instanceof Error ? error.message : String(error), 500)).split('\n')[0];
  return {
    version: 1,
    command,
    result: error !== undefined ? 'ERROR' : resultOf(ending.exitCode),
    exitCode: ending.exitCode,
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
    ...(ending.details !== undefined ? { details: ending.details } : {}),
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
  body: (report: (summary: SessionSummary, details?: Record<string, unknown>) => void) => Promise<number>,
): Promise<number> {
  let summary: SessionSummary | null = null;
  let details: Record<string, unknown> | undefined;
  const report = (seen: SessionSummary, more?: Record<string, unknown>): void => {
    summary = seen;
    details = more;
  };
  let exitCode: number;
  try {
    exitCode = await body(report);
  } catch (error) {
    // The error that ended the command is the one reported; a summary that cannot be written is a note.
    if (path !== undefined)
      await writeSummaryDocument(
        path,
        summaryDocument(command, summary, { exitCode: exitCodeOf(error), error, ...(details ? { details } : {}) }),
      ).catch((failure: unknown) => process.stderr.write(`warning: ${(failure as Error).message}\n`));
    throw error;
  }
  if (path !== undefined)
    await writeSummaryDocument(path, summaryDocument(command, summary, { exitCode, ...(details ? { details } : {}) }));
  return exitCode;
}
