/**
 * Bisection over a list sorted in ascending order: what a linear scan from the start would find,
 * in logarithmic time, so that the stages stay linear in the length of a score.
 */

/** -1, 0 or 1 as `a` is before, with or after `b`. */
export type Compare<T> = (a: T, b: T) => number;

/**
 * The index of the last item at or before `t` in `items` (ascending), or -1 if there is none.
 * @example lastAtOrBefore([0, 1, 2], 1.5, (a, b) => a - b) // 1
 */
export function lastAtOrBefore<T>(items: readonly T[], t: T, compare: Compare<T>): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(items[mid]!, t) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * The index of the first item at or after `t` in `items` (ascending), or `items.length` if there is none.
 * @example firstAtOrAfter([0, 1, 2], 0.5, (a, b) => a - b) // 1
 */
export function firstAtOrAfter<T>(items: readonly T[], t: T, compare: Compare<T>): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(items[mid]!, t) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether the items are in ascending order (equal neighbours allowed): the condition for the
 * searches above to agree with a scan.
 */
export function ascending<T>(items: readonly T[], compare: Compare<T>): boolean {
  for (let i = 1; i < items.length; i++) if (compare(items[i - 1]!, items[i]!) > 0) return false;
  return true;
}
