import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded source of random numbers: the same seed always yields the same sequence. */
export interface Random {
  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
  /** Standard normal deviate N(0, 1). */
  normal(): number;
}

/** MurmurHash3's 32-bit finaliser fmix32 (Appleby 2011): spreads every input bit over the whole word. O(1). */
export function fmix32(word: number): number {
  let h = word | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

const scrambleSeed = (seed: number): number => fmix32(seed) ^ 0x2545f491;

/**
 * Seeded pseudo-random generator: xoroshiro128+ (Blackman & Vigna 2018) from `pure-rand`,
 * normals by the Marsaglia polar method (Marsaglia & Bray 1964). Deterministic across
 * platforms, so bootstrap intervals and synthetic streams are reproducible. Seeded from a
 * small integer, xoroshiro128+ starts in a low-entropy state whose first draws are nearly
 * fixed, so the seed is scrambled and the first 8 draws are discarded. O(1) per draw.
 */
export function createRandom(seed: number): Random {
  const rng = xoroshiro128plus(scrambleSeed(seed));
  for (let i = 0; i < 8; i++) rng.next();
  let spare: number | null = null;
  const next = (): number => uniformFloat64(rng);
  return {
    next,
    nextInt: (n: number): number => Math.floor(next() * n),
    normal: (): number => {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      let v = 0;
      let s = 0;
      do {
        u = 2 * next() - 1;
        v = 2 * next() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const f = Math.sqrt((-2 * Math.log(s)) / s);
      spare = v * f;
      return u * f;
    },
  };
}
