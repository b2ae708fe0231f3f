import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../../src/sources/faults/faultProxy.js';

/** A real HTTP server: /echo answers "ok", /big 150,000 bytes, /slow after 500 ms; it counts requests. */
async function startServer(): Promise<{ server: Server; port: number; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    if (req.url === '/big') res.end(Buffer.alloc(150_000, 'x'));
    else if (req.url === '/slow') setTimeout(() => res.end('late'), 500);
    else res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as AddressInfo).port, requests: () => requests };
}

/** GET through the proxy: the body and how long it took (wall time), or the error code. */
function get(
  port: number,
  path: string,
  timeoutMs = 10_000,
): Promise<{ body: string; ms: number } | { error: string }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ body: Buffer.concat(chunks).toString(), ms: Date.now() - started }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ error: 'TIMEOUT' });
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

describe('FaultProxy: network faults between a client and a real HTTP server', () => {
  let target: Awaited<ReturnType<typeof startServer>>;
  let proxy: FaultProxy;
  beforeEach(async () => {
    target = await startServer();
    proxy = await FaultProxy.start({ targetHost: '127.0.0.1', targetPort: target.port });
  });
  afterEach(async () => {
    await proxy.close();
    await new Promise<void>((resolve) => target.server.close(() => resolve()));
  });

  it('forwards as it is without faults', async () => {
    expect(await get(proxy.port, '/echo')).toMatchObject({ body: 'ok' });
    expect(proxy.stats.connections).toBe(1);
    expect(proxy.stats.bytesForwarded).toBeGreaterThan(0);
  });

  it('adds its latency in each direction: a request and its answer take at least twice the delay', async () => {
    proxy.setFaults({ latencyMs: 150 });
    const delayed = await get(proxy.port, '/echo');
    expect(delayed).toMatchObject({ body: 'ok' });
    // Timers never fire early: the delay is a lower bound whatever the machine's speed.
    expect((delayed as { ms: number }).ms).toBeGreaterThanOrEqual(300);
    // With jitter the byte stream still arrives whole and in order.
    proxy.setFaults({ latencyMs: 20, jitterMs: 20 });
    const big = await get(proxy.port, '/big');
    expect((big as { body: string }).body).toBe('x'.repeat(150_000));
  });

  it('limits the bandwidth: 150,000 bytes at 100,000 bytes/s take at least 1.5 s', async () => {
    proxy.setFaults({ bandwidthBytesPerSecond: 100_000 });
    const slow = await get(proxy.port, '/big');
    expect((slow as { body: string }).body.length).toBe(150_000);
    expect((slow as { ms: number }).ms).toBeGreaterThanOrEqual(1450);
  });

  it('resets new and open connections while the fault is on, and forwards again once it is off', async () => {
    const open = get(proxy.port, '/slow');
    await new Promise((resolve) => setTimeout(resolve, 100));
    proxy.setFaults({ reset: true });
    expect(await open).toEqual({ error: 'ECONNRESET' });
    expect(await get(proxy.port, '/echo')).toEqual({ error: 'ECONNRESET' });
    expect(proxy.stats.resets).toBe(2);
    proxy.setFaults({});
    expect(await get(proxy.port, '/echo')).toMatchObject({ body: 'ok' });
  });

  it('black-holes: accepts, never answers, and the service sees nothing', async () => {
    proxy.setFaults({ blackhole: true });
    expect(await get(proxy.port, '/echo', 300)).toEqual({ error: 'TIMEOUT' });
    expect(target.requests()).toBe(0);
    expect(proxy.stats.blackholed).toBe(1);
  });

  it('names the port it cannot listen on', async () => {
    await expect(
      FaultProxy.start({ targetHost: '127.0.0.1', targetPort: target.port, listenPort: proxy.port }),
    ).rejects.toThrow(`fault proxy: cannot listen on 127.0.0.1:${proxy.port}: EADDRINUSE`);
  });
});
