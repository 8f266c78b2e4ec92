/**
 * Chord symbols as they are printed and as a transposing part reads them: "B♭7", "F♯m7♭5",
 * "C/E", "G7(♭9)", "N.C.".
 */
import { pitch, transpose } from "./pitch.js";
import type { Harmony } from "./score.js";

/** What each MusicXML kind adds to the root, in the lead-sheet spelling most books use. */
const SUFFIX: Readonly<Record<string, string>> = {
  major: "",
  minor: "m",
  augmented: "+",
  diminished: "dim",
  dominant: "7",
  "major-seventh": "maj7",
  "minor-seventh": "m7",
  "diminished-seventh": "dim7",
  "augmented-seventh": "+7",
  "half-diminished": "m7♭5",
  "major-minor": "m(maj7)",
  "major-sixth": "6",
  "minor-sixth": "m6",
  "dominant-ninth": "9",
  "major-ninth": "maj9",
  "minor-ninth": "m9",
  "dominant-11th": "11",
  "major-11th": "maj11",
  "minor-11th": "m11",
  "dominant-13th": "13",
  "major-13th": "maj13",
  "minor-13th": "m13",
  "suspended-second": "sus2",
  "suspended-fourth": "sus4",
  power: "5",
  pedal: " ped.",
  Neapolitan: "N6",
  Italian: "It+6",
  French: "Fr+6",
  German: "Ger+6",
  Tristan: " Tristan",
  other: "",
};

const ACCIDENTAL: Readonly<Record<number, string>> = { [-2]: "𝄫", [-1]: "♭", 0: "", 1: "♯", 2: "𝄪" };

const named = (n: { readonly step: string; readonly alter: number }): string => n.step + (ACCIDENTAL[n.alter] ?? "");

/**
 * The text of a chord symbol: root, the file's own text for its kind where it gives one (MusicXML's
 * `text` attribute, as notation programs print it), else the kind's usual suffix, then added or
 * altered degrees and a slash bass.
 * @example chordSymbolText({ offset, root: { step: "B", alter: -1 }, kind: "dominant" }) // "B♭7"
 */
export function chordSymbolText(h: Harmony): string {
  if (h.kind === "none") return "N.C.";
  const suffix = h.kindText !== undefined ? h.kindText : (SUFFIX[h.kind] ?? "");
  const degrees = (h.degrees ?? [])
    .map((d) => (d.type === "subtract" ? `no${d.value}` : `${d.type === "add" ? "add" : ""}${ACCIDENTAL[d.alter] ?? ""}${d.value}`))
    .join(" ");
  return `${named(h.root)}${suffix}${degrees ? `(${degrees})` : ""}${h.bass ? `/${named(h.bass)}` : ""}`;
}

/** A chord symbol moved by an interval (diatonic steps and semitones), spelt as the interval spells it: a transposing part's written symbol. */
export function transposeHarmony(h: Harmony, diatonic: number, chromatic: number): Harmony {
  if (diatonic === 0 && chromatic === 0) return h;
  const move = (n: { readonly step: Harmony["root"]["step"]; readonly alter: number }) => {
    const p = transpose(pitch(n.step, n.alter, 4), diatonic, chromatic);
    return { step: p.step, alter: p.alter };
  };
  return { ...h, root: move(h.root), ...(h.bass ? { bass: move(h.bass) } : {}) };
}
