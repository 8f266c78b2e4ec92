/**
 * Inexact durations: some files write values no notation can show (an untyped first note of a
 * written-out trill lasting 5/96, a note of 1437/3072 then notes a 1024th off the beat). Where
 * a voice starts or ends a note off the plain grid, and no tuplet (the file's own groups, or one
 * its times ask for) puts it on a tuplet's grid, the time moves to the nearest point of the
 * plain grid of the finest value the measure writes with a type. Files whose values are exact
 * are read as they are.
 */
import { durationOfType } from "../../model/durations.js";
import { add, cmp, div, eq, type Fraction, frac, lt, mul, sub, ZERO } from "../../model/fraction.js";
import { beatUnit } from "../../model/build.js";
import { voicesOf } from "../../model/notation.js";
import type { Event, Measure, TimeSignature } from "../../model/score.js";
import { timeLength } from "../../model/time.js";
import { dyadic, measureSpans, spansFor, type Stretch, type TupletSpan } from "../../model/tuplets.js";
import type { Mutable } from "./part-state.js";

/** The grid of times a measure's voices may fall back to: its finest typed plain value, a 64th at the finest, a 16th when it has none. */
function gridOf(m: Measure): Fraction {
  let grid = frac(1, 16);
  for (const ev of m.events) {
    if (!ev.notated || ev.tuplet || (ev.kind === "note" && ev.grace)) continue;
    const len = durationOfType(ev.notated.type, 0);
    if (lt(len, grid)) grid = len;
  }
  return lt(grid, frac(1, 64)) ? frac(1, 64) : grid;
}

/**
 * A measure whose voices can all be written as they are comes back as it is; otherwise a copy
 * with its off-grid times snapped (see the file comment), and how many times moved.
 */
export function repairRhythm(m: Measure, time: TimeSignature | undefined): { measure: Measure; moved: number } {
  const beat = beatUnit(time);
  const full = time ? timeLength(time) : m.duration;
  const barOrigin = m.implicit && lt(m.duration, full) ? sub(m.duration, full) : ZERO;
  const spans = measureSpans(m);
  const grid = gridOf(m);
  const snapped = new Map<Event, { onset: Fraction; end: Fraction }>();
  let moved = 0;
  for (const events of voicesOf(m.events).values()) {
    const timed = events.filter((e) => !(e.kind === "note" && e.grace) && e.duration.n > 0);
    const stretches: Stretch[] = timed.map((e) => ({ from: e.onset, to: add(e.onset, e.duration) }));
    const off = stretches.flatMap((s) => [s.from, s.to]).filter((t) => lt(ZERO, t) && lt(t, m.duration) && !dyadic(t));
    if (off.length === 0) continue;
    const chosen = spansFor(stretches, ZERO, m.duration, beat, barOrigin, spans);
    const covered = (t: Fraction): boolean => chosen.some((s: TupletSpan) => lt(s.start, t) && lt(t, s.end));
    const snap = (t: Fraction): Fraction => {
      if (dyadic(t) || covered(t) || !lt(ZERO, t) || !lt(t, m.duration)) return t;
      const q = div(t, grid);
      return mul(grid, frac(Math.round(q.n / q.d)));
    };
    for (const e of timed) {
      const onset = snap(e.onset);
      const end = snap(add(e.onset, e.duration));
      if (eq(onset, e.onset) && eq(end, add(e.onset, e.duration))) continue;
      moved++;
      snapped.set(e, { onset, end });
    }
  }
  if (snapped.size === 0) return { measure: m, moved: 0 };
  const events: Event[] = [];
  for (const e of m.events) {
    const s = snapped.get(e);
    if (!s) {
      events.push(e);
      continue;
    }
    if (cmp(s.end, s.onset) <= 0) continue;
    // Its written value no longer says how long it is: the writers derive a new one.
    const { notated: _n, tuplet: _t, tupletMarks: _m, ...rest } = e;
    events.push({ ...rest, onset: s.onset, duration: sub(s.end, s.onset) } as Mutable<Event>);
  }
  events.sort((a, b) => cmp(a.onset, b.onset));
  return { measure: { ...m, events }, moved };
}
