/**
 * How much Tutti reads, at most. Files come from anywhere, some made to exhaust a reader: each
 * bound is far above what real scores need, and a file past one gets a one-line error naming it.
 */
import { XML_LIMITS } from "../xml/parse.js";

const MiB = 1024 * 1024;

export const READ_LIMITS = {
  ...XML_LIMITS,
  /**
   * Any input file, before anything is decoded. The limits that keep a hostile file from
   * exhausting the reader are on what it builds (`maxEvents`, `maxMeasures`, `maxParts`,
   * `XML_LIMITS`): a long text costs time, not memory beyond its own. 256 MiB holds a
   * 10,000-measure symphony-orchestra arrangement written by Tutti (150 MB) and a
   * 10,000-measure piano sketch (62 MB), and matches `XML_LIMITS.maxChars`.
   */
  maxFileBytes: 256 * MiB,
  /** A MIDI file (the largest hand-sequenced orchestral files are well under 1 MiB). */
  maxMidiBytes: 16 * MiB,
  /** The score inside an .mxl, inflated; only it and `META-INF/container.xml` are ever inflated. */
  maxInflatedBytes: 256 * MiB,
  /** `META-INF/container.xml`, inflated. */
  maxContainerBytes: 1 * MiB,
  /** Files in an .mxl archive. */
  maxZipEntries: 10_000,
  /** Parts of a score (MusicXML parts, or MIDI tracks with notes). */
  maxParts: 256,
  /** Measures of a part; a MIDI file's notes must end within this many measures. */
  maxMeasures: 10_000,
  /** The longest measure (and so the longest note), in whole notes. */
  maxMeasureWholeNotes: 256,
  /** Staves of one part. */
  maxStaves: 16,
  /**
   * Notes, chords and rests of a MusicXML score, the bulk of what its reader builds: a
   * 10,000-measure piano sketch has 106,000, a 3,000-measure symphony-orchestra arrangement
   * 188,000 (so 10,000 measures of it about 630,000). With its measures and directions the model
   * takes 1.6–1.9 kB per event, so this bounds it near 1.5 GiB (bare rests cost far less).
   */
  maxEvents: 1_000_000,
  /** Notes of a MIDI file. */
  maxMidiNotes: 500_000,
  /** The last note of a MIDI file must start within this many beats (quarter notes). */
  maxMidiBeats: 100_000,
} as const;

/** "64 MiB", "1,000,000": limits as the messages give them. */
export function sizeText(bytes: number): string {
  return bytes >= MiB ? `${Math.round((bytes / MiB) * 10) / 10} MiB` : `${bytes.toLocaleString("en")} bytes`;
}
