import { Analysis } from '../analysis/analysis.js';
import type { Batches } from '../model/batches.js';
import type { Alert } from '../model/alert.js';
import { AlertBook, type NotAnalysed, type NotAnalysedReason } from '../model/alertBook.js';
import type { AnalysisEvent, FaultRecovery } from '../model/events.js';
import type { Sample } from '../model/sample.js';
import { compileRuleSet } from '../rules/compileRules.js';
import { defaultRuleSet } from '../rules/defaultRules.js';
import type { RuleSet } from '../rules/rule.js';
import type { Sink } from '../sinks/sink.js';
import { Delivery, DeliveryError, type CloseOptions, type DeliveryOptions } from './delivery.js';
import type { SinkStatus } from './sinkQueue.js';

/** Options of a {@link Session}. */
export interface SessionOptions {
  /** The rules to analyse with. Default: the default rules. */
  readonly rules?: RuleSet;
  /** Where samples and analysis events go (none: the session only analyses and keeps its alert book). */
  readonly sinks?: readonly Sink[];
  readonly delivery?: DeliveryOptions;
  /** Told of every alert transition worth showing: firing, and resolved after firing. */
  readonly onAlert?: (alert: Alert) => void;
  /** The wall clock (µs) of a live run: samples too far ahead of it are quarantined. None in replays. */
  readonly now?: () => number;
}

/** What a session saw, for a summary and an exit code. */
export interface SessionSummary {
  readonly samples: number;
  /** Event time of the first and the last sample pushed (null without samples). */
  readonly first: number | null;
  readonly last: number | null;
  readonly series: number;
  /** Every alert transition, in order. */
  readonly alerts: readonly Alert[];
  /** Transitions to firing. */
  readonly fired: readonly Alert[];
  readonly firingAtEnd: readonly Alert[];
  /** Samples not analysed: late, quarantined as too far ahead, past the series limit (see notAnalysedWarnings). */
  readonly notAnalysed: Partial<Record<NotAnalysedReason, NotAnalysed>>;
  /** What each sink stored and lost. */
  readonly sinks: readonly SinkStatus[];
  /** Each fault's latest verdict (recovered, not-recovered, unfinished), in the order the faults started. */
  readonly recoveries: readonly FaultRecovery[];
}

/**
 * What every command that analyses shares (run, analyze, replay, report, test, runScenario): the
 * samples go through one Analysis, and each sample and every event it produces go to the sinks
 * through one Delivery, in that order; one AlertBook keeps the alerts for the summary. A Kafka
 * worker acknowledges a batch once `flush()` resolves; a reader awaits `ready()` so the slowest
 * sink sets the pace (each sink has its own queue); `close()` ends the analysis (its last
 * events), stores everything and closes the sinks. The events of a sample are counted before
 * `push` returns.
 */
export class Session {
  readonly book = new AlertBook();
  private readonly analysis: Analysis;
  private readonly delivery: Delivery | null;
  private readonly onAlert: ((alert: Alert) => void) | undefined;
  private count = 0;
  /** Each fault's latest verdict, by group, fault and occurrence. */
  private readonly recoveries = new Map<string, FaultRecovery>();
  private first: number | null = null;
  private last: number | null = null;

  constructor(options: SessionOptions = {}) {
    this.analysis = new Analysis(
      compileRuleSet(options.rules ?? defaultRuleSet()),
      options.now !== undefined ? { now: options.now } : {},
    );
    const sinks = options.sinks ?? [];
    this.delivery = sinks.length > 0 ? new Delivery(sinks, options.delivery) : null;
    this.onAlert = options.onAlert;
  }

  /** Samples pushed so far. */
  get samples(): number {
    return this.count;
  }

  /** The first sink failure, if any: a caller stops feeding the session once there is one. */
  get error(): DeliveryError | null {
    return this.delivery?.error ?? null;
  }

  /** What each sink is doing: queued, stored, lost, retrying. */
  sinkStatuses(): SinkStatus[] {
    return this.delivery?.statuses() ?? [];
  }

  /** Analyses one sample; the sample and its events are on their way to the sinks when this returns. */
  push(sample: Sample): void {
    this.count++;
    this.first ??= sample.ts;
    this.last = sample.ts;
    this.delivery?.push({ type: 'sample', sample });
    this.record(this.analysis.push(sample));
  }

  /** A promise to wait for while a sink is behind (its queue is full), else undefined. */
  ready(): Promise<void> | undefined {
    return this.delivery?.ready();
  }

  /** Resolves when everything pushed so far is stored by every sink; rejects with the first sink failure. */
  flush(): Promise<void> {
    return this.delivery?.flush() ?? Promise.resolve();
  }

  /**
   * Ends the analysis (idle series flush their last events), stores everything (within
   * `options.graceMs`, when given) and closes every sink, even when one fails (the first failure
   * is rethrown, as a DeliveryError saying what each sink lost). Call once.
   */
  async close(options: CloseOptions = {}): Promise<SessionSummary> {
    this.record(this.analysis.end());
    await this.delivery?.close(options);
    return this.summary();
  }

  /** Closes the sinks without ending the analysis (a failed source); never throws. */
  async abort(): Promise<void> {
    await this.delivery?.close().catch(() => undefined);
  }

  /** What the session has seen so far. */
  summary(): SessionSummary {
    const book = this.book;
    return {
      samples: this.count,
      first: this.first,
      last: this.last,
      series: book.series,
      alerts: book.alerts,
      fired: book.fired,
      firingAtEnd: book.firing,
      notAnalysed: book.notAnalysed(),
      sinks: this.sinkStatuses(),
      recoveries: [...this.recoveries.values()],
    };
  }

  /** A fault's start makes its entry (unfinished until a verdict); a verdict replaces it. */
  private keepVerdict(recovery: FaultRecovery): void {
    const key = `${recovery.series}\u0000${recovery.fault}\u0000${recovery.occurrence}`;
    if (recovery.phase === 'start' || recovery.phase === 'end') {
      const prior = this.recoveries.get(key);
      if (prior === undefined || prior.phase === 'unfinished')
        this.recoveries.set(key, { ...recovery, phase: 'unfinished' });
      return;
    }
    this.recoveries.set(key, recovery);
  }

  private record(events: readonly AnalysisEvent[]): void {
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as AnalysisEvent;
      this.delivery?.push(event);
      if (event.type === 'recovery') this.keepVerdict(event.recovery);
      const shown = this.book.observe(event);
      if (shown !== null) this.onAlert?.(shown);
    }
  }
}

/**
 * Feeds batches of samples (readers' blocks and chunks) through a session and closes it, as
 * {@link analyzeAll} does, awaiting once per batch rather than once per sample. When the source
 * fails, what it yielded before is analysed, stored and summarised (`onSummary`), then the error
 * is rethrown.
 */
export async function analyzeBatches(
  batches: Batches<Sample>,
  session: Session,
  progress?: SessionProgress,
  onSummary?: (summary: SessionSummary) => void,
): Promise<SessionSummary> {
  try {
    await feedBatches(batches, session, { ...(progress !== undefined ? { progress } : {}) });
  } catch (error) {
    // A source that fails (a corrupt recording) has yielded every intact sample first: their
    // results are stored (reports, NDJSON outputs) and summarised before the error goes on. A
    // failed sink aborts.
    if (error instanceof DeliveryError || session.error !== null) await session.abort();
    else {
      const summary = await session.close().catch(() => null);
      if (summary !== null) onSummary?.(summary);
    }
    throw error;
  }
  const summary = await session.close();
  onSummary?.(summary);
  return summary;
}

/** Options of {@link feedBatches}. */
export interface FeedOptions {
  /** Called every 16,384 samples with the count so far and the latest event time. */
  readonly progress?: SessionProgress;
  /** Whether to wait while a sink is behind; default always. A stopping run stops waiting. */
  readonly waitForSinks?: () => boolean;
}

/**
 * Pushes every batch through a session, waiting while a sink's queue is full, until the batches
 * end; throws the first sink failure. Does not close the session (the caller decides how).
 */
export async function feedBatches(
  batches: Batches<Sample>,
  session: Session,
  options: FeedOptions = {},
): Promise<void> {
  let nextCheckpoint = CHECKPOINT;
  for await (const batch of batches) {
    for (let i = 0; i < batch.length; i++) session.push(batch[i] as Sample);
    if (session.samples >= nextCheckpoint && batch.length > 0) {
      nextCheckpoint = session.samples + CHECKPOINT;
      options.progress?.(session.samples, (batch[batch.length - 1] as Sample).ts);
    }
    if (options.waitForSinks?.() !== false) {
      const waiting = session.ready();
      if (waiting !== undefined) await waiting;
    }
    if (session.error !== null) throw session.error;
  }
}

// Every 16,384 samples: report progress, let the sinks catch up, stop on a sink failure.
const CHECKPOINT = 16_384;

async function checkpoint(session: Session, ts: number, progress: SessionProgress | undefined): Promise<void> {
  progress?.(session.samples, ts);
  const waiting = session.ready();
  if (waiting !== undefined) await waiting;
  if (session.error !== null) throw session.error;
}

/** Progress of {@link analyzeAll}: samples so far and the event time of the latest. */
export type SessionProgress = (samples: number, ts: number) => void;

/**
 * Feeds a sync or async sample sequence (recordings as they are read) through a session and
 * closes it: the summary, or the first failure of the source, the analysis or a sink (the sinks
 * are closed either way). `progress` is called every 16,384 samples, when the sinks are also
 * given the chance to catch up.
 */
export async function analyzeAll(
  samples: Iterable<Sample> | AsyncIterable<Sample>,
  session: Session,
  progress?: SessionProgress,
): Promise<SessionSummary> {
  try {
    if (Symbol.iterator in samples) {
      // A sync sequence is read without a promise per sample.
      for (const sample of samples) {
        session.push(sample);
        if (session.samples % CHECKPOINT === 0) await checkpoint(session, sample.ts, progress);
      }
    } else {
      for await (const sample of samples) {
        session.push(sample);
        if (session.samples % CHECKPOINT === 0) await checkpoint(session, sample.ts, progress);
      }
    }
  } catch (error) {
    await session.abort();
    throw error;
  }
  return session.close();
}
