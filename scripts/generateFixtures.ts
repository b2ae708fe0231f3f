// Regenerates the replay goldens in test/fixtures/ deterministically from seeded synthetic
// streams: `npx tsx scripts/generateFixtures.ts`. Each recording comes with a JSON file that
// states what was injected, which is what the golden tests check the alerts against.
import { rmSync, writeFileSync } from 'node:fs';
import { MICROS_PER_MINUTE } from '../src/model/sample.js';
import { RecordingWriter } from '../src/model/recordingWriter.js';
import { mergeByTime } from '../src/sources/synthetic/mergeByTime.js';
import { syntheticHeap } from '../src/sources/synthetic/syntheticHeap.js';
import { syntheticLatency } from '../src/sources/synthetic/syntheticLatency.js';

const START = Date.UTC(2026, 0, 1) * 1000;
const DURATION = 120 * MICROS_PER_MINUTE;
const STEP_AT = START + 50 * MICROS_PER_MINUTE;
const STEP_FACTOR = 1.2;
const LEAK_AT = START + 30 * MICROS_PER_MINUTE;
const LEAK_RATE = 10; // MB/h

interface Fixture {
  readonly name: string;
  readonly change: boolean;
}

async function write({ name, change }: Fixture): Promise<void> {
  const tags = { scenario: 'golden', service: 'checkout' };
  const latency = syntheticLatency({
    seed: 20,
    start: START,
    duration: DURATION,
    rate: 2,
    tags,
    change: change ? { shape: 'step', at: STEP_AT, factor: STEP_FACTOR } : { shape: 'none' },
  });
  const heap = syntheticHeap({
    seed: 21,
    start: START,
    duration: DURATION,
    tags,
    ...(change ? { leak: { at: LEAK_AT, rate: LEAK_RATE } } : {}),
  });
  const recording = `test/fixtures/${name}.avro`;
  // Regenerating replaces the golden on purpose; the writer itself never overwrites a file.
  rmSync(recording, { force: true });
  const writer = await RecordingWriter.open(recording);
  let count = 0;
  for (const sample of mergeByTime([latency, heap])) {
    await writer.write(sample);
    count++;
  }
  await writer.close();
  const truth = {
    description: change
      ? 'http_req_duration steps up by 20% at stepAt; ' +
        'process_heap_used_bytes leaks 10 MB/h (post-GC floor) from leakAt, under a 30–50 MB GC sawtooth'
      : 'the same two series with no change',
    start: START,
    end: START + DURATION,
    samples: count,
    ...(change
      ? { stepAt: STEP_AT, stepFactor: STEP_FACTOR, leakAt: LEAK_AT, leakRateMegabytesPerHour: LEAK_RATE }
      : {}),
  };
  writeFileSync(`test/fixtures/${name}.json`, `${JSON.stringify(truth, null, 2)}\n`);
  console.log(`test/fixtures/${name}.avro: ${count} samples`);
}

await write({ name: 'soak-step-leak', change: true });
await write({ name: 'soak-no-change', change: false });
