/**
 * The shape of the instrument and ensemble data files in `instruments/`, as the readonly
 * interfaces the rest of Tutti uses. Pitches are sounding pitch names ("Bb3"). The schemas that
 * check a file against them (zod) are in `validate.ts`, apart, so that what uses the database
 * does not load the checker.
 */
import { nameOf, parsePitch } from "../model/pitch.js";

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

/**
 * A mute the player puts in (a trumpet's or trombone's straight mute): how much softer every
 * register plays with it, and the rest the player needs to put it in or take it out.
 */
export interface Mute {
  /** Levels taken off each register's loudness (the 0–10 scale) with the mute in. */
  readonly softer: number;
  /** Seconds of rest the player needs to put the mute in or take it out. */
  readonly changeSeconds: number;
  readonly words: string;
  readonly source: SourceKey;
}

export interface Idioms {
  readonly breath?: Breath;
  readonly doubleStops?: DoubleStops;
  readonly agility: Agility;
  readonly endurance?: Endurance;
  readonly mute?: Mute;
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
  /**
   * The same instrument in another key, written for instead where it reads or plays better (see
   * orchestrate/instrument-keys.ts): clarinets in A rather than B♭ in sharp keys ("key"),
   * trumpets in C rather than B♭ where the part lies high ("range").
   */
  readonly or?: readonly MemberAlternative[];
}

export interface MemberAlternative {
  readonly instrument: string;
  /** Part name with this instrument: "Clarinets in A". */
  readonly name?: string;
  /** What makes it the better choice: a written key with fewer accidentals, or a part that lies in its comfortable range. */
  readonly for: "key" | "range";
}

export interface Ensemble {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Parts in score order. */
  readonly instruments: readonly EnsembleMember[];
}

/** Normalises a pitch name ("bb3" → "Bb3"), for messages and output. */
export function pitchLabel(name: PitchName): string {
  const p = parsePitch(name);
  return p ? nameOf(p) : name;
}
