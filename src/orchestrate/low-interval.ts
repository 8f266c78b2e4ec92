/**
 * The low interval limits arrangers and orchestration teachers give: the lowest note each
 * interval within an octave sounds clear on, as its lower note (minor second E3, major second
 * E♭3, minor third C3, major third and fourth B♭2, tritone B2, fifth B♭1, minor sixth G2, major
 * sixth and sevenths F2). Under them two notes sound together as mud.
 */
const LIMITS: Readonly<Record<number, number>> = { 1: 52, 2: 51, 3: 48, 4: 46, 5: 46, 6: 47, 7: 34, 8: 43, 9: 41, 10: 41, 11: 41 };

/**
 * Whether two key numbers sounding together, `low` under `high` within an octave, lie under the
 * low interval limit of their interval.
 * @example muddy(40, 45) // true: E2–A2, a fourth under B♭2
 */
export function muddy(low: number, high: number): boolean {
  const interval = high - low;
  return interval > 0 && interval < 12 && low < LIMITS[interval]!;
}
