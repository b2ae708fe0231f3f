import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { median } from '../src/stats/median.js';

const run = promisify(execFile);

/** Options of the load-generator benchmark. */
export interface LoadgenBenchOptions {
  readonly connections?: number;
  readonly seconds?: number;
  /** Rounds, each running every tool once. Default 5. */
  readonly rounds?: number;
}

const SERVER = `
require('node:http').createServer((req, res) => res.end('ok')).listen(0, '127.0.0.1', function () {
  process.stdout.write(this.address().port + '\\n');
});`;

/** Starts a no-op HTTP server (every request answered "ok") in a process of its own; kill the child to stop it. */
export async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${chunk.toString().trim()}/`, child };
}

async function nodeWorker(script: string, url: string, connections: number, seconds: number): Promise<number> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', script, url, String(connections), String(seconds)],
    { maxBuffer: 1 << 20 },
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1) as string) as {
    requests: number;
    seconds: number;
    failed?: number;
  };
  if ((result.failed ?? 0) > 0) console.log(`  (${script} saw ${result.failed} failed requests)`);
  return result.requests / result.seconds;
}

const soakstream = (url: string, connections: number, seconds: number): Promise<number> =>
  nodeWorker('bench/loadgenWorker.ts', url, connections, seconds);
const undiciFloor = (url: string, connections: number, seconds: number): Promise<number> =>
  nodeWorker('bench/undiciWorker.ts', url, connections, seconds);

async function autocannon(url: string, connections: number, seconds: number): Promise<number> {
  const { stdout } = await run(
    'node_modules/.bin/autocannon',
    ['-c', String(connections), '-d', String(seconds), '-j', url],
    { maxBuffer: 16 << 20 },
  );
  const result = JSON.parse(stdout) as { requests: { total: number }; duration: number };
  return result.requests.total / result.duration;
}

async function wrk(url: string, connections: number, seconds: number): Promise<number | null> {
  if (!existsSync('/usr/bin/wrk')) return null;
  const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, url]);
  const match = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  return match === null ? null : Number(match[1]);
}

type Tool = (url: string, connections: number, seconds: number) => Promise<number | null>;

/**
 * Requests/s against a local no-op HTTP server (its own process), side by side in one run:
 * soakstream's closed-model generator, autocannon (npm), wrk (Debian, one thread) and bare undici
 * dispatch without samples (the floor under soakstream's generator), each in its own process at the
 * same connection count. The server is warmed up first (its JIT would
 * otherwise favour whichever tool runs later). Then every tool runs once per round, in rotated
 * order; each round's ratio compares runs made seconds apart, so load from elsewhere on the
 * machine touches both sides alike. Prints each tool's median and range and the median of the
 * per-round ratios.
 */
export async function runLoadgenBench(options: LoadgenBenchOptions = {}): Promise<void> {
  const connections = options.connections ?? 50;
  const seconds = options.seconds ?? 10;
  const rounds = options.rounds ?? 5;
  const server = await startServer();
  try {
    console.log(
      `load generators: ${connections} connections, ${seconds} s per run, ${rounds} rounds in rotated order, ` +
        `no-op server at ${server.url}`,
    );
    await autocannon(server.url, connections, Math.min(3, seconds));
    const tools: [string, Tool][] = [
      ['soakstream (closed)', soakstream],
      ['autocannon', autocannon],
      ['wrk -t1', wrk],
      ['undici, no samples', undiciFloor],
    ];
    const rates = new Map<string, number[]>(tools.map(([name]) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < tools.length; i++) {
        const [name, measure] = tools[(i + round) % tools.length] as [string, Tool];
        const rate = await measure(server.url, connections, seconds);
        if (rate !== null) rates.get(name)?.push(rate);
      }
      process.stderr.write(`  round ${round + 1}/${rounds} done\n`);
    }
    const fmt = (rate: number): string => Math.round(rate).toLocaleString();
    for (const [name] of tools) {
      const runs = rates.get(name) ?? [];
      const measured =
        runs.length === 0
          ? 'not installed (apt-get install wrk)'.padStart(12)
          : `${fmt(median(runs)).padStart(12)} req/s median (${fmt(Math.min(...runs))}–${fmt(Math.max(...runs))})`;
      console.log(`  ${name.padEnd(22)} ${measured}`);
    }
    const ratio = (other: string): number | null => {
      const ours = rates.get('soakstream (closed)') ?? [];
      const theirs = rates.get(other) ?? [];
      return theirs.length === ours.length && ours.length > 0
        ? median(ours.map((rate, i) => rate / (theirs[i] as number)))
        : null;
    };
    const perRound = (other: string): string =>
      (rates.get('soakstream (closed)') ?? [])
        .map((rate, i) => (rate / (rates.get(other)?.[i] ?? Number.NaN)).toFixed(2))
        .join(', ');
    const vsAutocannon = ratio('autocannon') as number;
    const vsWrk = ratio('wrk -t1');
    console.log(
      `  soakstream / autocannon = ${vsAutocannon.toFixed(2)}× median of rounds ` +
        `(${perRound('autocannon')}; target ≥ 0.9×: ${vsAutocannon >= 0.9 ? 'PASS' : 'FAIL'})`,
    );
    if (vsWrk !== null)
      console.log(`  soakstream / wrk = ${vsWrk.toFixed(2)}× median of rounds (${perRound('wrk -t1')})`);
    const vsBareUndici = ratio('undici, no samples') as number;
    const bareUndiciVsAutocannon = median(
      (rates.get('undici, no samples') ?? []).map((rate, i) => rate / (rates.get('autocannon')?.[i] ?? Number.NaN)),
    );
    console.log(
      `  soakstream / bare undici = ${vsBareUndici.toFixed(2)}×; ` +
        `bare undici / autocannon = ${bareUndiciVsAutocannon.toFixed(2)}×`,
    );
  } finally {
    server.child.kill();
  }
}
