import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collectAll } from '../../support/collect.js';
import { CorruptRecordingError } from '../../../src/model/errors.js';
import { readRecording } from '../../../src/model/readRecording.js';
import type { Sample } from '../../../src/model/sample.js';
import { replaySource, type ReplayProgress } from '../../../src/sources/files/replaySource.js';

const recording = new URL('../../fixtures/soak-no-change.avro', import.meta.url).pathname;
const samples = (n: number, stepMicros: number): Sample[] =>
  Array.from({ length: n }, (_, i) => ({ ts: 1_000_000_000 + i * stepMicros, metric: 'm', value: i, tags: {} }));

describe('replaySource', () => {
  it('replays a recording as fast as possible, in file order, reporting progress at the end', async () => {
    const progress: ReplayProgress[] = [];
    const replayed = await firstValueFrom(
      replaySource(readRecording(recording), { onProgress: (p) => progress.push(p) }).pipe(toArray()),
    );
    const direct = await collectAll(readRecording(recording));
    expect(replayed).toEqual(direct);
    expect(progress.at(-1)).toMatchObject({ samples: direct.length, eventTime: direct.at(-1)?.ts, done: true });
  });

  it('paces event time at ×speed of wall time', async () => {
    // 5 samples 100 ms apart in event time at ×4: the last is due 100 ms after the first.
    const started = Date.now();
    const out = await firstValueFrom(replaySource(samples(5, 100_000), { speed: 4 }).pipe(toArray()));
    const elapsed = Date.now() - started;
    expect(out).toHaveLength(5);
    expect(elapsed).toBeGreaterThanOrEqual(95);
  });

  it('delivers every intact sample of a truncated recording, then its error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soakstream-replay-'));
    try {
      const bytes = readFileSync(recording);
      const cut = join(dir, 'cut.avro');
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
      const seen: Sample[] = [];
      await expect(
        new Promise((resolve, reject) =>
          replaySource(readRecording(cut)).subscribe({
            next: (s) => seen.push(s),
            error: reject,
            complete: () => resolve(undefined),
          }),
        ),
      ).rejects.toBeInstanceOf(CorruptRecordingError);
      expect(seen.length).toBeGreaterThan(0);
      const direct = await collectAll(readRecording(recording));
      expect(seen).toEqual(direct.slice(0, seen.length));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops pulling when unsubscribed and validates speed', async () => {
    let pulled = 0;
    function* endless(): Generator<Sample> {
      for (let i = 0; ; i++) {
        pulled++;
        yield { ts: i, metric: 'm', value: i, tags: {} };
      }
    }
    const first = await firstValueFrom(replaySource(endless()).pipe(take(10), toArray()));
    expect(first).toHaveLength(10);
    await sleep(20);
    expect(pulled).toBeLessThan(20);
    expect(() => replaySource([], { speed: 0 })).toThrow(RangeError);
  });
});
