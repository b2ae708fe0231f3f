/**
 * The median written out plainly (sort a copy, middle value or mean of the two middle ones): a
 * reference for tests that is independent of the src/stats kernels under test.
 */
export const medianOf = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
