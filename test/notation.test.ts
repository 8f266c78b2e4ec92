/**
 * Notation that is always right: the notated value read where a file's divisions cannot express
 * it, measures kept on the barline, tuplets written as tuplets in every part that gets part of a
 * group, and the gate that refuses anything else.
 */
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { main } from "../src/cli/main.js";
import { buildMeasures, type MeasureFrame } from "../src/model/build.js";
import { TuttiError } from "../src/model/errors.js";
import { frac, toString } from "../src/model/fraction.js";
import { assertNotation, notationProblems } from "../src/model/notation-check.js";
import { pitch } from "../src/model/pitch.js";
import type { Event, Score } from "../src/model/score.js";
import { tupletMarksOf, tupletSpans } from "../src/model/tuplets.js";
import { arrange } from "../src/orchestrate/index.js";
import { readScore } from "../src/read/index.js";
import { readMusicXml, readMusicXmlWithReport } from "../src/read/musicxml/index.js";
import { writeMusicXml } from "../src/write/musicxml.js";
import { bytesOf, FIXTURES } from "./support/corpus.js";

const C5 = pitch("C", 0, 5);
const TIME_24 = { kind: "measured", signatures: [{ beats: "2", beatType: 4 }] } as const;

/** A one-part MusicXML score: `measures` are the inside of each <measure>. */
function musicxml(divisions: number, measures: string[], beats = 2): string {
  const body = measures
    .map((m, i) => `<measure number="${i + 1}">${i === 0 ? `<attributes><divisions>${divisions}</divisions><time><beats>${beats}</beats><beat-type>4</beat-type></time></attributes>` : ""}${m}</measure>`)
    .join("");
  return `<?xml version="1.0"?><score-partwise version="4.0"><part-list><score-part id="P1"><part-name>Piano</part-name></score-part></part-list><part id="P1">${body}</part></score-partwise>`;
}

const note = (step: string, duration: number, extra = "", voice = "1"): string =>
  `<note><pitch><step>${step}</step><octave>5</octave></pitch><duration>${duration}</duration><voice>${voice}</voice>${extra}</note>`;
const triplet = (type: string): string => `<type>${type}</type><time-modification><actual-notes>3</actual-notes><normal-notes>2</normal-notes></time-modification>`;
const times = (events: readonly Event[]): string[] => events.map((e) => `${e.kind === "rest" ? "r" : "n"}${toString(e.onset)}+${toString(e.duration)}`);

describe("reading the notated value", () => {
  test("triplet eighths at 256 divisions (85, 85, 86) are thirds of a quarter, and a backup and forward land where the notes are", () => {
    const xml = musicxml(256, [
      note("C", 85, triplet("eighth")) + note("D", 85, triplet("eighth")) + note("E", 86, triplet("eighth")) + note("F", 256, "<type>quarter</type>") +
        // The second voice starts at the second triplet: a file rounds that to 85 or 86.
        `<backup><duration>512</duration></backup><forward><duration>86</duration></forward>` +
        note("G", 85, triplet("eighth"), "2") + note("A", 85, triplet("eighth"), "2") + note("B", 256, "<type>quarter</type>", "2"),
    ]);
    const { score, report } = readMusicXmlWithReport(xml, "t.musicxml");
    const [m] = score.parts[0]!.measures;
    expect(toString(m!.duration)).toBe("1/2");
    expect(times(m!.events)).toEqual(["n0+1/12", "n1/12+1/12", "n1/12+1/12", "n1/6+1/12", "n1/6+1/12", "n1/4+1/4", "n1/4+1/4"]);
    expect(report.snappedValues).toBe(5);
    expect(report.snappedExamples[0]).toBe("part P1, measure 1");
  });

  test("an exact file is read as written; a value that disagrees by more than a division keeps its duration", () => {
    const exact = readMusicXmlWithReport(musicxml(3, [note("C", 1, triplet("eighth")) + note("D", 1, triplet("eighth")) + note("E", 1, triplet("eighth")) + note("F", 3, "<type>quarter</type>")]), "e");
    expect(exact.report).toMatchObject({ snappedValues: 0, retimed: 0, snappedMeasures: [] });
    const odd = readMusicXml(musicxml(4, [note("C", 6, "<type>quarter</type>") + note("D", 2, "<type>eighth</type>")]), "o");
    expect(times(odd.parts[0]!.measures[0]!.events)).toEqual(["n0+3/8", "n3/8+1/8"]);
  });

  test("a chord note without a voice, or with a wrong duration, is still a note of its chord", () => {
    const xml = musicxml(256, [note("C", 768, "<type>half</type><dot/>") + `<note><chord/><pitch><step>E</step><octave>4</octave></pitch><duration>512</duration><type>half</type><dot/></note>`], 3);
    const [ev] = readMusicXml(xml, "c").parts[0]!.measures[0]!.events;
    expect(ev!.kind === "note" && ev!.notes.length).toBe(2);
    expect(toString(ev!.duration)).toBe("3/4");
  });

  test("a measure a rounding off the barline ends on it; one run past it by a filler rest loses the rest", () => {
    // 68 of 768 divisions a quarter short of the 2/4 bar is more than a 64th: a measure of its own length.
    const far = readMusicXml(musicxml(768, [note("C", 768, "") + note("D", 700, "")]), "f");
    expect(toString(far.parts[0]!.measures[0]!.duration)).toBe("367/768");
    const near = readMusicXmlWithReport(musicxml(768, [note("C", 768, "") + note("D", 758, "")]), "n");
    expect(toString(near.score.parts[0]!.measures[0]!.duration)).toBe("1/2");
    expect(times(near.score.parts[0]!.measures[0]!.events)).toEqual(["n0+1/4", "n1/4+1/4"]);
    expect(near.report.snappedMeasures).toEqual(["part P1, measure 1"]);
    const filler = readMusicXml(musicxml(4, [note("C", 8, "<type>half</type>") + `<note><rest/><duration>3</duration><voice>1</voice></note>`]), "f");
    expect(times(filler.parts[0]!.measures[0]!.events)).toEqual(["n0+1/2"]);
  });

  test("inexact untyped times that no tuplet writes move to the grid the measure's typed values use", () => {
    // A written-out trill whose first note lasts 5/96 (and so the rest a 1/96 off): 1/16 and 32nds.
    const xml = musicxml(96, [
      note("C", 20, "") + note("D", 12, "<type>32nd</type>") + note("C", 12, "<type>32nd</type>") + note("D", 12, "<type>32nd</type>") + note("C", 16, "") + note("B", 24, "<type>16th</type>") + note("C", 96, "<type>quarter</type>"),
    ]);
    const { score, report } = readMusicXmlWithReport(xml, "trill");
    expect(times(score.parts[0]!.measures[0]!.events)).toEqual(["n0+1/16", "n1/16+1/32", "n3/32+1/32", "n1/8+1/32", "n5/32+1/32", "n3/16+1/16", "n1/4+1/4"]);
    expect(report.retimed).toBe(5);
    expect(notationProblems(score)).toEqual([]);
  });

  test("the Lindenbaum (divisions 256, triplets as 85 and 86) reads as notation with nothing off", () => {
    const score = readScore(bytesOf(`${FIXTURES}corpus/piano/schubert-lindenbaum-voice-piano.musicxml`), "lindenbaum.musicxml");
    expect(notationProblems(score)).toEqual([]);
    expect(tupletSpans(score).length).toBeGreaterThan(100);
  });
});

describe("writing tuplets", () => {
  const frames: MeasureFrame[] = [{ number: "1", start: frac(0), duration: frac(1, 2), attributes: { time: TIME_24 } }];
  const group = tupletSpans(readMusicXml(musicxml(3, [note("C", 1, triplet("eighth")) + note("D", 1, triplet("eighth")) + note("E", 1, triplet("eighth")) + note("F", 3, "<type>quarter</type>")]), "g"));

  test("a part with one note of a triplet group writes the whole group: tuplet rests, its note, one bracket", () => {
    const [m] = buildMeasures(frames, [{ onset: frac(1, 12), duration: frac(1, 12), pitches: [C5], voice: "1", staff: 1 }], [], { tuplets: group });
    expect(times(m!.events)).toEqual(["r0+1/12", "n1/12+1/12", "r1/6+1/12", "r1/4+1/4"]);
    expect(m!.events.slice(0, 3).map((e) => e.tuplet)).toEqual([0, 1, 2].map(() => ({ actual: 3, normal: 2, normalType: "eighth" })));
    expect([...tupletMarksOf(m!.events)]).toEqual([
      [0, [{ type: "start", bracket: true }]],
      [2, [{ type: "stop" }]],
    ]);
  });

  test("a note that no plain value shows is written in the tuplet its time asks for (17 in a quarter)", () => {
    const events = Array.from({ length: 17 }, (_, i) => ({ onset: frac(i, 68), duration: frac(1, 68), pitches: [C5], voice: "1", staff: 1 }));
    const [m] = buildMeasures(frames, events);
    expect(m!.events[0]!.tuplet).toEqual({ actual: 17, normal: 16, normalType: "64th" });
    expect(notationProblems({ meta: { creators: [], rights: [] }, parts: [{ id: "P1", name: "x", instruments: [], staves: 1, measures: [m!] }], groups: [] })).toEqual([]);
  });

  test("never a chain of ever shorter values: what no value shows stays one piece, for the gate to refuse", () => {
    const [m] = buildMeasures(frames, [{ onset: frac(0), duration: frac(1, 1000), pitches: [C5], voice: "1", staff: 1 }]);
    // Before: 1/1024 + 1/2048 + … down to 1/1024 steps, tied. Now at most a value and what is left.
    expect(m!.events.filter((e) => e.kind === "note").length).toBeLessThanOrEqual(2);
    const score: Score = { meta: { creators: [], rights: [] }, parts: [{ id: "P1", name: "Flute", instruments: [], staves: 1, measures: [m!] }], groups: [] };
    expect(notationProblems(score)[0]).toMatchObject({ part: "Flute", measure: "1", voice: "1" });
    expect(() => assertNotation(score, {}, "sketch.musicxml")).toThrow(TuttiError);
    expect(() => assertNotation(score, {}, "sketch.musicxml")).toThrow(/^sketch\.musicxml: Flute, m\. 1, voice 1: a note of [0-9/]+ that no type, dots and tuplet can show \(and \d+ more\); this is a bug in Tutti, nothing was written$/);
  });
});

describe("the gate", () => {
  const measure = (events: Event[]): Score => ({
    meta: { creators: [], rights: [] },
    parts: [{ id: "P1", name: "Oboe", instruments: [], staves: 1, measures: [{ number: "7", duration: frac(1, 2), attributes: {}, midAttributes: [], midBarlines: [], events, directions: [], harmonies: [] }] }],
    groups: [],
  });
  const ev = (onset: string, duration: string, extra: Partial<Event> = {}): Event =>
    ({ kind: "note", onset: frac(...(onset.split("/").map(Number) as [number, number])), duration: frac(...(duration.split("/").map(Number) as [number, number])), voice: "1", staff: 1, notes: [{ pitch: C5 }], ...extra }) as Event;

  test("a voice that does not add up, a value shorter than the sketch's, an incomplete tuplet", () => {
    expect(notationProblems(measure([ev("0/1", "1/4")])).map((p) => p.message)).toEqual(["the voice lasts 1/4, the measure 1/2"]);
    expect(notationProblems(measure([ev("0/1", "1/4"), ev("1/4", "1/8"), ev("3/8", "1/8")]), { shortest: frac(1, 4) }).map((p) => p.message)).toEqual([
      "a eighth note of 1/8, shorter than the shortest value the sketch writes (1/4)",
      "a eighth note of 1/8, shorter than the shortest value the sketch writes (1/4)",
    ]);
    const t = { actual: 3, normal: 2 };
    expect(notationProblems(measure([ev("0/1", "1/12", { tuplet: t }), ev("1/12", "1/12", { tuplet: t }), ev("1/6", "1/3")])).map((p) => p.message)).toContain("a 3:2 tuplet at 0 is not complete");
  });
});

describe("arranging real pieces", () => {
  test("the Polonaise keeps its title and composer from the page credits, and 'Fine' at the end of m. 20", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no1.mxl`), "polonaise.mxl");
    expect(sketch.meta.title).toBe("Polonaise in E-flat major, Op. 1 No. 1");
    expect(sketch.meta.creators).toContainEqual({ type: "composer", name: "Clara Schumann" });
    const [best] = arrange(sketch, "string-quartet");
    const violin = best!.score.parts[0]!;
    const fine = violin.measures.flatMap((m) => m.directions.filter((d) => d.items.some((i) => i.kind === "words" && i.text === "Fine")).map((d) => [m.number, toString(d.offset), toString(m.duration)]));
    expect(fine).toEqual([["20", "3/4", "3/4"]]);
    expect(best!.score.meta.title).toBe("Polonaise in E-flat major, Op. 1 No. 1");
  });

  test("the jumps a notation program plays go with the marks: the Polonaise's Fine and D.C. al Fine, Lascia ch'io pianga's segno and D.S. al Fine, read, arranged and written as the sketch writes them", () => {
    const jumps = (score: Score): string[] =>
      score.parts[0]!.measures.flatMap((m) => m.directions.flatMap((d) => Object.entries(d.sound ?? {}).filter(([k]) => k !== "tempo" && k !== "dynamics").map(([k, v]) => `m. ${m.number} ${k}=${v}`)));
    for (const [piece, expected] of [
      ["clara-schumann-polonaise-op1no1.mxl", 2],
      ["handel-lascia-chio-pianga.mxl", 3],
    ] as const) {
      const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/${piece}`), piece);
      const read = jumps(sketch);
      expect(read.length, piece).toBe(expected);
      const [best] = arrange(sketch, "string-quartet");
      expect(jumps(best!.score), piece).toEqual(read);
      const xml = writeMusicXml(best!.score);
      for (const j of read) expect(xml, piece).toContain(`<sound ${j.split(" ").pop()!.replace(/=(.*)$/, '="$1"')}/>`);
    }
  });
});

describe("tutti arrange refuses what it cannot write", () => {
  afterEach(() => vi.restoreAllMocks());
  test("nested tuplets: one line naming part and measure, exit 1, nothing written", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void errors.push(a.join(" ")));
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const out = mkdtempSync(join(tmpdir(), "tutti-gate-"));
    const code = await main(["node", "tutti", "arrange", `${FIXTURES}corpus/edge/lilypond-suite/23d-Tuplets-Nested.xml`, "-e", "string-quartet", "-o", out, "--quiet"]);
    expect(code).toBe(1);
    expect(errors.join("\n")).toMatch(/23d-Tuplets-Nested\.xml: Violin I, m\. 1, voice 1: .*this is a bug in Tutti, nothing was written/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});
