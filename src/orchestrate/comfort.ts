/**
 * Comfortable ranges: a part should not be asked for notes outside what a good section plays
 * safely (`range.comfortable`) where Tutti chose the part and the octave: a doubling, a note
 * filled in, a line given to a wind or brass instrument. Such a placement whose notes leave the
 * range moves by an octave as a whole where that brings them all in; otherwise the notes outside
 * move by an octave where that brings them in. A line a string player or singer carries keeps the
 * register the sketch gives it (their parts use the whole range), the bass never moves, nothing
 * moves below the bass (see bass.ts), and notes that no octave brings in stay where they are.
 */
import { add, type Fraction } from "../model/fraction.js";
import { midiOf } from "../model/pitch.js";
import type { LowestIn } from "./bass.js";
import { DERIVED, type PhraseWork, type Placement } from "./plan.js";

/** Moves the phrase's placements into their parts' comfortable ranges where an octave can. */
export function keepComfortable(work: PhraseWork, lowest: LowestIn, around: (from: Fraction, to: Fraction) => { from: Fraction; to: Fraction }): void {
  const bass = work.segments.find((s) => s.role === "bass")?.line;
  work.placements.forEach((p, i) => {
    const slot = work.slots[p.slot]!;
    if (p.line === bass || p.line >= DERIVED) return;
    if (p.principal && (slot.instrument.family === "strings" || slot.instrument.family === "voice")) return;
    const { low, high } = slot.comfortable;
    const at = (k: number, semis: number): number => midiOf(p.notes[k]!.pitch) + semis;
    const semisOf = (k: number): number => p.shift + (p.fixes.get(k) ?? 0);
    const inside = (m: number): boolean => m >= low && m <= high;
    // A note may not go below the sketch's lowest note of its half measure unless it doubles it.
    const aboveBass = (k: number, m: number): boolean => {
      const n = p.notes[k]!;
      const span = around(n.onset, add(n.onset, n.duration));
      const bass = lowest(span.from, span.to);
      return bass === undefined || m >= bass || (bass - m) % 12 === 0;
    };
    const outside = p.notes.map((_, k) => k).filter((k) => !inside(at(k, semisOf(k))));
    if (outside.length === 0) return;
    for (const move of [12, -12]) {
      if (p.notes.every((_, k) => inside(at(k, semisOf(k) + move)) && aboveBass(k, at(k, semisOf(k) + move)))) {
        work.placements[i] = { ...p, shift: p.shift + move };
        return;
      }
    }
    const fixes = new Map(p.fixes);
    for (const k of outside) {
      const m = at(k, semisOf(k));
      const move = m < low ? 12 : -12;
      if (inside(m + move) && aboveBass(k, m + move)) fixes.set(k, (fixes.get(k) ?? 0) + move);
    }
    if (fixes.size !== p.fixes.size || [...fixes].some(([k, v]) => p.fixes.get(k) !== v)) work.placements[i] = { ...p, fixes } as Placement;
  });
}
