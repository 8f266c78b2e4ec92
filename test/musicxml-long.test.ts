/**
 * The streaming reader (issue 19): a long honest score is read whatever its number of elements,
 * and what it builds is bounded, so a hostile file past those bounds still stops with one line.
 */
import { expect, test } from "vitest";
import { TuttiError } from "../src/model/errors.js";
import { READ_LIMITS } from "../src/read/limits.js";
import { readScore } from "../src/read/index.js";

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

/** An eighth note as Tutti writes one of a sung line: 16 elements. */
const NOTE = (step: string): string =>
  `<note><pitch><step>${step}</step><octave>4</octave></pitch><duration>1</duration><voice>1</voice><type>eighth</type><stem>up</stem><staff>1</staff>` +
  `<beam number="1">continue</beam><notations><articulations><staccato/></articulations></notations><lyric number="1"><syllabic>single</syllabic><text>la</text></lyric></note>`;
const EIGHTHS = ["C", "D", "E", "F", "G", "A", "B", "C"].map(NOTE).join("");
const WHOLE_REST = "<note><rest/><duration>8</duration><voice>1</voice></note>";

/** `parts` parts of `measures` measures of `bar` in 4/4, as Tutti writes a part (header, attributes in the first measure). */
function longScore(parts: number, measures: number, bar = EIGHTHS): string {
  const attributes = "<attributes><divisions>2</divisions><key><fifths>0</fifths></key><time><beats>4</beats><beat-type>4</beat-type></time><clef><sign>G</sign><line>2</line></clef></attributes>";
  const list = Array.from({ length: parts }, (_, p) => `<score-part id="P${p + 1}"><part-name>Part ${p + 1}</part-name></score-part>`).join("");
  const body = Array.from({ length: parts }, (_, p) => {
    const ms: string[] = [];
    for (let m = 1; m <= measures; m++) ms.push(`<measure number="${m}">${m === 1 ? attributes : ""}${bar}</measure>`);
    return `<part id="P${p + 1}">${ms.join("\n")}</part>`;
  }).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<score-partwise version="4.0"><work><work-title>Long</work-title></work><part-list>${list}</part-list>${body}</score-partwise>\n`;
}

test("a score of more than 1,000,000 elements, which the reader once refused, is read measure by measure", () => {
  const text = longScore(2, 4_000); // 2 × 4,000 × (1 + 8 × 16) elements: 1.03 million, 30 MB
  expect((text.match(/</g) ?? []).length - (text.match(/<\//g) ?? []).length).toBeGreaterThan(1_000_000);
  expect(text.length).toBeLessThan(READ_LIMITS.maxFileBytes);
  const score = readScore(encode(text), "long.musicxml");
  expect(score.meta.title).toBe("Long");
  expect(score.parts.map((p) => p.measures.length)).toEqual([4_000, 4_000]);
  expect(score.parts[1]!.measures[3_999]!.events).toHaveLength(8);
});

test("a header that keeps more than 1,000,000 elements is refused with one line, though no one element holds that many", () => {
  // 1,100 credits of 1,000 words each: every <credit> is small, what the reader keeps is not.
  const credit = `<credit page="1">${"<credit-words/>".repeat(1_000)}</credit>`;
  const text = `<score-partwise version="4.0">${credit.repeat(1_100)}<part-list><score-part id="P1"><part-name>A</part-name></score-part></part-list><part id="P1"><measure number="1">${NOTE("C")}</measure></part></score-partwise>`;
  let thrown: unknown;
  try {
    readScore(encode(text), "credits.musicxml");
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(TuttiError);
  const err = thrown as TuttiError;
  expect(err.file).toBe("credits.musicxml");
  expect(err.message).toMatch(/^credits\.musicxml: the XML has more than 1,000,000 elements in one <credit> \(and what is kept of the header\); refusing it$/);
});

test("a part past the measure limit is refused by its count, its measures beyond the limit not read", () => {
  const text = longScore(1, READ_LIMITS.maxMeasures + 5, WHOLE_REST);
  expect(() => readScore(encode(text), "many.musicxml")).toThrow(new RegExp(`^many\\.musicxml: part P1 has ${READ_LIMITS.maxMeasures + 5} measures; Tutti reads at most ${READ_LIMITS.maxMeasures}$`));
});

test("errors keep the order of a whole-tree reader: a later malformed tag wins over an earlier bad measure, the part count over a bad measure", () => {
  const bad = `<score-partwise version="4.0"><part-list><score-part id="P1"><part-name>A</part-name></score-part></part-list><part id="P1"><measure number="1"><attributes><divisions>0</divisions></attributes>${NOTE("C")}</measure><measure number="2"><note></measure></part></score-partwise>`;
  expect(() => readScore(encode(bad), "a.musicxml")).toThrow(/^a\.musicxml: not well-formed XML/);
  const parts = READ_LIMITS.maxParts + 1;
  const list = Array.from({ length: parts }, (_, p) => `<score-part id="P${p + 1}"><part-name>x</part-name></score-part>`).join("");
  const body = Array.from({ length: parts }, (_, p) => `<part id="P${p + 1}"><measure number="1">${p === 0 ? "<attributes><divisions>0</divisions></attributes>" : ""}${NOTE("C")}</measure></part>`).join("");
  const many = `<score-partwise version="4.0"><part-list>${list}</part-list>${body}</score-partwise>`;
  expect(() => readScore(encode(many), "b.musicxml")).toThrow(new RegExp(`^b\\.musicxml: the score has ${parts} parts; Tutti reads at most ${READ_LIMITS.maxParts}$`));
  // Timewise, parts are told by their ids, however many measures name them.
  const measure = (n: number): string => `<measure number="${n}">${Array.from({ length: parts }, (_, p) => `<part id="P${p + 1}">${NOTE("C")}</part>`).join("")}</measure>`;
  const timewise = `<score-timewise version="4.0"><part-list>${list}</part-list>${measure(1)}${measure(2)}</score-timewise>`;
  expect(() => readScore(encode(timewise), "c.musicxml")).toThrow(new RegExp(`^c\\.musicxml: the score has ${parts} parts; Tutti reads at most ${READ_LIMITS.maxParts}$`));
});
