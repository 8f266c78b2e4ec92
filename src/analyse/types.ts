/**
 * What the analysis stage hands to the orchestrator: the lines a piano sketch hides, what each
 * does phrase by phrase, and where the phrases are.
 */
import type { Fraction } from "../model/fraction.js";
import type { Pitch } from "../model/pitch.js";
import type { EventMarks } from "../model/build.js";

export type Role = "melody" | "bass" | "inner" | "accompaniment" | "pedal";

/** One note of a line, ties already joined. Times are from the start of the score, in whole notes. */
export interface LineNote {
  readonly onset: Fraction;
  readonly duration: Fraction;
  readonly pitch: Pitch;
  /** Where it came from in the sketch: part index, measure index, event index in the measure, note index in the event. */
  readonly source: { readonly part: number; readonly measure: number; readonly event: number; readonly note: number };
  /** Articulations, slurs, lyrics… of the source event, for the part that plays it. */
  readonly marks?: EventMarks;
  /**
   * Other lines (by index) that also play this note: one sketch note standing for two voices in
   * unison. The note is listed in this line only (every sketch note is in exactly one line); the
   * lines named here have a rest in `notes` where they double it, and their players should play it.
   */
  readonly shared?: readonly number[];
}

/** A line a player could play: one note at a time, no overlaps. */
export interface Line {
  /** 1-based, top to bottom (by mean pitch where lines overlap in time). */
  readonly index: number;
  readonly notes: readonly LineNote[];
}

export interface Phrase {
  readonly index: number;
  readonly start: Fraction;
  readonly end: Fraction;
  /** Measure indices (0-based) of the first and last measure the phrase touches. */
  readonly firstMeasure: number;
  readonly lastMeasure: number;
  /**
   * The level the phrase is scored at: the one in force longest in it (a phrase that starts on an
   * upbeat in an introduction's last f bar and goes on p is p; "mf" where the sketch marks none).
   */
  readonly dynamic: string;
}

export interface LineRole {
  readonly line: number;
  readonly phrase: number;
  readonly role: Role;
  /** For accompaniment, or a bass that moves in a figure: "alberti", "arpeggio", "repeated-chords", "repeated-notes", "sustained". */
  readonly figure?: string;
}

/** A grace note (or grace chord) of the sketch, at the onset of the note it leads to. */
export interface GraceNote {
  /** From the start of the score, in whole notes. */
  readonly onset: Fraction;
  /** Sounding pitches, as written. */
  readonly pitches: readonly Pitch[];
  /** Written with a slash (an acciaccatura). */
  readonly slash: boolean;
}

export interface Analysis {
  /** Top to bottom. Every pitched, non-grace, non-cue note of the sketch is in exactly one line. */
  readonly lines: readonly Line[];
  readonly phrases: readonly Phrase[];
  /** One entry per line and phrase where the line has notes. */
  readonly roles: readonly LineRole[];
  /** Sketch notes no line holds: none when the separator keeps its promise; the orchestrator places them all the same. */
  readonly strays: readonly LineNote[];
  /** The sketch's grace notes, in the order written, part by part. */
  readonly graces: readonly GraceNote[];
}
