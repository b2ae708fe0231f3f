import { createRandom } from '../../stats/random.js';
import type { Random } from '../../stats/random.js';

/**
 * `createRandom` behind a MurmurHash3 fmix32 seed scramble (Appleby 2011) and a short warm-up:
 * xoroshiro128+ seeded with a small integer starts from a low-entropy state whose first draws
 * are nearly fixed (≈ 1, then ≈ 0.75 + seed/16), which would pin the first baseline, tooth or
 * onset drawn by a generator. O(1).
 */
export function seededRandom(seed: number): Random {
  let h = seed | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  const random = createRandom(h ^ 0x2545f491);
  for (let i = 0; i < 8; i++) random.next();
  return random;
}
