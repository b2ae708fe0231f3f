// The replay benchmark's baseline: the least a program must do to read an NDJSON sample file and
// keep per-series state. It reads the file with readline, JSON.parses every line, builds the series
// key (metric + tags sorted by name) and keeps a running mean per key; then prints the sample count
// and series count. O(1) work per line beyond the parse, O(series) memory.
// Usage: node bench/naiveReplay.mjs <file.ndjson>
import { createReadStream } from 'node:fs';
import process from 'node:process';
import { createInterface } from 'node:readline';

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: node bench/naiveReplay.mjs <file.ndjson>\n');
  process.exit(2);
}

const means = new Map();
let count = 0;
const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
for await (const line of lines) {
  if (line === '') continue;
  const sample = JSON.parse(line);
  const names = Object.keys(sample.tags).sort();
  let key = sample.metric;
  for (const name of names) key += `,${name}=${sample.tags[name]}`;
  const state = means.get(key);
  if (state === undefined) means.set(key, { n: 1, mean: sample.value });
  else {
    state.n++;
    state.mean += (sample.value - state.mean) / state.n;
  }
  count++;
}
process.stdout.write(`naive: ${count} samples of ${means.size} series\n`);
