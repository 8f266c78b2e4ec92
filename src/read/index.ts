/**
 * Reading any supported input from its bytes, with every format's reader at hand (`load.ts` reads
 * loading only the reader a file needs). The file system is the caller's business.
 */
import type { Score } from "../model/score.js";
import { type FormatReader, type InputFormat, readMusicXmlFile, type ReadReport, readScoreWith } from "./formats.js";
import { readMidiFile } from "./midi.js";
import { readMxlFile } from "./mxl.js";

export { detectFormat, type InputFormat, type ReadReport } from "./formats.js";

const READERS: Readonly<Record<InputFormat, FormatReader>> = { musicxml: readMusicXmlFile, mxl: readMxlFile, midi: readMidiFile };

/**
 * Reads a score from a file's bytes (MusicXML, .mxl or MIDI).
 * Errors are `TuttiError`s that name `name`, each a line saying what is wrong; inputs past
 * `READ_LIMITS` are refused the same way.
 * @example readScore(bytes, "sketch.musicxml").parts.length // 1
 */
export function readScore(bytes: Uint8Array, name: string): Score {
  return readScoreWithReport(bytes, name).score;
}

/**
 * Reads a score, and says what the reader had to decide (see `ReadReport`).
 * @example readScoreWithReport(lindenbaum, "lindenbaum.musicxml").report.notes[0] // "627 note values read from their notation, where <duration> rounds them (first at part P1, measure 11)"
 */
export function readScoreWithReport(bytes: Uint8Array, name: string): { score: Score; report: ReadReport } {
  return readScoreWith(bytes, name, READERS);
}
