// Runs soakstream's closed-model load generator in its own process for the load benchmark and
// prints {"requests": N, "seconds": S, "failed": F} on stdout.
import { performance } from 'node:perf_hooks';
import { closedModelLoad } from '../src/sources/load/closedModelLoad.js';

const [url, connections, seconds] = process.argv.slice(2);
if (url === undefined || connections === undefined || seconds === undefined) {
  console.error('usage: loadgenWorker.ts <url> <connections> <seconds>');
  process.exit(2);
}
let requests = 0;
let failed = 0;
const started = performance.now();
closedModelLoad({
  requests: [{ name: 'noop', url }],
  steps: [{ concurrency: Number(connections), durationMs: Number(seconds) * 1000 }],
}).subscribe({
  next: (sample) => {
    if (sample.metric === 'http_req_duration') requests++;
    else if (sample.metric === 'http_req_failed' && sample.value !== 0) failed++;
  },
  error: (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
  complete: () => {
    console.log(JSON.stringify({ requests, seconds: (performance.now() - started) / 1000, failed }));
  },
});
