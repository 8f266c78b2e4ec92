/**
 * Spelled pitch: step, alteration and octave, with the MIDI number derived, never stored.
 *
 * `alter` is in semitones and may be fractional (a quarter-tone sharp is 0.5), as in MusicXML.
 * Octave numbers follow scientific pitch notation: middle C is C4 = MIDI 60.
 */
export type Step = "C" | "D" | "E" | "F" | "G" | "A" | "B";
export const STEPS: readonly Step[] = ["C", "D", "E", "F", "G", "A", "B"];
const STEP_SEMITONES: Readonly<Record<Step, number>> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

export interface Pitch {
  readonly step: Step;
  readonly alter: number;
  readonly octave: number;
}

export function pitch(step: Step, alter: number, octave: number): Pitch {
  // A score holds the same few dozen pitches thousands of times: those a piece can spell (up to
  // double flats and sharps, octaves -1 to 10) are made once and shared.
  const s = STEPS.indexOf(step);
  if (s < 0 || !Number.isInteger(alter) || alter < -2 || alter > 2 || !Number.isInteger(octave) || octave < -1 || octave > 10) return Object.freeze({ step, alter, octave });
  // + 0: one -0 shared would answer for every 0.
  return (SHARED[((octave + 1) * 7 + s) * 5 + alter + 2] ??= Object.freeze({ step, alter: alter + 0, octave: octave + 0 }));
}

/** The pitches `pitch` shares, by octave, step and alteration. */
const SHARED: Pitch[] = [];

export function isStep(s: string): s is Step {
  return (STEPS as readonly string[]).includes(s);
}

/**
 * The MIDI key number (may be fractional for microtones).
 * @example midiOf(pitch("B", -1, 3)) // 58
 */
export function midiOf(p: Pitch): number {
  return 12 * (p.octave + 1) + STEP_SEMITONES[p.step] + p.alter;
}

/**
 * The pitch class of a key number, 0–11 (C = 0), for negative numbers too.
 * @example pitchClass(61) // 1
 */
export function pitchClass(midi: number): number {
  return ((midi % 12) + 12) % 12;
}

/** Diatonic index: C4 = 28 (7 per octave). */
export function diatonicOf(p: Pitch): number {
  return 7 * p.octave + STEPS.indexOf(p.step);
}

/**
 * Transposes by a diatonic and chromatic interval, as MusicXML's `<transpose>` defines it.
 * @example transpose(pitch("C", 0, 4), -1, -2) // B♭3: what a B♭ clarinet's written C sounds
 */
export function transpose(p: Pitch, diatonic: number, chromatic: number): Pitch {
  const target = diatonicOf(p) + diatonic;
  const octave = Math.floor(target / 7);
  const step = STEPS[((target % 7) + 7) % 7]!;
  const natural = 12 * (octave + 1) + STEP_SEMITONES[step];
  return pitch(step, midiOf(p) + chromatic - natural, octave);
}

const ALTER_SIGNS: Readonly<Record<string, string>> = { "-2": "bb", "-1": "b", "0": "", "1": "#", "2": "##" };

/**
 * Scientific name, as tonal writes it.
 * @example nameOf(pitch("F", 1, 5)) // "F#5"
 */
export function nameOf(p: Pitch): string {
  const acc = ALTER_SIGNS[String(p.alter)] ?? (p.alter > 0 ? `+${p.alter}` : `${p.alter}`);
  return `${p.step}${acc}${p.octave}`;
}

/**
 * Parses "Bb3", "F#5", "C4"; returns undefined for anything else.
 * @example parsePitch("Eb4") // { step: "E", alter: -1, octave: 4 }
 */
export function parsePitch(name: string): Pitch | undefined {
  const m = /^([A-Ga-g])(#{1,2}|b{1,2}|x)?(-?\d+)$/.exec(name.trim());
  if (!m) return undefined;
  const acc = m[2] ?? "";
  const alter = acc === "x" ? 2 : acc.startsWith("#") ? acc.length : -acc.length;
  return pitch(m[1]!.toUpperCase() as Step, alter, Number(m[3]));
}

/** Number of fifths of an interval given as MusicXML diatonic + chromatic steps (M2 → 2, P4 → -1). */
export function intervalFifths(diatonic: number, chromatic: number): number {
  return 7 * chromatic - 12 * diatonic;
}
