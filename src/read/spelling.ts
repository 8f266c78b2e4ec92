/**
 * Keys and spelling for pitches that arrive as bare key numbers (MIDI).
 *
 * `estimateKey` finds the key of a passage with the Krumhansl–Schmuckler key-finding algorithm:
 * the correlation of its duration-weighted pitch-class histogram with the Krumhansl–Kessler
 * probe-tone profiles (Krumhansl, "Cognitive Foundations of Musical Pitch", 1990, p. 30).
 * `spellMidi` names a key number in a key: scale degrees as the key writes them, chromatic notes
 * as the raised or lowered degree by the direction of the line, raised 6th and 7th in minor.
 */
import { Note } from "tonal";
import { pitch, type Pitch, type Step } from "../model/pitch.js";

export interface KeyEstimate {
  /** Sharps positive, flats negative, as in a key signature. */
  readonly fifths: number;
  readonly mode: "major" | "minor";
  /** Pearson correlation with the winning profile (−1…1). */
  readonly score: number;
  /** The correlation C major / A minor reaches, to judge a file's "no key" C signature. */
  readonly cScore: number;
}

const MAJOR_PROFILE = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR_PROFILE = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];
/** Key signature of the major key on each tonic pitch class (F♯ rather than G♭, D♭ rather than C♯). */
const MAJOR_FIFTHS = [0, -5, 2, -3, 4, -1, 6, 1, -4, 3, -2, 5];
/** Key signature of the minor key on each tonic pitch class (E♭ minor rather than D♯ minor). */
const MINOR_FIFTHS = [-3, 4, -1, -6, 1, -4, 3, -2, 5, 0, -5, 2];

/**
 * The most likely key of a set of notes, weighting each pitch class by how long it sounds.
 * @example estimateKey([{ midi: 60, weight: 1 }, { midi: 64, weight: 1 }, { midi: 67, weight: 1 }]).fifths // 0
 */
export function estimateKey(notes: readonly { readonly midi: number; readonly weight: number }[]): KeyEstimate {
  const hist = new Array<number>(12).fill(0);
  for (const n of notes) hist[((Math.round(n.midi) % 12) + 12) % 12]! += n.weight;
  let best: KeyEstimate = { fifths: 0, mode: "major", score: -Infinity, cScore: -Infinity };
  let cScore = -Infinity;
  for (let tonic = 0; tonic < 12; tonic++) {
    for (const mode of ["major", "minor"] as const) {
      const profile = mode === "major" ? MAJOR_PROFILE : MINOR_PROFILE;
      const rotated = hist.map((_, i) => profile[(i - tonic + 12) % 12]!);
      const r = correlation(hist, rotated);
      const fifths = (mode === "major" ? MAJOR_FIFTHS : MINOR_FIFTHS)[tonic]!;
      if (fifths === 0) cScore = Math.max(cScore, r);
      if (r > best.score + 1e-12) best = { fifths, mode, score: r, cScore: 0 };
    }
  }
  return { ...best, cScore };
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (a[i]! - ma) * (b[i]! - mb);
    da += (a[i]! - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  }
  return da === 0 || db === 0 ? 0 : num / Math.sqrt(da * db);
}

/** For each semitone above the tonic: the interval when the line rises, when it falls, and by default. */
type Spellings = readonly (readonly [rising: string, falling: string, plain: string])[];
const MAJOR_DEGREES: Spellings = [
  ["1P", "1P", "1P"], ["1A", "2m", "1A"], ["2M", "2M", "2M"], ["2A", "3m", "3m"],
  ["3M", "3M", "3M"], ["4P", "4P", "4P"], ["4A", "5d", "4A"], ["5P", "5P", "5P"],
  ["5A", "6m", "5A"], ["6M", "6M", "6M"], ["6A", "7m", "7m"], ["7M", "7M", "7M"],
];
// Minor: natural minor, with the raised 6th and 7th (melodic and harmonic minor) always sharp.
const MINOR_DEGREES: Spellings = [
  ["1P", "1P", "1P"], ["1A", "2m", "2m"], ["2M", "2M", "2M"], ["3m", "3m", "3m"],
  ["3M", "4d", "3M"], ["4P", "4P", "4P"], ["4A", "5d", "4A"], ["5P", "5P", "5P"],
  ["6m", "6m", "6m"], ["6M", "6M", "6M"], ["7m", "7m", "7m"], ["7M", "7M", "7M"],
];
const STEP_SEMITONES: Readonly<Record<Step, number>> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/** The tonic of a key signature and mode, as a pitch-class name ("Eb", "F#"). */
export function tonicOf(fifths: number, mode: "major" | "minor"): string {
  return Note.transposeFifths(mode === "minor" ? "A" : "C", fifths);
}

/**
 * Spells a MIDI key number in a key. `next` is the key number the line moves to, if known: a
 * chromatic note rising is spelled as a raised degree, falling as a lowered one.
 * @example spellMidi(66, -3, "minor") // F♯4 in C minor (the raised 4th)
 * @example spellMidi(61, 0, "major", 60) // D♭4: falling to C
 */
export function spellMidi(midi: number, fifths: number, mode: "major" | "minor", next?: number): Pitch {
  const tonic = tonicOf(fifths, mode);
  const tonicPc = Note.chroma(tonic) ?? 0;
  const degree = (((midi - tonicPc) % 12) + 12) % 12;
  const forms = (mode === "minor" ? MINOR_DEGREES : MAJOR_DEGREES)[degree]!;
  const move = next === undefined ? 0 : next - midi;
  const interval = move > 0 && move <= 2 ? forms[0] : move < 0 && move >= -2 ? forms[1] : forms[2];
  const name = Note.transpose(tonic, interval);
  const n = Note.get(name);
  let step = n.letter as Step;
  let alter = n.alt;
  // Keep to double accidentals at most (a raised degree in C♯ major could otherwise need more).
  if (Math.abs(alter) > 2 || n.empty) {
    const plain = Note.get(Note.fromMidiSharps(midi));
    step = plain.letter as Step;
    alter = plain.alt;
  }
  const octave = Math.round((midi - STEP_SEMITONES[step] - alter) / 12) - 1;
  // MusicXML's octaves start at 0: the two keys under C0 that a flat can reach are C♭0 and C𝄫0.
  if (octave < 0 && midi >= 10 && midi <= 11) return pitch("C", midi - 12, 0);
  return pitch(step, alter, octave);
}
