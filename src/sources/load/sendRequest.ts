import { request, type Dispatcher } from 'undici';
import type { RequestErrorKind, RequestSpec } from './requestSpec.js';

/** Outcome of one request: its status (0 without a response) and the error kind, if it failed. */
export interface RequestOutcome {
  readonly status: number;
  readonly error: RequestErrorKind | null;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'EPIPE']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** Classifies a failed request by its error code (undici and Node.js socket codes). */
export function classifyRequestError(error: unknown): RequestErrorKind {
  const e = error as { code?: string; name?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || TIMEOUT_CODES.has(code)) return 'timeout';
  if (CONNECT_CODES.has(code)) return 'connect';
  return 'other';
}

/**
 * Sends one request with undici through `dispatcher`, reads and discards the body, and
 * classifies the outcome: the expected statuses (default 200–399) succeed; other statuses are
 * 'status' errors; no response within `timeoutMs` is 'timeout'; refused or reset connections are
 * 'connect'. Never throws for a failed request.
 */
export async function sendRequest(dispatcher: Dispatcher, spec: RequestSpec): Promise<RequestOutcome> {
  try {
    const response = await request(spec.url, {
      dispatcher,
      method: spec.method ?? 'GET',
      ...(spec.headers !== undefined ? { headers: spec.headers } : {}),
      ...(spec.body !== undefined ? { body: spec.body } : {}),
      signal: AbortSignal.timeout(spec.timeoutMs ?? 10_000),
    });
    await response.body.dump();
    const status = response.statusCode;
    const ok = spec.expectStatus !== undefined ? spec.expectStatus.includes(status) : status >= 200 && status < 400;
    return { status, error: ok ? null : 'status' };
  } catch (error) {
    return { status: 0, error: classifyRequestError(error) };
  }
}
