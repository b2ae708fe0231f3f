/**
 * Checks that data a caller declared sorted (`sorted: true`) really is ascending and free of NaN,
 * so a wrong promise fails loudly instead of giving a wrong statistic. Returns the input. O(n).
 */
export function assertAscending(values: ArrayLike<number>, caller: string, name: string): ArrayLike<number> {
  for (let i = 1; i < values.length; i++) {
    if (!((values[i - 1] as number) <= (values[i] as number))) {
      throw new RangeError(`${caller}: ${name} is not ascending at index ${i} although sorted: true`);
    }
  }
  if (values.length > 0 && Number.isNaN(values[0] as number)) throw new RangeError(`${caller}: NaN in ${name}`);
  return values;
}
