/** What the MusicXML writer decides on its own (accidentals, beams, divisions, written pitch) and what the reader refuses. */
import { describe, expect, test } from "vitest";
import { buildMeasures, type MeasureFrame } from "../src/model/build.js";
import { TuttiError } from "../src/model/errors.js";
import { frac } from "../src/model/fraction.js";
import { parsePitch } from "../src/model/pitch.js";
import type { Score, TimeSignature } from "../src/model/score.js";
import { noteKey, scoreNotes } from "../src/model/notes.js";
import { readScore } from "../src/read/index.js";
import { readMusicXml } from "../src/read/musicxml/index.js";
import { unpackMxl } from "../src/read/mxl.js";
import { writeMusicXml } from "../src/write/musicxml.js";
import { packMxl } from "../src/write/mxl.js";
import { xsdErrors } from "./support/xsd.js";
import { bytesOf, corpusFiles, FIXTURES } from "./support/corpus.js";

const TIME: TimeSignature = { kind: "measured", signatures: [{ beats: "4", beatType: 4 }] };

/** A one-part score from pitch names with durations in quarters, in concert pitch. */
function score(notes: [string, number][], opts: { fifths?: number; transpose?: { diatonic: number; chromatic: number } } = {}): Score {
  const frames: MeasureFrame[] = [];
  const total = notes.reduce((a, [, q]) => a + q, 0);
  for (let i = 0; i < Math.ceil(total / 4); i++) {
    frames.push({
      number: String(i + 1),
      start: frac(i),
      duration: frac(1),
      attributes: i === 0 ? { key: { kind: "traditional", fifths: opts.fifths ?? 0 }, time: TIME, clefs: [{ staff: 1, clef: { sign: "G", line: 2 } }], ...(opts.transpose ? { transpose: opts.transpose } : {}) } : {},
    });
  }
  let q = 0;
  const events = notes.map(([name, len]) => {
    const e = { onset: frac(q * 2, 8), duration: frac(len * 2, 8), pitches: name === "r" ? [] : [parsePitch(name)!], voice: "1", staff: 1 };
    q += len;
    return e;
  });
  return {
    meta: { title: "Test", creators: [{ type: "composer", name: "Nobody" }], rights: [] },
    parts: [{ id: "P1", name: "Clarinet", instruments: [{ id: "P1-I1", name: "Clarinet", sound: "wind.reed.clarinet.bflat", midiProgram: 72 }], staves: 1, measures: buildMeasures(frames, events) }],
    groups: [],
  };
}

const tags = (xml: string, tag: string): string[] => [...xml.matchAll(new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`, "g"))].map((m) => m[1]!);

describe("MusicXML writer", () => {
  test("starts with the 4.0 DOCTYPE, validates, and writes the same bytes twice", () => {
    const s = score([["C4", 1], ["D4", 1], ["E4", 2]]);
    const xml = writeMusicXml(s);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"/);
    expect(xml).toContain('<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN"');
    expect(xml).toContain('<score-partwise version="4.0">');
    expect(xsdErrors(xml)).toEqual([]);
    expect(writeMusicXml(s)).toBe(xml);
    expect(xml).toContain("<instrument-sound>wind.reed.clarinet.bflat</instrument-sound>");
    expect(xml).toContain("<midi-program>72</midi-program>");
  });

  test("shows accidentals by the measure rule, and none on a note tied over the barline", () => {
    // C major: F#, F# (same measure: no sign), F (natural), then F# tied into the next measure, then F#.
    const xml = writeMusicXml(score([["F#4", 1], ["F#4", 1], ["F4", 1], ["F#4", 2], ["F#4", 1], ["r", 2]]));
    expect(tags(xml, "accidental")).toEqual(["sharp", "natural", "sharp", "sharp"]);
    // In D major the F# needs no sign but an F natural does.
    expect(tags(writeMusicXml(score([["F#4", 1], ["F4", 1], ["F4", 2]], { fifths: 2 })), "accidental")).toEqual(["natural"]);
  });

  test("divisions are the least common multiple the durations need", () => {
    const s = score([["C4", 1], ["C4", 0.5], ["C4", 0.5], ["C4", 2]]);
    expect(tags(writeMusicXml(s), "divisions")).toEqual(["2"]);
  });

  test("beams eighths by beat", () => {
    const xml = writeMusicXml(score([["C4", 0.5], ["D4", 0.5], ["E4", 0.5], ["F4", 0.5], ["G4", 1], ["A4", 0.5], ["r", 0.5]]));
    expect(tags(xml, "beam")).toEqual(["begin", "end", "begin", "end"]);
    expect(tags(xml, "type")).toEqual(["eighth", "eighth", "eighth", "eighth", "quarter", "eighth", "eighth"]);
  });

  test("a B♭ clarinet in concert D major reads E major, notes a major second up, with <transpose>", () => {
    const s = score([["D4", 1], ["F#4", 1], ["A4", 2]], { fifths: 2, transpose: { diatonic: -1, chromatic: -2 } });
    const xml = writeMusicXml(s);
    expect(tags(xml, "fifths")).toEqual(["4"]);
    expect(tags(xml, "step")).toEqual(["E", "G", "B"]);
    expect(xml).toMatch(/<transpose>\s*<diatonic>-1<\/diatonic>\s*<chromatic>-2<\/chromatic>/);
    expect(xsdErrors(xml)).toEqual([]);
    // Reading it back gives concert pitch again.
    const back = readMusicXml(xml);
    expect(scoreNotes(back)[0]!.map((n) => noteKey(n))).toEqual(scoreNotes(s)[0]!.map((n) => noteKey(n)));
    expect(back.parts[0]!.measures[0]!.attributes.key).toEqual({ kind: "traditional", fifths: 2 });
  });

  test("a B♭ clarinet in concert B major is written in D♭ major, not C♯ major", () => {
    const xml = writeMusicXml(score([["B4", 4]], { fifths: 5, transpose: { diatonic: -1, chromatic: -2 } }));
    expect(tags(xml, "fifths")).toEqual(["-5"]);
    expect(tags(xml, "step")).toEqual(["D"]);
    expect(tags(xml, "alter")).toEqual(["-1"]);
  });

  test(".mxl round trip keeps the score", () => {
    const xml = writeMusicXml(score([["C4", 4]]));
    const packed = packMxl(xml);
    expect(unpackMxl(packed)).toBe(xml);
    expect(packMxl(xml)).toEqual(packed);
    expect(readScore(packed, "x.mxl").parts[0]!.name).toBe("Clarinet");
  });
});

describe("MusicXML reader", () => {
  const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

  test("a dynamic written as a mark and a word beside it is one dynamic: f and the italic z are fz (Der Lindenbaum, mm. 45–49), a z or a p alone stays a word", () => {
    const song = readScore(bytesOf(`${FIXTURES}corpus/piano/schubert-lindenbaum-voice-piano.musicxml`), "lindenbaum.musicxml");
    const piano = song.parts.find((p) => p.name === "Piano")!;
    const marks = (bar: string): string[] => piano.measures.find((m) => m.number === bar)!.directions.flatMap((d) => d.items.map((i) => (i.kind === "dynamics" ? i.values.join("+") : i.kind === "words" ? `"${i.text}"` : i.kind)));
    expect(marks("45")).toEqual(["fz"]);
    expect(marks("46")).toEqual(["p"]);
    expect(marks("57")).toEqual(["fp"]);
    const direction = (inner: string): string => `<direction><direction-type>${inner}</direction-type><staff>1</staff></direction>`;
    const one = (dirs: string): string[] =>
      readScore(bytes(`<score-partwise version="4.0"><part-list><score-part id="P1"><part-name>P</part-name></score-part></part-list><part id="P1"><measure number="1"><attributes><divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type></time></attributes>${dirs}<note><pitch><step>C</step><octave>4</octave></pitch><duration>4</duration><type>whole</type></note></measure></part></score-partwise>`), "one.musicxml")
        .parts[0]!.measures[0]!.directions.flatMap((d) => d.items.map((i) => (i.kind === "dynamics" ? i.values.join("+") : i.kind === "words" ? `"${i.text}"` : i.kind)));
    expect(one(direction("<dynamics><other-dynamics>s</other-dynamics></dynamics>") + direction("<words>fz</words>"))).toEqual(["sfz"]);
    expect(one(direction("<words>z</words>"))).toEqual(['"z"']);
    expect(one(direction("<dynamics><p/></dynamics>") + direction("<words>dolce</words>"))).toEqual(["p", '"dolce"']);
  });
  test("names the file and the line of broken XML", () => {
    expect(() => readScore(bytes("<score-partwise><part-list></score-partwise>"), "broken.musicxml")).toThrow(
      /^broken\.musicxml: not well-formed XML: .*line 1/,
    );
  });

  test("the DOCTYPE is passed over: lines after it are counted from the file's start, text before it is refused", () => {
    const doctype = '<?xml version="1.0"?>\n<!DOCTYPE score-partwise PUBLIC\n  "-//Recordare//DTD MusicXML 4.0 Partwise//EN"\n  "http://www.musicxml.org/dtds/partwise.dtd">\n';
    expect(() => readScore(bytes(`${doctype}<score-partwise>\n<part-list>\n</score-partwise>`), "after.musicxml")).toThrow(
      /^after\.musicxml: not well-formed XML: .*line 7\)$/,
    );
    const stray = doctype.replace("\n<!DOCTYPE", "\nstray text\n<!DOCTYPE");
    expect(() => readScore(bytes(`${stray}<score-partwise/>`), "before.musicxml")).toThrow(/^before\.musicxml: not well-formed XML: .*line 2\)$/);
    // Well-formed, the same score as without the DOCTYPE.
    const body = writeMusicXml(score([["C4", 4], ["E4", 2], ["G4", 2]])).replace(/^[\s\S]*?(?=<score-partwise)/, "");
    expect(readScore(bytes(doctype + body), "with.musicxml")).toEqual(readScore(bytes(body), "with.musicxml"));
  });

  test("a file cut off in the middle says which elements are left open", () => {
    expect(() => readScore(bytes("<score-partwise><part-list>"), "cut.musicxml")).toThrow(
      /^cut\.musicxml: not well-formed XML: the file ends before <score-partwise>, <part-list> are closed \(line 1\)$/,
    );
  });

  test("refuses XML that is not a score, and a score with no notes", () => {
    expect(() => readScore(bytes("<html><body/></html>"), "page.xml")).toThrow(/page\.xml: not a MusicXML score: the root element is <html>/);
    const empty = '<score-partwise version="4.0"><part-list><score-part id="P1"><part-name>x</part-name></score-part></part-list><part id="P1"><measure number="1"/></part></score-partwise>';
    const err = (() => {
      try {
        readScore(bytes(empty), "empty.musicxml");
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(TuttiError);
    expect((err as TuttiError).code).toBe("EMPTY_SCORE");
    expect(() => readScore(new Uint8Array([0x50, 0x4b, 1, 2, 3]), "bad.mxl")).toThrow(/bad\.mxl: not a readable \.mxl/);
  });

  test("converts score-timewise to partwise", () => {
    const tw =
      '<score-timewise version="4.0"><part-list><score-part id="P1"><part-name>A</part-name></score-part><score-part id="P2"><part-name>B</part-name></score-part></part-list>' +
      '<measure number="1"><part id="P1"><attributes><divisions>1</divisions></attributes><note><pitch><step>C</step><octave>5</octave></pitch><duration>4</duration><type>whole</type></note></part>' +
      '<part id="P2"><attributes><divisions>1</divisions></attributes><note><pitch><step>E</step><octave>3</octave></pitch><duration>4</duration><type>whole</type></note></part></measure></score-timewise>';
    const s = readScore(bytes(tw), "tw.xml");
    expect(s.parts.map((p) => p.name)).toEqual(["A", "B"]);
    expect(scoreNotes(s).map((p) => p.map((n) => noteKey(n)))).toEqual([["C5@0+1"], ["E3@0+1"]]);
  });

  test("a division change mid-piece keeps exact time (lilypond 03c)", () => {
    const file = corpusFiles("edge/lilypond-suite").find((f) => f.includes("03c-"))!;
    const s = readScore(bytesOf(file), file);
    // Quarters under <divisions>1, then halves under a changed <divisions>.
    expect(scoreNotes(s)[0]!.map((n) => noteKey(n))).toEqual(["C5@0+1/4", "C5@1/4+1/4", "C5@1/2+1/4", "C5@3/4+1/4", "C5@1+1/2", "C5@3/2+1/2"]);
  });
});
