/**
 * The middle of some numbers (the upper of the two middle ones for an even count); undefined for none.
 * @example median([3, 1, 2, 4]) // 3
 */
export function median(values: readonly number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
