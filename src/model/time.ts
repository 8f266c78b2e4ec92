/**
 * Time signatures and where measures start.
 */
import { add, frac, type Fraction, ZERO } from "./fraction.js";
import type { Score, TimeSignature } from "./score.js";

/**
 * Length of a measure under a time signature, in whole notes (3/4 → 3/4, 3+2/8 → 5/8).
 * @example timeLength({ kind: "measured", signatures: [{ beats: "6", beatType: 8 }] }) // 3/4
 */
export function timeLength(t: TimeSignature): Fraction {
  if (t.kind !== "measured") return ZERO;
  let total = ZERO;
  for (const s of t.signatures) {
    const beats = s.beats.split("+").reduce((acc, b) => acc + (Number(b) || 0), 0);
    total = add(total, frac(beats, s.beatType || 4));
  }
  return total;
}

/**
 * A time's one signature (3/4), or none for a free time, a compound one (2/4 + 3/8) or no time.
 * @example singleSignature({ kind: "measured", signatures: [{ beats: "3", beatType: 8 }] }) // { beats: "3", beatType: 8 }
 */
export function singleSignature(t: TimeSignature | undefined): { readonly beats: string; readonly beatType: number } | undefined {
  return t?.kind === "measured" && t.signatures.length === 1 ? t.signatures[0] : undefined;
}

/**
 * The first playback tempo the score gives (quarter notes per minute), if any.
 * @example firstTempo(chorale) // 96
 */
export function firstTempo(score: Score): number | undefined {
  for (const m of score.parts[0]?.measures ?? []) for (const d of m.directions) if (d.sound?.tempo) return d.sound.tempo;
  return undefined;
}

/** Seconds a whole note lasts at the score's first tempo (a quarter at 100 where it gives none). */
export function secondsPerWhole(score: Score): number {
  return (4 * 60) / (firstTempo(score) ?? 100);
}
