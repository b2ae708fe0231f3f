import type { Sink, SinkRecord } from '../sink.js';
import { AlertBook } from '../../model/alertBook.js';
import { formatAlertLine } from './formatAlertLine.js';
import { formatRecoveryLine } from './formatRecoveryLine.js';

/** Options of {@link ConsoleSink}. */
export interface ConsoleSinkOptions {
  /** Where lines go. Default process.stderr. */
  readonly out?: { write(text: string): unknown };
  /** Wall-clock interval of the summary line. Default 10 s; 0 turns the summary off. */
  readonly summaryEveryMs?: number;
  /** Print alert transitions of these states. Default pending and firing and resolved. */
  readonly states?: readonly ('pending' | 'firing' | 'resolved')[];
  /** Clock for the summary (ms). Default Date.now. */
  readonly now?: () => number;
}

/** What the console sink has seen so far. */
export interface ConsoleSummary {
  readonly series: number;
  readonly samples: number;
  readonly samplesPerSecond: number;
  readonly firing: readonly string[];
}

/**
 * The live view on a terminal: one line per alert transition as it happens, one per verdict on an
 * injected fault (recovered, not recovered, or the stream ended first: formatRecoveryLine; its start
 * and end are printed by the fault runner, with what it did), and every
 * `summaryEveryMs` a summary line: series seen (by their stats), samples per second since the
 * last summary, and the rules firing right now. Writes are acknowledged at once.
 */
export class ConsoleSink implements Sink {
  readonly name = 'console';
  private readonly out: { write(text: string): unknown };
  private readonly now: () => number;
  private readonly states: ReadonlySet<string>;
  private readonly book = new AlertBook();
  private samples = 0;
  private samplesAtLast = 0;
  private lastSummary: number;
  private readonly timer: NodeJS.Timeout | null;

  constructor(options: ConsoleSinkOptions = {}) {
    this.out = options.out ?? process.stderr;
    this.now = options.now ?? Date.now;
    this.states = new Set(options.states ?? ['pending', 'firing', 'resolved']);
    this.lastSummary = this.now();
    const every = options.summaryEveryMs ?? 10_000;
    if (!(every >= 0)) throw new RangeError(`console: summaryEveryMs must be ≥ 0, got ${every}`);
    this.timer = every > 0 ? setInterval(() => this.printSummary(), every) : null;
    this.timer?.unref();
  }

  write(records: readonly SinkRecord[]): Promise<void> {
    for (const record of records) {
      if (record.type === 'sample') {
        this.samples++;
        continue;
      }
      this.book.observe(record);
      if (record.type === 'alert' && this.states.has(record.alert.state))
        this.out.write(`${formatAlertLine(record.alert)}\n`);
      else if (record.type === 'recovery' && record.recovery.phase !== 'start' && record.recovery.phase !== 'end')
        this.out.write(`${formatRecoveryLine(record.recovery)}\n`);
    }
    return Promise.resolve();
  }

  /** The numbers of the summary line, and resets the samples/s window. */
  summary(): ConsoleSummary {
    const now = this.now();
    const seconds = Math.max(1e-3, (now - this.lastSummary) / 1000);
    const result = {
      series: this.book.series,
      samples: this.samples,
      samplesPerSecond: (this.samples - this.samplesAtLast) / seconds,
      firing: this.book.firing.map((alert) => alert.rule).sort(),
    };
    this.lastSummary = now;
    this.samplesAtLast = this.samples;
    return result;
  }

  /** Writes the summary line. */
  printSummary(): void {
    const s = this.summary();
    const counts = new Map<string, number>();
    for (const rule of s.firing) counts.set(rule, (counts.get(rule) ?? 0) + 1);
    const firing =
      s.firing.length === 0
        ? 'none firing'
        : `firing ${s.firing.length}: ${[...counts].map(([rule, n]) => (n > 1 ? `${rule} ×${n}` : rule)).join(', ')}`;
    this.out.write(
      `[soakstream] ${s.series.toLocaleString('en-US')} series · ${s.samples.toLocaleString('en-US')} samples ` +
        `(${Math.round(s.samplesPerSecond).toLocaleString('en-US')}/s) · ${firing}\n`,
    );
  }

  close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.printSummary();
    return Promise.resolve();
  }
}
