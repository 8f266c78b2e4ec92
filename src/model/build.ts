/**
 * From notes in time to notated measures: split at barlines and beats into values a player can
 * read, tie the pieces, and fill every gap with rests. What the MIDI reader, the voice separator
 * and the orchestrator all need to turn "this pitch from here to there" into a part.
 */
import { add, cmp, eq, type Fraction, frac, ge, gt, le, lt, max, min, mul, sub, ZERO } from "./fraction.js";
import { notatedOf, durationOfType, NOTE_TYPES } from "./durations.js";
import type { Pitch } from "./pitch.js";
import { type Attributes, type Barline, type Direction, type Event, isBreathMark, type Measure, type NoteEvent, type Part, type RestEvent, type TimeSignature, type TupletRatio } from "./score.js";
import { dealBySpan, type Span, timeKey } from "./search.js";
import { spansFor, type TupletSpan } from "./tuplets.js";
import { timeLength } from "./time.js";
import { pushTo } from "../util/group.js";

/** Where a measure lies and what it starts with; the skeleton the notes are poured into. */
export interface MeasureFrame {
  readonly number: string;
  readonly implicit?: boolean;
  /** From the start of the score. */
  readonly start: Fraction;
  readonly duration: Fraction;
  readonly attributes: Attributes;
  readonly left?: Barline;
  readonly right?: Barline;
  readonly newSystem?: boolean;
}

/** The notation a note carries besides its pitch and time; given to the first tied piece. */
export type EventMarks = Partial<
  Pick<NoteEvent, "articulations" | "ornaments" | "technical" | "slurs" | "lyrics" | "fermata" | "tremolo" | "arpeggiate">
>;

/** A note or chord at an absolute time; no pitches makes a rest. */
export interface PlacedEvent {
  readonly onset: Fraction;
  readonly duration: Fraction;
  readonly pitches: readonly Pitch[];
  readonly voice: string;
  readonly staff: number;
  /** Continues a note before it (the first piece gets a tie stop). */
  readonly tieIn?: boolean;
  /** Goes on into the next note (the last piece gets a tie start). */
  readonly tieOut?: boolean;
  readonly marks?: EventMarks;
  /** A grace note before the note at the same onset (duration zero); `slash` for an acciaccatura. */
  readonly grace?: { readonly slash: boolean };
}

export interface PlacedDirection extends Omit<Direction, "offset"> {
  /** From the start of the score. */
  readonly onset: Fraction;
  /**
   * It stands at the closing barline of the measure that ends at `onset` ("Fine", "D.C."), not
   * at the start of the next one.
   */
  readonly closing?: boolean;
}

export interface BuildOptions {
  /**
   * Which voices get rests where they are silent: "primary" (default) fills the first voice of each
   * staff in every measure, and other voices only in measures where they play; "all" fills every voice
   * in every measure.
   */
  readonly rests?: "primary" | "all";
  /**
   * Voices that exist even where no event is given, filled with rests: a part that is silent
   * throughout still shows a rest in every measure, on each of its staves.
   */
  readonly staves?: readonly { readonly voice: string; readonly staff: number }[];
  /**
   * The tuplet groups of the music the events come from (`tupletSpans` of the sketch): a voice
   * whose notes fall inside one off the plain grid is written in that tuplet over the whole
   * group, its notes and rests in the tuplet's values.
   */
  readonly tuplets?: readonly TupletSpan[];
}

/** The span of time each frame takes, from its start to its end (to deal events into measures: `dealBySpan`). */
export function frameSpans(frames: readonly MeasureFrame[]): Span[] {
  return frames.map((f) => ({ start: f.start, end: add(f.start, f.duration) }));
}

/** The time signature in force in each frame: the last one set at or before it (none before the first). */
export function timesInForce(frames: readonly MeasureFrame[]): (TimeSignature | undefined)[] {
  let time: TimeSignature | undefined;
  return frames.map((f) => (time = f.attributes.time ?? time));
}

/**
 * The measure frames of an existing part: numbers, lengths, attributes and barlines.
 * @example framesOf(chorale.parts[0]).length // the chorale's measure count
 */
export function framesOf(part: Part): MeasureFrame[] {
  let t = ZERO;
  return part.measures.map((m) => {
    const f: { -readonly [K in keyof MeasureFrame]: MeasureFrame[K] } = {
      number: m.number,
      start: t,
      duration: m.duration,
      attributes: m.attributes,
    };
    if (m.implicit) f.implicit = true;
    if (m.left) f.left = m.left;
    if (m.right) f.right = m.right;
    if (m.newSystem) f.newSystem = true;
    t = add(t, m.duration);
    return f;
  });
}

/**
 * The beat a note should not hide: a quarter in x/4, a dotted quarter in compound time, a half in x/2.
 * @example beatUnit({ kind: "measured", signatures: [{ beats: "6", beatType: 8 }] }) // 3/8
 */
export function beatUnit(time: TimeSignature | undefined): Fraction {
  if (!time || time.kind !== "measured" || time.signatures.length !== 1) return frac(1, 4);
  const s = time.signatures[0]!;
  const beats = Number(s.beats);
  if (s.beatType >= 8 && Number.isInteger(beats) && beats % 3 === 0) return frac(3, s.beatType);
  return frac(1, s.beatType);
}

const TRIPLET: TupletRatio = { actual: 3, normal: 2 };

interface Piece {
  readonly duration: Fraction;
  readonly tuplet?: TupletRatio;
}

/**
 * Splits a span starting at `pos` (from the measure start) into readable values: nothing hides a
 * beat unless it starts on one, so syncopations show the beat as a tie. Spans that no plain value
 * can express become triplets.
 */
export function splitSpan(pos: Fraction, duration: Fraction, beat: Fraction, offset: Fraction = ZERO): Piece[] {
  const out: Piece[] = [];
  let p = pos;
  let rest = duration;
  for (let guard = 0; rest.n > 0 && guard < 256; guard++) {
    const inBeat = modulo(add(p, offset), beat);
    const toBeat = inBeat.n === 0 ? undefined : sub(beat, inBeat);
    const limit = toBeat ? min(rest, toBeat) : rest;
    const piece = largestValue(limit, !toBeat, beat);
    if (!piece) {
      // No plain or triplet value fits: the rest as one piece that no value can show, for the
      // notation check to refuse (never a chain of ever shorter values).
      out.push({ duration: rest });
      break;
    }
    out.push(piece);
    p = add(p, piece.duration);
    rest = sub(rest, piece.duration);
  }
  return out;
}

/**
 * Splits a silence into rests the way engravers write them: each rest aligned to its own value
 * (a half rest on a half-bar, never across it), undotted, except whole dotted beats in compound
 * time, where a rest that starts inside a beat ends with it, so that every beat shows (in 9/8,
 * after two eighths: an eighth rest and two dotted quarters, not a quarter across the second beat
 * and a half).
 */
export function splitRests(pos: Fraction, duration: Fraction, beat: Fraction, offset: Fraction = ZERO): Piece[] {
  const out: Piece[] = [];
  let p = pos;
  let rest = duration;
  const compound = beat.n === 3;
  for (let guard = 0; rest.n > 0 && guard < 256; guard++) {
    const at = add(p, offset);
    const inBeat = modulo(at, beat);
    let piece: Piece | undefined;
    if (compound && inBeat.n === 0 && le(beat, rest)) piece = { duration: beat };
    const room = compound && inBeat.n !== 0 ? min(rest, sub(beat, inBeat)) : rest;
    for (const type of NOTE_TYPES.slice(3)) {
      if (piece) break;
      const d = durationOfType(type, 0);
      if (le(d, room) && modulo(at, d).n === 0) piece = { duration: d };
    }
    piece ??= largestValue(room, false, beat) ?? { duration: room };
    out.push(piece);
    p = add(p, piece.duration);
    rest = sub(rest, piece.duration);
  }
  return out;
}

function modulo(a: Fraction, m: Fraction): Fraction {
  const q = mul(a, frac(m.d, m.n));
  const whole = Math.floor(q.n / q.d);
  return sub(a, mul(frac(whole), m));
}

/** The longest value not longer than `limit`: all of it where one value with up to two dots shows it, else plain with up to one dot, else triplet. */
function largestValue(limit: Fraction, onBeat: boolean, beat: Fraction): Piece | undefined {
  // In simple time any value may start on a beat; in compound time it must fill whole beats.
  const simple = beat.n === 1;
  if (notatedOf(limit, undefined, 2) && (le(limit, beat) || (onBeat && (simple || modulo(limit, beat).n === 0)))) {
    return { duration: limit };
  }
  for (const type of NOTE_TYPES.slice(2)) {
    for (const dots of [1, 0]) {
      const d = durationOfType(type, dots);
      // A value that starts on a beat may span several beats only if it ends on one too.
      if (le(d, limit) && (le(d, beat) || modulo(d, beat).n === 0)) {
        // Prefer an exact triplet fill when the plain value leaves a remainder no plain value can make.
        const remainder = sub(limit, d);
        if (remainder.n > 0 && !plainSplittable(remainder)) {
          const t = tripletOf(limit);
          if (t) return t;
        }
        return { duration: d };
      }
    }
  }
  return tripletOf(limit);
}

function plainSplittable(d: Fraction): boolean {
  // Plain values are dyadic: the denominator a power of two.
  return (d.d & (d.d - 1)) === 0;
}

function tripletOf(limit: Fraction): Piece | undefined {
  for (const type of NOTE_TYPES.slice(2)) {
    for (const dots of [0, 1]) {
      const d = durationOfType(type, dots, TRIPLET);
      if (le(d, limit)) return { duration: d, tuplet: TRIPLET };
    }
  }
  return undefined;
}

/**
 * Pours events into measures: splits at barlines and beats, ties the pieces, fills silences with rests.
 * Events of one voice must not overlap (a chord is one event); a later onset cuts an earlier note short.
 * @example buildMeasures(framesOf(part), [{ onset: frac(0), duration: frac(5, 4), pitches: [C4], voice: "1", staff: 1 }])
 */
export function buildMeasures(
  frames: readonly MeasureFrame[],
  events: readonly PlacedEvent[],
  directions: readonly PlacedDirection[] = [],
  options: BuildOptions = {},
): Measure[] {
  const byVoice = new Map<string, PlacedEvent[]>();
  const graces = events.filter((e) => e.grace && e.pitches.length > 0).sort((a, b) => cmp(a.onset, b.onset));
  for (const e of events) {
    if (e.duration.n <= 0 || e.grace) continue;
    pushTo(byVoice, e.voice, e);
  }
  for (const [v, list] of byVoice) byVoice.set(v, cutOverlaps(list.sort((a, b) => cmp(a.onset, b.onset))));
  const homeStaff = new Map<string, number>();
  for (const { voice, staff } of options.staves ?? []) {
    homeStaff.set(voice, staff);
    // A staff that has some other voice already is filled by that voice.
    if (![...byVoice.values()].some((l) => l[0]?.staff === staff)) byVoice.set(voice, byVoice.get(voice) ?? []);
  }
  const primary = new Set<string>();
  const firstStaffVoice = new Map<number, string>();
  for (const [v, list] of [...byVoice].sort(([a], [b]) => voiceOrder(a, b))) {
    const staff = list[0]?.staff ?? homeStaff.get(v) ?? 1;
    if (!firstStaffVoice.has(staff)) {
      firstStaffVoice.set(staff, v);
      primary.add(v);
    }
  }
  const fillAll = options.rests === "all";
  let time: TimeSignature | undefined;
  // Events of a voice are sorted and do not overlap, so their ends are in order too: each voice
  // keeps a pointer to its first event not yet over, and a measure looks only from there.
  const next = new Map<string, number>();
  // Grace notes and directions by measure, dealt out once.
  const spans = frameSpans(frames);
  const gracesIn = dealBySpan(graces, spans);
  // A closing direction belongs to the measure whose barline it stands at; the others to the
  // measure they fall in.
  const closingIn = new Map<string, PlacedDirection[]>();
  for (const d of directions) if (d.closing) pushTo(closingIn, timeKey(d.onset), d);
  const directionsIn = dealBySpan(
    directions.filter((d) => !d.closing),
    spans,
  );
  const tupletsIn = dealBySpan((options.tuplets ?? []).map((t) => ({ ...t, onset: t.start })), spans);
  return frames.map((frame, fi) => {
    if (frame.attributes.time) time = frame.attributes.time;
    const beat = beatUnit(time);
    const full = time ? timeLength(time) : frame.duration;
    // Beats in a pickup are counted back from its barline.
    const beatOffset = frame.implicit && lt(frame.duration, full) ? sub(full, frame.duration) : ZERO;
    const end = add(frame.start, frame.duration);
    // Grace notes first: the stable sort below keeps them before the note they lead to.
    const out: Event[] = gracesIn[fi]!
      .map((g): NoteEvent => ({
        kind: "note",
        onset: sub(g.onset, frame.start),
        duration: ZERO,
        voice: g.voice,
        staff: g.staff,
        notated: { type: g.grace!.slash ? "eighth" : "16th", dots: 0 },
        grace: { slash: g.grace!.slash },
        notes: g.pitches.map((pitch) => ({ pitch })),
      }));
    for (const [voice, list] of byVoice) {
      let i = next.get(voice) ?? 0;
      while (i < list.length && !gt(add(list[i]!.onset, list[i]!.duration), frame.start)) i++;
      next.set(voice, i);
      const inside: PlacedEvent[] = [];
      for (let j = i; j < list.length && lt(list[j]!.onset, end); j++) inside.push(list[j]!);
      if (inside.length === 0 && !(fillAll || primary.has(voice))) continue;
      const staff = inside[0]?.staff ?? list[i]?.staff ?? list[list.length - 1]?.staff ?? homeStaff.get(voice) ?? 1;
      if (inside.length === 0) {
        out.push(measureRest(frame, voice, staff));
        continue;
      }
      const stretches: Stretch[] = [];
      let cursor = frame.start;
      for (const e of inside) {
        const s = max(e.onset, frame.start);
        const eEnd = min(add(e.onset, e.duration), end);
        if (lt(cursor, s)) stretches.push({ from: cursor, to: s, voice, staff: e.staff });
        stretches.push({ from: s, to: eEnd, voice, staff: e.staff, event: e });
        cursor = eEnd;
      }
      if (lt(cursor, end)) stretches.push({ from: cursor, to: end, voice, staff: inside[inside.length - 1]!.staff });
      const spans = spansFor(stretches, frame.start, frame.duration, beat, sub(frame.start, beatOffset), tupletsIn[fi]!);
      for (const st of stretches) out.push(...writeStretch(st, spans, frame, beat, beatOffset));
    }
    out.sort((a, b) => cmp(a.onset, b.onset) || voiceOrder(a.voice, b.voice));
    // The last measure also takes what stands at its closing barline.
    const last = fi === frames.length - 1;
    const own = last ? directions.filter((d) => !d.closing && ge(d.onset, frame.start) && le(d.onset, end)) : directionsIn[fi]!;
    const dirs: Direction[] = [...own, ...(closingIn.get(timeKey(end)) ?? [])].map(({ onset, closing: _c, ...rest }) => ({ ...rest, offset: sub(onset, frame.start) }));
    const m: { -readonly [K in keyof Measure]: Measure[K] } = {
      number: frame.number,
      duration: frame.duration,
      attributes: frame.attributes,
      midAttributes: NONE,
      midBarlines: NONE,
      events: out,
      directions: dirs.length ? dirs : NONE,
      harmonies: NONE,
    };
    if (frame.implicit) m.implicit = true;
    if (frame.left) m.left = frame.left;
    if (frame.right) m.right = frame.right;
    if (frame.newSystem) m.newSystem = true;
    return m;
  });
}

/**
 * The empty list the measures built here share where they have nothing: a symphony-orchestra
 * score has thousands of measures, each with three or four lists mostly empty (32 bytes each).
 * Frozen: a built measure is not added to.
 */
const NONE: readonly never[] = Object.freeze([]);

function voiceOrder(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function cutOverlaps(list: PlacedEvent[]): PlacedEvent[] {
  const out: PlacedEvent[] = [];
  for (let i = 0; i < list.length; i++) {
    const e = list[i]!;
    const d = writtenLength(e, list[i + 1]);
    if (lt(d, e.duration)) {
      if (d.n > 0) out.push({ ...e, duration: d, tieOut: false });
      continue;
    }
    out.push(e);
  }
  return out;
}

/**
 * How long a note of a voice is written: until the voice's next note begins, where that comes
 * first (`buildMeasures` cuts it there).
 */
export function writtenLength(e: PlacedEvent, next: PlacedEvent | undefined): Fraction {
  return next && lt(next.onset, add(e.onset, e.duration)) ? sub(next.onset, e.onset) : e.duration;
}

/** A stretch of a voice in a measure: part of an event, or a silence (no event). */
interface Stretch {
  readonly from: Fraction;
  readonly to: Fraction;
  readonly voice: string;
  readonly staff: number;
  readonly event?: PlacedEvent;
}

/**
 * A stretch as notes or rests: cut where tuplet spans begin and end, the parts inside a span in
 * the span's tuplet values, the rest in plain ones.
 */
function writeStretch(st: Stretch, spans: readonly TupletSpan[], frame: MeasureFrame, beat: Fraction, beatOffset: Fraction): Event[] {
  const out: Event[] = [];
  let from = st.from;
  while (lt(from, st.to)) {
    const span = spans.find((s) => le(s.start, from) && lt(from, s.end));
    const next = span ? min(span.end, st.to) : spans.reduce((t, s) => (lt(from, s.start) && lt(s.start, t) ? s.start : t), st.to);
    if (span) out.push(...inTuplet(st, from, next, span, frame));
    else if (st.event) out.push(...pieces(st.event, from, next, frame, beat, beatOffset));
    else out.push(...rests(from, next, frame, beat, beatOffset, st.voice, st.staff));
    from = next;
  }
  return out;
}

/**
 * Part of a stretch inside a tuplet span: split on the span's own grid (where the tuplet values
 * are plain ones, its unit the beat), then each piece scaled back into the tuplet.
 */
function inTuplet(st: Stretch, from: Fraction, to: Fraction, span: TupletSpan, frame: MeasureFrame): Event[] {
  const { actual, normal, normalType, normalDots } = span.ratio;
  const grow = frac(actual, normal);
  const shrink = frac(normal, actual);
  const unit = durationOfType(normalType, normalDots ?? 0);
  const pos = mul(sub(from, span.start), grow);
  const parts = st.event ? splitSpan(pos, mul(sub(to, from), grow), unit) : splitRests(pos, mul(sub(to, from), grow), unit);
  const tuplet: TupletRatio = span.ratio;
  let at = from;
  return parts.map((p) => {
    const duration = mul(p.duration, shrink);
    const piece = { from: at, to: add(at, duration) };
    at = piece.to;
    // A piece that the split made a triplet of is a nested tuplet, which the model does not hold:
    // it stays as it is, for the notation check to refuse.
    const ratio = p.tuplet ? undefined : tuplet;
    if (!st.event) return restEvent(sub(piece.from, frame.start), duration, st.voice, st.staff, ratio);
    return noteEvent(st.event, piece.from, piece.to, sub(piece.from, frame.start), duration, ratio);
  });
}

function measureRest(frame: MeasureFrame, voice: string, staff: number): RestEvent {
  return { kind: "rest", onset: ZERO, duration: frame.duration, voice, staff, measureRest: true };
}

function rests(from: Fraction, to: Fraction, frame: MeasureFrame, beat: Fraction, beatOffset: Fraction, voice: string, staff: number): RestEvent[] {
  const start = sub(from, frame.start);
  if (eq(start, ZERO) && eq(to, add(frame.start, frame.duration))) return [measureRest(frame, voice, staff)];
  let pos = start;
  return splitRests(start, sub(to, from), beat, beatOffset).map((p) => {
    const r = restEvent(pos, p.duration, voice, staff, p.tuplet);
    pos = add(pos, p.duration);
    return r;
  });
}

function restEvent(onset: Fraction, duration: Fraction, voice: string, staff: number, tuplet: TupletRatio | undefined): RestEvent {
  const r: { -readonly [K in keyof RestEvent]: RestEvent[K] } = { kind: "rest", onset, duration, voice, staff };
  if (tuplet) r.tuplet = tuplet;
  return r;
}

function pieces(e: PlacedEvent, from: Fraction, to: Fraction, frame: MeasureFrame, beat: Fraction, beatOffset: Fraction): Event[] {
  const start = sub(from, frame.start);
  let at = from;
  return splitSpan(start, sub(to, from), beat, beatOffset).map((p) => {
    const ev = noteEvent(e, at, add(at, p.duration), sub(at, frame.start), p.duration, p.tuplet);
    at = add(at, p.duration);
    return ev;
  });
}

/**
 * One written piece (from `from` to `to`, at `onset` in its measure) of a placed event: a rest
 * for an event without pitches, else its notes, tied to the pieces before and after, the marks
 * on the first.
 */
function noteEvent(e: PlacedEvent, from: Fraction, to: Fraction, onset: Fraction, duration: Fraction, tuplet: TupletRatio | undefined): Event {
  if (e.pitches.length === 0) return restEvent(onset, duration, e.voice, e.staff, tuplet);
  const first = eq(from, e.onset);
  const last = eq(to, add(e.onset, e.duration));
  const tieStop = !first || !!e.tieIn;
  const tieStart = !last || !!e.tieOut;
  const ev: { -readonly [K in keyof NoteEvent]: NoteEvent[K] } = {
    kind: "note",
    onset,
    duration,
    voice: e.voice,
    staff: e.staff,
    notes: e.pitches.map((pitch) => ({ pitch, ...(tieStart ? { tieStart } : {}), ...(tieStop ? { tieStop } : {}) })),
  };
  if (tuplet) ev.tuplet = tuplet;
  if (e.marks) {
    // A breath mark is after the note: on its last tied piece; the other marks on its first.
    const breath = e.marks.articulations?.filter(isBreathMark) ?? [];
    const others = breath.length ? e.marks.articulations!.filter((a) => !isBreathMark(a)) : e.marks.articulations;
    if (first) Object.assign(ev, { ...e.marks, ...(others?.length ? { articulations: others } : { articulations: undefined }) });
    if (!ev.articulations) delete ev.articulations;
    if (last && breath.length) ev.articulations = [...(ev.articulations ?? []), ...breath];
  }
  return ev;
}
