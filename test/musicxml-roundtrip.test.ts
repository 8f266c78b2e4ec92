/**
 * Every file of the MusicXML test suite and of the corpus goes read → write → read:
 * the output must validate against the MusicXML 4.0 XSD and hold the same notes
 * (per part: onset, duration and sounding pitch, ties joined).
 */
import { basename } from "node:path";
import { describe, expect, test } from "vitest";
import { noteKey, scoreNotes } from "../src/model/notes.js";
import type { Score } from "../src/model/score.js";
import { readScore } from "../src/read/index.js";
import { readMusicXml } from "../src/read/musicxml/index.js";
import { writeMusicXml, writeMusicXmlBytes } from "../src/write/musicxml.js";
import { bytesOf, corpusFiles } from "./support/corpus.js";
import { xsdErrors } from "./support/xsd.js";

/** A part with a transposition may have its written key respelled (C♯ → D♭), which is the same music. */
function transposes(score: Score, part: number): boolean {
  return score.parts[part]!.measures.some((m) => m.attributes.transpose && (m.attributes.transpose.chromatic || m.attributes.transpose.octaveChange));
}

function notesOf(score: Score): string[][] {
  return scoreNotes(score).map((notes, i) => notes.map((n) => noteKey(n, !transposes(score, i))));
}

const FOLDERS = ["edge/lilypond-suite", "edge", "chorales", "quartets", "piano"];

for (const folder of FOLDERS) {
  describe(`round trip: ${folder}`, () => {
    for (const file of corpusFiles(folder)) {
      test(basename(file), () => {
        const original = readScore(bytesOf(file), file);
        const xml = writeMusicXml(original);
        expect(xsdErrors(xml)).toEqual([]);
        const again = readMusicXml(xml, "written");
        expect(again.parts.map((p) => p.name)).toEqual(original.parts.map((p) => p.name));
        expect(notesOf(again)).toEqual(notesOf(original));
        // Measures keep their numbers and lengths.
        expect(again.parts.map((p) => p.measures.map((m) => `${m.number}:${m.duration.n}/${m.duration.d}`))).toEqual(
          original.parts.map((p) => p.measures.map((m) => `${m.number}:${m.duration.n}/${m.duration.d}`)),
        );
        // Writing is a fixed point after one pass: same score in, same bytes out.
        expect(writeMusicXml(again)).toBe(xml);
        // The bytes, encoded measure by measure, are the text's.
        expect(Buffer.from(writeMusicXmlBytes(original)).equals(new TextEncoder().encode(xml))).toBe(true);
      });
    }
  });
}
