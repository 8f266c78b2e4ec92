/**
 * The analysis stage: lines, phrases and roles of a sketch, and the lines written out as a score.
 */
import type { Score } from "../model/score.js";
import { assignRoles, findPhrases, introductionEnd } from "./roles.js";
import { graceNotes, sketchNotes, staffVoices, straysOf } from "./sketch-notes.js";
import type { Analysis } from "./types.js";
import { separateNotes, type SeparateOptions } from "./voices.js";

/**
 * Lines, phrases and roles of a piano sketch.
 * @example analyse(sketch).lines.length // 4 for a chorale reduced to two staves
 */
export function analyse(score: Score, options: SeparateOptions = {}): Analysis {
  const notes = sketchNotes(score);
  const lines = separateNotes(notes, options);
  const first = findPhrases(score, lines);
  const voiceOf = staffVoices(score);
  const firstRoles = assignRoles(lines, first, voiceOf);
  // A tune that enters after an introduction starts a phrase of its own.
  const introduction = introductionEnd(score, lines, first, firstRoles);
  const phrases = introduction ? findPhrases(score, lines, introduction) : first;
  const roles = introduction ? assignRoles(lines, phrases, voiceOf) : firstRoles;
  return { lines, phrases, roles, strays: straysOf(notes, lines), graces: graceNotes(score) };
}

export type { Analysis, GraceNote, Line, LineNote, LineRole, Phrase, Role } from "./types.js";
export { separateVoices, separateNotes, type SeparateOptions } from "./voices.js";
export { sketchNotes, type SketchNote } from "./sketch-notes.js";
export { reduceToPiano, type Reduction, type ReducedNote } from "./reduce.js";
export { scoreSeparation, scoreExplode, type SeparationScore } from "./separation-score.js";
export { findPhrases, assignRoles, mainRole } from "./roles.js";
export { voicesScore } from "./voices-score.js";
export { analysisJson } from "./summary.js";
export { pianoView } from "./hands.js";
export { realiseChordSymbols, chordIntervals, type Realisation } from "./chord-symbols.js";
