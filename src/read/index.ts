/**
 * Reading any supported input from its bytes. The file system is the caller's business.
 */
import { TuttiError } from "../model/errors.js";
import type { Score } from "../model/score.js";
import { unpackMxl } from "./mxl.js";
import { type MidiReadReport, readMidiWithReport } from "./midi.js";
import { spellMidi } from "./spelling.js";
import { nameOf } from "../model/pitch.js";
import { type MusicXmlReadReport, readMusicXmlWithReport } from "./musicxml/index.js";
import { READ_LIMITS, sizeText } from "./limits.js";
import { decodeText, decodeXml } from "../xml/decode.js";

export type InputFormat = "musicxml" | "mxl" | "midi";

/**
 * The format, from the content: a zip is an .mxl, "MThd" a MIDI file, text starting with "<" XML.
 * The name only decides for an .mxl that does not start like a zip (a zip may carry a prefix).
 * So a file named `.mid` that holds MusicXML is read as MusicXML, and random bytes named
 * `.musicxml` are "not a MusicXML, .mxl or MIDI file", not an XML syntax error.
 */
export function detectFormat(bytes: Uint8Array, name = ""): InputFormat | undefined {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return "mxl"; // "PK": a zip
  if (bytes[0] === 0x4d && bytes[1] === 0x54 && bytes[2] === 0x68 && bytes[3] === 0x64) return "midi"; // "MThd"
  if (looksLikeXml(bytes)) return "musicxml";
  if (/\.mxl$/i.test(name)) return "mxl";
  return undefined;
}

/** Starts with "<" once a byte-order mark and white space are skipped, in UTF-8 or UTF-16. */
function looksLikeXml(bytes: Uint8Array): boolean {
  const head = decodeText(bytes.subarray(0, 1024)).replace(/^\uFEFF/, "").trimStart();
  return head.startsWith("<");
}

/** What a reader did beyond reading, in words: values it read from their notation, measures it put back on the barline. */
export interface ReadReport {
  readonly format: InputFormat;
  readonly notes: readonly string[];
}

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
  let score: Score;
  let notes: string[] = [];
  let format: InputFormat | undefined;
  try {
    if (bytes.length === 0) throw new TuttiError("EMPTY_SCORE", "the file is empty");
    if (bytes.length > READ_LIMITS.maxFileBytes) {
      throw new TuttiError("UNREADABLE", `the file is larger than ${sizeText(READ_LIMITS.maxFileBytes)}; refusing it`);
    }
    format = detectFormat(bytes, name);
    switch (format) {
      case "mxl":
      case "musicxml": {
        const read = readMusicXmlWithReport(format === "mxl" ? unpackMxl(bytes) : decodeXml(bytes), name);
        score = read.score;
        notes = musicXmlNotes(read.report);
        break;
      }
      case "midi": {
        const read = readMidiWithReport(bytes, name);
        score = read.score;
        notes = midiNotes(read.report);
        break;
      }
      default:
        throw new TuttiError("UNSUPPORTED", "not a MusicXML, .mxl or MIDI file");
    }
  } catch (err) {
    if (err instanceof TuttiError) {
      // One line, whatever a message quoted from the file.
      const message = err.file ? err.message.slice(err.file.length + 2) : err.message;
      if (err.file && !/\s\s|[\n\r\t]/.test(message)) throw err;
      throw new TuttiError(err.code, message.replace(/\s+/g, " "), err.file ?? name);
    }
    // Not ours: a bug or a case nobody foresaw. Still one line, named, and short.
    const why = err instanceof Error ? err.message : String(err);
    throw new TuttiError("UNREADABLE", `could not be read (${why.replace(/\s+/g, " ").slice(0, 200)})`, name);
  }
  if (score.parts.every((p) => p.measures.every((m) => m.events.length === 0))) {
    throw new TuttiError("EMPTY_SCORE", "the score has no notes or rests", name);
  }
  return { score, report: { format, notes } };
}

/**
 * The MIDI reader's report as sentences: the meter and key and where they came from, the beat
 * where it was tracked, the grids the onsets were quantised to, how the piano's notes were divided
 * between the hands.
 * @example midiNotes(readMidiWithReport(bytes, "sketch.mid").report)[2] // "onsets quantised beat by beat: 52 beats in 16ths, 20 in eighths"
 */
function midiNotes(r: MidiReadReport): string[] {
  const meter = r.meterFromFile ? "from the file" : r.meterInferred ? `found in the notes (the file has none): ${r.meterInferred}` : "assumed (the file has none, and the notes do not tell)";
  const out = [`meter ${r.meter} ${meter}`, `key ${r.key} ${r.keySource === "file" ? "from the file" : "estimated from the notes"}`];
  if (r.tracked) {
    const pct = (x: number): string => `${Math.round(100 * x)} %`;
    out.push(`the file's beats do not fit its notes (${pct(r.tracked.fileFit)} of onsets on the grid); beat tracked: ${r.tracked.low === r.tracked.high ? r.tracked.low : `${r.tracked.low}–${r.tracked.high}`} bpm (${pct(r.tracked.fit)} on the grid), written as tempo changes`);
  }
  const gridName: Readonly<Record<number, string>> = { 1: "quarters", 2: "eighths", 4: "16ths", 8: "32nds", 3: "triplet eighths", 6: "triplet 16ths" };
  out.push(`onsets quantised beat by beat: ${r.grid.map((g, i) => `${g.beats}${i === 0 ? ` beat${g.beats === 1 ? "" : "s"}` : ""} in ${gridName[g.per] ?? `${g.per}ths of a beat`}`).join(", ")}`);
  if (r.pickup) out.push(`a pickup of ${r.pickup.n}/${r.pickup.d}`);
  const key = (m: number): string => nameOf(spellMidi(m, 0, "major"));
  if (r.hands?.by === "pitch") {
    out.push(`the piano's notes split between the hands by pitch, at ${key(r.hands.median)} (between ${key(r.hands.low)} and ${key(r.hands.high)}); its voices are read over both staves`);
  } else if (r.hands) out.push("the piano's hands from the track names");
  if (r.mergedDuplicates) out.push(`${r.mergedDuplicates} duplicate note${r.mergedDuplicates === 1 ? "" : "s"} merged (the same key struck twice at once)`);
  return out;
}

/** The MusicXML reader's report as sentences. */
function musicXmlNotes(r: MusicXmlReadReport): string[] {
  const where = (examples: readonly string[]): string => (examples.length ? ` (first at ${examples[0]})` : "");
  const out: string[] = [];
  if (r.snappedValues) out.push(`${r.snappedValues} note value${r.snappedValues === 1 ? "" : "s"} read from the notation, where <duration> rounds ${r.snappedValues === 1 ? "it" : "them"}${where(r.snappedExamples)}`);
  if (r.retimed) out.push(`${r.retimed} inexact note time${r.retimed === 1 ? "" : "s"} no value can show moved to the measure's grid${where(r.retimedExamples)}`);
  if (r.snappedMeasures.length) out.push(`${r.snappedMeasures.length} measure${r.snappedMeasures.length === 1 ? "" : "s"} put back on the barline of the time signature${where(r.snappedMeasures)}`);
  return out;
}
