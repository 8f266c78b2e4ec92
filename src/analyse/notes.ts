/**
 * The notes of a sketch as the separator sees them: ties joined, each note knowing where it was
 * written (part, measure, event, note) and which hand and voice wrote it.
 */
import { add, cmp, eq, type Fraction } from "../model/fraction.js";
import type { EventMarks } from "../model/build.js";
import { midiOf, type Pitch } from "../model/pitch.js";
import type { NoteEvent, Score } from "../model/score.js";
import type { LineNote } from "./types.js";
import { measureStarts } from "../model/time.js";
import { groupBy } from "../model/group.js";

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
  readonly source: { readonly part: number; readonly measure: number; readonly event: number; readonly note: number };
  readonly marks?: EventMarks;
}

const MARK_KEYS = ["articulations", "ornaments", "technical", "slurs", "lyrics", "fermata", "tremolo", "arpeggiate"] as const;

/** The notation of an event that travels with its notes into a line. */
export function marksOf(ev: NoteEvent): EventMarks | undefined {
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
  const out: { -readonly [K in keyof SketchNote]: SketchNote[K] }[] = [];
  score.parts.forEach((part, pi) => {
    const starts = measureStarts(part);
    // A tied note waiting for its continuation, by staff and key number (then by key number alone,
    // for ties a source writes across staves or voices).
    const open = new Map<string, (typeof out)[number]>();
    part.measures.forEach((m, mi) => {
      m.events.forEach((ev, ei) => {
        if (ev.kind !== "note" || ev.cue || ev.grace || ev.duration.n <= 0) return;
        const onset = add(starts[mi]!, ev.onset);
        ev.notes.forEach((n, ni) => {
          if (!n.pitch) return;
          const midi = midiOf(n.pitch);
          const staff = n.staff ?? ev.staff;
          const key = `${staff}:${midi}`;
          if (n.tieStop) {
            const prev = open.get(key) ?? open.get(`*:${midi}`);
            if (prev && eq(add(prev.onset, prev.duration), onset)) {
              prev.duration = add(prev.duration, ev.duration);
              if (!n.tieStart) {
                open.delete(`${prev.staff}:${midi}`);
                open.delete(`*:${midi}`);
              }
              return;
            }
          }
          const note: (typeof out)[number] = {
            onset,
            duration: ev.duration,
            pitch: n.pitch,
            midi,
            part: pi,
            staff,
            voice: ev.voice,
            source: { part: pi, measure: mi, event: ei, note: ni },
          };
          const marks = marksOf(ev);
          if (marks) note.marks = marks;
          out.push(note);
          if (n.tieStart) {
            open.set(key, note);
            open.set(`*:${midi}`, note);
          }
        });
      });
    });
  });
  return out.sort((a, b) => cmp(a.onset, b.onset) || b.midi - a.midi || a.part - b.part || a.staff - b.staff);
}

/** A line note under construction: `shared` grows while the separator works. */
export type DraftNote = LineNote & { shared?: number[] };

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

/** Which staff of which part a note was written on. */
export const staffKeyOf = (n: SketchNote): string => `${n.part}:${n.staff}`;

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
