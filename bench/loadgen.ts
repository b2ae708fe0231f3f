import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Options of the load-generator benchmark. */
export interface LoadgenBenchOptions {
  readonly connections?: number;
  readonly seconds?: number;
}

const SERVER = `
require('node:http').createServer((req, res) => res.end('ok')).listen(0, '127.0.0.1', function () {
  process.stdout.write(this.address().port + '\\n');
});`;

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${chunk.toString().trim()}/`, child };
}

async function soakstream(url: string, connections: number, seconds: number): Promise<number> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/loadgenWorker.ts', url, String(connections), String(seconds)], { maxBuffer: 1 << 20 });
  const result = JSON.parse(stdout.trim().split('\n').at(-1) as string) as { requests: number; seconds: number; failed: number };
  if (result.failed > 0) console.log(`  (soakstream saw ${result.failed} failed requests)`);
  return result.requests / result.seconds;
}

async function autocannon(url: string, connections: number, seconds: number): Promise<number> {
  const { stdout } = await run('node_modules/.bin/autocannon', ['-c', String(connections), '-d', String(seconds), '-j', url], { maxBuffer: 16 << 20 });
  const result = JSON.parse(stdout) as { requests: { total: number }; duration: number };
  return result.requests.total / result.duration;
}

async function wrk(url: string, connections: number, seconds: number): Promise<number | null> {
  if (!existsSync('/usr/bin/wrk')) return null;
  const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, url]);
  const match = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  return match === null ? null : Number(match[1]);
}

/**
 * Requests/s against a local no-op HTTP server (its own process), side by side in one run:
 * soakstream's closed-model generator, autocannon (npm) and wrk (Debian, one thread), each in
 * its own process at the same connection count. The server is warmed up first (its JIT would
 * otherwise favour whichever tool runs later), then every tool runs twice in rotated order and
 * its best run counts. Prints the figures and the ratios.
 */
export async function runLoadgenBench(options: LoadgenBenchOptions = {}): Promise<void> {
  const connections = options.connections ?? 50;
  const seconds = options.seconds ?? 10;
  const server = await startServer();
  try {
    console.log(`load generators: ${connections} connections, ${seconds} s per run, best of 2 runs in rotated order, no-op server at ${server.url}`);
    await autocannon(server.url, connections, Math.min(3, seconds));
    const tools: [string, (url: string, c: number, s: number) => Promise<number | null>][] = [
      ['soakstream (closed)', soakstream],
      ['autocannon', autocannon],
      ['wrk -t1', wrk],
    ];
    const best = new Map<string, number | null>();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < tools.length; i++) {
        const [name, measure] = tools[(i + round) % tools.length] as [string, (url: string, c: number, s: number) => Promise<number | null>];
        const rate = await measure(server.url, connections, seconds);
        const previous = best.get(name);
        best.set(name, rate === null ? null : Math.max(rate, previous ?? 0));
      }
    }
    const row = (name: string): string => {
      const rate = best.get(name) ?? null;
      return `  ${name.padEnd(22)} ${rate === null ? 'not installed (apt-get install wrk)'.padStart(12) : Math.round(rate).toLocaleString().padStart(12)} req/s`;
    };
    for (const [name] of tools) console.log(row(name));
    const ours = best.get('soakstream (closed)') as number;
    const theirs = best.get('autocannon') as number;
    const wrkRate = best.get('wrk -t1') ?? null;
    console.log(`  soakstream / autocannon = ${(ours / theirs).toFixed(2)}× (target ≥ 0.9×)${wrkRate !== null ? `; soakstream / wrk = ${(ours / wrkRate).toFixed(2)}×` : ''}`);
  } finally {
    server.child.kill();
  }
}
