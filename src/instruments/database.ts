/**
 * The instrument database: building it, lookups with helpful errors, and ensemble specs. Pure
 * functions over plain objects; parsing and checking the data files is `validate.ts`'s, the file
 * system `src/node/`'s.
 */
import { TuttiError, type ErrorCode } from "../model/errors.js";
import { midiOf, parsePitch, transpose, type Pitch } from "../model/pitch.js";
import type { Transposition } from "../model/score.js";
import type { Ensemble, EnsembleMember, Instrument, Register } from "./schema.js";

export interface Database {
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly ensembles: ReadonlyMap<string, Ensemble>;
}

/** Freezes a parsed value and everything in it, as the database hands them out. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Builds the database; ids must be unique and every ensemble part must name a known instrument.
 * @example createDatabase([flute, cello], [duo]).instruments.get("flute")?.name // "Flute"
 */
export function createDatabase(instruments: readonly Instrument[], ensembles: readonly Ensemble[]): Database {
  const byId = new Map<string, Instrument>();
  for (const i of instruments) {
    if (byId.has(i.id)) throw new TuttiError("BAD_DATA", `instrument id "${i.id}" is defined twice`);
    byId.set(i.id, i);
  }
  const sorted = new Map([...byId.values()].sort(byScoreOrder).map((i) => [i.id, i] as const));
  const db: Database = { instruments: sorted, ensembles: new Map() };
  const ensembleById = new Map<string, Ensemble>();
  for (const e of ensembles) {
    if (ensembleById.has(e.id)) throw new TuttiError("BAD_DATA", `ensemble id "${e.id}" is defined twice`);
    checkEnsemble(db, e, undefined, "BAD_DATA");
    ensembleById.set(e.id, e);
  }
  const sortedEnsembles = new Map([...ensembleById.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return Object.freeze({ instruments: sorted, ensembles: sortedEnsembles });
}

/**
 * Checks that every part of an ensemble names an instrument of the database.
 * @throws TuttiError with `code` (UNKNOWN_INSTRUMENT for a user's file, BAD_DATA for the database's own)
 */
export function checkEnsemble(db: Database, e: Ensemble, file?: string, code: ErrorCode = "UNKNOWN_INSTRUMENT"): Ensemble {
  const where = file ? "" : `ensemble "${e.id}": `;
  const known = (id: string, at: string): Instrument => {
    const found = db.instruments.get(id);
    if (!found) throw new TuttiError(code, `${where}${at}: ${unknownMessage("instrument", id, [...db.instruments.keys()])}`, file);
    return found;
  };
  e.instruments.forEach((m, k) => {
    const usual = known(m.instrument, `instruments[${k}].instrument`);
    (m.or ?? []).forEach((o, j) => {
      const other = known(o.instrument, `instruments[${k}].or[${j}].instrument`);
      // Another key of the same instrument, for the same player: not another instrument.
      if (other.family !== usual.family || other.staves !== usual.staves) {
        throw new TuttiError(code, `${where}instruments[${k}].or[${j}]: ${other.name} cannot stand in for ${usual.name} (another family or number of staves)`, file);
      }
    });
  });
  return e;
}

function byScoreOrder(a: Instrument, b: Instrument): number {
  return a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Looks up an instrument by id.
 * @example instrument(db, "clarinet-bb").shortName // "Cl."
 * @throws TuttiError UNKNOWN_INSTRUMENT: `unknown instrument "flut"; did you mean "flute"?`
 */
export function instrument(db: Database, id: string): Instrument {
  const found = db.instruments.get(id);
  if (!found) throw new TuttiError("UNKNOWN_INSTRUMENT", unknownMessage("instrument", id, [...db.instruments.keys()]));
  return found;
}

/**
 * Looks up an ensemble by id.
 * @example ensemble(db, "string-quartet").instruments.length // 4
 * @throws TuttiError UNKNOWN_ENSEMBLE, listing the known ensembles
 */
export function ensemble(db: Database, id: string): Ensemble {
  const found = db.ensembles.get(id);
  if (!found) throw new TuttiError("UNKNOWN_ENSEMBLE", unknownMessage("ensemble", id, [...db.ensembles.keys()], true));
  return found;
}

/**
 * Resolves an ensemble id or an inline comma list of instrument ids, kept in the order given;
 * a repeated instrument gets numbered part names ("Violin 1", "Violin 2").
 * @example resolveEnsemble(db, "flute,clarinet-bb,cello").instruments.map((m) => m.instrument) // ["flute", "clarinet-bb", "cello"]
 * @example resolveEnsemble(db, "brass-quintet").name // "Brass Quintet"
 */
export function resolveEnsemble(db: Database, spec: string): Ensemble {
  const trimmed = spec.trim();
  const known = db.ensembles.get(trimmed);
  if (known) return known;
  if (!trimmed.includes(",") && !db.instruments.has(trimmed)) {
    const valid = [...db.ensembles.keys()];
    throw new TuttiError(
      "UNKNOWN_ENSEMBLE",
      trimmed === ""
        ? `no ensemble given; known ensembles: ${valid.join(", ")}, or a comma list of instruments`
        : unknownMessage("ensemble", trimmed, valid, true, [...db.instruments.keys()]),
    );
  }
  const ids = trimmed.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const parts = ids.map((id) => instrument(db, id));
  const total = new Map<string, number>();
  for (const i of parts) total.set(i.id, (total.get(i.id) ?? 0) + 1);
  const seen = new Map<string, number>();
  const members: EnsembleMember[] = parts.map((i) => {
    const n = (seen.get(i.id) ?? 0) + 1;
    seen.set(i.id, n);
    return (total.get(i.id) ?? 1) > 1 ? { instrument: i.id, name: `${i.name} ${n}` } : { instrument: i.id };
  });
  return deepFreeze({
    id: "custom",
    name: "Custom ensemble",
    description: `Inline list: ${ids.join(", ")}`,
    instruments: members,
  });
}

/** Instruments in score order. */
export function listInstruments(db: Database): readonly Instrument[] {
  return [...db.instruments.values()];
}

/** Ensembles sorted by id. */
export function listEnsembles(db: Database): readonly Ensemble[] {
  return [...db.ensembles.values()];
}

// ---------------------------------------------------------------------------------------------
// Pitch helpers

/** The key number of a pitch name in the database ("Bb3" → 58); a bad name is a data error. */
export const midiOfName = (name: string): number => {
  // The orchestrator asks for a register's bounds for every note it places: the few hundred
  // names of the database are parsed once.
  let m = KEYS_OF_NAMES.get(name);
  if (m === undefined) {
    const p = parsePitch(name);
    if (!p) throw new TuttiError("BAD_DATA", `expected a pitch like "C4", got ${JSON.stringify(name)}`);
    m = midiOf(p);
    KEYS_OF_NAMES.set(name, m);
  }
  return m;
};

const KEYS_OF_NAMES = new Map<string, number>();

/**
 * The sounding range as MIDI numbers.
 * @example soundingRange(violin) // { low: 55, high: 105 }
 * @example soundingRange(violin, "comfortable") // { low: 55, high: 88 }
 */
export function soundingRange(i: Instrument, kind: "absolute" | "comfortable" = "absolute"): { readonly low: number; readonly high: number } {
  const [low, high] = i.range[kind];
  return Object.freeze({ low: midiOfName(low), high: midiOfName(high) });
}

/**
 * The score's transposition for an instrument's part (from sounding to written), or none for an
 * instrument written at pitch.
 * @example writtenTransposition(clarinetInA) // { diatonic: -2, chromatic: -3 }
 */
export function writtenTransposition(i: Instrument): Transposition | undefined {
  const t = i.transposition;
  return t.diatonic || t.chromatic || t.octave ? { diatonic: t.diatonic, chromatic: t.chromatic, ...(t.octave ? { octaveChange: t.octave } : {}) } : undefined;
}

/** Whether a sounding MIDI number lies in the instrument's range. */
export function inRange(i: Instrument, midi: number, kind: "absolute" | "comfortable" = "absolute"): boolean {
  const r = soundingRange(i, kind);
  return midi >= r.low && midi <= r.high;
}

/** The register a sounding MIDI number falls in, or undefined outside the range. */
export function registerAt(i: Instrument, midi: number): Register | undefined {
  return i.registers.find((r) => midi >= midiOfName(r.from) && midi <= midiOfName(r.to));
}

/**
 * Whether two sounding MIDI notes make a playable double stop on a string instrument: on two
 * adjacent strings, each note at or above its string's open pitch, no wider than the widest
 * stretch. Instruments without double-stop rules answer false.
 * @example isPlayableDoubleStop(violin, 55, 62) // true: open G and open D
 * @example isPlayableDoubleStop(violin, 55, 59) // false: B3 lies below the D string
 */
export function isPlayableDoubleStop(i: Instrument, a: number, b: number): boolean {
  const rules = i.idioms.doubleStops;
  if (!rules) return false;
  const [low, high] = a <= b ? [a, b] : [b, a];
  const range = soundingRange(i);
  if (low < range.low || high > range.high || high - low > rules.maxIntervalSemitones) return false;
  const open = rules.openStrings.map(midiOfName);
  return open.some((lower, k) => {
    const upper = open[k + 1];
    return upper !== undefined && low >= lower && high >= upper;
  });
}

/**
 * Semitones from written to sounding pitch, octave included.
 * @example transpositionSemitones(instrument(db, "horn-f")) // -7
 * @example transpositionSemitones(instrument(db, "double-bass")) // -12
 */
export function transpositionSemitones(i: Instrument): number {
  return i.transposition.chromatic + 12 * (i.transposition.octave ?? 0);
}

/** Diatonic steps from written to sounding pitch, octave included. */
export function transpositionSteps(i: Instrument): number {
  return i.transposition.diatonic + 7 * (i.transposition.octave ?? 0);
}

/**
 * The sounding pitch of a written one, keeping the spelling by interval.
 * @example soundingPitch(clarinetBb, pitch("D", 0, 5)) // C5
 */
export function soundingPitch(i: Instrument, written: Pitch): Pitch {
  return transpose(written, transpositionSteps(i), transpositionSemitones(i));
}

/**
 * The written pitch of a sounding one, keeping the spelling by interval.
 * @example writtenPitch(hornF, pitch("B", -1, 3)) // F4
 */
export function writtenPitch(i: Instrument, sounding: Pitch): Pitch {
  return transpose(sounding, -transpositionSteps(i), -transpositionSemitones(i));
}

// ---------------------------------------------------------------------------------------------
// Suggestions for unknown ids

function unknownMessage(kind: string, id: string, valid: readonly string[], listAll = false, alsoValid: readonly string[] = []): string {
  const close = closeIds(id, [...valid, ...alsoValid]);
  const quoted = (ids: readonly string[]): string => ids.map((s) => `"${s}"`).join(", ");
  let msg = `unknown ${kind} "${id}"`;
  if (close.length > 0) msg += `; did you mean ${quoted(close)}?`;
  if (listAll || close.length === 0) msg += `; known ${kind}s: ${valid.join(", ")}`;
  if (kind === "ensemble") msg += "; or give a comma list of instrument ids (see `tutti instruments`)";
  return msg;
}

/** Ids within a small edit distance of `id`, or containing it (or contained in it). */
function closeIds(id: string, valid: readonly string[]): string[] {
  const needle = id.toLowerCase();
  const scored = valid
    .map((v) => ({ v, d: editDistance(needle, v) }))
    .filter(({ v, d }) => d <= Math.max(2, Math.floor(needle.length / 3)) || (needle.length >= 3 && (v.includes(needle) || needle.includes(v) && v.length >= 4)))
    .sort((a, b) => a.d - b.d || (a.v < b.v ? -1 : 1));
  return [...new Set(scored.map((s) => s.v))].slice(0, 5);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
