/**
 * Mending a tune's fold (see `keepComfortable` in comfort.ts): the octave it changes at is one of
 * the sketch's leaps, not one of its steps.
 */
import type { LineNote } from "../analyse/types.js";
import { add, eq } from "../model/fraction.js";
import { midiOf } from "../model/pitch.js";

/**
 * A tune folded beat by beat keeps its steps: where a step of the sketch (notes joined, two
 * semitones or less) has become a leap across an octave, the notes on one side of it, as far as
 * the sketch moves by step, follow the other side's octave where they fit there, the fewer the
 * better (K. 545 for brass quintet, m. 3: the first trumpet's A5 G5 C6, out of its comfortable
 * range, had become A4 G5 C5, a seventh up and a fifth down; now A4 G4 C5). The octave then
 * changes at a leap of the sketch's, where a player hears it as the line's own.
 */
export function mendSteps(notes: readonly LineNote[], offset: (k: number) => number, place: (piece: readonly number[], semis: number) => boolean): void {
  const step = (a: number, b: number): boolean => {
    const x = notes[a];
    const y = notes[b];
    return !!x && !!y && eq(add(x.onset, x.duration), y.onset) && Math.abs(midiOf(y.pitch) - midiOf(x.pitch)) <= 2;
  };
  // The notes from k on (dir 1) or back (dir -1) joined to it by steps, at its octave.
  const chain = (k: number, dir: 1 | -1): number[] => {
    const out = [k];
    for (let j = k; step(Math.min(j, j + dir), Math.max(j, j + dir)) && offset(j + dir) === offset(k); j += dir) out.push(j + dir);
    return out;
  };
  for (let k = 1; k < notes.length; k++) {
    if (!step(k - 1, k) || offset(k - 1) === offset(k)) continue;
    const tries: [number[], number][] = [
      [chain(k, 1), offset(k - 1)],
      [chain(k - 1, -1), offset(k)],
    ];
    tries.sort((a, b) => a[0].length - b[0].length);
    tries.some(([piece, semis]) => joinsAround(piece, semis) && place(piece, semis));
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
