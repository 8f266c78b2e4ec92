/**
 * Writing a score in any supported output format, as bytes, every format's writer at hand
 * (`load.ts` loads only the writer a format needs). The file system is the caller's business.
 */
import { TuttiError } from "../model/errors.js";
import type { Score } from "../model/score.js";
import { writeMusicXmlBytes, type WriteOptions } from "./musicxml.js";
import { writeMidi } from "./midi.js";
import { writeMxl } from "./mxl.js";

export type OutputFormat = "musicxml" | "mxl" | "midi";

/** The output format a file name asks for, by its extension. */
export function formatOfName(name: string): OutputFormat | undefined {
  const ext = /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase();
  if (ext === "musicxml" || ext === "xml") return "musicxml";
  if (ext === "mxl") return "mxl";
  if (ext === "mid" || ext === "midi") return "midi";
  return undefined;
}

/**
 * The bytes of a score in the given format.
 * @example new TextDecoder().decode(writeScore(score, "musicxml")).includes("score-partwise") // true
 */
export function writeScore(score: Score, format: OutputFormat, options: WriteOptions = {}): Uint8Array {
  switch (format) {
    case "musicxml":
      return writeMusicXmlBytes(score, options);
    case "mxl":
      return writeMxl(score, options);
    case "midi":
      return writeMidi(score);
    default:
      throw new TuttiError("UNKNOWN_FORMAT", `cannot write the format "${String(format)}"`);
  }
}
