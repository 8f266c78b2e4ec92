/**
 * Compressed MusicXML (.mxl) out: `mimetype` first and stored, then the container and the score.
 */
import { strToU8, zipSync } from "fflate";
import type { Score } from "../model/score.js";
import { writeMusicXmlBytes, type WriteOptions } from "./musicxml.js";

/** A fixed time stamp keeps the archive's bytes the same from run to run. */
const MTIME = new Date("2000-01-01T00:00:00Z");

/**
 * An .mxl archive of one MusicXML document, given as text or as its UTF-8 bytes.
 * @example unpackMxl(packMxl(writeMusicXml(score))) === writeMusicXml(score) // true
 */
export function packMxl(musicxml: string | Uint8Array, name = "score.musicxml"): Uint8Array {
  const container =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<container>\n  <rootfiles>\n' +
    `    <rootfile full-path="${name}" media-type="application/vnd.recordare.musicxml+xml"/>\n` +
    "  </rootfiles>\n</container>\n";
  return zipSync(
    {
      mimetype: [strToU8("application/vnd.recordare.musicxml"), { level: 0, mtime: MTIME }],
      "META-INF/container.xml": [strToU8(container), { level: 6, mtime: MTIME }],
      [name]: [typeof musicxml === "string" ? strToU8(musicxml) : musicxml, { level: 6, mtime: MTIME }],
    },
  );
}

/**
 * A score as .mxl: its MusicXML, packed.
 * @example unpackMxl(writeMxl(score)) === writeMusicXml(score) // true
 */
export function writeMxl(score: Score, options: WriteOptions = {}): Uint8Array {
  return packMxl(writeMusicXmlBytes(score, options));
}
