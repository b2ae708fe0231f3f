/**
 * Tells a load generator to hold back while soakstream cannot keep up (its sinks' queues and the
 * transport are full), and counts what it held back, so that memory stays bounded and the summary
 * says how much load was not generated. The open model skips requests that fall due meanwhile (an
 * open model never queues them up); the closed model's virtual users wait.
 */
export class HoldBack {
  /** Requests of the open model not sent. */
  skipped = 0;
  /** Time virtual users of the closed model spent waiting, ms (summed over users). */
  waitedMs = 0;

  constructor(
    /** True while the load should hold back. */
    readonly active: () => boolean,
  ) {}
}
