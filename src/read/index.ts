/**
 * Reading any supported input from its bytes. The file system is the caller's business.
 */
import { strFromU8 } from "fflate";
import { TuttiError } from "../model/errors.js";
import type { Score } from "../model/score.js";
import { unpackMxl } from "./mxl.js";
import { readMidi } from "./midi.js";
import { readMusicXml } from "./musicxml.js";

export type InputFormat = "musicxml" | "mxl" | "midi";

/** Guesses the format from the first bytes, falling back on the file name. */
export function detectFormat(bytes: Uint8Array, name = ""): InputFormat | undefined {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return "mxl"; // "PK": a zip
  if (bytes[0] === 0x4d && bytes[1] === 0x54 && bytes[2] === 0x68 && bytes[3] === 0x64) return "midi"; // "MThd"
  const ext = /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase();
  if (ext === "mxl") return "mxl";
  if (ext === "mid" || ext === "midi") return "midi";
  if (ext === "xml" || ext === "musicxml") return "musicxml";
  const head = strFromU8(bytes.subarray(0, 512)).replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("<")) return "musicxml";
  return undefined;
}

/**
 * Reads a score from a file's bytes (MusicXML, .mxl or MIDI).
 * Errors are `TuttiError`s that name `name`.
 * @example readScore(bytes, "sketch.musicxml").parts.length // 1
 */
export function readScore(bytes: Uint8Array, name: string): Score {
  const format = detectFormat(bytes, name);
  let score: Score;
  try {
    switch (format) {
      case "mxl":
        score = readMusicXml(unpackMxl(bytes), name);
        break;
      case "musicxml":
        score = readMusicXml(decodeText(bytes), name);
        break;
      case "midi":
        score = readMidi(bytes, name);
        break;
      default:
        throw new TuttiError("UNKNOWN_FORMAT", "not a MusicXML, .mxl or MIDI file");
    }
  } catch (err) {
    if (err instanceof TuttiError) throw err.file ? err : new TuttiError(err.code, err.message, name);
    throw new TuttiError("UNREADABLE", err instanceof Error ? err.message : String(err), name);
  }
  if (score.parts.every((p) => p.measures.every((m) => m.events.length === 0))) {
    throw new TuttiError("EMPTY_SCORE", "the score has no notes or rests", name);
  }
  return score;
}

/** UTF-8, or UTF-16 with a byte-order mark, as MusicXML files come. */
function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes);
  return new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "");
}
