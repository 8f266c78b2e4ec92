import { describe, expect, it } from "vitest";
import { analyse, type Line, voicesScore } from "../src/analyse/index.js";
import { reduceToPiano } from "../src/analyse/reduce.js";
import { separateNotes, separateVoices } from "../src/analyse/voices.js";
import { scoreExplode, scoreSeparation } from "../src/analyse/separation-score.js";
import { type SketchNote, sketchNotes } from "../src/analyse/sketch-notes.js";
import { add, cmp, eq as eqFrac, type Fraction, frac, le, lt, toNumber } from "../src/model/fraction.js";
import { midiOf } from "../src/model/pitch.js";
import { soundingNotes } from "../src/model/notes.js";
import { spellMidi } from "../src/read/spelling.js";
import type { Score } from "../src/model/score.js";
import { readScore } from "../src/read/index.js";
import { arrange } from "../src/orchestrate/index.js";
import { writeMusicXml } from "../src/write/musicxml.js";
import { bytesOf, corpusFiles, FIXTURES } from "./support/corpus.js";
import { xsdErrors } from "./support/xsd.js";

const read = (path: string): Score => readScore(bytesOf(path), path);
const chorales = corpusFiles("chorales").slice(0, 12);
// Short movements, one of them hard (K. 80/2: voices resting and crossing) and one where Explode does badly (K. 155/3).
const quartets = corpusFiles("quartets").filter((f) => /haydn-op1no1-mvt2|mozart-k458-mvt2|mozart-k80-mvt2|mozart-k155-mvt3/.test(f));
const piano = (name: string): Score => read(`${FIXTURES}corpus/piano/${name}`);
/** The phrase that holds measure `mi` (an index), and the line the analysis makes its melody. */
function melodyAt(analysis: ReturnType<typeof analyse>, mi: number) {
  const phrase = analysis.phrases.find((p) => p.firstMeasure <= mi && p.lastMeasure >= mi)!;
  const melody = analysis.roles.find((r) => r.phrase === phrase.index && r.role === "melody")!;
  return { phrase, line: analysis.lines.find((l) => l.index === melody.line)! };
}

describe("reduceToPiano", () => {
  it("makes two staves of chords whose notes are the ensemble's, and validates", () => {
    const r = reduceToPiano(read(chorales[0]!));
    const part = r.sketch.parts[0]!;
    expect(part.staves).toBe(2);
    const voices = new Set(part.measures.flatMap((m) => m.events.map((e) => `${e.staff}:${e.voice}`)));
    expect([...voices].sort()).toEqual(["1:1", "2:5"]);
    const key = (staff: number, t: { n: number; d: number }, m: number): string => `${staff}@${t.n}/${t.d}:${m}`;
    const struck = new Set(sketchNotes(r.sketch).map((n) => key(n.staff, n.onset, n.midi)));
    for (const n of r.truth.notes) expect(struck.has(key(n.staff, n.onset, midiOf(n.pitch)))).toBe(true);
    expect(xsdErrors(writeMusicXml(r.sketch))).toEqual([]);
  });
});

describe("separateVoices", () => {
  it("puts ≥ 0.98 of a dozen chorales' notes back in their parts, keeping every note", () => {
    let correct = 0;
    let total = 0;
    let explode = 0;
    for (const f of chorales) {
      const r = reduceToPiano(read(f));
      const s = scoreSeparation(r, separateVoices(r.sketch));
      expect(s.lost, f).toBe(0);
      correct += s.correct;
      total += s.total;
      explode += scoreExplode(r).correct;
    }
    expect(correct / total).toBeGreaterThanOrEqual(0.98);
    expect(correct).toBeGreaterThan(explode);
  });

  it("separates four string quartet movements at ≥ 0.85 together, each ≥ 0.78, beating Explode", () => {
    expect(quartets.length).toBe(4);
    let correct = 0;
    let total = 0;
    let explode = 0;
    for (const f of quartets) {
      const r = reduceToPiano(read(f));
      const lines = separateVoices(r.sketch);
      const s = scoreSeparation(r, lines);
      expect(s.lost, f).toBe(0);
      expect(s.share, f).toBeGreaterThanOrEqual(0.78);
      // Four parts: a few overflow lines for double stops, not one per re-entry.
      expect(lines.length, f).toBeLessThanOrEqual(12);
      correct += s.correct;
      total += s.total;
      explode += scoreExplode(r).correct;
    }
    expect(correct / total).toBeGreaterThanOrEqual(0.85);
    expect(correct).toBeGreaterThan(explode);
  });

  it("makes monophonic lines holding every sketch note exactly once", () => {
    for (const sketch of [reduceToPiano(read(chorales[1]!)).sketch, piano("mozart-k545-mvt1-exposition.mxl"), piano("joplin-maple-leaf-rag.mxl")]) {
      const lines = separateVoices(sketch);
      const seen = new Set<string>();
      for (const l of lines) {
        for (let i = 0; i < l.notes.length; i++) {
          const n = l.notes[i]!;
          const next = l.notes[i + 1];
          if (next) expect(le(add(n.onset, n.duration), next.onset)).toBe(true);
          const k = JSON.stringify(n.source);
          expect(seen.has(k)).toBe(false);
          seen.add(k);
        }
      }
      expect(seen.size).toBe(sketchNotes(sketch).length);
      expect(lines.map((l) => l.index)).toEqual(lines.map((_, i) => i + 1));
    }
  });
});

describe("analyse", () => {
  for (const name of ["mozart-k545-mvt1-exposition.mxl", "joplin-maple-leaf-rag.mxl", "clara-schumann-polonaise-op1no1.mxl"]) {
    it(`hears a melody on top and a bass below in ${name}`, () => {
      const a = analyse(piano(name));
      const first = a.phrases[0]!;
      const active = a.lines.filter((l) => l.notes.some((n) => cmp(n.onset, first.end) < 0));
      const roleOf = (line: number): string | undefined => a.roles.find((r) => r.phrase === first.index && r.line === line)?.role;
      expect(roleOf(active[0]!.index)).toBe("melody");
      // The bass is the line with the phrase's lowest note (not the last line by number: in the
      // Polonaise the left hand's chord line is numbered below the line of its bass notes).
      const inPhrase = (l: (typeof active)[number]) => l.notes.filter((n) => cmp(n.onset, first.end) < 0);
      const lowest = Math.min(...active.flatMap((l) => inPhrase(l).map((n) => midiOf(n.pitch))));
      expect(roleOf(active.find((l) => inPhrase(l).some((n) => midiOf(n.pitch) === lowest))!.index)).toBe("bass");
      expect(a.phrases.length).toBeGreaterThan(1);
    });
  }

  it("recognises K. 545's Alberti bass", () => {
    const a = analyse(piano("mozart-k545-mvt1-exposition.mxl"));
    const lowest = [...a.lines].reverse().find((l) => l.notes.some((n) => n.onset.n === 0))!;
    expect(a.roles.find((r) => r.phrase === 1 && r.line === lowest.index)?.figure).toBe("alberti");
  });

  it("a turn from p to ff starts its phrase where it is marked, not at a long note's end half a bar before: Weber's Concertino, m. 54, and the orchestra's ff scoring comes in there, not on m. 53's closing p chord", () => {
    const weber = read(`${FIXTURES}corpus/edge/weber-concertino-clarinet.mxl`);
    const a = analyse(weber);
    // Printed m. 54 is measure index 53; the clarinet's F5 (a half note) ends at m. 53's third beat.
    const tutti = a.phrases.find((p) => p.dynamic === "ff" && p.lastMeasure >= 53 && p.firstMeasure <= 53)!;
    expect(tutti.firstMeasure).toBe(53);
    expect(weber.parts[0]!.measures[53]!.number).toBe("54");
    const score = arrange(weber, "symphony-orchestra")[0]!.score;
    for (const name of ["Horns in F 1–2", "Trumpets in B♭", "Trombones", "Glockenspiel"]) {
      const part = score.parts.find((p) => p.name === name)!;
      expect(soundingNotes(part).filter((n) => n.pitch && n.measure === 52), name).toEqual([]);
      expect(soundingNotes(part).some((n) => n.pitch && n.measure === 53), name).toBe(true);
    }
  });

  it("scores a phrase at the level in force longest in it: The Entertainer's theme at p, though its phrase starts in the introduction's last f beat", () => {
    const a = analyse(piano("joplin-the-entertainer.musicxml"));
    // The introduction (mm. 1–4) is f; the p comes at m. 5, the theme's first downbeat.
    const theme = a.phrases.find((p) => p.firstMeasure <= 4 && p.lastMeasure >= 4)!;
    expect(theme.firstMeasure).toBe(3);
    expect(theme.dynamic).toBe("p");
    expect(a.phrases[0]!.dynamic).toBe("f");
    // The Polonaise op. 1/3, mm. 40–48: pp on m. 40's second beat, f from m. 41 to the p of m. 48.
    const trio = analyse(piano("clara-schumann-polonaise-op1no3.mxl")).phrases.find((p) => p.firstMeasure === 39)!;
    expect(trio.dynamic).toBe("f");
  });

  it("writes a valid voices score that keeps every note", () => {
    for (const sketch of [piano("mozart-k545-mvt1-exposition.mxl"), reduceToPiano(read(chorales[2]!)).sketch]) {
      const a = analyse(sketch);
      const out = voicesScore(sketch, a);
      expect(out.parts.length).toBe(a.lines.length);
      expect(out.parts[0]!.name).toMatch(/^Voice 1 \(\w+\)$/);
      const xml = writeMusicXml(out);
      expect(xsdErrors(xml)).toEqual([]);
      const back = readScore(new TextEncoder().encode(xml), "voices.musicxml");
      const key = (n: { onset: { n: number; d: number }; midi: number }): string => `${n.onset.n}/${n.onset.d}:${n.midi}`;
      const written = new Set(sketchNotes(back).map(key));
      for (const n of sketchNotes(sketch)) expect(written.has(key(n)), key(n)).toBe(true);
    }
  });
});

describe("a left-hand tune under right-hand chords", () => {
  // The Wild Horseman, mm. 9–12: the right hand strikes chords on the beats, the left hand plays
  // the tune in quavers (F C F A F A | C A D C A F | G E A G E C), one note at a time.
  const sketch = piano("schumann-op68no8-wild-horseman.mxl");
  const index = (n: string): number => sketch.parts[0]!.measures.findIndex((m) => m.number === n);
  const starts = new Map<number, number>();
  let at = 0;
  sketch.parts[0]!.measures.forEach((m, i) => {
    starts.set(i, at);
    at += m.duration.n / m.duration.d;
  });
  const leftHand = [10, 11].flatMap((n) => {
    const mi = index(String(n));
    return sketch.parts[0]!.measures[mi]!.events.flatMap((e) => (e.kind === "note" && e.staff === 2 ? e.notes.map((x) => `${midiOf(x.pitch!)}@${starts.get(mi)! + e.onset.n / e.onset.d}`) : []));
  });

  it("is one line, and the phrase's melody", () => {
    expect(leftHand).toHaveLength(12);
    const analysis = analyse(sketch);
    const line = analysis.lines.find((l) => l.notes.some((n) => `${midiOf(n.pitch)}@${n.onset.n / n.onset.d}` === leftHand[0]))!;
    const mine = new Set(line.notes.map((n) => `${midiOf(n.pitch)}@${n.onset.n / n.onset.d}`));
    expect(leftHand.filter((k) => mine.has(k))).toEqual(leftHand);
    const phrase = analysis.phrases.find((p) => p.firstMeasure <= index("10") && p.lastMeasure >= index("10"))!;
    expect(analysis.roles.find((r) => r.phrase === phrase.index && r.line === line.index)?.role).toBe("melody");
  });
});

describe("two voices in thirds under a top line of two held notes", () => {
  // Clementi op. 36/3 i, mm. 5–8: the right hand plays two voices in thirds (F5 E5 D5 over D5 C5
  // B4), the upper one running down from A5 in m. 7; a G5 struck twice in m. 6 lies above them.
  // The upper voice is the tune, though the lower one moves more by step.
  const sketch = piano("clementi-sonatina-op36no3-mvt1.musicxml");
  const mi = sketch.parts[0]!.measures.findIndex((m) => m.number === "5");

  it("the upper voice is the phrase's melody", () => {
    const { line } = melodyAt(analyse(sketch), mi);
    const m5 = line.notes.filter((n) => n.source.measure === mi).map((n) => midiOf(n.pitch));
    expect(m5).toEqual([77, 77, 76, 76, 74]);
  });
});

describe("a run after a held note in the same voice", () => {
  // Clara Schumann's Polonaise op. 1/1, m. 7: the right hand holds B-flat 6, then runs up from
  // B-flat 4 (B-flat D F B-flat D F A-flat G F), one voice; the left hand repeats chords
  // meanwhile. The leap of two octaves had opened a line for the run's first four notes, so an
  // orchestra heard the run's start in the second violins and the rest in the first.
  const sketch = piano("clara-schumann-polonaise-op1no1.mxl");
  const mi = sketch.parts[0]!.measures.findIndex((m) => m.number === "7");
  const rightHand = sketch.parts[0]!.measures[mi]!.events.filter((e) => e.kind === "note" && e.staff === 1).map((e) => (e.kind === "note" ? midiOf(e.notes[0]!.pitch!) : 0));

  it("is one line with the held note, and one part plays it whole", () => {
    expect(rightHand).toEqual([94, 70, 74, 77, 82, 86, 89, 92, 91, 89]);
    const lines = analyse(sketch).lines.filter((l) => l.notes.some((n) => n.source.measure === mi && midiOf(n.pitch) >= 70));
    const inM7 = (l: (typeof lines)[number]): number[] => l.notes.filter((n) => n.source.measure === mi).map((n) => midiOf(n.pitch));
    expect(lines.map(inM7)).toEqual([rightHand]);
    const [a] = arrange(sketch, "symphony-orchestra");
    const first = a!.score.parts.find((p) => p.name === "Violin I")!;
    const played = first.measures[mi]!.events.flatMap((e) => (e.kind === "note" ? e.notes.map((x) => midiOf(x.pitch!)) : []));
    expect(played).toEqual(rightHand);
  });
});

describe("a note or two above a line that moves through the phrase", () => {
  // K. 545 i, mm. 9–12: the right hand's scales (D4 up to C6 and down, 42 notes) end on a chord
  // whose top note, G5, is a line of its own. That one note had been the phrase's melody, and the
  // scales an inner voice.
  const sketch = piano("mozart-k545-mvt1-exposition.mxl");
  const m9 = sketch.parts[0]!.measures.findIndex((m) => m.number === "9");

  it("is no tune: the scales are the phrase's melody", () => {
    const { phrase, line } = melodyAt(analyse(sketch), m9);
    const inPhrase = line.notes.filter((n) => n.source.measure >= phrase.firstMeasure && n.source.measure <= phrase.lastMeasure);
    expect(inPhrase.length).toBeGreaterThan(30);
    // The scale of m. 9 climbs from D4 to G5.
    expect(inPhrase.filter((n) => n.source.measure === m9).map((n) => midiOf(n.pitch))).toEqual([62, 64, 65, 67, 69, 71, 73, 74, 69, 71, 73, 74, 76, 77, 79]);
  });

  it("the Polonaise op. 1/4's last cadence (C5 G♯4 A4 over the left hand's octaves) stays the first violins' tune", () => {
    // Its top line's C5 at m. 39 is the only note of its own line there; the tune's G♯4 and A4
    // had gone to the viola, the first violin dropping to D4 C4.
    const polonaise = piano("clara-schumann-polonaise-op1no4.mxl");
    const m39 = polonaise.parts[0]!.measures.findIndex((m) => m.number === "39");
    for (const ensemble of ["string-quartet", "symphony-orchestra"]) {
      const [a] = arrange(polonaise, ensemble);
      const first = a!.score.parts.find((p) => p.name === "Violin I")!;
      const tops = (mi: number): number[] => first.measures[mi]!.events.flatMap((e) => (e.kind === "note" ? [Math.max(...e.notes.map((x) => midiOf(x.pitch!)))] : []));
      // The first violins' top note ends m. 39 on the tune's G♯4 and starts m. 40 on its A4.
      expect([tops(m39).at(-1), tops(m39 + 1)[0]], ensemble).toEqual([68, 69]);
    }
  });
});

describe("a song whose voice divides for a second verse", () => {
  // Der Lindenbaum, mm. 11–12: the voice's staff writes the second verse's "ich träumt' in" (B4
  // B4 G♯4) as notes of their own beside the first verse's line. That three-note line, every note
  // sung, had been the phrase's tune, and a string quartet heard the song's line of mm. 10–14 half
  // in the viola, half in the first violins.
  const sketch = piano("schubert-lindenbaum-voice-piano.musicxml");
  const voice = sketch.parts.findIndex((p) => p.name === "Voice");
  const m11 = sketch.parts[voice]!.measures.findIndex((m) => m.number === "11");

  it("the line that sings the most words is the phrase's melody", () => {
    const analysis = analyse(sketch);
    const { phrase, line: melody } = melodyAt(analysis, m11);
    const sung = (l: (typeof analysis.lines)[number]): number => l.notes.filter((n) => n.source.part === voice && n.source.measure >= phrase.firstMeasure && n.source.measure <= phrase.lastMeasure && n.marks?.lyrics?.length).length;
    const sungLines = analysis.lines.filter((l) => sung(l) > 0);
    // Two sung lines meet in the phrase: the verse's line and the second verse's few notes.
    expect(sungLines.length).toBe(2);
    const most = sungLines.reduce((a, b) => (sung(b) > sung(a) ? b : a));
    expect(melody.index).toBe(most.index);
    expect(sung(most)).toBeGreaterThan(10);
  });

  it("is played whole by the first violins in a string quartet", () => {
    const [a] = arrange(sketch, "string-quartet");
    const first = a!.score.parts.find((p) => p.name === "Violin I")!;
    const sketchNotesOf = (mi: number): number[] => sketch.parts[voice]!.measures[mi]!.events.flatMap((e) => (e.kind === "note" && e.voice === "1" ? e.notes.map((x) => midiOf(x.pitch!)) : []));
    const played = (mi: number): number[] => first.measures[mi]!.events.flatMap((e) => (e.kind === "note" ? e.notes.map((x) => midiOf(x.pitch!)) : []));
    for (const mi of [m11 - 1, m11, m11 + 1]) expect(played(mi)).toEqual(sketchNotesOf(mi));
  });
});

describe("an introduction before the tune enters", () => {
  // Clara Schumann's Polonaise op. 1/4, mm. 1–4: the right hand's flourish (E4, a run up to E5,
  // then G5 F♯5 A5 G5 F5 D5 B4 G4 F4 D4, D♯4 E4) over the left hand's chords; the tune's chords
  // start in m. 5, f Risoluto throughout. The flourish had been an inner voice of one phrase of
  // eight bars, and an orchestra gave it to the clarinets alone under the whole brass.
  const sketch = piano("clara-schumann-polonaise-op1no4.mxl");
  const m5 = sketch.parts[0]!.measures.findIndex((m) => m.number === "5");

  it("is a phrase of its own, its line the melody", () => {
    const analysis = analyse(sketch);
    const [first, second] = analysis.phrases;
    expect([first!.firstMeasure, first!.lastMeasure, second!.firstMeasure]).toEqual([0, m5 - 1, m5]);
    const melody = analysis.roles.find((r) => r.phrase === first!.index && r.role === "melody")!;
    const line = analysis.lines.find((l) => l.index === melody.line)!;
    const m3 = line.notes.filter((n) => n.source.measure === m5 - 2).map((n) => midiOf(n.pitch));
    expect(m3).toEqual([79, 78, 81, 79, 77, 74, 71, 67, 65, 62]);
  });

  it("is heard in the first violins in an orchestra", () => {
    const [a] = arrange(sketch, "symphony-orchestra");
    const first = a!.score.parts.find((p) => p.name === "Violin I")!;
    const m3 = first.measures[m5 - 2]!.events.flatMap((e) => (e.kind === "note" ? e.notes.map((x) => midiOf(x.pitch!)) : []));
    expect(m3).toEqual([79, 78, 81, 79, 77, 74, 71, 67, 65, 62]);
  });
});

describe("a hand's figure whose top notes are held over the 16ths under them", () => {
  // Per beat: a top note held `held` 16ths, then three 16ths under it; under them, a left hand of
  // quarter notes.
  const figure = (beats: readonly (readonly [number, number, number, number])[], held: number): SketchNote[] => {
    const step = 16;
    const out: SketchNote[] = [];
    const note = (midi: number, onset: Fraction, duration: Fraction, staff: number): SketchNote => ({
      onset,
      duration,
      pitch: spellMidi(midi, 0, "major"),
      midi,
      part: 0,
      staff,
      voice: "1",
      staffGuessed: true,
      source: { part: 0, measure: Math.floor(toNumber(onset)), event: out.length, note: 0 },
    });
    beats.forEach(([top, a, b, c], i) => {
      const t = frac(i, 4);
      out.push(note(top, t, frac(held, step), 1), note(a, add(t, frac(1, step)), frac(1, step), 1), note(b, add(t, frac(2, step)), frac(1, step), 1), note(c, add(t, frac(3, step)), frac(1, step), 1));
      out.push(note(36 + (i % 4), t, frac(1, 4), 2));
    });
    return out;
  };
  // A figure in C (a one-track MIDI file: no staves), the melody E5 F5 G5 E5 | D5 C5 D5 E5 |
  // F5 E5 D5 C5 on the beats, as in Debussy's Doctor Gradus ad Parnassum but not its notes.
  const tops = [76, 77, 79, 76, 74, 72, 74, 76, 77, 76, 74, 72];
  const beats = tops.map((top) => [top, top - 9, top - 5, top - 9] as const);
  // The lines of the right hand's figure (its first two bars).
  const upper = (lines: readonly Line[]) => lines.map((l) => l.notes.filter((n) => midiOf(n.pitch) >= 60 && lt(n.onset, frac(2)))).filter((ns) => ns.length > 0);

  it("is one line, each note held until the next (an eighth held over a 16th, or a dotted eighth over two)", () => {
    for (const held of [2, 3]) {
      const lines = upper(separateNotes(figure(beats, held)));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toHaveLength(32);
      for (const n of lines[0]!) expect(n.duration).toEqual(frac(1, 16));
    }
  });

  it("stays two lines where the held notes are half the notes (two voices answering) or held a quarter (a tune over a figure)", () => {
    // The top note and the beat's last 16th held an eighth each: half the notes held, a voice in
    // eighths against one in 16ths.
    const answering = figure(beats.map(([top, a]) => [top, a, top - 2, a] as const), 2).map((n, k) => (k % 5 === 3 ? { ...n, duration: frac(1, 8) } : n));
    expect(upper(separateNotes(answering)).length).toBeGreaterThan(1);
    expect(upper(separateNotes(figure(beats, 4))).length).toBeGreaterThan(1);
  });

  it("arranges Doctor Gradus ad Parnassum (piano-midi.de) for woodwind quintet with the right hand's 16ths whole in one part, mm. 3–6", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/midi/pianomidi-debussy-childrens-corner-1.mid`), "gradus.mid");
    const [a] = arrange(sketch, "woodwind-quintet");
    for (const mi of [2, 3, 4, 5]) {
      const counts = a!.score.parts.map((p) => p.measures[mi]!.events.filter((e) => e.kind === "note" && eqFrac(e.duration, frac(1, 16))).length);
      expect(Math.max(...counts), `m. ${mi + 1}`).toBe(16);
      // No part plays a 16th alone between rests (the figure's notes taken in turn by two parts).
      for (const p of a!.score.parts) {
        const evs = p.measures[mi]!.events.filter((e) => e.voice === "1");
        const alone = evs.filter((e, k) => e.kind === "note" && eqFrac(e.duration, frac(1, 16)) && evs[k - 1]?.kind === "rest" && evs[k + 1]?.kind === "rest");
        expect(alone, `${p.name}, m. ${mi + 1}`).toEqual([]);
      }
    }
  });
});

describe("a hand crossing over the other", () => {
  // Clara Schumann's Polonaise op. 1/3, m. 41: the right hand crosses over the left's repeated
  // chords (G♯3 B3 D4 E4) to strike the bass B2 E3, then leaps back over them to the tune D5 G5 F5,
  // all in one notated voice. One line had held both: the brass quintet's horn played the tune an
  // octave down, D4 G4 F4, under the first trumpet's E4s.
  const sketch = piano("clara-schumann-polonaise-op1no3.mxl");
  const mi = sketch.parts[0]!.measures.findIndex((m) => m.number === "41");
  const rightHand = soundingNotes(sketch.parts[0]!).filter((n) => n.measure === mi && n.staff === 1 && n.pitch && n.duration.n > 0);
  const tune = rightHand.filter((n) => midiOf(n.pitch!) >= 72);

  it("is two lines: the bass notes under the chords and the tune over them", () => {
    expect(rightHand.map((n) => midiOf(n.pitch!))).toEqual([47, 52, 74, 79, 77]);
    const lines = analyse(sketch).lines;
    const lineOf = (n: (typeof rightHand)[number]): Line => lines.find((l) => l.notes.some((x) => eqFrac(x.onset, n.onset) && midiOf(x.pitch) === midiOf(n.pitch!)))!;
    expect(new Set(tune.map(lineOf)).size).toBe(1);
    expect(lineOf(tune[0]!).notes.filter((x) => x.source.measure === mi).map((x) => midiOf(x.pitch))).toEqual([74, 79, 77]);
    expect(lineOf(rightHand[0]!)).not.toBe(lineOf(tune[0]!));
  });

  it("leaves the tune at its pitch with nothing over it, for brass quintet", () => {
    const [a] = arrange(sketch, "brass-quintet");
    const played = a!.score.parts.flatMap((p) => soundingNotes(p).filter((n) => n.measure === mi && n.pitch).map((n) => ({ ...n, part: p.name })));
    for (const t of tune) {
      const sounding = played.filter((n) => le(n.onset, t.onset) && lt(t.onset, add(n.onset, n.duration)));
      expect(Math.max(...sounding.map((n) => midiOf(n.pitch!))), `${t.onset.n}/${t.onset.d}`).toBe(midiOf(t.pitch!));
    }
  });
});
