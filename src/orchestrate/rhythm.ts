/**
 * Whether a part's voice can still be written as notation a player reads: the stages that give a
 * part notes from several lines (fill, above all) ask before they do. A voice that plays the
 * triplets of one line and the sixteenths of another inside one beat would need values no
 * tuplet writes well (a thirty-second triplet rest between them); such a note goes elsewhere.
 */
import type { MeasureFrame } from "../model/build.js";
import { beatUnit, timesInForce } from "../model/build.js";
import { add, cmp, div, type Fraction, frac, gt, lt, max, min, sub } from "../model/fraction.js";
import { lastAtOrBefore } from "../model/search.js";
import { timeLength } from "../model/time.js";
import { dyadic, spansFor, type Stretch, type TupletSpan } from "../model/tuplets.js";

/** A note's place in time. */
export interface Timed {
  readonly onset: Fraction;
  readonly duration: Fraction;
}

/** Whether a voice holding `notes` (no two overlapping) can be written in the measures `around` touches. */
export type Writable = (notes: readonly Timed[], around: Timed) => boolean;

/**
 * Whether a voice may change from `before` to `after` (a note added, one cut short): it may if
 * it can be written after, or could not be written before either (then this change is not the
 * one that spoils it).
 */
export function mayBecome(writable: Writable, before: readonly Timed[], after: readonly Timed[], around: Timed): boolean {
  return writable(after, around) || !writable(before, around);
}

/**
 * The check for one sketch: its measures, its tuplet groups, and the shortest value it writes
 * (nothing in a part may be shorter, rests included).
 * @example rhythmCheck(framesOf(sketch.parts[0]), tupletSpans(sketch), frac(1, 16))(notes, note) // true
 */
export function rhythmCheck(frames: readonly MeasureFrame[], spans: readonly TupletSpan[], shortest: Fraction | undefined): Writable {
  const starts = frames.map((f) => f.start);
  const times = timesInForce(frames);
  const meters = frames.map((f, fi) => {
    const time = times[fi];
    const full = time ? timeLength(time) : f.duration;
    return { beat: beatUnit(time), origin: f.implicit && lt(f.duration, full) ? sub(f.start, sub(full, f.duration)) : f.start };
  });
  return (notes, around) => {
    const first = Math.max(0, lastAtOrBefore(starts, around.onset));
    const last = Math.max(0, lastAtOrBefore(starts, add(around.onset, around.duration)));
    for (let fi = first; fi <= last && fi < frames.length; fi++) {
      const f = frames[fi]!;
      const end = add(f.start, f.duration);
      if (fi > first && !lt(f.start, add(around.onset, around.duration))) break;
      const stretches = stretchesIn(notes, f.start, end);
      if (shortest && stretches.some((s) => lt(sub(s.to, s.from), shortest))) return false;
      const off = stretches.flatMap((s) => [s.from, s.to]).filter((t) => gt(t, f.start) && lt(t, end) && !dyadic(sub(t, f.start)));
      if (off.length === 0) continue;
      const within = spans.filter((s) => !lt(s.start, f.start) && !gt(s.end, end));
      const chosen = spansFor(stretches, f.start, f.duration, meters[fi]!.beat, meters[fi]!.origin, within);
      if (!off.every((t) => chosen.some((s) => lt(s.start, t) && lt(t, s.end)))) return false;
      // Inside a tuplet, every note and rest starts on its grid: a 16th's time inside a triplet
      // would take a value shorter than the sketch writes (a 32nd triplet).
      const times = stretches.map((s) => s.from);
      if (!chosen.every((s) => times.every((t) => !lt(s.start, t) || !lt(t, s.end) || onTupletGrid(s, t, shortest)))) return false;
    }
    return true;
  };
}

/**
 * Whether time `t` inside tuplet `s` falls on its grid: a multiple of its unit, halved while the
 * half is no shorter than `shortest` (twice where the sketch says nothing).
 */
function onTupletGrid(s: TupletSpan, t: Fraction, shortest: Fraction | undefined): boolean {
  let unit = div(sub(s.end, s.start), frac(s.ratio.actual));
  for (let k = 0; shortest ? !lt(div(unit, frac(2)), shortest) : k < 2; k++) unit = div(unit, frac(2));
  return div(sub(t, s.start), unit).d === 1;
}

/** The notes and the silences between them in one measure, clipped to it; a later onset ends the note before. */
function stretchesIn(notes: readonly Timed[], start: Fraction, end: Fraction): Stretch[] {
  const inside = notes.filter((n) => lt(n.onset, end) && gt(add(n.onset, n.duration), start)).sort((a, b) => cmp(a.onset, b.onset));
  const out: Stretch[] = [];
  let at = start;
  inside.forEach((n, i) => {
    const from = max(n.onset, start);
    const next = inside[i + 1];
    const to = min(min(add(n.onset, n.duration), end), next ? max(next.onset, from) : end);
    if (lt(at, from)) out.push({ from: at, to: from });
    if (lt(from, to)) out.push({ from, to });
    at = max(at, to);
  });
  if (lt(at, end)) out.push({ from: at, to: end });
  return out;
}
