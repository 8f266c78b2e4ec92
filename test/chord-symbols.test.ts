import { describe, expect, it } from "vitest";
import { chordIntervals, realiseChordSymbols } from "../src/analyse/chord-symbols.js";
import { sketchNotes } from "../src/analyse/sketch-notes.js";
import { loadDatabase } from "../src/node/instruments.js";
import { ensemble } from "../src/instruments/index.js";
import { add, cmp, frac, gt, lt, type Fraction, toString } from "../src/model/fraction.js";
import { chordSymbolText } from "../src/model/harmony.js";
import { writeMusicXml } from "../src/write/musicxml.js";
import { renderScoreSvg } from "../src/node/render.js";
import { midiOf, pitch, pitchClass, transpose } from "../src/model/pitch.js";
import type { Harmony, Score } from "../src/model/score.js";
import { measureStarts, timedEvents } from "../src/model/timeline.js";
import { arrange } from "../src/orchestrate/index.js";
import { readScore } from "../src/read/index.js";
import { bytesOf, FIXTURES } from "./support/corpus.js";

const read = (name: string): Score => readScore(bytesOf(`${FIXTURES}corpus/leadsheets/${name}`), name);
const db = await loadDatabase();

/** Pitch classes of a chord symbol: its root, its intervals, its bass. */
function classesOf(h: Harmony): Set<number> {
  const root = pitch(h.root.step, h.root.alter, 4);
  const out = new Set([pitchClass(midiOf(root)), ...chordIntervals(h)!.map(([d, c]) => pitchClass(midiOf(transpose(root, d, c))))]);
  if (h.bass) out.add(pitchClass(midiOf(pitch(h.bass.step, h.bass.alter, 3))));
  return out;
}

const bassClass = (h: Harmony): number => pitchClass(midiOf(h.bass ? pitch(h.bass.step, h.bass.alter, 3) : pitch(h.root.step, h.root.alter, 3)));

/** The chord symbol in force at each time of a score (none after a "N.C."). */
function symbolAt(score: Score): (t: Fraction) => Harmony | undefined {
  const marks: { at: Fraction; h?: Harmony }[] = [];
  const part = score.parts[0]!;
  const starts = measureStarts(part);
  part.measures.forEach((m, i) => {
    for (const h of m.harmonies) marks.push({ at: add(starts[i]!, h.offset), h });
    for (const d of m.directions) if (d.items.some((x) => x.kind === "words" && /^N\.C\.$/.test(x.text))) marks.push({ at: add(starts[i]!, d.offset) });
  });
  marks.sort((a, b) => cmp(a.at, b.at));
  return (t) => marks.filter((x) => !gt(x.at, t)).pop()?.h;
}

describe("chordIntervals", () => {
  const h = (kind: string, extra: Partial<Harmony> = {}): Harmony => ({ offset: frac(0), root: { step: "C", alter: 0 }, kind, ...extra });
  const names = (x: Harmony): number[] => chordIntervals(x)!.map(([, c]) => c);
  it("reads MusicXML's kinds and degrees", () => {
    expect(names(h("dominant"))).toEqual([4, 7, 10]);
    expect(names(h("half-diminished"))).toEqual([3, 6, 10]);
    expect(names(h("suspended-fourth"))).toEqual([5, 7]);
    expect(names(h("dominant", { degrees: [{ value: 9, alter: -1, type: "add" }] }))).toEqual([4, 7, 10, 13]);
    expect(names(h("major", { degrees: [{ value: 5, alter: 1, type: "alter" }] }))).toEqual([4, 8]);
    expect(names(h("dominant", { degrees: [{ value: 5, alter: 0, type: "subtract" }] }))).toEqual([4, 10]);
    expect(chordIntervals(h("none"))).toBeUndefined();
  });
});

describe("realiseChordSymbols", () => {
  it("fills a lead sheet in: the symbol's bass under two of its notes, under the tune, and nothing at a N.C.", () => {
    const sketch = read("foster-brown-hair.mxl");
    const r = realiseChordSymbols(sketch);
    expect(r.chords).toBe(40);
    expect(r.measures).toEqual(["2", "35"]);
    const before = sketchNotes(sketch);
    const added = sketchNotes(r.score).filter((n) => !before.some((o) => cmp(o.onset, n.onset) === 0 && o.midi === n.midi));
    const symbol = symbolAt(sketch);
    const onsets = new Set(added.map((n) => `${n.onset.n}/${n.onset.d}`));
    // A bass and two inner voices at every strike.
    expect(added.length).toBe(onsets.size * 3);
    for (const key of onsets) {
      const chord = added.filter((n) => `${n.onset.n}/${n.onset.d}` === key).sort((a, b) => a.midi - b.midi);
      const h = symbol(chord[0]!.onset)!;
      expect(h).toBeDefined();
      expect(pitchClass(chord[0]!.midi)).toBe(bassClass(h));
      for (const n of chord) expect(classesOf(h).has(pitchClass(n.midi))).toBe(true);
      const tune = before.filter((o) => lt(o.onset, add(chord[0]!.onset, chord[0]!.duration)) && gt(add(o.onset, o.duration), chord[0]!.onset));
      for (const n of chord) for (const o of tune) expect(n.midi).toBeLessThan(o.midi);
    }
    // The last chord ends with the tune's last note, not at the last barline.
    const tuneEnd = before.reduce((e, n) => (gt(add(n.onset, n.duration), e) ? add(n.onset, n.duration) : e), frac(0));
    expect(added.every((n) => !gt(add(n.onset, n.duration), tuneEnd))).toBe(true);
    expect(added.some((n) => cmp(add(n.onset, n.duration), tuneEnd) === 0)).toBe(true);
    // The pickup (N.C.) has none; the tune is untouched.
    expect(added.some((n) => lt(n.onset, measureStarts(sketch.parts[0]!)[1]!))).toBe(false);
    expect(sketchNotes(r.score).length).toBe(before.length + added.length);
  });

  it("leaves a symbol alone where the sketch plays its own accompaniment under the tune", () => {
    const sketch = read("foster-brown-hair.mxl");
    const part = sketch.parts[0]!;
    // Measure 3 (index 3, after the pickup and measures 1–2) gets a held A3 under its tune.
    const m = part.measures[3]!;
    const own = { kind: "note" as const, onset: frac(0), duration: m.duration, voice: "9", staff: 1, notes: [{ pitch: pitch("A", 0, 3) }] };
    const accompanied: Score = { ...sketch, parts: [{ ...part, measures: part.measures.map((x, i) => (i === 3 ? { ...x, events: [own, ...x.events] } : x)) }] };
    const r = realiseChordSymbols(accompanied);
    const voicesIn = (s: Score, i: number): Set<string> => new Set([...timedEvents(s.parts[0]!)].filter((e) => e.measure === i).map((e) => e.event.voice));
    expect([...voicesIn(r.score, 3)].sort()).toEqual([...voicesIn(accompanied, 3)].sort());
    expect(voicesIn(r.score, 4).size).toBeGreaterThan(voicesIn(accompanied, 4).size);
    expect(r.chords).toBeLessThan(40);
  });
});

describe("arranging a lead sheet", () => {
  it("gives every player of a string quartet music, the chords' bass in the cello under the others", () => {
    const sketch = read("foster-brown-hair.mxl");
    const [a] = arrange(sketch, ensemble(db, "string-quartet"), db);
    expect(a!.report.tacet).toEqual([]);
    expect(a!.report.chordSymbols).toMatch(/^40 chord symbols, mm\. 2–35/);
    const symbol = symbolAt(sketch);
    const cello = a!.score.parts.find((p) => p.name === "Cello")!;
    const others = a!.score.parts.filter((p) => p !== cello).flatMap((p) => [...timedEvents(p)]);
    let checked = 0;
    for (const e of timedEvents(cello)) {
      if (e.event.kind !== "note") continue;
      const h = symbol(e.onset);
      if (!h) continue;
      const low = Math.min(...e.event.notes.map((n) => midiOf(n.pitch!)));
      expect(pitchClass(low)).toBe(bassClass(h));
      for (const o of others) {
        if (o.event.kind !== "note" || !lt(o.onset, add(e.onset, e.event.duration)) || !gt(add(o.onset, o.event.duration), e.onset)) continue;
        for (const n of o.event.notes) expect(midiOf(n.pitch!)).toBeGreaterThanOrEqual(low);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(60);
  });

  it("keeps the symbols out of the music when asked: the tune alone, as before", () => {
    const sketch = read("berlin-alexanders-ragtime.mxl");
    const [a] = arrange(sketch, ensemble(db, "brass-quintet"), db, { chordSymbols: false });
    expect(a!.report.chordSymbols).toBeUndefined();
    expect(a!.report.notes.sketch).toBe(sketchNotes(sketch).length);
    const [b] = arrange(sketch, ensemble(db, "brass-quintet"), db);
    const tuba = b!.score.parts.find((p) => p.name === "Tuba")!;
    expect([...timedEvents(tuba)].filter((e) => e.event.kind === "note").length).toBeGreaterThan(50);
  });
});

describe("chord symbols in the arrangement", () => {
  const all = (score: Score): { at: string; h: Harmony }[] => {
    const starts = measureStarts(score.parts[0]!);
    return score.parts[0]!.measures.flatMap((m, i) => m.harmonies.map((h) => ({ at: toString(add(starts[i]!, h.offset)), h })));
  };
  const name = (h: Harmony): string => chordSymbolText(h);

  it("prints the lead sheet's symbols over the score's top staff, at their places, in a transposing part in its written key", () => {
    const sketch = read("foster-brown-hair.mxl");
    const given = all(sketch).map(({ at, h }) => `${at} ${name(h)}`);
    expect(given.length).toBe(40);
    const quartet = arrange(sketch, ensemble(db, "string-quartet"), db)[0]!.score;
    expect(all(quartet).map(({ at, h }) => `${at} ${name(h)}`)).toEqual(given);
    expect(quartet.parts.slice(1).every((p) => p.measures.every((m) => m.harmonies.length === 0))).toBe(true);
    // The brass quintet's top part is a B♭ trumpet: the file names its symbols a major second up
    // (F → G, C7 → D7), as its notes; read back, they sound as the sketch's.
    const brass = arrange(sketch, ensemble(db, "brass-quintet"), db)[0]!.score;
    const xml = writeMusicXml(brass);
    const trumpet = xml.slice(xml.indexOf('<part id="P1">'), xml.indexOf('<part id="P2">'));
    const written = [...trumpet.matchAll(/<harmony>\s*<root>\s*<root-step>([A-G])<\/root-step>(?:\s*<root-alter>(-?\d)<\/root-alter>)?/g)].map((m) => m[1]! + (m[2] ?? ""));
    expect(written.length).toBe(40);
    const sounding = all(sketch).map(({ h }) => transpose(pitch(h.root.step, h.root.alter, 4), 1, 2));
    expect(written).toEqual(sounding.map((p) => p.step + (p.alter ? String(p.alter) : "")));
    expect(all(readScore(new TextEncoder().encode(xml), "brass.musicxml")).map(({ at, h }) => `${at} ${name(h)}`)).toEqual(given);
  });

  it("draws them over the top staff on the score's pages", () => {
    const sketch = read("foster-brown-hair.mxl");
    const score = arrange(sketch, ensemble(db, "string-quartet"), db)[0]!.score;
    // Words are outlined; each keeps the text it spells as its label, a one-letter symbol too.
    const labels = renderScoreSvg(score).flatMap((page) => [...page.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1]!));
    const spelt = all(sketch).map(({ h }) => name(h));
    expect(spelt.filter((t) => t.length === 1).length).toBeGreaterThan(10);
    for (const symbol of new Set(spelt)) expect(labels.filter((l) => l === symbol).length, symbol).toBe(spelt.filter((t) => t === symbol).length);
  });
});

describe("chordSymbolText", () => {
  const h = (step: Harmony["root"]["step"], alter: number, kind: string, more: Partial<Harmony> = {}): Harmony => ({ offset: frac(0), root: { step, alter }, kind, ...more });
  it("spells a symbol as lead sheets print it", () => {
    expect(chordSymbolText(h("B", -1, "dominant"))).toBe("B♭7");
    expect(chordSymbolText(h("F", 1, "half-diminished"))).toBe("F♯m7♭5");
    expect(chordSymbolText(h("C", 0, "major", { bass: { step: "E", alter: 0 } }))).toBe("C/E");
    expect(chordSymbolText(h("G", 0, "dominant", { degrees: [{ value: 9, alter: -1, type: "alter" }] }))).toBe("G7(♭9)");
    expect(chordSymbolText(h("D", 0, "minor-seventh", { kindText: "-7" }))).toBe("D-7");
    expect(chordSymbolText(h("C", 0, "none"))).toBe("N.C.");
  });
});
