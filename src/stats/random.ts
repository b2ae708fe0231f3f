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

/**
 * Seeded pseudo-random generator: xoroshiro128+ (Blackman & Vigna 2018) from `pure-rand`,
 * normals by the Marsaglia polar method (Marsaglia & Bray 1964). Deterministic across
 * platforms, so bootstrap intervals and synthetic streams are reproducible. O(1) per draw.
 */
export function createRandom(seed: number): Random {
  const rng = xoroshiro128plus(seed | 0);
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
