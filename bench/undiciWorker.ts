// The floor under soakstream's load generator for the load benchmark: undici's dispatch from 50
// back-to-back users with a no-op handler and no samples. Prints {"requests": N, "seconds": S}.
import { performance } from 'node:perf_hooks';
import { Pool, type Dispatcher } from 'undici';

const [url, connections, seconds] = process.argv.slice(2);
if (url === undefined || connections === undefined || seconds === undefined) {
  console.error('usage: undiciWorker.ts <url> <connections> <seconds>');
  process.exit(2);
}
const target = new URL(url);
const pool = new Pool(target.origin, { connections: Number(connections) });
const options: Dispatcher.DispatchOptions = {
  origin: target.origin,
  path: target.pathname,
  method: 'GET',
  headersTimeout: 10_000,
  bodyTimeout: 10_000,
};
const noop = (done: () => void): Dispatcher.DispatchHandler =>
  ({
    onConnect: () => undefined,
    onHeaders: () => true,
    onData: () => true,
    onComplete: done,
    onError: done,
  }) as unknown as Dispatcher.DispatchHandler;
const started = performance.now();
const end = started + Number(seconds) * 1000;
let requests = 0;
const user = async (): Promise<void> => {
  while (performance.now() < end) {
    await new Promise<void>((resolve) => pool.dispatch(options, noop(resolve)));
    requests++;
  }
};
await Promise.all(Array.from({ length: Number(connections) }, user));
console.log(JSON.stringify({ requests, seconds: (performance.now() - started) / 1000 }));
await pool.close();
