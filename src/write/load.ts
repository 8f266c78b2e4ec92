/**
 * Writing a score loading only what its format needs: MusicXML is written without fflate (.mxl)
 * and midi-file (MIDI), which `writeScore` (index.ts) has at hand.
 */
import type { Score } from "../model/score.js";
import type { OutputFormat } from "./index.js";
import { writeMusicXmlBytes, type WriteOptions } from "./musicxml.js";

/** One format's `writeScore`. */
export type FormatWriter = (score: Score, options?: WriteOptions) => Uint8Array;

const LOADERS: Readonly<Record<OutputFormat, () => Promise<FormatWriter>>> = {
  musicxml: () => Promise.resolve(writeMusicXmlBytes),
  mxl: async () => (await import("./mxl.js")).writeMxl,
  // MIDI takes none of MusicXML's options, as in writeScore.
  midi: async () => {
    const { writeMidi } = await import("./midi.js");
    return (score) => writeMidi(score);
  },
};

/**
 * `writeScore` for one format, its code loaded first.
 * @example (await loadWriter("musicxml"))(score) // the bytes of writeScore(score, "musicxml")
 */
export function loadWriter(format: OutputFormat): Promise<FormatWriter> {
  return LOADERS[format]();
}
