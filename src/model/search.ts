/**
 * Searches over time: the bisections of `util/bisect.ts` on fractions, items dealt into spans of
 * time, and a map key for a time.
 */
import * as bisect from "../util/bisect.js";
import { cmp, eq, type Fraction, gcd, lt, ltSum } from "./fraction.js";
import { midiOf, type Pitch } from "./pitch.js";

/**
 * The index of the last time at or before `t` in `times` (ascending), or -1 if there is none.
 * @example lastAtOrBefore([frac(0), frac(1), frac(2)], frac(3, 2)) // 1
 */
export const lastAtOrBefore = (times: readonly Fraction[], t: Fraction): number => bisect.lastAtOrBefore(times, t, cmp);

/**
 * The index of the first time at or after `t` in `times` (ascending), or `times.length` if there is none.
 * @example firstAtOrAfter([frac(0), frac(1), frac(2)], frac(1, 2)) // 1
 */
export const firstAtOrAfter = (times: readonly Fraction[], t: Fraction): number => bisect.firstAtOrAfter(times, t, cmp);

/**
 * The measures (indices into `starts`, their onsets, ascending) that a note from `onset` to `end`
 * sounds in: from the one it is struck in to the one it ends in, not the one that begins as it ends.
 * @example measuresSpanned([frac(0), frac(1), frac(2)], frac(1, 2), frac(2)) // [0, 1]
 */
export function measuresSpanned(starts: readonly Fraction[], onset: Fraction, end: Fraction): number[] {
  const from = Math.max(0, lastAtOrBefore(starts, onset));
  let to = Math.max(from, lastAtOrBefore(starts, end));
  if (to > from && eq(starts[to]!, end)) to--;
  return Array.from({ length: to - from + 1 }, (_, k) => from + k);
}

/** Whether the times are in ascending order (equal neighbours allowed). */
export const ascending = (times: readonly Fraction[]): boolean => bisect.ascending(times, cmp);

/** A stretch of time from `start` up to, not including, `end`. */
export interface Span {
  readonly start: Fraction;
  readonly end: Fraction;
}

/**
 * Items dealt into spans: for each span, the items whose onset lies in it, in their given order,
 * as filtering the items span by span gives. When the spans follow one another (each non-empty,
 * in ascending order, none overlapping the next), in one pass with bisection; otherwise by that
 * filter.
 * @example dealBySpan(notes, phrases)[0] // the notes of the first phrase
 */
export function dealBySpan<T extends { readonly onset: Fraction }>(items: readonly T[], spans: readonly Span[]): T[][] {
  if (!following(spans)) return spans.map((s) => items.filter((item) => cmp(item.onset, s.start) >= 0 && cmp(item.onset, s.end) < 0));
  const starts = spans.map((s) => s.start);
  const out: T[][] = spans.map(() => []);
  for (const item of items) {
    const k = lastAtOrBefore(starts, item.onset);
    if (k >= 0 && cmp(item.onset, spans[k]!.end) < 0) out[k]!.push(item);
  }
  return out;
}

/** Whether spans follow one another: each non-empty, in ascending order, none overlapping the next. */
function following(spans: readonly Span[]): boolean {
  for (let i = 0; i < spans.length; i++) {
    if (cmp(spans[i]!.start, spans[i]!.end) >= 0 || (i > 0 && cmp(spans[i - 1]!.end, spans[i]!.start) > 0)) return false;
  }
  return true;
}

/**
 * A map key for a time: equal for equal times, however the fraction was written.
 * @example timeKey({ n: 2, d: 8 }) // "1/4"
 */
export function timeKey(t: Fraction): string {
  const g = gcd(t.n, t.d) || 1;
  return `${t.n / g}/${t.d / g}`;
}

/**
 * A key for a stretch of time: equal for equal stretches.
 * @example spanKey({ n: 0, d: 1 }, { n: 2, d: 4 }) // "0/1 1/2"
 */
export function spanKey(from: Fraction, to: Fraction): string {
  return `${timeKey(from)} ${timeKey(to)}`;
}

/**
 * The latest of `ends` up to each index: ascending, so that a bisection finds, among items in
 * order of onset, the first that may still sound after a time (see `firstReaching`).
 * @example reachOf([frac(4), frac(1), frac(5)]) // [4, 4, 5]
 */
export function reachOf(ends: readonly Fraction[]): Fraction[] {
  let far: Fraction | undefined;
  return ends.map((e) => (far = far && !lt(far, e) ? far : e));
}

/** The first index whose reach (`reachOf`) passes `t`: no item before it sounds after `t`. */
export const firstReaching = (reach: readonly Fraction[], t: Fraction): number => lastAtOrBefore(reach, t) + 1;

/**
 * Whether one of `notes` (but those `skip` names, by index) is the key number `midi` and sounds in [from, to).
 * @example playsIn(bassLine, half.from, half.to, 36) // the line strikes or holds its C2 there
 */
export function playsIn(
  notes: readonly { readonly onset: Fraction; readonly duration: Fraction; readonly pitch: Pitch }[],
  from: Fraction,
  to: Fraction,
  midi: number,
  skip?: (k: number) => boolean,
): boolean {
  return notes.some((o, k) => !skip?.(k) && midiOf(o.pitch) === midi && lt(o.onset, to) && ltSum(from, o.onset, o.duration));
}

