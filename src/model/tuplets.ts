/**
 * Tuplet groups as stretches of time: where a score writes "three in the time of two", from when
 * to when. A part that gets only some of a group's notes (a line split between instruments, a
 * doubling that starts mid-group) is written in the same tuplet over the same stretch, its own
 * notes and rests in the tuplet's values, so that its bracket covers exactly the group.
 */
import { durationOfType, notatedOf, typeLength } from "./durations.js";
import { add, cmp, div, eq, type Fraction, frac, lcm, le, lt, mul, sub, ZERO } from "./fraction.js";
import { valueOf, voicesOf } from "./notation.js";
import type { Event, Measure, NoteType, Part, Score, TupletMark, TupletRatio } from "./score.js";
import { pushTo } from "../util/group.js";
import { measureStarts } from "./timeline.js";

/** A tuplet group of a score: its ratio and unit, and the time it takes. */
export interface TupletSpan {
  /** From the start of the score. */
  readonly start: Fraction;
  readonly end: Fraction;
  /** `actual` of `normalType` in the time of `normal` of them. */
  readonly ratio: TupletRatio & { readonly normalType: NoteType };
}

/**
 * The complete tuplet groups of a score, every voice of every part, in time order; a group two
 * voices share is listed once. A group is what its tuplet marks bracket, or, unmarked, the run
 * of tuplet values that adds up to `actual` of its unit.
 * @example tupletSpans(schubertLindenbaum)[0] // { start: 1/4, end: 1/2, ratio: { actual: 3, normal: 2, normalType: "eighth" } }
 */
export function tupletSpans(score: Score): TupletSpan[] {
  const all: TupletSpan[] = [];
  for (const part of score.parts) all.push(...partSpans(part));
  all.sort((a, b) => cmp(a.start, b.start) || cmp(b.end, a.end));
  const out: TupletSpan[] = [];
  for (const s of all) {
    const same = out.some((o) => eq(o.start, s.start) && eq(o.end, s.end) && o.ratio.actual === s.ratio.actual && o.ratio.normal === s.ratio.normal && o.ratio.normalType === s.ratio.normalType);
    if (!same) out.push(s);
  }
  return out;
}

function partSpans(part: Part): TupletSpan[] {
  const out: TupletSpan[] = [];
  const starts = measureStarts(part);
  part.measures.forEach((m, mi) => {
    for (const span of measureSpans(m)) out.push({ ...span, start: add(starts[mi]!, span.start), end: add(starts[mi]!, span.end) });
  });
  return out;
}

/** The complete tuplet groups of one measure, every voice, with times from the measure's start. */
export function measureSpans(m: Measure): TupletSpan[] {
  const out: TupletSpan[] = [];
  for (const events of voicesOf(m.events).values()) {
    for (const group of tupletGroups(events.filter((e) => !(e.kind === "note" && e.grace)))) {
      const span = groupSpan(group);
      if (span) out.push(span);
    }
  }
  return out;
}

/**
 * A voice's tuplet events in groups: from a start mark to its stop mark where the source marks
 * them, else a run of tuplet values closed as soon as it fills `actual` of its unit.
 */
export function tupletGroups(events: readonly Event[]): Event[][] {
  const out: Event[][] = [];
  let group: Event[] = [];
  let marked = false;
  const close = (): void => {
    if (group.length) out.push(group);
    group = [];
    marked = false;
  };
  for (const e of events) {
    if (!e.tuplet) {
      close();
      continue;
    }
    const marks = e.tupletMarks ?? [];
    if (marks.some((k) => k.type === "start")) {
      close();
      marked = true;
    } else if (group.length && group[0]!.tuplet!.actual !== e.tuplet.actual) close();
    group.push(e);
    if (marks.some((k) => k.type === "stop") || (!marked && groupSpan(group))) close();
  }
  close();
  return out;
}

/**
 * The stretch (onsets as the events give them) and ratio of a complete group: its plain values add
 * up to `actual` of its unit (or a whole number of times that, several groups under one bracket),
 * the unit being the normal type where the source gives one, else the group's shortest type.
 * Undefined for a group that is not complete.
 */
export function groupSpan(group: readonly Event[]): TupletSpan | undefined {
  const first = group[0];
  const t = first?.tuplet;
  if (!first || !t) return undefined;
  let plain = ZERO;
  let unitType: NoteType | undefined = t.normalType;
  for (const e of group) {
    plain = add(plain, mul(e.duration, frac(t.actual, t.normal)));
    const v = valueOf(e);
    if (!t.normalType && v && (!unitType || cmp(typeLength(v.type), typeLength(unitType)) < 0)) unitType = v.type;
  }
  if (!unitType) return undefined;
  const dots = t.normalType ? (t.normalDots ?? 0) : 0;
  const times = div(plain, mul(durationOfType(unitType, dots), frac(t.actual)));
  if (times.d !== 1 || times.n < 1) return undefined;
  const last = group[group.length - 1]!;
  return { start: first.onset, end: add(last.onset, last.duration), ratio: { actual: t.actual, normal: t.normal, normalType: unitType, ...(dots ? { normalDots: dots } : {}) } };
}

/**
 * Tuplet brackets for voices whose source gave none (by event index): each complete group of
 * `tupletGroups` from its first event to its last. A voice with marks of its own keeps them.
 * @example tupletMarksOf(threeTripletEighths) // Map { 0 => [{ type: "start", bracket: true }], 2 => [{ type: "stop" }] }
 */
export function tupletMarksOf(events: readonly Event[]): Map<number, TupletMark[]> {
  const out = new Map<number, TupletMark[]>();
  // Most voices hold no tuplet at all: nothing to group, and no index to make.
  if (events.some((e) => e.tupletMarks !== undefined) || !events.some((e) => e.tuplet)) return out;
  const index = new Map(events.map((e, i) => [e, i]));
  for (const group of tupletGroups(events.filter((e) => !(e.kind === "note" && e.grace)))) {
    if (!groupSpan(group)) continue;
    pushTo(out, index.get(group[0]!)!, { type: "start", bracket: true });
    pushTo(out, index.get(group[group.length - 1]!)!, { type: "stop" });
  }
  return out;
}

/** A stretch of a voice in a measure: a note (or chord) or, without pitches, a silence. */
export interface Stretch {
  readonly from: Fraction;
  readonly to: Fraction;
}

/** Whether a time or duration (in whole notes) is on the plain grid: its denominator a power of two. */
export const dyadic = (f: Fraction): boolean => (f.d & (f.d - 1)) === 0;

/**
 * Which grid a time (in whole notes) keeps to inside its beat (a quarter): 1 the 16ths' alone
 * (a 16th or 32nd after the beat or the eighth), 2 the triplets' alone (a triplet eighth or 16th),
 * 0 both (the beat, the eighth) or neither.
 * @example gridOf(frac(1, 16)) // 1
 */
export function gridOf(t: Fraction): 0 | 1 | 2 {
  const sixteenths = dyadic(t);
  const triplets = 24 % t.d === 0;
  return sixteenths === triplets ? 0 : sixteenths ? 1 : 2;
}

/**
 * Whether two times of one voice fall in one beat on different grids, the 16ths' and the
 * triplets': no voice writes both (a 32nd triplet would lie between them).
 * @example gridsClash(frac(1, 16), frac(1, 12)) // true
 */
export function gridsClash(a: Fraction, b: Fraction): boolean {
  if (Math.floor((a.n * 4) / a.d) !== Math.floor((b.n * 4) / b.d)) return false;
  const ga = gridOf(a);
  const gb = gridOf(b);
  return ga !== 0 && gb !== 0 && ga !== gb;
}

/** Where a time falls in a span, counted in the span's tuplet values (a plain grid inside it). */
const scaled = (t: Fraction, span: TupletSpan): Fraction => mul(sub(t, span.start), frac(span.ratio.actual, span.ratio.normal));

/**
 * The tuplet spans a voice needs in one measure: where its notes start or end off the plain grid,
 * the sketch's own groups that put them on the tuplet's grid; where none does, a tuplet inferred
 * on the beat (or two beats, or the measure) from the odd factor of those times (a 1/12 is
 * three in the time of two; a 1/68 in a quarter seventeen in the time of sixteen).
 * `start` is the measure's start, `barOrigin` where its beats are counted from (before a pickup).
 * Empty when every time is on the plain grid, as in most measures.
 */
export function spansFor(stretches: readonly Stretch[], start: Fraction, length: Fraction, beat: Fraction, barOrigin: Fraction, sketch: readonly TupletSpan[]): TupletSpan[] {
  const end = add(start, length);
  const times = stretches.flatMap((s) => [s.from, s.to]).filter((t) => lt(start, t) && lt(t, end));
  const off = times.filter((t) => !dyadic(sub(t, start)));
  if (off.length === 0) return [];
  const chosen: TupletSpan[] = [];
  const free = (s: TupletSpan): boolean => !chosen.some((c) => lt(c.start, s.end) && lt(s.start, c.end));
  const inside = (s: TupletSpan): Fraction[] => times.filter((t) => lt(s.start, t) && lt(t, s.end));
  const needs = (s: TupletSpan): boolean => inside(s).some((t) => !dyadic(sub(t, start)));
  // The sketch's group fits where the voice moves in its values, or halves of them (a triplet
  // eighth split into two triplet sixteenths); a voice that moves in sixteenths under a triplet of
  // quarters is in another rhythm, and keeps it.
  const onGroupGrid = (s: TupletSpan): boolean => {
    const step = div(sub(s.end, s.start), frac(2 * s.ratio.actual));
    return inside(s).every((t) => div(sub(t, s.start), step).d === 1);
  };
  for (const s of sketch) {
    if (le(start, s.start) && le(s.end, end) && free(s) && needs(s) && onGroupGrid(s)) chosen.push(s);
  }
  const uncovered = off.filter((t) => chosen.every((c) => !(lt(c.start, t) && lt(t, c.end))));
  if (uncovered.length === 0) return chosen;
  // An inferred tuplet fits where the voice moves in its unit down to quarters of it (triplet
  // thirty-seconds under a triplet of eighths), no finer: a sixteenth against triplets in one
  // voice is two rhythms, which no tuplet writes well.
  const fits = (s: TupletSpan): boolean => {
    const fine = div(durationOfType(s.ratio.normalType, s.ratio.normalDots ?? 0), frac(4));
    return inside(s).every((t) => div(scaled(t, s), fine).d === 1);
  };
  for (const w of [beat, mul(beat, frac(2)), length]) {
    const inferred = inferredSpans(uncovered, w, start, end, barOrigin, times).filter(free);
    if (inferred.length && inferred.every(fits) && uncovered.every((t) => inferred.some((s) => lt(s.start, t) && lt(t, s.end)))) {
      return [...chosen, ...inferred].sort((a, b) => cmp(a.start, b.start));
    }
  }
  return chosen;
}

/** Windows of length `w` (counted from `barOrigin`) holding off-grid times, each with the tuplet its times ask for. */
function inferredSpans(off: readonly Fraction[], w: Fraction, start: Fraction, end: Fraction, barOrigin: Fraction, times: readonly Fraction[]): TupletSpan[] {
  const out: TupletSpan[] = [];
  for (const t of off) {
    const q = div(sub(t, barOrigin), w);
    const k = Math.floor(q.n / q.d);
    const ws = add(barOrigin, mul(w, frac(k)));
    const we = add(ws, w);
    if (lt(ws, start) || lt(end, we) || out.some((s) => eq(s.start, ws))) continue;
    let odd = 1;
    for (const u of times) {
      if (!(lt(ws, u) && lt(u, we))) continue;
      let d = div(sub(u, ws), w).d;
      while (d % 2 === 0) d /= 2;
      odd = lcm(odd, d);
    }
    if (odd < 3 || odd > 31) continue;
    const normal = 2 ** Math.floor(Math.log2(odd));
    const value = notatedOf(div(w, frac(normal)), undefined, 1);
    if (!value) continue;
    out.push({ start: ws, end: we, ratio: { actual: odd, normal, normalType: value.type, ...(value.dots ? { normalDots: value.dots } : {}) } });
  }
  return out;
}
