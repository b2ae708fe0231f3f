import { Agent, Pool, type Dispatcher } from 'undici';
import type { RequestErrorKind, RequestSpec } from './requestSpec.js';

/** Outcome of one request: its status (0 without a response) and the error kind, if it failed. */
export interface RequestOutcome {
  readonly status: number;
  readonly error: RequestErrorKind | null;
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'EPIPE',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** Classifies a failed request by its error code (undici and Node.js socket codes). */
export function classifyRequestError(error: unknown): RequestErrorKind {
  const e = error as { code?: string; name?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || TIMEOUT_CODES.has(code)) return 'timeout';
  if (CONNECT_CODES.has(code)) return 'connect';
  return 'other';
}

interface Prepared {
  readonly options: Dispatcher.DispatchOptions;
  readonly isOk: (status: number) => boolean;
  /** Timeout that needs its own timer (undici's shared timers tick about once a second). */
  readonly shortTimeout: number | null;
}

/** The error a request gets when its own short timeout fires. */
class RequestTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

// Each spec's URL is parsed once; a load run sends it millions of times.
const prepared = new WeakMap<RequestSpec, Prepared>();

const prepare = (spec: RequestSpec): Prepared => {
  let ready = prepared.get(spec);
  if (ready === undefined) {
    const url = new URL(spec.url);
    const timeout = spec.timeoutMs ?? 10_000;
    const expected = spec.expectStatus;
    ready = {
      options: {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: spec.method ?? 'GET',
        ...(spec.headers !== undefined ? { headers: spec.headers } : {}),
        ...(spec.body !== undefined ? { body: spec.body } : {}),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      },
      isOk: expected !== undefined ? (status) => expected.includes(status) : (status) => status >= 200 && status < 400,
      shortTimeout: timeout < 1000 ? timeout : null,
    };
    prepared.set(spec, ready);
  }
  return ready;
};

// Outcomes are immutable and few: one object per status (and per error kind) serves every request.
const successes = new Map<number, RequestOutcome>();
const statusErrors = new Map<number, RequestOutcome>();
const failures = new Map<RequestErrorKind, RequestOutcome>();

const outcomeOf = (status: number, ok: boolean): RequestOutcome => {
  const cache = ok ? successes : statusErrors;
  let outcome = cache.get(status);
  if (outcome === undefined) {
    outcome = Object.freeze({ status, error: ok ? null : ('status' as const) });
    cache.set(status, outcome);
  }
  return outcome;
};

const failureOf = (kind: RequestErrorKind): RequestOutcome => {
  let outcome = failures.get(kind);
  if (outcome === undefined) {
    outcome = Object.freeze({ status: 0, error: kind });
    failures.set(kind, outcome);
  }
  return outcome;
};

/** Receives one response: a plain object with prototype methods, so a request allocates little. */
class ResponseHandler {
  private status = 0;
  private settled = false;
  private abort: ((reason: Error) => void) | null = null;
  private readonly timer: NodeJS.Timeout | null;

  constructor(
    private readonly resolve: (outcome: RequestOutcome) => void,
    private readonly isOk: (status: number) => boolean,
    shortTimeout: number | null,
  ) {
    this.timer = shortTimeout === null ? null : setTimeout(() => this.timeout(shortTimeout), shortTimeout);
  }

  onConnect(abort: (reason: Error) => void): void {
    // Timed out while still queued in the pool: never send it.
    if (this.settled) abort(new RequestTimeoutError('timed out before it was sent'));
    else this.abort = abort;
  }

  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    return true;
  }

  onData(): boolean {
    return true;
  }

  onComplete(): void {
    this.settle(outcomeOf(this.status, this.isOk(this.status)));
  }

  onError(error: Error): void {
    this.settle(failureOf(classifyRequestError(error)));
  }

  private timeout(ms: number): void {
    if (this.abort !== null) this.abort(new RequestTimeoutError(`no response within ${ms} ms`));
    else this.settle(failureOf('timeout'));
  }

  private settle(outcome: RequestOutcome): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.resolve(outcome);
  }
}

/**
 * Sends one request through an undici dispatcher (`dispatch` with a plain handler: the body is
 * discarded as it arrives, no stream objects per request) and classifies the outcome: the
 * expected statuses (default 200–399) succeed; other statuses are 'status' errors; no response
 * within `timeoutMs` is 'timeout' (undici's headers and body timeouts, whose shared timers tick
 * about once a second; a timeout under a second gets its own timer); refused or reset
 * connections are 'connect'. Never rejects.
 */
export function sendRequest(dispatcher: Dispatcher, spec: RequestSpec): Promise<RequestOutcome> {
  const { options, isOk, shortTimeout } = prepare(spec);
  return new Promise<RequestOutcome>((resolve) => {
    const handler = new ResponseHandler(resolve, isOk, shortTimeout);
    try {
      dispatcher.dispatch(options, handler as unknown as Dispatcher.DispatchHandler);
    } catch (error) {
      handler.onError(error as Error);
    }
  });
}

/**
 * The dispatcher a load run owns when none is given: a Pool when every request goes to one
 * origin (the common case; it skips the Agent's per-request origin lookup), an Agent otherwise;
 * at most `connections` connections per origin either way.
 */
export function loadDispatcher(requests: readonly RequestSpec[], connections: number): Pool | Agent {
  const origins = new Set(requests.map((spec) => new URL(spec.url).origin));
  const [only] = origins;
  return origins.size === 1 && only !== undefined ? new Pool(only, { connections }) : new Agent({ connections });
}
