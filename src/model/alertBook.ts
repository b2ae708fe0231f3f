import type { Alert } from '../model/alert.js';
import type { AnalysisEvent } from '../model/events.js';

/**
 * Keeps what a run's summary needs from the analysis events: every alert transition, the alerts
 * firing now (by alert id), the series seen, the count of late samples dropped, and the samples the
 * series limit turned away.
 */
export class AlertBook {
  readonly alerts: Alert[] = [];
  private readonly firingNow = new Map<string, Alert>();
  private readonly seriesSeen = new Set<string>();
  private lateSamples = 0;
  private overLimit: { samples: number; first: string | null; limit: string } | null = null;

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
        if (event.diagnostic.kind === 'late') this.lateSamples = event.diagnostic.count;
        if (event.diagnostic.kind === 'series-limit') {
          const { count, series, message } = event.diagnostic;
          this.overLimit = {
            samples: count,
            // The first report names the first series turned away.
            first: this.overLimit?.first ?? series ?? null,
            limit: /^series limit of \d+/.exec(message)?.[0] ?? 'series limit',
          };
        }
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

  get late(): number {
    return this.lateSamples;
  }

  /**
   * Samples not analysed because the series limit was reached, and the first series turned away:
   * `42 samples of series past the series limit of 10000 not analysed (first: m{a=b})`; null when none.
   */
  get notAnalysed(): string | null {
    if (this.overLimit === null) return null;
    const { samples, first, limit } = this.overLimit;
    return (
      `${samples.toLocaleString('en-US')} samples of series past the ${limit} not analysed` +
      `${first === null ? '' : ` (first: ${first})`}`
    );
  }
}
