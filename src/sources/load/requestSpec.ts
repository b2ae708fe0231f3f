import type { Dispatcher } from 'undici';

/** One request of a load mix. */
export interface RequestSpec {
  /** Name of the request; becomes the `request` tag. */
  readonly name: string;
  readonly url: string;
  readonly method?: Dispatcher.HttpMethod;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Relative weight in the mix. Default 1. */
  readonly weight?: number;
  /** Statuses that count as success. Default: 200–399. */
  readonly expectStatus?: readonly number[];
  /** Per-request timeout in milliseconds. Default 10,000. */
  readonly timeoutMs?: number;
}

/** How a request failed: no response in time, no connection, an unexpected status, or anything else. */
export type RequestErrorKind = 'timeout' | 'connect' | 'status' | 'other';
