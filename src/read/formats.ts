/**
 * The input formats: which one a file is, from its content, and reading it with its format's
 * reader, with the same checks and errors whatever the format. The readers are handed in:
 * `index.ts` has them all at hand, `load.ts` loads only the one a file needs, since the .mxl and
 * MIDI readers bring fflate, tonal and @tonejs/midi with them. The file system is the caller's
 * business.
 */
import { TuttiError } from "../model/errors.js";
import type { Score } from "../model/score.js";
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

/** A format's reader: the score, and what the reader had to decide, in sentences (see `ReadReport`). */
export type FormatReader = (bytes: Uint8Array, name: string) => { readonly score: Score; readonly notes: string[] };

/** MusicXML's reader: the text in the encoding it declares. */
export const readMusicXmlFile: FormatReader = (bytes, name) => readMusicXmlText(decodeXml(bytes), name);

/** The reader of MusicXML text, an .mxl's included. */
export function readMusicXmlText(text: string, name: string): { score: Score; notes: string[] } {
  const read = readMusicXmlWithReport(text, name);
  return { score: read.score, notes: musicXmlNotes(read.report) };
}

/**
 * Reads a score from a file's bytes with the reader of its format in `readers`, which must hold
 * it. Errors are `TuttiError`s that name `name`, each a line saying what is wrong; inputs past
 * `READ_LIMITS` are refused the same way.
 * @example readScoreWith(bytes, "sketch.musicxml", { musicxml: readMusicXmlFile }).score.parts.length // 1
 */
export function readScoreWith(bytes: Uint8Array, name: string, readers: Readonly<Partial<Record<InputFormat, FormatReader>>>): { score: Score; report: ReadReport } {
  return named(name, () => {
    if (bytes.length === 0) throw new TuttiError("EMPTY_SCORE", "the file is empty");
    if (bytes.length > READ_LIMITS.maxFileBytes) {
      throw new TuttiError("UNREADABLE", `the file is larger than ${sizeText(READ_LIMITS.maxFileBytes)}; refusing it`);
    }
    const format = detectFormat(bytes, name);
    if (format === undefined) throw new TuttiError("UNSUPPORTED", "not a MusicXML, .mxl or MIDI file");
    const reader = readers[format];
    if (!reader) throw new TuttiError("UNREADABLE", `no reader of ${format} was given (a bug in Tutti)`);
    const { score, notes } = reader(bytes, name);
    return { score, report: { format, notes } };
  });
}

/**
 * Reads a MusicXML file whose text `decode` gives, with the checks and errors of `readScoreWith`:
 * for a caller that holds the file's bytes only until they are decoded. The file reader of
 * `tutti/node` lets a long score's bytes go before its text is walked (a 10,000-measure
 * orchestral score is 150 MB of them).
 * @example readMusicXmlDecoded(() => decodeXml(bytes), "sketch.musicxml").report.format // "musicxml"
 */
export function readMusicXmlDecoded(decode: () => string, name: string): { score: Score; report: ReadReport } {
  return named(name, () => {
    const { score, notes } = readMusicXmlText(decode(), name);
    return { score, report: { format: "musicxml", notes } };
  });
}

/**
 * A reader's work, its errors as `TuttiError`s that name the file, each one line, and a score
 * without notes or rests refused.
 */
function named(name: string, read: () => { score: Score; report: ReadReport }): { score: Score; report: ReadReport } {
  let result: { score: Score; report: ReadReport };
  try {
    result = read();
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
  if (result.score.parts.every((p) => p.measures.every((m) => m.events.length === 0))) {
    throw new TuttiError("EMPTY_SCORE", "the score has no notes or rests", name);
  }
  return result;
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
