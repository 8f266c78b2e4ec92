/**
 * The evaluation's sketch maker: an ensemble score (a chorale's SATB, a string quartet) pressed
 * into a two-staff piano part, each staff a single voice of chords, as a pianist would read it.
 * What the voice separator must undo, with the truth of where every note came from.
 */
import { buildMeasures, framesOf, type MeasureFrame, type PlacedDirection, type PlacedEvent } from "../model/build.js";
import { add, cmp, eq, type Fraction, gt, lt, sum } from "../model/fraction.js";
import { midiOf, type Pitch } from "../model/pitch.js";
import type { Attributes, Event, Measure, Part, Score } from "../model/score.js";
import { soundingNotes } from "../model/notes.js";
import { timedDirections } from "../model/timeline.js";
import { tupletSpans } from "../model/tuplets.js";
import { timeKey } from "../model/search.js";
import { TupleSet } from "../util/keyed.js";

/** One note of the ensemble score and where it went in the sketch. */
export interface ReducedNote {
  /** Index of the ensemble part that plays it. */
  readonly part: number;
  readonly onset: Fraction;
  readonly duration: Fraction;
  readonly pitch: Pitch;
  /** The sketch staff it went to (1 treble, 2 bass). */
  readonly staff: number;
}

export interface Reduction {
  /** One part, "Piano", two staves, one voice of chords per staff. */
  readonly sketch: Score;
  readonly truth: {
    /** Names of the ensemble parts, by index. */
    readonly parts: readonly string[];
    /**
     * Every pitched, non-grace note of the ensemble, ties joined. In the sketch it is the note
     * struck at the same onset, pitch and staff (a unison of two parts is one sketch note).
     */
    readonly notes: readonly ReducedNote[];
  };
}

/**
 * Merges the parts of an ensemble score into a piano sketch: the upper half of the parts on the
 * treble staff, the lower half on the bass staff; at every onset on a staff, one chord of all its
 * sounding notes; a note held while another moves is split and tied across.
 * @example reduceToPiano(chorale).sketch.parts[0].staves // 2
 */
export function reduceToPiano(score: Score): Reduction {
  const upper = Math.ceil(score.parts.length / 2);
  const notes: ReducedNote[] = [];
  score.parts.forEach((part, pi) => {
    const staff = pi < upper ? 1 : 2;
    const seen = new TupleSet<[time: string, midi: number]>();
    for (const n of soundingNotes(part)) {
      if (n.grace || !n.pitch || n.duration.n <= 0) continue;
      // A part's own unison (two voices on one pitch) is one note for the ear.
      const key: [string, number] = [timeKey(n.onset), midiOf(n.pitch)];
      if (seen.has(key)) continue;
      seen.add(key);
      notes.push({ part: pi, onset: n.onset, duration: n.duration, pitch: n.pitch, staff });
    }
  });
  // The measures of the longest part (parts of a badly encoded score may end early).
  const longest = [...score.parts].sort((a, b) => cmp(totalOf(b), totalOf(a)))[0];
  const frames: MeasureFrame[] = longest ? framesOf(longest).map((f, i) => ({ ...f, attributes: pianoAttributes(f.attributes, i === 0) })) : [];
  const end = longest ? totalOf(longest) : { n: 0, d: 1 };
  // Nothing sounds past the last barline: notes there cannot be written.
  for (let i = notes.length - 1; i >= 0; i--) {
    const n = notes[i]!;
    if (!lt(n.onset, end)) notes.splice(i, 1);
    else if (gt(add(n.onset, n.duration), end)) notes[i] = { ...n, duration: add(end, { n: -n.onset.n, d: n.onset.d }) };
  }
  const events: PlacedEvent[] = [];
  const ties: TieInfo[] = [];
  for (const staff of [1, 2]) {
    const { events: e, ties: t } = chordsOf(notes.filter((n) => n.staff === staff), staff);
    events.push(...e);
    ties.push(...t);
  }
  const directions = dynamicsOf(score, upper);
  const measures = fixTies(buildMeasures(frames, events, directions, { tuplets: tupletSpans(score) }), frames, ties);
  const piano: Part = {
    id: "P1",
    name: "Piano",
    instruments: [{ id: "P1-I1", name: "Piano", sound: "keyboard.piano", midiProgram: 1 }],
    staves: 2,
    measures,
  };
  const sketch: Score = { meta: { ...score.meta, creators: score.meta.creators, rights: score.meta.rights }, parts: [piano], groups: [] };
  return { sketch, truth: { parts: score.parts.map((p) => p.name), notes: notes.sort((a, b) => cmp(a.onset, b.onset) || a.part - b.part) } };
}

function totalOf(part: Part): Fraction {
  return sum(part.measures.map((m) => m.duration));
}

function pianoAttributes(a: Attributes, first: boolean): Attributes {
  const { clefs: _c, transpose: _t, staves: _s, staffKeys: _k, ...rest } = a;
  if (!first) return rest;
  return {
    ...rest,
    staves: 2,
    clefs: [
      { staff: 1, clef: { sign: "G", line: 2 } },
      { staff: 2, clef: { sign: "F", line: 4 } },
    ],
  };
}

/** Which pitches of a chord segment continue the previous one (tied in). */
interface TieInfo {
  readonly staff: number;
  readonly start: Fraction;
  readonly end: Fraction;
  readonly tiedIn: ReadonlySet<number>;
  readonly tiedOut: ReadonlySet<number>;
}

function chordsOf(notes: readonly ReducedNote[], staff: number): { events: PlacedEvent[]; ties: TieInfo[] } {
  const bounds: Fraction[] = [];
  const seen = new Set<string>();
  for (const n of notes) {
    for (const t of [n.onset, add(n.onset, n.duration)]) {
      const k = `${t.n}/${t.d}`;
      if (!seen.has(k)) {
        seen.add(k);
        bounds.push(t);
      }
    }
  }
  bounds.sort(cmp);
  const segs: { start: Fraction; end: Fraction; pitches: Pitch[]; tiedIn: Set<number> }[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const start = bounds[i]!;
    const end = bounds[i + 1]!;
    const sounding = notes.filter((n) => !gt(n.onset, start) && lt(start, add(n.onset, n.duration)));
    if (sounding.length === 0) continue;
    const byMidi = new Map<number, { pitch: Pitch; struck: boolean }>();
    for (const n of sounding) {
      const m = midiOf(n.pitch);
      const struck = eq(n.onset, start);
      const had = byMidi.get(m);
      if (!had) byMidi.set(m, { pitch: n.pitch, struck });
      else if (struck) had.struck = true;
    }
    const prev = segs[segs.length - 1];
    const contiguous = prev !== undefined && eq(prev.end, start);
    const tiedIn = new Set<number>();
    for (const [m, v] of byMidi) {
      // A pitch is tied over only if nobody strikes it here.
      if (!v.struck && contiguous && prev.pitches.some((p) => midiOf(p) === m)) tiedIn.add(m);
    }
    const pitches = [...byMidi.entries()].sort(([a], [b]) => b - a).map(([, v]) => v.pitch);
    segs.push({ start, end, pitches, tiedIn });
  }
  const events: PlacedEvent[] = segs.map((s) => ({ onset: s.start, duration: add(s.end, { n: -s.start.n, d: s.start.d }), pitches: s.pitches, voice: staff === 1 ? "1" : "5", staff }));
  const ties: TieInfo[] = segs.map((s, i) => {
    const next = segs[i + 1];
    return { staff, start: s.start, end: s.end, tiedIn: s.tiedIn, tiedOut: next && eq(next.start, s.end) ? next.tiedIn : new Set<number>() };
  });
  return { events, ties };
}

/** buildMeasures ties whole events; the sketch ties chord notes one by one. */
function fixTies(measures: Measure[], frames: readonly MeasureFrame[], ties: readonly TieInfo[]): Measure[] {
  const byKey = new Map<string, TieInfo>();
  for (const t of ties) byKey.set(`${t.staff}@${t.start.n}/${t.start.d}`, t);
  // Segments sorted per staff, to find the one a piece lies in.
  const perStaff = new Map<number, TieInfo[]>();
  for (const t of ties) perStaff.set(t.staff, [...(perStaff.get(t.staff) ?? []), t]);
  const segOf = (staff: number, at: Fraction): TieInfo | undefined => {
    const list = perStaff.get(staff) ?? [];
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid]!;
      if (lt(at, s.start)) hi = mid - 1;
      else if (!lt(at, s.end)) lo = mid + 1;
      else return s;
    }
    return undefined;
  };
  return measures.map((m, mi) => {
    const start = frames[mi]!.start;
    const events: Event[] = m.events.map((ev) => {
      if (ev.kind !== "note") return ev;
      const at = add(start, ev.onset);
      const seg = segOf(ev.staff, at);
      if (!seg) return ev;
      const firstPiece = eq(at, seg.start);
      const lastPiece = eq(add(at, ev.duration), seg.end);
      return {
        ...ev,
        notes: ev.notes.map((n) => {
          const midi = n.pitch ? midiOf(n.pitch) : -1;
          const tieStop = firstPiece ? seg.tiedIn.has(midi) : true;
          const tieStart = lastPiece ? seg.tiedOut.has(midi) : true;
          const { tieStart: _a, tieStop: _b, ...rest } = n;
          return { ...rest, ...(tieStart ? { tieStart } : {}), ...(tieStop ? { tieStop } : {}) };
        }),
      };
    });
    return { ...m, events };
  });
}

/** Dynamics of the first part of each half, on its staff. */
function dynamicsOf(score: Score, upper: number): PlacedDirection[] {
  const out: PlacedDirection[] = [];
  for (const [pi, staff] of [
    [0, 1],
    [upper, 2],
  ] as const) {
    const part = score.parts[pi];
    if (!part) continue;
    for (const { direction: d, onset } of timedDirections(part)) {
      const items = d.items.filter((it) => it.kind === "dynamics");
      if (items.length === 0) continue;
      const { offset: _o, voice: _v, ...rest } = d;
      out.push({ ...rest, items, staff, onset });
    }
  }
  return out;
}
