import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../src/model/sample.js';
import { mergeBatchesByTime } from '../../../src/sources/files/mergeBatchesByTime.js';
import { sample } from '../../support/sample.js';

async function* batchesOf(samples: readonly Sample[], size: number): AsyncGenerator<Sample[]> {
  for (let i = 0; i < samples.length; i += size) yield samples.slice(i, i + size);
}

const all = async (batches: AsyncIterable<readonly Sample[]>): Promise<Sample[]> => {
  const out: Sample[] = [];
  for await (const batch of batches) {
    expect(batch.length).toBeGreaterThan(0);
    out.push(...batch);
  }
  return out;
};

describe('mergeBatchesByTime', () => {
  it('merges time-ordered streams of any batch sizes by time, ties to the lower stream (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 40 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 9 }),
        async (streams, batchSize, outSize) => {
          const inputs = streams.map((times, index) =>
            [...times].sort((a, b) => a - b).map((ts) => sample(ts, index, `s${index}`)),
          );
          const merged = await all(
            mergeBatchesByTime(
              inputs.map((input) => batchesOf(input, batchSize)),
              outSize,
            ),
          );
          const expected = inputs.flat().sort((a, b) => a.ts - b.ts || a.value - b.value);
          expect(merged).toEqual(expected);
        },
      ),
    );
  });

  it('closes every input when one fails', async () => {
    let closed = 0;
    async function* failing(): AsyncGenerator<Sample[]> {
      try {
        yield [sample(1, 0)];
        throw new Error('corrupt block');
      } finally {
        closed++;
      }
    }
    async function* steady(): AsyncGenerator<Sample[]> {
      try {
        for (let ts = 0; ts < 100; ts++) yield [sample(ts, 1)];
      } finally {
        closed++;
      }
    }
    await expect(all(mergeBatchesByTime([failing(), steady()]))).rejects.toThrow('corrupt block');
    expect(closed).toBe(2);
  });
});
