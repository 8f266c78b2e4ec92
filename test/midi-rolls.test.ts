/**
 * Spread chords in a MIDI sketch (src/read/rolls.ts): notes struck a few ticks apart from the
 * bottom up are one chord with an arpeggio sign, not a 32nd and a 64th tied into a chord.
 */
import tonejs from "@tonejs/midi";
import { describe, expect, it } from "vitest";
import { add, cmp, eq, type Fraction, frac } from "../src/model/fraction.js";
import { measureStarts } from "../src/model/timeline.js";
import { nameOf } from "../src/model/pitch.js";
import type { Score } from "../src/model/score.js";
import { readScore } from "../src/read/index.js";
import { readMidiFile, readMidiWithReport } from "../src/read/midi.js";
import { spreadChords } from "../src/read/rolls.js";
import { writeMusicXml } from "../src/write/musicxml.js";
import { renderScoreSvg } from "../src/node/render.js";
import { bytesOf, FIXTURES } from "./support/corpus.js";

const { Midi } = tonejs;
const PPQ = 480;

/** A one-track piano file at 480 PPQ, 4/4: [key number, tick, length in ticks]. */
function pianoFile(notes: readonly (readonly [number, number, number])[]): Uint8Array {
  const midi = new Midi();
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [4, 4] });
  const track = midi.addTrack();
  track.name = "Piano";
  for (const [key, ticks, durationTicks] of notes) track.addNote({ midi: key, ticks, durationTicks, velocity: 0.6 });
  return midi.toArray();
}

/** Every chord or note struck in the score (not a tied continuation): its time from the start, its pitches, whether it carries an arpeggio sign. */
function struck(score: Score): { at: string; pitches: string; rolled: boolean }[] {
  const out: { time: Fraction; pitches: string; rolled: boolean }[] = [];
  for (const part of score.parts) {
    const starts = measureStarts(part);
    part.measures.forEach((m, i) => {
      for (const ev of m.events) {
        if (ev.kind !== "note" || ev.notes.every((n) => n.tieStop)) continue;
        out.push({ time: add(starts[i]!, ev.onset), pitches: ev.notes.map((n) => nameOf(n.pitch!)).sort().join(" "), rolled: ev.arpeggiate !== undefined });
      }
    });
  }
  // The hands' chords struck at one time as one.
  const byTime = new Map<string, { time: Fraction; pitches: string[]; rolled: boolean[] }>();
  for (const s of out) {
    const k = `${s.time.n}/${s.time.d}`;
    const had = byTime.get(k) ?? { time: s.time, pitches: [], rolled: [] };
    had.pitches.push(...s.pitches.split(" "));
    had.rolled.push(s.rolled);
    byTime.set(k, had);
  }
  return [...byTime.entries()]
    .sort(([, a], [, b]) => cmp(a.time, b.time))
    .map(([at, s]) => ({ at, pitches: s.pitches.sort().join(" "), rolled: s.rolled.every(Boolean) }));
}

describe("spread chords", () => {
  it("groups notes struck from the bottom up a few ticks apart, and writes them at the beat the roll reaches", () => {
    // C3 E3 G3 C4 E4, 20 ticks apart, the top on beat 3 (tick 960); held to beat 4.
    const roll = [48, 52, 55, 60, 64].map((midi, k) => ({ tick: 880 + 20 * k, end: 1440, midi }));
    const found = spreadChords(roll, PPQ);
    expect(roll.map((n) => found.get(n))).toEqual([960, 960, 960, 960, 960]);
    // Begun on the beat (BWV 850's last bars in piano-midi.de's file): written where it begins.
    const fromBeat = [50, 53, 57, 62].map((midi, k) => ({ tick: 960 + 30 * k, end: 1920, midi }));
    expect(fromBeat.map((n) => spreadChords(fromBeat, PPQ).get(n))).toEqual([960, 960, 960, 960]);
  });

  it("leaves alone a chord played a few ticks untidily, a chord struck from the top, a run of 32nds on the grid, notes let go before the last is struck, and a chord with a note a 32nd after it", () => {
    const untidy = [60, 64, 67, 72].map((midi, k) => ({ tick: 960 + [7, -5, 12, 0][k]!, end: 1440, midi }));
    const fromTop = [72, 67, 64, 60].map((midi, k) => ({ tick: 900 + 20 * k, end: 1440, midi }));
    const thirtySeconds = [60, 64, 67, 72].map((midi, k) => ({ tick: 960 + 60 * k, end: 1440, midi }));
    const broken = [60, 64, 67, 72].map((midi, k) => ({ tick: 900 + 20 * k, end: 900 + 20 * k + 15, midi }));
    // A chord struck untidily, and a note a 32nd after it (Beethoven op. 18/1 i, humanised).
    const andAThirtySecond = [48, 60, 64].map((midi, k) => ({ tick: 960 + [0, 9, 67][k]!, end: 1200, midi }));
    for (const notes of [untidy, fromTop, thirtySeconds, broken, andAThirtySecond]) expect(spreadChords(notes, PPQ).size).toBe(0);
  });

  it("reads a rolled chord in a file as one chord with an arpeggio sign, on a plain grid, and says so", () => {
    const bytes = pianoFile([
      [72, 0, 480],
      [74, 480, 480],
      ...[48, 55, 64, 67, 76].map((key, k) => [key, 880 + 20 * k, 1000] as const),
      [76, 1920, 1920],
    ]);
    const { score, report } = readMidiWithReport(bytes, "rolled.mid");
    // Every note of the roll at the beat (each hand's chord with its sign), none on a 32nd.
    expect(struck(score)).toEqual([
      { at: "0/1", pitches: "C5", rolled: false },
      { at: "1/4", pitches: "D5", rolled: false },
      { at: "1/2", pitches: "C3 E4 E5 G3 G4", rolled: true },
      { at: "1/1", pitches: "E5", rolled: false },
    ]);
    expect(report.rolled).toBe(1);
    expect(report.grid.some((g) => g.per === 8)).toBe(false);
    expect(writeMusicXml(score)).toContain("<arpeggiate/>");
    // Drawn too: SMuFL's arpeggio wiggle before each hand's chord, and nowhere else.
    const [page] = renderScoreSvg(score);
    expect(page).toContain('href="#gmeaa9"');
    expect(renderScoreSvg(readMidiWithReport(pianoFile([[60, 0, 480], [64, 480, 480]]), "plain.mid").score)[0]).not.toContain('href="#gmeaa9"');
    expect(readMidiFile(bytes, "rolled.mid").notes.join("\n")).toContain("1 spread chord");
  });

  it("writes Clair de lune's rolled chords (piano-midi.de, mm. 25–26) as chords on the beat, with no 32nd in those bars", () => {
    const { score, report } = readMidiWithReport(bytesOf(`${FIXTURES}corpus/midi/pianomidi-debussy-claire-de-lune.mid`), "clair.mid");
    expect(report.rolled).toBe(5);
    const part = score.parts[0]!;
    const starts = measureStarts(part);
    const bars = [24, 25].map((i) => part.measures[i]!);
    for (const m of bars) {
      const notes = m.events.filter((e) => e.kind === "note");
      expect(notes.every((e) => e.onset.d <= 16 && e.duration.d <= 16)).toBe(true);
      const rolledAt = notes.filter((e) => e.arpeggiate).map((e) => `${e.onset.n}/${e.onset.d}`);
      expect(new Set(rolledAt)).toEqual(new Set(["0/1", "3/4"]));
    }
    expect(eq(starts[24]!, frac(24 * 9, 8))).toBe(true);
  });

  it("keeps a MusicXML arpeggio's direction, and draws its arrow (the MusicXML test suite's 32d)", () => {
    const score = readScore(bytesOf(`${FIXTURES}corpus/edge/lilypond-suite/32d-Arpeggio.xml`), "32d-Arpeggio.xml");
    const rolls = score.parts[0]!.measures.flatMap((m) => m.events).flatMap((e) => (e.kind === "note" && e.arpeggiate ? [e.arpeggiate.direction ?? "plain"] : []));
    expect(rolls).toEqual(["plain", "up", "down", "plain"]);
    const xml = writeMusicXml(score);
    expect(xml).toContain('<arpeggiate direction="up"/>');
    expect(xml).toContain('<arpeggiate direction="down"/>');
    const [page] = renderScoreSvg(score);
    expect(page).toContain('href="#gmeb78"');
    expect(page).toContain('href="#gmeb7c"');
  });
});

