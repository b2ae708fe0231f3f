import type { Alert } from '../model/alert.js';
import type { AnalysisEvent, Diagnostic } from '../model/events.js';

/** Samples the analysis did not use for one reason: how many, from how many series, the first one named. */
export interface NotAnalysed {
  readonly samples: number;
  /** Distinct series they came from (counted up to 10,000; `seriesCapped` past that). */
  readonly series: number;
  readonly seriesCapped: boolean;
  /** The first series concerned. */
  readonly first: string | null;
  /** The bound they crossed, in the diagnostic's words (e.g. the series limit), when it has one. */
  readonly limit: number | null;
}

/** Why samples went unanalysed, as the diagnostics name it. */
export type NotAnalysedReason = 'late' | 'quarantined' | 'series-limit';

const REASONS: readonly NotAnalysedReason[] = ['late', 'quarantined', 'series-limit'];
const MAX_TRACKED_SERIES = 10_000;

/** Counts of one reason, kept from the diagnostics. */
class Tally {
  samples = 0;
  first: string | null = null;
  limit: number | null = null;
  readonly seen = new Set<string>();
  capped = false;

  note(diagnostic: Diagnostic): void {
    this.samples = diagnostic.count;
    this.limit = diagnostic.limit ?? this.limit;
    const series = diagnostic.series;
    if (series === undefined) return;
    this.first ??= series;
    if (this.seen.has(series)) return;
    if (this.seen.size < MAX_TRACKED_SERIES) this.seen.add(series);
    else this.capped = true;
  }

  get result(): NotAnalysed | null {
    return this.samples === 0
      ? null
      : {
          samples: this.samples,
          series: this.seen.size,
          seriesCapped: this.capped,
          first: this.first,
          limit: this.limit,
        };
  }
}

/**
 * Keeps what a run's summary needs from the analysis events: every alert transition, the alerts
 * firing now (by alert id), the series seen, and the samples not analysed: late, quarantined as
 * too far ahead, or turned away by the series limit.
 */
export class AlertBook {
  readonly alerts: Alert[] = [];
  private readonly firingNow = new Map<string, Alert>();
  private readonly seriesSeen = new Set<string>();
  private readonly tallies = new Map<string, Tally>(REASONS.map((reason) => [reason, new Tally()]));

  /**
   * Notes one event; returns the alert when it is a transition worth printing (firing, or resolved
   * after firing: pending alerts that clear before firing are kept but not shown).
   */
  observe(event: AnalysisEvent): Alert | null {
    switch (event.type) {
      case 'alert': {
        const alert = event.alert;
        this.alerts.push(alert);
        // An alert's id names one episode of one rule on one series: pending, firing and resolved share it.
        const wasFiring = this.firingNow.has(alert.id);
        if (alert.state === 'firing') this.firingNow.set(alert.id, alert);
        else this.firingNow.delete(alert.id);
        return alert.state === 'firing' || (alert.state === 'resolved' && wasFiring) ? alert : null;
      }
      case 'stat':
        this.seriesSeen.add(event.stat.series);
        return null;
      case 'diagnostic':
        this.tallies.get(event.diagnostic.kind)?.note(event.diagnostic);
        return null;
      default:
        return null;
    }
  }

  /** Alerts firing now, in the order they started firing. */
  get firing(): Alert[] {
    return [...this.firingNow.values()];
  }

  /** Transitions to firing so far. */
  get fired(): Alert[] {
    return this.alerts.filter((alert) => alert.state === 'firing');
  }

  get series(): number {
    return this.seriesSeen.size;
  }

  /** Samples not analysed, by reason (late, quarantined as too far ahead, past the series limit). */
  notAnalysed(): Partial<Record<NotAnalysedReason, NotAnalysed>> {
    const out: Partial<Record<NotAnalysedReason, NotAnalysed>> = {};
    for (const reason of REASONS) {
      const result = (this.tallies.get(reason) as Tally).result;
      if (result !== null) out[reason] = result;
    }
    return out;
  }
}
