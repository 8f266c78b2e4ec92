/**
 * The orchestrator on real music: chorale and quartet sketches back to their parts, playability
 * and completeness over several ensembles, transposing parts, determinism, the report, the linter.
 */
import { basename } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { reduceToPiano } from "../src/analyse/reduce.js";
import { type Database, ensemble, resolveEnsemble } from "../src/instruments/index.js";
import { buildMeasures } from "../src/model/build.js";
import { add, cmp, eq, frac } from "../src/model/fraction.js";
import { midiOf, parsePitch } from "../src/model/pitch.js";
import { muteWords, type Score } from "../src/model/score.js";
import { loadDatabase } from "../src/node/instruments.js";
import { readScore } from "../src/read/index.js";
import { readMusicXml } from "../src/read/musicxml/index.js";
import { arrange, checkScore, summarise } from "../src/orchestrate/index.js";
import { chordPlayable, instrumentOfPart } from "../src/orchestrate/check.js";
import { audit, fidelity } from "../src/orchestrate/fidelity.js";
import { soundingNotes } from "../src/model/notes.js";
import { timedEvents } from "../src/model/timeline.js";
import { writeMusicXml } from "../src/write/musicxml.js";
import { bytesOf, corpusFiles, FIXTURES } from "./support/corpus.js";
import { xsdErrors } from "./support/xsd.js";

let db: Database;
beforeAll(async () => {
  db = await loadDatabase();
});

const load = (file: string): Score => readScore(bytesOf(file), file);
const CHORALES = corpusFiles("chorales").filter((_, i) => i % 7 === 0); // 12 of 80, spread over the set

describe("chorale sketches go back to the voices that sang them", () => {
  for (const ens of ["string-quartet", "satb-choir"]) {
    test(`${CHORALES.length} chorales → ${ens}: at least 97 % of notes in their own part`, () => {
      let correct = 0;
      let total = 0;
      for (const file of CHORALES) {
        const r = reduceToPiano(load(file));
        const [a] = arrange(r.sketch, ensemble(db, ens), db, { style: "plain" });
        const f = fidelity(r, a!.score);
        correct += f.correct;
        total += f.total;
      }
      expect(total).toBeGreaterThan(2000);
      expect(correct / total).toBeGreaterThanOrEqual(0.97);
    });
  }
});

describe("two lines of one rhythm in a part that plays chords", () => {
  const WEBER = `${FIXTURES}corpus/edge/weber-concertino-clarinet.mxl`;
  test("are written as chords, not as two voices (Weber's Concertino for string quartet, m. 4: the second violin's D4 over its G3)", () => {
    const score = arrange(load(WEBER), ensemble(db, "string-quartet"), db)[0]!.score;
    const m4 = score.parts.find((p) => p.name === "Violin II")!.measures.find((m) => m.number === "4")!;
    const notes = m4.events.filter((e) => e.kind === "note");
    expect(new Set(notes.map((e) => e.voice))).toEqual(new Set(["1"]));
    expect(notes[0]!.kind === "note" && notes[0]!.notes.map((n) => midiOf(n.pitch!))).toEqual([55, 62]);
  });
  test("in no string or keyboard measure of two arrangements does a second voice only double the first's rhythm where one player could play both; a wind part keeps its two voices", () => {
    const sketch = load(WEBER);
    let strings = 0;
    let winds = 0;
    for (const ens of ["string-quartet", "symphony-orchestra"]) {
      for (const part of arrange(sketch, ensemble(db, ens), db)[0]!.score.parts) {
        const chords = !/Flute|Oboe|Clarinet|Bassoon|Horn|Trumpet|Trombone|Tuba|Timpani/.test(part.name);
        for (const m of part.measures) {
          const played = m.events.filter((e) => e.kind === "note" && !e.grace);
          const second = played.filter((e) => e.voice === "2");
          if (second.length === 0) continue;
          // A note with marks of its own (slurs, or articulations its partner lacks), or tied to a note of another measure, may keep its voice.
          const plain = (e: (typeof played)[number]): boolean =>
            e.kind === "note" && !e.slurs?.length && !e.articulations?.length && !e.ornaments?.length && !e.technical?.length && !e.fermata && !e.notes.some((n) => n.tieStart || n.tieStop);
          // A partner the second voice's note makes a chord with that a string player can stop.
          const inst = instrumentOfPart(db, part)!;
          const partner = (e: (typeof played)[number]) => played.find((f) => f.voice === "1" && eq(f.onset, e.onset) && eq(f.duration, e.duration));
          const stoppable = (e: (typeof played)[number], f: (typeof played)[number]): boolean =>
            !inst.idioms.doubleStops || chordPlayable(inst, [...new Set([e, f].flatMap((x) => (x.kind === "note" ? x.notes.map((n) => midiOf(n.pitch!)) : [])))].sort((a, b) => a - b));
          const shadowed = second.every((e) => plain(e) && partner(e) !== undefined && stoppable(e, partner(e)!));
          if (chords) expect(shadowed, `${ens}, ${part.name}, m. ${m.number}`).toBe(false);
          if (chords) strings++;
          else if (shadowed) winds++;
        }
      }
    }
    // Parts that play chords still write two voices where the rhythms differ; two wind players on one staff keep theirs.
    expect(strings).toBeGreaterThan(10);
    expect(winds).toBeGreaterThan(0);
  });
});

describe("playable and complete", () => {
  const sketches = [
    { name: "chorale bwv66.6", sketch: () => reduceToPiano(load(corpusFiles("chorales").find((f) => f.includes("bwv66.6"))!)).sketch },
    { name: "Mozart K. 545", sketch: () => load(corpusFiles("piano").find((f) => f.includes("k545"))!) },
    { name: "Haydn op. 1/1 mvt 3 (reduced)", sketch: () => reduceToPiano(load(corpusFiles("quartets").find((f) => f.includes("haydn-op1no1-mvt3"))!)).sketch },
  ];
  for (const ens of ["string-quartet", "satb-choir", "woodwind-quintet", "brass-quintet", "symphony-orchestra"]) {
    test(`${ens}: no note out of range, no chord on a one-note instrument, every sketch note sounds (struck, or held where a brass part holds the chord a figure breaks), valid MusicXML`, () => {
      for (const s of sketches) {
        const sketch = s.sketch();
        const [a] = arrange(sketch, ensemble(db, ens), db);
        const au = audit(sketch, a!.score, db);
        // Held notes are the brass's alone: the figure's notes a part stops striking are each one the report leaves out for it.
        const heldOut = a!.report.phrases.flatMap((p) => p.leftOut).filter((l) => l.reason.includes("holds the chord")).length;
        expect(au.held).toBe(ens === "brass-quintet" ? heldOut : 0);
        expect({ sketch: s.name, outOfRange: au.outOfRange, chords: au.chordsOnOneNote, missing: au.missing - au.held }).toEqual({ sketch: s.name, outOfRange: 0, chords: 0, missing: 0 });
        expect(xsdErrors(writeMusicXml(a!.score))).toEqual([]);
      }
    });
  }
});

describe("the written score", () => {
  test("parts in score order with names, sounds and transpositions; written key for the clarinet in A and the horn in F", () => {
    const sketch = reduceToPiano(load(corpusFiles("chorales").find((f) => f.includes("bwv66.6"))!)).sketch; // A major
    const [a] = arrange(sketch, ensemble(db, "woodwind-quintet"), db);
    const score = a!.score;
    expect(score.parts.map((p) => p.name)).toEqual(["Flute", "Oboe", "Clarinet in A", "Horn in F", "Bassoon"]);
    expect(score.parts.map((p) => p.instruments[0]!.sound)).toEqual(["wind.flutes.flute", "wind.reed.oboe", "wind.reed.clarinet.a", "brass.french-horn", "wind.reed.bassoon"]);
    const xml = writeMusicXml(score);
    const parts = xml.split("<part id=").slice(1);
    const fifths = parts.map((p) => /<fifths>(-?\d+)<\/fifths>/.exec(p)?.[1]);
    // Concert A major (3 sharps): the clarinet is in A and reads C major (in B♭ it would read B
    // major, 5 sharps: see instrument-keys.ts), the horn E major (4).
    expect(fifths).toEqual(["3", "3", "0", "4", "3"]);
    expect(parts[2]).toMatch(/<transpose>\s*<diatonic>-2<\/diatonic>\s*<chromatic>-3<\/chromatic>/);
    expect(parts[3]).toMatch(/<transpose>\s*<diatonic>-4<\/diatonic>\s*<chromatic>-7<\/chromatic>/);
    // The chorale marks no dynamic, and none is invented: only balance's one level below mf, under the melody.
    const marks = new Set(score.parts.flatMap((p) => p.measures.flatMap((m) => m.directions.flatMap((d) => d.items.flatMap((i) => (i.kind === "dynamics" ? i.values : []))))));
    expect([...marks].every((v) => v === "mp")).toBe(true);
    // Rests fill every measure of every part: each measure's first voice adds up to the measure.
    for (const p of score.parts) {
      for (const m of p.measures) {
        const v1 = m.events.filter((e) => e.voice === (m.events[0]?.voice ?? "1") && !(e.kind === "note" && e.grace));
        const sum = v1.reduce((s, e) => s + e.duration.n / e.duration.d, 0);
        expect(sum).toBeCloseTo(m.duration.n / m.duration.d, 9);
      }
    }
  });

  test("clefs follow the line: each measure's notes sit in the range of the clef in force, changing where the line moves", () => {
    const sketch = load(corpusFiles("piano").find((f) => f.includes("k545"))!);
    const [a] = arrange(sketch, resolveEnsemble(db, "violin,viola,cello"), db);
    for (const [pi, id] of [[1, "viola"], [2, "cello"]] as const) {
      const inst = db.instruments.get(id)!;
      const part = a!.score.parts[pi]!;
      let clef = "";
      let inside = 0;
      let total = 0;
      const used = new Set<string>();
      for (const m of part.measures) {
        const c = m.attributes.clefs?.[0]?.clef;
        if (c) clef = `${c.sign}${c.line}`;
        used.add(clef);
        const use = inst.clefs.find((u) => `${u.sign}${u.line}` === clef)!;
        expect(use, `${id} uses ${clef}`).toBeDefined();
        const [lo, hi] = use.range.map((n) => midiOf(parsePitch(n)!));
        for (const e of m.events) {
          if (e.kind !== "note") continue;
          for (const n of e.notes) {
            total++;
            const k = midiOf(n.pitch!);
            if (k >= lo! - 2 && k <= hi! + 2) inside++;
          }
        }
      }
      expect(inside / total).toBeGreaterThanOrEqual(0.9);
      const span = part.measures.flatMap((m) => m.events.flatMap((e) => (e.kind === "note" ? e.notes.map((n) => midiOf(n.pitch!)) : [])));
      // One clef is kept where it holds every note with two or three ledger lines more.
      const fitsOne = inst.clefs.some((u) => {
        const [lo, hi] = u.range.map((n) => midiOf(parsePitch(n)!));
        return span.every((k) => k >= lo! - 5 && k <= hi! + 5);
      });
      if (!fitsOne) expect(used.size).toBeGreaterThan(1);
    }
  });

  test("no clef change for notes two or three ledger lines past the clef: The Entertainer's double basses stay in bass clef", () => {
    // The stride bass reaches sounding E3 (written E4, two ledger lines over the bass staff; G3,
    // three, while the basses played it at the cellos' pitch) in a bar or two at a time; a tenor
    // clef for each of those bars had made 24 clef changes.
    const sketch = load(corpusFiles("piano").find((f) => f.includes("entertainer"))!);
    const [a] = arrange(sketch, "symphony-orchestra", db);
    const basses = a!.score.parts.find((p) => p.name === "Double Bass")!;
    const clefs = basses.measures.flatMap((m) => m.attributes.clefs ?? []).map((c) => `${c.clef.sign}${c.clef.line}`);
    expect(clefs).toEqual(["F4"]);
    const high = Math.max(...basses.measures.flatMap((m) => m.events.flatMap((e) => (e.kind === "note" ? e.notes.map((n) => midiOf(n.pitch!)) : []))));
    expect(high).toBeGreaterThanOrEqual(midiOf(parsePitch("E3")!));
    // A clef changes only where the clef in force cannot hold the measure: in Clementi's op. 36/3 i
    // the cellos take the tenor clef where they climb (mm. 6 and 50), and each change is for a
    // measure the old clef cannot hold (under 90 % of its notes within a ledger line of the
    // clef's range, or one beyond three).
    const clementi = load(corpusFiles("piano").find((f) => f.includes("op36no3-mvt1"))!);
    const cello = arrange(clementi, "symphony-orchestra", db)[0]!.score.parts.find((p) => p.name === "Cello")!;
    const uses = db.instruments.get("cello")!.clefs;
    let clef = "";
    let changes = 0;
    for (const m of cello.measures) {
      const c = m.attributes.clefs?.[0]?.clef;
      const next = c ? `${c.sign}${c.line}` : clef;
      if (clef && next !== clef) {
        changes++;
        const [lo, hi] = uses.find((u) => `${u.sign}${u.line}` === clef)!.range.map((n) => midiOf(parsePitch(n)!)) as [number, number];
        const midis = m.events.flatMap((e) => (e.kind === "note" ? e.notes.map((n) => midiOf(n.pitch!)) : []));
        const within = (margin: number) => midis.filter((k) => k >= lo - margin && k <= hi + margin).length;
        expect(within(2) < 0.9 * midis.length && within(5) < midis.length, `m. ${m.number}: ${clef} → ${next}`).toBe(true);
      }
      clef = next;
    }
    expect(changes).toBeGreaterThanOrEqual(2);
  });

  test("deterministic: the same sketch and options give the same bytes", () => {
    const sketch = load(corpusFiles("piano").find((f) => f.includes("k545"))!);
    const one = writeMusicXml(arrange(sketch, ensemble(db, "chamber-orchestra"), db)[0]!.score);
    const two = writeMusicXml(arrange(sketch, ensemble(db, "chamber-orchestra"), db)[0]!.score);
    expect(one).toBe(two);
  });

  test("rich style doubles where plain does not, and tutti at forte uses more of the orchestra", () => {
    const sketch = reduceToPiano(load(corpusFiles("chorales").find((f) => f.includes("bwv66.6"))!)).sketch;
    const playing = (s: Score): number => s.parts.filter((p) => p.measures.some((m) => m.events.some((e) => e.kind === "note"))).length;
    const plain = arrange(sketch, ensemble(db, "symphony-orchestra"), db, { style: "plain" })[0]!;
    const rich = arrange(sketch, ensemble(db, "symphony-orchestra"), db, { style: "rich" })[0]!;
    expect(playing(rich.score)).toBeGreaterThan(playing(plain.score));
    expect(plain.report.phrases.every((p) => p.doublings.every((d) => d.reason.startsWith("balance")))).toBe(true);
    // Forte: mark the sketch f and more parts play.
    const forte: Score = {
      ...sketch,
      parts: sketch.parts.map((p) => ({
        ...p,
        measures: p.measures.map((m, i) => (i === 0 ? { ...m, directions: [...m.directions, { offset: frac(0), staff: 1, items: [{ kind: "dynamics" as const, values: ["f"] }] }] } : m)),
      })),
    };
    const loud = arrange(forte, ensemble(db, "symphony-orchestra"), db)[0]!;
    expect(playing(loud.score)).toBeGreaterThan(playing(rich.score));
  });

  test("no player of a chamber ensemble sits out a four-part chorale: the brass quintet's trombone doubles a line at mf; an orchestra's brass may rest", () => {
    const sketch = load(`${FIXTURES}../scores/bach-bwv66.6-sketch.musicxml`);
    const [q] = arrange(sketch, ensemble(db, "brass-quintet"), db);
    expect(q!.report.tacet).toEqual([]);
    const doublings = q!.report.phrases.flatMap((p) => p.doublings.filter((d) => d.part === "Trombone"));
    expect(doublings.length).toBeGreaterThan(0);
    // Each of its notes another part plays too, at the same time, in unison or an octave away.
    const trombone = q!.score.parts.find((p) => p.name === "Trombone")!;
    const others = q!.score.parts.filter((p) => p !== trombone).flatMap((p) => soundingNotes(p));
    const notes = soundingNotes(trombone).filter((n) => n.pitch);
    expect(notes.length).toBeGreaterThan(30);
    for (const n of notes) expect(others.some((o) => o.pitch && eq(o.onset, n.onset) && (midiOf(o.pitch) - midiOf(n.pitch!)) % 12 === 0)).toBe(true);
    // Plain style doubles nothing, and the trombone rests as before.
    expect(arrange(sketch, ensemble(db, "brass-quintet"), db, { style: "plain" })[0]!.report.tacet.map((t) => t.part)).toEqual(["Trombone"]);
    // The orchestra's trombones and tuba rest under this mf chorale.
    expect(arrange(sketch, ensemble(db, "symphony-orchestra"), db)[0]!.report.tacet.map((t) => t.part)).toEqual(expect.arrayContaining(["Tuba"]));
  });
});

describe("words for every singer", () => {
  test("a choir's voices that sing in the tune's rhythm get its words, note for note, with extenders over their own passing notes; dynamics stand over the staff", () => {
    const chorale = load(corpusFiles("chorales").find((f) => f.includes("bwv13.6"))!);
    const [a] = arrange(chorale, ensemble(db, "satb-choir"), db);
    const sung = (p: Score["parts"][number]): { at: string; text: string; extend: boolean }[] =>
      [...timedEvents(p)].flatMap(({ event, onset }) => (event.kind === "note" && event.lyrics ? event.lyrics.map((l) => ({ at: `${onset.n}/${onset.d}`, text: l.text, extend: !!l.extend })) : []));
    const soprano = new Map(sung(a!.score.parts[0]!).map((x) => [x.at, x.text]));
    expect(soprano.size).toBeGreaterThan(35);
    for (const part of a!.score.parts.slice(1)) {
      const words = sung(part);
      expect(words.length).toBeGreaterThan(35);
      for (const w of words) expect(soprano.get(w.at)).toBe(w.text);
    }
    // The alto's eighths on "Vieh," (m. 2) and the bass's: a held syllable, an extender.
    expect(a!.score.parts.slice(1).some((p) => sung(p).some((w) => w.extend))).toBe(true);
    for (const p of a!.score.parts) for (const m of p.measures) for (const d of m.directions) if (d.items.some((i) => i.kind === "dynamics")) expect(d.placement).toBe("above");
    // A quartet plays without words.
    const [q] = arrange(chorale, ensemble(db, "string-quartet"), db);
    for (const part of q!.score.parts.slice(1)) expect(sung(part)).toEqual([]);
  });

  test("a voice in a rhythm of its own (the held chords under Foster's song) sings \"Oo\" from each entry to its next rest", () => {
    const [a] = arrange(load(`${FIXTURES}corpus/leadsheets/foster-brown-hair.mxl`), ensemble(db, "satb-choir"), db);
    expect(a!.score.parts[0]!.measures.reduce((n, m) => n + m.events.filter((e) => e.kind === "note" && e.lyrics?.length).length, 0)).toBeGreaterThan(80);
    for (const part of a!.score.parts.slice(1)) {
      let until = frac(-1);
      let entries = 0;
      for (const { event, onset } of timedEvents(part)) {
        if (event.kind !== "note") continue;
        const entry = cmp(onset, until) > 0;
        if (entry) entries++;
        expect(event.lyrics?.map((l) => l.text)).toEqual(entry ? ["Oo"] : undefined);
        if (cmp(add(onset, event.duration), until) > 0) until = add(onset, event.duration);
      }
      expect(entries).toBeGreaterThan(3);
    }
  });

  test("a piano piece for choir, with no words to sing, gives every voice \"Oo\" at each entry, the tune too (The Entertainer)", () => {
    const [a] = arrange(load(corpusFiles("piano").find((f) => f.includes("entertainer"))!), ensemble(db, "satb-choir"), db);
    for (const part of a!.score.parts) {
      let until = frac(-1);
      let entries = 0;
      for (const { event, onset } of timedEvents(part)) {
        if (event.kind !== "note" || event.grace) continue;
        if (cmp(onset, until) > 0) {
          entries++;
          expect(event.lyrics?.map((l) => l.text), `${part.name} at ${onset.n}/${onset.d}`).toEqual(["Oo"]);
        }
        if (cmp(add(onset, event.duration), until) > 0) until = add(onset, event.duration);
      }
      expect(entries, part.name).toBeGreaterThan(3);
    }
  });
});

describe("grace notes", () => {
  test("go with the note they lead to, in its part, and the report counts them", () => {
    const sketch = load(corpusFiles("piano").find((f) => f.includes("polonaise-op1no3"))!);
    const inSketch = sketch.parts.flatMap((p) => p.measures.flatMap((m) => m.events.filter((e) => e.kind === "note" && e.grace))).length;
    const [a] = arrange(sketch, ensemble(db, "woodwind-quintet"), db);
    const graces = a!.score.parts.flatMap((p) => p.measures.flatMap((m) => m.events.filter((e) => e.kind === "note" && e.grace)));
    expect(inSketch).toBeGreaterThan(10);
    expect(a!.report.notes.graces + a!.report.notes.gracesLeftOut).toBe(inSketch);
    expect(graces.length).toBe(a!.report.notes.graces);
    // Each grace note stands right before a main note of its voice.
    for (const p of a!.score.parts) {
      for (const m of p.measures) {
        m.events.forEach((e, i) => {
          if (e.kind !== "note" || !e.grace) return;
          const next = m.events.slice(i + 1).find((x) => x.voice === e.voice && !(x.kind === "note" && x.grace));
          expect(next && next.kind === "note" && next.onset.n * e.onset.d === e.onset.n * next.onset.d).toBe(true);
        });
      }
    }
    expect(xsdErrors(writeMusicXml(a!.score))).toEqual([]);
  });
});

describe("slurs", () => {
  test("a slur of the sketch is kept where its line keeps both ends in one part, and every kept slur closes, read in the file's order (voice after voice in each measure)", () => {
    // Lascia ch'io pianga, m. 24: the first violin's slurred A4 G♯4 under its held A4 is its second
    // voice, and its D5's slur in the first voice starts later in time but earlier in the file.
    for (const name of ["wild-horseman", "lascia"]) {
      const sketch = load(corpusFiles("piano").find((f) => f.includes(name))!);
      const [a] = arrange(sketch, ensemble(db, "string-quartet"), db);
      let pairs = 0;
      for (const p of a!.score.parts) {
        const open = new Map<number, number>();
        for (const m of p.measures) {
          // In the file's order: a measure's first voice, then its second.
          for (const e of [...m.events].sort((x, y) => Number(x.voice) - Number(y.voice))) {
            if (e.kind !== "note") continue;
            for (const sl of e.slurs ?? []) {
              if (sl.type === "start") {
                expect(open.has(sl.number), `${p.name} m. ${m.number}: slur ${sl.number} opened twice`).toBe(false);
                open.set(sl.number, 1);
              } else if (sl.type === "stop") {
                expect(open.has(sl.number), `${p.name} m. ${m.number}: slur ${sl.number} closes unopened`).toBe(true);
                open.delete(sl.number);
                pairs++;
              }
            }
          }
        }
        expect(open.size, `${p.name}: slurs left open`).toBe(0);
      }
      expect(pairs).toBeGreaterThan(5);
    }
  });
});

describe("report and alternatives", () => {
  test("each phrase says who plays which line and why, with cost terms; alternatives are ranked by cost", () => {
    const sketch = load(corpusFiles("piano").find((f) => f.includes("k545"))!);
    const results = arrange(sketch, ensemble(db, "woodwind-quintet"), db, { alternatives: 3 });
    expect(results).toHaveLength(3);
    expect(results.map((r) => r.report.rank)).toEqual([1, 2, 3]);
    const costs = results.map((r) => r.report.cost);
    expect([...costs].sort((a, b) => a - b)).toEqual(costs);
    const first = results[0]!.report;
    expect(first.phrases.length).toBeGreaterThan(1);
    const a0 = first.phrases[0]!.assignments[0]!;
    expect(Object.keys(a0.cost).sort()).toEqual(["comfort", "continuity", "held", "idiom", "octave", "range", "register", "timbre", "total", "under"]);
    expect(first.phrases.some((p) => p.assignments.some((a) => a.role === "melody"))).toBe(true);
    expect(first.notes.placed + first.notes.leftOut).toBe(first.notes.sketch);
    const text = summarise(first);
    expect(text).toMatch(/phrase 1, measures 1–\d+/);
    expect(text).toMatch(/line \d+ \(melody\) → (Flute|Oboe|Clarinet in B♭)/);
  });
});

describe("tutti check", () => {
  const TIME = { kind: "measured" as const, signatures: [{ beats: "4", beatType: 4 }] };
  function part(name: string, sound: string | undefined, chords: string[][], dynamic?: string): Score {
    const frames = chords.map((_, i) => ({ number: String(i + 1), start: frac(i), duration: frac(1), attributes: i === 0 ? { time: TIME } : {} }));
    const measures = buildMeasures(
      frames,
      chords.map((c, i) => ({ onset: frac(i), duration: frac(1), pitches: c.map((n) => parsePitch(n)!), voice: "1", staff: 1 })),
      dynamic ? [{ onset: frac(0), staff: 1, items: [{ kind: "dynamics", values: [dynamic] }] }] : [],
    );
    return { meta: { creators: [], rights: [] }, parts: [{ id: "P1", name, instruments: [{ id: "I1", name, ...(sound ? { sound } : {}) }], staves: 1, measures }], groups: [] };
  }

  test("out of range, chords on a flute, unplayable double stops, a pianissimo high trumpet, a forte low flute", () => {
    const flute = checkScore(part("Flute", "wind.flutes.flute", [["C4"], ["A3"], ["C5", "E5"]], "f"), db);
    expect(flute.map((f) => `${f.rule}:${f.measure}`)).toEqual(expect.arrayContaining(["range:2", "chord:3", "dynamics:1"]));
    expect(flute.find((f) => f.rule === "range")!.message).toMatch(/A3 is outside the Flute's range/);
    const violin = checkScore(part("Violin I", undefined, [["G3", "B3"], ["G3", "D4"]]), db);
    expect(violin.filter((f) => f.rule === "double-stop").map((f) => f.measure)).toEqual(["1"]);
    const trumpet = checkScore(part("Trumpet in Bb", undefined, [["A5"]], "pp"), db);
    expect(trumpet.some((f) => f.rule === "dynamics" && /pp is hard/.test(f.message))).toBe(true);
  });

  test("a muted trumpet plays a high pianissimo: \"con sord.\" silences the warning, \"senza sord.\" brings it back", () => {
    const frames = [0, 1, 2].map((i) => ({ number: String(i + 1), start: frac(i), duration: frac(1), attributes: i === 0 ? { time: TIME } : {} }));
    const events = [0, 1, 2].map((i) => ({ onset: frac(i), duration: frac(1), pitches: [parsePitch("A5")!], voice: "1", staff: 1 }));
    const score = (words: [number, string][]): Score => ({
      meta: { creators: [], rights: [] },
      parts: [{ id: "P1", name: "Trumpet in Bb", instruments: [{ id: "I1", name: "Trumpet in Bb" }], staves: 1, measures: buildMeasures(frames, events, [{ onset: frac(0), staff: 1, items: [{ kind: "dynamics", values: ["pp"] }] }, ...words.map(([at, text]) => ({ onset: frac(at), staff: 1, placement: "above" as const, items: [{ kind: "words" as const, text }] }))]) }],
      groups: [],
    });
    const loud = (words: [number, string][]) => checkScore(score(words), db).filter((f) => f.rule === "dynamics").map((f) => f.measure);
    expect(loud([])).toEqual(["1", "2", "3"]);
    expect(checkScore(score([]), db).find((f) => f.rule === "dynamics")!.suggestion).toMatch(/con sord\./);
    expect(loud([[0, "con sord."]])).toEqual([]);
    expect(loud([[0, "con sord."], [2, "senza sord."]])).toEqual(["3"]);
    // The words a score may put it in and take it out with.
    expect(muteWords("Con sordino")).toBe(true);
    expect(muteWords("open")).toBe(false);
    expect(muteWords("cantabile")).toBeUndefined();
  });

  test("a shared wind staff breathes voice by voice: each player's rests count, not only the staff's", () => {
    // Twelve bars of whole notes at the default quarter = 100: 29 s of sound on the staff, but
    // each voice (each bassoonist) plays at most four bars (9.6 s) before a rest of its own.
    const frames = Array.from({ length: 12 }, (_, i) => ({ number: String(i + 1), start: frac(i), duration: frac(1), attributes: i === 0 ? { time: TIME } : {} }));
    const bars = (voice: string, numbers: number[]) => numbers.map((b) => ({ onset: frac(b - 1), duration: frac(1), pitches: [parsePitch(voice === "1" ? "D3" : "G2")!], voice, staff: 1 }));
    const score = (events: ReturnType<typeof bars>): Score => ({
      meta: { creators: [], rights: [] },
      parts: [{ id: "P1", name: "Bassoons", instruments: [{ id: "I1", name: "Bassoons" }], staves: 1, measures: buildMeasures(frames, events, []) }],
      groups: [],
    });
    const shared = score([...bars("1", [1, 2, 3, 4, 6, 7, 8, 9, 11, 12]), ...bars("2", [3, 4, 5, 6, 8, 9, 10, 11])]);
    expect(checkScore(shared, db).filter((f) => f.rule === "breath")).toEqual([]);
    const one = checkScore(score(bars("1", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])), db).filter((f) => f.rule === "breath");
    expect(one.map((f) => [f.part, f.measure, f.message.slice(0, 26)])).toEqual([["Bassoons", "1", "29 s without a rest, ferma"]]);
  });

  test("a real quartet movement has no errors, only warnings", () => {
    const file = corpusFiles("quartets").find((f) => basename(f) === "mozart-k458-mvt1.mxl")!;
    const findings = checkScore(load(file), db);
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  test("an arrangement passes its own linter without errors", () => {
    const sketch = load(corpusFiles("piano").find((f) => f.includes("k545"))!);
    const [a] = arrange(sketch, ensemble(db, "symphony-orchestra"), db);
    const again = readMusicXml(writeMusicXml(a!.score));
    expect(checkScore(again, db).filter((f) => f.severity === "error")).toEqual([]);
  });
});
