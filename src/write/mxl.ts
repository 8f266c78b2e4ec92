/**
 * Compressed MusicXML (.mxl) out: `mimetype` first and stored, then the container and the score.
 */
import { strToU8, zipSync } from "fflate";

/** A fixed time stamp keeps the archive's bytes the same from run to run. */
const MTIME = new Date("2000-01-01T00:00:00Z");

export function packMxl(musicxml: string, name = "score.musicxml"): Uint8Array {
  const container =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<container>\n  <rootfiles>\n' +
    `    <rootfile full-path="${name}" media-type="application/vnd.recordare.musicxml+xml"/>\n` +
    "  </rootfiles>\n</container>\n";
  return zipSync(
    {
      mimetype: [strToU8("application/vnd.recordare.musicxml"), { level: 0, mtime: MTIME }],
      "META-INF/container.xml": [strToU8(container), { level: 6, mtime: MTIME }],
      [name]: [strToU8(musicxml), { level: 6, mtime: MTIME }],
    },
  );
}
