#!/usr/bin/env node
// The demo target of `npm start` and docker-compose: a small HTTP shop whose faults you choose.
//
//   node examples/demo-target.mjs --port 8089 --leak-kb-per-request 8 --slow-after 40s --slow-by 15ms \
//     --error-burst-after 60s --error-burst-for 10s --error-rate 20%
//
// Routes: GET /health, GET /products, GET /search?q=..., POST /checkout. Faults:
//   --leak-kb-per-request N   every /checkout keeps N KiB forever (a memory leak; 0 = none)
//   --slow-after D --slow-by D    from D after start, /checkout takes this much longer (a regression)
//   --error-burst-after D --error-burst-for D --error-rate P   answers 500 to a fraction of requests
//   --ready-file PATH         appends the epoch ms at which it accepts connections, one line per start
//   --unhealthy-on-restart true   started again (the ready file has an earlier start), it answers 503
//                             to everything, /health included: a service that does not come back
// Every option can also be given as an environment variable (DEMO_PORT, DEMO_LEAK_KB_PER_REQUEST...).
// Prints "demo target listening on http://HOST:PORT" once it accepts connections.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createServer } from 'node:http';

const OPTIONS = {
  port: '8089',
  host: '127.0.0.1',
  'leak-kb-per-request': '0',
  'slow-after': '0s',
  'slow-by': '0ms',
  'error-burst-after': '0s',
  'error-burst-for': '0s',
  'error-rate': '0%',
  'base-latency': '5ms',
  'ready-file': '',
  'unhealthy-on-restart': 'false',
};

function fail(message) {
  console.error(`demo target: ${message}`);
  process.exit(2);
}

function parseArgs(argv) {
  const values = {};
  for (const [name, fallback] of Object.entries(OPTIONS))
    values[name] = process.env[`DEMO_${name.toUpperCase().replaceAll('-', '_')}`] ?? fallback;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(
        `usage: demo-target.mjs ${Object.entries(OPTIONS)
          .map(([k, v]) => `[--${k} ${v}]`)
          .join(' ')}`,
      );
      process.exit(0);
    }
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    if (!(name in OPTIONS))
      fail(
        `unknown option ${JSON.stringify(arg)} (options: ${Object.keys(OPTIONS)
          .map((k) => `--${k}`)
          .join(', ')})`,
      );
    if (i + 1 >= argv.length) fail(`${arg} needs a value`);
    values[name] = argv[++i];
  }
  return values;
}

function milliseconds(name, text) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(String(text).trim());
  if (match === null) fail(`--${name}: expected a duration like 500ms, 30s or 2m, got ${JSON.stringify(text)}`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2]];
}

function fraction(name, text) {
  const match = /^(\d+(?:\.\d+)?)%$/.exec(String(text).trim());
  if (match === null || Number(match[1]) > 100)
    fail(`--${name}: expected a percentage like 20%, got ${JSON.stringify(text)}`);
  return Number(match[1]) / 100;
}

const args = parseArgs(process.argv.slice(2));
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port: expected a port number, got ${JSON.stringify(args.port)}`);
const leakBytes = Number(args['leak-kb-per-request']) * 1024;
if (!(leakBytes >= 0))
  fail(`--leak-kb-per-request: expected a number ≥ 0, got ${JSON.stringify(args['leak-kb-per-request'])}`);
const slowAfter = milliseconds('slow-after', args['slow-after']);
const slowBy = milliseconds('slow-by', args['slow-by']);
const burstAfter = milliseconds('error-burst-after', args['error-burst-after']);
const burstFor = milliseconds('error-burst-for', args['error-burst-for']);
const errorRate = fraction('error-rate', args['error-rate']);
// A burst needs a start, a length and a rate: a start alone would do nothing without saying so.
if (burstAfter > 0 && (burstFor === 0 || errorRate === 0))
  fail('--error-burst-after needs --error-burst-for and --error-rate (e.g. --error-burst-for 10s --error-rate 20%)');
if (burstFor > 0 && errorRate === 0) fail('--error-burst-for needs --error-rate (e.g. --error-rate 20%)');
const baseLatency = milliseconds('base-latency', args['base-latency']);

const readyFile = args['ready-file'];
if (!['true', 'false'].includes(args['unhealthy-on-restart']))
  fail(`--unhealthy-on-restart: expected true or false, got ${JSON.stringify(args['unhealthy-on-restart'])}`);
if (args['unhealthy-on-restart'] === 'true' && readyFile === '') fail('--unhealthy-on-restart needs --ready-file');
const restarted = readyFile !== '' && existsSync(readyFile) && readFileSync(readyFile, 'utf8').trim() !== '';
const unhealthy = restarted && args['unhealthy-on-restart'] === 'true';

const started = performance.now();
const leaked = [];
const products = Array.from({ length: 50 }, (_, i) => ({
  id: i + 1,
  name: `product ${i + 1}`,
  price: 5 + ((i * 37) % 95),
}));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// Service time: the base latency with ±40% uniform jitter.
const jittered = (ms) => ms * (0.6 + 0.8 * Math.random());

function send(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

async function handle(request, response) {
  const elapsed = performance.now() - started;
  const url = new URL(request.url ?? '/', 'http://demo');
  if (unhealthy) return send(response, 503, { error: 'started again unhealthy (--unhealthy-on-restart)' });
  if (url.pathname === '/health')
    return send(response, 200, {
      ok: true,
      uptimeSeconds: Math.round(elapsed / 1000),
      leakedBytes: leaked.length * leakBytes,
    });
  const inBurst = burstFor > 0 && elapsed >= burstAfter && elapsed < burstAfter + burstFor;
  if (inBurst && Math.random() < errorRate) return send(response, 500, { error: 'injected error burst' });
  if (url.pathname === '/products' && request.method === 'GET') {
    await sleep(jittered(baseLatency));
    return send(response, 200, products.slice(0, 20));
  }
  if (url.pathname === '/search' && request.method === 'GET') {
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    await sleep(jittered(baseLatency * 1.5));
    return send(response, 200, products.filter((p) => p.name.includes(q)).slice(0, 10));
  }
  if (url.pathname === '/checkout' && (request.method === 'POST' || request.method === 'GET')) {
    for await (const _ of request);
    if (leakBytes > 0) leaked.push(Buffer.alloc(leakBytes, 1));
    const slow = slowBy > 0 && elapsed >= slowAfter ? slowBy : 0;
    await sleep(jittered(baseLatency * 2) + slow);
    return send(response, 200, { order: leaked.length, total: 42 });
  }
  return send(response, 404, { error: `no route ${request.method} ${url.pathname}` });
}

const server = createServer((request, response) => {
  handle(request, response).catch((error) => send(response, 500, { error: String(error) }));
});
server.keepAliveTimeout = 60_000;
server.listen(port, args.host, () => {
  const address = server.address();
  if (readyFile !== '') {
    mkdirSync(dirname(readyFile), { recursive: true });
    appendFileSync(readyFile, `${Date.now()}\n`);
  }
  console.log(`demo target listening on http://${args.host}:${address.port}`);
});
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => server.close(() => process.exit(0)).closeAllConnections());
