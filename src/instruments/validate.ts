/**
 * The instrument and ensemble data files parsed and checked against their schema (zod). The
 * checks go beyond shapes: ranges must be ordered, the comfortable range must lie inside the
 * absolute one, registers must tile the absolute range, and every figure must name a source the
 * file lists. A bad file is refused with the field path of the problem.
 *
 * Tutti's own files are checked when `scripts/bundle-instruments.ts` builds them into
 * `builtin-data.generated.ts`; at run time this module, and zod with it, is loaded only for a
 * user's own files and ensemble JSON (zod alone adds a fifth to the memory `tutti arrange` starts
 * with).
 */
import { z } from "zod";
import { TuttiError } from "../model/errors.js";
import { midiOf, parsePitch } from "../model/pitch.js";
import { createDatabase, deepFreeze, type Database } from "./database.js";
import { FAMILIES, SOURCE_KEYS, type Ensemble, type Instrument } from "./schema.js";

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const INTERVAL = /^[mMPAd][1-9]\d?$/;

const id = z.string().regex(ID, { message: 'expected a lower-case id like "clarinet-bb"' });
const text = z.string().min(1);
const source = z.enum(SOURCE_KEYS);

const pitchName = z.string().superRefine((s, ctx) => {
  // continue: false so that the cross-field checks below never see an unreadable pitch.
  if (!parsePitch(s)) ctx.addIssue({ code: "custom", message: `expected a pitch like "C4", got ${JSON.stringify(s)}`, continue: false });
});
const span = z.tuple([pitchName, pitchName]);
const weight = z.number().min(0).max(10);
const level = z.int().min(1).max(5);

const transposition = z.strictObject({
  diatonic: z.int(),
  chromatic: z.int(),
  octave: z.int().optional(),
  source: source.optional(),
});

const clefUse = z.strictObject({
  sign: z.enum(["G", "F", "C", "percussion"]),
  line: z.int().min(1).max(5),
  octaveChange: z.int().min(-2).max(2).optional(),
  staff: z.int().min(1).max(3).optional(),
  range: span,
  note: text.optional(),
  source,
});

const register = z.strictObject({
  from: pitchName,
  to: pitchName,
  name: text.optional(),
  timbre: z.array(text).min(1),
  loudness: z.strictObject({ p: weight, mf: weight, f: weight }),
  source,
  loudnessSource: source.optional(),
});

const idioms = z.strictObject({
  breath: z.strictObject({ maxPhraseSeconds: z.number().positive().max(60), source }).optional(),
  doubleStops: z
    .strictObject({
      openStrings: z.array(pitchName).min(2),
      adjacentStringsOnly: z.boolean(),
      maxIntervalSemitones: z.int().min(1).max(24),
      maxNotes: z.int().min(2).max(6),
      easy: z.array(z.string().regex(INTERVAL, { message: 'expected an interval like "m3" or "P5"' })),
      hard: z.array(z.string().regex(INTERVAL, { message: 'expected an interval like "m3" or "P5"' })),
      note: text.optional(),
      source,
    })
    .optional(),
  agility: z.strictObject({ level, words: text, source }),
  endurance: z.strictObject({ level, words: text, source }).optional(),
  mute: z.strictObject({ softer: z.number().positive().max(5), changeSeconds: z.number().positive().max(30), words: text, source }).optional(),
  notes: z.array(text),
});

const baseInstrument = z.strictObject({
  id,
  name: text,
  shortName: text,
  family: z.enum(FAMILIES),
  order: z.int().min(0),
  sound: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, { message: 'expected a MusicXML sound id like "strings.violin"' }),
  midiProgram: z.int().min(1).max(128),
  transposition,
  staves: z.int().min(1).max(3),
  clefs: z.array(clefUse).min(1),
  range: z.strictObject({ absolute: span, comfortable: span, note: text.optional(), source }),
  registers: z.array(register).min(1),
  polyphony: z.int().min(1).max(16),
  idioms,
  orchestration: z
    .strictObject({
      doubles: z.array(z.enum(["melody", "bass", "inner"])),
      octaves: z.array(z.int().min(-3).max(3)).min(1).optional(),
      forteOnly: z.boolean().optional(),
      decorative: z.boolean().optional(),
      tonicDominant: z.boolean().optional(),
      source,
    })
    .optional(),
  sources: z.array(source).min(1),
});

type Path = (string | number)[];
type Issue = (path: Path, message: string) => void;
const midi = (name: string): number => midiOf(parsePitch(name)!);

/** The checks that span fields: run only once every field has the right shape. */
function checkInstrument(i: z.infer<typeof baseInstrument>, issue: Issue): void {
  const pitches = [...i.range.absolute, ...i.range.comfortable, ...i.registers.flatMap((r) => [r.from, r.to]), ...i.clefs.flatMap((c) => c.range)];
  if (!pitches.every((name) => parsePitch(name))) return; // already reported field by field
  const [low, high] = i.range.absolute.map(midi) as [number, number];
  const [cLow, cHigh] = i.range.comfortable.map(midi) as [number, number];
  if (low >= high) issue(["range", "absolute"], `low ${i.range.absolute[0]} must be below high ${i.range.absolute[1]}`);
  if (cLow >= cHigh) issue(["range", "comfortable"], `low ${i.range.comfortable[0]} must be below high ${i.range.comfortable[1]}`);
  if (cLow < low) issue(["range", "comfortable", 0], `${i.range.comfortable[0]} is below the absolute range (${i.range.absolute[0]})`);
  if (cHigh > high) issue(["range", "comfortable", 1], `${i.range.comfortable[1]} is above the absolute range (${i.range.absolute[1]})`);

  // Registers tile the absolute range: each starts one semitone above the previous one's top.
  let next = low;
  i.registers.forEach((r, k) => {
    const from = midi(r.from);
    const to = midi(r.to);
    if (from !== next) {
      const expected = k === 0 ? `the bottom of the range (${i.range.absolute[0]})` : `one semitone above ${i.registers[k - 1]!.to}`;
      issue(["registers", k, "from"], `${r.from} leaves a gap or overlap: expected ${expected}`);
    }
    if (to < from) issue(["registers", k, "to"], `${r.to} is below its start ${r.from}`);
    const { p, mf, f } = r.loudness;
    if (!(p <= mf && mf <= f)) issue(["registers", k, "loudness"], `expected p <= mf <= f, got ${p}, ${mf}, ${f}`);
    next = to + 1;
  });
  const last = i.registers[i.registers.length - 1];
  if (last && midi(last.to) !== high) issue(["registers", i.registers.length - 1, "to"], `${last.to} must end at the top of the range (${i.range.absolute[1]})`);

  // Clefs: used inside the range, on existing staves, and together covering the range.
  const covered: [number, number][] = [];
  i.clefs.forEach((c, k) => {
    const [a, b] = c.range.map(midi) as [number, number];
    if (a > b) issue(["clefs", k, "range"], `low ${c.range[0]} must not be above high ${c.range[1]}`);
    if (a < low || b > high) issue(["clefs", k, "range"], `${c.range[0]}–${c.range[1]} goes outside the absolute range`);
    if ((c.staff ?? 1) > i.staves) issue(["clefs", k, "staff"], `staff ${c.staff} but the instrument has ${i.staves}`);
    covered.push([a, b]);
  });
  covered.sort((x, y) => x[0] - y[0]);
  let reach = low - 1;
  for (const [a, b] of covered) {
    if (a > reach + 1) break;
    reach = Math.max(reach, b);
  }
  if (reach < high) issue(["clefs"], `the clefs leave part of the range uncovered above MIDI ${reach}`);

  // A transposition's chromatic steps must fit its diatonic interval (at most doubly altered).
  const t = i.transposition;
  if (Math.abs(t.chromatic - Math.round((t.diatonic * 12) / 7)) > 2) {
    issue(["transposition", "chromatic"], `${t.chromatic} semitones does not fit ${t.diatonic} diatonic steps`);
  }

  // Every figure names a source the file lists.
  const listed = new Set<string>(i.sources);
  const visit = (v: unknown, path: Path): void => {
    if (Array.isArray(v)) v.forEach((x, k) => visit(x, [...path, k]));
    else if (v !== null && typeof v === "object") {
      for (const [key, x] of Object.entries(v)) {
        if ((key === "source" || key === "loudnessSource") && typeof x === "string") {
          if (!listed.has(x)) issue([...path, key], `source "${x}" is not in this file's "sources"`);
        } else visit(x, [...path, key]);
      }
    }
  };
  visit({ ...i, sources: undefined }, []);

  if (i.idioms.doubleStops && i.polyphony < 2) issue(["polyphony"], "double stops need a polyphony of at least 2");
}

export const instrumentSchema: z.ZodType<Instrument> = baseInstrument.superRefine((i, ctx) => {
  checkInstrument(i, (path, message) => ctx.addIssue({ code: "custom", path, message }));
});

export const ensembleSchema: z.ZodType<Ensemble> = z.strictObject({
  id,
  name: text,
  description: text,
  instruments: z
    .array(
      z.strictObject({
        instrument: id,
        name: text.optional(),
        count: z.int().min(1).max(64).optional(),
        section: z.boolean().optional(),
        divisi: z.boolean().optional(),
        or: z.array(z.strictObject({ instrument: id, name: text.optional(), for: z.enum(["key", "range"]) })).min(1).optional(),
      }),
    )
    .min(1),
});

/**
 * Parses and checks one instrument file.
 * @example parseInstrument(text, "instruments/instruments/flute.json").range.absolute // ["C4", "D7"]
 * @throws TuttiError BAD_DATA, e.g. `flute.json: range.absolute[0]: expected a pitch like "C4", got "H4"`
 */
export function parseInstrument(text: string, file: string): Instrument {
  return parseWith(instrumentSchema, text, file);
}

/**
 * Parses and checks one ensemble file (its instruments are checked by `createDatabase`).
 * @example parseEnsemble('{"id":"duo","name":"Duo","description":"…","instruments":[{"instrument":"flute"}]}', "duo.json").id // "duo"
 */
export function parseEnsemble(text: string, file: string): Ensemble {
  return parseWith(ensembleSchema, text, file);
}

function parseWith<T>(schema: z.ZodType<T>, text: string, file: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TuttiError("BAD_DATA", `not valid JSON: ${err instanceof Error ? err.message : String(err)}`, file);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const [first, ...rest] = result.error.issues;
    const where = first && first.path.length > 0 ? `${formatPath(first.path)}: ` : "";
    const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? "s" : ""})` : "";
    throw new TuttiError("BAD_DATA", `${where}${first?.message ?? "invalid data"}${more}`, file);
  }
  return deepFreeze(result.data);
}

/** `["range", "absolute", 0]` → `range.absolute[0]`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i > 0 ? "." : ""}${String(k)}`)).join("");
}

/**
 * Builds a database from the text of its files, keyed by path (as `instruments/<folder>/<id>.json`);
 * each file's id must match its name. With `base`, the files are added to its instruments and
 * ensembles, a file with the id of one of them replacing it (a user's folder over the built-in
 * database). Shared by the build of the built-in data and the Node folder loader.
 * @throws TuttiError BAD_DATA naming the file and field of the first problem
 */
export function databaseFromFiles(instrumentFiles: Readonly<Record<string, string>>, ensembleFiles: Readonly<Record<string, string>>, base?: Database): Database {
  const parseAll = <T extends { readonly id: string }>(files: Readonly<Record<string, string>>, parse: (text: string, file: string) => T): T[] =>
    // Parsed in path order, so the first bad file reported is always the same one.
    Object.keys(files)
      .sort()
      .map((file) => {
        const item = parse(files[file]!, file);
        const expected = file.slice(file.lastIndexOf("/") + 1).replace(/\.json$/, "");
        if (item.id !== expected) throw new TuttiError("BAD_DATA", `id: "${item.id}" does not match the file name (expected "${expected}")`, file);
        return item;
      });
  const instruments = parseAll(instrumentFiles, parseInstrument);
  const ensembles = parseAll(ensembleFiles, parseEnsemble);
  const kept = <T extends { readonly id: string }>(old: Iterable<T>, added: readonly T[]): T[] => [...old].filter((o) => !added.some((a) => a.id === o.id));
  return createDatabase([...kept(base?.instruments.values() ?? [], instruments), ...instruments], [...kept(base?.ensembles.values() ?? [], ensembles), ...ensembles]);
}
