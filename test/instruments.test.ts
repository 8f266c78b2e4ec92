/**
 * The instrument database: invariants over every data file, spot checks against the reference
 * figures, and the errors people see for bad data and unknown names.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { afterEach, beforeAll, describe, expect, it, test, vi } from "vitest";
import { registerInstruments } from "../src/cli/instruments.js";
import {
  createDatabase,
  ensemble,
  instrument,
  isPlayableDoubleStop,
  registerAt,
  resolveEnsemble,
  soundingPitch,
  soundingRange,
  transpositionSemitones,
  transpositionSteps,
  writtenPitch,
  type Database,
} from "../src/instruments/database.js";
import { builtinDatabase, ensembles, instruments } from "../src/instruments/builtin.js";
import { loadEnsemble } from "../src/instruments/load-ensemble.js";
import { parseEnsemble, parseInstrument } from "../src/instruments/validate.js";
import { FAMILIES, SOURCE_KEYS, type Ensemble, type Instrument } from "../src/instruments/schema.js";
import { TuttiError } from "../src/model/errors.js";
import { midiOf, nameOf, parsePitch, pitch } from "../src/model/pitch.js";
import { defaultInstrumentsDir, loadDatabase, loadEnsembleSpec } from "../src/node/instruments.js";

const ROOT = defaultInstrumentsDir();
const INSTRUMENT_DIR = join(ROOT, "instruments");
const ENSEMBLE_DIR = join(ROOT, "ensembles");
const jsonFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const instrumentFiles = jsonFiles(INSTRUMENT_DIR);
const ensembleFiles = jsonFiles(ENSEMBLE_DIR);
const raw = (dir: string, file: string): string => readFileSync(join(dir, file), "utf8");

/** MIDI number of a pitch name; fails the test on a bad name instead of returning NaN. */
const m = (name: string): number => {
  const p = parsePitch(name);
  if (!p) throw new Error(`bad pitch name ${name}`);
  return midiOf(p);
};

/** Catches a thrown TuttiError so its code and message can be checked. */
function thrown(f: () => unknown): TuttiError {
  try {
    f();
  } catch (err) {
    if (err instanceof TuttiError) return err;
    throw err;
  }
  throw new Error("expected a TuttiError, nothing was thrown");
}
async function thrownAsync(f: () => Promise<unknown>): Promise<TuttiError> {
  try {
    await f();
  } catch (err) {
    if (err instanceof TuttiError) return err;
    throw err;
  }
  throw new Error("expected a TuttiError, nothing was thrown");
}

let db: Database;
let all: Instrument[];
beforeAll(async () => {
  db = await loadDatabase();
  all = [...db.instruments.values()];
});

const REQUIRED_INSTRUMENTS = [
  "piccolo", "flute", "alto-flute", "oboe", "english-horn", "clarinet-bb", "clarinet-a", "clarinet-eb",
  "bass-clarinet", "bassoon", "contrabassoon", "soprano-sax", "alto-sax", "tenor-sax", "baritone-sax",
  "horn-f", "trumpet-bb", "trumpet-c", "trombone", "bass-trombone", "euphonium", "tuba", "timpani",
  "glockenspiel", "xylophone", "vibraphone", "marimba", "celesta", "harp", "piano", "organ", "guitar",
  "bass-guitar", "violin", "viola", "cello", "double-bass", "soprano", "mezzo-soprano", "alto", "tenor",
  "baritone", "bass",
];
const REQUIRED_ENSEMBLES = [
  "string-quartet", "string-orchestra", "woodwind-quintet", "brass-quintet", "saxophone-quartet",
  "satb-choir", "chamber-orchestra", "symphony-orchestra", "concert-band", "piano-trio",
];

describe("data files", () => {
  it("has at least 40 instruments and 10 ensembles, including the required ids", () => {
    expect(instrumentFiles.length).toBeGreaterThanOrEqual(40);
    expect(ensembleFiles.length).toBeGreaterThanOrEqual(10);
    expect([...db.instruments.keys()]).toEqual(expect.arrayContaining(REQUIRED_INSTRUMENTS));
    expect([...db.ensembles.keys()]).toEqual(expect.arrayContaining(REQUIRED_ENSEMBLES));
    expect(db.instruments.size).toBe(instrumentFiles.length);
    expect(db.ensembles.size).toBe(ensembleFiles.length);
  });

  it.each(instrumentFiles)("instruments/%s passes the schema and its id matches the file name", (file) => {
    const i = parseInstrument(raw(INSTRUMENT_DIR, file), file);
    expect(`${i.id}.json`).toBe(file);
  });

  it.each(ensembleFiles)("ensembles/%s passes the schema and its id matches the file name", (file) => {
    const e = parseEnsemble(raw(ENSEMBLE_DIR, file), file);
    expect(`${e.id}.json`).toBe(file);
  });
});

// These re-check, independently of the schema code, what the schema promises.
describe("instrument invariants", () => {
  const sounds = new Set(
    [...readFileSync(new URL("../fixtures/schema/sounds.xml", import.meta.url), "utf8").matchAll(/<sound id="([^"]+)"\s*\/>/g)].map((x) => x[1]!),
  );

  it("reads the MusicXML sound list", () => {
    expect(sounds.size).toBeGreaterThan(800);
    expect(sounds.has("strings.violin")).toBe(true);
  });

  it("every sound id exists in MusicXML's sounds.xml and every MIDI program is 1–128", () => {
    const bad = all.filter((i) => !sounds.has(i.sound)).map((i) => `${i.id}: ${i.sound}`);
    expect(bad).toEqual([]);
    for (const i of all) expect(i.midiProgram, i.id).toBeGreaterThanOrEqual(1), expect(i.midiProgram, i.id).toBeLessThanOrEqual(128);
  });

  it("absolute ranges are ordered and the comfortable range lies inside", () => {
    for (const i of all) {
      const [lo, hi] = i.range.absolute.map(m) as [number, number];
      const [clo, chi] = i.range.comfortable.map(m) as [number, number];
      expect(lo, i.id).toBeLessThan(hi);
      expect(clo, i.id).toBeLessThan(chi);
      expect(clo, i.id).toBeGreaterThanOrEqual(lo);
      expect(chi, i.id).toBeLessThanOrEqual(hi);
      expect(soundingRange(i)).toEqual({ low: lo, high: hi });
    }
  });

  it("registers cover the absolute range without gaps or overlaps, louder with each dynamic", () => {
    for (const i of all) {
      const [lo, hi] = i.range.absolute.map(m) as [number, number];
      let next = lo;
      for (const r of i.registers) {
        expect(m(r.from), `${i.id} register ${r.from}`).toBe(next);
        expect(m(r.to), `${i.id} register ${r.to}`).toBeGreaterThanOrEqual(m(r.from));
        expect(r.loudness.p, i.id).toBeLessThanOrEqual(r.loudness.mf);
        expect(r.loudness.mf, i.id).toBeLessThanOrEqual(r.loudness.f);
        next = m(r.to) + 1;
      }
      expect(next - 1, `${i.id} registers end`).toBe(hi);
      for (let k = lo; k <= hi; k++) expect(registerAt(i, k), `${i.id} ${k}`).toBeDefined();
      expect(registerAt(i, lo - 1)).toBeUndefined();
    }
  });

  it("clefs are used inside the range, on existing staves, and cover it", () => {
    for (const i of all) {
      const [lo, hi] = i.range.absolute.map(m) as [number, number];
      for (const c of i.clefs) {
        expect(m(c.range[0]), `${i.id} ${c.sign}`).toBeGreaterThanOrEqual(lo);
        expect(m(c.range[1]), `${i.id} ${c.sign}`).toBeLessThanOrEqual(hi);
        expect(c.staff ?? 1, i.id).toBeLessThanOrEqual(i.staves);
      }
      for (let k = lo; k <= hi; k++) {
        expect(i.clefs.some((c) => m(c.range[0]) <= k && k <= m(c.range[1])), `${i.id} ${k} has a clef`).toBe(true);
      }
    }
  });

  it("sorting by `order` gives standard score order by family, with unique positions", () => {
    const families = [...all].sort((a, b) => a.order - b.order).map((i) => FAMILIES.indexOf(i.family));
    expect(families).toEqual([...families].sort((a, b) => a - b));
    expect(new Set(all.map((i) => i.order)).size).toBe(all.length);
    const order = (id: string): number => instrument(db, id).order;
    expect(order("flute")).toBeLessThan(order("oboe"));
    expect(order("bassoon")).toBeLessThan(order("horn-f"));
    expect(order("horn-f")).toBeLessThan(order("trumpet-bb"));
    expect(order("tuba")).toBeLessThan(order("timpani"));
    expect(order("timpani")).toBeLessThan(order("glockenspiel"));
    expect(order("harp")).toBeLessThan(order("piano"));
    expect(order("piano")).toBeLessThan(order("soprano"));
    expect(order("bass")).toBeLessThan(order("violin"));
    expect(order("viola")).toBeLessThan(order("cello"));
  });

  it("every figure group names a source listed in the file and in SOURCES.md", () => {
    const documented = [...readFileSync(join(ROOT, "SOURCES.md"), "utf8").matchAll(/^\| `([a-z]+)` \|/gm)].map((x) => x[1]);
    expect(documented.sort()).toEqual([...SOURCE_KEYS].sort());
    for (const i of all) {
      const groups = [i.range, ...i.registers, ...i.clefs, i.idioms.agility, i.idioms.breath, i.idioms.endurance, i.idioms.doubleStops];
      for (const g of groups) if (g) expect(i.sources, i.id).toContain(g.source);
    }
  });

  it("winds, brass and voices breathe; strings have double-stop rules; brass has endurance", () => {
    for (const i of all) {
      const breathes = ["woodwind", "brass", "voice"].includes(i.family);
      expect(i.idioms.breath !== undefined, `${i.id} breath`).toBe(breathes);
      expect(i.idioms.doubleStops !== undefined, `${i.id} double stops`).toBe(i.family === "strings");
      if (i.family === "brass") expect(i.idioms.endurance, i.id).toBeDefined();
      if (breathes) expect(i.polyphony, i.id).toBe(1);
    }
  });
});

describe("reference figures (Adler, Piston, MuseScore)", () => {
  // [id, absolute low, absolute high]
  const ranges: [string, string, string][] = [
    ["violin", "G3", "A7"],
    ["viola", "C3", "E6"],
    ["cello", "C2", "C6"],
    ["double-bass", "E1", "G4"],
    ["flute", "C4", "D7"],
    ["piccolo", "D5", "C8"],
    ["oboe", "Bb3", "A6"],
    ["clarinet-bb", "D3", "Bb6"],
    ["bassoon", "Bb1", "E5"],
    ["horn-f", "B1", "F5"],
    ["trombone", "E2", "F5"],
    ["tuba", "D1", "F4"],
    ["piano", "A0", "C8"],
    ["harp", "Cb1", "G#7"],
    ["soprano", "C4", "C6"],
    ["alto", "F3", "F5"],
    ["tenor", "C3", "C5"],
    ["bass", "E2", "E4"],
  ];
  it.each(ranges)("%s sounds %s–%s", (id, low, high) => {
    expect(soundingRange(instrument(db, id))).toEqual({ low: m(low), high: m(high) });
  });

  it("the violin's lowest note is its open G string, G3 = MIDI 55; the cello's is C2 = 36", () => {
    expect(soundingRange(instrument(db, "violin")).low).toBe(55);
    expect(soundingRange(instrument(db, "cello")).low).toBe(36);
    expect(instrument(db, "violin").idioms.doubleStops?.openStrings).toEqual(["G3", "D4", "A4", "E5"]);
  });

  // [id, diatonic steps, semitones] from written to sounding, octaves included
  const transpositions: [string, number, number][] = [
    ["clarinet-bb", -1, -2], // major second down
    ["clarinet-a", -2, -3], // minor third down
    ["clarinet-eb", 2, 3], // minor third up
    ["horn-f", -4, -7], // perfect fifth down
    ["english-horn", -4, -7],
    ["alto-flute", -3, -5], // perfect fourth down
    ["trumpet-bb", -1, -2],
    ["bass-clarinet", -8, -14], // major ninth down
    ["alto-sax", -5, -9], // major sixth down
    ["tenor-sax", -8, -14],
    ["baritone-sax", -12, -21], // octave + major sixth down
    ["double-bass", -7, -12], // octave down
    ["contrabassoon", -7, -12],
    ["guitar", -7, -12],
    ["bass-guitar", -7, -12],
    ["piccolo", 7, 12], // octave up
    ["celesta", 7, 12],
    ["xylophone", 7, 12],
    ["glockenspiel", 14, 24], // two octaves up
    ["trumpet-c", 0, 0],
    ["tenor", 0, 0], // read in treble-8vb, not transposed
    ["violin", 0, 0],
  ];
  it.each(transpositions)("%s transposes by %i steps, %i semitones", (id, steps, semitones) => {
    const i = instrument(db, id);
    expect(transpositionSteps(i)).toBe(steps);
    expect(transpositionSemitones(i)).toBe(semitones);
  });

  it("transposes by interval, keeping spelling", () => {
    const cl = instrument(db, "clarinet-bb");
    expect(nameOf(soundingPitch(cl, pitch("D", 0, 5)))).toBe("C5");
    expect(nameOf(writtenPitch(cl, pitch("D", 0, 4)))).toBe("E4"); // not F♭4
    expect(nameOf(writtenPitch(instrument(db, "horn-f"), pitch("B", -1, 3)))).toBe("F4");
    expect(nameOf(writtenPitch(instrument(db, "double-bass"), pitch("E", 0, 1)))).toBe("E2");
    expect(nameOf(writtenPitch(instrument(db, "alto-sax"), pitch("C", 0, 4)))).toBe("A4");
  });

  it("double stops: adjacent strings, each note on or above its string, within the stretch", () => {
    const violin = instrument(db, "violin");
    expect(isPlayableDoubleStop(violin, m("G3"), m("D4"))).toBe(true); // open fifth
    expect(isPlayableDoubleStop(violin, m("B3"), m("G4"))).toBe(true); // sixth on G and D strings
    expect(isPlayableDoubleStop(violin, m("G3"), m("B3"))).toBe(false); // both only on the G string
    expect(isPlayableDoubleStop(violin, m("A4"), m("D6"))).toBe(false); // wider than a tenth
    expect(isPlayableDoubleStop(violin, m("F3"), m("C4"))).toBe(false); // below the range
    expect(isPlayableDoubleStop(instrument(db, "cello"), m("C2"), m("G2"))).toBe(true);
    expect(isPlayableDoubleStop(instrument(db, "flute"), m("C5"), m("E5"))).toBe(false);
  });

  it("the tenor voice reads treble-8vb and the viola alto clef, the cello bass → tenor → treble", () => {
    expect(instrument(db, "tenor").clefs[0]).toMatchObject({ sign: "G", line: 2, octaveChange: -1 });
    expect(instrument(db, "viola").clefs.map((c) => `${c.sign}${c.line}`)).toEqual(["C3", "G2"]);
    expect(instrument(db, "cello").clefs.map((c) => `${c.sign}${c.line}`)).toEqual(["F4", "C4", "G2"]);
    expect(instrument(db, "bassoon").clefs.map((c) => `${c.sign}${c.line}`)).toEqual(["F4", "C4"]);
    for (const id of ["piano", "harp", "celesta", "marimba"]) expect(instrument(db, id).staves, id).toBe(2);
  });

  it("polyphony: one for winds, two mallets on timpani, ten fingers on the piano", () => {
    expect(instrument(db, "flute").polyphony).toBe(1);
    expect(instrument(db, "timpani").polyphony).toBe(2);
    expect(instrument(db, "piano").polyphony).toBe(10);
    expect(instrument(db, "guitar").polyphony).toBe(6);
    expect(instrument(db, "violin").polyphony).toBe(4);
  });

  it("balance: a low flute at f is quieter than a trumpet at mf", () => {
    const flute = instrument(db, "flute");
    const trumpet = instrument(db, "trumpet-bb");
    const lowFlute = registerAt(flute, m("D4"))!;
    const midTrumpet = registerAt(trumpet, m("F4"))!;
    expect(lowFlute.loudness.f).toBeLessThan(midTrumpet.loudness.mf);
    expect(registerAt(instrument(db, "clarinet-bb"), m("E3"))?.timbre).toContain("dark");
  });
});

describe("ensembles", () => {
  const ids = (e: Ensemble): string[] => e.instruments.map((x) => x.instrument);

  it("every ensemble part names a known instrument", () => {
    for (const e of db.ensembles.values()) for (const x of e.instruments) expect(db.instruments.has(x.instrument), `${e.id}: ${x.instrument}`).toBe(true);
  });

  // Chamber groups and bands keep their own conventions (the horn between clarinet and bassoon
  // in a wind quintet, the piano at the bottom of a trio, bassoons before clarinets in a band),
  // so only orchestras, choirs and like-instrument groups are checked against `order`.
  it.each(["string-quartet", "string-orchestra", "saxophone-quartet", "satb-choir", "chamber-orchestra", "symphony-orchestra"])(
    "%s lists its parts in standard score order",
    (id) => {
      const e = ensemble(db, id);
      const orders = e.instruments.map((x) => instrument(db, x.instrument).order);
      expect(orders, e.id).toEqual([...orders].sort((a, b) => a - b));
    },
  );

  it("has the standard line-ups", () => {
    expect(ids(ensemble(db, "string-quartet"))).toEqual(["violin", "violin", "viola", "cello"]);
    expect(ids(ensemble(db, "woodwind-quintet"))).toEqual(["flute", "oboe", "clarinet-bb", "horn-f", "bassoon"]);
    expect(ids(ensemble(db, "satb-choir"))).toEqual(["soprano", "alto", "tenor", "bass"]);
    expect(ids(ensemble(db, "piano-trio"))).toEqual(["violin", "cello", "piano"]);
    expect(ids(ensemble(db, "saxophone-quartet"))).toEqual(["soprano-sax", "alto-sax", "tenor-sax", "baritone-sax"]);
    const strings = ensemble(db, "string-orchestra");
    expect(ids(strings)).toEqual(["violin", "violin", "viola", "cello", "double-bass"]);
    expect(strings.instruments.every((x) => x.section && x.divisi)).toBe(true);
    const players = (e: Ensemble, id: string): number => e.instruments.filter((x) => x.instrument === id).reduce((n, x) => n + (x.count ?? 1), 0);
    const symphony = ensemble(db, "symphony-orchestra");
    expect(players(symphony, "horn-f")).toBe(4);
    expect(players(symphony, "trumpet-bb") + players(symphony, "trumpet-c")).toBe(3);
    expect(players(symphony, "trombone") + players(symphony, "bass-trombone")).toBe(3);
    expect(players(symphony, "tuba")).toBe(1);
    expect(players(symphony, "piccolo") + players(symphony, "flute")).toBe(3);
    const chamber = ensemble(db, "chamber-orchestra");
    for (const id of ["flute", "oboe", "clarinet-bb", "bassoon", "horn-f", "trumpet-bb"]) expect(players(chamber, id), id).toBe(2);
  });
});

describe("errors for people", () => {
  const flute = (): Record<string, any> => JSON.parse(raw(INSTRUMENT_DIR, "flute.json"));
  const FILE = "instruments/instruments/flute.json";

  it("a bad pitch names the file, the field path and the value", () => {
    const data = flute();
    data.range.absolute[0] = "H4";
    const err = thrown(() => parseInstrument(JSON.stringify(data), FILE));
    expect(err.code).toBe("BAD_DATA");
    expect(err.file).toBe(FILE);
    expect(err.message).toBe(`${FILE}: range.absolute[0]: expected a pitch like "C4", got "H4"`);
  });

  it("a missing field, a wrong type, an unknown key and bad JSON are named", () => {
    const missing = flute();
    delete missing.sound;
    expect(thrown(() => parseInstrument(JSON.stringify(missing), FILE)).message).toMatch(/^instruments\/instruments\/flute\.json: sound: /);
    const wrong = flute();
    wrong.registers[1].loudness.mf = "loud";
    expect(thrown(() => parseInstrument(JSON.stringify(wrong), FILE)).message).toMatch(/: registers\[1\]\.loudness\.mf: .*number/);
    const extra = flute();
    extra.range.lowest = "C4";
    expect(thrown(() => parseInstrument(JSON.stringify(extra), FILE)).message).toMatch(/: range: .*lowest/);
    const bad = thrown(() => parseInstrument("{ not json", FILE));
    expect(bad.code).toBe("BAD_DATA");
    expect(bad.message).toMatch(/^instruments\/instruments\/flute\.json: not valid JSON/);
  });

  it("inconsistent figures are refused: reversed range, comfortable outside, register gap, unlisted source", () => {
    const reversed = flute();
    reversed.range.absolute = ["D7", "C4"];
    expect(thrown(() => parseInstrument(JSON.stringify(reversed), FILE)).message).toMatch(/range\.absolute: low D7 must be below high C4/);
    const outside = flute();
    outside.range.comfortable[0] = "A3";
    expect(thrown(() => parseInstrument(JSON.stringify(outside), FILE)).message).toMatch(/range\.comfortable\[0\]: A3 is below the absolute range/);
    const gap = flute();
    gap.registers[1].from = "A4";
    expect(thrown(() => parseInstrument(JSON.stringify(gap), FILE)).message).toMatch(/registers\[1\]\.from: A4 leaves a gap/);
    const unlisted = flute();
    unlisted.range.source = "piston";
    expect(thrown(() => parseInstrument(JSON.stringify(unlisted), FILE)).message).toMatch(/range\.source: source "piston" is not in this file's "sources"/);
    const unknownSource = flute();
    unknownSource.range.source = "wikipedia";
    expect(thrown(() => parseInstrument(JSON.stringify(unknownSource), FILE)).message).toMatch(/range\.source: /);
  });

  it("the loader refuses an id that does not match its file name, naming the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tutti-instruments-"));
    cpSync(ROOT, dir, { recursive: true });
    const data = flute();
    data.id = "flauto";
    writeFileSync(join(dir, "instruments", "flute.json"), JSON.stringify(data));
    const err = await thrownAsync(() => loadDatabase(dir));
    expect(err.code).toBe("BAD_DATA");
    expect(err.message).toMatch(/flute\.json: id: "flauto" does not match the file name/);
  });

  it("the database refuses duplicate ids and ensembles with unknown instruments", () => {
    const i = instrument(db, "flute");
    expect(thrown(() => createDatabase([i, i], [])).code).toBe("BAD_DATA");
    const duo = parseEnsemble(JSON.stringify({ id: "duo", name: "Duo", description: "d", instruments: [{ instrument: "flute" }, { instrument: "horn" }] }), "duo.json");
    const err = thrown(() => createDatabase([i, instrument(db, "horn-f")], [duo]));
    expect(err.code).toBe("BAD_DATA");
    expect(err.message).toMatch(/ensemble "duo": instruments\[1\]\.instrument: unknown instrument "horn"; did you mean "horn-f"/);
  });

  it("an unknown ensemble gives UNKNOWN_ENSEMBLE with close and valid ids", () => {
    const err = thrown(() => ensemble(db, "string-quartett"));
    expect(err.code).toBe("UNKNOWN_ENSEMBLE");
    expect(err.message).toMatch(/did you mean "string-quartet"/);
    expect(err.message).not.toMatch(/\n/);
    const viaSpec = thrown(() => resolveEnsemble(db, "gamelan"));
    expect(viaSpec.code).toBe("UNKNOWN_ENSEMBLE");
    expect(viaSpec.message).toMatch(/; known ensembles: .*string-quartet/);
  });

  it("an unknown instrument gives UNKNOWN_INSTRUMENT with suggestions", () => {
    const err = thrown(() => instrument(db, "flut"));
    expect(err.code).toBe("UNKNOWN_INSTRUMENT");
    expect(err.message).toMatch(/unknown instrument "flut"; did you mean "flute"/);
    expect(thrown(() => instrument(db, "clarinet")).message).toMatch(/"clarinet-a", "clarinet-bb", "clarinet-eb"/);
    expect(thrown(() => resolveEnsemble(db, "flute,clarinett")).code).toBe("UNKNOWN_INSTRUMENT");
  });
});

describe("ensemble specs", () => {
  it("an inline comma list resolves in the order given", () => {
    const e = resolveEnsemble(db, "flute, clarinet-bb,cello");
    expect(e.instruments.map((x) => x.instrument)).toEqual(["flute", "clarinet-bb", "cello"]);
    expect(resolveEnsemble(db, "violin").instruments).toEqual([{ instrument: "violin" }]);
  });

  it("repeated instruments in a list get numbered part names", () => {
    const e = resolveEnsemble(db, "violin,violin,viola,cello");
    expect(e.instruments.map((x) => x.name)).toEqual(["Violin 1", "Violin 2", undefined, undefined]);
  });

  it("loadEnsembleSpec takes an id, a user's file or a list", async () => {
    expect((await loadEnsembleSpec(db, "brass-quintet")).name).toBe("Brass Quintet");
    expect((await loadEnsembleSpec(db, "oboe,bassoon")).instruments).toHaveLength(2);
    const dir = mkdtempSync(join(tmpdir(), "tutti-ensemble-"));
    const file = join(dir, "my.json");
    writeFileSync(file, JSON.stringify({ id: "my-trio", name: "My Trio", description: "Reed trio.", instruments: [{ instrument: "oboe" }, { instrument: "clarinet-bb" }, { instrument: "bassoon" }] }));
    expect((await loadEnsembleSpec(db, file)).id).toBe("my-trio");
    writeFileSync(file, JSON.stringify({ id: "my-trio", name: "My Trio", description: "Reed trio.", instruments: [{ instrument: "obo" }] }));
    const err = await thrownAsync(() => loadEnsembleSpec(db, file));
    expect(err.code).toBe("UNKNOWN_INSTRUMENT");
    expect(err.message).toBe(`${file}: instruments[0].instrument: unknown instrument "obo"; did you mean "oboe"?`);
    expect((await thrownAsync(() => loadEnsembleSpec(db, join(dir, "missing.json")))).code).toBe("FILE_NOT_FOUND");
  });
});

describe("tutti instruments / ensembles", () => {
  let out = "";
  afterEach(() => vi.restoreAllMocks());
  async function run(...args: string[]): Promise<string> {
    out = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const program = new Command("tutti").exitOverride();
    registerInstruments(program);
    await program.parseAsync(["node", "tutti", ...args]);
    vi.restoreAllMocks();
    return out;
  }

  it("instruments --json gives ids, names, families, sounds, transpositions and ranges", async () => {
    const list = JSON.parse(await run("instruments", "--json")) as Instrument[];
    expect(list.length).toBe(db.instruments.size);
    const clarinet = list.find((i) => i.id === "clarinet-bb")!;
    expect(clarinet).toMatchObject({ name: "Clarinet in B♭", family: "woodwind", sound: "wind.reed.clarinet.bflat", transposition: { diatonic: -1, chromatic: -2 } });
    expect(clarinet.range).toMatchObject({ absolute: ["D3", "Bb6"], comfortable: ["D3", "F6"] });
  });

  it("instruments prints an aligned table in score order", async () => {
    const lines = (await run("instruments")).trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+FAMILY\s+RANGE \(SOUNDING\)/);
    expect(lines[1]).toMatch(/^piccolo\s+Piccolo\s+woodwind\s+D5–C8/);
    const column = lines[0]!.indexOf("FAMILY");
    for (const line of lines.slice(1)) expect(line.slice(column, column + 6)).toMatch(/^[a-z]/);
  });

  it("ensembles --json lists instrument ids in order", async () => {
    const list = JSON.parse(await run("ensembles", "--json")) as { id: string; name: string; instruments: string[] }[];
    expect(list.find((e) => e.id === "string-quartet")?.instruments).toEqual(["violin", "violin", "viola", "cello"]);
    expect((await run("ensembles")).split("\n")[0]).toMatch(/^ID\s+NAME\s+PARTS\s+INSTRUMENTS$/);
  });
});

describe("built-in database (no file system, for the browser)", () => {
  test("the generated module holds exactly the instruments/ folder", () => {
    // The build script's own check (tests import nothing from scripts/), which checks every file
    // against the schema too. Out of date after editing a JSON file? `npm run build` regenerates it.
    const script = fileURLToPath(new URL("../scripts/bundle-instruments.ts", import.meta.url));
    const check = spawnSync(process.execPath, ["--import", "tsx", script, "--check"], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  test("builtinDatabase equals the database read from disk and checked now, key for key", async () => {
    const disk = await loadDatabase(defaultInstrumentsDir());
    const builtin = builtinDatabase();
    expect(await loadDatabase()).toBe(builtin);
    expect([...builtin.instruments.keys()]).toEqual([...disk.instruments.keys()]);
    expect([...builtin.ensembles.keys()]).toEqual([...disk.ensembles.keys()]);
    // The same objects, keys in the same order (as JSON shows them), frozen alike.
    expect(JSON.stringify([...builtin.instruments.values(), ...builtin.ensembles.values()])).toBe(JSON.stringify([...disk.instruments.values(), ...disk.ensembles.values()]));
    expect(builtin.instruments.get("horn-f")).toStrictEqual(disk.instruments.get("horn-f"));
    expect(Object.isFrozen(builtin.instruments.get("violin")!.range.absolute)).toBe(true);
    expect(instruments().length).toBe(disk.instruments.size);
    expect(ensembles().map((e) => e.id)).toContain("symphony-orchestra");
  });

  test("loadEnsemble takes an id, a comma list or ensemble JSON, and names what is unknown", () => {
    expect(loadEnsemble("string-quartet").instruments.map((m) => m.instrument)).toEqual(["violin", "violin", "viola", "cello"]);
    expect(loadEnsemble("flute, cello").instruments.map((m) => m.instrument)).toEqual(["flute", "cello"]);
    const json = JSON.stringify({ id: "duo", name: "Duo", description: "Two", instruments: [{ instrument: "oboe" }, { instrument: "bassoon" }] });
    expect(loadEnsemble(json).name).toBe("Duo");
    expect(() => loadEnsemble("string-quartett")).toThrow(/string-quartet/);
    expect(() => loadEnsemble(JSON.stringify({ id: "x", name: "X", description: "A kazoo band", instruments: [{ instrument: "kazoo" }] }))).toThrow(/kazoo/);
  });
});
