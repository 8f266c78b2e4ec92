/**
 * Mending a tune's fold (see `keepComfortable` in comfort.ts): the octave it changes at is one of
 * the sketch's leaps, not one of its steps.
 */
import type { LineNote } from "../analyse/types.js";
import type { Fraction } from "../model/fraction.js";
import { midiOf } from "../model/pitch.js";
import { follows } from "./plan.js";

/**
 * A tune folded beat by beat keeps its steps: where a step of the sketch (notes joined, two
 * semitones or less) has become a leap across an octave, the notes on one side of it, as far as
 * the sketch moves by step, follow the other side's octave where they fit there, the fewer the
 * better (K. 545 for brass quintet, m. 3: the first trumpet's A5 G5 C6, out of its comfortable
 * range, had become A4 G5 C5, a seventh up and a fifth down; now A4 G4 C5). The octave then
 * changes at a leap of the sketch's, where a player hears it as the line's own.
 *
 * A wind or brass part's tune (`turns`: a string section moves only whole pieces) keeps the way
 * its narrower leaps go too: where the octave changes off the beat across a leap of a fifth or
 * less, so that the line turns the other way or leaps past the octave, the notes on one side, as
 * far as the sketch moves by step, follow the other side's octave where the octave then changes
 * at a wider leap of the sketch's, a fourth at least, or at a rest (the Polonaise op. 1 no. 2 for
 * woodwind quintet, m. 17: the flute's C5 F6, where the right hand has C5 F5 E5 D5, is C6 F6 E6
 * D6; the Elite Syncopations for brass quintet, m. 68: the first trumpet's G5 B♭4, where the right
 * hand goes up a third to B♭5, is G4 B♭4 with the bars before, the octave changing at m. 69's
 * fifth). An octave that changes on a beat stays, as a fold at the beats has it (The Entertainer
 * for brass quintet, m. 89: the bar with the C6 an octave down whole, from its downbeat). Such a
 * mend moves no other line (`place`'s `still`): the turn is a lesser fault than inner parts
 * leaping an octave for it.
 */
export function mendSteps(notes: readonly LineNote[], offset: (k: number) => number, place: (piece: readonly number[], semis: number, still?: boolean) => boolean, turns: boolean): void {
  // The interval from note a to note b where they are joined (the first ends as the second starts).
  const leap = (a: number, b: number): number => {
    const x = notes[a];
    const y = notes[b];
    return x && y && follows(x, y) ? Math.abs(midiOf(y.pitch) - midiOf(x.pitch)) : Infinity;
  };
  // The notes from k on (dir 1) or back (dir -1) joined to it by steps, at its octave.
  const chain = (k: number, dir: 1 | -1): number[] => {
    const out = [k];
    for (let j = k; leap(Math.min(j, j + dir), Math.max(j, j + dir)) <= STEP && offset(j + dir) === offset(k); j += dir) out.push(j + dir);
    return out;
  };
  for (let k = 1; k < notes.length; k++) {
    const here = leap(k - 1, k);
    if (offset(k - 1) === offset(k) || here > (turns && !onBeat(notes[k]!.onset) ? NARROW : STEP)) continue;
    // Past a leap, the octave changes at a wider one of the sketch's beyond the notes moved.
    const widerBeyond = (piece: readonly number[]): boolean => {
      const beyond = piece[0] === k ? leap(piece[piece.length - 1]!, piece[piece.length - 1]! + 1) : leap(piece[piece.length - 1]! - 1, piece[piece.length - 1]!);
      return piece.length > 1 && beyond > here && beyond >= FOURTH;
    };
    const tries: [number[], number][] = [
      [chain(k, 1), offset(k - 1)],
      [chain(k - 1, -1), offset(k)],
    ];
    tries
      .filter(([piece]) => here <= STEP || widerBeyond(piece))
      .sort((a, b) => a[0].length - b[0].length)
      .some(([piece, semis]) => joinsAround(piece, semis) && place(piece, semis, here > STEP));
  }
  // The notes either side of a piece moved to `semis` are no further from it than an octave or
  // than the sketch has them (K. 545 for brass quintet, mm. 9–11: the run's second half is not
  // taken an octave down under its first, nor m. 11's B4 under the G5 after it).
  function joinsAround(piece: readonly number[], semis: number): boolean {
    const first = Math.min(...piece);
    const last = Math.max(...piece);
    return [
      [first - 1, first],
      [last + 1, last],
    ].every(([j, x]) => {
      const o = notes[j!];
      if (!o) return true;
      const m = midiOf(notes[x!]!.pitch);
      return Math.abs(midiOf(o.pitch) + offset(j!) - (m + semis)) <= Math.max(12, Math.abs(midiOf(o.pitch) - m));
    });
  }
}

/** Whether an onset falls on a beat (a whole number of quarters in). */
const onBeat = (o: Fraction): boolean => (4 * o.n) % o.d === 0;

/** A step, in semitones; the widest leap whose way a wind's tune keeps (a fifth); the narrowest leap its octave may change at (a fourth). */
const STEP = 2;
const NARROW = 7;
const FOURTH = 5;
