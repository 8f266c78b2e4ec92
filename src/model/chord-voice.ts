/**
 * A voice of chords: notes that overlap in one voice written as one chord at every onset, a note
 * held while others move split there and tied across, so every note sounds exactly as long as
 * it was given. The evaluation's piano reductions and the MIDI reader's staves are written so.
 */
import { buildMeasures, type BuildOptions, type MeasureFrame, type PlacedDirection, type PlacedEvent } from "./build.js";
import { add, cmp, eq, type Fraction, gt, lt, sub } from "./fraction.js";
import { midiOf, type Pitch } from "./pitch.js";
import type { Event, Measure } from "./score.js";
import { TupleMap } from "../util/keyed.js";

/** A note to write: when it starts, how long it sounds, its spelled pitch. */
export interface HeldNote {
  readonly onset: Fraction;
  readonly duration: Fraction;
  readonly pitch: Pitch;
  /** Struck in a rolled chord: the chord it is struck in carries an arpeggio sign. */
  readonly rolled?: true;
}

/** One chord of a voice and which of its pitches continue the chord before (tied in) or go on into the next. */
interface Segment {
  readonly start: Fraction;
  readonly end: Fraction;
  readonly tiedIn: ReadonlySet<number>;
  readonly tiedOut: ReadonlySet<number>;
}

/** A voice's events, and the ties between its chords that `buildMeasures` cannot write itself. */
export interface ChordVoice {
  readonly events: PlacedEvent[];
  readonly voice: string;
  readonly staff: number;
  readonly segments: readonly Segment[];
}

/**
 * The chords of one voice: at every onset or end of a note, one chord of all the notes sounding
 * (a key sounding twice once, spelled as the first note given); nothing where nothing sounds.
 * @example chordVoice([C4 half at 0, E4 quarter at 0, G4 quarter at 1/4], "1", 1).events // [C4+E4 at 0, C4+G4 at 1/4] (C4 tied)
 */
export function chordVoice(notes: readonly HeldNote[], voice: string, staff: number): ChordVoice {
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
  // A sweep: the notes sounding at each bound, kept in the order given.
  const byOnset = [...notes.keys()].sort((a, b) => cmp(notes[a]!.onset, notes[b]!.onset) || a - b);
  let next = 0;
  let active: number[] = [];
  const segs: { start: Fraction; end: Fraction; pitches: Pitch[]; tiedIn: Set<number>; rolled: boolean }[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const start = bounds[i]!;
    const end = bounds[i + 1]!;
    while (next < byOnset.length && !gt(notes[byOnset[next]!]!.onset, start)) active.push(byOnset[next++]!);
    active = active.filter((k) => lt(start, add(notes[k]!.onset, notes[k]!.duration))).sort((a, b) => a - b);
    if (active.length === 0) continue;
    const byMidi = new Map<number, { pitch: Pitch; struck: boolean }>();
    let rolled = false;
    for (const k of active) {
      const n = notes[k]!;
      const m = midiOf(n.pitch);
      const struck = eq(n.onset, start);
      if (struck && n.rolled) rolled = true;
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
    segs.push({ start, end, pitches, tiedIn, rolled });
  }
  const events: PlacedEvent[] = segs.map((s) => ({ onset: s.start, duration: sub(s.end, s.start), pitches: s.pitches, voice, staff, ...(s.rolled ? { marks: { arpeggiate: {} } } : {}) }));
  const segments: Segment[] = segs.map((s, i) => {
    const after = segs[i + 1];
    return { start: s.start, end: s.end, tiedIn: s.tiedIn, tiedOut: after && eq(after.start, s.end) ? after.tiedIn : new Set<number>() };
  });
  return { events, voice, staff, segments };
}

/**
 * Measures of voices of chords: `buildMeasures` over their events, then each chord note tied as
 * its voice says (`buildMeasures` ties whole events; these voices tie chord notes one by one).
 */
export function buildChordVoices(
  frames: readonly MeasureFrame[],
  voices: readonly ChordVoice[],
  directions: readonly PlacedDirection[] = [],
  options: BuildOptions = {},
): Measure[] {
  return tieChordNotes(buildMeasures(frames, voices.flatMap((v) => v.events), directions, options), frames, voices);
}

function tieChordNotes(measures: Measure[], frames: readonly MeasureFrame[], voices: readonly ChordVoice[]): Measure[] {
  const segmentsOf = new TupleMap<[staff: number, voice: string], readonly Segment[]>();
  for (const v of voices) segmentsOf.set([v.staff, v.voice], v.segments);
  const segOf = (staff: number, voice: string, at: Fraction): Segment | undefined => {
    const list = segmentsOf.get([staff, voice]) ?? [];
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
      const seg = segOf(ev.staff, ev.voice, at);
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
