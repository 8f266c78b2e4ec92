/**
 * Which key of an instrument a part is written for (orchestrate/instrument-keys.ts): clarinets
 * in A in sharp keys, in B♭ in flat ones; a first trumpet in C where its part lies above the B♭
 * trumpet's comfortable top.
 */
import { describe, expect, test } from "vitest";
import { ensemble } from "../src/instruments/index.js";
import { loadEnsemble } from "../src/instruments/load-ensemble.js";
import { notationContexts } from "../src/model/notation.js";
import { soundingNotes } from "../src/model/notes.js";
import { midiOf, pitch } from "../src/model/pitch.js";
import type { Score } from "../src/model/score.js";
import { loadDatabase } from "../src/node/instruments.js";
import { arrange, checkScore, summarise } from "../src/orchestrate/index.js";
import { readScore } from "../src/read/index.js";
import { readMusicXml } from "../src/read/musicxml/index.js";
import { writeMusicXml } from "../src/write/musicxml.js";
import { bytesOf, FIXTURES } from "./support/corpus.js";

const db = await loadDatabase();

const piece = (name: string): Score => readScore(bytesOf(`${FIXTURES}corpus/piano/${name}`), name);

describe("clarinets by key", () => {
  test("A major and A♭ major: the clarinet whose written key has fewer accidentals; C major keeps the B♭ clarinet", () => {
    // Dichterliebe no. 2 is in A major: the B♭ clarinet would read B major (5 sharps), the A clarinet C major.
    const [dichterliebe] = arrange(piece("schumann-dichterliebe-no2-voice-piano.musicxml"), "symphony-orchestra", db);
    expect(dichterliebe!.score.parts.map((p) => p.name)).toContain("Clarinets in A");
    expect(dichterliebe!.report.instruments).toEqual(["Clarinets in A: written for the Clarinet in A, not the Clarinet in B♭ (accidentals in the written key signature: 0, not 5)"]);
    // K. 545 is in C major: D major (2 sharps) for the B♭ clarinet beats E♭ major (3 flats) for the A clarinet.
    const [k545] = arrange(piece("mozart-k545-mvt1-exposition.mxl"), "symphony-orchestra", db);
    expect(k545!.score.parts.map((p) => p.name)).toContain("Clarinets in B♭");
    expect(k545!.report.instruments).toBeUndefined();
    // The Maple Leaf Rag is in A♭ major: the clarinet quintet's A clarinet would read B major, a B♭ clarinet B♭ major.
    const [rag] = arrange(piece("joplin-maple-leaf-rag.mxl"), "clarinet-quintet", db);
    expect(rag!.score.parts[0]!.name).toBe("Clarinet in B♭");
    expect(rag!.score.parts[0]!.instruments[0]!.sound).toBe("wind.reed.clarinet.bflat");
  });

  test("the A clarinet's part plays what the B♭ clarinet's would, written a minor third above the sound in C major", () => {
    const sketch = piece("schumann-dichterliebe-no2-voice-piano.musicxml");
    const [best] = arrange(sketch, "woodwind-quintet", db);
    const clarinet = best!.score.parts.find((p) => p.name === "Clarinet in A")!;
    expect(clarinet).toBeDefined();
    expect(clarinet.abbreviation).toBe("Cl. (A)");
    expect(clarinet.instruments[0]!.sound).toBe("wind.reed.clarinet.a");
    const first = notationContexts(clarinet)[0]!;
    expect(first.transpose).toMatchObject({ diatonic: -2, chromatic: -3 });
    expect(first.key).toMatchObject({ kind: "traditional", fifths: 3 });
    expect(best!.report.instruments).toEqual(["Clarinet in A: written for the Clarinet in A, not the Clarinet in B♭ (accidentals in the written key signature: 0, not 5)"]);
    // The same ensemble without the choice: every part sounds the same notes, the clarinet's in B♭.
    const usual = loadEnsemble(JSON.stringify({ ...ensemble(db, "woodwind-quintet"), instruments: ensemble(db, "woodwind-quintet").instruments.map(({ or: _or, ...m }) => m) }), db);
    const [plain] = arrange(sketch, usual, db);
    expect(plain!.score.parts[2]!.name).toBe("Clarinet in B♭");
    const sound = (p: Score["parts"][number]): string[] => soundingNotes(p).map((n) => `${n.onset.n}/${n.onset.d} ${n.pitch ? midiOf(n.pitch) : "-"} ${n.duration.n}/${n.duration.d}`);
    expect(best!.score.parts.map(sound)).toEqual(plain!.score.parts.map(sound));
    // Written out: the clarinet's part reads in C major, every note a minor third above its sound.
    const xml = writeMusicXml(best!.score).replace(/>\s+</g, "><");
    const part = xml.slice(xml.indexOf(`<part id="P${best!.score.parts.indexOf(clarinet) + 1}">`));
    expect(part.slice(0, part.indexOf("</attributes>"))).toMatch(/<key><fifths>0<\/fifths>.*<transpose><diatonic>-2<\/diatonic><chromatic>-3<\/chromatic><\/transpose>/s);
    const sounding = soundingNotes(clarinet).find((n) => n.pitch)!.pitch!;
    const written = /<pitch><step>([A-G])<\/step>(?:<alter>(-?\d)<\/alter>)?<octave>(\d)<\/octave><\/pitch>/.exec(part)!;
    expect(midiOf(pitch(written[1] as "C", Number(written[2] ?? 0), Number(written[3]))) - midiOf(sounding)).toBe(3);
  });
});

/** Which of the names given the report's lines about the phrases use (not its line on the instruments chosen). */
const namedIn = (text: string, names: readonly string[]): string[] => {
  const phrases = text.split("\n").filter((line) => !line.startsWith("instrument:"));
  return names.filter((name) => phrases.some((line) => line.includes(name)));
};

/** A one-staff tune in A major, half notes: the clarinet alone plays it. */
function tuneInA(steps: readonly string[]): Score {
  const notes = steps.map((s) => {
    const [, step, alter, octave] = /^([A-G])(#?)(\d)$/.exec(s)!;
    return `<note><pitch><step>${step}</step>${alter ? "<alter>1</alter>" : ""}<octave>${octave}</octave></pitch><duration>2</duration><type>half</type></note>`;
  });
  const measures = [];
  for (let i = 0; i < notes.length; i += 2) {
    const attrs = i === 0 ? "<attributes><divisions>1</divisions><key><fifths>3</fifths></key><time><beats>4</beats><beat-type>4</beat-type></time><clef><sign>G</sign><line>2</line></clef></attributes>" : "";
    measures.push(`<measure number="${i / 2 + 1}">${attrs}${notes.slice(i, i + 2).join("")}</measure>`);
  }
  return readMusicXml(`<score-partwise version="4.0"><part-list><score-part id="P1"><part-name>Sketch</part-name></score-part></part-list><part id="P1">${measures.join("")}</part></score-partwise>`, "tune.musicxml");
}

describe("clarinets by key, named so throughout", () => {
  test("the report names the A clarinet's part as the score does (Dichterliebe no. 2 for woodwind quintet)", () => {
    const [best] = arrange(piece("schumann-dichterliebe-no2-voice-piano.musicxml"), "woodwind-quintet", db);
    const text = summarise(best!.report);
    expect(best!.score.parts.map((p) => p.name)).toContain("Clarinet in A");
    expect(text).toContain("→ Clarinet in A:");
    expect(namedIn(text, ["Clarinet in B♭"])).toEqual([]);
    // Every part a phrase names is a part of the score.
    const parts = new Set(best!.score.parts.map((p) => p.name));
    for (const phrase of best!.report.phrases) for (const a of phrase.assignments) expect(parts.has(a.part)).toBe(true);
  });

  test("a part whose notes would lie worse for the A clarinet is arranged for the B♭ clarinet and named so", () => {
    const solo = loadEnsemble(JSON.stringify({ id: "solo", name: "Solo", description: "a clarinet", instruments: [{ instrument: "clarinet-bb", or: [{ instrument: "clarinet-a", for: "key" }] }] }), db);
    // Up to E6: comfortable for both clarinets, so the A clarinet reads it in C major.
    const [easy] = arrange(tuneInA(["A4", "C#5", "E5", "A5", "C#6", "E6", "C#6", "A5"]), solo, db);
    expect(easy!.score.parts[0]!.name).toBe("Clarinet in A");
    expect(easy!.report.instruments).toHaveLength(1);
    expect(easy!.report.phrases.flatMap((p) => p.assignments.map((a) => a.part))).toContain("Clarinet in A");
    // Up to F6: the B♭ clarinet's comfortable top, a semitone over the A clarinet's.
    const [high] = arrange(tuneInA(["A4", "C#5", "E5", "A5", "C#6", "F6", "C#6", "A5"]), solo, db);
    expect(high!.score.parts[0]!.name).toBe("Clarinet in B♭");
    expect(high!.score.parts[0]!.instruments[0]!.sound).toBe("wind.reed.clarinet.bflat");
    expect(high!.report.instruments).toBeUndefined();
    expect(namedIn(summarise(high!.report), ["Clarinet in A"])).toEqual([]);
    expect(soundingNotes(high!.score.parts[0]!).some((n) => n.pitch && midiOf(n.pitch) === 89)).toBe(true);
  });
});

describe("trumpets by range", () => {
  test("Polonaise op. 1 no. 3 for brass quintet: the first trumpet, up to A5 and B♭5, is in C; the second stays in B♭", () => {
    const [best] = arrange(piece("clara-schumann-polonaise-op1no3.mxl"), "brass-quintet", db);
    const names = best!.score.parts.map((p) => p.name);
    expect(names).toEqual(["Trumpet 1 in C", "Trumpet 2 in B♭", "Horn in F", "Trombone", "Tuba"]);
    const [first, second] = best!.score.parts;
    expect(notationContexts(first!)[0]!.transpose).toBeUndefined();
    expect(notationContexts(second!)[0]!.transpose).toMatchObject({ diatonic: -1, chromatic: -2 });
    // The tune stays at the sketch's octave at the top of the C trumpet's comfortable range…
    const top = Math.max(...soundingNotes(first!).flatMap((n) => (n.pitch && !n.grace ? [midiOf(n.pitch)] : [])));
    expect(top).toBe(82);
    // …and `tutti check` has nothing to say about either trumpet's range.
    expect(checkScore(best!.score, db).filter((f) => f.rule === "comfort" || f.rule === "range")).toEqual([]);
    expect(best!.report.instruments).toHaveLength(1);
    expect(best!.report.instruments![0]).toMatch(/^Trumpet 1 in C: written for the Trumpet in C, not the Trumpet in B♭ \(notes outside the comfortable range: \d+, not \d+\)$/);
  });

  test("a part that lies in the B♭ trumpet's range keeps it (K. 545 for brass quintet)", () => {
    const [best] = arrange(piece("mozart-k545-mvt1-exposition.mxl"), "brass-quintet", db);
    expect(best!.score.parts.map((p) => p.name).slice(0, 2)).toEqual(["Trumpet 1 in B♭", "Trumpet 2 in B♭"]);
    expect(best!.report.instruments).toBeUndefined();
  });
});

describe("ensemble files", () => {
  test("an alternative must be a known instrument of the same family", () => {
    const file = (or: string): string => `{"id":"duo","name":"Duo","description":"d","instruments":[{"instrument":"clarinet-bb","or":[${or}]},{"instrument":"cello"}]}`;
    expect(loadEnsemble(file('{"instrument":"clarinet-a","for":"key"}'), db).instruments[0]!.or).toEqual([{ instrument: "clarinet-a", for: "key" }]);
    expect(() => loadEnsemble(file('{"instrument":"clarinet-x","for":"key"}'), db)).toThrow(/instruments\[0\]\.or\[0\]\.instrument: unknown instrument "clarinet-x"/);
    expect(() => loadEnsemble(file('{"instrument":"trumpet-c","for":"range"}'), db)).toThrow("instruments[0].or[0]: Trumpet in C cannot stand in for Clarinet in B♭ (another family or number of staves)");
    expect(() => loadEnsemble(file('{"instrument":"clarinet-a","for":"pitch"}'), db)).toThrow(/or\.0\.for|or\[0\]\.for/);
  });
});
