import { maskUrlPasswords } from '../model/secrets.js';
import { Subject } from 'rxjs';
import { SinkMonitor } from './sinkMonitor.js';
import type { SinkStatus } from './sinkQueue.js';

/** Where a command's output goes: notes and alerts on stderr, the summary on stdout, a live status line on a TTY. */
export interface Terminal {
  readonly isTTY: boolean;
  /** A note (stderr). */
  line(text: string): void;
  /** An alert line (stderr). */
  alert(text: string): void;
  /** The same, as a stream for the console sink. */
  readonly alertOut: { write(text: string): unknown };
  /** A line of the final summary (stdout). */
  summary(text: string): void;
  /** The live status: rewritten in place on a TTY; otherwise printed as a plain line. */
  status(text: string): void;
  /** Removes the live status line. */
  clearStatus(): void;
}

/** The process's terminal: stderr for notes, alerts and status; stdout for the summary. */
export function processTerminal(
  stderr: NodeJS.WriteStream = process.stderr,
  stdout: NodeJS.WriteStream = process.stdout,
): Terminal {
  const isTTY = stderr.isTTY === true;
  let statusShown = false;
  const clearStatus = (): void => {
    if (statusShown) stderr.write('\r\x1b[K');
    statusShown = false;
  };
  // No URL password reaches the terminal, whichever line carries it.
  const note = (line: string): void => {
    clearStatus();
    const text = maskUrlPasswords(line);
    stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  };
  return {
    isTTY,
    line: note,
    alert: note,
    alertOut: { write: (text: string) => note(text) },
    summary: (text) => {
      clearStatus();
      stdout.write(`${maskUrlPasswords(text)}\n`);
    },
    status: (line) => {
      const text = maskUrlPasswords(line);
      if (!isTTY) {
        stderr.write(`${text}\n`);
        return;
      }
      const width = Math.max(20, (stderr.columns ?? 100) - 1);
      stderr.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      statusShown = true;
    },
    clearStatus,
  };
}

const clock = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
};

/** What the live status shows, read every second. */
export interface ProgressState {
  readonly samples: number;
  readonly firing: readonly string[];
  /** The sinks: a backlog or failures show in the line, and a sink that starts failing or recovers gets a line. */
  readonly sinks?: readonly SinkStatus[];
  /** Shown instead of the rate while nothing is happening yet, e.g. "joining group g…". */
  readonly waiting?: string;
}

/**
 * The live status of a run: stage, elapsed / remaining, samples/s, firing alerts and sinks that
 * are behind. Updated every second; on a TTY it rewrites one line, otherwise it prints a line
 * every `plainEveryMs`.
 */
export class Progress {
  private readonly started = performance.now();
  private lastAt = this.started;
  private lastSamples = 0;
  private lastPrinted = -Infinity;
  private readonly sinks: SinkMonitor;

  constructor(
    private readonly terminal: Terminal,
    private readonly plan: { readonly durationMs: number | null; readonly stages: readonly number[] },
    private readonly plainEveryMs = 10_000,
  ) {
    this.sinks = new SinkMonitor((line) => terminal.line(line));
  }

  /** The status line for this moment (also used by tests). */
  line(now: number, samples: number, firing: readonly string[]): string {
    const elapsedMs = now - this.started;
    const rate = now > this.lastAt ? ((samples - this.lastSamples) / (now - this.lastAt)) * 1000 : 0;
    let stage = '';
    if (this.plan.stages.length > 0) {
      let end = 0;
      let index = this.plan.stages.length;
      for (let i = 0; i < this.plan.stages.length; i++) {
        end += this.plan.stages[i] as number;
        if (elapsedMs < end) {
          index = i + 1;
          break;
        }
      }
      stage = `stage ${Math.min(index, this.plan.stages.length)}/${this.plan.stages.length} · `;
    }
    const time =
      this.plan.durationMs === null
        ? clock(elapsedMs / 1000)
        : `${clock(elapsedMs / 1000)} / ${clock(this.plan.durationMs / 1000)} ` +
          `(${clock((this.plan.durationMs - elapsedMs) / 1000)} left)`;
    const alerts =
      firing.length === 0 ? 'no alerts firing' : `${firing.length} firing: ${[...new Set(firing)].join(', ')}`;
    return `${stage}${time} · ${Math.round(rate).toLocaleString('en-US')} samples/s · ${alerts}`;
  }

  update(state: ProgressState): void {
    const now = performance.now();
    if (state.sinks !== undefined) this.sinks.observe(state.sinks);
    const text =
      state.waiting !== undefined
        ? `${clock((now - this.started) / 1000)} · ${state.waiting}`
        : this.line(now, state.samples, state.firing) +
          (state.sinks !== undefined ? this.sinks.statusOf(state.sinks) : '');
    this.lastAt = now;
    this.lastSamples = state.samples;
    if (this.terminal.isTTY || now - this.lastPrinted >= this.plainEveryMs) {
      this.terminal.status(text);
      this.lastPrinted = now;
    }
  }

  done(): void {
    this.terminal.clearStatus();
  }

  /**
   * The live status of a scenario's run, updated every second from `state` until the returned
   * function is called (which also clears the status line).
   */
  static start(
    terminal: Terminal,
    plan: { readonly durationMs: number | null; readonly stages: readonly number[] },
    state: () => ProgressState,
  ): () => void {
    const progress = new Progress(terminal, plan);
    const ticker = setInterval(() => progress.update(state()), 1000);
    return () => {
      clearInterval(ticker);
      progress.done();
    };
  }
}

/**
 * A Subject that completes on the first Ctrl-C (SIGINT/SIGTERM): the run stops and writes what it
 * has; a second one exits at once with 130.
 */
export function stopOnSignal(say: (line: string) => void): Subject<void> {
  const stop = new Subject<void>();
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) process.exit(130);
    signalled = true;
    say(`${signal}: stopping; writing the report and recording (press Ctrl-C again to quit at once)`);
    stop.next();
    stop.complete();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return stop;
}

/** The terminal of a long-running command and the stop signal its Ctrl-C sends. */
export function interactive(): { terminal: Terminal; stop: Subject<void> } {
  const terminal = processTerminal();
  return { terminal, stop: stopOnSignal((line) => terminal.line(line)) };
}
