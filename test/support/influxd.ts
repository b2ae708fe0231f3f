import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './net.js';

const INFLUXD = '/usr/bin/influxd';

/** Why InfluxDB integration tests skip, in one line, or null when they can run. */
export function influxdSkipReason(): string | null {
  return existsSync(INFLUXD) ? null : 'InfluxDB is needed for these tests: apt-get install -y influxdb (Debian, 1.6.7)';
}

/** A real influxd on loopback in a temp dir, and a shim that adds the 2.x write endpoint in front of it. */
export interface InfluxServer {
  /** The influxd itself: /ping, /write, /query (InfluxQL). */
  readonly directUrl: string;
  /** influxd plus POST /api/v2/write (what @influxdata/influxdb-client uses), as InfluxDB 1.8+ has. */
  readonly url: string;
  /** Runs an InfluxQL query; returns the parsed JSON of /query. */
  query(q: string, db?: string): Promise<InfluxQueryResult>;
  /** Creates a database (InfluxQL CREATE DATABASE). */
  createDatabase(name: string): Promise<void>;
  /**
   * Makes the shim answer every write with this status (0: pass through) or stall (-1: hold
   * requests until set back).
   */
  failWrites(status: number): void;
  /** Makes the shim hold every write this long before passing it on (0: at once): a slow server. */
  delayWrites(ms: number): void;
  /** Stops influxd itself (an outage: the shim answers 502) until {@link startServer}. */
  stopServer(): Promise<void>;
  /** Starts influxd again, on the same port and data directory, and waits until it answers. */
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

export interface InfluxSeries {
  readonly name: string;
  readonly tags?: Record<string, string>;
  readonly columns: string[];
  readonly values: unknown[][];
}
export interface InfluxQueryResult {
  readonly results: { readonly statement_id: number; readonly series?: InfluxSeries[]; readonly error?: string }[];
  readonly error?: string;
}

// InfluxDB 2.x names precisions ns/us/ms/s; the 1.x /write endpoint says n/u/ms/s.
const PRECISION: Record<string, string> = { ns: 'n', us: 'u', ms: 'ms', s: 's' };

/** Starts influxd (meta, data and WAL in a temp dir, reporting off) and the write shim. */
export async function startInfluxd(): Promise<InfluxServer> {
  const dir = mkdtempSync(join(tmpdir(), 'soakstream-influxd-'));
  const [httpPort, bindPort] = [await freePort(), await freePort()];
  writeFileSync(
    join(dir, 'influxdb.conf'),
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${bindPort}"`,
      '[meta]',
      `  dir = "${dir}/meta"`,
      '[data]',
      `  dir = "${dir}/data"`,
      `  wal-dir = "${dir}/wal"`,
      '  query-log-enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${httpPort}"`,
      '  log-enabled = false',
      '[monitor]',
      '  store-enabled = false',
      '[logging]',
      '  level = "error"',
      '',
    ].join('\n'),
  );
  let child: ChildProcess;
  let stderr = '';
  const directUrl = `http://127.0.0.1:${httpPort}`;
  const launch = async (): Promise<void> => {
    const started = spawn(INFLUXD, ['-config', join(dir, 'influxdb.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    started.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    for (let i = 0; ; i++) {
      if (started.exitCode !== null) throw new Error(`influxd exited with ${started.exitCode}: ${stderr}`);
      const ok = await fetch(`${directUrl}/ping`).then(
        (r) => r.status === 204,
        () => false,
      );
      if (ok) break;
      if (i > 200) throw new Error(`influxd did not answer /ping within 20 s: ${stderr}`);
      await sleep(100);
    }
  };
  const halt = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  await launch();

  let failStatus = 0;
  let delayMs = 0;
  const stalled: ServerResponse[] = [];
  const forward = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    const upstream = request(
      `${directUrl}${path}`,
      { method: req.method, headers: { ...req.headers, host: `127.0.0.1:${httpPort}` } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      res.writeHead(502).end(error.message);
    });
    req.pipe(upstream);
  };
  const shim: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://shim');
    if (req.method === 'POST' && url.pathname === '/api/v2/write') {
      if (failStatus === -1) {
        req.resume();
        stalled.push(res);
        return;
      }
      if (failStatus !== 0) {
        req.resume();
        res
          .writeHead(failStatus, { 'content-type': 'application/json' })
          .end(JSON.stringify({ code: 'unavailable', message: `shim: writes fail with ${failStatus}` }));
        return;
      }
      const db = url.searchParams.get('bucket') ?? '';
      const precision = PRECISION[url.searchParams.get('precision') ?? 'ns'] ?? 'n';
      const pass = (): void => forward(req, res, `/write?db=${encodeURIComponent(db)}&precision=${precision}`);
      if (delayMs > 0) setTimeout(pass, delayMs);
      else pass();
      return;
    }
    forward(req, res, req.url ?? '/');
  });
  shim.listen(0, '127.0.0.1');
  await new Promise((resolve) => shim.once('listening', resolve));
  const { port: shimPort } = shim.address() as { port: number };

  const query = async (q: string, db?: string): Promise<InfluxQueryResult> => {
    const params = new URLSearchParams({ q, epoch: 'u', ...(db !== undefined ? { db } : {}) });
    const response = await fetch(`${directUrl}/query`, { method: 'POST', body: params });
    const body = (await response.json()) as InfluxQueryResult;
    if (!response.ok || body.error !== undefined)
      throw new Error(`influxd query failed (${response.status}): ${body.error ?? JSON.stringify(body)}: ${q}`);
    return body;
  };

  return {
    directUrl,
    url: `http://127.0.0.1:${shimPort}`,
    query,
    createDatabase: async (name) => {
      await query(`CREATE DATABASE "${name.replace(/"/g, '\\"')}"`);
    },
    failWrites: (status) => {
      failStatus = status;
      if (status !== -1) for (const res of stalled.splice(0)) res.writeHead(503).end('shim: released');
    },
    delayWrites: (ms) => {
      delayMs = ms;
    },
    stopServer: halt,
    startServer: launch,
    stop: async () => {
      for (const res of stalled.splice(0)) res.destroy();
      shim.closeAllConnections();
      await new Promise((resolve) => shim.close(resolve));
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
