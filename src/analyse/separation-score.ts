/**
 * How well a separation undoes a reduction: the share of the ensemble's notes that land back in
 * their own part, once lines are matched one-to-one to parts by overlap.
 */
import type { Fraction } from "../model/fraction.js";
import { midiOf } from "../model/pitch.js";
import type { Score } from "../model/score.js";
import { timeKey } from "../model/search.js";
import { timedEvents } from "../model/timeline.js";
import { TupleMap } from "../util/keyed.js";
import { assignMin } from "../util/hungarian.js";
import { sketchNotes } from "./sketch-notes.js";
import type { Reduction } from "./reduce.js";
import type { Line, LineNote } from "./types.js";

export interface SeparationScore {
  /** Ensemble notes in the line matched to their own part, over all ensemble notes. */
  readonly share: number;
  readonly correct: number;
  readonly total: number;
  /** Ensemble notes whose sketch note is in no line (should be 0). */
  readonly lost: number;
  /** For each line (by position in the list), the part it was matched to, or -1. */
  readonly partOfLine: readonly number[];
  /** For each of the reduction's notes (in `truth.notes` order), whether it is in the line matched to its part. */
  readonly inLine: readonly boolean[];
}

/** A sketch note by where it sounds: staff, time and key number. */
type NoteAt = [staff: number, time: string, midi: number];
const keyOf = (staff: number, onset: Fraction, midi: number): NoteAt => [staff, timeKey(onset), midi];
/** A sketch note by where it was written: part, measure, event and note index. */
type Written = [part: number, measure: number, event: number, note: number];
const sourceKey = (s: LineNote["source"]): Written => [s.part, s.measure, s.event, s.note];

/**
 * Scores lines against the truth of a reduction.
 * @example scoreSeparation(r, separateVoices(r.sketch)).share // 0.99 on a chorale
 */
export function scoreSeparation(reduction: Reduction, lines: readonly Line[]): SeparationScore {
  const bySource = new TupleMap<Written, number[]>();
  const position = new Map<number, number>();
  lines.forEach((l, li) => position.set(l.index, li));
  lines.forEach((l, li) => {
    for (const n of l.notes) {
      const k = sourceKey(n.source);
      const shared = (n.shared ?? []).map((i) => position.get(i)).filter((x): x is number => x !== undefined);
      bySource.set(k, [...(bySource.get(k) ?? []), li, ...shared]);
    }
  });
  const linesOfKey = new TupleMap<NoteAt, number[]>();
  for (const s of sketchNotes(reduction.sketch)) linesOfKey.set(keyOf(s.staff, s.onset, s.midi), bySource.get(sourceKey(s.source)) ?? []);
  return scoreGroups(reduction, lines.length, (staff, onset, midi) => linesOfKey.get(keyOf(staff, onset, midi)) ?? []);
}

/**
 * Scores the lines of a sketch that holds the reduction's notes but not its notation (the sketch
 * written as MIDI and read back): a note is found by its onset and key number alone, whichever
 * staff the reader put it on.
 * @example scoreSeparationByTime(r, separateVoices(readMidi(writeMidi(r.sketch)))).share // 0.99 on a chorale
 */
export function scoreSeparationByTime(reduction: Reduction, lines: readonly Line[]): SeparationScore {
  const linesAt = new TupleMap<[time: string, midi: number], number[]>();
  lines.forEach((l, li) => {
    for (const n of l.notes) {
      const k: [string, number] = [timeKey(n.onset), midiOf(n.pitch)];
      const shared = (n.shared ?? []).map((i) => lines.findIndex((x) => x.index === i)).filter((x) => x >= 0);
      linesAt.set(k, [...(linesAt.get(k) ?? []), li, ...shared]);
    }
  });
  return scoreGroups(reduction, lines.length, (_staff, onset, midi) => linesAt.get([timeKey(onset), midi]) ?? []);
}

/**
 * The naive baseline notation programs call Explode: in each chord of a staff the k-th highest
 * note goes to voice k of that staff.
 */
export function scoreExplode(reduction: Reduction): SeparationScore {
  const voiceOf = new TupleMap<NoteAt, number>();
  const ids = new TupleMap<[staff: number, rank: number], number>();
  const sketch: Score = reduction.sketch;
  sketch.parts.forEach((part) => {
    for (const { event: ev, onset } of timedEvents(part)) {
      if (ev.kind !== "note" || ev.grace || ev.cue) continue;
      const midis = ev.notes.filter((n) => n.pitch).map((n) => midiOf(n.pitch!)).sort((a, b) => b - a);
      midis.forEach((midi, k) => {
        const v: [staff: number, rank: number] = [ev.staff, k];
        if (!ids.has(v)) ids.set(v, ids.size);
        voiceOf.set(keyOf(ev.staff, onset, midi), ids.get(v)!);
      });
    }
  });
  return scoreGroups(reduction, ids.size, (staff, onset, midi) => {
    const v = voiceOf.get(keyOf(staff, onset, midi));
    return v === undefined ? [] : [v];
  });
}

function scoreGroups(reduction: Reduction, lineCount: number, linesOf: (staff: number, onset: Fraction, midi: number) => number[]): SeparationScore {
  const parts = reduction.truth.parts.length;
  const overlap: number[][] = Array.from({ length: lineCount }, () => new Array<number>(parts).fill(0));
  const got = reduction.truth.notes.map((n) => linesOf(n.staff, n.onset, midiOf(n.pitch)));
  reduction.truth.notes.forEach((n, i) => {
    for (const l of new Set(got[i]!)) overlap[l]![n.part]!++;
  });
  const partOfLine = assignMin(overlap.map((row) => row.map((x) => -x)));
  const inLine = reduction.truth.notes.map((n, i) => got[i]!.some((l) => partOfLine[l] === n.part));
  const correct = inLine.filter(Boolean).length;
  const lost = got.filter((ls) => ls.length === 0).length;
  const total = reduction.truth.notes.length;
  return { share: total ? correct / total : 1, correct, total, lost, partOfLine, inLine };
}
