/**
 * Measuring an arrangement: does each note go back to the part that sang it (for sketches made
 * from ensemble scores), and is the result playable and complete (for any sketch)?
 */
import type { Reduction } from "../analyse/reduce.js";
import { type Database, soundingRange } from "../instruments/index.js";
import { add, lt } from "../model/fraction.js";
import { midiOf, pitchClass } from "../model/pitch.js";
import type { Score } from "../model/score.js";
import { soundingNotes } from "../model/notes.js";
import { timeKey } from "../model/search.js";
import { TupleSet } from "../util/keyed.js";
import { checkScore, instrumentOfPart } from "./check.js";

/** A note by when it sounds and its key number (or pitch class). */
type NoteAt = [time: string, pitch: number];

/**
 * The share of the ensemble's notes that the arrangement gives to the same-numbered part
 * (soprano → Violin I, alto → Violin II …), at the same onset and sounding pitch; and, part by
 * part, where the others went (`swapped`).
 * @example fidelity(reduceToPiano(chorale), arrangement.score) // 0.99
 */
export function fidelity(reduction: Reduction, arranged: Score): { share: number; correct: number; total: number; swapped: number[][]; inPart: boolean[] } {
  const have = arranged.parts.map((p) => new TupleSet<NoteAt>(soundingNotes(p).flatMap((n) => (n.pitch ? [[timeKey(n.onset), midiOf(n.pitch)]] : []))));
  // swapped[a][b]: notes of part a not in their own part but in part b, at the same time and pitch.
  const swapped = have.map(() => have.map(() => 0));
  // For each of the reduction's notes (in `truth.notes` order), whether its own part plays it.
  const inPart = reduction.truth.notes.map((n) => {
    const at: NoteAt = [timeKey(n.onset), midiOf(n.pitch)];
    if (have[n.part]?.has(at)) return true;
    if (swapped[n.part]) have.forEach((h, b) => h.has(at) && swapped[n.part]![b]!++);
    return false;
  });
  const correct = inPart.filter(Boolean).length;
  const total = reduction.truth.notes.length;
  return { share: total ? correct / total : 1, correct, total, swapped, inPart };
}

export interface Audit {
  /** Notes outside their instrument's absolute range. */
  readonly outOfRange: number;
  /** Chords written for instruments that play one note at a time. */
  readonly chordsOnOneNote: number;
  /** Sketch notes (pitched, not grace) with no note of the same pitch class at their onset in any part. */
  readonly missing: number;
  /**
   * Of the missing, those struck where the sketch sounds more pitch classes at once than the
   * ensemble has voices (five one-note winds cannot play a six-note chord).
   */
  readonly beyondCapacity: number;
  /**
   * Of the missing, those whose pitch class a part holds through their onset, struck before: a
   * keyboard figure's notes where a brass part holds the chord it breaks (see brass-figures.ts),
   * a note struck again that a part holds on.
   */
  readonly held: number;
  readonly sketchNotes: number;
}

/** Playability and completeness of an arrangement of a sketch. */
export function audit(sketch: Score, arranged: Score, db: Database, voices = Infinity): Audit {
  const findings = checkScore(arranged, db);
  const outOfRange = countRangeNotes(arranged, db);
  const chordsOnOneNote = findings.filter((f) => f.rule === "chord").length;
  const sounding = new TupleSet<NoteAt>();
  const played = arranged.parts.flatMap((p) => soundingNotes(p).filter((n) => n.pitch));
  for (const n of played) sounding.add([timeKey(n.onset), pitchClass(midiOf(n.pitch!))]);
  let missing = 0;
  let beyondCapacity = 0;
  let held = 0;
  let total = 0;
  const notes = sketch.parts.flatMap((p) => soundingNotes(p)).filter((n) => n.pitch && !n.grace);
  for (const n of notes) {
    total++;
    const pc = pitchClass(midiOf(n.pitch!));
    if (sounding.has([timeKey(n.onset), pc])) continue;
    missing++;
    if (played.some((m) => lt(m.onset, n.onset) && lt(n.onset, add(m.onset, m.duration)) && pitchClass(midiOf(m.pitch!)) === pc)) held++;
    const at = new Set(
      notes.filter((m) => !lt(n.onset, m.onset) && lt(n.onset, add(m.onset, m.duration))).map((m) => pitchClass(midiOf(m.pitch!))),
    );
    if (at.size > voices) beyondCapacity++;
  }
  return { outOfRange, chordsOnOneNote, missing, beyondCapacity, held, sketchNotes: total };
}

/** Every note (the linter reports one per measure) outside its instrument's absolute range. */
function countRangeNotes(score: Score, db: Database): number {
  let count = 0;
  for (const part of score.parts) {
    const inst = instrumentOfPart(db, part);
    if (!inst) continue;
    const r = soundingRange(inst);
    for (const n of soundingNotes(part)) {
      if (!n.pitch || n.grace) continue;
      const m = midiOf(n.pitch);
      if (m < r.low || m > r.high) count++;
    }
  }
  return count;
}
