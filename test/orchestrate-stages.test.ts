/**
 * The orchestrator's rules, each on a few bars: the composer's expression in every part, the bass
 * in the bass, breaths for winds, readable voices, balance never more than a level down, who
 * plays on a shared staff.
 */
import { describe, expect, test } from "vitest";
import { add, eq, frac, type Fraction, gt, lt, parse as fromString, sub, toString } from "../src/model/fraction.js";
import { midiOf, nameOf, parsePitch, pitch } from "../src/model/pitch.js";
import { soundingNotes } from "../src/model/notes.js";
import { framesOf, type MeasureFrame, type PlacedDirection, type PlacedEvent } from "../src/model/build.js";
import type { Part, Score } from "../src/model/score.js";
import { measureStarts, timedDirections } from "../src/model/timeline.js";
import { loadDatabase } from "../src/node/instruments.js";
import { highestBelow, lowestIn } from "../src/orchestrate/bass.js";
import { markBreaths } from "../src/orchestrate/breaths.js";
import { endsUnder, everyIn, everyMeeting, maySoundIn, overlaps, type Placement } from "../src/orchestrate/plan.js";
import { divisiMarks, playerMarks } from "../src/orchestrate/players.js";
import { muteMarks } from "../src/orchestrate/mutes.js";
import { drumsFor } from "../src/orchestrate/timpani.js";
import { highPoints } from "../src/orchestrate/colour.js";
import { markedLevel } from "../src/orchestrate/expression.js";
import { DYNAMIC_LEVELS, levelAfter, levelIndex } from "../src/model/score.js";
import { arrange, checkScore, summarise } from "../src/orchestrate/index.js";
import { isPlayableDoubleStop } from "../src/instruments/index.js";
import { instrumentOfPart } from "../src/orchestrate/check.js";
import { bassByHabit } from "../src/orchestrate/slots.js";
import type { Segment } from "../src/orchestrate/costs.js";
import { chordNotes, harmonyWindows, notatedVoiceOf } from "../src/orchestrate/segments.js";
import { sketchNotes } from "../src/analyse/sketch-notes.js";
import type { LineNote, Phrase } from "../src/analyse/types.js";
import { auditMusic } from "../src/orchestrate/music-audit.js";
import { keepReadable } from "../src/orchestrate/readable.js";
import { aloneInFirstVoice, upperVoiceFirst } from "../src/orchestrate/voice-order.js";
import { rhythmCheck } from "../src/orchestrate/rhythm.js";
import { readMusicXml } from "../src/read/musicxml/index.js";
import { readScore } from "../src/read/index.js";
import { readMidiWithReport } from "../src/read/midi.js";
import { reduceToPiano } from "../src/analyse/reduce.js";
import { analyse } from "../src/analyse/index.js";
import { writeMidi } from "../src/write/midi.js";
import { bytesOf, corpusFiles, FIXTURES } from "./support/corpus.js";
import { humanise } from "./support/midi.js";

const db = await loadDatabase();

/** A quartet movement of the corpus as a one-track piano MIDI file on the grid, read back and arranged (plain) for string quartet. */
function quartetFromMidi(name: string): { sketch: Score; score: Score } {
  const r = reduceToPiano(readScore(bytesOf(`${FIXTURES}corpus/quartets/${name}.mxl`), `${name}.mxl`));
  const sketch = readMidiWithReport(writeMidi(r.sketch), `${name}.mid`).score;
  return { sketch, score: arrange(sketch, "string-quartet", db, { style: "plain" })[0]!.score };
}

/** A piece of the piano corpus, read. */
function pianoSketch(piece: string): Score {
  return readScore(bytesOf(`${FIXTURES}corpus/piano/${piece}`), piece);
}

/** A piece of the piano corpus arranged for an ensemble: the best arrangement's score. */
function pianoScore(piece: string, ens: string): Score {
  return arrange(pianoSketch(piece), ens, db)[0]!.score;
}

/** One part of a piece of the piano corpus arranged for an ensemble. */
function partOf(piece: string, ens: string, name: string): Score["parts"][number] {
  return pianoScore(piece, ens).parts.find((p) => p.name === name)!;
}

/** The notes of a part's second voice, in the measures numbered `bars`, that sound above a note of its first voice. */
function inverted(part: Score["parts"][number], bars: readonly string[]): number {
  const notes = soundingNotes(part).filter((n) => n.pitch && !n.grace && bars.includes(part.measures[n.measure]!.number));
  return notes.filter((b) => b.voice === "2" && notes.some((a) => a.voice === "1" && lt(a.onset, add(b.onset, b.duration)) && gt(add(a.onset, a.duration), b.onset) && midiOf(a.pitch!) < midiOf(b.pitch!))).length;
}

/** A two-staff piano sketch in 4/4 at divisions 4: `rh` and `lh` are the inside of each measure, by staff. */
function piano(measures: { rh: string; lh: string; before?: string }[]): Score {
  const body = measures
    .map((m, i) => {
      const attrs = i === 0 ? "<attributes><divisions>4</divisions><key><fifths>0</fifths></key><time><beats>4</beats><beat-type>4</beat-type></time><staves>2</staves><clef number=\"1\"><sign>G</sign><line>2</line></clef><clef number=\"2\"><sign>F</sign><line>4</line></clef></attributes>" : "";
      return `<measure number="${i + 1}">${attrs}${m.before ?? ""}${m.rh}<backup><duration>16</duration></backup>${m.lh}</measure>`;
    })
    .join("");
  return readMusicXml(`<score-partwise version="4.0"><part-list><score-part id="P1"><part-name>Piano</part-name></score-part></part-list><part id="P1">${body}</part></score-partwise>`, "sketch.musicxml");
}

const n = (step: string, octave: number, duration: number, staff: 1 | 2, type: string): string =>
  `<note><pitch><step>${step}</step><octave>${octave}</octave></pitch><duration>${duration}</duration><voice>${staff === 1 ? 1 : 5}</voice><type>${type}</type><staff>${staff}</staff></note>`;
const dyn = (value: string, offset = 0): string => `<direction placement="below"><direction-type><dynamics><${value}/></dynamics></direction-type>${offset ? `<offset>${offset}</offset>` : ""}<staff>1</staff></direction>`;
const wedge = (type: string): string => `<direction placement="below"><direction-type><wedge type="${type}"/></direction-type><staff>1</staff></direction>`;
const quarters = (steps: string[], octave: number, staff: 1 | 2): string => steps.map((s) => n(s, octave, 4, staff, "quarter")).join("");

/** Each part's dynamics, hairpins and words as "onset:item". */
function marksOf(score: Score): Map<string, string[]> {
  return new Map(
    score.parts.map((p) => [
      p.name,
      [...timedDirections(p)].flatMap(({ direction, onset }) =>
        direction.items.flatMap((i) => (i.kind === "dynamics" ? [`${toString(onset)}:${i.values[0]}`] : i.kind === "wedge" ? [`${toString(onset)}:${i.type}`] : i.kind === "words" ? [`${toString(onset)}:${i.text}`] : [])),
      ),
    ]),
  );
}

describe("expression: the composer's marks in every part that plays", () => {
  const sketch = piano([
    { before: dyn("p") + wedge("crescendo"), rh: quarters(["C", "D", "E", "F"], 5, 1), lh: n("C", 3, 16, 2, "whole") },
    { before: wedge("stop") + dyn("f"), rh: quarters(["G", "F", "E", "D"], 5, 1), lh: n("G", 2, 16, 2, "whole") },
  ]);

  test("p, the hairpin and f stand at their onsets in each playing part, none invented", () => {
    const [best] = arrange(sketch, "string-quartet", db);
    const marks = marksOf(best!.score);
    // The f after the p is a passage scored anew: a part may come in there.
    const playsIn = (p: Part, mi: number): boolean => p.measures[mi]!.events.some((e) => e.kind === "note");
    const first = best!.score.parts.filter((p) => playsIn(p, 0));
    const second = best!.score.parts.filter((p) => playsIn(p, 1));
    expect(first.length).toBeGreaterThanOrEqual(2);
    expect(second.length).toBeGreaterThanOrEqual(first.length);
    for (const p of first) {
      const own = marks.get(p.name)!;
      expect(own.some((m) => m === "0:p" || m === "0:pp"), p.name).toBe(true);
      expect(own, p.name).toContain("0:crescendo");
      expect(own, p.name).toContain("1:stop");
    }
    for (const p of second) expect(marks.get(p.name)!, p.name).toContain("1:f");
    for (const p of best!.score.parts) expect(marks.get(p.name)!.filter((m) => /:(mf|ff|mp)$/.test(m)), p.name).toEqual([]);
    expect(auditMusic(sketch, best!.score, db).expression).toMatchObject({ total: 4, found: 4 });
  });

  test("a part marked down under the tune goes back to the level in force after, mf where the sketch marks none: Jeanie with the Light Brown Hair for string quartet, the second violin (mp under the tune from m. 4, it had stayed mp to the end)", () => {
    const [best] = arrange(readScore(bytesOf(`${FIXTURES}corpus/leadsheets/foster-brown-hair.mxl`), "foster.mxl"), "string-quartet", db);
    const part = best!.score.parts.find((p) => p.name === "Violin II")!;
    const starts = measureStarts(part);
    const levels = marksOf(best!.score).get("Violin II")!.map((m) => m.split(":") as [string, string]).filter(([, v]) => /^(mp|mf)$/.test(v));
    const inForce = (t: Fraction): string | undefined => levels.filter(([at]) => !gt(fromString(at)!, t)).pop()?.[1];
    expect(levels.some(([, v]) => v === "mp")).toBe(true);
    // Phrases of two bars or more where balance marks the second violin down nowhere: mf by their last bar.
    const free = best!.report.phrases.filter((p) => !p.balance.some((b) => b.startsWith("Violin II")) && /^\d+–\d+$/.test(p.measures));
    const lasts = free.map((p) => p.measures.split("–")).filter(([a, b]) => Number(b) > Number(a)).map(([, b]) => b!);
    expect(lasts.length).toBeGreaterThan(1);
    for (const m of lasts) {
      const mi = part.measures.findIndex((x) => x.number === m);
      if (starts[mi] && gt(starts[mi]!, fromString(levels[0]![0])!)) expect(inForce(starts[mi]!), `m. ${m}`).toBe("mf");
    }
  });

  test("a cresc. an edition writes above the staff is every playing part's, not a tempo word over the top part (Lascia ch'io pianga, m. 21)", () => {
    const above = (text: string): string => `<direction placement="above"><direction-type><words>${text}</words></direction-type><staff>1</staff></direction>`;
    const sketch = piano([
      { before: dyn("p") + above("Andante"), rh: quarters(["C", "D", "E", "F"], 5, 1), lh: n("C", 3, 16, 2, "whole") },
      { before: above("cresc.   _   _"), rh: quarters(["G", "F", "E", "D"], 5, 1), lh: n("G", 2, 16, 2, "whole") },
    ]);
    const [best] = arrange(sketch, "string-quartet", db);
    const marks = marksOf(best!.score);
    const playing = best!.score.parts.filter((p) => p.measures[1]!.events.some((e) => e.kind === "note"));
    expect(playing.length).toBeGreaterThanOrEqual(2);
    for (const p of playing) expect(marks.get(p.name)!, p.name).toContain("1:cresc.   _   _");
    // Written below each part, as the copyist writes expression; the tempo word stays above the top part only.
    const placements = best!.score.parts.flatMap((p) => p.measures[1]!.directions.filter((d) => d.items.some((i) => i.kind === "words")).map((d) => d.placement));
    expect(placements).toEqual(playing.map(() => "below"));
    expect([...marks.values()].flat().filter((m) => m.endsWith("Andante"))).toEqual(["0:Andante"]);
  });

  test("a part writes a level once, not again a quarter later where the sketch restates it on another staff; a part holding a note through one staff's mark reads it at its own staff's (C. P. E. Bach's H. 186, mm. 13–14: pp on the right hand's last 32nd, pp again on the left hand's entry)", () => {
    const sketch = pianoSketch("cpe-bach-h186.mxl");
    for (const ens of ["string-quartet", "symphony-orchestra"]) {
      const [best] = arrange(sketch, ens, db);
      for (const [name, marks] of marksOf(best!.score)) {
        const levels = marks.map((m) => m.split(":") as [string, string]).filter(([, v]) => levelIndex(v) >= 0);
        const twice = levels.filter(([at, v], i) => i > 0 && levels[i - 1]![1] === v && !gt(fromString(at)!, add(fromString(levels[i - 1]![0])!, frac(1, 4))));
        expect(twice, `${ens}, ${name}`).toEqual([]);
      }
      expect(auditMusic(sketch, best!.score, db).expression.missing, ens).toEqual([]);
    }
    // For string quartet, the cello plays the left hand: its D3 of m. 13 is held through the right
    // hand's pp (12 31/32 wholes in); its pp stands on its D♯2, an 8th into m. 14.
    const [quartet] = arrange(sketch, "string-quartet", db);
    const cello = marksOf(quartet!.score).get("Cello")!.filter((m) => m.endsWith(":pp") && !lt(fromString(m.split(":")[0]!)!, frac(12, 1)) && lt(fromString(m.split(":")[0]!)!, frac(14, 1)));
    expect(cello).toEqual(["105/8:pp"]);
  });

  test("a score used as a sketch: each part reads the level mark of the sketch part whose line it plays, once, where that part writes it (Beethoven's op. 18 no. 1 ii for wind quintet: each string part writes its own pp, a 16th or an 8th from the others')", () => {
    const note = (step: string, octave: number, duration: number, type: string): string => `<note><pitch><step>${step}</step><octave>${octave}</octave></pitch><duration>${duration}</duration><voice>1</voice><type>${type}</type></note>`;
    const pp = `<direction placement="below"><direction-type><dynamics><pp/></dynamics></direction-type></direction>`;
    const attrs = (clef: string, line: number): string => `<attributes><divisions>4</divisions><time><beats>4</beats><beat-type>4</beat-type></time><clef><sign>${clef}</sign><line>${line}</line></clef></attributes>`;
    // The upper part writes pp on its first note; the lower part strikes C3 with it and writes its
    // own pp a 16th later, on E3.
    const upper = `<measure number="1">${attrs("G", 2)}${pp}${note("C", 5, 16, "whole")}</measure><measure number="2">${note("D", 5, 16, "whole")}</measure>`;
    const lower = `<measure number="1">${attrs("F", 4)}${note("C", 3, 1, "16th")}${pp}${note("E", 3, 1, "16th")}${note("F", 3, 2, "eighth")}${note("G", 3, 4, "quarter")}${note("A", 3, 8, "half")}</measure><measure number="2">${note("G", 3, 16, "whole")}</measure>`;
    const xml = `<?xml version="1.0"?><score-partwise version="4.0"><part-list><score-part id="P1"><part-name>Upper</part-name></score-part><score-part id="P2"><part-name>Lower</part-name></score-part></part-list><part id="P1">${upper}</part><part id="P2">${lower}</part></score-partwise>`;
    const sketch = readScore(new TextEncoder().encode(xml), "two-parts.musicxml");
    const [best] = arrange(sketch, "string-quartet", db, { style: "plain" });
    const levels = (name: string): string[] => marksOf(best!.score).get(name)!.filter((m) => /:(pp|p|mp|mf|f|ff)$/.test(m));
    expect(levels("Violin I")).toEqual(["0:pp"]);
    expect(levels("Cello")).toEqual(["1/16:pp"]);
    expect(auditMusic(sketch, best!.score, db).expression).toMatchObject({ total: 2, found: 2 });
  });

  /** Where a part has two hairpins of one kind at once: "part onset kind". */
  const hairpinClashes = (score: Score): string[] =>
    score.parts.flatMap((p) => {
      const spans: { start: Fraction; stop?: Fraction; type: string }[] = [];
      const open = new Map<number, (typeof spans)[number]>();
      for (const { direction, onset } of timedDirections(p))
        for (const i of direction.items) {
          if (i.kind !== "wedge") continue;
          if (i.type === "stop") open.get(i.number ?? 1)!.stop = onset;
          else {
            const h = { start: onset, type: i.type };
            spans.push(h);
            open.set(i.number ?? 1, h);
          }
        }
      return spans.flatMap((a, k) => spans.slice(k + 1).filter((b) => b.type === a.type && lt(b.start, a.stop!) && lt(a.start, b.stop!)).map((b) => `${p.name} ${toString(b.start)} ${b.type}`));
    });

  test("a part gets one hairpin of a kind at a time, the one of the sketch staff it plays (Schoenberg op. 19 no. 2, m. 6: a diminuendo in each hand, stopping apart; Beethoven's op. 18 no. 1 ii as a sketch: a crescendo in each of the four parts, starting apart)", () => {
    const schoenberg = pianoSketch("schoenberg-op19no2.mxl");
    const beethoven = readScore(bytesOf(`${FIXTURES}corpus/quartets/beethoven-op18no1-mvt2.mxl`), "op18.mxl");
    // Schoenberg: each hand's stop is still read where it stands, in the parts playing that hand.
    for (const ens of ["string-quartet", "symphony-orchestra"]) {
      const [best] = arrange(schoenberg, ens, db);
      expect(hairpinClashes(best!.score), ens).toEqual([]);
      const kept = auditMusic(schoenberg, best!.score, db).expression;
      expect(kept.found, `${ens}: ${kept.missing.join(", ")}`).toBe(kept.total);
    }
    // Beethoven, m. 2: each wind part reads the crescendo of the string part it plays, so the
    // quintet has more than one of the four starts, and each is one the sketch writes.
    const [quintet] = arrange(beethoven, "woodwind-quintet", db);
    expect(hairpinClashes(quintet!.score)).toEqual([]);
    const written = new Set(beethoven.parts.flatMap((p) => [...timedDirections(p)].filter(({ direction, measure }) => measure === 1 && direction.items.some((i) => i.kind === "wedge" && i.type === "crescendo")).map(({ onset }) => toString(onset))));
    const read = new Set([...marksOf(quintet!.score).values()].flat().filter((m) => m.endsWith(":crescendo")).map((m) => m.split(":")[0]!).filter((at) => lt(fromString(at)!, frac(9, 4))));
    expect(written.size).toBe(4);
    expect(read.size).toBeGreaterThanOrEqual(2);
    for (const at of read) expect(written).toContain(at);
  });

  test("a hairpin that starts where every part rests starts there in the parts that come in first under it (Schoenberg op. 19 no. 6, m. 8)", () => {
    const at = (type: string, offset: number): string => `<direction placement="below"><direction-type><wedge type="${type}"/></direction-type><offset>${offset}</offset><staff>1</staff></direction>`;
    const rest = (staff: 1 | 2): string => `<note><rest/><duration>4</duration><voice>${staff === 1 ? 1 : 5}</voice><type>quarter</type><staff>${staff}</staff></note>`;
    // A crescendo from a 16th before the first notes (3/16) to the half bar; both hands rest until 1/4.
    const sketch = piano([
      { before: dyn("p") + at("crescendo", 3) + at("stop", 8), rh: rest(1) + quarters(["E", "F", "G"], 5, 1), lh: rest(2) + n("C", 3, 12, 2, "half") },
      { rh: n("C", 5, 16, 1, "whole"), lh: n("C", 3, 16, 2, "whole") },
    ]);
    const [best] = arrange(sketch, "string-quartet", db);
    const marks = marksOf(best!.score);
    const first = best!.score.parts.filter((p) => soundingNotes(p).some((x) => x.pitch && eq(x.onset, frac(1, 4))));
    expect(first.length).toBeGreaterThanOrEqual(2);
    for (const p of first) expect(marks.get(p.name)!, p.name).toContain("3/16:crescendo");
    expect([...marks.values()].flat().filter((m) => m.endsWith(":crescendo"))).toEqual(first.map(() => "3/16:crescendo"));
    expect(auditMusic(sketch, best!.score, db).expression).toMatchObject({ found: 3, total: 3 });
  });

  test("a part entering on a note the sketch accents reads the accent there and its level on its next note, never both on one note, over the piano pieces in four ensembles", () => {
    // The Wild Horseman for orchestra, m. 11: the flutes and second violins came in with "mf"
    // and the sketch's "sf" on one note, which MuseScore 3 draws over each other.
    let checked = 0;
    for (const name of ["schumann-op68no8-wild-horseman.mxl", "clara-schumann-polonaise-op1no2.mxl", "clementi-sonatina-op36no1-mvt2.musicxml"]) {
      const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/${name}`), name);
      // Where the sketch marks a level itself (not only an accent), its level and accent stay together.
      const own = new Set(sketch.parts.flatMap((p) => [...timedDirections(p)].filter((d) => d.direction.items.some((i) => i.kind === "dynamics" && i.values.some((v) => levelIndex(v) >= 0))).map((d) => toString(d.onset))));
      for (const ensemble of ["string-quartet", "woodwind-quintet", "brass-quintet", "symphony-orchestra"]) {
        const score = arrange(sketch, ensemble, db)[0]!.score;
        for (const part of score.parts) {
          const byOnset = new Map<string, string[]>();
          for (const d of timedDirections(part)) for (const i of d.direction.items) if (i.kind === "dynamics") byOnset.set(toString(d.onset), [...(byOnset.get(toString(d.onset)) ?? []), ...i.values]);
          for (const [at, values] of byOnset) {
            if (own.has(at) && values.length > 1) continue;
            checked++;
            expect(values.length, `${name} ${ensemble} ${part.name} at ${at}: ${values.join(" ")}`).toBe(1);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  test("a level is not restated on a note the sketch marks anew an instant later (Weber's Concertino for string quartet, m. 4: ff, then the piano's p a 32nd later)", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/edge/weber-concertino-clarinet.mxl`), "weber.mxl");
    const [best] = arrange(sketch, "string-quartet", db);
    for (const name of ["Violin II", "Cello"]) {
      const m4 = best!.score.parts.find((p) => p.name === name)!.measures.find((m) => m.number === "4")!;
      // The eighth struck at 3/8 is the one the p marks: no level is written on it, only the p.
      const levels = m4.directions.filter((d) => !lt(d.offset ?? frac(0), frac(3, 8))).flatMap((d) => d.items.flatMap((i) => (i.kind === "dynamics" ? i.values : [])));
      expect(levels, name).toEqual(["p"]);
    }
  });

  test("an fp leaves p in force: the parts struck with it read fp alone, a part entering after it reads p", () => {
    expect(DYNAMIC_LEVELS[levelAfter("fp")]).toBe("p");
    expect(DYNAMIC_LEVELS[levelAfter("sfpp")]).toBe("pp");
    expect(levelAfter("sf")).toBe(-1);
    // f, then a chord struck fp and held; the tune comes back in m. 3, after the chord, as the fp left it: p.
    const sketch = piano([
      { before: dyn("f"), rh: quarters(["C", "D", "E", "F"], 5, 1), lh: n("C", 3, 16, 2, "whole") },
      { before: dyn("fp"), rh: `<note><rest/><duration>16</duration><voice>1</voice><type>whole</type><staff>1</staff></note>`, lh: n("G", 2, 16, 2, "whole") },
      { rh: quarters(["G", "F", "E", "D"], 5, 1), lh: n("C", 3, 16, 2, "whole") },
    ]);
    const [best] = arrange(sketch, "string-quartet", db);
    const marks = marksOf(best!.score);
    const cello = marks.get("Cello")!;
    expect(cello).toContain("1:fp");
    expect(cello.filter((m) => m.startsWith("1:"))).toEqual(["1:fp"]);
    const tune = best!.score.parts.find((p) => soundingNotes(p).some((x) => x.pitch && x.measure === 2 && midiOf(x.pitch) === 79))!;
    expect(marks.get(tune.name)!.filter((m) => m.startsWith("2:"))).toEqual(["2:p"]);
  });

  test("Lascia ch'io pianga for orchestra, mm. 8–12: after the recitative's fp chord the voice's line is scored at p, without the horns and clarinets of the f before it", () => {
    const score = pianoScore("handel-lascia-chio-pianga.mxl", "symphony-orchestra");
    for (const name of ["Horns in F 1–2", "Clarinets in A", "Trumpets in B♭"]) for (const mi of [8, 9, 10]) expect(pitchesIn(score, name, mi), `${name} m. ${mi + 1}`).toEqual([]);
    // No part is marked louder than p from just after the fp (m. 8, at 7 wholes) to the aria (m. 13, at 12).
    const at = (m: string): number => m.split(":")[0]!.split("/").map(Number).reduce((a, b) => a / b);
    const loud = [...marksOf(score)].flatMap(([name, ms]) => ms.filter((m) => at(m) > 7 && at(m) < 12 && /:(mp|mf|f|ff)$/.test(m)).map((m) => `${name} ${m}`));
    expect(loud).toEqual([]);
    expect([...marksOf(score).values()].flat().filter((m) => at(m) > 7 && at(m) < 12 && m.endsWith(":p")).length).toBeGreaterThan(0);
  });

  test("a part marked down under the tune is so from the phrase's start, not the sketch's level for an 8th first (the Maple Leaf Rag for woodwind quintet)", () => {
    const rag = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-maple-leaf-rag.mxl`), "rag.mxl");
    const score = arrange(rag, "woodwind-quintet", db)[0]!.score;
    // Where the sketch marks no level in a measure, no part changes level twice in it (up for an
    // 8th at a phrase's start, then down under the tune: the horn's f, mf of mm. 22, 26, 30, 34).
    const starts = measureStarts(rag.parts[0]!);
    const measureOf = (t: Fraction): number => starts.filter((s) => !gt(s, t)).length - 1;
    const level = /^(ppp|pp|p|mp|mf|f|ff|fff)$/;
    const sketchMarks = new Set([...timedDirections(rag.parts[0]!)].filter(({ direction }) => direction.items.some((i) => i.kind === "dynamics" && level.test(i.values[0]!))).map(({ onset }) => measureOf(onset)));
    const twice: string[] = [];
    for (const [name, marks] of marksOf(score)) {
      const measures = marks.filter((m) => level.test(m.split(":")[1]!)).map((m) => measureOf(fromString(m.split(":")[0]!)!));
      measures.forEach((mi, k) => k > 0 && measures[k - 1] === mi && !sketchMarks.has(mi) && twice.push(`${name}, m. ${rag.parts[0]!.measures[mi]!.number}`));
    }
    expect(twice).toEqual([]);
  });

  test("balance marks a part at most one level below the sketch, and never below p unless the sketch is", () => {
    expect(DYNAMIC_LEVELS[markedLevel(levelIndex("f"), true)]).toBe("mf");
    expect(DYNAMIC_LEVELS[markedLevel(levelIndex("mp"), true)]).toBe("p");
    expect(DYNAMIC_LEVELS[markedLevel(levelIndex("p"), true)]).toBe("p");
    expect(DYNAMIC_LEVELS[markedLevel(levelIndex("pp"), true)]).toBe("pp");
    expect(DYNAMIC_LEVELS[markedLevel(levelIndex("ff"), false)]).toBe("ff");
  });

  test("the report says a part is marked below the sketch only where it is: at p it is left at p (Lascia ch'io pianga for woodwind quintet)", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/handel-lascia-chio-pianga.mxl`), "handel.mxl");
    const lines = arrange(sketch, "woodwind-quintet", db)[0]!.report.phrases.flatMap((p) => p.balance.map((line) => ({ line, dynamic: p.dynamic })));
    const below = lines.filter(({ line }) => line.includes(" marked one level below the sketch "));
    const left = lines.filter(({ line }) => line.includes(" left at the sketch's "));
    expect(below.length).toBeGreaterThan(0);
    expect(left.length).toBeGreaterThan(0);
    for (const { line, dynamic } of below) expect(line).toContain(`(${DYNAMIC_LEVELS[markedLevel(levelIndex(dynamic), true)]} at ${dynamic})`);
    for (const { dynamic } of below) expect(["p", "pp", "ppp"]).not.toContain(dynamic);
    for (const { line, dynamic } of left) expect(line, dynamic).toContain(`left at the sketch's ${dynamic} `);
  });
});

describe("the tune in octaves is the tune", () => {
  test("a part playing the right hand's lower octave of the tune is not marked down as if it covered the tune", () => {
    // Four bars of a tune in octaves (E4+E5 …) over half-note Cs and Gs, at f: every part that
    // plays the tune, at either octave, reads f; none is marked mf under it.
    const octave = (s: string): string => (s === "r" ? `<note><rest/><duration>4</duration><voice>1</voice><type>quarter</type><staff>1</staff></note>` : n(s, 4, 4, 1, "quarter") + n(s, 5, 4, 1, "quarter").replace("<note>", "<note><chord/>"));
    const tune = [["E", "D", "C", "D"], ["E", "E", "E", "r"], ["D", "D", "D", "r"], ["E", "G", "G", "r"]];
    const bass = [["C", "G"], ["C", "G"], ["G", "G"], ["C", "C"]];
    const sketch = piano(tune.map((t, i) => ({ before: i === 0 ? dyn("f") : "", rh: t.map(octave).join(""), lh: bass[i]!.map((s) => n(s, 3, 8, 2, "half")).join("") })));
    for (const ensemble of ["string-quartet", "woodwind-quintet", "brass-quintet"]) {
      const score = arrange(sketch, ensemble, db)[0]!.score;
      const onTune = score.parts.filter((p) => soundingNotes(p).filter((x) => x.pitch).map((x) => midiOf(x.pitch!) % 12).slice(0, 4).join() === "4,2,0,2");
      expect(onTune.length, ensemble).toBeGreaterThanOrEqual(2);
      for (const p of onTune) expect(marksOf(score).get(p.name), `${ensemble}: ${p.name}`).toEqual(["0:f"]);
    }
  });
});

describe("the bass is the bass", () => {
  test("K. 545 for orchestra: the cellos and basses hold the Alberti figure's bass, nothing sounds under it", () => {
    const k545 = readScore(bytesOf(`${FIXTURES}corpus/piano/mozart-k545-mvt1-exposition.mxl`), "k545.mxl");
    const [best] = arrange(k545, "symphony-orchestra", db);
    const audit = auditMusic(k545, best!.score, db);
    expect(audit.bass.agree / audit.bass.halfBars).toBeGreaterThanOrEqual(0.97);
    // The first four bars' bass: C held, D–C, C, B–C, in the cellos.
    const cello = best!.score.parts.find((p) => p.name === "Cello")!;
    expect(cello.measures[0]!.events.filter((e) => e.kind === "note").map((e) => (e.kind === "note" ? e.notes[0]!.pitch!.step : ""))).toEqual(["C"]);
  });

  test("a bass that lies over middle C is not doubled an octave down: the double basses rest (Clementi op. 36/1 i and Clair de lune for orchestra)", () => {
    // Clementi, mm. 16–19: the left hand holds F4, E♭4, B3–C4, G3 under the right hand at p; the
    // cellos play it at pitch, and the double basses had played it an octave down (F3 …), a 16'
    // register the sonatina does not have there. Clair de lune from MIDI, mm. 1–4: the lowest
    // line is the left hand's thirds, F4–G♭4, which the double basses had played as F3–G♭3 (from
    // m. 5 the bass comes down, and they double it).
    const clementi = readScore(bytesOf(`${FIXTURES}corpus/piano/clementi-sonatina-op36no1-mvt1.musicxml`), "op36no1.musicxml");
    const debussy = readMidiWithReport(bytesOf(`${FIXTURES}corpus/midi/pianomidi-debussy-claire-de-lune.mid`), "claire-de-lune.mid").score;
    const played = (score: Score, name: string, from: number, to: number): number[] =>
      soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch && n.measure >= from && n.measure <= to).map((n) => midiOf(n.pitch!));
    for (const [sketch, from, to] of [[clementi, 15, 18], [debussy, 0, 3]] as const) {
      const score = arrange(sketch, "symphony-orchestra", db)[0]!.score;
      expect(played(score, "Cello", from, to).length).toBeGreaterThan(0);
      expect(played(score, "Double Bass", from, to)).toEqual([]);
    }
    // Where the bass lies low, the double basses still double it an octave down (Clementi, mm. 1–4).
    const score = arrange(clementi, "symphony-orchestra", db)[0]!.score;
    const cello = played(score, "Cello", 0, 3);
    expect(played(score, "Double Bass", 0, 3).some((m) => cello.includes(m + 12))).toBe(true);
  });

  test("a bass figure taken down an octave whole keeps its shape (Clementi op. 36/3 i for brass quintet, m. 49: C4 E4 G4 in the tuba as C3 E3 G3)", () => {
    const score = pianoScore("clementi-sonatina-op36no3-mvt1.musicxml", "brass-quintet");
    const tuba = soundingNotes(score.parts.find((p) => p.name === "Tuba")!).filter((n) => n.measure === 48 && n.pitch).map((n) => midiOf(n.pitch!));
    expect(tuba).toEqual([48, 52, 55, 48, 52, 55]);
  });
  test("the part that held a figure's harmonic bass goes on with the bass where the figure itself becomes the bass line (Clementi op. 36/1 ii for brass quintet, mm. 4–9: the left hand's triplets in the tuba, not the horn)", () => {
    // Phrase 1 has the tuba hold the harmonic bass of the left hand's triplets; from m. 3 the
    // triplets are the bass line themselves. The horn, which had the triplets as an accompaniment,
    // had kept them as the bass, and the tuba played a note of each bar.
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clementi-sonatina-op36no1-mvt2.musicxml`), "op36no1-ii.musicxml");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    const left = soundingNotes(sketch.parts.find((p) => p.name.includes("left"))!).filter((n) => n.pitch && n.measure >= 3 && n.measure <= 8);
    const tuba = soundingNotes(score.parts.find((p) => p.name === "Tuba")!).filter((n) => n.pitch);
    expect(left.length).toBeGreaterThanOrEqual(24);
    for (const n of left) {
      const struck = tuba.filter((t) => eq(t.onset, n.onset)).map((t) => midiOf(t.pitch!));
      expect(struck.map((m) => (m - midiOf(n.pitch!) + 120) % 12), `${nameOf(n.pitch!)} at ${toString(n.onset)}`).toEqual([0]);
    }
  });
  test("a bass line climbing past the tuba's comfortable range goes down an octave whole, every note (The Entertainer for brass quintet, mm. 2–3)", () => {
    // The left hand's run D4 E4 C4 A3 B3 G3 | D3 … G♯2 has D4 above the tuba's C4: the tuba plays
    // the run an octave down as a whole. The A3 tied across the half measure stays in the run: it
    // is not the sketch's lowest note of the half measure it is tied into (B3 and G3 are struck there).
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-the-entertainer.musicxml`), "entertainer.musicxml");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    const of = (part: Score["parts"][number], mi: number) => soundingNotes(part).filter((n) => n.pitch && n.measure === mi).map((n) => midiOf(n.pitch!));
    const tuba = score.parts.find((p) => p.name === "Tuba")!;
    const left = sketch.parts.find((p) => p.name.includes("left"))!;
    for (const mi of [1, 2]) {
      const run = of(left, mi);
      expect(run.length).toBeGreaterThanOrEqual(6);
      expect(of(tuba, mi), `measure index ${mi}`).toEqual(run.map((m) => m - 12));
    }
    expect(checkScore(score, db).filter((w) => w.part === "Tuba" && w.rule === "comfort")).toEqual([]);
  });
  test("a bass note below every bass part's comfortable range goes up an octave where it stays the lowest, and is reported (The Entertainer for woodwind quintet, m. 4: the left hand's G1, below the bassoon's B♭1, as G2)", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-the-entertainer.musicxml`), "entertainer.musicxml");
    const [best] = arrange(sketch, "woodwind-quintet", db);
    const mi = best!.score.parts[0]!.measures.findIndex((m) => m.number === "4");
    const notes = best!.score.parts.flatMap((p) => soundingNotes(p).filter((n) => n.measure === mi && n.pitch).map((n) => ({ part: p.name, midi: midiOf(n.pitch!), onset: toString(n.onset) })));
    expect(notes.filter((n) => n.part === "Bassoon" && n.onset === "7/4").map((n) => n.midi)).toEqual([43]);
    for (const n of notes.filter((n) => n.onset === "7/4")) expect(n.midi).toBeGreaterThanOrEqual(43);
    expect(best!.report.phrases.flatMap((p) => p.moved).some((m) => m.part === "Bassoon" && m.measure === "4" && m.pitch === "G1" && m.octaves === 1)).toBe(true);
  });
  test("a held bass note gives way to a lower note struck under it (Polonaise op. 1/3, mm. 10 and 12)", () => {
    // The left hand holds F3 through m. 10 and strikes D3, then D2, under it in the second half:
    // the bassoon's F ends there and the bassoon plays the D.
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no3.mxl`), "polonaise3.mxl");
    for (const ensemble of ["woodwind-quintet", "brass-quintet"]) {
      const missed = auditMusic(sketch, arrange(sketch, ensemble, db)[0]!.score, db).bass.examples;
      expect(missed.filter((m) => m === "m. 10b" || m === "m. 12b"), ensemble).toEqual([]);
    }
  });

  test("a bass note whose part carries another line's note struck under it is held whole, that note stopped by another string part (Beethoven op. 18/1 i as a one-track MIDI file, m. 29: the cello's F2 for a quarter, the viola's A3 under its C4)", () => {
    // The left hand's F2 (a quarter) under the chords' A3 C4 F4 in eighths: the cello carries the
    // A3s, which no other part plays; the F2 was left out because F4 sounds in the second violin,
    // then played for an eighth only, until the cello's next A3; the viola now stops that A3 under
    // its C4, and the cello holds the F2 as Beethoven's cello does.
    const { sketch, score } = quartetFromMidi("beethoven-op18no1-mvt1");
    const cello = score.parts.find((p) => p.name === "Cello")!;
    const mi = cello.measures.findIndex((m) => m.number === "29");
    const notes = soundingNotes(cello).filter((n) => n.measure === mi && n.pitch);
    expect(notes.map((n) => `${toString(sub(n.onset, measureStarts(cello)[mi]!))}:${midiOf(n.pitch!)}/${toString(n.duration)}`).slice(0, 2)).toEqual(["0:41/1/4", "1/4:57/1/8"]);
    const viola = score.parts.find((p) => p.name === "Viola")!;
    const eighth = add(measureStarts(viola)[mi]!, frac(1, 8));
    expect(soundingNotes(viola).filter((n) => n.pitch && eq(n.onset, eighth)).map((n) => midiOf(n.pitch!)).sort()).toEqual([57, 60]);
    expect(auditMusic(sketch, score, db).bass.examples).not.toContain("m. 29a");
  });
  test("a bass held from the phrase before is not cut short for a line another part can take (Haydn op. 74/1 iv as a one-track MIDI file, m. 275; Clementi op. 36/3 ii for string orchestra, m. 16)", () => {
    // Haydn: the cello holds the open C2 and G2 for bars; the next phrase's bass-most line (the
    // viola's G3) went to the cello and cut the C2 short, leaving G2 lowest under the sketch's C2.
    const { sketch, score } = quartetFromMidi("haydn-op74no1-mvt4");
    const cello = score.parts.find((p) => p.name === "Cello")!;
    const mi = cello.measures.findIndex((m) => m.number === "275");
    const end = add(measureStarts(cello)[mi]!, cello.measures[mi]!.duration);
    expect(soundingNotes(cello).some((n) => n.pitch && midiOf(n.pitch) === 36 && !lt(add(n.onset, n.duration), end))).toBe(true);
    expect(auditMusic(sketch, score, db).bass.examples).not.toContain("m. 275b");
    // Clementi: the left hand's G3 held through m. 16 under the right hand's C4 F♯4 A4, then B3 G4.
    const clementi = readScore(bytesOf(`${FIXTURES}corpus/piano/clementi-sonatina-op36no3-mvt2.musicxml`), "clementi.musicxml");
    const cellos = arrange(clementi, "string-orchestra", db)[0]!.score.parts.find((p) => p.name === "Cello")!;
    const m16 = cellos.measures.findIndex((m) => m.number === "16");
    const held = soundingNotes(cellos).filter((n) => n.measure === m16 && n.pitch && midiOf(n.pitch) === 55);
    expect(held.map((n) => toString(n.duration))).toEqual(["3/4"]);
  });
  test("a note the bass part gives up for the bass goes to a string part as a double stop under its own note struck with it (Schumann op. 41/1 v as a one-track MIDI file, mm. 10 and 16: the viola's C4 E4, the cello's A2)", () => {
    const { sketch, score } = quartetFromMidi("schumann-op41no1-mvt5");
    const at = (name: string, bar: string, beat: number): number[] => {
      const part = score.parts.find((p) => p.name === name)!;
      const mi = part.measures.findIndex((m) => m.number === bar);
      const t = add(measureStarts(part)[mi]!, frac(beat, 4));
      return soundingNotes(part).filter((n) => n.pitch && eq(n.onset, t)).map((n) => midiOf(n.pitch!)).sort((a, b) => a - b);
    };
    expect([at("Viola", "10", 0), at("Cello", "10", 0)]).toEqual([[60, 64], [45]]);
    expect([at("Viola", "16", 3), at("Cello", "16", 3)]).toEqual([[60, 64], [45]]);
    const missed = auditMusic(sketch, score, db).bass.examples;
    expect(missed.filter((m) => ["m. 10a", "m. 16b"].includes(m))).toEqual([]);
  });
  test("a bass note its part cannot hold through its own line's next note is played until then (Polonaise op. 1/2 for woodwind quintet, m. 15: the bassoon's G3 for half the bar, then its line)", () => {
    // The left hand holds G3 through the bar under its eighths; the bassoon's line goes on at the
    // bar's second half with notes no other part plays, so it holds the G3 until then.
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no2.mxl`), "polonaise2.mxl");
    const bassoon = arrange(sketch, "woodwind-quintet", db)[0]!.score.parts.find((p) => p.name === "Bassoon")!;
    const mi = bassoon.measures.findIndex((m) => m.number === "15");
    const first = soundingNotes(bassoon).find((n) => n.measure === mi && n.pitch)!;
    expect([toString(sub(first.onset, measureStarts(bassoon)[mi]!)), midiOf(first.pitch!), toString(first.duration)]).toEqual(["0", 55, "1/2"]);
  });
  test("a bass note below the part's comfortable range that the sketch strikes in octaves is played at the upper octave (Clair de lune from MIDI for brass quintet, m. 15: the tuba's E♭2, not E♭1)", () => {
    const sketch = readMidiWithReport(bytesOf(`${FIXTURES}corpus/midi/pianomidi-debussy-claire-de-lune.mid`), "clair.mid").score;
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    const tuba = score.parts.find((p) => p.name === "Tuba")!;
    const mi = tuba.measures.findIndex((m) => m.number === "15");
    const first = soundingNotes(tuba).find((n) => n.measure === mi && n.pitch)!;
    expect(midiOf(first.pitch!)).toBe(39);
    expect(checkScore(score, db).filter((w) => w.part === "Tuba" && w.measure === "15")).toEqual([]);
  });
  test("a note the bass parts take after all is not reported left out (the Maple Leaf Rag for brass quintet)", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-maple-leaf-rag.mxl`), "maple.mxl");
    const { report } = arrange(sketch, "brass-quintet", db)[0]!;
    const filled = report.phrases.flatMap((p) => p.filled.filter((f) => f.reason.includes("lowest note")).map((f) => `${f.measure} ${f.pitch}`));
    expect(filled.length).toBeGreaterThan(0);
    const stillOut = report.phrases.flatMap((p) => p.leftOut.map((l) => `${l.measure} ${l.pitch}`));
    expect(filled.filter((f) => stillOut.includes(f))).toEqual([]);
  });

  test("a held low note the right hand leaves sounding is kept under the texture by a bass instrument", () => {
    // The left hand holds C2 under the right hand's chords: the cello (or bass) plays C, lowest.
    const sketch = piano([{ rh: quarters(["E", "G", "E", "G"], 4, 1), lh: n("C", 2, 16, 2, "whole") }]);
    for (const ensemble of ["string-quartet", "woodwind-quintet", "brass-quintet"]) {
      const [best] = arrange(sketch, ensemble, db);
      expect(auditMusic(sketch, best!.score, db).bass, ensemble).toMatchObject({ halfBars: 2, agree: 2 });
    }
  });
});

describe("a stride bass: the basses play its bass notes, the cellos the line with its after-beats", () => {
  const notesIn = (score: Score, part: string, measure: string): string[] => {
    const p = score.parts.find((x) => x.name === part)!;
    const mi = p.measures.findIndex((m) => m.number === measure);
    return soundingNotes(p)
      .filter((n) => n.measure === mi && n.pitch)
      .map((n) => `${toString(sub(n.onset, measureStarts(p)[mi]!))}:${midiOf(n.pitch!)}`);
  };
  // Four bars of a tune over a left hand in quarters, at f; the parts that double the bass an octave down by habit, and what they play in m. 2.
  const habitual = (lh: string): Map<string, string[]> => {
    const sketch = piano([1, 2, 3, 4].map((i) => ({ rh: quarters(["E", "D", "C", "D"], 5, 1), lh, ...(i === 1 ? { before: dyn("f") } : {}) })));
    const score = arrange(sketch, "symphony-orchestra", db)[0]!.score;
    const parts = score.parts.filter((p) => bassByHabit(instrumentOfPart(db, p)!) && notesIn(score, p.name, "2").length > 0);
    return new Map(parts.map((p) => [p.name, notesIn(score, p.name, "2")]));
  };
  const chord = (...notes: string[]): string => notes.map((x, i) => (i === 0 ? x : x.replace("<note>", "<note><chord/>"))).join("");
  test("oom-pah in quarters: the parts an octave down leave the chords' after-beats to the parts at pitch", () => {
    // C3, then E3+G3; G2, then E3+G3: the left hand's bass on beats 1 and 3.
    const lh = [n("C", 3, 4, 2, "quarter"), chord(n("E", 3, 4, 2, "quarter"), n("G", 3, 4, 2, "quarter")), n("G", 2, 4, 2, "quarter"), chord(n("E", 3, 4, 2, "quarter"), n("G", 3, 4, 2, "quarter"))].join("");
    const parts = habitual(lh);
    expect(parts.size).toBeGreaterThan(0);
    for (const [part, notes] of parts) {
      expect(notes.map((x) => x.split(":")[0]), part).toEqual(["0", "1/2"]);
      expect(notes.map((x) => Number(x.split(":")[1]) % 12), part).toEqual([0, 7]);
    }
  });
  test("a bass moving with its chords, struck together (a chorale's), is doubled whole", () => {
    const lh = [["C", 3], ["E", 3], ["G", 2], ["E", 3]].map(([step, octave]) => chord(n(step as string, octave as number, 4, 2, "quarter"), n("G", 3, 4, 2, "quarter"), n("C", 4, 4, 2, "quarter"))).join("");
    const parts = habitual(lh);
    expect(parts.size).toBeGreaterThan(0);
    for (const [part, notes] of parts) expect(notes.map((x) => x.split(":")[0]), part).toEqual(["0", "1/4", "1/2", "3/4"]);
  });
  test("the Maple Leaf Rag for orchestra, m. 1: the basses play A♭ and the syncopated A, the cellos the left hand's line with its chords' E♭s", () => {
    const score = pianoScore("joplin-maple-leaf-rag.mxl", "symphony-orchestra");
    // The left hand: A♭2+A♭3, E♭3+A♭3+C4, E♭3+A♭3+C4, A2+A3 (eighths).
    expect(notesIn(score, "Cello", "1")).toEqual(["0:44", "1/8:51", "1/4:51", "3/8:45"]);
    for (const part of ["Double Bass", "Tuba"]) {
      const notes = notesIn(score, part, "1");
      expect(notes.map((x) => x.split(":")[0]), part).not.toContain("1/8");
      expect(notes.filter((x) => x.startsWith("0:") || x.startsWith("3/8:")).map((x) => Number(x.split(":")[1]) % 12), part).toEqual([8, 9]);
    }
  });
  test("a stride bass carried by a part an octave down by habit leaves its after-beats to the parts that play them with it (the Maple Leaf Rag, m. 1: the band's string bass, not the brass quintet's tuba, which alone plays them)", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-maple-leaf-rag.mxl`), "maple.mxl");
    const band = arrange(sketch, "concert-band", db)[0]!.score;
    expect(notesIn(band, "Bassoons", "1")).toEqual(["0:44", "1/8:51", "1/4:51", "3/8:45"]);
    expect(notesIn(band, "String Bass", "1").map((x) => x.split(":")[0])).toEqual(["0", "1/4", "3/8"]);
    const quintet = arrange(sketch, "brass-quintet", db)[0]!.score;
    expect(notesIn(quintet, "Tuba", "1").map((x) => x.split(":")[0])).toEqual(["0", "1/8", "1/4", "3/8"]);
  });
  test("a polonaise's left hand, a bass note and five chords after it: the Polonaise op. 1 no. 2 for orchestra, mm. 1–2, the basses on each bar's C, the cellos on C G G G G G", () => {
    // The double basses and contrabassoon had played all six eighths an octave down (C2 G2 G2 G2 G2 G2).
    const score = pianoScore("clara-schumann-polonaise-op1no2.mxl", "symphony-orchestra");
    for (const bar of ["1", "2"]) {
      expect(notesIn(score, "Cello", bar)).toEqual(["0:48", "1/8:55", "1/4:55", "3/8:55", "1/2:55", "5/8:55"]);
      for (const part of ["Double Bass", "Contrabassoon"]) {
        const notes = notesIn(score, part, bar);
        if (part === "Double Bass") expect(notes.length, `${part} m. ${bar}`).toBeGreaterThan(0);
        expect(notes, `${part} m. ${bar}`).toEqual(notes.length ? ["0:36"] : []);
      }
    }
  });
  test("a chord struck a tone over its held bass note is an after-beat: the Polonaise op. 1 no. 2, m. 12, the basses on the F alone, the tuba with them in the orchestra", () => {
    // The left hand holds F3 under G3 B3 D4 struck five times; the basses had played the chords' G
    // as G2 G2 G3 G3 G3 after their F2 (a tone is no step between bass notes while the F still sounds).
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no2.mxl`), "op1no2.mxl");
    for (const ens of ["string-orchestra", "symphony-orchestra"]) {
      const score = arrange(sketch, ens, db)[0]!.score;
      expect(notesIn(score, "Double Bass", "12"), ens).toEqual(["0:41"]);
    }
    // The brass that double the bass by habit play its bass notes as the basses do (they had rested under the stride).
    const orchestra = arrange(sketch, "symphony-orchestra", db)[0]!.score;
    expect(notesIn(orchestra, "Tuba", "12")).toEqual(["0:41"]);
  });
  test("a stride the analysis calls an arpeggio is still the basses' bass notes: The Entertainer for string orchestra, mm. 7–8, at f, the basses on G1 G1 | C2 E2 under the cellos, where they had rested", () => {
    const score = pianoScore("joplin-the-entertainer.musicxml", "string-orchestra");
    expect(pitchesIn(score, "Double Bass", 6)).toEqual([31, 31]);
    expect(pitchesIn(score, "Double Bass", 7)).toEqual([36, 40]);
  });

  test("where no part is free for a figure's harmonic bass, the basses hold it under the figure: the Polonaise op. 1 no. 1 for string orchestra, mm. 5–7, B♭1, E♭2, B♭1 a bar each", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no1.mxl`), "polonaise1.mxl");
    const basses = arrange(sketch, "string-orchestra", db)[0]!.score.parts.find((p) => p.name === "Double Bass")!;
    const held = soundingNotes(basses).filter((n) => n.pitch && n.measure >= 4 && n.measure <= 6).map((n) => `${nameOf(n.pitch!)}:${toString(n.duration)}`);
    expect(held).toEqual(["Bb1:3/4", "Eb2:3/4", "Bb1:3/4"]);
  });

  test("La donna è mobile for orchestra: the basses play the bar's first beat, the cellos its oom-pah-pah", () => {
    const score = pianoScore("verdi-la-donna-e-mobile.mxl", "symphony-orchestra");
    expect(notesIn(score, "Double Bass", "1")).toEqual(["0:34"]);
    expect(notesIn(score, "Cello", "1")).toEqual(["0:46", "1/8:53", "1/4:53"]);
  });
});

describe("harmony windows", () => {
  test("follow the time signature: a measure shorter than it ends its last window (the Wild Horseman's first-ending bar of 5/8 in 6/8, and the pickup after it)", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schumann-op68no8-wild-horseman.mxl`), "horseman.mxl");
    const frames = framesOf(sketch.parts[0]!);
    const inFrame = (number: string): string[] => {
      const f = frames.find((x) => x.number === number)!;
      return harmonyWindows(frames)
        .filter((w) => !lt(w.start, f.start) && lt(w.start, add(f.start, f.duration)))
        .map((w) => `${toString(sub(w.start, f.start))}-${toString(sub(w.end, f.start))}`);
    };
    expect(inFrame("15")).toEqual(["0-3/8", "3/8-3/4"]);
    expect(inFrame("16")).toEqual(["0-3/8", "3/8-5/8"]);
    expect(inFrame("X2")).toEqual(["0-1/8"]);
  });
});

describe("breaths", () => {
  const frames: MeasureFrame[] = Array.from({ length: 6 }, (_, i) => ({ number: String(i + 1), start: frac(i), duration: frac(1), attributes: i === 0 ? { time: { kind: "measured", signatures: [{ beats: "4", beatType: 4 }] } } : {} }));
  // Six bars of legato quarters: at a quarter = 60 that is 24 seconds without a rest.
  const line: PlacedEvent[] = Array.from({ length: 24 }, (_, i) => ({ onset: frac(i, 4), duration: frac(1, 4), pitches: [pitch("C", 0, 5)], voice: "1", staff: 1 }));

  test("a breath mark at a barline within every breath's reach, none where one is not needed", () => {
    const marked = markBreaths(line, 8, 4, frames).flatMap((e, i) => (e.marks?.articulations?.some((a) => a.name === "breath-mark") ? [i] : []));
    // 8 s at a whole note in 4 s: the latest barline within two bars, then again.
    expect(marked).toEqual([7, 15]);
    expect(markBreaths(line.slice(0, 6), 8, 4, frames).some((e) => e.marks)).toBe(false);
  });

  test("tutti check counts a breath mark as a place to breathe", () => {
    const sketch = piano([0, 1, 2, 3, 4, 5, 6, 7].map(() => ({ before: '<sound tempo="60"/>', rh: quarters(["C", "D", "E", "F"], 5, 1), lh: n("C", 3, 16, 2, "whole") })));
    const [best] = arrange(sketch, "woodwind-quintet", db);
    expect(checkScore(best!.score, db).filter((f) => f.rule === "breath")).toEqual([]);
    const flute = best!.score.parts.find((p) => p.measures.some((m) => m.events.some((e) => e.kind === "note" && e.articulations?.some((a) => a.name === "breath-mark"))));
    expect(flute).toBeDefined();
  });
});

describe("readable voices", () => {
  const frames: MeasureFrame[] = [{ number: "1", start: frac(0), duration: frac(1), attributes: { time: { kind: "measured", signatures: [{ beats: "4", beatType: 4 }] } } }];
  const writable = rhythmCheck(frames, [], frac(1, 16));
  const at = (on: [number, number], dur: [number, number]): { onset: ReturnType<typeof frac>; duration: ReturnType<typeof frac> } => ({ onset: frac(...on), duration: frac(...dur) });

  test("triplets of one line, or sixteenths of another, but not both in one beat", () => {
    const triplets = [at([0, 1], [1, 12]), at([1, 12], [1, 12]), at([1, 6], [1, 12])];
    const sixteenth = at([3, 16], [1, 16]);
    expect(writable(triplets, triplets[0]!)).toBe(true);
    expect(writable([at([0, 1], [3, 16]), sixteenth], sixteenth)).toBe(true);
    expect(writable([...triplets.slice(0, 2), sixteenth], sixteenth)).toBe(false);
  });

  test("inside a triplet, every note and rest starts on the triplet's grid", () => {
    // A triplet eighth on the second beat, then a 16th at its last 16th: a 32nd triplet's rest between them.
    const sixteenth = at([7, 16], [1, 16]);
    expect(writable([at([1, 4], [1, 12]), sixteenth], sixteenth)).toBe(false);
    // The same 16th after the triplet's beat is written plainly.
    expect(writable([at([1, 4], [1, 12]), at([9, 16], [1, 16])], at([9, 16], [1, 16]))).toBe(true);
  });

  test("a last look leaves out a doubling's notes that would spoil a voice, never a note only it plays", () => {
    // Flutes (slot 0) double the violins' (slot 1) triplet G5s into the beat where their own line's 16th comes.
    const note = (on: [number, number], dur: [number, number], name = "G5"): LineNote => ({ onset: frac(...on), duration: frac(...dur), pitch: parsePitch(name)!, source: { part: 0, measure: 0, event: 0, note: 0 } });
    const triplets = [note([0, 1], [1, 12]), note([1, 12], [1, 12])];
    const placement = (slot: number, principal: boolean, notes: LineNote[]): Placement => ({ phrase: 0, slot, line: slot + 1, notes, shift: 0, fixes: new Map(), principal, voice: 1 });
    const sixteenth = note([3, 16], [1, 16], "D5");
    const placements = [placement(0, false, triplets), placement(0, true, [sixteenth]), placement(1, true, triplets)];
    const strict = rhythmCheck(frames, [], frac(1, 32));
    expect(keepReadable(placements, strict, frames)).toBeGreaterThan(0);
    const flutes = placements.filter((p) => p.slot === 0).flatMap((p) => p.notes);
    expect(flutes).toContain(sixteenth);
    expect(flutes.every((n) => strict(flutes, n))).toBe(true);
    expect(placements[2]!.notes).toEqual(triplets);
    // Where no other part strikes them, the triplets are the sketch's: they stay.
    const alone = [placement(0, false, triplets), placement(0, true, [sixteenth])];
    expect(keepReadable(alone, strict, frames)).toBe(0);
    expect(alone[0]!.notes).toEqual(triplets);
  });

  test("a phrase's last triplet held over into the next phrase's beat of 16ths ends on the beat (Mozart K. 458 iii, m. 10, played)", () => {
    const note = (on: [number, number], dur: [number, number], name: string): LineNote => ({ onset: frac(...on), duration: frac(...dur), pitch: parsePitch(name)!, source: { part: 0, measure: 0, event: 0, note: 0 } });
    const placement = (line: number, notes: LineNote[]): Placement => ({ phrase: line, slot: 0, line, notes, shift: 0, fixes: new Map(), principal: true, voice: 1 });
    // G5 a triplet eighth from 5/24 (into the second beat by 1/24), then the next phrase's D5 16th at 3/8.
    const placements = [placement(1, [note([1, 8], [1, 12], "C6"), note([5, 24], [1, 12], "G5")]), placement(2, [note([3, 8], [1, 16], "D5")])];
    const strict = rhythmCheck(frames, [], frac(1, 32));
    expect(keepReadable(placements, strict, frames)).toBe(1);
    expect(placements[0]!.notes.map((n) => toString(n.duration))).toEqual(["1/12", "1/24"]);
    expect(placements[1]!.notes[0]!.duration).toEqual(frac(1, 16));
  });

  test("one player's two voices are written upper first: notes that sound together change voices where the second lies above, a note alone keeps its voice", () => {
    const ev = (on: [number, number], dur: [number, number], name: string, voice: string): PlacedEvent => ({ onset: frac(...on), duration: frac(...dur), pitches: [parsePitch(name)!], voice, staff: 1 });
    // Voice 1: a C4 after-beat and a lone C5; voice 2: the tune's D5 E5 over the after-beat.
    const events = [ev([1, 8], [1, 8], "C4", "1"), ev([1, 8], [1, 16], "D5", "2"), ev([3, 16], [1, 16], "E5", "2"), ev([5, 16], [1, 16], "C5", "1")];
    const voices = (list: readonly PlacedEvent[]): string[] => list.map((e) => `${nameOf(e.pitches[0]!)}:${e.voice}`);
    expect(voices(upperVoiceFirst(events, writable))).toEqual(["C4:2", "D5:1", "E5:1", "C5:1"]);
    // Already upper first: unchanged; and no change where a voice could not be written after it.
    const ordered = upperVoiceFirst(events, writable);
    expect(upperVoiceFirst(ordered, writable)).toEqual(ordered);
    const twoAtMost = (notes: readonly unknown[]): boolean => notes.length < 3;
    expect(voices(upperVoiceFirst(events, twoAtMost))).toEqual(voices(events));
  });
  test("two voices that meet through a whole long piece are one group, put in order without running out of stack", () => {
    // 20,000 notes, each overlapping the next: the second voice's C5s over the first's C4s.
    const events: PlacedEvent[] = Array.from({ length: 20000 }, (_, i) => ({ onset: frac(i, 8), duration: frac(1, 4), pitches: [parsePitch(i % 2 ? "C5" : "C4")!], voice: i % 2 ? "2" : "1", staff: 1 }));
    const ordered = upperVoiceFirst(events, () => true);
    expect(ordered.every((e) => e.voice === (midiOf(e.pitches[0]!) === 72 ? "1" : "2"))).toBe(true);
  });
  test("the second violin's tune an octave down over its after-beats is its first voice (The Entertainer for string quartet, mm. 6–8)", () => {
    const violin = partOf("joplin-the-entertainer.musicxml", "string-quartet", "Violin II");
    const notes = soundingNotes(violin).filter((n) => n.pitch && !n.grace);
    for (const bar of ["6", "7", "8"]) expect(inverted(violin, [bar]), `m. ${bar}`).toBe(0);
    // The tune's D5 E5 struck over the after-beat C4 of m. 7 are the first voice's, the C4 the second's.
    const m7 = violin.measures.findIndex((m) => m.number === "7");
    const start = measureStarts(violin)[m7]!;
    const at = (t: Fraction): string[] => notes.filter((n) => n.measure === m7 && eq(sub(n.onset, start), t)).map((n) => `${nameOf(n.pitch!)}:${n.voice}`).sort();
    expect([...at(frac(1, 8)), ...at(frac(3, 16))]).toEqual(["C4:2", "D5:1", "E5:1"]);
  });
  test("two players' voices are written upper first, and a note alone goes on with the player whose phrase it ends", () => {
    const ev = (on: [number, number], dur: [number, number], name: string, voice: string): PlacedEvent => ({ onset: frac(...on), duration: frac(...dur), pitches: [parsePitch(name)!], voice, staff: 1 });
    // Voice 1: C4, then B3 alone straight after it; voice 2: E4 over the C4.
    const events = [ev([0, 1], [1, 4], "C4", "1"), ev([0, 1], [1, 4], "E4", "2"), ev([1, 4], [1, 4], "B3", "1")];
    const voices = (list: readonly PlacedEvent[]): string[] => list.map((e) => `${nameOf(e.pitches[0]!)}:${e.voice}`);
    // One player reading both: the lone B3 stays where it was; two players: it is the C4's player's.
    expect(voices(upperVoiceFirst(events, () => true))).toEqual(["C4:2", "E4:1", "B3:1"]);
    expect(voices(upperVoiceFirst(events, () => true, 2))).toEqual(["C4:2", "E4:1", "B3:2"]);
  });
  test("a pair of winds and a divided section read their upper line as the first voice (Polonaise op. 1 no. 4 for chamber orchestra, bassoons, mm. 9–12; Der Lindenbaum for string orchestra, cellos, mm. 16–24; The Entertainer for band, clarinets, mm. 21–22)", () => {
    const bassoons = partOf("clara-schumann-polonaise-op1no4.mxl", "chamber-orchestra", "Bassoons");
    expect(inverted(bassoons, ["9", "10", "11", "12"])).toBe(0);
    // The held B♭3 goes down to the bass's C♯2 in the second player's part, under the first's C♯4 D4.
    const m10 = soundingNotes(bassoons).filter((n) => n.pitch && !n.grace && bassoons.measures[n.measure]!.number === "10");
    expect(m10.filter((n) => n.voice === "2").map((n) => nameOf(n.pitch!))).toEqual(["Bb3", "C#2"]);
    const cellos = partOf("schubert-lindenbaum-voice-piano.musicxml", "string-orchestra", "Cello");
    expect(inverted(cellos, ["16", "17", "18", "19", "20", "21", "22", "23", "24"])).toBe(0);
    // Where the two lines meet they are ordered there, even inside a long phrase of one player that
    // lies below the other's elsewhere (The Entertainer for band, first clarinets, mm. 21–22).
    const clarinets = partOf("joplin-the-entertainer.musicxml", "concert-band", "Clarinet in B♭ 1");
    expect(inverted(clarinets, ["21", "22"])).toBe(0);
  });
  test("two lines of one rhythm, once the upper is the first voice, are written as double stops (The Maple Leaf Rag for orchestra, cellos, mm. 51–53)", () => {
    const cellos = partOf("joplin-maple-leaf-rag.mxl", "symphony-orchestra", "Cello");
    for (const bar of ["51", "52", "53"]) {
      const m = cellos.measures.find((x) => x.number === bar)!;
      expect(new Set(m.events.filter((e) => e.kind === "note").map((e) => e.voice)), `m. ${bar}`).toEqual(new Set(["1"]));
    }
    const first = cellos.measures.find((x) => x.number === "51")!.events.find((e) => e.kind === "note")!;
    expect(first.kind === "note" && first.notes.map((n) => nameOf(n.pitch!))).toEqual(["Eb2", "Eb3"]);
  });
  test("one player's line in the second voice alone through a measure is its first voice there; a tie to a measure where the first voice plays keeps it", () => {
    const ev = (on: [number, number], dur: [number, number], name: string, voice: string, tie?: "out" | "in"): PlacedEvent => ({ onset: frac(...on), duration: frac(...dur), pitches: [parsePitch(name)!], voice, staff: 1, ...(tie === "out" ? { tieOut: true } : tie === "in" ? { tieIn: true } : {}) });
    const starts = [frac(0), frac(1), frac(2)];
    // m. 1: both voices; m. 2: the second alone, its G4 tied into m. 3, where the first voice plays again.
    const events = [ev([0, 1], [1, 1], "C5", "1"), ev([0, 1], [1, 1], "E4", "2"), ev([1, 1], [1, 2], "D4", "2"), ev([3, 2], [1, 2], "G4", "2", "out"), ev([2, 1], [1, 2], "G4", "2", "in"), ev([2, 1], [1, 1], "B4", "1")];
    const voices = aloneInFirstVoice(events, starts, () => true).map((e) => `${nameOf(e.pitches[0]!)}:${e.voice}`);
    // The D4 moves; the tied G4 of m. 2 stays with its tie into m. 3, where the first voice plays.
    expect(voices).toEqual(["C5:1", "E4:2", "D4:1", "G4:2", "G4:2", "B4:1"]);
  });
  test("one line in two voices that never sound together in a measure is one voice there, where its rhythm can be written; a measure where they meet stays two", () => {
    const ev = (on: [number, number], dur: [number, number], name: string, voice: string): PlacedEvent => ({ onset: frac(...on), duration: frac(...dur), pitches: [parsePitch(name)!], voice, staff: 1 });
    const starts = [frac(0), frac(1)];
    // m. 1: G2 in the second voice, then G3 in the first; m. 2: the voices sound together.
    const events = [ev([0, 1], [1, 4], "G2", "2"), ev([1, 4], [1, 4], "G3", "1"), ev([1, 1], [1, 2], "B3", "1"), ev([1, 1], [1, 4], "G2", "2"), ev([5, 4], [1, 4], "D3", "2")];
    const voices = (w: (notes: readonly unknown[]) => boolean) => aloneInFirstVoice(events, starts, w).map((e) => `${nameOf(e.pitches[0]!)}:${e.voice}`);
    expect(voices(() => true)).toEqual(["G2:1", "G3:1", "B3:1", "G2:2", "D3:2"]);
    // Where the first voice's rhythm could be written before and not with the G2 (here: no more
    // than one note), the voices stay.
    expect(voices((notes) => notes.length < 2)).toEqual(["G2:2", "G3:1", "B3:1", "G2:2", "D3:2"]);
  });
  test("Lascia ch'io pianga for orchestra, m. 17: the cellos' G2 then G3 are one line in one voice, not a G2 in the second voice under a rest and a G3 in the first", () => {
    const cellos = partOf("handel-lascia-chio-pianga.mxl", "symphony-orchestra", "Cello");
    const m = cellos.measures.find((x) => x.number === "17")!;
    expect(new Set(m.events.filter((e) => e.kind === "note").map((e) => e.voice))).toEqual(new Set(["1"]));
    expect(m.events.filter((e) => e.kind === "note").flatMap((e) => (e.kind === "note" ? e.notes.map((n) => nameOf(n.pitch!)) : []))).toEqual(["G2", "G3"]);
  });
  test("the viola's after-beats alone through a measure are its first voice (The Maple Leaf Rag for string quartet, mm. 48–50)", () => {
    const viola = partOf("joplin-maple-leaf-rag.mxl", "string-quartet", "Viola");
    for (const bar of ["48", "49", "50"]) {
      const m = viola.measures.find((x) => x.number === bar)!;
      expect(new Set(m.events.filter((e) => e.kind === "note").map((e) => e.voice)), `m. ${bar}`).toEqual(new Set(["1"]));
    }
  });
  test("nothing shorter than the sketch's shortest value, rests included", () => {
    expect(writable([at([0, 1], [1, 4]), at([9, 32], [7, 32])], at([9, 32], [7, 32]))).toBe(false);
  });
});

describe("shared staves: 1. / 2. / a2", () => {
  const frames: MeasureFrame[] = Array.from({ length: 5 }, (_, i) => ({ number: String(i + 1), start: frac(i), duration: frac(1), attributes: {} }));
  const note = (bar: number, voice: "1" | "2", octave = 5): PlacedEvent => ({ onset: frac(bar), duration: frac(1), pitches: [pitch("C", 0, octave)], voice, staff: 1 });
  const level = (bar: number, value: string) => ({ onset: frac(bar), staff: 1, placement: "below" as const, items: [{ kind: "dynamics" as const, values: [value] }] });
  const marks = (events: PlacedEvent[], players: number, dynamics = [level(0, "p")]): string[] =>
    playerMarks(events, players, frames, dynamics).map((d) => `${toString(d.onset)}:${d.items[0]!.kind === "words" ? d.items[0]!.text : ""}`);

  test("one line at p is the first player's; two lines need no word; the single line after them is marked again", () => {
    expect(marks([note(0, "1"), note(1, "1"), note(2, "1"), note(2, "2", 4), note(3, "1")], 2)).toEqual(["0:1.", "3:1."]);
  });

  test("the lower line alone is the second player's; at f the players join (a2, a3)", () => {
    expect(marks([note(0, "1"), note(1, "2", 4)], 2)).toEqual(["0:1.", "1:2."]);
    expect(marks([note(0, "1"), note(1, "1"), note(2, "1")], 2, [level(0, "p"), level(1, "f")])).toEqual(["0:1.", "1:a2"]);
    expect(marks([note(0, "1")], 3, [level(0, "ff")])).toEqual(["0:a3"]);
  });

  test("a part of one player gets none", () => {
    expect(marks([note(0, "1")], 1)).toEqual([]);
  });

  test("a section that divides reads div. where it starts to and unis. where it plays one line again; rests change nothing", () => {
    const div = (events: PlacedEvent[]): string[] => divisiMarks(events, frames).map((d) => `${toString(d.onset)}:${d.items[0]!.kind === "words" ? d.items[0]!.text : ""}`);
    const late: PlacedEvent = { onset: frac(5, 2), duration: frac(1, 2), pitches: [pitch("C", 0, 4)], voice: "2", staff: 1 };
    expect(div([note(0, "1"), note(1, "1"), note(2, "1"), late, note(4, "1")])).toEqual(["5/2:div.", "4:unis."]);
    const chord: PlacedEvent = { ...note(1, "1"), pitches: [pitch("E", 0, 4), pitch("C", 0, 5)] };
    expect(div([chord, note(3, "1")])).toEqual(["1:div.", "3:unis."]);
    expect(div([note(0, "1"), note(2, "1")])).toEqual([]);
  });

  test("the piano pieces for string orchestra and orchestra: every measure a section plays divided follows a div., every single line a unis. or none yet (the Polonaise op. 1/1 for string orchestra, cellos: div. in m. 2, unis. in m. 4)", () => {
    const sections = new Set(["Violin I", "Violin II", "Viola", "Cello", "Double Bass"]);
    let divided = 0;
    for (const [name, sketch] of corpusFiles("piano").map((f) => [f.slice(f.lastIndexOf("/") + 1), readScore(bytesOf(f), f)] as const)) {
      for (const ens of ["string-orchestra", "symphony-orchestra"]) {
        const score = arrange(sketch, ens, db)[0]!.score;
        for (const part of score.parts.filter((p) => sections.has(p.name))) {
          let state = false;
          part.measures.forEach((m, mi) => {
            const words = m.directions.flatMap((d) => d.items.flatMap((i) => (i.kind === "words" ? [i.text] : [])));
            if (words.includes("div.")) state = true;
            if (words.includes("unis.")) state = false;
            // A measure where nothing is struck (rests, a note held over) changes nothing.
            if (!m.events.some((e) => e.kind === "note" && !e.grace && e.notes.some((n) => !n.tieStop))) return;
            // Written in two voices (a rest in one), or with a chord.
            const two = new Set(m.events.map((e) => e.voice)).size > 1 || m.events.some((e) => e.kind === "note" && e.notes.length > 1);
            if (two) divided++;
            expect(two, `${name} for ${ens}, ${part.name}, m. ${mi + 1}`).toBe(state);
          });
        }
      }
    }
    expect(divided).toBeGreaterThan(100);
    const polonaise = arrange(readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no1.mxl`), "p.mxl"), "string-orchestra", db)[0]!.score;
    const cello = polonaise.parts.find((p) => p.name === "Cello")!;
    const wordsIn = (mi: number) => cello.measures[mi]!.directions.flatMap((d) => d.items.flatMap((i) => (i.kind === "words" ? [i.text] : [])));
    expect(wordsIn(1)).toContain("div.");
    expect(wordsIn(3)).toContain("unis.");
  });

  test("a measure where a section's lower line only doubles its upper in unison is written as one line (The Entertainer for choir: the sopranos had the tune twice, its two octaves taken into one)", () => {
    for (const file of ["joplin-the-entertainer.musicxml", "schumann-dichterliebe-no2-voice-piano.musicxml", "schubert-lindenbaum-voice-piano.musicxml"]) {
      const choir = arrange(readScore(bytesOf(`${FIXTURES}corpus/piano/${file}`), file), "satb-choir", db)[0]!.score;
      for (const part of choir.parts) {
        part.measures.forEach((m, mi) => {
          const notes = m.events.filter((e) => e.kind === "note" && !e.grace);
          const key = (e: (typeof notes)[number]) => `${toString(e.onset)}/${toString(e.duration)}/${e.kind === "note" ? e.notes.map((n) => `${n.tieStop ? "~" : ""}${midiOf(n.pitch!)}${n.tieStart ? "~" : ""}`).join(",") : ""}`;
          const upper = new Set(notes.filter((e) => e.voice === "1").map(key));
          const lower = notes.filter((e) => e.voice === "2");
          // (A slur the lower line carries keeps it: the slur's other end is its own.)
          const slurred = lower.some((e) => e.kind === "note" && (e.slurs?.length ?? 0) > 0);
          expect(!slurred && lower.length > 0 && lower.every((e) => upper.has(key(e))), `${file}, ${part.name}, m. ${mi + 1}`).toBe(false);
        });
      }
    }
  });
});

describe("timpani: tonic and dominant at f", () => {
  test("the drums are tuned to the key's tonic and dominant (the last bass note tells a minor key without a mode)", () => {
    expect(drumsFor({ kind: "traditional", fifths: 0 }, 0)).toEqual({ tonic: 48, dominant: 43 }); // C3, G2
    expect(drumsFor({ kind: "traditional", fifths: -1 }, 5)).toEqual({ tonic: 41, dominant: 48 }); // F2, C3
    expect(drumsFor({ kind: "traditional", fifths: 0, mode: "minor" }, 0)).toEqual({ tonic: 45, dominant: 40 }); // A2, E2
    expect(drumsFor({ kind: "traditional", fifths: -3 }, 0)).toEqual({ tonic: 48, dominant: 43 }); // C minor
  });

  const bars = (level: string) =>
    piano([
      { before: dyn(level), rh: quarters(["E", "F", "D", "G"], 5, 1), lh: n("C", 3, 16, 2, "whole") },
      { rh: quarters(["D", "B", "C", "D"], 5, 1), lh: n("G", 2, 8, 2, "half") + n("A", 2, 8, 2, "half") },
      { rh: n("C", 5, 16, 1, "whole"), lh: n("C", 3, 16, 2, "whole") },
    ]);
  const timpani = (score: Score): string[] =>
    score.parts.find((p) => p.name === "Timpani")!.measures.flatMap((m) => m.events.flatMap((e) => (e.kind === "note" ? e.notes.map((x) => `${m.number}:${x.pitch!.step}${x.pitch!.octave}:${toString(e.duration)}`) : [])));

  test("at f the timpani strike the bass's tonic and dominant on strong beats, never its other notes", () => {
    const [best] = arrange(bars("f"), "symphony-orchestra", db);
    expect(timpani(best!.score)).toEqual(["1:C3:1/4", "2:G2:1/4", "3:C3:1/4"]);
  });

  test("at p, or at f marked delicato, they rest", () => {
    expect(timpani(arrange(bars("p"), "symphony-orchestra", db)[0]!.score)).toEqual([]);
    const delicato = '<direction placement="below"><direction-type><words>delicato</words></direction-type><staff>1</staff></direction>';
    const sketch = piano([{ before: dyn("f") + delicato, rh: quarters(["E", "F", "D", "G"], 5, 1), lh: n("C", 3, 16, 2, "whole") }, { rh: n("C", 5, 16, 1, "whole"), lh: n("C", 3, 16, 2, "whole") }]);
    expect(timpani(arrange(sketch, "symphony-orchestra", db)[0]!.score)).toEqual([]);
  });
});

describe("the tune is whole", () => {
  test("a tune folded into its part's comfortable range changes octave at a leap of the sketch's, not inside a step: K. 545 for brass quintet, m. 3, the first trumpet's A5 G5 C6 (A5 and C6 above its comfortable A♭5) had become A4 G5 C5, a seventh up and a fifth down; the step A–G stays a step", () => {
    const sketch = pianoSketch("mozart-k545-mvt1-exposition.mxl");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    const tune = soundingNotes(score.parts.find((p) => p.name === "Trumpet 1 in B♭")!).filter((n) => n.pitch && n.measure === 2).map((n) => midiOf(n.pitch!));
    const written = soundingNotes(sketch.parts[0]!).filter((n) => n.pitch && n.measure === 2 && n.staff === 1).map((n) => midiOf(n.pitch!));
    expect(written).toEqual([81, 79, 84]);
    expect(tune.length).toBe(3);
    // Each note the sketch's by pitch class, and the step down a step down.
    tune.forEach((m, k) => expect(m % 12).toBe(written[k]! % 12));
    expect(tune[0]! - tune[1]!).toBe(2);
    expect(tune[2]!).toBeGreaterThan(tune[1]!);
  });

  test("a wind's folded tune changes octave on a beat, at a leap of a fourth or more, or at a rest, not off the beat where the sketch moves by a third: the Elite Syncopations for brass quintet, mm. 66–69 (the trumpet's G5 B♭4 under the right hand's G5 B♭5); the Polonaise op. 1 no. 2 for woodwind quintet, m. 17 (the flute's C5 F6 under C5 F5: the bar an octave up, to the rest)", () => {
    // Each of a part's notes in the bars, with the right hand's notes of its pitch class struck with it.
    const tuneOf = (piece: string, ens: string, part: string, bars: readonly number[]): { n: ReturnType<typeof soundingNotes>[number]; m: number; of: number[] }[] => {
      const sketch = pianoSketch(piece);
      const score = arrange(sketch, ens, db)[0]!.score;
      const upper = soundingNotes(sketch.parts[0]!).filter((n) => n.pitch && n.staff === 1);
      return soundingNotes(score.parts.find((p) => p.name === part)!)
        .filter((n) => n.pitch && bars.includes(n.measure))
        .map((n) => ({ n, m: midiOf(n.pitch!), of: upper.filter((o) => eq(o.onset, n.onset) && (midiOf(o.pitch!) - midiOf(n.pitch!)) % 12 === 0).map((o) => midiOf(o.pitch!)) }));
    };
    const trumpet = tuneOf("joplin-elite-syncopations.musicxml", "brass-quintet", "Trumpet 1 in B♭", [65, 66, 67, 68]);
    expect(trumpet.length).toBeGreaterThan(20);
    let changes = 0;
    for (let k = 1; k < trumpet.length; k++) {
      const [a, b] = [trumpet[k - 1]!, trumpet[k]!];
      if (a.of.length !== 1 || b.of.length !== 1 || !eq(add(a.n.onset, a.n.duration), b.n.onset)) continue;
      const [x, y] = [a.of[0]!, b.of[0]!];
      if (a.m - x === b.m - y) continue;
      changes++;
      expect(Math.abs(y - x), `m. ${b.n.measure + 1}: ${nameOf(a.n.pitch!)} ${nameOf(b.n.pitch!)}`).toBeGreaterThanOrEqual(5);
    }
    expect(changes).toBeGreaterThan(0);
    const flute = tuneOf("clara-schumann-polonaise-op1no2.mxl", "woodwind-quintet", "Flute", [16]);
    expect(flute.length).toBeGreaterThan(6);
    expect(flute.filter((x) => !x.of.includes(x.m - 12)).map((x) => nameOf(x.n.pitch!))).toEqual([]);
  });

  test("where the sketch's upper voice crosses over a line numbered above it, that voice is the tune (the Polonaise op. 1/1 for string quartet, mm. 13–16: the first violin plays B♭4 G5 F5 E♭5 F5 E♭5, over the second violin's G4 A♭4 G4 A♭4); voices a reader guessed are no such evidence", () => {
    const sketch = pianoSketch("clara-schumann-polonaise-op1no1.mxl");
    const score = arrange(sketch, "string-quartet", db)[0]!.score;
    const bars = (name: string): number[] => {
      const part = score.parts.find((p) => p.name === name)!;
      return soundingNotes(part)
        .filter((n) => n.pitch && ["13", "14", "15", "16"].includes(part.measures[n.measure]!.number))
        .map((n) => midiOf(n.pitch!));
    };
    expect([...new Set(bars("Violin I"))]).toEqual([70, 79, 77, 75]);
    expect([...new Set(bars("Violin II"))]).toEqual([67, 68]);
    const roles = analyse(sketch).roles;
    const voices = analyse({ ...sketch, parts: sketch.parts.map((p) => ({ ...p, voiceSplit: "guessed" as const })) }).roles;
    // Read as a MIDI file's, the voices say nothing: the line numbered on top stays the tune.
    const melodyOf = (rs: typeof roles, phrase: number): number | undefined => rs.find((r) => r.phrase === phrase && r.role === "melody")?.line;
    const changed = [...new Set(roles.map((r) => r.phrase))].filter((ph) => melodyOf(roles, ph) !== melodyOf(voices, ph));
    expect(changed.length).toBeGreaterThan(0);
    for (const ph of changed) expect(melodyOf(voices, ph)!).toBeLessThan(melodyOf(roles, ph)!);
  });

  test("C. P. E. Bach's Rondo H. 186 for string quartet, mm. 11–12: the right hand's upper third is the first violin's, no part plays over it", () => {
    const score = pianoScore("cpe-bach-h186.mxl", "string-quartet");
    const notes = score.parts.map((p) => ({ name: p.name, notes: soundingNotes(p).filter((n) => n.pitch && ["11", "12"].includes(p.measures[n.measure]!.number)) }));
    const first = notes.find((p) => p.name === "Violin I")!.notes;
    expect(first.length).toBeGreaterThan(8);
    for (const { name, notes: ns } of notes) {
      if (name === "Violin I") continue;
      const under = ns.filter((n) => first.some((f) => lt(f.onset, add(n.onset, n.duration)) && lt(n.onset, add(f.onset, f.duration)) && midiOf(f.pitch!) < midiOf(n.pitch!)));
      expect(under.map((n) => `${name} ${nameOf(n.pitch!)}`)).toEqual([]);
    }
  });

  test("K. 545 for string quartet: the first violins carry the theme, the second violins do not play it with them", () => {
    const k545 = readScore(bytesOf(`${FIXTURES}corpus/piano/mozart-k545-mvt1-exposition.mxl`), "k545.mxl");
    const [best] = arrange(k545, "string-quartet", db);
    const steps = (name: string): string[] =>
      best!.score.parts
        .find((p) => p.name === name)!
        .measures.slice(0, 4)
        .flatMap((m) => m.events.flatMap((e) => (e.kind === "note" && !e.grace ? [`${e.notes[0]!.pitch!.step}${e.notes[0]!.pitch!.octave}`] : [])));
    // Mozart's right hand, mm. 1–4 (the trill's notes written out as the sketch has them).
    expect(steps("Violin I").slice(0, 10)).toEqual(["C5", "E5", "G5", "B4", "C5", "D5", "C5", "A5", "G5", "C6"]);
    expect(steps("Violin II").slice(0, 10)).not.toEqual(steps("Violin I").slice(0, 10));
  });

  test("the Entertainer for string quartet, m. 5: the tune the right hand writes as one voice leaping E4–C5 stays in the first violin, not split by register between the violins", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-the-entertainer.musicxml`), "entertainer.musicxml");
    const score = arrange(sketch, "string-quartet", db)[0]!.score;
    // The right hand's notes of m. 5, in order: E4 C5 E4 C5 E4 C5.
    const rh = soundingNotes(sketch.parts[0]!).filter((x) => x.pitch && x.measure === 4).map((x) => midiOf(x.pitch!));
    expect(rh).toEqual([64, 72, 64, 72, 64, 72]);
    expect(pitchesIn(score, "Violin I", 4)).toEqual(rh);
    expect(pitchesIn(score, "Violin II", 4).filter((m) => rh.includes(m))).toEqual([]);
  });

  test("the Polonaise op. 1/4 for string quartet, mm. 21–23: a leap of more than an octave is no compound melody, so the tune keeps one register and the first violin stays below C7", () => {
    const score = pianoScore("clara-schumann-polonaise-op1no4.mxl", "string-quartet");
    expect(checkScore(score, db).filter((f) => f.part === "Violin I" && f.measure === "23")).toEqual([]);
    for (const mi of [20, 21, 22]) expect(Math.max(...pitchesIn(score, "Violin I", mi))).toBeLessThanOrEqual(96);
  });

  test("a tune's notated voice is evidence only where the composer wrote it: a one-track MIDI file's hands, guessed by the reader, name no voice", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/mozart-k545-mvt1-exposition.mxl`), "k545.mxl");
    // The theme's first C5, alone in the right hand's voice.
    const c5 = sketchNotes(sketch).find((x) => x.source.measure === 0 && x.midi === 72)!;
    expect(notatedVoiceOf(sketch)(c5)?.alone).toBe(true);
    const midi = readMidiWithReport(writeMidi(sketch), "k545.mid").score;
    expect(midi.parts).toHaveLength(1);
    const notes = sketchNotes(midi);
    expect(notes.length).toBeGreaterThan(150);
    expect(notes.filter((x) => notatedVoiceOf(midi)(x) !== undefined)).toEqual([]);
  });

  test("the Maple Leaf Rag's trio for brass quintet: the right hand's tune in octaves, whose notes the chords sound too, is still the tune, in the first trumpet", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-maple-leaf-rag.mxl`), "maple.mxl");
    const [best] = arrange(sketch, "brass-quintet", db);
    const score = best!.score;
    // Printed m. 45 (the piece has a pickup): the top of the right hand's octaves, note by note.
    const mi = score.parts[0]!.measures.findIndex((m) => m.number === "45");
    const rh = soundingNotes(sketch.parts[0]!).filter((x) => x.pitch && x.measure === mi && x.staff === 1);
    const tops = [...new Set(rh.map((x) => toString(x.onset)))].map((t) => Math.max(...rh.filter((x) => toString(x.onset) === t).map((x) => midiOf(x.pitch!))));
    expect(pitchesIn(score, "Trumpet 1 in B♭", mi).map((m) => m % 12)).toEqual(tops.map((m) => m % 12));
    const phrase = best!.report.phrases.find((p) => p.measures.startsWith("43"))!;
    expect(phrase.assignments.find((a) => a.role === "melody")?.part).toBe("Trumpet 1 in B♭");
  });
});

describe("a part comes in to fill out the harmony only for a line that lasts", () => {
  test("the Polonaise op. 1/1 for orchestra, m. 20: no trumpet or trombone comes in to double the B♭3 of the left hand's two seventh chords, two eighths; the horns hold their harmony through", () => {
    const score = pianoScore("clara-schumann-polonaise-op1no1.mxl", "symphony-orchestra");
    const m20 = score.parts[0]!.measures.findIndex((m) => m.number === "20");
    for (const name of ["Trumpets in B♭", "Trombones"]) expect(pitchesIn(score, name, m20), name).toEqual([]);
    // The horns play on through m. 20 (their held A♭4 and F4), not two eighths of B♭3.
    for (const name of ["Horns in F 1–2", "Horns in F 3–4"]) {
      const held = soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch && n.measure <= m20 && gt(add(n.onset, n.duration), measureStarts(score.parts[0]!)[m20]!));
      expect(held.length, name).toBeGreaterThan(0);
      expect(pitchesIn(score, name, m20).includes(58), name).toBe(false);
    }
  });
});

describe("balance answers only lines that sound with the tune", () => {
  test("no part is marked down, nor the tune doubled, for a line that never sounds with the phrase's tune (the Polonaise op. 1 no. 4 for woodwind quintet, mm. 9–15: the bassoon had been marked mf at f for notes filled in while the tune rested)", () => {
    for (const [piece, ens] of [["clara-schumann-polonaise-op1no4.mxl", "woodwind-quintet"], ["clementi-sonatina-op36no3-mvt1.musicxml", "chamber-orchestra"], ["schubert-lindenbaum-voice-piano.musicxml", "chamber-orchestra"]] as const) {
      const sketch = pianoSketch(piece);
      const analysis = analyse(sketch);
      const [best] = arrange(sketch, ens, db);
      let checked = 0;
      for (const report of best!.report.phrases) {
        const phrase = analysis.phrases[report.phrase - 1]!;
        const inPhrase = (index: number): LineNote[] => (analysis.lines.find((l) => l.index === index)?.notes ?? []).filter((n) => !lt(n.onset, phrase.start) && lt(n.onset, phrase.end));
        const tune = report.assignments.find((a) => a.role === "melody");
        if (!tune) continue;
        const reasons = [...report.balance, ...report.doublings.filter((d) => d.reason.startsWith("balance")).map((d) => d.reason)];
        for (const said of reasons) {
          const line = Number(/line (\d+) \d/.exec(said)?.[1] ?? /by line (\d+)/.exec(said)?.[1]);
          if (!(line < 1000) || !inPhrase(line).length) continue;
          checked++;
          expect(inPhrase(line).some((n) => inPhrase(tune.line).some((m) => overlaps(n, m))), `${piece} ${ens} phrase ${report.phrase}: ${said}`).toBe(true);
        }
      }
      expect(checked, `${piece} ${ens}`).toBeGreaterThan(0);
    }
  });
});

describe("the report says the interval a doubling sounds at", () => {
  test("Clementi op. 36 no. 3, i, for concert band, mm. 1–4: the flutes' doubling of the oboes' tune, brought down from the octave above (up to C7) for the flutes' comfort, is reported in unison", () => {
    const [best] = arrange(pianoSketch("clementi-sonatina-op36no3-mvt1.musicxml"), "concert-band", db);
    const flutes = best!.report.phrases[0]!.doublings.find((d) => d.part === "Flutes")!;
    expect(flutes.interval).toBe("unison");
    expect(flutes.reason).toContain("down an octave from an octave above");
    for (const mi of [0, 1, 2, 3]) expect(pitchesIn(best!.score, "Flutes", mi), `m. ${mi + 1}`).toEqual(pitchesIn(best!.score, "Oboes", mi));
  });

  test("the Polonaise op. 1 no. 3 for brass quintet: a phrase whose bass the tuba plays an octave down is reported so, and the tuba sounds under the sketch there", () => {
    const sketch = pianoSketch("clara-schumann-polonaise-op1no3.mxl");
    const [best] = arrange(sketch, "brass-quintet", db);
    const moved = best!.report.phrases.filter((p) => p.assignments.some((a) => a.part === "Tuba" && a.why.includes("then down an octave from the sketch's pitch")));
    expect(moved.length).toBeGreaterThan(0);
    for (const phrase of moved) {
      expect(phrase.assignments.find((a) => a.part === "Tuba")!.octaves).toBe(-1);
      const [from, to] = phrase.measures.split("–").map((x) => Number.parseInt(x, 10));
      const inPhrase = (p: Part) => soundingNotes(p).filter((n) => n.pitch && !n.grace && Number.parseInt(p.measures[n.measure]!.number, 10) >= from! && Number.parseInt(p.measures[n.measure]!.number, 10) <= (to ?? from)!);
      const struck = new Set(sketch.parts.flatMap((p) => inPhrase(p).map((n) => `${toString(n.onset)} ${midiOf(n.pitch!)}`)));
      const tuba = inPhrase(best!.score.parts.find((p) => p.name === "Tuba")!);
      // Most of the tuba's notes sound an octave under a note the sketch strikes with them.
      const under = tuba.filter((n) => struck.has(`${toString(n.onset)} ${midiOf(n.pitch!) + 12}`));
      expect(under.length * 2, phrase.measures).toBeGreaterThan(tuba.length);
    }
  });
});

describe("doublings play only what their parts play well", () => {
  test("Polonaise op. 1/1 for orchestra: the flutes leave the f tune's low notes to the violins, the basses and tuba the bass's high ones", () => {
    // Without the rule: the flutes at f in their weak low register (mm. 22–39), contrabassoon
    // and tuba doubling the bass above their comfortable ranges (mm. 8–20). (The double bass's
    // own line at m. 8 still climbs to E♭4: it is the bass there, not a doubling.)
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no1.mxl`), "polonaise1.mxl");
    const [best] = arrange(sketch, "symphony-orchestra", db);
    const findings = checkScore(best!.score, db).filter((f) => f.rule === "dynamics" || f.rule === "comfort");
    expect(findings.filter((f) => /Flute|Contrabassoon|Tuba/.test(f.part))).toEqual([]);
    const audit = auditMusic(sketch, best!.score, db);
    expect(audit.bass.agree / audit.bass.halfBars).toBeGreaterThanOrEqual(0.95);
  });

  test("The Entertainer for orchestra, m. 24: the double basses and tuba leave the stride's A♭3 after-beat to the bassoons, and keep the bass", () => {
    const score = pianoScore("joplin-the-entertainer.musicxml", "symphony-orchestra");
    const at = (name: string) => pitchesIn(score, name, 23);
    const basses = at("Double Bass");
    // The booms F2 and F3 are the double basses', an octave under the cellos as they sound (F1 F2); nothing above their comfortable G3.
    expect(basses).toEqual([29, 41]);
    expect(at("Cello")).toEqual(expect.arrayContaining([41, 53]));
    // The A♭3 is still played, at pitch, by the part that carries the line; the tuba, an octave
    // down by habit, plays the booms with the basses (see "a stride bass").
    expect(at("Bassoons")).toContain(56);
    expect(at("Tuba")).not.toContain(56);
    expect(at("Tuba")).toContain(41);
    expect(checkScore(score, db).filter((w) => w.part === "Double Bass")).toEqual([]);
  });

  test("C. P. E. Bach's H. 186 for brass quintet, mm. 1–2: the tuba hands the left hand's after-beat F4s to a free trumpet and keeps the bass", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/cpe-bach-h186.mxl`), "h186.mxl");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    const at = (name: string, mi: number) => soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch && n.measure === mi).map((n) => ({ midi: midiOf(n.pitch!), onset: toString(n.onset) }));
    const tuba = [...at("Tuba", 0), ...at("Tuba", 1)];
    expect(Math.max(...tuba.map((n) => n.midi))).toBeLessThanOrEqual(60);
    // The first bar's F4s, struck after the bass notes, sound at pitch in another part.
    const lower = sketch.parts.find((p) => soundingNotes(p).some((n) => n.measure === 0 && n.pitch && midiOf(n.pitch) === 54))!;
    const afterBeats = soundingNotes(lower).filter((n) => n.pitch && n.measure === 0 && midiOf(n.pitch) === 65).map((n) => toString(n.onset));
    expect(afterBeats.length).toBeGreaterThanOrEqual(2);
    const others = score.parts.filter((p) => p.name !== "Tuba").flatMap((p) => at(p.name, 0));
    for (const onset of afterBeats) expect(others.some((n) => n.midi === 65 && n.onset === onset), onset).toBe(true);
    expect(checkScore(score, db).filter((w) => w.part === "Tuba" && (w.measure === "1" || w.measure === "2"))).toEqual([]);
  });

  test("Der Lindenbaum for brass quintet, m. 74: the triplet chord notes no line brings go to parts that play them comfortably, not to the tuba's E4", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schubert-lindenbaum-voice-piano.musicxml`), "lindenbaum.musicxml");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    expect(checkScore(score, db).filter((w) => w.measure === "74" && w.rule === "comfort")).toEqual([]);
    // Every pitch class the piano strikes in the bar is still played.
    const classes = (parts: readonly Score["parts"][number][]) => new Set(parts.flatMap((p) => soundingNotes(p).filter((n) => n.pitch && n.measure === 73).map((n) => midiOf(n.pitch!) % 12)));
    const piano = classes(sketch.parts.filter((p) => p.name !== "Voice"));
    expect(piano.size).toBeGreaterThanOrEqual(3);
    const heard = classes(score.parts);
    for (const pc of piano) expect(heard.has(pc), String(pc)).toBe(true);
  });

  test("Dichterliebe no. 2 for brass quintet, m. 1: the piano's C♯5, which the tune already sounds, is left out rather than given to the horn above its comfortable range", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schumann-dichterliebe-no2-voice-piano.musicxml`), "dichterliebe.musicxml");
    const [best] = arrange(sketch, "brass-quintet", db);
    expect(checkScore(best!.score, db).filter((w) => w.part === "Horn in F" && w.measure === "1")).toEqual([]);
    // C♯ still sounds in the bar, and the report says why the piano's C♯5 went.
    const sounds = best!.score.parts.some((p) => soundingNotes(p).some((n) => n.pitch && n.measure === 0 && midiOf(n.pitch) % 12 === 1));
    expect(sounds).toBe(true);
    const left = best!.report.phrases.flatMap((p) => p.leftOut).filter((l) => l.measure === "1" && l.pitch === "C#5");
    expect(left.map((l) => l.reason)).toEqual([expect.stringContaining("outside its comfortable range")]);
  });

  test("Clementi's op. 36 nos. 1 and 3 for brass quintet: a tune is not taken down under the sketch's bass, so its runs stay whole", () => {
    // Op. 36 no. 1, m. 10: the scale B4–B5 had gone to Trumpet 1 in B♭ an octave down, under the left
    // hand, and the bass guard put its top back up: B3 C4 D4 E4 F♯4 G5 A5 B5.
    const one = arrange(readScore(bytesOf(`${FIXTURES}corpus/piano/clementi-sonatina-op36no1-mvt1.musicxml`), "op36-1.musicxml"), "brass-quintet", db)[0]!;
    const run = soundingNotes(one.score.parts.find((p) => p.name === "Trumpet 1 in B♭")!).filter((n) => n.pitch && n.measure === 9).map((n) => midiOf(n.pitch!));
    expect(run).toHaveLength(8);
    for (let i = 1; i < run.length; i++) expect(run[i]! - run[i - 1]!, run.join(" ")).toBeGreaterThan(0);
    expect(Math.max(...run) - Math.min(...run)).toBeLessThanOrEqual(12);
    // Op. 36 no. 3, mm. 16–17: the sixteenth-note runs at f had gone to the horn an octave down, and
    // their top notes were left out, "kept below the bass".
    const three = arrange(readScore(bytesOf(`${FIXTURES}corpus/piano/clementi-sonatina-op36no3-mvt1.musicxml`), "op36-3.musicxml"), "brass-quintet", db)[0]!;
    const dropped = three.report.phrases.flatMap((p) => p.leftOut).filter((l) => /below the bass/.test(l.reason) && (l.measure === "16" || l.measure === "17"));
    expect(dropped).toEqual([]);
    const runs = soundingNotes(three.score.parts.find((p) => p.name === "Trumpet 1 in B♭")!).filter((n) => n.pitch && (n.measure === 15 || n.measure === 16));
    expect(runs.length).toBeGreaterThanOrEqual(20);
  });

  test("Maple Leaf Rag for woodwind quintet, mm. 52–58: a chord note the bassoon hands over to take the bass goes where it can be played f, not to the flute's low C4", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-maple-leaf-rag.mxl`), "maple-leaf.mxl");
    const score = arrange(sketch, "woodwind-quintet", db)[0]!.score;
    const labels = new Set(["52", "53", "54", "56", "57", "58"]);
    expect(checkScore(score, db).filter((w) => w.part === "Flute" && labels.has(w.measure))).toEqual([]);
    // Every pitch class of m. 52's chords is still played, by a part whose register makes f.
    const heard = (mi: number) => new Set(score.parts.flatMap((p) => soundingNotes(p).filter((n) => n.pitch && n.measure === mi).map((n) => midiOf(n.pitch!) % 12)));
    const sketched = new Set(sketch.parts.flatMap((p) => soundingNotes(p).filter((n) => n.pitch && n.measure === 52).map((n) => midiOf(n.pitch!) % 12)));
    expect([...sketched].filter((pc) => !heard(52).has(pc))).toEqual([]);
  });

  test("tutti check: an accent written as a dynamic (sf) is the dynamic of its own note only", () => {
    const low = quarters(["G", "A", "B", "C"], 4, 1).replace(/<staff>1<\/staff>|<voice>1<\/voice>/g, "");
    const mark = (value: string): string => dyn(value).replace("<staff>1</staff>", "");
    // Two measures of low flute notes, marked at the start of the first.
    const flute = (marks: string): Score =>
      readMusicXml(
        `<score-partwise version="4.0"><part-list><score-part id="P1"><part-name>Flute</part-name></score-part></part-list><part id="P1"><measure number="1"><attributes><divisions>4</divisions><time><beats>4</beats><beat-type>4</beat-type></time></attributes>${marks}${low}</measure><measure number="2">${low}</measure></part></score-partwise>`,
        "flute.musicxml",
      );
    const weak = (s: Score): string[] => checkScore(s, db).filter((f) => f.rule === "dynamics").map((f) => `${f.measure} ${f.message.split(":")[0]}`);
    // p, then sf on the first note: only that note is weak, the rest is p.
    expect(weak(flute(mark("p") + mark("sf")))).toEqual(["1 sf cannot be made on G4"]);
    // f in force: both measures are weak.
    expect(weak(flute(mark("f")))).toEqual(["1 f cannot be made on G4", "2 f cannot be made on G4"]);
    expect(weak(flute(mark("mf")))).toEqual([]);
  });
});

describe("two solo players of one instrument do not double in unison", () => {
  test("Clementi op. 36/1 i for string quartet: the second violin doubles the tune an octave down, whole, not in unison", () => {
    // Before: the second violin doubled the first in unison in 19 of the first 20 bars, and where
    // it did double an octave down (mm. 10, 12) the notes under the tune's lowest were moved back
    // up one by one, into unison with the first violin mid-run.
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clementi-sonatina-op36no1-mvt1.musicxml`), "clementi.musicxml");
    const [a] = arrange(sketch, "string-quartet", db);
    const by = (name: string): Map<number, string> => {
      const m = new Map<number, string>();
      for (const n of soundingNotes(a!.score.parts.find((p) => p.name === name)!)) if (n.pitch) m.set(n.measure, `${m.get(n.measure) ?? ""}${toString(n.onset)}:${midiOf(n.pitch)} `);
      return m;
    };
    const first = by("Violin I");
    const second = by("Violin II");
    const unisons = [...first].filter(([m, x]) => second.get(m) === x).map(([m]) => m + 1);
    expect(unisons).toEqual([]);
    // Where the second violin plays with the tune, it is the tune an octave down, every note.
    const octaveDown = (m: number): boolean => {
      const down = (first.get(m - 1) ?? "").replace(/:(\d+)/g, (_, k: string) => `:${Number(k) - 12}`);
      return down !== "" && second.get(m - 1) === down;
    };
    for (const m of [1, 2, 3, 9, 10, 11, 12]) expect(octaveDown(m), `m. ${m}`).toBe(true);
  });

  test("below f no two solo string players double one line in unison: the viola does not play the first violin's tune with it, nor the second violin's Alberti figure", () => {
    // Clementi op. 36/1 i, mm. 5–8 (p): the viola had played the tune with the first violin, up to
    // G5; K. 545, mm. 1–4 (mf): the viola had played the Alberti figure with the second violin.
    const unisons = (piece: string, bars: readonly number[]): string[] => {
      const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/${piece}`), piece);
      const parts = arrange(sketch, "string-quartet", db)[0]!.score.parts;
      const notesOf = (name: string): Set<string> =>
        new Set(soundingNotes(parts.find((p) => p.name === name)!).filter((n) => n.pitch && bars.includes(n.measure + 1)).map((n) => `${toString(n.onset)}:${midiOf(n.pitch!)}`));
      const viola = notesOf("Viola");
      return ["Violin I", "Violin II"].filter((name) => viola.size > 0 && [...viola].every((k) => notesOf(name).has(k)));
    };
    expect(unisons("clementi-sonatina-op36no1-mvt1.musicxml", [5, 6, 7, 8])).toEqual([]);
    expect(unisons("mozart-k545-mvt1-exposition.mxl", [1, 2, 3, 4])).toEqual([]);
  });
});

describe("a doubling never sinks under the bass", () => {
  test("the Polonaise op. 1/2 for orchestra and K. 545 for string quartet: no doubling of the tune is at an octave that puts a note under the sketch's lowest", () => {
    // The Polonaise, mm. 1–8: the clarinets had doubled the tune an octave down, under the left
    // hand's chords, and the bass guard had then moved those notes back up one by one (G3 A3 B3 …
    // G5 F5 D5), a line in two octaves; K. 545, mm. 1–4: the viola's tune an octave down had B3 C4
    // under the Alberti figure's D4, moved back up: B4 C5 D4 C4.
    const shiftOf = (interval: string): number => (interval === "unison" ? 0 : (interval.startsWith("an octave") ? 12 : 24) * (interval.endsWith("below") ? -1 : 1));
    let doublings = 0;
    for (const [piece, ens] of [["clara-schumann-polonaise-op1no2.mxl", "symphony-orchestra"], ["mozart-k545-mvt1-exposition.mxl", "string-quartet"]] as const) {
      const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/${piece}`), piece);
      const [a] = arrange(sketch, ens, db);
      const all = sketch.parts.flatMap((p) => soundingNotes(p)).filter((n) => n.pitch && !n.grace);
      const tune = all.filter((n) => n.staff === 1 && n.voice === "1");
      const half = frac(1, 2);
      // The sketch's lowest note in the half note (from the start: K. 545's half bars; in the
      // Polonaise's 3/4 a window across its beats) that a note is struck in.
      const lowestNear = (t: Fraction): number => {
        const from = frac(Math.floor((2 * t.n) / t.d), 2);
        const to = add(from, half);
        return Math.min(...all.filter((n) => lt(n.onset, to) && gt(add(n.onset, n.duration), from)).map((n) => midiOf(n.pitch!)));
      };
      const phrase = a!.report.phrases[0]!;
      const melody = phrase.assignments.find((x) => x.role === "melody")!;
      const [from, to] = phrase.measures.split("–").map(Number) as [number, number];
      for (const d of phrase.doublings.filter((x) => x.line === melody.line)) {
        doublings++;
        const sunk = tune
          .filter((n) => n.measure + 1 >= from && n.measure + 1 <= to)
          .filter((n) => {
            const m = midiOf(n.pitch!) + shiftOf(d.interval);
            const low = lowestNear(n.onset);
            return m < low && (low - m) % 12 !== 0;
          });
        expect(sunk.map((n) => nameOf(n.pitch!)), `${piece}: ${d.part} ${d.interval}`).toEqual([]);
      }
    }
    expect(doublings).toBeGreaterThan(0);
  });
});

describe("a doubling adds an octave of its own, not another line's notes", () => {
  test("The Snow Is Dancing from MIDI for string quartet, mm. 1–4: no part doubles the right hand's canon an octave down onto the left hand's notes, a 16th out of step with the cello", () => {
    // The hands play E F G A a 16th apart, an octave apart; the viola had doubled the right hand an
    // octave down, on the very keys the cello played with the left hand a 16th earlier.
    const { score: sketch } = readMidiWithReport(bytesOf(`${FIXTURES}corpus/midi/pianomidi-debussy-childrens-corner-4.mid`), "snow.mid");
    const score = arrange(sketch, "string-quartet", db)[0]!.score;
    const notes = (name: string) => soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch && n.measure <= 3);
    const cello = notes("Cello");
    expect(cello.length).toBeGreaterThanOrEqual(24);
    for (const name of ["Violin I", "Violin II", "Viola"]) {
      const onIt = notes(name).filter((n) => cello.some((c) => midiOf(c.pitch!) === midiOf(n.pitch!) && !eq(c.onset, n.onset) && lt(c.onset, add(n.onset, n.duration)) && gt(add(c.onset, c.duration), n.onset)));
      expect(onIt.map((n) => `${nameOf(n.pitch!)} at ${toString(n.onset)}`), name).toEqual([]);
    }
    // The right hand is still played, at its own octave.
    expect(notes("Violin I").filter((n) => midiOf(n.pitch!) >= 76).length).toBeGreaterThanOrEqual(16);
  });
});

describe("the melody covered: the family that doubles first, and its best part", () => {
  test("Der Lindenbaum for orchestra, mm. 25-28 at pp: the tune's balance doubling is a string's, not the piccolo an octave up", () => {
    // The balance stage took the first free part in score order that could double the tune: the
    // piccolo, two octaves over the tune at pp (mm. 63-66, where the inner line that covered the
    // tune is now the violas', not the cellos', and no longer covers it).
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schubert-lindenbaum-voice-piano.musicxml`), "lindenbaum.musicxml");
    const [a] = arrange(sketch, "symphony-orchestra", db);
    const phrase = a!.report.phrases.find((p) => p.measures === "25–28")!;
    expect(phrase.dynamic).toBe("pp");
    const balance = phrase.doublings.filter((d) => d.reason.startsWith("balance"));
    expect(balance.length).toBeGreaterThan(0);
    const family = (part: string): string | undefined => instrumentOfPart(db, a!.score.parts.find((p) => p.name === part)!)?.family;
    expect(balance.map((d) => family(d.part))).toEqual(balance.map(() => "strings"));
  });

  test("balance doubles a tune below f only with parts the database lets double there: no piccolo (nor, from the quartet's own score, trumpets) on Haydn's grazioso tune (op. 74 no. 1, ii, unmarked, for orchestra), no trumpets on the singer's p in Dichterliebe no. 2 for chamber orchestra", () => {
    const haydn = reduceToPiano(readScore(bytesOf(`${FIXTURES}corpus/quartets/haydn-op74no1-mvt2.mxl`), "op74no1.mxl")).sketch;
    const song = pianoSketch("schumann-dichterliebe-no2-voice-piano.musicxml");
    let checked = 0;
    for (const [sketch, ens] of [[haydn, "symphony-orchestra"], [song, "chamber-orchestra"]] as const) {
      const [best] = arrange(sketch, ens, db);
      const forteOnly = (part: string): boolean => !!instrumentOfPart(db, best!.score.parts.find((p) => p.name === part)!)?.orchestration?.forteOnly;
      for (const phrase of best!.report.phrases) {
        const balance = phrase.doublings.filter((d) => d.reason.startsWith("balance"));
        checked += balance.length;
        if (phrase.dynamic !== "f" && phrase.dynamic !== "ff") expect(balance.filter((d) => forteOnly(d.part)).map((d) => `${phrase.measures} ${d.part}`)).toEqual([]);
      }
      // Haydn, mm. 1–4: the tune is doubled all the same, by the horns.
      if (sketch === haydn) expect(best!.report.phrases[0]!.doublings.find((d) => d.reason.startsWith("balance"))?.part).toBe("Horns in F 1–2");
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe("what a trumpet plays softly", () => {
  test("tutti check: pp is the trumpet's up to written G5, too loud above it", () => {
    const mark = dyn("pp").replace("<staff>1</staff>", "");
    // A B♭ trumpet part, written pitch: E5 and G5 are in its upper register, A5 and C6 in its high one.
    const trumpet = (octave: number, steps: string[]): Score =>
      readMusicXml(
        `<score-partwise version="4.0"><part-list><score-part id="P1"><part-name>Trumpet in B♭</part-name></score-part></part-list><part id="P1"><measure number="1"><attributes><divisions>4</divisions><time><beats>4</beats><beat-type>4</beat-type></time><transpose><diatonic>-1</diatonic><chromatic>-2</chromatic></transpose></attributes>${mark}${quarters(steps, octave, 1).replace(/<staff>1<\/staff>|<voice>1<\/voice>/g, "")}</measure></part></score-partwise>`,
        "trumpet.musicxml",
      );
    const loud = (s: Score): string[] => checkScore(s, db).filter((f) => f.rule === "dynamics").map((f) => f.message.split(":")[0]!);
    expect(loud(trumpet(5, ["C", "E", "F", "G"]))).toEqual([]);
    expect(loud(trumpet(5, ["A", "B", "A", "G"]))).toEqual(["pp is hard to play on G5"]);
  });

  test("Der Lindenbaum for brass quintet: Trumpet 1 in B♭ sings the pp tune at the voice's pitch, its high notes not dropped an octave mid-phrase", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schubert-lindenbaum-voice-piano.musicxml`), "lindenbaum.musicxml");
    const [best] = arrange(sketch, "brass-quintet", db);
    expect(checkScore(best!.score, db).filter((f) => /Trumpet/.test(f.part) && f.rule === "dynamics")).toEqual([]);
    // "Am Brunnen vor dem Tore", mm. 22–23: G♯4 A4 B4 B4 | E5 B4 G♯4 A4 F♯4 (the last B4 and the E5 went
    // down an octave while pp was too loud for the trumpet from written C♯5 up).
    const bars = (part: Score["parts"][number]): number[] => soundingNotes(part).filter((n) => n.pitch && (n.measure === 21 || n.measure === 22)).map((n) => midiOf(n.pitch!));
    const voice = bars(sketch.parts.find((p) => p.name === "Voice")!);
    expect(voice).toEqual([68, 69, 71, 71, 76, 71, 68, 69, 66]);
    expect(bars(best!.score.parts.find((p) => p.name === "Trumpet 1 in B♭")!)).toEqual(voice);
  });
});

describe("breaths on held notes", () => {
  const frames: MeasureFrame[] = Array.from({ length: 6 }, (_, i) => ({ number: String(i + 1), start: frac(i), duration: frac(1), attributes: i === 0 ? { time: { kind: "measured", signatures: [{ beats: "4", beatType: 4 }] } } : {} }));

  test("a note held longer than a breath is struck again after a breath at a barline, its fermata on the last piece", () => {
    // Six bars of one C at a whole note in 4 s, 8 s of breath: struck again every two bars.
    const held: PlacedEvent = { onset: frac(0), duration: frac(6), pitches: [pitch("C", 0, 2)], voice: "1", staff: 1, marks: { fermata: true } };
    const pieces = markBreaths([held], 8, 4, frames);
    expect(pieces.map((e) => `${toString(e.onset)}+${toString(e.duration)}`)).toEqual(["0+2", "2+2", "4+2"]);
    expect(pieces.map((e) => !!e.marks?.articulations?.some((a) => a.name === "breath-mark"))).toEqual([true, true, false]);
    expect(pieces.map((e) => !!e.marks?.fermata)).toEqual([false, false, true]);
  });
});

describe("a repeated tune gets a new colour", () => {
  const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schumann-op68no8-wild-horseman.mxl`), "wild-horseman.mxl");
  /** The parts that play in a measure (by its index), by name. */
  const playing = (score: Score, mi: number): string[] => score.parts.filter((p) => p.measures[mi]!.events.some((e) => e.kind === "note")).map((p) => p.name);

  test("The Wild Horseman for woodwind quintet: mm. 17–24 repeat mm. 1–8, the oboe takes the flute's tune, and the flute rests", () => {
    const [best] = arrange(sketch, "woodwind-quintet", db);
    const phrases = best!.report.phrases;
    const first = phrases.find((p) => p.measures.startsWith("0"))!;
    const again = phrases.find((p) => p.colour.length > 0)!;
    const tuneIn = (p: (typeof phrases)[number]): string => p.assignments.find((a) => a.role === "melody")!.part;
    expect(tuneIn(first)).toBe("Flute");
    expect(tuneIn(again)).toBe("Oboe");
    expect(again.colour[0]).toContain("it was in Flute");
    // The flute neither leads nor doubles the repeat.
    const repeatStart = best!.score.parts[0]!.measures.findIndex((m) => m.number === "17");
    for (let mi = repeatStart; mi < repeatStart + 4; mi++) expect(playing(best!.score, mi)).not.toContain("Flute");
  });

  test("a string quartet has no other colour: the repeat stays in the first violins", () => {
    const [best] = arrange(sketch, "string-quartet", db);
    // No new colour for a repeated tune (the report's other part decisions may stand there).
    expect(best!.report.phrases.flatMap((p) => p.colour).filter((c) => c.includes(" again: "))).toEqual([]);
  });
});

describe("decorative colour is saved for the piece's high points", () => {
  const phrase = (index: number, firstMeasure: number, lastMeasure: number, dynamic: string): Phrase => ({ index, start: frac(firstMeasure), end: frac(lastMeasure + 1), firstMeasure, lastMeasure, dynamic });

  test("the phrases at the loudest dynamic, the last first, no more than a quarter of the measures; none in a piece that never reaches f", () => {
    // 24 measures: mf, ff (4 bars), f, ff (2 bars), ff (3 bars). A quarter is 6 bars: the last two ff phrases.
    const phrases = [phrase(0, 0, 3, "mf"), phrase(1, 4, 7, "ff"), phrase(2, 8, 15, "f"), phrase(3, 16, 17, "ff"), phrase(4, 18, 20, "ff"), phrase(5, 21, 23, "p")];
    expect([...highPoints(phrases, 24)].sort()).toEqual([3, 4]);
    // With 40 measures (a quarter is 10), the first ff phrase fits too: 3 + 2 + 4 = 9 bars.
    expect([...highPoints(phrases, 40)].sort()).toEqual([1, 3, 4]);
    expect(highPoints([phrase(0, 0, 7, "mf"), phrase(1, 8, 15, "p")], 16).size).toBe(0);
  });

  test("The Maple Leaf Rag for orchestra: the glockenspiel doubles the tune in the last strain only, not in 74 of its 85 bars", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-maple-leaf-rag.mxl`), "maple.mxl");
    const [best] = arrange(sketch, "symphony-orchestra", db);
    const glock = best!.score.parts.find((p) => p.name === "Glockenspiel")!;
    const bars = glock.measures.filter((m) => m.events.some((e) => e.kind === "note")).map((m) => Number(m.number));
    expect(bars.length).toBeGreaterThan(0);
    expect(bars.length).toBeLessThanOrEqual(glock.measures.length / 4);
    expect(Math.min(...bars)).toBeGreaterThanOrEqual(67);
  });
});

describe("the horns hold the harmony at f", () => {
  test("Polonaise op. 1/1 for orchestra: at the f of m. 5 the horns and trumpets hold notes of the chord the left hand repeats, above its bass, and rest at the mf of mm. 1–4", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no1.mxl`), "polonaise1.mxl");
    const [best] = arrange(sketch, "symphony-orchestra", db);
    const score = best!.score;
    const sounding = (part: string, mi: number): number[] =>
      soundingNotes(score.parts.find((p) => p.name === part)!).filter((n) => n.measure === mi && n.pitch).map((n) => midiOf(n.pitch!));
    const pcs = (mi: number): Set<number> => new Set(sketch.parts[0]!.measures[mi]!.events.flatMap((e) => (e.kind === "note" ? e.notes.map((n) => midiOf(n.pitch!) % 12) : [])));
    for (const horns of ["Horns in F 1–2", "Horns in F 3–4"]) {
      for (const mi of [0, 1, 2, 3]) expect(sounding(horns, mi), `${horns} m. ${mi + 1}`).toEqual([]);
      for (const mi of [4, 5]) {
        const notes = sounding(horns, mi);
        expect(notes.length, `${horns} m. ${mi + 1}`).toBeGreaterThan(0);
        for (const m of notes) expect(pcs(mi).has(m % 12), `${horns} m. ${mi + 1}: ${m}`).toBe(true);
      }
      // Held, not the left hand's repeated sixteenths and eighths: one note a measure.
      expect(soundingNotes(score.parts.find((p) => p.name === horns)!).filter((n) => n.measure === 4).length, horns).toBe(1);
    }
    // The trumpets hold a chord note with them.
    const trumpets = soundingNotes(score.parts.find((p) => p.name.startsWith("Trumpet"))!).filter((n) => n.measure === 4);
    expect(trumpets.length).toBe(1);
    expect(pcs(4).has(midiOf(trumpets[0]!.pitch!) % 12)).toBe(true);
    const doublings = best!.report.phrases.flatMap((p) => p.doublings).filter((d) => d.interval === "held");
    expect(doublings.some((d) => d.reason.includes("sustained at f"))).toBe(true);
  });

  test("K. 545 for string quartet, wind and brass quintet, mm. 1–8 at mf: the part that would rest through the phrase (the viola; the horn; the trombone, which the database has double only at forte) holds notes of the Alberti bass's harmony, between the bass and the tune; not in the plain style, nor in the orchestra's sections", () => {
    const sketch = pianoSketch("mozart-k545-mvt1-exposition.mxl");
    const pcs = (mi: number): Set<number> => new Set(soundingNotes(sketch.parts[0]!).filter((n) => n.pitch && n.measure === mi && n.staff === 2).map((n) => midiOf(n.pitch!) % 12));
    for (const [ens, holder, bars] of [["string-quartet", "Viola", 8], ["woodwind-quintet", "Horn in F", 4], ["brass-quintet", "Trombone", 8]] as const) {
      const [best] = arrange(sketch, ens, db);
      const score = best!.score;
      const held = soundingNotes(score.parts.find((p) => p.name === holder)!).filter((n) => n.pitch && n.measure < bars);
      expect(held.length, ens).toBeGreaterThan(0);
      // Held: half notes and longer, fewer than one a half bar.
      expect(held.length, ens).toBeLessThanOrEqual(2 * bars);
      for (const n of held) {
        const m = midiOf(n.pitch!);
        expect(pcs(n.measure).has(m % 12), `${ens} m. ${n.measure + 1}: ${nameOf(n.pitch!)}`).toBe(true);
        // Under every note of the tune and over every note of the bass sounding with it.
        const others = score.parts.filter((p) => p.name !== holder).flatMap((p) => soundingNotes(p).filter((o) => o.pitch && lt(o.onset, add(n.onset, n.duration)) && gt(add(o.onset, o.duration), n.onset)).map((o) => midiOf(o.pitch!)));
        expect(Math.max(...others), `${ens} m. ${n.measure + 1}`).toBeGreaterThan(m);
        expect(Math.min(...others), `${ens} m. ${n.measure + 1}`).toBeLessThan(m);
      }
      const reasons = best!.report.phrases.flatMap((p) => p.doublings).filter((d) => d.part === holder && d.interval === "held").map((d) => d.reason);
      expect(reasons.length, ens).toBeGreaterThan(0);
      for (const r of reasons) expect(r, ens).toContain("where the part would rest through the phrase");
    }
    const [plain] = arrange(sketch, "string-quartet", db, { style: "plain" });
    expect(soundingNotes(plain!.score.parts.find((p) => p.name === "Viola")!).filter((n) => n.pitch && n.measure < 4)).toEqual([]);
    const [orchestra] = arrange(sketch, "symphony-orchestra", db);
    expect(orchestra!.report.phrases.flatMap((p) => p.doublings).filter((d) => d.reason.includes("rest through the phrase"))).toEqual([]);
  });

  test("a part that would rest holds no note over detached chords: The Wild Horseman for brass quintet, where the left hand's chords are staccato, no part holds a note through the bar", () => {
    const sketch = pianoSketch("schumann-op68no8-wild-horseman.mxl");
    const detached = new Set<number>();
    sketch.parts[0]!.measures.forEach((m, mi) => {
      const chords = m.events.filter((e) => e.kind === "note" && e.staff === 2 && e.notes.some((n) => n.pitch));
      if (chords.length && chords.every((e) => e.kind === "note" && e.articulations?.some((a) => a.name === "staccato"))) detached.add(mi);
    });
    expect(detached.size).toBeGreaterThan(4);
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    const bar = sketch.parts[0]!.measures[1]!.duration;
    for (const part of score.parts) {
      const held = soundingNotes(part).filter((n) => n.pitch && detached.has(n.measure) && !lt(n.duration, bar));
      expect(held.map((n) => `m. ${n.measure + 1} ${nameOf(n.pitch!)}`), part.name).toEqual([]);
    }
  });

  test("a held note is no note of the tune's own run in another octave: Elite Syncopations for wind quintet, m. 1, both hands' run in octaves, the horn rests (it had held C5 and A4, a slow echo of the run)", () => {
    const score = pianoScore("joplin-elite-syncopations.musicxml", "woodwind-quintet");
    expect(soundingNotes(score.parts.find((p) => p.name === "Horn in F")!).filter((n) => n.pitch && n.measure === 0)).toEqual([]);
  });

  test("a held note stays over the sketch's lowest note of every half measure it is held through, where no part holds the bass under it: the Polonaise op. 1/1 for brass quintet, m. 32, the first trumpet's held note is not under the right hand's E♭4 octaves after the left hand's E♭3", () => {
    const score = pianoScore("clara-schumann-polonaise-op1no1.mxl", "brass-quintet");
    const trumpet = soundingNotes(score.parts.find((p) => p.name === "Trumpet 1 in B♭")!).filter((n) => n.pitch && n.measure === 31);
    expect(trumpet.length).toBeGreaterThan(0);
    for (const n of trumpet) expect(midiOf(n.pitch!), nameOf(n.pitch!)).toBeGreaterThanOrEqual(63);
  });

  test("The Entertainer for orchestra, mm. 5–6: the theme at p, in a phrase that starts in the introduction's last f beat, is scored thin: no brass", () => {
    const score = pianoScore("joplin-the-entertainer.musicxml", "symphony-orchestra");
    const playing = score.parts.filter((p) => soundingNotes(p).some((n) => n.pitch && (n.measure === 4 || n.measure === 5))).map((p) => p.name);
    expect(playing).toContain("Violin I");
    for (const brass of ["Horns in F 1–2", "Horns in F 3–4", "Trumpets in B♭", "Trombones", "Tuba"]) expect(playing).not.toContain(brass);
  });

  test("The Entertainer for brass quintet, mm. 2–3: where the phrase's tune is silent, no held note sounds over the opening run the sketch has on top", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-the-entertainer.musicxml`), "entertainer.musicxml");
    const [best] = arrange(sketch, "brass-quintet", db);
    const top = (score: Score, t: Fraction): number => Math.max(...soundingAt(score, t));
    const starts = measureStarts(sketch.parts[0]!);
    const onsets = sketch.parts.flatMap((p) => soundingNotes(p)).filter((n) => n.measure === 1 || n.measure === 2).map((n) => n.onset);
    expect(onsets.length).toBeGreaterThan(10);
    for (const t of onsets) expect(top(best!.score, t), `at ${toString(sub(t, starts[1]!))} from m. 2`).toBeLessThanOrEqual(top(sketch, t));
  });
});

/** The key numbers every part of a score sounds at time `t` (struck then or held from before). */
const soundingAt = (score: Score, t: Fraction): number[] =>
  score.parts.flatMap((p) => soundingNotes(p).filter((n) => n.pitch && !gt(n.onset, t) && gt(add(n.onset, n.duration), t)).map((n) => midiOf(n.pitch!)));

/** The sounding key numbers a part of an arrangement plays in a measure (by index). */
const pitchesIn = (score: Score, name: string, mi: number): number[] =>
  soundingNotes(score.parts.find((p) => p.name === name)!)
    .filter((n) => n.pitch && n.measure === mi)
    .map((n) => midiOf(n.pitch!));

describe("a part plays its line where it is comfortable, the tune on top", () => {
  test("a doubling takes the octave of its habits where the line sings in that part: the Wild Horseman for orchestra, mm. 1–3, the flutes an octave over the first violins, not in unison in their weak low register; K. 545, mm. 1–4, where both octaves sing, in unison", () => {
    const horseman = arrange(readScore(bytesOf(`${FIXTURES}corpus/piano/schumann-op68no8-wild-horseman.mxl`), "horseman.mxl"), "symphony-orchestra", db)[0]!.score;
    for (const mi of [1, 2, 3]) {
      const violins = pitchesIn(horseman, "Violin I", mi);
      expect(violins.length).toBeGreaterThan(0);
      expect(pitchesIn(horseman, "Flutes", mi), `m. ${mi}`).toEqual(violins.map((m) => m + 12));
    }
    const k545 = arrange(readScore(bytesOf(`${FIXTURES}corpus/piano/mozart-k545-mvt1-exposition.mxl`), "k545.mxl"), "symphony-orchestra", db)[0]!.score;
    for (const mi of [0, 1, 2, 3]) expect(pitchesIn(k545, "Flutes", mi), `m. ${mi + 1}`).toEqual(pitchesIn(k545, "Violin I", mi));
  });
  test("a doubling keeps its octave from phrase to phrase of a tune: Alexander's Ragtime Band for orchestra, mm. 1–16, the flutes an octave over the first violins throughout (they had doubled mm. 1–3 in unison and leapt an octave up at m. 3's upbeat, the phrase where the tune dips to C4)", () => {
    const score = arrange(readScore(bytesOf(`${FIXTURES}corpus/leadsheets/berlin-alexanders-ragtime.mxl`), "alexander.mxl"), "symphony-orchestra", db)[0]!.score;
    const at = (name: string, mi: number): Map<string, number> => {
      const part = score.parts.find((p) => p.name === name)!;
      return new Map(soundingNotes(part).flatMap((n) => (n.pitch && n.measure === mi ? [[toString(n.onset), midiOf(n.pitch)] as const] : [])));
    };
    const intervals = new Set<number>();
    for (let mi = 0; mi < 16; mi++) {
      const violins = at("Violin I", mi);
      for (const [t, m] of at("Flutes", mi)) if (violins.has(t)) intervals.add(m - violins.get(t)!);
    }
    expect([...intervals]).toEqual([12]);
  });
  test("a part goes on doubling the line it doubled in the phrase before: BWV 66.6 for orchestra, m. 8, the English horn keeps the tenor and the clarinets the alto (they had swapped); Alexander's Ragtime Band, the bassoons, once on the bass, stay there (they had leapt between the bass and an inner line every phrase)", () => {
    const doubledIn = (sketch: Score, part: string): number[] =>
      arrange(sketch, "symphony-orchestra", db)[0]!.report.phrases.map((p) => p.doublings.find((d) => d.part === part)?.line ?? 0);
    const chorale = readScore(bytesOf(`${FIXTURES}../scores/bach-bwv66.6-sketch.musicxml`), "bwv66.6.musicxml");
    for (const part of ["English Horn", "Clarinets in A"]) {
      const lines = doubledIn(chorale, part);
      expect(lines.length, part).toBeGreaterThan(1);
      expect(new Set(lines).size, part).toBe(1);
    }
    const bassoons = doubledIn(readScore(bytesOf(`${FIXTURES}corpus/leadsheets/berlin-alexanders-ragtime.mxl`), "alexander.mxl"), "Bassoons");
    expect(bassoons.length).toBeGreaterThan(6);
    expect(new Set(bassoons.slice(1)).size).toBe(1);
  });
  test("a tune's doubling leaves the octave it had where the tune would go into the part's weak register there: K. 545 for orchestra, mm. 5–6, the flutes take the violins' scales an octave up (mm. 1–4 in unison)", () => {
    const k545 = arrange(readScore(bytesOf(`${FIXTURES}corpus/piano/mozart-k545-mvt1-exposition.mxl`), "k545.mxl"), "symphony-orchestra", db)[0]!.score;
    for (const mi of [4, 5]) expect(pitchesIn(k545, "Flutes", mi), `m. ${mi + 1}`).toEqual(pitchesIn(k545, "Violin I", mi).map((m) => m + 12));
  });
  test("Polonaise op. 1/1 for brass quintet, mm. 5–8: the tune's pieces too high for the trumpet go down whole, a run folded at its figures, and no part sounds above it", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no1.mxl`), "polonaise1.mxl");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    const notesOf = (name: string) => soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch && n.measure >= 4 && n.measure <= 7);
    const tune = notesOf("Trumpet 1 in B♭");
    const sketchAt = (n: (typeof tune)[number]) => soundingNotes(sketch.parts[0]!).filter((s) => s.pitch && toString(s.onset) === toString(n.onset)).map((s) => midiOf(s.pitch!));
    // The held notes (sketch D5, E♭6, B♭6) in the trumpet's comfortable range (G3–A♭5), each the
    // sketch's note at some octave: m. 5's D goes down an octave with the passage under it (D4),
    // E♭5 and B♭4.
    const [low, high] = db.instruments.get("trumpet-bb")!.range.comfortable.map((name) => midiOf(parsePitch(name)!));
    const held = tune.filter((n) => toString(n.duration) === "3/8").map((n) => midiOf(n.pitch!));
    expect(held.map((m) => m % 12)).toEqual([2, 3, 10]);
    for (const m of held) expect(m >= low! && m <= high!, `held ${m}`).toBe(true);
    // M. 5 is in the trumpet's comfortable range whole: the passage went down an octave with it.
    for (const n of tune.filter((t) => t.measure === 4)) expect(midiOf(n.pitch!), `m. 5 at ${toString(n.onset)}`).toBeLessThanOrEqual(high!);
    // Every tune note is a note of the sketch at some octave, none above the trumpet's absolute C6,
    // and the triplet figures of m. 5 (B♭4 D5 F5, B♭5 D6 F6, A♭6 G6 F6) each at one octave.
    for (const n of tune) expect(sketchAt(n).map((m) => m % 12)).toContain(midiOf(n.pitch!) % 12);
    expect(Math.max(...tune.map((n) => midiOf(n.pitch!)))).toBeLessThanOrEqual(84);
    const m5 = tune.filter((n) => n.measure === 4 && toString(n.duration) === "1/24").map((n) => midiOf(n.pitch!) - Math.max(...sketchAt(n)));
    for (const figure of [m5.slice(0, 3), m5.slice(3, 6), m5.slice(6, 9)]) expect(new Set(figure).size).toBe(1);
    // No other part sounds above the tune (mm. 5 and 7; m. 6 climbs past the trumpet's range).
    for (const other of ["Trumpet 2 in B♭", "Horn in F", "Trombone", "Tuba"]) {
      for (const o of notesOf(other).filter((n) => n.measure === 4 || n.measure === 6)) {
        const sounding = tune.filter((t) => !gt(t.onset, o.onset) && gt(add(t.onset, t.duration), o.onset));
        for (const t of sounding) expect(midiOf(o.pitch!), `${other} at ${toString(o.onset)}`).toBeLessThanOrEqual(midiOf(t.pitch!));
      }
    }
  });

  test("Polonaise op. 1/1 for string quartet, mm. 5–7 and 17–19: the first violin's arpeggios to E♭7, which no part of a quartet plays well, go down an octave with the parts under them, and come back at the held B♭", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no1.mxl`), "polonaise1.mxl");
    const [best] = arrange(sketch, "string-quartet", db);
    const score = best!.score;
    const at = (n: string): number => score.parts[0]!.measures.findIndex((m) => m.number === n);
    const notesOf = (name: string, mi: number) => soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch && n.measure === mi);
    const rh = (mi: number) => soundingNotes(sketch.parts[0]!).filter((n) => n.pitch && n.measure === mi && n.staff === 1);
    expect(checkScore(score, db).filter((f) => f.part === "Violin I")).toEqual([]);
    for (const first of ["5", "17"]) {
      const [a, b, c] = [at(first), at(first) + 1, at(first) + 2];
      // The right hand's notes of the first two bars an octave down, and the third bar's held B♭6.
      expect(notesOf("Violin I", a).map((n) => midiOf(n.pitch!))).toEqual(rh(a).map((n) => midiOf(n.pitch!) - 12));
      expect(notesOf("Violin I", b).map((n) => midiOf(n.pitch!))).toEqual(rh(b).map((n) => midiOf(n.pitch!) - 12));
      expect(midiOf(notesOf("Violin I", c)[0]!.pitch!)).toBe(midiOf(rh(c)[0]!.pitch!) - 12);
      // Its arpeggio after the held note at the sketch's pitch again, up to A♭6, no higher than C7.
      expect(notesOf("Violin I", c).slice(1).map((n) => midiOf(n.pitch!))).toEqual(rh(c).slice(1).map((n) => midiOf(n.pitch!)));
      // The held notes over every other part's notes sounding with them; the cello's lowest the left hand's B♭2.
      for (const mi of [a, b, c]) {
        const held = notesOf("Violin I", mi)[0]!;
        for (const other of ["Violin II", "Viola", "Cello"]) {
          for (const o of notesOf(other, mi).filter((o) => lt(o.onset, add(held.onset, held.duration)))) expect(midiOf(o.pitch!), `${other} in m. ${mi + 1}`).toBeLessThan(midiOf(held.pitch!));
        }
      }
      expect(Math.min(...notesOf("Cello", a).map((n) => midiOf(n.pitch!)))).toBe(46);
      for (const other of ["Violin II", "Viola"]) expect(Math.min(...notesOf(other, a).map((n) => midiOf(n.pitch!)))).toBeGreaterThan(46);
    }
    expect(best!.report.phrases.flatMap((p) => p.balance).filter((s) => s.startsWith("the tune an octave down in Violin I"))).toHaveLength(2);
  });

  test("Clementi op. 36 no. 3 i for brass quintet, mm. 17–19: the first trumpet's run to the D6 of m. 18 goes down an octave whole, from its first note, and comes back at a leap of m. 19, every step still a step", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clementi-sonatina-op36no3-mvt1.musicxml`), "clementi.musicxml");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    const at = (n: string): number => score.parts[0]!.measures.findIndex((m) => m.number === n);
    const [m17, m19] = [at("17"), at("19")];
    const tune = soundingNotes(score.parts.find((p) => p.name === "Trumpet 1 in B♭")!).filter((n) => n.pitch && n.measure >= m17 && n.measure <= m19);
    const rh = soundingNotes(sketch.parts[0]!).filter((n) => n.pitch && n.staff === 1 && n.measure >= m17 && n.measure <= m19);
    // The run of m. 17 (G4 to C6 in the sketch), m. 18 (from its D6) and m. 19 to its A4s an
    // octave down, whole; the E4s after the leap from A4 at the sketch's pitch.
    expect(tune.map((n) => toString(n.onset))).toEqual(rh.map((n) => toString(n.onset)));
    const offsets = tune.map((n, i) => midiOf(n.pitch!) - midiOf(rh[i]!.pitch!));
    expect(offsets).toEqual([...rh.slice(0, -2).map(() => -12), 0, 0]);
    expect(rh.slice(-3).map((n) => nameOf(n.pitch!))).toEqual(["A4", "E4", "E4"]);
    // No note of mm. 17–19 over G5 (the trumpet's comfortable top is A♭5), and no step of the sketch made a leap.
    expect(Math.max(...tune.map((n) => midiOf(n.pitch!)))).toBeLessThanOrEqual(79);
    for (let i = 1; i < tune.length; i++) {
      const step = midiOf(rh[i]!.pitch!) - midiOf(rh[i - 1]!.pitch!);
      if (Math.abs(step) <= 2) expect(midiOf(tune[i]!.pitch!) - midiOf(tune[i - 1]!.pitch!), `at ${toString(tune[i]!.onset)}`).toBe(step);
    }
    expect(checkScore(score, db).filter((f) => f.part === "Trumpet 1 in B♭" && f.measure === "17")).toEqual([]);
  });

  test("Clementi op. 36 no. 3 i for orchestra, mm. 47 and 61: the horns' held harmony is not held in mud over the bass (the low interval limits)", () => {
    const score = pianoScore("clementi-sonatina-op36no3-mvt1.musicxml", "symphony-orchestra");
    const limits: Record<number, number> = { 1: 52, 2: 51, 3: 48, 4: 46, 5: 46, 6: 47, 7: 34, 8: 43, 9: 41, 10: 41, 11: 41 };
    const at = (n: string): number => score.parts[0]!.measures.findIndex((m) => m.number === n);
    const notes = (name: string, mi: number) => soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch && n.measure === mi);
    for (const mi of [at("47"), at("61")]) {
      const horns = ["Horns in F 1–2", "Horns in F 3–4"].flatMap((name) => notes(name, mi));
      const basses = ["Cello", "Double Bass", "Bassoons", "Contrabassoon", "Tuba", "Bass Trombone"].flatMap((name) => notes(name, mi));
      // The horns hold the harmony there (a note in the bar), and none of it a low interval over a bass note it sounds with.
      expect(horns.length, `m. ${mi + 1}`).toBeGreaterThan(0);
      for (const h of horns) {
        for (const b of basses.filter((b) => lt(b.onset, add(h.onset, h.duration)) && gt(add(b.onset, b.duration), h.onset))) {
          const interval = midiOf(h.pitch!) - midiOf(b.pitch!);
          if (interval > 0 && interval < 12) expect(midiOf(b.pitch!), `m. ${mi + 1}: ${nameOf(h.pitch!)} over ${nameOf(b.pitch!)}`).toBeGreaterThanOrEqual(limits[interval]!);
        }
      }
    }
  });

  test("The Maple Leaf Rag for brass quintet, mm. 55–56: the horn's line is not taken down into mud over the tuba (the low interval limits)", () => {
    const score = pianoScore("joplin-maple-leaf-rag.mxl", "brass-quintet");
    // The lowest note each interval within an octave sounds clear on, as its lower note.
    const limits: Record<number, number> = { 1: 52, 2: 51, 3: 48, 4: 46, 5: 46, 6: 47, 7: 34, 8: 43, 9: 41, 10: 41, 11: 41 };
    const bars = (name: string) => {
      const part = score.parts.find((p) => p.name === name)!;
      const at = part.measures.findIndex((m) => m.number === "55");
      return soundingNotes(part).filter((n) => n.pitch && (n.measure === at || n.measure === at + 1));
    };
    const tuba = bars("Tuba");
    const horn = bars("Horn in F");
    // The horn plays the line there (A♭3 B♭3 C4, where the tuba's E♭2 and F2 are struck under it),
    // at that octave, in both bars.
    const at55 = score.parts[0]!.measures.findIndex((m) => m.number === "55");
    expect(horn.filter((n) => n.measure === at55).slice(0, 3).map((n) => nameOf(n.pitch!))).toEqual(["Ab3", "Bb3", "C4"]);
    expect(horn.filter((n) => n.measure === at55 + 1).slice(0, 3).map((n) => nameOf(n.pitch!))).toEqual(["C4", "Bb3", "C4"]);
    for (const h of horn) {
      const m = midiOf(h.pitch!);
      for (const t of tuba.filter((t) => !gt(t.onset, h.onset) && gt(add(t.onset, t.duration), h.onset))) {
        const interval = m - midiOf(t.pitch!);
        if (interval > 0 && interval < 12) expect(midiOf(t.pitch!), `${nameOf(h.pitch!)} over ${nameOf(t.pitch!)}`).toBeGreaterThanOrEqual(limits[interval]!);
      }
    }
  });

  test("a line moved down whole takes along the notes already moved that way to bring them into range, where they fit on the line now: the Maple Leaf Rag for brass quintet, m. 8, the first trumpet's arpeggios A♭4 C♭5 A♭5, A♭5 C♭6 A♭6 an octave down whole (its A♭6 had gone down two, to A♭4 after the B4); C. P. E. Bach's H. 186, m. 23, the trumpet's D♯6 B♯5 an octave down, a third still", () => {
    const rag = pianoScore("joplin-maple-leaf-rag.mxl", "brass-quintet");
    const eight = rag.parts[0]!.measures.findIndex((m) => m.number === "8");
    expect(pitchesIn(rag, "Trumpet 1 in B♭", eight)).toEqual([56, 59, 68, 68, 71, 80]);
    const rondo = pianoScore("cpe-bach-h186.mxl", "brass-quintet");
    const bar = rondo.parts[0]!.measures.findIndex((m) => m.number === "23");
    expect(pitchesIn(rondo, "Trumpet 1 in B♭", bar).slice(0, 2)).toEqual([75, 72]);
  });

  test("The Maple Leaf Rag for brass quintet, mm. 10–12 and 44–46: the right hand's tune to F6, an octave down in the first trumpet, has the left hand's chords under it, taken down with it, and the bass still the bass", () => {
    const score = pianoScore("joplin-maple-leaf-rag.mxl", "brass-quintet");
    const bars = new Set(["10", "11", "12", "44", "45", "46"].map((n) => score.parts[0]!.measures.findIndex((m) => m.number === n)));
    const notesOf = (name: string) => soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch && bars.has(n.measure));
    const sounding = (a: { onset: Fraction; duration: Fraction }, b: { onset: Fraction; duration: Fraction }) => lt(a.onset, add(b.onset, b.duration)) && lt(b.onset, add(a.onset, a.duration));
    const tune = notesOf("Trumpet 1 in B♭");
    // The tune an octave under the sketch where it climbs to F6 (m. 11's E♭5 F5 C5 …).
    expect(Math.max(...tune.map((n) => midiOf(n.pitch!)))).toBeLessThanOrEqual(midiOf(parsePitch("Ab5")!));
    for (const name of ["Trumpet 2 in B♭", "Horn in F", "Trombone", "Tuba"]) {
      for (const o of notesOf(name)) {
        for (const t of tune.filter((t) => sounding(o, t))) expect(midiOf(o.pitch!), `${name} ${nameOf(o.pitch!)} at ${toString(o.onset)}`).toBeLessThanOrEqual(midiOf(t.pitch!));
      }
    }
    // The second trumpet changes octave at a bar line, not in the middle of mm. 10 and 44: its
    // after-beat C5s there all go down.
    for (const bar of ["10", "44"]) {
      const at = score.parts[0]!.measures.findIndex((m) => m.number === bar);
      expect(new Set(notesOf("Trumpet 2 in B♭").filter((n) => n.measure === at).map((n) => nameOf(n.pitch!))), `m. ${bar}`).toEqual(new Set(["C4"]));
    }
    // The trombone in its comfortable range there (it had had the right hand's E♭5 over the tune's A♭4).
    for (const n of notesOf("Trombone")) expect(midiOf(n.pitch!), `Trombone at ${toString(n.onset)}`).toBeLessThanOrEqual(midiOf(parsePitch("F4")!));
    // The bass still the bass: where the tune strikes, the lowest note sounding is the sketch's lowest's pitch class.
    const sketch = soundingNotes(pianoSketch("joplin-maple-leaf-rag.mxl").parts[0]!).filter((n) => n.pitch && bars.has(n.measure));
    const all = ["Trumpet 1 in B♭", "Trumpet 2 in B♭", "Horn in F", "Trombone", "Tuba"].flatMap(notesOf);
    for (const t of tune) {
      const at = { onset: t.onset, duration: frac(1, 1024) };
      const low = (notes: typeof all) => Math.min(...notes.filter((n) => sounding(n, at)).map((n) => midiOf(n.pitch!)));
      expect(low(all) % 12, `at ${toString(t.onset)}`).toBe(low(sketch) % 12);
    }
  });
  test("Debussy's Passepied from MIDI for brass quintet, mm. 107–108: the horn's scale A4 G♯4 F♯4 E4 D4 C♯4 D4 E4 F♯4 keeps its steps where the texture under a lowered tune goes down for a stretch", () => {
    const { score: sketch } = readMidiWithReport(bytesOf(`${FIXTURES}corpus/midi/pianomidi-debussy-passepied.mid`), "passepied.mid");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    const at = score.parts[0]!.measures.findIndex((m) => m.number === "107");
    const horn = soundingNotes(score.parts.find((p) => p.name === "Horn in F")!).filter((n) => n.pitch && (n.measure === at || n.measure === at + 1));
    const scale = horn.slice(0, 9).map((n) => midiOf(n.pitch!));
    expect(scale.map((m) => m % 12)).toEqual([9, 8, 6, 4, 2, 1, 2, 4, 6]);
    for (let i = 1; i < scale.length; i++) expect(Math.abs(scale[i]! - scale[i - 1]!), `note ${i}`).toBeLessThanOrEqual(2);
  });
  test("a filled note goes with its part's line only where the bass stays the bass: The Entertainer for string quartet, m. 57, the cello's D4 in the left hand's after-beat A3 D4 F4 stays over the viola's A3", () => {
    const score = pianoScore("joplin-the-entertainer.musicxml", "string-quartet");
    const at = score.parts[0]!.measures.findIndex((m) => m.number === "57");
    const notes = (name: string) => soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch && n.measure === at);
    for (const chord of notes("Viola").filter((n) => nameOf(n.pitch!) === "A3")) {
      const cello = notes("Cello").filter((n) => eq(n.onset, chord.onset));
      expect(cello.map((n) => midiOf(n.pitch!)).every((m) => m >= midiOf(chord.pitch!)), `at ${toString(chord.onset)}`).toBe(true);
    }
    expect(notes("Viola").some((n) => nameOf(n.pitch!) === "A3")).toBe(true);
  });
  test("a chord note filled into a part goes with the part's line where that line moved an octave: Der Lindenbaum for woodwind quintet, m. 20, the horn's B3 between its F♯4 and E3, not B4 a twelfth over the E3", () => {
    const score = pianoScore("schubert-lindenbaum-voice-piano.musicxml", "woodwind-quintet");
    const at = score.parts[0]!.measures.findIndex((m) => m.number === "20");
    const horn = pitchesIn(score, "Horn in F", at);
    // Its E3 and B2 under the bassoon's G♯3 and F♯3 are the bassoon's now, which plays the bass (exchange.ts lowestToBass).
    expect(horn).toEqual(["F#4", "B3", "G#3", "F#3"].map((name) => midiOf(parsePitch(name)!)));
    expect(pitchesIn(score, "Bassoon", at)).toEqual(["B2", "E3", "B2"].map((name) => midiOf(parsePitch(name)!)));
    // Every note of the bar lies within an octave of the one before it.
    for (let i = 1; i < horn.length; i++) expect(Math.abs(horn[i]! - horn[i - 1]!), `note ${i}`).toBeLessThanOrEqual(12);
  });
  test("Der Lindenbaum for woodwind quintet, mm. 7–9: the oboe's inner line, too low for it at p, does not go up an octave over the flute's tune; mm. 67–72: it does where the piano itself has that octave over the voice", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schubert-lindenbaum-voice-piano.musicxml`), "lindenbaum.musicxml");
    const score = arrange(sketch, "woodwind-quintet", db)[0]!.score;
    const inBars = (name: string) => soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch && n.measure >= 6 && n.measure <= 8);
    const tune = inBars("Flute");
    const oboe = inBars("Oboe");
    // The voice's line: the flute plays the singer's notes there, at pitch.
    const voice = soundingNotes(sketch.parts[0]!).filter((n) => n.pitch && n.measure >= 6 && n.measure <= 8);
    expect(tune.map((n) => midiOf(n.pitch!))).toEqual(voice.map((n) => midiOf(n.pitch!)));
    expect(oboe.length).toBeGreaterThan(4);
    for (const o of oboe) {
      const sounding = tune.filter((t) => !gt(t.onset, o.onset) && gt(add(t.onset, t.duration), o.onset));
      for (const t of sounding) expect(midiOf(o.pitch!), `oboe at ${toString(o.onset)}`).toBeLessThanOrEqual(midiOf(t.pitch!));
    }
    // M. 30: the right hand's figure starts on B3, under the oboe's comfortable C4; the horn strikes
    // B2 with it, so the oboe leaves it out and comes in on the figure's E4.
    const m30 = (name: string) => soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch && n.measure === 29);
    const start = m30("Oboe")[0]!;
    expect(m30("Oboe").every((n) => midiOf(n.pitch!) >= 60)).toBe(true);
    expect(nameOf(start.pitch!)).toBe("E4");
    const downbeat = measureStarts(score.parts[0]!)[29]!;
    expect(m30("Horn in F").some((n) => eq(n.onset, downbeat) && midiOf(n.pitch!) % 12 === 11)).toBe(true);
    expect(gt(start.onset, downbeat)).toBe(true);
    // Mm. 67–72: the right hand's figure in octaves (B3+B4 D♯4+D♯5 …) dips under the oboe's C4 in
    // its lower octave; the oboe plays its upper octave whole, as the piano has it over the voice.
    const oboeIn = (mi: number) => soundingNotes(score.parts.find((p) => p.name === "Oboe")!).filter((n) => n.pitch && n.measure === mi);
    expect(oboeIn(70).map((n) => nameOf(n.pitch!))).toEqual(["B4", "D#5", "F#5", "D#5", "B4", "D#5"]);
    expect(oboeIn(66).map((n) => nameOf(n.pitch!))).toEqual(["B4", "D#5", "F#5", "D#5", "B4", "D#5"]);
    for (const bar of ["67", "68", "71", "72"]) expect(checkScore(score, db).filter((f) => f.measure === bar && f.part === "Oboe"), `m. ${bar}`).toEqual([]);
  });
});

describe("two parts trade lines where one plays a note poorly and the other well", () => {
  test("Handel, Lascia ch'io pianga, for brass quintet, m. 52: the trombone's F♯4 goes to the horn, and every part plays comfortably", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/handel-lascia-chio-pianga.mxl`), "handel.mxl");
    const [best] = arrange(sketch, "brass-quintet", db);
    const score = best!.score;
    expect(checkScore(score, db).filter((f) => f.measure === "52" && (f.rule === "comfort" || f.rule === "dynamics"))).toEqual([]);
    const at52 = (name: string) => pitchesIn(score, name, 51);
    expect(at52("Horn in F")).toContain(66);
    expect(at52("Trombone")).not.toContain(66);
    // Only instruments change: every note sounding in m. 52 is a note the sketch (voice and piano) has there.
    const sketched = new Set(sketch.parts.flatMap((p) => soundingNotes(p)).filter((n) => n.pitch && n.measure === 51).map((n) => midiOf(n.pitch!) % 12));
    for (const name of ["Trumpet 1 in B♭", "Trumpet 2 in B♭", "Horn in F", "Trombone", "Tuba"]) for (const m of at52(name)) expect(sketched.has(m % 12), `${name} ${m}`).toBe(true);
    // (Since the f of m. 51 starts a phrase of its own after the p before it, the assignment gives
    // the horn that line there; before, the trombone had it and the two traded.)
  });

  test("the Maple Leaf Rag for woodwind quintet, m. 46: the horn's E♭5 goes to the clarinet, the woodwind quintet's horn trading with the winds", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-maple-leaf-rag.mxl`), "maple.mxl");
    const [best] = arrange(sketch, "woodwind-quintet", db);
    const score = best!.score;
    expect(checkScore(score, db).filter((f) => f.measure === "46" && f.rule === "comfort")).toEqual([]);
    // The measure printed 46 (the piece has a pickup measure).
    const mi = score.parts[0]!.measures.findIndex((m) => m.number === "46");
    const at46 = (name: string) => pitchesIn(score, name, mi);
    expect(at46("Clarinet in B♭")).toContain(75);
    expect(at46("Horn in F")).not.toContain(75);
    expect(best!.report.phrases.flatMap((p) => p.colour)).toContain("m. 46: Horn in F and Clarinet in B♭ trade lines (Eb5 lies poorly for Horn in F, well for Clarinet in B♭)");
  });
});

describe("a part hands a note it plays poorly to a part whose note sounds anyway", () => {
  test("the Maple Leaf Rag for woodwind quintet, mm. 15 and 49: the left hand's C♭4, under the oboe's comfortable C4, goes to the part that had the A♭3 the flute sounds an octave up; the chord still sounds whole", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-maple-leaf-rag.mxl`), "maple.mxl");
    const score = arrange(sketch, "woodwind-quintet", db)[0]!.score;
    for (const bar of ["15", "49"]) {
      expect(checkScore(score, db).filter((f) => f.measure === bar && f.rule === "comfort"), `m. ${bar}`).toEqual([]);
      const mi = score.parts[0]!.measures.findIndex((m) => m.number === bar);
      const downbeat = measureStarts(score.parts[0]!)[mi]!;
      const struck = (name: string) => soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch && !gt(n.onset, downbeat) && gt(add(n.onset, n.duration), downbeat));
      // The oboe rests on the downbeat; the F♭ chord's C♭ is still played, by a part that plays it well (C♭4).
      expect(struck("Oboe"), `m. ${bar}`).toEqual([]);
      const cb4 = ["Clarinet in B♭", "Horn in F"].filter((name) => struck(name).some((n) => midiOf(n.pitch!) === 59));
      expect(cb4, `m. ${bar}`).toHaveLength(1);
      // Every pitch class the sketch sounds on the downbeat still sounds (F♭, A♭, C♭).
      const sketched = new Set(soundingNotes(sketch.parts[0]!).filter((n) => n.pitch && n.measure === mi && !gt(n.onset, downbeat) && gt(add(n.onset, n.duration), downbeat)).map((n) => midiOf(n.pitch!) % 12));
      const sounding = new Set(score.parts.flatMap((p) => struck(p.name)).map((n) => midiOf(n.pitch!) % 12));
      expect([...sketched].filter((pc) => !sounding.has(pc)), `m. ${bar}`).toEqual([]);
    }
  });
});

describe("the bass instrument plays the lowest line, where it plays it well", () => {
  test("Polonaise op. 1/1 for brass quintet, m. 8: the horn's B♭3 is under the tuba's D4, so they trade: the tuba plays the B♭3, the horn the E♭4 and D4", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no1.mxl`), "polonaise1.mxl");
    const [best] = arrange(sketch, "brass-quintet", db);
    const score = best!.score;
    expect(checkScore(score, db).filter((f) => f.measure === "8" && f.part === "Tuba")).toEqual([]);
    const at8 = (name: string) => pitchesIn(score, name, 7);
    expect(at8("Tuba")).toEqual([58, 58]);
    expect(at8("Horn in F")).toContain(62);
    // The arrangement's lowest note of each stroke is still the sketch's: B♭ under the after-beat chords.
    const { bass } = auditMusic(sketch, score, db);
    expect(bass.agree).toBe(bass.halfBars);
    expect(best!.report.phrases.flatMap((p) => p.colour)).toContain("m. 8: Tuba and Horn in F trade lines (D4 lies poorly for Tuba, well for Horn in F)");
  });

  test("where another part strikes a note under the bass part's, as long, the bass instrument strikes it: the Polonaise op. 1/1 for woodwind quintet, m. 8, the bassoon's E♭4 B♭3 E♭4 B♭3 E♭4 (it had E♭4 D4 over the clarinet's B♭3s); C. P. E. Bach's H. 186 for string quartet, m. 1, the cello's G♯3s under the viola's E♯4s", () => {
    const wind = pianoScore("clara-schumann-polonaise-op1no1.mxl", "woodwind-quintet");
    expect(pitchesIn(wind, "Bassoon", 7)).toEqual([63, 58, 63, 58, 63]);
    expect(pitchesIn(wind, "Clarinet in B♭", 7)).toEqual([62, 62]);
    const strings = pianoScore("cpe-bach-h186.mxl", "string-quartet");
    // The left hand's G♯3+E♯4 three times, after its F♯3+A3.
    expect(pitchesIn(strings, "Cello", 0).slice(-2)).toEqual([56, 56]);
    expect(pitchesIn(strings, "Viola", 0).slice(-2)).toEqual([65, 65]);
    // So with the chord notes the bass part was given where its line rests: the Maple Leaf Rag for
    // brass quintet, m. 9, the left hand's D4 F4 A♭4 B4 an octave down, the tuba's D3 under the trombone's F3.
    const brass = pianoScore("joplin-maple-leaf-rag.mxl", "brass-quintet");
    const nine = brass.parts[0]!.measures.findIndex((m) => m.number === "9");
    expect(pitchesIn(brass, "Tuba", nine)).toEqual([50, 50, 50, 50]);
    expect(pitchesIn(brass, "Trombone", nine)).toEqual([53, 53, 53, 53]);
    // Not note by note out of a running line: The Snow Is Dancing from MIDI for brass quintet, m. 42,
    // the trombone's low line under the tuba's B♭3–C4 trill: the trombone never leaps more than an
    // octave (given the trill's C4s among its B♭2 G♭2 A2, it had).
    const snow = arrange(readMidiWithReport(bytesOf(`${FIXTURES}corpus/midi/pianomidi-debussy-childrens-corner-4.mid`), "snow.mid").score, "brass-quintet", db)[0]!.score;
    const bar = soundingNotes(snow.parts.find((p) => p.name === "Trombone")!).filter((n) => n.pitch && n.measure === 41);
    expect(bar.length).toBeGreaterThan(5);
    const leaps = bar.slice(1).filter((n, i) => eq(add(bar[i]!.onset, bar[i]!.duration), n.onset) && Math.abs(midiOf(n.pitch!) - midiOf(bar[i]!.pitch!)) > 12);
    expect(leaps.map((n) => nameOf(n.pitch!))).toEqual([]);
    // Nowhere in either does a part of the bass instrument's kind strike a note under the bass part's, as long, where it strikes nothing else.
    for (const [score, bass] of [[wind, "Bassoon"], [strings, "Cello"]] as const) {
      const low = soundingNotes(score.parts.find((p) => p.name === bass)!).filter((n) => n.pitch && !n.grace);
      const others = score.parts.filter((p) => p.name !== bass && !/Flute|Oboe|Violin/.test(p.name)).flatMap((p) => soundingNotes(p).filter((n) => n.pitch && !n.grace).map((n) => ({ n, part: p.name })));
      const under = low.flatMap((b) => {
        const alone = low.filter((x) => lt(x.onset, add(b.onset, b.duration)) && gt(add(x.onset, x.duration), b.onset)).length === 1;
        return others.filter(({ n }) => alone && eq(n.onset, b.onset) && eq(n.duration, b.duration) && midiOf(n.pitch!) < midiOf(b.pitch!) && (midiOf(b.pitch!) - midiOf(n.pitch!)) % 12 !== 0).map(({ n, part }) => `m. ${n.measure + 1} ${part} ${nameOf(n.pitch!)} under ${nameOf(b.pitch!)}`);
      });
      expect(under, bass).toEqual([]);
    }
  });

  test("a note taken in may leave the bass part's line no wider a leap than it had: Elite Syncopations for brass quintet, m. 80, the tuba strikes E♭3 on both after-beats, under the trombone's G3 (it had G3 over the trombone's E♭3 on the second, before the D2 it leaps down to)", () => {
    const brass = pianoScore("joplin-elite-syncopations.musicxml", "brass-quintet");
    const bar = brass.parts[0]!.measures.findIndex((m) => m.number === "80");
    expect(pitchesIn(brass, "Tuba", bar)).toEqual([39, 51, 51, 38]);
    expect(pitchesIn(brass, "Trombone", bar)).toEqual([55, 55]);
  });

  test("Dichterliebe no. 2 for brass quintet, m. 17: the left hand's E4 over the right hand's D4, above the tuba's comfortable C4, goes to the horn, which gives up the trumpet's B4 in unison", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schumann-dichterliebe-no2-voice-piano.musicxml`), "dichterliebe.musicxml");
    const [best] = arrange(sketch, "brass-quintet", db);
    const score = best!.score;
    expect(checkScore(score, db).filter((f) => f.measure === "17" && f.part === "Tuba")).toEqual([]);
    const index = score.parts[0]!.measures.findIndex((m) => m.number === "17");
    expect(pitchesIn(score, "Horn in F", index)[0]).toBe(64);
    expect(pitchesIn(score, "Trumpet 1 in B♭", index)[0]).toBe(71);
    expect(pitchesIn(score, "Tuba", index)).not.toContain(64);
  });

  test("Dichterliebe no. 2 for brass quintet, m. 5: the right hand's D4 under the left hand's E4 is the bass; the tuba plays it an octave down, where the next bass notes lie", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schumann-dichterliebe-no2-voice-piano.musicxml`), "dichterliebe.musicxml");
    const [best] = arrange(sketch, "brass-quintet", db);
    const score = best!.score;
    expect(checkScore(score, db).filter((f) => f.measure === "5" && f.part === "Tuba")).toEqual([]);
    expect(pitchesIn(score, "Tuba", 4)).toEqual([50, 40, 45]);
    // Still the lowest note while it sounds.
    const d3 = soundingNotes(score.parts.find((p) => p.name === "Tuba")!).find((x) => x.measure === 4 && x.pitch && midiOf(x.pitch) === 50)!;
    const end = add(d3.onset, d3.duration);
    for (const p of score.parts) for (const x of soundingNotes(p)) if (x.pitch && lt(x.onset, end) && gt(add(x.onset, x.duration), d3.onset)) expect(midiOf(x.pitch)).toBeGreaterThanOrEqual(50);
    expect(best!.report.phrases.flatMap((p) => p.moved).some((m) => m.part === "Tuba" && m.measure === "5" && m.pitch === "D4" && m.octaves === -1)).toBe(true);
  });
});

describe("a bass held across a phrase's start is not cut by the next phrase's lines", () => {
  /** The notes a part sounds from measure index `from` to `to`, as "key+duration". */
  const heldIn = (score: Score, name: string, from: number, to: number): string[] =>
    soundingNotes(score.parts.find((p) => p.name === name)!)
      .filter((x) => x.pitch && x.measure >= from && x.measure <= to)
      .map((x) => `${midiOf(x.pitch!)}+${toString(x.duration)}`);

  test("Clementi op. 36 no. 3, ii, for string quartet, m. 16: the left hand's G3 is held for the bar; the right hand's B3 on beat 3 goes to the viola, not in its place", () => {
    const score = pianoScore("clementi-sonatina-op36no3-mvt2.musicxml", "string-quartet");
    expect(heldIn(score, "Cello", 15, 15)).toEqual(["55+3/4"]);
    expect(pitchesIn(score, "Viola", 15)).toContain(59);
  });

  test("Haydn op. 74 no. 1, iv, reduced and arranged for string quartet: the cello holds its pedal G2 through mm. 230–236 while the viola plays its own line", () => {
    const quartet = readScore(bytesOf(`${FIXTURES}corpus/quartets/haydn-op74no1-mvt4.mxl`), "haydn.mxl");
    const sketch = reduceToPiano(quartet).sketch;
    const score = arrange(sketch, "string-quartet", db, { style: "plain" })[0]!.score;
    const starts = measureStarts(score.parts[0]!);
    const at = (n: string): Fraction => starts[score.parts[0]!.measures.findIndex((m) => m.number === n)]!;
    // One G2, tied from bar to bar, from before m. 231 to m. 236.
    const pedal = soundingNotes(score.parts.find((p) => p.name === "Cello")!).find((x) => x.pitch && midiOf(x.pitch) === 43 && !gt(x.onset, at("231")) && gt(add(x.onset, x.duration), at("231")));
    expect(pedal && !lt(add(pedal.onset, pedal.duration), at("236"))).toBe(true);
    const { bass } = auditMusic(sketch, score, db);
    for (const m of ["231", "232", "233", "234", "235"]) expect(bass.examples).not.toContain(`m. ${m}a`);
  });
});

describe("the sketch's lowest note, given to a bass instrument, sounds lowest", () => {
  test("Der Lindenbaum for brass quintet, m. 3: the first trumpet's triplet figure in its own octave through the bar, over the trombone's and tuba's held B3 and E3, not broken an octave down in mid-bar with the held chord taken under the half measure's lowest note", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schubert-lindenbaum-voice-piano.musicxml`), "lindenbaum.musicxml");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    // The piano's triplet sixteenths of m. 3, as written.
    const figure = soundingNotes(sketch.parts.find((p) => p.staves === 2)!)
      .filter((n) => n.pitch && n.measure === 2 && eq(n.duration, frac(1, 24)))
      .map((n) => midiOf(n.pitch!));
    expect(figure).toHaveLength(18);
    // Every note of it in the first trumpet, none under the figure's own lowest note (F♯4): the
    // second half of the bar had gone down an octave, to G♯3.
    const trumpet = pitchesIn(score, "Trumpet 1 in B♭", 2);
    expect(trumpet.map((m, k) => (figure[k]! - m) % 12)).toEqual(figure.map(() => 0));
    expect(Math.min(...trumpet)).toBe(Math.min(...figure));
    expect(pitchesIn(score, "Trombone", 2)).toEqual([59]);
    expect(pitchesIn(score, "Tuba", 2)).toEqual([52]);
  });
  test("Der Lindenbaum for brass quintet, m. 79: under the trombone's B2, held over from the bar before, the tuba's E is E2, not E3", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schubert-lindenbaum-voice-piano.musicxml`), "lindenbaum.musicxml");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    const struck = score.parts.flatMap((p) => soundingNotes(p)).filter((x) => x.pitch && x.measure === 78 && x.onset.n * 2 === x.onset.d * 117);
    const low = Math.min(...struck.map((x) => midiOf(x.pitch!)));
    expect(low % 12).toBe(4);
    expect(pitchesIn(score, "Tuba", 78)).toContain(low);
    expect(auditMusic(sketch, score, db).bass.examples).not.toContain("m. 79a");
  });
  test("La donna è mobile (3/8) for woodwind quintet and string quartet, mm. 10–16: the bar's bass is its downbeat; the figure's F3 after it stays with the clarinet (viola), not a lone sixteenth in the bassoon (cello)", () => {
    // The left hand: B♭2, then F3 B♭3+D4 F3 B♭3+D4 F3 in sixteenths. A 3/8 bar is one beat: its
    // half (the third sixteenth) is no place where a bass is struck.
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/verdi-la-donna-e-mobile.mxl`), "verdi.mxl");
    for (const [ensemble, bass] of [
      ["woodwind-quintet", "Bassoon"],
      ["string-quartet", "Cello"],
    ] as const) {
      const score = arrange(sketch, ensemble, db)[0]!.score;
      for (const mi of [9, 11, 13, 15]) expect(pitchesIn(score, bass, mi), `${ensemble} m. ${mi + 1}`).toHaveLength(1);
      // The F3 is still played, as the figure's: another part sounds it at the bar's third sixteenth.
      const third = add(measureStarts(score.parts[0]!)[9]!, frac(3, 16));
      const f3 = score.parts.filter((p) => soundingNotes(p).some((x) => x.pitch && midiOf(x.pitch) === 53 && eq(x.onset, third)));
      expect(f3.map((p) => p.name), ensemble).not.toContain(bass);
      expect(f3.length, ensemble).toBeGreaterThan(0);
    }
  });
});

describe("a solo player's part stays one player's music", () => {
  const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schubert-lindenbaum-voice-piano.musicxml`), "lindenbaum.musicxml");
  const score = arrange(sketch, "string-quartet", db)[0]!.score;
  /** A part's notes in measure index `mi` as [key, onset, end]. */
  const notesIn = (part: Part, mi: number): [number, Fraction, Fraction][] =>
    soundingNotes(part)
      .filter((x) => x.pitch && x.measure === mi)
      .map((x) => [midiOf(x.pitch!), x.onset, add(x.onset, x.duration)]);

  test("Der Lindenbaum for string quartet, mm. 41–44: the first violin sings the voice's tune alone; the piano's figure around it is not its second voice", () => {
    const voice = sketch.parts.find((p) => p.measures.length && !/piano/i.test(p.name))!;
    const violin = score.parts.find((p) => p.name === "Violin I")!;
    for (const mi of [40, 41, 42, 43]) {
      const tune = notesIn(voice, mi).map(([m, on]) => `${m}@${toString(on)}`);
      expect(notesIn(violin, mi).map(([m, on]) => `${m}@${toString(on)}`), `m. ${mi + 1}`).toEqual(tune);
    }
  });

  test("Der Lindenbaum's storm, mm. 46–53: the right hand's figure in triplet sixteenths, one notated voice leaping to and fro, is one part's, not a hocket of two parts each playing every other note", () => {
    const starts = measureStarts(sketch.parts[0]!);
    for (const ensemble of ["string-quartet", "woodwind-quintet", "symphony-orchestra"]) {
      const arranged = ensemble === "string-quartet" ? score : arrange(sketch, ensemble, db)[0]!.score;
      for (const mi of [45, 47, 49, 51]) {
        // The parts that strike a note at the figure's second and third sixteenths: the same one.
        const at = (k: number): string[] => arranged.parts.filter((p) => soundingNotes(p).some((x) => x.pitch && eq(x.onset, add(starts[mi]!, frac(k, 24))))).map((p) => p.name);
        const second = at(1);
        const third = at(2);
        expect(second.length, `${ensemble} m. ${mi + 1}`).toBeGreaterThan(0);
        expect(second.filter((name) => third.includes(name)), `${ensemble} m. ${mi + 1}`).toEqual(second);
      }
    }
  });

  test("a figure whose first notes the separator splits off is one part's: Der Lindenbaum for woodwind quintet, mm. 63–66 (the right hand's triplet G♯4 B4 E5, then B4 G♯4 B4), and C. P. E. Bach's H. 186 for string quartet, mm. 11–12, the left hand's 32nds whole in the cello", () => {
    const figureIn = (arranged: Score, mi: number, from: Fraction, to: Fraction): string[] =>
      arranged.parts.filter((p) => soundingNotes(p).some((x) => x.pitch && x.measure === mi && !lt(x.onset, from) && lt(x.onset, to))).map((p) => p.name);
    // Der Lindenbaum: every part that plays in the figure's first beat plays its whole bar's figure (no part only its first notes).
    const woodwinds = arrange(sketch, "woodwind-quintet", db)[0]!.score;
    const starts = measureStarts(sketch.parts[0]!);
    for (const mi of [62, 63, 65]) {
      const first = figureIn(woodwinds, mi, starts[mi]!, add(starts[mi]!, frac(1, 12)));
      const rest = figureIn(woodwinds, mi, add(starts[mi]!, frac(1, 6)), add(starts[mi]!, frac(3, 4)));
      expect(first.length, `m. ${mi + 1}`).toBeGreaterThan(0);
      expect(first.filter((name) => rest.includes(name)), `m. ${mi + 1}`).toEqual(first);
    }
    const cpe = readScore(bytesOf(`${FIXTURES}corpus/piano/cpe-bach-h186.mxl`), "h186.mxl");
    const quartet = arrange(cpe, "string-quartet", db)[0]!.score;
    const m11 = cpe.parts[0]!.measures.findIndex((m) => m.number === "11");
    // B3 G♯3 D♯3 E3 B2 E3 G♯2 B2, E2; C4 A3 D♯3 E3 C3 E3 A2 C3, E2.
    expect(pitchesIn(quartet, "Cello", m11)).toEqual([59, 56, 51, 52, 47, 52, 44, 47, 40, 60, 57, 51, 52, 48, 52, 45, 48, 40]);
  });

  test("a solo string player is not given its own notes' octaves (Der Lindenbaum, mm. 20, 24, 36, 39, 40: the piano's octaves, in 32nds, had been the viola's B3+B4 C♯4+C♯5, in one voice or two)", () => {
    const viola = score.parts.find((p) => p.name === "Viola")!;
    for (const mi of [19, 23, 35, 38, 39]) {
      const notes = notesIn(viola, mi);
      const octaves = notes.filter(([m, on], i) => notes.some(([o, at], j) => j !== i && eq(at, on) && o !== m && (o - m) % 12 === 0));
      expect(octaves, `m. ${mi + 1}`).toEqual([]);
      // The figure is still the viola's, one note at a time.
      expect(notes.length, `m. ${mi + 1}`).toBeGreaterThanOrEqual(4);
    }
  });
});

describe("a tune in octaves with nothing under it is no bass to complete", () => {
  test("The Entertainer, m. 1: the right hand's run in octaves, the left hand resting, is the violins' (the flute's, the trumpet's); the bass instrument does not join it for its last three notes, and comes in with the left hand in m. 2", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-the-entertainer.musicxml`), "entertainer.musicxml");
    for (const [ensemble, bass] of [
      ["string-quartet", "Cello"],
      ["brass-quintet", "Tuba"],
      ["woodwind-quintet", "Bassoon"],
    ] as const) {
      const score = arrange(sketch, ensemble, db)[0]!.score;
      expect(pitchesIn(score, bass, 0), ensemble).toEqual([]);
      expect(pitchesIn(score, bass, 1).length, ensemble).toBeGreaterThan(0);
      // Both octaves of the run are still played (where the ensemble reaches the upper one: the trumpets' top is C6).
      const m1 = new Set(score.parts.flatMap((p) => pitchesIn(score, p.name, 0)));
      if (ensemble !== "brass-quintet") for (const m of [74, 86, 67, 79]) expect(m1.has(m), `${ensemble} ${m}`).toBe(true);
    }
  });
  test("Elite Syncopations for orchestra, mm. 1–2: the right hand's lower octave, a line of its own while the left hand rests, is the tune's octave, not a bass: no bass instrument plays until the left hand comes in at the end of m. 2", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-elite-syncopations.musicxml`), "elite.musicxml");
    const score = arrange(sketch, "symphony-orchestra", db)[0]!.score;
    for (const bass of ["Bass Clarinet", "Bassoons", "Contrabassoon", "Tuba", "Cello", "Double Bass"]) {
      expect(pitchesIn(score, bass, 0), bass).toEqual([]);
      // In m. 2 at most the left hand's F3, the first of its three sixteenths (F3 G3 A3), an octave down in the double bass.
      expect(pitchesIn(score, bass, 1).every((m) => m === 53 || m === 41), bass).toBe(true);
    }
    // The lower octave itself is still played, whole: C5 A4 G4 F4 (tied over) A4 G4 F4.
    expect(pitchesIn(score, "Violin II", 0)).toEqual([72, 69, 67, 65, 69, 67, 65]);
  });

  test("The Polonaise op. 1 no. 1 for string quartet, m. 32: after the left hand's E♭3, the right hand's repeated octaves are the tune's; the cello plays the E♭3 and rests, not one E♭4 of them", () => {
    const score = pianoScore("clara-schumann-polonaise-op1no1.mxl", "string-quartet");
    expect(pitchesIn(score, "Cello", 31)).toEqual([51]);
  });
});

describe("a bass note a short line leaves loose still goes to the bass instrument", () => {
  /** Key numbers each part sounds struck at `at` (wholes) in measure index `mi`. */
  const struckAt = (score: Score, mi: number, at: (t: Fraction) => boolean): Map<string, number[]> =>
    new Map(score.parts.map((p) => [p.name, soundingNotes(p).filter((x) => x.pitch && x.measure === mi && at(x.onset)).map((x) => midiOf(x.pitch!))]));

  test("The Entertainer for string quartet, m. 71: the left hand's F1+F2 on beat 3, the last chord's bass, is the cello's F2, not an F5", () => {
    const score = pianoScore("joplin-the-entertainer.musicxml", "string-quartet");
    const mi = score.parts[0]!.measures.findIndex((m) => m.number === "71");
    const start = measureStarts(score.parts[0]!)[mi]!;
    expect(struckAt(score, mi, (t) => toString(t) === toString(add(start, frac(1, 4)))).get("Cello")).toEqual([41]);
  });

  test("Lascia ch'io pianga for brass quintet, m. 10: the tuba plays the left hand's B1, and its octave B2 is not handed to the tune's trumpet", () => {
    const score = pianoScore("handel-lascia-chio-pianga.mxl", "brass-quintet");
    const mi = score.parts[0]!.measures.findIndex((m) => m.number === "10");
    const start = measureStarts(score.parts[0]!)[mi]!;
    const beat2 = struckAt(score, mi, (t) => toString(t) === toString(add(start, frac(1, 4))));
    expect(beat2.get("Tuba")).toEqual([35]);
    expect(beat2.get("Trumpet 1 in B♭")).toEqual([]);
  });

  test("the Maple Leaf Rag for brass quintet, m. 53: the tuba has the left hand's D♭2; no other part jumps down to its octave D♭3 on the downbeat", () => {
    const score = pianoScore("joplin-maple-leaf-rag.mxl", "brass-quintet");
    const mi = score.parts[0]!.measures.findIndex((m) => m.number === "53");
    const start = measureStarts(score.parts[0]!)[mi]!;
    const down = struckAt(score, mi, (t) => toString(t) === toString(start));
    expect(down.get("Tuba")).toEqual([37]);
    expect([...down.values()].flat().filter((m) => m === 49)).toEqual([]);
  });

  test("Clair de lune from MIDI for string quartet, m. 19: the left hand's A♭1 is the cello's A♭2; the right hand's octave it played as double stops gives way", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/midi/pianomidi-debussy-claire-de-lune.mid`), "clair.mid");
    const score = arrange(sketch, "string-quartet", db)[0]!.score;
    const cello = score.parts.find((p) => p.name === "Cello")!;
    const mi = cello.measures.findIndex((m) => m.number === "19");
    const start = measureStarts(cello)[mi]!;
    const bass = soundingNotes(cello).find((x) => x.pitch && midiOf(x.pitch) === 44 && !gt(x.onset, start) && gt(add(x.onset, x.duration), start));
    expect(bass).toBeDefined();
    const instrument = db.instruments.get("cello")!;
    for (const x of soundingNotes(cello)) if (x.pitch && x !== bass && lt(x.onset, add(bass!.onset, bass!.duration)) && gt(add(x.onset, x.duration), bass!.onset)) expect(isPlayableDoubleStop(instrument, 44, midiOf(x.pitch))).toBe(true);
  });

  test("the Polonaise op. 1 no. 3 for string quartet, m. 10: the cello's held F3 ends where it strikes the crossing D2, a double stop it could not play", () => {
    const score = pianoScore("clara-schumann-polonaise-op1no3.mxl", "string-quartet");
    const cello = score.parts.find((p) => p.name === "Cello")!;
    const mi = cello.measures.findIndex((m) => m.number === "10");
    const start = measureStarts(cello)[mi]!;
    const d2 = soundingNotes(cello).find((x) => x.pitch && midiOf(x.pitch) === 38 && x.measure === mi)!;
    expect(toString(sub(d2.onset, start))).toBe("5/8");
    for (const x of soundingNotes(cello)) if (x.pitch && x !== d2 && lt(x.onset, add(d2.onset, d2.duration)) && gt(add(x.onset, x.duration), d2.onset)) expect(midiOf(x.pitch)).toBeLessThan(38 + 12);
  });
});

describe("a chord struck by several parts is dealt to them in register order where one plays its note poorly", () => {
  test("Polonaise op. 1/3 for woodwind quintet, m. 32: the horn's C♯5 goes to the clarinet, which gives it its G4; the bassoon keeps the bass's D4; the chord sounds as before", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no3.mxl`), "polonaise3.mxl");
    const [best] = arrange(sketch, "woodwind-quintet", db);
    const score = best!.score;
    expect(checkScore(score, db).filter((f) => f.measure === "32" && f.part === "Bassoon")).toEqual([]);
    const downbeat = (name: string): number[] =>
      soundingNotes(score.parts.find((p) => p.name === name)!)
        .filter((x) => x.pitch && x.measure === 31 && x.onset.n * 4 === x.onset.d * 93)
        .map((x) => midiOf(x.pitch!));
    expect(downbeat("Clarinet in B♭")).toEqual([73]);
    expect(downbeat("Horn in F")).toEqual([67]);
    // (Before a loose note could take the bass's place, the bassoon had given its D4 up for the
    // right hand's G4, and the C♯5 had been the bassoon's.)
    expect(downbeat("Bassoon")).toEqual([62]);
    // The same five notes struck, A5 E5 C♯5 G4 D4, as the sketch's chord.
    const all = score.parts.flatMap((p) => downbeat(p.name)).sort((a, b) => b - a);
    expect(all).toEqual([81, 76, 73, 67, 62]);
    expect(best!.report.phrases.flatMap((p) => p.colour)).toContain("m. 32: chords dealt again to Oboe, Clarinet in B♭, Horn in F in register order (C#5 lay poorly for Horn in F)");
  });
});

describe("a resting wind does not come in for one chord note whose pitch class sounds anyway", () => {
  test("Mozart K. 545 for woodwind quintet, m. 12: the oboe does not enter for the right hand's G5 (the bassoon plays G)", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/mozart-k545-mvt1-exposition.mxl`), "k545.mxl");
    const [best] = arrange(sketch, "woodwind-quintet", db);
    for (const mi of [9, 10, 11, 12, 13]) expect(pitchesIn(best!.score, "Oboe", mi), `m. ${mi + 1}`).toEqual([]);
    expect(pitchesIn(best!.score, "Bassoon", 11).map((m) => m % 12)).toContain(7);
    const left = best!.report.phrases.flatMap((p) => p.leftOut).filter((x) => x.measure === "12");
    expect(left.map((x) => x.pitch)).toEqual(["G5"]);
    expect(left[0]!.reason).toContain("would have come in for it");
  });
});

describe("a part does not leap out of its line for a chord note whose pitch class sounds anyway", () => {
  test("The Entertainer for piano trio, m. 14: the cello, on the bass's F2 and E2, does not jump to the right hand's D5 and E♭5 (the violin plays D6 and E♭6)", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-the-entertainer.musicxml`), "entertainer.musicxml");
    const [best] = arrange(sketch, "piano-trio", db);
    expect(pitchesIn(best!.score, "Cello", 13)).toEqual([41, 40]);
    expect(pitchesIn(best!.score, "Violin", 13).map((m) => m % 12)).toEqual(expect.arrayContaining([2, 3]));
    const left = best!.report.phrases.flatMap((p) => p.leftOut).filter((x) => x.measure === "14");
    expect(left.map((x) => x.pitch).sort()).toEqual(["D5", "Eb5"]);
    expect(left[0]!.reason).toContain("would leap more than an octave");
  });
});

describe("a solo string player's two voices are double stops it can stop", () => {
  test("Children's Corner nos. 2 and 5 and the Prelude, from MIDI, for string quartet: every pair of notes the two voices of a part sound together is a playable double stop", () => {
    const unplayable: string[] = [];
    for (const file of ["pianomidi-debussy-childrens-corner-2.mid", "pianomidi-debussy-childrens-corner-5.mid", "pianomidi-debussy-prelude.mid"]) {
      const sketch = readScore(bytesOf(`${FIXTURES}corpus/midi/${file}`), file);
      const [best] = arrange(sketch, "string-quartet", db);
      for (const part of best!.score.parts) {
        const inst = instrumentOfPart(db, part)!;
        const notes = soundingNotes(part).filter((n) => n.pitch && !n.grace);
        for (const a of notes)
          for (const b of notes) {
            if (a.voice >= b.voice || !lt(a.onset, add(b.onset, b.duration)) || !lt(b.onset, add(a.onset, a.duration))) continue;
            const pair = [midiOf(a.pitch!), midiOf(b.pitch!)].sort((x, y) => x - y);
            if (pair[0] !== pair[1] && !isPlayableDoubleStop(inst, pair[0]!, pair[1]!)) unplayable.push(`${file} ${part.name} m. ${a.measure + 1}`);
          }
      }
    }
    expect(unplayable).toEqual([]);
  });
});

describe("a solo string player does not strike again a note it holds", () => {
  /** A part's notes struck while a note of the same pitch struck before still sounds in it. */
  const restruck = (part: Part): string[] => {
    const notes = soundingNotes(part).filter((x) => x.pitch && !x.grace);
    return notes.filter((b) => notes.some((a) => a !== b && midiOf(a.pitch!) === midiOf(b.pitch!) && lt(a.onset, b.onset) && gt(add(a.onset, a.duration), b.onset))).map((b) => `m. ${part.measures[b.measure]!.number} ${nameOf(b.pitch!)}`);
  };

  test("La donna è mobile for string quartet, m. 26: the cello holds F3 for the bar, as the piano's held chord does, without its F3 again on the second eighth; nor does any quartet part of the voice-and-piano pieces", () => {
    const [verdi] = arrange(pianoSketch("verdi-la-donna-e-mobile.mxl"), "string-quartet", db);
    const cello = verdi!.score.parts.find((p) => p.name === "Cello")!;
    expect(soundingNotes(cello).filter((x) => x.pitch && cello.measures[x.measure]!.number === "26").map((x) => `${nameOf(x.pitch!)} ${toString(x.duration)}`)).toEqual(["F3 3/8"]);
    for (const piece of ["verdi-la-donna-e-mobile.mxl", "schumann-dichterliebe-no2-voice-piano.musicxml", "schubert-lindenbaum-voice-piano.musicxml"]) {
      const [best] = arrange(pianoSketch(piece), "string-quartet", db);
      for (const part of best!.score.parts) expect(restruck(part), `${piece} ${part.name}`).toEqual([]);
      // The notes left out are reported, and counted.
      const held = best!.report.phrases.flatMap((p) => p.leftOut).filter((x) => x.reason === "the part that would strike it holds that note already");
      expect(held.length, piece).toBeGreaterThan(0);
      expect(best!.report.notes.leftOut, piece).toBeGreaterThanOrEqual(held.length);
    }
  });
});

describe("a solo part does not fill in the notes its twin already plays", () => {
  test("Elite Syncopations for string quartet, mm. 9–10: the right hand's run after a chord is the first violin's alone, not both violins' in unison", () => {
    // The sketch strikes A4 F5 A5, then runs on alone in sixteenths (G♯5 A5 C6 … A4). The separator
    // has the chord's inner line meet the run in unison, and that line had been filled note by
    // note into the second violin, with the first.
    const score = pianoScore("joplin-elite-syncopations.musicxml", "string-quartet");
    const run = [...pitchesIn(score, "Violin I", 8), ...pitchesIn(score, "Violin I", 9)];
    expect(run).toEqual([81, 80, 81, 84, 81, 79, 77, 79, 77, 74, 77, 74, 72, 69]);
    const key = (n: ReturnType<typeof soundingNotes>[number]) => `${toString(n.onset)}:${midiOf(n.pitch!)}`;
    const first = new Set(soundingNotes(score.parts.find((p) => p.name === "Violin I")!).filter((n) => n.pitch).map(key));
    const second = soundingNotes(score.parts.find((p) => p.name === "Violin II")!).filter((n) => n.pitch && (n.measure === 8 || n.measure === 9));
    expect(second.filter((n) => first.has(key(n)))).toEqual([]);
    // The chord's A4 is still the second violin's.
    expect(second.map((n) => midiOf(n.pitch!))).toContain(69);
  });
});

/** The onsets at which a part strikes two notes an octave (or two) apart. */
function octaveStops(score: Score, name: string): string[] {
  const at = new Map<string, number[]>();
  for (const n of soundingNotes(score.parts.find((p) => p.name === name)!)) if (n.pitch) at.set(toString(n.onset), [...(at.get(toString(n.onset)) ?? []), midiOf(n.pitch)]);
  return [...at].filter(([, ms]) => ms.length === 2 && ms[0] !== ms[1] && Math.abs(ms[0]! - ms[1]!) % 12 === 0).map(([t]) => t);
}

describe("a cello plays the piano's bass once, not in octave double stops", () => {
  test("Elite Syncopations for string quartet, mm. 4–8: the left hand's octaves (C2/C3 up to A2/A3, then down) are one bass line in the cello, at the lower octave", () => {
    // The separator makes the octaves two lines, the bass and its octave; the second had no part
    // and was filled note by note into the cello as a second voice: 53 octave double stops in eighths.
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-elite-syncopations.musicxml`), "elite.musicxml");
    const [best] = arrange(sketch, "string-quartet", db);
    const score = best!.score;
    expect(pitchesIn(score, "Cello", 3)).toEqual([60, 36, 38, 40]);
    expect(pitchesIn(score, "Cello", 4)).toEqual([41, 42]);
    expect(pitchesIn(score, "Cello", 5)).toEqual([43, 44]);
    expect(pitchesIn(score, "Cello", 6)).toEqual([45, 51, 50, 49]);
    expect(pitchesIn(score, "Cello", 7)).toEqual([48, 47, 46, 36]);
    // Over the whole piece, no cello chord is an octave.
    expect(octaveStops(score, "Cello")).toEqual([]);
    const m4 = best!.report.phrases.flatMap((p) => p.filled).filter((f) => f.measure === "4" && f.part === "Cello");
    expect(m4.map((f) => f.reason)).toContain("the part plays its outer line's note at this octave instead of both");
  });
});

describe("a first violin plays the piano's tune once, at its top octave, not in octave double stops", () => {
  test("The Entertainer for string quartet, mm. 16–18: the right hand's tune in octaves is the first violin's upper octave, one note at a time", () => {
    const score = pianoScore("joplin-the-entertainer.musicxml", "string-quartet");
    expect(pitchesIn(score, "Violin I", 16)).toEqual([88, 84, 86, 88, 84, 86, 84]);
    expect(pitchesIn(score, "Violin I", 17)).toEqual([88, 84, 86, 88, 84, 86, 84]);
    expect(octaveStops(score, "Violin I")).toEqual([]);
  });
  test("The Maple Leaf Rag for string quartet, mm. 1–2: the right hand's tune, octaves and the single notes between them, is whole in the first violin", () => {
    const score = pianoScore("joplin-maple-leaf-rag.mxl", "string-quartet");
    const index = score.parts[0]!.measures.findIndex((m) => m.number === "1");
    // A♭4 E♭5 A♭4 C5 E♭5 G4 | E♭5 G4 B♭4 E♭5 (tied over the beat): the octaves' upper notes (E♭5)
    // and the notes struck alone between them; the first violin had only the E♭5s.
    expect(pitchesIn(score, "Violin I", index)).toEqual([68, 75, 68, 72, 75, 67]);
    expect(pitchesIn(score, "Violin I", index + 1)).toEqual([75, 67, 70, 75]);
  });
  test("The Maple Leaf Rag for string quartet, mm. 1–6: the right hand's lower octave (E♭4 under the tune's E♭5) is no second voice in the second violin's after-beats", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-maple-leaf-rag.mxl`), "maple.mxl");
    const [best] = arrange(sketch, "string-quartet", db);
    const second = best!.score.parts.find((p) => p.name === "Violin II")!;
    const index = second.measures.findIndex((m) => m.number === "1");
    const voices = second.measures.slice(index, index + 6).flatMap((m) => m.events.filter((e) => e.kind === "note").map((e) => e.voice));
    expect(new Set(voices)).toEqual(new Set(["1"]));
    const octaves = best!.report.phrases[0]!.leftOut.filter((l) => l.reason.startsWith("the piano's octave"));
    expect(octaves.map((l) => l.pitch)).toContain("Eb4");
  });
});

describe("where the tune rests, a line that begins on top as it stops, in the same hand, goes on with it", () => {
  test("The Entertainer for string quartet, m. 36: the right hand's upper notes A4 C5 E5 D5 C5 after the tune's G4 are the first violin's, over the second's G♭4 G♭4 F4 F4 E4", () => {
    const score = pianoScore("joplin-the-entertainer.musicxml", "string-quartet");
    const index = score.parts[0]!.measures.findIndex((m) => m.number === "36");
    expect(pitchesIn(score, "Violin I", index)).toEqual([69, 72, 76, 74, 72]);
    expect(pitchesIn(score, "Violin II", index)).toEqual([66, 66, 65, 65, 64]);
  });
  test("The Maple Leaf Rag for string quartet, m. 53: the trio's broken figure after its chords is the first violin's, not the viola's under the first violin's after-beats", () => {
    const score = pianoScore("joplin-maple-leaf-rag.mxl", "string-quartet");
    const index = score.parts[0]!.measures.findIndex((m) => m.number === "53");
    expect(pitchesIn(score, "Violin I", index)).toEqual([68, 73, 70, 73, 77, 68, 73, 77]);
  });
  test("Der Lindenbaum for string quartet: the piano's chords never fill the singer's breaths in the first violin's tune", () => {
    const score = pianoScore("schubert-lindenbaum-voice-piano.musicxml", "string-quartet");
    const index = score.parts[0]!.measures.findIndex((m) => m.number === "16");
    // The voice sings E4 (a half note) and rests before its E4 on the last eighth (the piano's
    // E4 struck with the half note, an eighth, is no longer the violin's second voice either).
    expect(pitchesIn(score, "Violin I", index)).toEqual([64, 64]);
    // Nor the breaths of mm. 74 and 76 (the piano's G♯5 and E5, whose pitch classes the other
    // parts play there).
    const at = (n: string): number => score.parts[0]!.measures.findIndex((m) => m.number === n);
    expect(pitchesIn(score, "Violin I", at("74"))).toEqual([71, 71]);
    expect(pitchesIn(score, "Violin I", at("76"))).toEqual([64]);
  });
});

describe("a run too high for the part comes down at its figures, a broken chord note by note, a scale never broken", () => {
  test("Clementi op. 36/1 i for brass quintet, m. 12: the right hand's run, alone in the second half of the bar, comes down an octave whole", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clementi-sonatina-op36no1-mvt1.musicxml`), "op36no1.musicxml");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    // The sketch's D5 G5 B5 D6 C6 B5 A5 G5 (up to D6, above the trumpet's comfortable A♭5), an octave down.
    expect(pitchesIn(score, "Trumpet 1 in B♭", 11)).toEqual([74, 79, 83, 86, 84, 83, 81, 79].map((m) => m - 12));
  });
  test("Clementi op. 36/1 i for brass quintet, m. 10, and op. 36/3 ii, mm. 14–15: a scale run too high for the trumpet comes down whole before the note it lands on, not broken into sevenths at its beats", () => {
    const one = arrange(readScore(bytesOf(`${FIXTURES}corpus/piano/clementi-sonatina-op36no1-mvt1.musicxml`), "op36no1.musicxml"), "brass-quintet", db)[0]!.score;
    // The sketch's B4 C5 D5 E5 F♯5 G5 A5 B5 (to B5, above the comfortable A♭5), an octave down, and the C5 it lands on.
    expect(pitchesIn(one, "Trumpet 1 in B♭", 9)).toEqual([71, 72, 74, 76, 78, 79, 81, 83].map((m) => m - 12));
    expect(pitchesIn(one, "Trumpet 1 in B♭", 10)[0]).toBe(72);
    const two = arrange(readScore(bytesOf(`${FIXTURES}corpus/piano/clementi-sonatina-op36no3-mvt2.musicxml`), "op36no3ii.musicxml"), "brass-quintet", db)[0]!.score;
    // D6 C6 B5 A5 G5 F♯5 E5 … G4 A4 B4: every step of the scale still a step.
    const run = [...pitchesIn(two, "Trumpet 1 in B♭", 13), ...pitchesIn(two, "Trumpet 1 in B♭", 14)];
    expect(run).toHaveLength(14);
    for (let i = 1; i < run.length; i++) expect(Math.abs(run[i]! - run[i - 1]!), `note ${i}`).toBeLessThanOrEqual(2);
    expect(Math.max(...run)).toBeLessThanOrEqual(79);
  });
  test("Polonaise op. 1/1 for brass quintet, m. 6: the arpeggio to E♭7 in the trumpet's comfortable range, its closing steps D–C still steps", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no1.mxl`), "polonaise1.mxl");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    const m6 = pitchesIn(score, "Trumpet 1 in B♭", 5);
    const sketchM6 = soundingNotes(sketch.parts[0]!).filter((n) => n.pitch && n.measure === 5 && n.voice === "1").map((n) => midiOf(n.pitch!));
    // Every note the sketch's at some octave, none above G5.
    expect(m6.map((m) => m % 12)).toEqual(sketchM6.map((m) => m % 12));
    expect(Math.max(...m6)).toBeLessThanOrEqual(79);
    // E♭7 D7 C7 end the figure: played E♭ D C, each a step from the one before.
    expect(m6.slice(-3).map((m, i, a) => (i ? Math.abs(m - a[i - 1]!) : 0))).toEqual([0, 1, 2]);
  });
  test("Der Lindenbaum for brass quintet, mm. 77–78: the postlude's F♯3, under the trumpet's G3, goes up an octave with the G♯3 it steps from, not alone into a seventh", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schubert-lindenbaum-voice-piano.musicxml`), "lindenbaum.musicxml");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    const index = score.parts[0]!.measures.findIndex((m) => m.number === "77");
    const m77 = pitchesIn(score, "Trumpet 2 in B♭", index);
    const m78 = pitchesIn(score, "Trumpet 2 in B♭", index + 1);
    // The sketch's … E4 G♯3 | F♯3 C♯5 B4: G♯4 F♯4, still a step, an octave up from the E4.
    expect([m77.at(-2), m77.at(-1), ...m78]).toEqual([64, 68, 66, 73, 71]);
    for (const m of [...m77, ...m78]) expect(m).toBeGreaterThanOrEqual(55);
  });
});

describe("a passage too high for several phrases goes down whole", () => {
  test("The Snow is Dancing (Children's Corner no. 4, from MIDI) for woodwind quintet, m. 73: the flute's figure at one octave, as in the phrase before", () => {
    // The phrase before had been taken down an octave; this one, with no breath before it, had
    // stayed at pitch for all but one beat: A6 B♭6 A6 C♭7 | A5 B♭5 A5 C♭6 | A6 …
    const sketch = readMidiWithReport(bytesOf(`${FIXTURES}corpus/midi/pianomidi-debussy-childrens-corner-4.mid`), "snow.mid").score;
    const score = arrange(sketch, "woodwind-quintet", db)[0]!.score;
    const flute = soundingNotes(score.parts.find((p) => p.name === "Flute")!).filter((n) => n.pitch && n.measure === 72).map((n) => midiOf(n.pitch!));
    expect(flute.length).toBeGreaterThanOrEqual(16);
    expect(Math.max(...flute) - Math.min(...flute)).toBeLessThanOrEqual(3);
  });
});

describe("a tune taken down takes the line under it down only where they sound together", () => {
  test("The Entertainer for brass quintet, mm. 82–83: the tune's A5 G5 after C6 come down an octave with it, and the second trumpet's C5s under them, not the G4s it plays after", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-the-entertainer.musicxml`), "entertainer.musicxml");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    const index = score.parts[0]!.measures.findIndex((m) => m.number === "82");
    // The sketch's tune C6 C6 C6 A5 | G5 (over C5 C5 | C5 G4 …), an octave down, none above G5.
    expect(pitchesIn(score, "Trumpet 1 in B♭", index)).toEqual([72, 72, 72, 69]);
    expect(pitchesIn(score, "Trumpet 1 in B♭", index + 1)).toEqual([67]);
    // The second trumpet under it: C4 while the tune's A4 G4 sound, then its G4s at the sketch's pitch.
    expect(pitchesIn(score, "Trumpet 2 in B♭", index)).toEqual([60, 60, 60, 60]);
    expect(pitchesIn(score, "Trumpet 2 in B♭", index + 1)).toEqual([60, 67, 67, 67, 67]);
  });
});

describe("a run of the tune taken down may set off under a note dying away that the line under it cannot take down", () => {
  test("Clementi op. 36 no. 3 i for brass quintet, mm. 16–17: the trumpet's runs an octave down, each setting off from G3 under the last note of the trombone's broken chord, which stays at the sketch's pitch", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clementi-sonatina-op36no3-mvt1.musicxml`), "clementi.musicxml");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    const index = score.parts[0]!.measures.findIndex((m) => m.number === "16");
    // The sketch's B4 | G4 A4 … B5 A5 over G3 B3 D4 and a held G3: the tune an octave down, the
    // left hand at its pitch (m. 17's B3 would sink under the half bar's E3 an octave down).
    expect(pitchesIn(score, "Trumpet 1 in B♭", index)).toEqual([59, 55, 57, 59, 60, 62, 64, 66, 67, 69, 71, 69]);
    expect(pitchesIn(score, "Trombone", index)).toEqual([55, 59, 62]);
    expect(pitchesIn(score, "Tuba", index)).toEqual([55]);
    expect(pitchesIn(score, "Trumpet 1 in B♭", index + 1).slice(1, 4)).toEqual([55, 57, 59]);
    expect(pitchesIn(score, "Trombone", index + 1)).toEqual([52, 55, 59]);
    // Only the chord's last eighth sounds over the run, and only under its first sixteenth.
    const notes = (name: string, mi: number) => soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch && n.measure === mi);
    for (const mi of [index, index + 1]) {
      const over = notes("Trombone", mi).filter((o) => notes("Trumpet 1 in B♭", mi).some((t) => lt(o.onset, add(t.onset, t.duration)) && lt(t.onset, add(o.onset, o.duration)) && midiOf(o.pitch!) > midiOf(t.pitch!)));
      expect(over.map((o) => toString(o.onset))).toEqual([toString(add(measureStarts(score.parts[0]!)[mi]!, frac(1, 4)))]);
    }
  });

  test("Polonaise op. 1/2 for brass quintet, m. 14: the thirds falling from A6 fold where the sketch leaps an octave to them, whole, and the second trumpet's thirds under them", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no2.mxl`), "polonaise2.mxl");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    const mi = score.parts[0]!.measures.findIndex((m) => m.number === "14");
    const notes = (name: string) => soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch && n.measure === mi);
    const [first, second] = [notes("Trumpet 1 in B♭"), notes("Trumpet 2 in B♭")];
    // The sketch's A6 G6 F6 E6 D6 (its sixteenths from the second eighth), all at one octave, a step each.
    const sixteenths = first.filter((n) => toString(n.duration) === "1/16").slice(0, 5);
    expect(sixteenths.map((n) => nameOf(n.pitch!).slice(0, -1))).toEqual(["A", "G", "F", "E", "D"]);
    expect(sixteenths.slice(1).map((n, i) => midiOf(n.pitch!) - midiOf(sixteenths[i]!.pitch!))).toEqual([-2, -2, -1, -2]);
    expect(Math.max(...first.map((n) => midiOf(n.pitch!)))).toBeLessThanOrEqual(79);
    // The second trumpet under the first at each of its sixteenths.
    for (const n of sixteenths) {
      const under = second.find((o) => eq(o.onset, n.onset));
      expect(under && midiOf(under.pitch!) < midiOf(n.pitch!), `at ${toString(n.onset)}`).toBe(true);
    }
    expect(checkScore(score, db).filter((f) => f.part === "Trumpet 1 in B♭" && f.measure === "14")).toEqual([]);
  });

  test("The Entertainer for brass quintet, mm. 88–89: only the bar with the C6 folds an octave down, not the bar before it as well (of a fold in two and one by beats, the one that moves fewer notes)", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-the-entertainer.musicxml`), "entertainer.musicxml");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    const index = score.parts[0]!.measures.findIndex((m) => m.number === "88");
    const top = (mi: number): number[] => {
      const rh = soundingNotes(sketch.parts[0]!).filter((n) => n.pitch && n.staff === 1 && n.measure === mi);
      return [...new Set(rh.map((n) => toString(n.onset)))].map((t) => Math.max(...rh.filter((n) => toString(n.onset) === t).map((n) => midiOf(n.pitch!))));
    };
    expect(pitchesIn(score, "Trumpet 1 in B♭", index)).toEqual(top(index));
    expect(pitchesIn(score, "Trumpet 1 in B♭", index + 1)).toEqual(top(index + 1).map((m) => m - 12));
  });

  test("a quick note of another line ends under a run of the tune as it sets off, and only then (endsUnder)", () => {
    const f = (s: string): Fraction => frac(Number(s.split("/")[0]), Number(s.split("/")[1] ?? 1));
    const note = (on: string, dur: string, p: string): LineNote => ({ onset: f(on), duration: f(dur), pitch: parsePitch(p)!, source: { part: 0, measure: 0, event: 0, note: 0 } });
    // A broken chord's last B3 (struck on the beat, an eighth) and the tune's run from G3 after a rest.
    const b3 = note("1/4", "1/8", "B3");
    const run = [note("0", "1/8", "G4"), note("5/16", "1/16", "G3"), note("3/8", "1/16", "A3"), note("7/16", "1/16", "B3")];
    expect(endsUnder(b3, run, 1)).toBe(true);
    // Not a note struck with the tune's, nor one held past it, nor under a run's later note, nor
    // under a lone note (none follows it), nor under a note longer than a sixteenth.
    expect(endsUnder(note("5/16", "1/16", "B3"), run, 1)).toBe(false);
    expect(endsUnder(note("1/4", "1/4", "B3"), run, 1)).toBe(false);
    expect(endsUnder(b3, run, 2)).toBe(false);
    expect(endsUnder(b3, run.slice(0, 2), 1)).toBe(false);
    expect(endsUnder(b3, [run[0]!, note("5/16", "1/8", "G3"), note("7/16", "1/16", "A3")], 1)).toBe(false);
  });
});

describe("a wind does not come in for a note or two another part sounds", () => {
  test("the Polonaise op. 1 no. 2 for orchestra, m. 5: no horn A2 with the cellos' and basses' for one eighth; the horns enter in m. 7 with the 1.", () => {
    const score = pianoScore("clara-schumann-polonaise-op1no2.mxl", "symphony-orchestra");
    const horns = score.parts.find((p) => p.name === "Horns in F 1–2")!;
    const index = horns.measures.findIndex((m) => m.number === "5");
    expect(pitchesIn(score, "Horns in F 1–2", index)).toEqual([]);
    expect(pitchesIn(score, "Horns in F 1–2", index + 2)).toEqual([59, 59, 59]);
    const words = horns.measures[index + 2]!.directions.flatMap((d) => d.items).filter((it) => it.kind === "words").map((it) => (it as { text: string }).text);
    expect(words).toContain("1.");
    // The A2 still sounds, in the cellos and basses.
    expect(pitchesIn(score, "Cello", index)[0]).toBe(45);
  });

  test("the Polonaise op. 1 no. 1 for orchestra, m. 20: no English horn for two B♭3 eighths at the Fine; over the piano pieces, no wind comes in for one or two short strokes another part sounds", () => {
    const score = pianoScore("clara-schumann-polonaise-op1no1.mxl", "symphony-orchestra");
    const index = score.parts[0]!.measures.findIndex((m) => m.number === "20");
    // It may go on there with a line it plays in m. 19, never come in for the two B♭3s.
    expect(pitchesIn(score, "English Horn", index)).not.toContain(58);
    if (pitchesIn(score, "English Horn", index).length > 0) expect(pitchesIn(score, "English Horn", index - 1).length).toBeGreaterThan(4);
    // The B♭ still sounds there.
    expect(score.parts.flatMap((p) => pitchesIn(score, p.name, index)).some((m) => m % 12 === 10)).toBe(true);
    // Over the piano pieces for orchestra: a wind entry of one or two strokes of an eighth or less,
    // a whole note of rest either side, every note's pitch class struck by another part with it
    // (and not the lowest note, unless doubled at or under it), is none.
    const lone: string[] = [];
    for (const file of corpusFiles("piano")) {
      const arranged = arrange(readScore(bytesOf(file), file), "symphony-orchestra", db)[0]!.score;
      const struck = arranged.parts.map((p) => ({ name: p.name, notes: soundingNotes(p).filter((n) => n.pitch && !n.grace) }));
      for (const { name, notes } of struck) {
        const inst = instrumentOfPart(db, arranged.parts.find((p) => p.name === name)!);
        if (inst?.family !== "woodwind" && inst?.family !== "brass") continue;
        let i = 0;
        while (i < notes.length) {
          let j = i;
          let reach = add(notes[i]!.onset, notes[i]!.duration);
          while (j + 1 < notes.length && lt(sub(notes[j + 1]!.onset, reach), frac(1))) {
            j++;
            const end = add(notes[j]!.onset, notes[j]!.duration);
            if (gt(end, reach)) reach = end;
          }
          const entry = notes.slice(i, j + 1);
          const strokes = new Set(entry.map((n) => toString(n.onset)));
          const covered = (n: (typeof entry)[number]): boolean => {
            const m = midiOf(n.pitch!);
            const others = struck.filter((o) => o.name !== name).flatMap((o) => o.notes.filter((x) => eq(x.onset, n.onset)).map((x) => midiOf(x.pitch!)));
            const lowest = others.every((x) => x > m);
            return others.some((x) => (x - m) % 12 === 0 && (!lowest || x <= m));
          };
          if (strokes.size <= 2 && entry.every((n) => !gt(n.duration, frac(1, 8)) && covered(n))) lone.push(`${file.split("/").pop()} ${name} m. ${arranged.parts[0]!.measures[entry[0]!.measure]!.number}`);
          i = j + 1;
        }
      }
    }
    expect(lone).toEqual([]);
  });

  test("Der Lindenbaum for orchestra, m. 13: a wind's one short note that is the lowest sounding stays, where the other parts sound its pitch class only above it (the bass stays the bass); the bassoons, whose bass line's G♯2 it was under, strike it", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schubert-lindenbaum-voice-piano.musicxml`), "lindenbaum.musicxml");
    const score = arrange(sketch, "symphony-orchestra", db)[0]!.score;
    const index = score.parts[0]!.measures.findIndex((m) => m.number === "13");
    expect(pitchesIn(score, "Bassoons", index)[0]).toBe(40);
    expect(pitchesIn(score, "Bass Clarinet", index)).not.toContain(40);
    const bass = auditMusic(sketch, score, db).bass;
    expect(bass.agree).toBe(bass.halfBars);
  });
});

describe("a part the fill brings in for a note or two is free to double", () => {
  test("Clementi op. 36/1 i for string quartet, mm. 20–22, at f: the second violin, in for m. 23's G5 alone, doubles the first violin's tune an octave down; the G5 still sounds", () => {
    const score = pianoScore("clementi-sonatina-op36no1-mvt1.musicxml", "string-quartet");
    const at = (name: string, number: string): { onset: string; midi: number }[] => {
      const part = score.parts.find((p) => p.name === name)!;
      return soundingNotes(part)
        .filter((n) => n.pitch && part.measures[n.measure]!.number === number)
        .map((n) => ({ onset: toString(n.onset), midi: midiOf(n.pitch!) }));
    };
    for (const bar of ["20", "21", "22"]) {
      const tune = at("Violin I", bar);
      expect(tune.length).toBe(8);
      expect(at("Violin II", bar)).toEqual(tune.map((n) => ({ ...n, midi: n.midi - 12 })));
    }
    const last = score.parts[0]!.measures.findIndex((m) => m.number === "23");
    expect(score.parts.flatMap((p) => pitchesIn(score, p.name, last))).toContain(79);
  });

  test("La donna è mobile for orchestra, mm. 19 and 21: the flutes double the tune, not come in for a sixteenth alone", () => {
    const score = pianoScore("verdi-la-donna-e-mobile.mxl", "symphony-orchestra");
    for (const bar of ["18", "19", "20", "21", "22"]) {
      const index = score.parts[0]!.measures.findIndex((m) => m.number === bar);
      expect(pitchesIn(score, "Flutes", index).length).toBeGreaterThan(1);
    }
  });
});

describe("a note a bass part gives up goes to a part playing around it, at its pitch", () => {
  test("the Polonaise op. 1/3 for woodwind quintet, m. 2: the bassoon's A3 after-beats, given up for the bass's D3, in the clarinet, which plays in m. 1, not an octave up in the flute over its tune", () => {
    const score = pianoScore("clara-schumann-polonaise-op1no3.mxl", "woodwind-quintet");
    const index = score.parts[0]!.measures.findIndex((m) => m.number === "2");
    expect(pitchesIn(score, "Clarinet in B♭", index)).toEqual([57, 57, 57]);
    expect(pitchesIn(score, "Flute", index)).not.toContain(69);
    expect(pitchesIn(score, "Bassoon", index)).toContain(50);
  });

  test("Dichterliebe no. 2 for orchestra, m. 12: the piccolo, the first part free, does not come in for the D the bass clarinet gives up", () => {
    const score = pianoScore("schumann-dichterliebe-no2-voice-piano.musicxml", "symphony-orchestra");
    const index = score.parts[0]!.measures.findIndex((m) => m.number === "12");
    for (const mi of [index - 1, index, index + 1]) expect(pitchesIn(score, "Piccolo", mi)).toEqual([]);
  });
});

describe("a note the bass part gives up to take the sketch's lowest note is kept where only a held note sounds its pitch class", () => {
  test("Polonaise op. 1/2 for woodwind quintet, m. 13: the G struck under the run's dip is played, by a free part, not dropped for a G held from before", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no2.mxl`), "op1no2.mxl");
    const score = arrange(sketch, "woodwind-quintet", db)[0]!.score;
    const at = frac(151, 16);
    const struck = score.parts.flatMap((p) => soundingNotes(p).filter((n) => n.pitch && n.onset.n * at.d === at.n * n.onset.d).map((n) => midiOf(n.pitch!) % 12));
    // The sketch strikes G (and B) there; a part strikes G with it.
    expect(struck).toContain(7);
    expect(struck).toContain(11);
  });
});

describe("a part that gives up a doubled chord note for a loose one does not put it over the sketch's top note", () => {
  /** The highest note sounding at `at` (whole notes from the start), over all parts. */
  const topAt = (score: Score, at: Fraction): number => Math.max(...soundingAt(score, at));
  test("the Polonaise op. 1 no. 4 for woodwind quintet, m. 27: the flute keeps the ff chords' top C6; the clarinet's E5 is the chord's third, no E6 over it", () => {
    const score = pianoScore("clara-schumann-polonaise-op1no4.mxl", "woodwind-quintet");
    const index = score.parts[0]!.measures.findIndex((m) => m.number === "27");
    expect(pitchesIn(score, "Flute", index)).toEqual([79, 84, 84]);
    const start = measureStarts(score.parts[0]!)[index]!;
    for (const beat of [frac(1, 4), frac(1, 2)]) expect(topAt(score, add(start, beat))).toBe(84);
  });

  test("The Entertainer for woodwind quintet, mm. 26–27 and 30–31: the tune's A5 after its G5 is its own, not the left hand's C taken up to C6 over it", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-the-entertainer.musicxml`), "entertainer.musicxml");
    const score = arrange(sketch, "woodwind-quintet", db)[0]!.score;
    for (const bar of ["26", "27", "30", "31"]) {
      const index = score.parts[0]!.measures.findIndex((m) => m.number === bar);
      const at = add(measureStarts(score.parts[0]!)[index]!, frac(1, 8));
      // The sketch's top there is A5, the tune's upper neighbour: the arrangement's top is an A.
      const sketchTop = Math.max(...sketch.parts.flatMap((p) => soundingNotes(p).filter((n) => n.pitch && eq(n.onset, at)).map((n) => midiOf(n.pitch!))));
      expect(sketchTop % 12, `m. ${bar}`).toBe(9);
      expect(topAt(score, at) % 12, `m. ${bar}`).toBe(9);
    }
  });
});

describe("a part does not end the tune's held note early to play a chord note", () => {
  test("the Maple Leaf Rag's trio for brass quintet, mm. 51 and 55, and La donna è mobile for woodwind quintet, m. 26: the tune's held notes whole, no chord note struck inside them", () => {
    const held = (file: string, ens: string, part: string, bars: readonly string[]) => {
      const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/${file}`), file);
      const score = arrange(sketch, ens, db)[0]!.score;
      return bars.map((bar) => {
        const index = score.parts[0]!.measures.findIndex((m) => m.number === bar);
        const notes = soundingNotes(score.parts.find((p) => p.name === part)!).filter((n) => n.pitch && n.measure === index);
        return notes.map((n) => `${nameOf(n.pitch!)}:${toString(n.duration)}`).slice(0, 2).join(" ");
      });
    };
    // The trio's E♭5 and A♭5 (the tune at the sketch's pitch, in the trumpet's comfortable range)
    // held a dotted eighth (and struck again, tied on), not cut after an eighth for the left hand's C4.
    expect(held("joplin-maple-leaf-rag.mxl", "brass-quintet", "Trumpet 1 in B♭", ["51", "55"])).toEqual(["Eb5:3/16 Eb5:1/8", "Ab5:3/16 Ab5:1/8"]);
    // Verdi's F6 a quarter, as the sketch has it, not an eighth and a chord note.
    expect(held("verdi-la-donna-e-mobile.mxl", "woodwind-quintet", "Flute", ["26"])).toEqual(["F6:1/4 F5:3/32"]);
  });
});

describe("a bass part gives up a chord note struck with the sketch's lowest note, where nothing else would sound that note lowest", () => {
  test("Der Lindenbaum for woodwind and brass quintet, mm. 36 and 74: the bassoon's and tuba's E2 and G♯2, the left hand's lowest notes, not the chords' B2 and E3 over them (a 6/4 and a 6/3)", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schubert-lindenbaum-voice-piano.musicxml`), "lindenbaum.musicxml");
    for (const [ens, part] of [["woodwind-quintet", "Bassoon"], ["brass-quintet", "Tuba"]] as const) {
      const score = arrange(sketch, ens, db)[0]!.score;
      for (const [bar, low] of [["36", 40], ["74", 44]] as const) {
        const index = score.parts[0]!.measures.findIndex((m) => m.number === bar);
        expect(pitchesIn(score, part, index)[0], `${ens} m. ${bar}`).toBe(low);
        const start = measureStarts(score.parts[0]!)[index]!;
        const lowest = Math.min(...soundingAt(score, start));
        expect(lowest, `${ens} m. ${bar}`).toBe(low);
      }
    }
  });
});

describe("the brass play a high pianissimo muted", () => {
  const trumpet = db.instruments.get("trumpet-bb")!;
  const note = (at: number, pitch: string, length = frac(1)) => ({ onset: frac(at), duration: length, pitches: [parsePitch(pitch)!], voice: "1", staff: 1 });
  const dynamic = (at: number, value: string) => ({ onset: frac(at), staff: 1, items: [{ kind: "dynamics" as const, values: [value] }] });
  const words = (marks: readonly PlacedDirection[]) => marks.map((m) => `${toString(m.onset)}:${m.items.map((i) => (i.kind === "words" ? i.text : "")).join("")}`);

  test("\"con sord.\" for a passage marked pp that goes where the open trumpet cannot play softly, \"senza sord.\" for the next passage played open, each where the rest before it starts", () => {
    // At quarter = 60 (4 s a whole note): a pp passage up to A5, two bars' rest, an mf passage.
    // The words stand where the rest before the passage starts: the player has it all to change.
    const events = [note(0, "D5"), note(1, "A5"), note(4, "D5"), note(5, "G4")];
    const marks = muteMarks(trumpet, events, [dynamic(0, "pp"), dynamic(4, "mf")], 4);
    expect(words(marks)).toEqual(["0:con sord.", "2:senza sord."]);
    // A part that enters after a rest puts the mute in from its top.
    expect(words(muteMarks(trumpet, [note(3, "A5")], [dynamic(0, "pp")], 4))).toEqual(["0:con sord."]);
    // A rest too short to change (2 s): one passage; it may grow to mf muted, but a passage that reaches f stays open.
    expect(words(muteMarks(trumpet, [note(0, "D5"), note(1, "A5", frac(1, 2)), note(2, "D5")], [dynamic(0, "pp"), dynamic(2, "mf")], 4))).toEqual(["0:con sord."]);
    expect(muteMarks(trumpet, [note(0, "D5"), note(1, "A5", frac(1, 2)), note(2, "D5")], [dynamic(0, "pp"), dynamic(2, "f")], 4)).toEqual([]);
    // A pp passage with such a short rest inside it: muted once, throughout.
    expect(words(muteMarks(trumpet, [note(0, "D5"), note(1, "A5", frac(1, 2)), note(2, "A5")], [dynamic(0, "pp")], 4))).toEqual(["0:con sord."]);
    // A pp passage the open trumpet plays softly, and a p one up to A5, need no mute.
    expect(muteMarks(trumpet, [note(0, "D4"), note(1, "G4")], [dynamic(0, "pp")], 4)).toEqual([]);
    expect(muteMarks(trumpet, [note(0, "D5"), note(1, "A5")], [dynamic(0, "p")], 4)).toEqual([]);
    // An instrument without a mute in the database gets none.
    expect(muteMarks(db.instruments.get("flute")!, [note(0, "C7")], [dynamic(0, "pp")], 4)).toEqual([]);
  });

  test("The Snow Is Dancing from MIDI for brass quintet: the second trumpet, pp in its upper register, plays con sord., and tutti check finds no dynamic it cannot make", () => {
    const { score: sketch } = readMidiWithReport(bytesOf(`${FIXTURES}corpus/midi/pianomidi-debussy-childrens-corner-4.mid`), "snow.mid");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    // In C: the B♭ trumpet's part lay above its comfortable top (instrument-keys.ts).
    const second = score.parts.find((p) => p.name === "Trumpet 2 in C")!;
    const said = [...timedDirections(second)].flatMap(({ direction }) => direction.items.flatMap((i) => (i.kind === "words" ? [i.text] : [])));
    expect(said).toContain("con sord.");
    expect(checkScore(score, db).filter((f) => f.rule === "dynamics")).toEqual([]);
  });
});

describe("a loose note does not take the bass's place, nor the tune's", () => {
  test("the Polonaise op. 1 no. 3 for woodwind quintet, m. 32: the bassoon keeps the left hand's held D4, the bass there, and does not give it up for the right hand's G4", () => {
    const score = pianoScore("clara-schumann-polonaise-op1no3.mxl", "woodwind-quintet");
    const index = score.parts[0]!.measures.findIndex((m) => m.number === "32");
    expect(pitchesIn(score, "Bassoon", index)).toEqual([62, 54, 55, 50]);
    // The G4 is still played, by another part.
    expect(["Flute", "Oboe", "Clarinet in B♭", "Horn in F"].some((name) => pitchesIn(score, name, index).includes(67))).toBe(true);
  });
  test("nor the tune's: The Entertainer for woodwind quintet, m. 26, the flute plays the right hand's top notes G A G E F G♭ at one octave, where it had given up the F for the left hand's C4", () => {
    const score = pianoScore("joplin-the-entertainer.musicxml", "woodwind-quintet");
    const index = score.parts[0]!.measures.findIndex((m) => m.number === "26");
    const flute = pitchesIn(score, "Flute", index);
    const top = [79, 81, 79, 76, 77, 78];
    expect(flute.length).toBe(top.length);
    expect(new Set(flute.map((m, k) => m - top[k]!)).size).toBe(1);
    // The C the left hand strikes there still sounds, in another part.
    expect(["Oboe", "Clarinet in B♭", "Horn in F", "Bassoon"].some((name) => pitchesIn(score, name, index).some((m) => m % 12 === 0))).toBe(true);
  });
});

describe("a free part fills out the harmony with a line, not with one note", () => {
  test("Mozart K. 545 for orchestra, mm. 9–12: the English horn does not come in for the viola's one held A3", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/mozart-k545-mvt1-exposition.mxl`), "k545.mxl");
    const [best] = arrange(sketch, "symphony-orchestra", db);
    const phrase = best!.report.phrases.find((p) => p.measures === "9–12")!;
    expect(phrase.doublings.filter((d) => d.reason.startsWith("harmony"))).toEqual([]);
    for (const mi of [8, 9, 10, 11]) expect(pitchesIn(best!.score, "English Horn", mi)).toEqual([]);
    // The A3 itself is still played, by the viola.
    expect(pitchesIn(best!.score, "Viola", 8)).toEqual([57]);
    // Every harmony a wind fills out, over the whole exposition, is a line of two notes or more there.
    for (const p of best!.report.phrases) {
      for (const d of p.doublings.filter((x) => x.reason.startsWith("harmony"))) {
        const [first, last] = p.measures.split("–").map((m) => best!.score.parts[0]!.measures.findIndex((x) => x.number === m));
        const notes = soundingNotes(best!.score.parts.find((q) => q.name === d.part)!).filter((n) => n.pitch && n.measure >= first! && n.measure <= (last ?? first)!);
        expect(notes.length, `${d.part} in mm. ${p.measures}`).toBeGreaterThan(1);
      }
    }
  });
});

describe("the tune gets the higher part where it lies above a line the analysis numbers over it", () => {
  test("Clementi op. 36/3 i for string quartet, mm. 5–8: the upper of two voices in thirds, the tune, in the first violin, the lower in the second", () => {
    const score = pianoScore("clementi-sonatina-op36no3-mvt1.musicxml", "string-quartet");
    expect(pitchesIn(score, "Violin I", 4)).toEqual([77, 77, 76, 76, 74]);
    expect(pitchesIn(score, "Violin II", 4)).toEqual([74, 74, 72, 72, 71]);
    // M. 7's run down from A5 is the first violin's.
    expect(pitchesIn(score, "Violin I", 6).slice(0, 4)).toEqual([81, 77, 76, 74]);
  });
});

describe("a tune its part plays poorly changes parts whole, in a trade with a part that plays it well", () => {
  test("Clementi op. 36/3 i for brass quintet, mm. 44–48: the rising tune (A4 to E5, over the tuba's falling bass, under the sketch's E5 pedal) in the first trumpet, not in the horn above its C5", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clementi-sonatina-op36no3-mvt1.musicxml`), "op36no3.musicxml");
    const [best] = arrange(sketch, "brass-quintet", db);
    const score = best!.score;
    expect(checkScore(score, db).filter((f) => f.part === "Horn in F" && ["44", "45"].includes(f.measure))).toEqual([]);
    // The chromatic rise A4 A4 B4 B4 C5 C5 C♯5 C♯5, then D5 D5 E5 E5, at the sketch's pitch.
    expect(pitchesIn(score, "Trumpet 1 in B♭", 43)).toEqual([69, 69, 71, 71, 72, 72, 73, 73]);
    expect(pitchesIn(score, "Trumpet 1 in B♭", 44).slice(0, 4)).toEqual([74, 74, 76, 76]);
    // The whole of the phrase's tune went: the horn plays none of it, but the line the trumpet gave it.
    expect(pitchesIn(score, "Horn in F", 43).every((m) => m === 64)).toBe(true);
    expect(best!.report.phrases.flatMap((p) => p.colour).some((c) => c.startsWith("m. 44: Horn in F and Trumpet 1 in B♭ trade lines"))).toBe(true);
    // The tune's dynamic goes with it: the sketch's f in the trumpet, the horn's pedal one level down.
    const marks = marksOf(score);
    expect(marks.get("Trumpet 1 in B♭")).toContain("43:f");
    expect(marks.get("Horn in F")).toContain("43:mf");
    expect(marks.get("Horn in F")).not.toContain("43:f");
  });
});

describe("a line too high for its part goes down whole at its figures, not note by note to other parts", () => {
  test("Dichterliebe no. 2 for brass quintet, m. 6: the left hand's A4 G♯4 F♯4 E4 (above the trombone's comfortable F4) played by one part an octave down, no part out of its comfortable range, every note of the sketch still heard", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schumann-dichterliebe-no2-voice-piano.musicxml`), "dichterliebe.musicxml");
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    expect(checkScore(score, db).filter((f) => f.measure === "6" && (f.rule === "comfort" || f.rule === "dynamics"))).toEqual([]);
    const at6 = (name: string) => pitchesIn(score, name, 5);
    // (Its A is tied over from m. 5's A3.)
    expect(score.parts.filter((p) => at6(p.name).join() === [56, 54, 52].join()).map((p) => p.name)).toEqual(["Trombone"]);
    const heard = new Set(score.parts.flatMap((p) => at6(p.name)).map((m) => m % 12));
    for (const n of sketch.parts.flatMap((p) => soundingNotes(p)).filter((n) => n.pitch && n.measure === 5)) expect(heard.has(midiOf(n.pitch!) % 12), `${midiOf(n.pitch!)}`).toBe(true);
  });
});

describe("a note its part plays poorly, which another part sounds with it, is left to that part", () => {
  test("Clementi op. 36/3 i for brass quintet, m. 33: the tuba leaves its D4 (above its comfortable C4) to the parts that sound it", () => {
    const score = pianoScore("clementi-sonatina-op36no3-mvt1.musicxml", "brass-quintet");
    expect(checkScore(score, db).filter((f) => f.measure === "33" && f.part === "Tuba")).toEqual([]);
    const at33 = (name: string) => pitchesIn(score, name, 32);
    expect(at33("Tuba")).not.toContain(62);
    expect(["Trumpet 1 in B♭", "Trumpet 2 in B♭", "Horn in F", "Trombone"].some((name) => at33(name).includes(62))).toBe(true);
  });
});

describe("a section of two players divides to keep its note and take the bass under it", () => {
  test("Polonaise op. 1/1 for orchestra, m. 8: the cellos keep the D4 over the B♭3 they take for the bass, divided; the double basses are not given the D4 above their comfortable G3", () => {
    const score = pianoScore("clara-schumann-polonaise-op1no1.mxl", "symphony-orchestra");
    expect(checkScore(score, db).filter((f) => f.measure === "8")).toEqual([]);
    const struck = (name: string, at: Fraction) =>
      soundingNotes(score.parts.find((p) => p.name === name)!)
        .filter((n) => n.pitch && n.measure === 7 && n.onset.n * at.d === at.n * n.onset.d)
        .map((n) => midiOf(n.pitch!));
    const start = measureStarts(score.parts[0]!)[7]!;
    expect(struck("Cello", add(start, frac(1, 8))).sort()).toEqual([58, 62]);
    // At the p of the next phrase's upbeat (scored mf, the level of its next three bars) the
    // bassoons take the B♭3 and the cellos keep the D4 alone.
    const beat = add(start, frac(3, 8));
    expect(struck("Cello", beat)).toContain(62);
    expect([...struck("Cello", beat), ...struck("Bassoons", beat)]).toContain(58);
    expect(pitchesIn(score, "Double Bass", 7)).not.toContain(62);
  });

  test("Polonaise op. 1/3 for orchestra, m. 41: the bass line's G♯3 goes on while the sketch's B2 is struck under it by a bass part, and no double bass plays the G♯3 above its comfortable range", () => {
    // The B2 is the right hand's, crossed under the chords (a line of its own: see
    // hand-crossing.ts): a bass part plays it (the cellos), while the G♯3 sounds on in another
    // (the bassoons). Before, the bassoons took the B2 and the cellos the G♯3.
    const score = pianoScore("clara-schumann-polonaise-op1no3.mxl", "symphony-orchestra");
    const mi = score.parts[0]!.measures.findIndex((m) => m.number === "41");
    const start = measureStarts(score.parts[0]!)[mi]!;
    const sounding = (name: string) => soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch && !gt(n.onset, add(start, frac(1, 8))) && gt(add(n.onset, n.duration), add(start, frac(1, 8)))).map((n) => midiOf(n.pitch!));
    expect(["Bassoons", "Contrabassoon", "Cello", "Double Bass"].filter((name) => sounding(name).includes(47))).not.toEqual([]);
    expect(score.parts.some((p) => sounding(p.name).includes(56))).toBe(true);
    expect(pitchesIn(score, "Double Bass", mi)).not.toContain(56);
    expect(checkScore(score, db).filter((f) => f.measure === "41")).toEqual([]);
  });
});

describe("a solo string player stops the bass under its own note as a double stop", () => {
  test("C. P. E. Bach's H. 186 for string quartet, mm. 1–2: the cello plays the left hand's F♯3 under its A3 and E♯3 under its G♯3 as double stops, and the second violin does not come in for those notes alone", () => {
    const score = pianoScore("cpe-bach-h186.mxl", "string-quartet");
    const cello = score.parts.find((p) => p.name === "Cello")!;
    const struck = (mi: number, at: Fraction) => soundingNotes(cello).filter((n) => n.pitch && n.measure === mi && eq(sub(n.onset, measureStarts(cello)[mi]!), at)).map((n) => midiOf(n.pitch!)).sort();
    expect(struck(0, frac(0))).toEqual([54, 57]);
    expect(struck(1, frac(1, 8))).toEqual([53, 56]);
    for (const [a, b] of [[54, 57], [53, 56]] as const) expect(isPlayableDoubleStop(db.instruments.get("cello")!, a, b)).toBe(true);
    expect(pitchesIn(score, "Violin II", 0)).toEqual([]);
    expect(pitchesIn(score, "Violin II", 1)).toEqual([]);
    expect(checkScore(score, db).filter((f) => f.part === "Cello" && (f.measure === "1" || f.measure === "2"))).toEqual([]);
  });
});

describe("a note the bass part holds from before, which no part can take, ends where the bass is struck", () => {
  test("Haydn op. 74 no. 1, iv, as a one-track MIDI file for string quartet, m. 269: the cello ends an inner G3 to play the open C2 under the G2 it holds, and the arrangement's lowest note there is the C2", () => {
    const r = reduceToPiano(readScore(bytesOf(`${FIXTURES}corpus/quartets/haydn-op74no1-mvt4.mxl`), "op74-1-iv.mxl"));
    const sketch = readMidiWithReport(writeMidi(r.sketch), "op74-1-iv.mid").score;
    const score = arrange(sketch, "string-quartet", db)[0]!.score;
    const mi = sketch.parts[0]!.measures.findIndex((m) => m.number === "269");
    const start = measureStarts(score.parts[0]!)[mi]!;
    const sounding = (p: Score["parts"][number]) => soundingNotes(p).filter((n) => n.pitch && !gt(n.onset, start) && gt(add(n.onset, n.duration), start)).map((n) => midiOf(n.pitch!));
    expect(sounding(score.parts.find((p) => p.name === "Cello")!).sort()).toEqual([36, 43]);
    expect(Math.min(...score.parts.flatMap(sounding))).toBe(36);
    const { bass } = auditMusic(sketch, score, db);
    expect(bass.examples).not.toContain("m. 269a");
  });
});

describe("the cellos carry the bass and the double basses double it an octave down", () => {
  test("Lascia ch'io pianga for orchestra, mm. 1–3: the cellos play the left hand's A2, A2, G♯2 and the basses A1, A1, G♯1, not the bassoons and basses in unison with the cellos on an inner line", () => {
    const score = pianoScore("handel-lascia-chio-pianga.mxl", "symphony-orchestra");
    const starts = measureStarts(score.parts[0]!);
    // The lowest note sounding at each bar line (the bass is held across them).
    const lowest = (name: string) =>
      [0, 1, 2].map((mi) => Math.min(...soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch && !gt(n.onset, starts[mi]!) && gt(add(n.onset, n.duration), starts[mi]!)).map((n) => midiOf(n.pitch!))));
    expect(lowest("Cello")).toEqual([45, 45, 44]);
    expect(lowest("Double Bass")).toEqual([33, 33, 32]);
  });

  test("the basses play the notes that would go under their lowest string at the line's pitch, the rest an octave down: CPE Bach's Rondo H. 186 for orchestra, mm. 8–10, not the tuba and bass trombone without them", () => {
    const score = pianoScore("cpe-bach-h186.mxl", "symphony-orchestra");
    // The left hand: D2+D3, C♯2+C♯3, then eighths D3 E3 | F♯3 G♯3 A3 B3 G♯3 | A3 D3 E3 E2 A2.
    expect(pitchesIn(score, "Cello", 7)).toEqual([38, 37, 50, 52]);
    expect(pitchesIn(score, "Double Bass", 7)).toEqual([38, 37, 38, 40]);
    expect(pitchesIn(score, "Double Bass", 8)).toEqual([42, 44, 45, 47, 44]);
    expect(pitchesIn(score, "Double Bass", 9)).toEqual([45, 38, 40, 28, 33]);
    // Wherever the tuba plays in the piece, the basses play in that half bar too.
    const halves = (name: string) => new Set(soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch).map((n) => Math.floor((2 * n.onset.n) / n.onset.d)));
    const basses = halves("Double Bass");
    const alone = [...halves("Tuba")].filter((h) => !basses.has(h));
    expect(alone.length / halves("Tuba").size).toBeLessThan(0.1);
  });

  test("The Entertainer for orchestra: where the left hand's line splits into its bass and its after-beats, the cellos keep the bass, not the after-beats that were their line", () => {
    // Phrase 1 (mm. 1–4) has the left hand's run as one line, the bass, in the cellos. From m. 4 the
    // separator makes that line the after-beats and a new line the bass: the bass stays with them.
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-the-entertainer.musicxml`), "entertainer.musicxml");
    const phrases = arrange(sketch, "symphony-orchestra", db)[0]!.report.phrases;
    const bassIn = phrases.map((p) => p.assignments.find((a) => a.role === "bass")?.part);
    expect(bassIn.slice(0, 2)).toEqual(["Cello", "Cello"]);
    expect(bassIn.filter((part) => part === "Cello").length / bassIn.filter(Boolean).length).toBeGreaterThan(0.5);
  });

  test("a root struck on the beat with its fifth under it is no fifth to hold: the Polonaise op. 1 no. 1 for orchestra, m. 1, basses on E♭ and B♭ in turn, as the left hand; m. 2's B♭ under D held", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no1.mxl`), "polonaise1.mxl");
    const score = arrange(sketch, "symphony-orchestra", db)[0]!.score;
    // The left hand: E♭3+E♭4, B♭2+B♭3 in turn (m. 1), D3+D4, B♭2+B♭3 (m. 2).
    expect(pitchesIn(score, "Double Bass", 0)).toEqual([39, 34, 39, 34, 39, 34]);
    expect(pitchesIn(score, "Double Bass", 1)).toEqual([34]);
    for (const part of ["Bassoons", "Bass Clarinet", "Cello"]) expect(new Set(pitchesIn(score, part, 0).map((m) => m % 12)), part).toEqual(new Set([3, 10]));
    // For string orchestra the cellos play the figure and its bass, now the same notes, as one voice.
    const strings = arrange(sketch, "string-orchestra", db)[0]!.score;
    const cello = strings.parts.find((p) => p.name === "Cello")!.measures[0]!;
    expect(new Set(cello.events.filter((e) => e.kind === "note").map((e) => e.voice))).toEqual(new Set(["1"]));
  });

  test("the bass changes hands less readily than an inner line: the Maple Leaf Rag's cellos, on the bass and an inner line in mm. 7–8, keep the bass from m. 9", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/joplin-maple-leaf-rag.mxl`), "maple.mxl");
    const phrases = arrange(sketch, "symphony-orchestra", db)[0]!.report.phrases;
    const bassIn = (p: (typeof phrases)[number]) => p.assignments.find((a) => a.role === "bass")?.part;
    const m7 = phrases.find((p) => p.measures.startsWith("7–"))!;
    expect(m7.assignments.filter((a) => a.part === "Cello").map((a) => a.role).sort()).toEqual(["bass", "inner"]);
    expect(bassIn(phrases[phrases.indexOf(m7) + 1]!)).toBe("Cello");
    const carried = phrases.map(bassIn).filter(Boolean);
    expect(carried.filter((part) => part === "Cello").length / carried.length).toBeGreaterThan(0.9);
  });

  test("where the basses double the bass and the cellos' own line has stopped, the cellos join them: Der Lindenbaum for orchestra, mm. 5–6", () => {
    // The cellos' line in mm. 1–4 is the open fifth's upper note; from m. 5 the left hand's bass
    // runs on in the bassoons and double basses alone.
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schubert-lindenbaum-voice-piano.musicxml`), "lindenbaum.musicxml");
    for (const ensemble of ["symphony-orchestra", "string-orchestra"]) {
      const score = arrange(sketch, ensemble, db)[0]!.score;
      for (const mi of [4, 5]) {
        const basses = pitchesIn(score, "Double Bass", mi);
        expect(basses.length, `${ensemble} m. ${mi + 1}`).toBeGreaterThan(3);
        expect(pitchesIn(score, "Cello", mi).map((m) => m % 12), `${ensemble} m. ${mi + 1}`).toEqual(basses.map((m) => m % 12));
      }
    }
  });

  test("for string orchestra, where the basses play the sketch's lowest line the cellos play it too (the basses are not left alone on it)", () => {
    for (const piece of ["joplin-the-entertainer.musicxml", "handel-lascia-chio-pianga.mxl", "mozart-k545-mvt1-exposition.mxl"]) {
      const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/${piece}`), piece);
      const score = arrange(sketch, "string-orchestra", db)[0]!.score;
      const notes = (name: string) => soundingNotes(score.parts.find((p) => p.name === name)!).filter((n) => n.pitch);
      const cello = notes("Cello");
      const basses = notes("Double Bass");
      // Each stroke of the basses that is the arrangement's lowest note: the cellos sound its pitch class then.
      const sounding = (ns: typeof cello, t: Fraction) => ns.filter((n) => !gt(n.onset, t) && gt(add(n.onset, n.duration), t));
      let alone = 0;
      for (const b of basses) if (!sounding(cello, b.onset).some((c) => midiOf(c.pitch!) % 12 === midiOf(b.pitch!) % 12)) alone++;
      expect(alone / basses.length, piece).toBeLessThan(0.2);
    }
  });
});

describe("where the right hand crosses under the left, its low notes are the bass's, not the tune's", () => {
  test("Polonaise op. 1/3, m. 10: the right hand's D3 and D2 under the left hand's F3 go to the bass instruments at pitch, not to the tune's part two octaves up", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no3.mxl`), "polonaise3.mxl");
    const quartet = arrange(sketch, "string-quartet", db)[0]!.score;
    expect(pitchesIn(quartet, "Cello", 9)).toContain(38);
    const quintet = arrange(sketch, "woodwind-quintet", db)[0]!.score;
    expect(pitchesIn(quintet, "Bassoon", 9)).toContain(38);
    // The flute no longer plays them as D4s at f, in its weak low register.
    expect(pitchesIn(quintet, "Flute", 9).filter((m) => m < 67)).toEqual([]);
    expect(checkScore(quintet, db).filter((f) => f.measure === "10" && f.part === "Flute")).toEqual([]);
  });
});

describe("the top of a run passes to a higher instrument", () => {
  test("Polonaise op. 1/1 for orchestra, m. 6: the first violins' run to E♭7 ends in the piccolo, which comes in with it", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no1.mxl`), "polonaise1.mxl");
    const [best] = arrange(sketch, "symphony-orchestra", db);
    const score = best!.score;
    const at = (name: string, m: number) => pitchesIn(score, name, m - 1);
    // The sketch's E♭7 and D7, above the violins' comfortable C7: the piccolo's, at pitch.
    expect(at("Piccolo", 6)).toEqual(expect.arrayContaining([99, 98]));
    expect(Math.max(...at("Violin I", 6))).toBeLessThanOrEqual(96);
    // The piccolo comes in with the run (three notes or more before its top), not for a note.
    expect(at("Piccolo", 6).indexOf(99)).toBeGreaterThanOrEqual(3);
    expect(checkScore(score, db).filter((f) => f.measure === "6" && (f.part === "Violin I" || f.part === "Piccolo") && f.severity === "warning")).toEqual([]);
    expect(best!.report.phrases.flatMap((p) => p.colour)).toContain("m. 6: the run's top (Eb7) passes from Violin I to Piccolo");
  });
});

describe("two solo players of one instrument do not play in unison where the sketch did not ask for it", () => {
  const sameNotes = (score: Score, a: string, b: string, measure: number): boolean => {
    const sig = (name: string) =>
      soundingNotes(score.parts.find((p) => p.name === name)!)
        .filter((n) => n.pitch && n.measure === measure)
        .map((n) => `${toString(n.onset)}:${midiOf(n.pitch!)}`)
        .join(",");
    return sig(a) !== "" && sig(a) === sig(b);
  };

  test("Handel, Lascia ch'io pianga, for brass quintet: where the piano's right hand doubles the singer, the second trumpet plays an octave below or rests", () => {
    const score = pianoScore("handel-lascia-chio-pianga.mxl", "brass-quintet");
    // The bars where the two trumpets played the voice and the right hand in unison.
    for (const m of [13, 14, 20, 25, 26, 28, 30, 33, 34, 52, 54]) expect(sameNotes(score, "Trumpet 1 in B♭", "Trumpet 2 in B♭", m - 1), `m. ${m}`).toBe(false);
    // M. 25: an octave below, not a rest (the second trumpet plays it well there).
    const at25 = (name: string) => pitchesIn(score, name, 24);
    expect(at25("Trumpet 2 in B♭")).toEqual(at25("Trumpet 1 in B♭").map((m) => m - 12));
  });

  test("the Polonaise op. 1/4 for string quartet, mm. 21–22: the right hand's lower octave, filled into the second violin, plays an octave under the tune, not in unison with the first violin", () => {
    const score = pianoScore("clara-schumann-polonaise-op1no4.mxl", "string-quartet");
    for (const mi of [20, 21]) {
      expect(sameNotes(score, "Violin I", "Violin II", mi), `m. ${mi + 1}`).toBe(false);
      expect(pitchesIn(score, "Violin II", mi)).toEqual(pitchesIn(score, "Violin I", mi).map((m) => m - 12));
    }
  });

  test("a chorale's soprano and alto on one note stay in unison in the two violins (BWV 135.6): the composer's unison", () => {
    const chorale = readScore(bytesOf(`${FIXTURES}corpus/chorales/bwv135.6.mxl`), "bwv135.6.mxl");
    const notes = (part: Score["parts"][number]) => soundingNotes(part).filter((n) => n.pitch);
    const [soprano, alto] = [notes(chorale.parts[0]!), notes(chorale.parts[1]!)];
    const shared = soprano.filter((n) => alto.some((a) => toString(a.onset) === toString(n.onset) && midiOf(a.pitch!) === midiOf(n.pitch!)));
    expect(shared.length).toBeGreaterThan(0);
    const score = arrange(reduceToPiano(chorale).sketch, "string-quartet", db)[0]!.score;
    for (const violin of ["Violin I", "Violin II"]) {
      const played = notes(score.parts.find((p) => p.name === violin)!);
      for (const n of shared) expect(played.some((x) => toString(x.onset) === toString(n.onset) && midiOf(x.pitch!) === midiOf(n.pitch!)), `${violin} at ${toString(n.onset)}`).toBe(true);
    }
  });
});

describe("two parts of one instrument play a chord's notes in the score's order", () => {
  test("Clementi op. 36/3 i for string quartet, m. 6: the right hand's thirds G5 F5 E5 over E5 D5 C5 are the first violin's and the second's, not the first's E5 under the second's G5", () => {
    const score = pianoScore("clementi-sonatina-op36no3-mvt1.musicxml", "string-quartet");
    expect(pitchesIn(score, "Violin I", 5)).toEqual([79, 79, 77, 77, 76]);
    expect(pitchesIn(score, "Violin II", 5)).toEqual([76, 76, 74, 74, 72]);
  });

  test("the report says so once a phrase, at the first chord (Clementi op. 36/3 i for string quartet, m. 6)", () => {
    const [best] = arrange(pianoSketch("clementi-sonatina-op36no3-mvt1.musicxml"), "string-quartet", db);
    const said = best!.report.phrases.map((p) => p.colour.filter((c) => c.includes("in the score's order")));
    expect(said.flat()).toContain("m. 6: Violin I and Violin II play the chord's notes in the score's order, Violin I the upper");
    for (const lines of said) expect(lines.length).toBeLessThanOrEqual(1);
  });

  test("the Elite Syncopations for string quartet: the right hand's D5 C5 D5 C5 over its chords' A4 in the first violin (m. 47); the second violin's run over the first's chord notes stays whole (mm. 50–51)", () => {
    const score = pianoScore("joplin-elite-syncopations.musicxml", "string-quartet");
    expect(pitchesIn(score, "Violin I", 46)).toEqual([65, 74, 72, 74, 72]);
    expect(pitchesIn(score, "Violin II", 46)).toEqual([69, 74, 69]);
    // A4 C5 D5 F5 E5 G5, then A5 G♯5 A5 C6: not broken by the first violin's G4 B♭4 A4.
    expect(pitchesIn(score, "Violin II", 49)).toEqual([69, 72, 74, 77, 76, 79]);
    expect(pitchesIn(score, "Violin II", 50).slice(0, 4)).toEqual([81, 80, 81, 84]);
  });

  test("The Entertainer for brass quintet, m. 69: no part takes a leap over an octave for the order (the first trumpet's C4 B♭3 E4 stays, not C4 D5 E4)", () => {
    const score = pianoScore("joplin-the-entertainer.musicxml", "brass-quintet");
    expect(pitchesIn(score, "Trumpet 1 in B♭", 68).slice(-3)).toEqual([60, 58, 64]);
  });

  test("Schoenberg op. 19/6 for brass quintet, m. 6: of the chord's F4 and B♭4 held together, the first trumpet holds the B♭4", () => {
    const score = pianoScore("schoenberg-op19no6.mxl", "brass-quintet");
    expect(pitchesIn(score, "Trumpet 1 in B♭", 5)).toEqual([70]);
    expect(pitchesIn(score, "Trumpet 2 in B♭", 5)).toEqual([65, 65]);
  });
});

describe("a first violin plays where orchestral first violins play", () => {
  test("Polonaise op. 1/1 for string quartet, m. 7: the arpeggio to A♭6 at the sketch's pitch, and `tutti check` finds it comfortable", () => {
    // The database's violin is comfortable to C7, where its own note says orchestral parts stop
    // (Adler); an amateur's E6 made every quartet's first violin above E6 a check warning. (Mm. 5–6,
    // whose arpeggio climbs to E♭7, go down an octave: see "the first violin's arpeggios to E♭7".)
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no1.mxl`), "polonaise1.mxl");
    const score = arrange(sketch, "string-quartet", db)[0]!.score;
    const violin = score.parts.find((p) => p.name === "Violin I")!;
    const played = (m: number) => soundingNotes(violin).filter((n) => n.pitch && n.measure === m - 1).map((n) => midiOf(n.pitch!));
    // m. 7's run B♭4 D5 F5 B♭5 D6 F6, A♭6 G6 F6 is the sketch's top line, note for note.
    expect(played(7).slice(-9)).toEqual([70, 74, 77, 82, 86, 89, 92, 91, 89]);
    const warned = checkScore(score, db).filter((w) => w.part === "Violin I" && w.rule === "comfort").map((w) => w.measure);
    expect(warned).not.toContain("7");
  });
});

describe("chord notes go to parts already playing", () => {
  test("a line of a note or two beside a busy line is chord notes; melody, bass and lines of their own stay lines", () => {
    const note = (name: string, at: number): LineNote => ({ pitch: parsePitch(name)!, onset: frac(at, 4), duration: frac(1, 4) }) as LineNote;
    const run = Array.from({ length: 8 }, (_, i) => note("D5", i));
    const segments: Segment[] = [
      { line: 1, role: "inner", notes: [note("G5", 7)] },
      { line: 2, role: "melody", notes: run },
      { line: 3, role: "inner", notes: [note("B4", 7)] },
      { line: 4, role: "bass", notes: [note("G2", 0), note("G2", 7)] },
      { line: 5, role: "inner", notes: [note("A4", 0), note("B4", 2), note("C5", 4)] },
    ];
    const { lines, loose } = chordNotes(segments);
    expect(lines.map((s) => s.line)).toEqual([2, 4, 5]);
    expect(loose.map((l) => l.line)).toEqual([1, 3]);
    // Lines of like length (a chorale's) all stay lines.
    expect(chordNotes(segments.map((s) => ({ ...s, notes: s.notes.slice(0, 2) }))).loose).toEqual([]);
  });

  test("K. 545 for orchestra, m. 12: no wind or brass part enters for the cadence chord alone", () => {
    // The separator leaves the chord's G5 and B4 in lines of their own: they go to parts already
    // playing (a double stop in the first violins, the second violins), not to a flute and an
    // English horn silent since m. 8.
    const k545 = readScore(bytesOf(`${FIXTURES}corpus/piano/mozart-k545-mvt1-exposition.mxl`), "k545.mxl");
    const [best] = arrange(k545, "symphony-orchestra", db);
    const winds = best!.score.parts.filter((p) => ["woodwind", "brass"].includes(instrumentOfPart(db, p)?.family ?? ""));
    expect(winds.length).toBeGreaterThan(5);
    const plays = (part: Score["parts"][number], mi: number): boolean => part.measures[mi]!.events.some((e) => e.kind === "note");
    const entering = winds.filter((p) => plays(p, 11) && !plays(p, 10)).map((p) => p.name);
    expect(entering).toEqual([]);
    // The chord is whole: G, B and D sound on the second beat.
    const beat2 = best!.score.parts.flatMap((p) => soundingNotes(p)).filter((x) => x.measure === 11 && x.onset.n * 4 === x.onset.d * 45).map((x) => midiOf(x.pitch!) % 12);
    expect(new Set(beat2)).toEqual(new Set([7, 11, 2]));
  });
});

describe("every part's line can be written as a voice", () => {
  test("a one-track MIDI quartet whose hand mixes triplets and sixteenths arranges without a rest no copyist writes", () => {
    // Schumann op. 41/1 v as one humanised MIDI track: the reader's left hand holds D♯2 in
    // triplets and B2 in sixteenths in one voice (m. 294); a part given only the B2s would need
    // 1/24 rests. Such a line is placed note by note where it can be written, and the quartet is
    // written (arrange throws BAD_NOTATION otherwise).
    const r = reduceToPiano(readScore(bytesOf(`${FIXTURES}corpus/quartets/schumann-op41no1-mvt5.mxl`), "op41-1-v.mxl"));
    const midi = humanise(writeMidi(r.sketch), 2000, 12, { earlyReleases: true, velocities: [52, 76] });
    const sketch = readMidiWithReport(midi, "op41-1-v.mid").score;
    const [best] = arrange(sketch, "string-quartet", db, { style: "plain" });
    expect(best!.score.parts).toHaveLength(4);
  });
});

describe("the stages' time lookups find what a scan of every note finds", () => {
  // A small seeded generator (mulberry32), so that a failure can be replayed.
  const random = (seed: number) => (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Notes in sixteenths and triplet eighths, some of no length (graces) and some held for bars, in no order.
  const notesOf = (next: () => number, count: number): LineNote[] =>
    Array.from({ length: count }, (_, i) => {
      const unit = next() < 0.7 ? 16 : 12;
      const long = next() < 0.1;
      return {
        onset: frac(Math.floor(next() * 8 * unit), unit),
        duration: frac(next() < 0.05 ? 0 : 1 + Math.floor(next() * (long ? 4 * unit : 6)), unit),
        pitch: pitch((["C", "D", "E", "F", "G", "A", "B"] as const)[Math.floor(next() * 7)]!, 0, 1 + Math.floor(next() * 5)),
        source: { part: 0, measure: 0, event: i, note: 0 },
      };
    });
  const placement = (notes: readonly LineNote[]): Placement => ({ phrase: 0, slot: 0, line: 1, notes, shift: 0, fixes: new Map(), principal: true, voice: 1 });
  const times = (next: () => number): [Fraction, Fraction] => {
    const a = frac(Math.floor(next() * 9 * 48), 48);
    return [a, next() < 0.2 ? a : add(a, frac(1 + Math.floor(next() * 48), 48))];
  };

  test("everyIn and everyMeeting: the notes of a placement that sound in a time, or with a note", () => {
    const next = random(17);
    for (let run = 0; run < 200; run++) {
      const q = placement(notesOf(next, 1 + Math.floor(next() * 40)));
      const [from, to] = times(next);
      const found: number[] = [];
      everyIn(q, from, to, (k) => (found.push(k), true));
      const scanned = q.notes.flatMap((n, k) => (lt(n.onset, to) && gt(add(n.onset, n.duration), from) ? [k] : []));
      expect(found.sort((a, b) => a - b)).toEqual(scanned);
      const n = notesOf(next, 1)[0]!;
      const met: number[] = [];
      everyMeeting(q, n, (k) => (met.push(k), true));
      expect(met.sort((a, b) => a - b)).toEqual(q.notes.flatMap((o, k) => (overlaps(o, n) ? [k] : [])));
      // The quick test before the note-by-note one never rules out a placement that has such a note.
      if (scanned.length > 0) expect(maySoundIn(q, from, to)).toBe(true);
    }
  });

  test("highestBelow: the highest note sounding with a note and below it", () => {
    const next = random(41);
    for (let run = 0; run < 40; run++) {
      const notes = notesOf(next, 1 + Math.floor(next() * 60));
      const below = highestBelow(notes);
      for (const n of notes) {
        const under = notes.filter((o) => o !== n && midiOf(o.pitch) < midiOf(n.pitch) && overlaps(o, n)).map((o) => midiOf(o.pitch));
        expect(below(n)).toBe(under.length ? Math.max(...under) : undefined);
      }
    }
  });

  test("lowestIn: the lowest note sounding in a time, asked again and again", () => {
    const next = random(29);
    for (let run = 0; run < 40; run++) {
      const notes = notesOf(next, 1 + Math.floor(next() * 60));
      const lowest = lowestIn(notes);
      for (let ask = 0; ask < 30; ask++) {
        const [from, to] = times(next);
        const instant = !lt(from, to);
        const sounding = notes.filter((n) => gt(add(n.onset, n.duration), from) && (lt(n.onset, to) || (instant && !gt(n.onset, from))));
        const scanned = sounding.length ? Math.min(...sounding.map((n) => midiOf(n.pitch))) : undefined;
        expect(lowest(from, to)).toBe(scanned);
        expect(lowest(from, to)).toBe(scanned);
      }
    }
  });
});

describe("the report says each decision once", () => {
  test("notes filled into a part for one reason are one line, with their count, measures and first pitches (Clair de lune from MIDI for string quartet: 423 such lines had been one per note)", () => {
    const sketch = readMidiWithReport(bytesOf(`${FIXTURES}corpus/midi/pianomidi-debussy-claire-de-lune.mid`), "clair-de-lune.mid").score;
    const [best] = arrange(sketch, "string-quartet", db);
    const text = summarise(best!.report).split("\n");
    // Per phrase, one "filled" line per part and reason, and one "left out" line per reason.
    let phrase = "";
    const seen = new Set<string>();
    for (const line of text) {
      if (line.startsWith("phrase ")) phrase = line;
      const filled = /^ {2}filled: .* given to (.+) \((.+)\)$/.exec(line);
      if (filled) {
        const key = `${phrase} ${filled[1]} ${filled[2]}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    }
    const notes = best!.report.phrases.reduce((n, p) => n + p.filled.length, 0);
    expect(seen.size).toBeLessThan(notes / 3);
    // A line of several notes counts them and names where they are: "18 notes in mm. 5–7 (Bb4, C5, Bb4, Eb5, …)".
    const counted = text.map((l) => /^ {2}filled: (\d+) notes in mm?\. ([\d–, a-z]+) \(([^)]+)\) given to/.exec(l)).filter((m) => m !== null);
    expect(counted.length).toBeGreaterThan(0);
    for (const m of counted) expect(m![3]!.split(", ").length).toBe(Math.min(Number(m![1]), 4) + (Number(m![1]) > 4 ? 1 : 0));
  });

  test("a line's measures go in order, whichever stage found its notes first (the Polonaise op. 1 no. 2 for brass quintet: 'mm. 14–16', had been 'mm. 14, 16, 15')", () => {
    const [best] = arrange(pianoSketch("clara-schumann-polonaise-op1no2.mxl"), "brass-quintet", db);
    const lists = summarise(best!.report)
      .split("\n")
      .map((l) => /^ {2}(?:filled|left out): \d+ notes in mm\. ([\d–, ]+) \(/.exec(l)?.[1])
      .filter((m): m is string => m !== undefined);
    expect(lists.length).toBeGreaterThan(5);
    for (const list of lists) {
      const starts = list.split(", ").map((r) => Number(r.split("–")[0]));
      expect(starts, list).toEqual([...starts].sort((a, b) => a - b));
    }
  });
});

describe("at p the brass hold the harmony; running lines are the strings' and woodwinds'", () => {
  test("Debussy's Menuet from MIDI for orchestra, mm. 1–20 (p): no brass part plays sixteenths", () => {
    const sketch = readMidiWithReport(bytesOf(`${FIXTURES}corpus/midi/pianomidi-debussy-menuet.mid`), "menuet.mid").score;
    const score = arrange(sketch, "symphony-orchestra", db)[0]!.score;
    const brass = score.parts.filter((p) => instrumentOfPart(db, p)?.family === "brass");
    expect(brass.length).toBeGreaterThan(3);
    const short = brass.flatMap((p) => soundingNotes(p).filter((n) => n.pitch && Number(p.measures[n.measure]!.number) <= 20 && lt(n.duration, frac(1, 8))).map((n) => `${p.name} m. ${p.measures[n.measure]!.number}`));
    expect(short).toEqual([]);
  });
});

describe("a copyist leaves the pianist's fingering out", () => {
  test("the Polonaise op. 1 no. 4 for orchestra: the sketch's fingerings are on no part's notes", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/clara-schumann-polonaise-op1no4.mxl`), "polonaise.mxl");
    const fingerings = (score: Score): number =>
      score.parts.reduce((n, p) => n + p.measures.reduce((m, x) => m + x.events.filter((e) => e.kind === "note" && e.technical?.some((t) => t.name === "fingering")).length, 0), 0);
    expect(fingerings(sketch)).toBeGreaterThan(0);
    expect(fingerings(arrange(sketch, "symphony-orchestra", db)[0]!.score)).toBe(0);
  });
});

describe("a bass note no bass line brings goes to the bass part that plays it nearest its pitch", () => {
  test("Schoenberg's op. 19 no. 2 for orchestra, mm. 2–3: the cellos play the left hand's F♯4, A3 and A♭3 at pitch, not the contrabassoon two octaves down at pp", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/schoenberg-op19no2.mxl`), "op19no2.mxl");
    const score = arrange(sketch, "symphony-orchestra", db)[0]!.score;
    expect(pitchesIn(score, "Cello", 1)).toContain(66);
    expect(pitchesIn(score, "Cello", 2)).toEqual(expect.arrayContaining([57, 56]));
    // The sketch's lowest note in these bars is A♭3: nothing sounds under it.
    const lowest = Math.min(...score.parts.flatMap((p) => [...pitchesIn(score, p.name, 1), ...pitchesIn(score, p.name, 2)]));
    expect(lowest).toBeGreaterThanOrEqual(56);
  });
});

describe("a recitative is accompanied lightly", () => {
  test("Lascia ch'io pianga for orchestra, mm. 1–5 (\"Recitativ.\", no dynamic): the declamation in the first violins with one doubling, not flutes and oboes over nine parts holding the chords", () => {
    const sketch = readScore(bytesOf(`${FIXTURES}corpus/piano/handel-lascia-chio-pianga.mxl`), "lascia.mxl");
    const score = arrange(sketch, "symphony-orchestra", db)[0]!.score;
    const playing = score.parts.filter((p) => [0, 1, 2, 3, 4].some((mi) => pitchesIn(score, p.name, mi).length > 0)).map((p) => p.name);
    expect(playing).toContain("Violin I");
    expect(playing).toContain("Cello");
    // The sketch's five lines (the voice and four chord notes), the tune doubled once and the bass
    // once, as a light texture allows (12 parts had played).
    expect(playing.length).toBeLessThanOrEqual(7);
    // The tune's notes at their pitch in one part beside the first violins at most.
    const tune = pitchesIn(score, "Violin I", 1);
    const withTune = score.parts.filter((p) => p.name !== "Violin I" && pitchesIn(score, p.name, 1).join() === tune.join()).map((p) => p.name);
    expect(withTune.length).toBeLessThanOrEqual(1);
  });
});

describe("brass hold the chords a keyboard breaks in quick notes", () => {

  test("K. 545 for brass quintet, m. 11: the tuba strikes G2 on each beat, not the left hand's 16ths G2 B2 D3 G3 G2 C3 E3 G3; the horn and trombone hold the chords' other notes, the first trumpet keeps its 8ths", () => {
    const [best] = arrange(pianoSketch("mozart-k545-mvt1-exposition.mxl"), "brass-quintet", db);
    const score = best!.score;
    expect(pitchesIn(score, "Tuba", 10)).toEqual([43, 43, 43, 43]);
    const tuba = soundingNotes(score.parts.find((p) => p.name === "Tuba")!).filter((n) => n.measure === 10);
    expect(tuba.map((n) => toString(n.duration))).toEqual(["1/4", "1/4", "1/4", "1/4"]);
    // G major then C major over G, each beat whole: B and D, then C and E, above the tuba's G2.
    const beat = (k: number): number[] => soundingAt(score, add(frac(10), frac(k, 4))).map((m) => m % 12).sort((a, b) => a - b);
    for (const k of [0, 2]) expect(new Set(beat(k))).toEqual(new Set([2, 7, 11]));
    for (const k of [1, 3]) expect(new Set(beat(k))).toEqual(new Set([0, 4, 7]));
    expect(pitchesIn(score, "Horn in F", 10)).toEqual([59, 60, 59, 60]);
    expect(pitchesIn(score, "Trombone", 10)).toEqual([50, 52, 50, 52]);
    expect(pitchesIn(score, "Trumpet 1 in B♭", 10)).toEqual([71, 79, 76, 72, 74, 79, 76, 72]);
    const said = best!.report.phrases.flatMap((p) => p.colour);
    expect(said).toContain("m. 11: Tuba's quick figure held as its chords, a beat at a time: Tuba the bass, Horn in F and Trombone the other notes");
  });

  test("a tune in quick broken chords stays the tune (BWV 846 for brass quintet: the first trumpet's 16ths), and strings keep a figure (K. 545 for string quartet, m. 11: the cello's 16ths)", () => {
    expect(pitchesIn(pianoScore("bach-wtc1-prelude-c-bwv846.mxl", "brass-quintet"), "Trumpet 1 in B♭", 0).length).toBeGreaterThanOrEqual(8);
    expect(pitchesIn(pianoScore("mozart-k545-mvt1-exposition.mxl", "string-quartet"), "Cello", 10)).toHaveLength(16);
  });

  test("a part holding a chord's note goes on from its own note before: The Snow is Dancing from MIDI for brass quintet, m. 69, the horn's C♯4 after its C♯4 of m. 68, not C♯3", () => {
    const snow = readMidiWithReport(bytesOf(`${FIXTURES}corpus/midi/pianomidi-debussy-childrens-corner-4.mid`), "snow.mid").score;
    const score = arrange(snow, "brass-quintet", db)[0]!.score;
    expect(pitchesIn(score, "Horn in F", 67)).toEqual([61]);
    expect(pitchesIn(score, "Horn in F", 68)[0]).toBe(61);
  });

  test("the held notes go to the parts in register order: Haydn op. 74/1 ii as a piano sketch for brass quintet, m. 14, the inner parts' B3 D4 B3 D4 in 16ths as the horn's D4 over the trombone's B3", () => {
    const sketch = reduceToPiano(readScore(bytesOf(`${FIXTURES}corpus/quartets/haydn-op74no1-mvt2.mxl`), "op74no1.mxl")).sketch;
    const score = arrange(sketch, "brass-quintet", db)[0]!.score;
    expect(pitchesIn(score, "Horn in F", 13)).toEqual([62]);
    expect(pitchesIn(score, "Trombone", 13)).toEqual([59]);
  });
});

describe("the bass line's doublings double the notes given to the bass where the line rests", () => {
  test("the Polonaise op. 1 no. 4 for orchestra, m. 6: the cellos and basses play the left hand's D4 and D3 with the bass clarinet, where they had rested", () => {
    const score = pianoScore("clara-schumann-polonaise-op1no4.mxl", "symphony-orchestra");
    expect(pitchesIn(score, "Bass Clarinet", 5)).toEqual([62, 50]);
    expect(pitchesIn(score, "Cello", 5)).toEqual([62, 50]);
    expect(pitchesIn(score, "Double Bass", 5)).toEqual([50, 38]);
    // The left hand's turn in 24ths (m. 5) stays the bass clarinet's alone.
    expect(pitchesIn(score, "Cello", 4)).toEqual([57]);
  });

  test("no double bass two octaves under a high chord's lowest note: Schoenberg op. 19 no. 6 for orchestra, m. 1, the cellos' A4 alone", () => {
    const score = pianoScore("schoenberg-op19no6.mxl", "symphony-orchestra");
    expect(pitchesIn(score, "Cello", 0)).toEqual([69]);
    expect(pitchesIn(score, "Double Bass", 0)).toEqual([]);
  });
});

describe("parts that do not play a keyboard's figures double a bass line's quick broken chords as held beats", () => {
  test("K. 545 for orchestra, mm. 9–12: the double basses double the cellos an octave down, the 16ths of m. 11 as G1 a beat, where they had rested all four bars", () => {
    const score = pianoScore("mozart-k545-mvt1-exposition.mxl", "symphony-orchestra");
    expect(pitchesIn(score, "Double Bass", 8)).toEqual([41]);
    expect(pitchesIn(score, "Double Bass", 10)).toEqual([31, 31, 31, 31]);
    expect(pitchesIn(score, "Cello", 10)).toHaveLength(16);
  });
});

describe("a part holding harmony lets it go for the chords a bass part gives up to hold the bass", () => {
  test("the Polonaise op. 1 no. 2 for brass quintet, m. 11: the tuba holds the left hand's F♯3 under the chords, and the first trumpet, which had held F♯4 over them, plays their A3 as A4, over the horn's D4 and the trombone's C4", () => {
    const sketch = pianoSketch("clara-schumann-polonaise-op1no2.mxl");
    const [best] = arrange(sketch, "brass-quintet", db);
    const score = best!.score;
    const tuba = soundingNotes(score.parts.find((p) => p.name === "Tuba")!).filter((n) => n.measure === 10);
    expect(tuba.map((n) => [midiOf(n.pitch!), toString(n.duration)])).toEqual([[54, "3/4"]]);
    expect(pitchesIn(score, "Trumpet 1 in B♭", 10)).toEqual([69, 69, 69, 69, 69]);
    expect(pitchesIn(score, "Horn in F", 10)).toEqual([62, 62, 62, 62, 62]);
    expect(pitchesIn(score, "Trombone", 10)).toEqual([60, 60, 60, 60, 60]);
    expect(auditMusic(sketch, score, db).bass.examples).not.toContain("m. 11b");
  });
});
