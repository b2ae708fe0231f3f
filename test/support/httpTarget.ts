import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server for load tests: /ok → 200, /fail → 500, /slow?ms=N → 200 after N ms. */
export interface HttpTarget {
  readonly url: string;
  readonly hits: () => number;
  /** Makes every response wait `ms` more until `until` (performance-independent wall clock). */
  stallFor(ms: number): void;
  close(): Promise<void>;
}

export async function startHttpTarget(): Promise<HttpTarget> {
  let hits = 0;
  let stalledUntil = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const delay = Math.max(
      url.pathname === '/slow' ? Number(url.searchParams.get('ms') ?? 0) : 0,
      stalledUntil - Date.now(),
    );
    const respond = (): void => {
      res.statusCode = url.pathname === '/fail' ? 500 : 200;
      res.end('ok');
    };
    if (delay > 0) setTimeout(respond, delay);
    else respond();
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    stallFor: (ms) => {
      stalledUntil = Date.now() + ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
