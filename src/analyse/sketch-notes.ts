/**
 * The notes of a sketch as the separator sees them: ties joined, each note knowing where it was
 * written (part, measure, event, note) and which hand and voice wrote it.
 */
import { cmp, type Fraction } from "../model/fraction.js";
import type { EventMarks } from "../model/build.js";
import { midiOf, type Pitch } from "../model/pitch.js";
import type { NoteEvent, Score } from "../model/score.js";
import type { GraceNote, Line, LineNote } from "./types.js";
import { joinTies, timedEvents } from "../model/timeline.js";
import { gridsClash } from "../model/tuplets.js";
import { timeKey } from "../model/search.js";
import { TupleSet } from "../util/keyed.js";
import { groupBy } from "../util/group.js";

export interface SketchNote {
  /** From the start of the score, in whole notes. */
  readonly onset: Fraction;
  /** Ties joined. */
  readonly duration: Fraction;
  readonly pitch: Pitch;
  readonly midi: number;
  /** Part index and staff (1-based) of the first written piece. */
  readonly part: number;
  readonly staff: number;
  readonly voice: string;
  /** The reader chose the staff (see `Part.staffSplit`): staff and voice say nothing of the lines. */
  readonly staffGuessed?: true;
  readonly source: { readonly part: number; readonly measure: number; readonly event: number; readonly note: number };
  readonly marks?: EventMarks;
}

const MARK_KEYS = ["articulations", "ornaments", "technical", "slurs", "lyrics", "fermata", "tremolo", "arpeggiate"] as const;

/** The notation of an event that travels with its notes into a line. */
function marksOf(ev: NoteEvent): EventMarks | undefined {
  const out: Record<string, unknown> = {};
  for (const k of MARK_KEYS) if (ev[k] !== undefined) out[k] = ev[k];
  return Object.keys(out).length ? (out as EventMarks) : undefined;
}

/**
 * Every pitched, non-grace, non-cue note of a score, ties joined, sorted by onset then pitch
 * from high to low.
 * @example sketchNotes(sketch)[0] // { onset: 0, duration: 1/4, pitch: E5, staff: 1, source: { part: 0, measure: 0, event: 0, note: 1 }, ... }
 */
export function sketchNotes(score: Score): SketchNote[] {
  const out: SketchNote[] = [];
  score.parts.forEach((part, pi) => {
    for (const j of joinTies(part, { by: "staff", include: (ev) => !ev.cue && !ev.grace && ev.duration.n > 0 })) {
      const pitch = j.note.pitch;
      if (!pitch) continue;
      const marks = marksOf(j.event);
      out.push({
        onset: j.onset,
        duration: j.duration,
        pitch,
        midi: midiOf(pitch),
        part: pi,
        staff: j.staff,
        voice: j.event.voice,
        ...(part.staffSplit === "guessed" ? { staffGuessed: true as const } : {}),
        source: { part: pi, measure: j.measure, event: j.index, note: j.noteIndex },
        ...(marks ? { marks } : {}),
      });
    }
  });
  return out.sort((a, b) => cmp(a.onset, b.onset) || b.midi - a.midi || a.part - b.part || a.staff - b.staff);
}

/**
 * Sketch notes that no line holds (the separator should keep them all; this makes sure), as line
 * notes without their marks.
 */
export function straysOf(notes: readonly SketchNote[], lines: readonly Line[]): LineNote[] {
  const held = new TupleSet<[time: string, midi: number]>();
  for (const l of lines) for (const n of l.notes) held.add([timeKey(n.onset), midiOf(n.pitch)]);
  return notes.filter((n) => !held.has([timeKey(n.onset), n.midi])).map((n) => ({ onset: n.onset, duration: n.duration, pitch: n.pitch, source: n.source }));
}

/**
 * The grace notes of a score (cue notes left out), part by part in the order written.
 * @example graceNotes(sketch)[0] // { onset: 3/4, pitches: [D5], slash: true }
 */
export function graceNotes(score: Score): GraceNote[] {
  const out: GraceNote[] = [];
  for (const part of score.parts) {
    for (const { event: ev, onset } of timedEvents(part)) {
      if (ev.kind !== "note" || !ev.grace || ev.cue) continue;
      const pitches = ev.notes.flatMap((n) => (n.pitch ? [n.pitch] : []));
      if (pitches.length) out.push({ onset, pitches, slash: ev.grace.slash });
    }
  }
  return out;
}

/** A line note under construction: `shared` grows while the separator works. */
export type DraftNote = LineNote & { shared?: number[] };

/** The note event of the sketch that a line note came from. */
export function sourceEvent(score: Score, n: LineNote): NoteEvent | undefined {
  const ev = score.parts[n.source.part]?.measures[n.source.measure]?.events[n.source.event];
  return ev?.kind === "note" ? ev : undefined;
}

/** The staff and voice number the sketch writes a line note in, where its staves and voices are the sketch's own (not a reader's guess). */
export type StaffVoice = (n: LineNote) => { readonly staff: number; readonly voice: number } | undefined;

/** `StaffVoice` of a sketch: voices by their number (1 the upper of a staff, as MusicXML writes them). */
export function staffVoices(score: Score): StaffVoice {
  return (n) => {
    const part = score.parts[n.source.part];
    if (!part || part.staffSplit === "guessed" || part.voiceSplit === "guessed") return undefined;
    const ev = sourceEvent(score, n);
    const voice = Number(ev?.voice);
    return ev && Number.isFinite(voice) ? { staff: ev.staff, voice } : undefined;
  };
}

/** The line note a sketch note becomes. */
export function lineNoteOf(n: SketchNote): DraftNote {
  const ln: { -readonly [K in keyof LineNote]: LineNote[K] } & { shared?: number[] } = {
    onset: n.onset,
    duration: n.duration,
    pitch: n.pitch,
    source: n.source,
  };
  if (n.marks) ln.marks = n.marks;
  return ln;
}

/**
 * Which staff of which part a note was written on: the lines of one staff are separated together.
 * Where the reader guessed the staves, the whole keyboard is one.
 */
export const staffKeyOf = (n: SketchNote): string => (n.staffGuessed ? `${n.part}` : `${n.part}:${n.staff}`);

/** Notes by staff (`staffKeyOf`), each list in the order given, staves in order of first note. */
export function groupByStaff(notes: readonly SketchNote[]): Map<string, SketchNote[]> {
  return groupBy(notes, staffKeyOf);
}

/** Notes grouped by onset (sorted input), each chord high to low. */
export function byOnset(notes: readonly SketchNote[]): SketchNote[][] {
  const groups: SketchNote[][] = [];
  for (const n of notes) {
    const last = groups[groups.length - 1];
    if (last && cmp(last[0]!.onset, n.onset) === 0) last.push(n);
    else groups.push([n]);
  }
  for (const g of groups) g.sort((a, b) => b.midi - a.midi);
  return groups;
}

/**
 * What a line pays to take a note struck at `t` after its last note (struck at `onset`, ending at
 * `end`) where one voice could not write both, the 16ths of one and the triplets of another in a
 * beat (see `gridsClash`): enough that another line, or a new one, takes it.
 */
export function gridCost(onset: Fraction, end: Fraction, t: Fraction): number {
  return gridsClash(onset, t) || gridsClash(end, t) ? 100 : 0;
}
