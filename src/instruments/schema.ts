/**
 * The shape of the instrument and ensemble data files in `instruments/`, as zod schemas and as
 * the readonly interfaces the rest of Tutti uses. Pitches are sounding pitch names ("Bb3").
 *
 * The schemas check more than shapes: ranges must be ordered, the comfortable range must lie
 * inside the absolute one, registers must tile the absolute range, and every figure must name
 * a source the file lists. A bad file is refused at load with the field path of the problem.
 */
import { z } from "zod";
import { midiOf, nameOf, parsePitch } from "../model/pitch.js";

/** Keys of the references in `instruments/SOURCES.md`. */
export const SOURCE_KEYS = ["adler", "piston", "kennan", "rimsky", "vsl", "musescore", "gm", "musicxml", "estimate"] as const;
export type SourceKey = (typeof SOURCE_KEYS)[number];

/** Families, in standard score order (strings last). Plucked covers harp and guitars. */
export const FAMILIES = ["woodwind", "brass", "percussion", "plucked", "keyboard", "voice", "strings"] as const;
export type Family = (typeof FAMILIES)[number];

/** A sounding pitch in scientific notation, as `parsePitch` reads it: "C4" is middle C. */
export type PitchName = string;
export type PitchSpan = readonly [low: PitchName, high: PitchName];

/** MusicXML `<transpose>`: written pitch + transposition = sounding pitch. */
export interface InstrumentTransposition {
  readonly diatonic: number;
  readonly chromatic: number;
  /** `<octave-change>`: whole octaves, added on top of diatonic and chromatic. */
  readonly octave?: number;
  readonly source?: SourceKey;
}

export interface ClefUse {
  readonly sign: "G" | "F" | "C" | "percussion";
  readonly line: number;
  /** MusicXML `<clef-octave-change>`: -1 for treble-8vb (tenor voice). Display only. */
  readonly octaveChange?: number;
  /** Which staff of a multi-staff instrument (1 = top); omitted for one-staff instruments. */
  readonly staff?: number;
  /** The sounding range where this clef is normally used. */
  readonly range: PitchSpan;
  readonly note?: string;
  readonly source: SourceKey;
}

export interface Range {
  readonly absolute: PitchSpan;
  readonly comfortable: PitchSpan;
  readonly note?: string;
  readonly source: SourceKey;
}

/** Relative balance weight (0–10) of one player at each dynamic. */
export interface Loudness {
  readonly p: number;
  readonly mf: number;
  readonly f: number;
}

export interface Register {
  readonly from: PitchName;
  readonly to: PitchName;
  readonly name?: string;
  readonly timbre: readonly string[];
  readonly loudness: Loudness;
  readonly source: SourceKey;
  /** Where the loudness numbers come from, when not from `source`. */
  readonly loudnessSource?: SourceKey;
}

export interface Breath {
  /** A comfortable phrase length at a moderate tempo and dynamic. */
  readonly maxPhraseSeconds: number;
  readonly source: SourceKey;
}

export interface DoubleStops {
  /** Open strings, lowest first: a double stop uses two adjacent strings. */
  readonly openStrings: readonly PitchName[];
  readonly adjacentStringsOnly: boolean;
  /** Widest interval between the two notes of a double stop, in semitones. */
  readonly maxIntervalSemitones: number;
  /** Most notes at once (chords of three or four are broken unless they use open strings). */
  readonly maxNotes: number;
  /** Intervals as "m3", "P5", "M10". */
  readonly easy: readonly string[];
  readonly hard: readonly string[];
  readonly note?: string;
  readonly source: SourceKey;
}

/** 1 (clumsy) to 5 (very agile), with words. */
export interface Agility {
  readonly level: number;
  readonly words: string;
  readonly source: SourceKey;
}

/** 1 (tires quickly) to 5 (plays for long without rest). */
export interface Endurance {
  readonly level: number;
  readonly words: string;
  readonly source: SourceKey;
}

export interface Idioms {
  readonly breath?: Breath;
  readonly doubleStops?: DoubleStops;
  readonly agility: Agility;
  readonly endurance?: Endurance;
  readonly notes: readonly string[];
}

/** The lines an orchestrator gives an instrument to double. */
export type DoubledLine = "melody" | "bass" | "inner";

/** How orchestrators use an instrument beside the line it is given: its doubling habits. */
export interface Orchestration {
  /**
   * The lines it doubles when it has none of its own, in order of preference: flutes, oboes and
   * violins the melody; bassoons, cellos and basses the bass; horns and trombones the harmony.
   */
  readonly doubles: readonly DoubledLine[];
  /** At which octaves it doubles (sounding, from the line: 0 unison, 1 above, -1 below), in order of preference. */
  readonly octaves?: readonly number[];
  /** Doubles only at forte (piccolo, trumpets, tuba, glockenspiel). */
  readonly forteOnly?: boolean;
  /** Adds colour only: carries a line only where nothing else can, and is never given loose notes. */
  readonly decorative?: boolean;
  /**
   * Tuned to the key's tonic and dominant (a pair of timpani): at forte it strikes the bass's own
   * tonic and dominant on the strong beats, nothing else.
   */
  readonly tonicDominant?: boolean;
  readonly source: SourceKey;
}

export interface Instrument {
  readonly id: string;
  readonly name: string;
  /** Score abbreviation: "Vln.", "Cl.". */
  readonly shortName: string;
  readonly family: Family;
  /** Position in standard score order: sorting by it gives woodwinds … strings. */
  readonly order: number;
  /** A MusicXML instrument-sound id from `sounds.xml`. */
  readonly sound: string;
  /** General MIDI program, 1–128 as MusicXML numbers them. */
  readonly midiProgram: number;
  readonly transposition: InstrumentTransposition;
  readonly staves: number;
  readonly clefs: readonly ClefUse[];
  readonly range: Range;
  readonly registers: readonly Register[];
  /** Most notes sounding at once. */
  readonly polyphony: number;
  readonly idioms: Idioms;
  /** Doubling habits; an instrument without them doubles nothing. */
  readonly orchestration?: Orchestration;
  readonly sources: readonly SourceKey[];
}

export interface EnsembleMember {
  readonly instrument: string;
  /** Part name when it differs from the instrument's: "Violin I". */
  readonly name?: string;
  /** Players sharing this part (2 flutes on one staff); 1 when omitted. */
  readonly count?: number;
  /** A section of several players on one part (orchestral strings, choir). */
  readonly section?: boolean;
  /** The section may divide into several lines. */
  readonly divisi?: boolean;
}

export interface Ensemble {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Parts in score order. */
  readonly instruments: readonly EnsembleMember[];
}

// ---------------------------------------------------------------------------------------------

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
      }),
    )
    .min(1),
});

/** Normalises a pitch name ("bb3" → "Bb3"), for messages and output. */
export function pitchLabel(name: PitchName): string {
  const p = parsePitch(name);
  return p ? nameOf(p) : name;
}
