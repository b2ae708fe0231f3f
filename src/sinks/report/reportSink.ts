import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileWriteError } from '../../model/fileWriteError.js';
import type { Sink, SinkRecord } from '../sink.js';
import { ReportCollector, type ReportCollectorOptions } from './reportData.js';
import { renderReport } from './renderReport.js';

/** Options of {@link ReportSink}. */
export interface ReportSinkOptions extends ReportCollectorOptions {
  /** The HTML file written on close (and on every `flush`). */
  readonly path: string;
}

/**
 * Collects the run in memory (bounded, see ReportCollector) and writes the self-contained HTML
 * report on `flush` and `close` (creating its directory), through a temporary file renamed into
 * place so a reader never sees half a report. Writes are acknowledged at once: the report is a view, not a store.
 * A report that cannot be written (a full or read-only disk) fails with a SinkError naming its path:
 * "report: cannot write out/report.html: no space left on device (ENOSPC)"; no temporary file is left.
 */
export class ReportSink implements Sink {
  readonly name = 'report';
  private readonly collector: ReportCollector;

  constructor(private readonly options: ReportSinkOptions) {
    this.collector = new ReportCollector(options);
  }

  write(records: readonly SinkRecord[]): Promise<void> {
    for (const record of records) this.collector.add(record);
    return Promise.resolve();
  }

  /** Writes the report as it stands. */
  async flush(): Promise<void> {
    const { path } = this.options;
    const temporary = `${path}.tmp-${process.pid}`;
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(temporary, renderReport(this.collector.data()));
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw fileWriteError('report', path, error);
    }
  }

  close(): Promise<void> {
    return this.flush();
  }
}
