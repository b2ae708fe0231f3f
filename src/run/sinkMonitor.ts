import type { SinkStatus } from './sinkQueue.js';
import { describeSink } from './sinkQueue.js';

const count = (n: number): string => n.toLocaleString('en-US');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * Watches the sinks of a live command and says when one starts failing and when it recovers, as
 * it happens (a line each), so an outage is never silent; {@link SinkMonitor.statusOf} gives the
 * status-line part for sinks that are behind or failing.
 */
export class SinkMonitor {
  // Since when each sink (by position) has been failing, as last seen.
  private readonly failingSince = new Map<number, number>();
  private readonly failed = new Set<number>();

  constructor(
    private readonly say: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Compares with the statuses seen last and prints what changed. */
  observe(statuses: readonly SinkStatus[]): void {
    statuses.forEach((status, i) => {
      const since = this.failingSince.get(i);
      if (status.error !== null) {
        if (!this.failed.has(i)) this.failed.add(i);
        this.failingSince.delete(i);
        return;
      }
      if (status.trouble !== null && since === undefined) {
        this.failingSince.set(i, status.trouble.since);
        this.say(
          `${describeSink(status)}: writes failing (${status.trouble.reason}); retrying, ` +
            `${count(status.queued)} records queued`,
        );
      } else if (status.trouble === null && since !== undefined) {
        this.failingSince.delete(i);
        this.say(
          `${describeSink(status)}: writes succeed again after ${seconds(this.now() - since)}; ` +
            `${count(status.queued)} records queued to catch up`,
        );
      }
    });
  }

  /** " · influxdb: 4,210 queued, failing for 12.0 s" for each sink that is failing or has a backlog; else "". */
  statusOf(statuses: readonly SinkStatus[], backlog = 10_000): string {
    const parts: string[] = [];
    for (const status of statuses) {
      if (status.error !== null) parts.push(`${status.name}: failed, ${count(status.lost)} not stored`);
      else if (status.trouble !== null)
        parts.push(
          `${status.name}: ${count(status.queued)} queued, failing for ${seconds(this.now() - status.trouble.since)}`,
        );
      else if (status.queued >= backlog) parts.push(`${status.name}: ${count(status.queued)} queued`);
    }
    return parts.length === 0 ? '' : ` · ${parts.join(' · ')}`;
  }
}
