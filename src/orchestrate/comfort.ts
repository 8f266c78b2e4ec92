/**
 * Comfortable ranges: a part should not be asked for notes outside what a good section plays
 * safely (`range.comfortable`) where Tutti chose the part and the octave: a doubling, a note
 * filled in, a line given to a wind or brass instrument. Such a placement whose notes leave the
 * range moves by an octave as a whole where that brings them all in; otherwise, in a doubling or
 * fill, the notes outside move by an octave where that brings them in. A line a string player or
 * singer carries keeps the register the sketch gives it (their parts use the whole range), unless
 * it is a bass in an instrument that plays basses an octave down by habit (a double bass). The
 * bass moves only down, or back to the sketch's pitch, so that it stays the bass; nothing moves
 * below the bass (see bass.ts); notes that no octave brings in stay where they are.
 */
import type { LineNote } from "../analyse/types.js";
import { add, type Fraction, gt, lt } from "../model/fraction.js";
import { midiOf } from "../model/pitch.js";
import type { LowestIn } from "./bass.js";
import { registerMisfit } from "./check.js";
import { isDerivedBass, type PhraseWork, type Placement, semitonesOf, soundingMidi, without } from "./plan.js";

/**
 * Moves the phrase's placements into their parts' comfortable ranges, and out of registers that
 * cannot make the dynamic they are played at (`registerMisfit`: a flute's low register at f, a
 * trumpet's high register at pp), where an octave can. `dynamicOf` is the dynamic the sketch plays
 * a note at.
 */
export function keepComfortable(work: PhraseWork, lowest: LowestIn, around: (from: Fraction, to: Fraction) => { from: Fraction; to: Fraction }, dynamicOf: (n: LineNote) => string | undefined): void {
  const bass = work.segments.find((s) => s.role === "bass")?.line;
  const melody = work.segments.find((s) => s.role === "melody")?.line;
  work.placements.forEach((p, i) => {
    const slot = work.slots[p.slot]!;
    const isBass = p.line === bass || isDerivedBass(p.line);
    // Instruments that play a bass an octave down by habit (double bass, tuba, contrabassoon) may
    // take a climbing bass down; a singer or a string section keeps the sketch's register (their
    // parts use the whole range: a quartet's first violin above E6 is Haydn's, not a slip).
    const downByHabit = isBass && (slot.instrument.orchestration?.octaves?.includes(-1) ?? false);
    if (!downByHabit && p.principal && (slot.instrument.family === "strings" || slot.instrument.family === "voice")) return;
    const { low, high } = slot.comfortable;
    const at = (k: number, semis: number): number => midiOf(p.notes[k]!.pitch) + semis;
    const inside = (m: number): boolean => m >= low && m <= high;
    const poor = (k: number, m: number): boolean => {
      const dynamic = dynamicOf(p.notes[k]!);
      return !inside(m) || (dynamic !== undefined && registerMisfit(slot.instrument, m, dynamic) !== undefined);
    };
    // A note may not go below the sketch's lowest note of its half measure unless it doubles it;
    // a bass note stays at its pitch or below, and above the half measure's lowest note too.
    const aboveBass = (k: number, m: number): boolean => {
      const n = p.notes[k]!;
      if (isBass && m > midiOf(n.pitch)) return false;
      const span = around(n.onset, add(n.onset, n.duration));
      const bass = lowest(span.from, span.to);
      return bass === undefined || m >= bass || (bass - m) % 12 === 0;
    };
    if (!p.notes.some((_, k) => poor(k, at(k, semitonesOf(p, k))))) return;
    // A tune moved down stays above every other line sounding with it.
    const others = p.line === melody ? [...work.earlier, ...work.placements].filter((q) => q.line !== p.line) : [];
    const onTop = (k: number, m: number): boolean => {
      const n = p.notes[k]!;
      const end = add(n.onset, n.duration);
      return others.every((q) => q.notes.every((o, ok) => !lt(o.onset, end) || !gt(add(o.onset, o.duration), n.onset) || soundingMidi(q, ok) <= m));
    };
    for (const move of [12, -12]) {
      const fits = (k: number): boolean => {
        const m = at(k, semitonesOf(p, k) + move);
        return !poor(k, m) && aboveBass(k, m) && (move > 0 || onTop(k, m));
      };
      if (p.notes.every((_, k) => fits(k))) {
        work.placements[i] = { ...p, shift: p.shift + move };
        return;
      }
    }
    // A note alone out of a line the part carries stays: a tune broken by an octave leap mid-run
    // is worse than a high note. Doublings and filled-in notes may move into comfort note by note.
    if (p.principal && !isBass) return;
    const fixes = new Map(p.fixes);
    p.notes.forEach((_, k) => {
      const m = at(k, semitonesOf(p, k));
      if (inside(m)) return;
      const move = m < low ? 12 : -12;
      if (inside(m + move) && aboveBass(k, m + move)) fixes.set(k, (fixes.get(k) ?? 0) + move);
    });
    if (fixes.size !== p.fixes.size || [...fixes].some(([k, v]) => p.fixes.get(k) !== v)) work.placements[i] = { ...p, fixes } as Placement;
  });
}

/**
 * A doubling plays only what its part plays well. A note of a doubling (its line sounds in another
 * part there) still outside the part's comfortable range after the octave moves above, or in a
 * register that cannot make the dynamic it is played at (a flute's low register at f, a trumpet's
 * high register at pp: `registerMisfit`, the rule `tutti check` reports by), is left out, and the
 * part rests there, as a doubling drops out where its line leaves it. A doubling left with less
 * than half of its notes is left out whole: a few notes of colour here and there are not a
 * doubling. `dynamicOf` is the dynamic the sketch plays a note at.
 */
export function leaveOutOfDoublings(work: PhraseWork, dynamicOf: (n: LineNote) => string | undefined): void {
  const all = [...work.earlier, ...work.placements];
  const carried = (n: LineNote, slot: number): boolean => all.some((q) => q.slot !== slot && q.notes.includes(n));
  const keep: Placement[] = [];
  for (const p of work.placements) {
    const slot = work.slots[p.slot]!;
    if (p.principal) {
      keep.push(p);
      continue;
    }
    const { low, high } = slot.comfortable;
    const drop = new Set<number>();
    p.notes.forEach((n, k) => {
      const m = soundingMidi(p, k);
      const dynamic = dynamicOf(n);
      const poor = m < low || m > high || (dynamic !== undefined && registerMisfit(slot.instrument, m, dynamic) !== undefined);
      if (poor && carried(n, p.slot)) drop.add(k);
    });
    if (drop.size === 0) keep.push(p);
    else if (drop.size * 2 <= p.notes.length) keep.push(without(p, drop));
    else if (!p.notes.every((n, k) => drop.has(k) || carried(n, p.slot))) keep.push(without(p, drop));
  }
  work.placements.splice(0, work.placements.length, ...keep);
}
