/**
 * Quantisation: MIDI ticks to notated time, with the grid chosen beat by beat.
 *
 * Each quarter-note beat gets the subdivision that fits its onsets best, weighed against how
 * complex that subdivision is to read: whole beats, eighths, 16ths, 32nds, triplet eighths or
 * triplet 16ths, or 16ths and triplets in one beat (a part in sextuplets against another in
 * 16ths, three against two: the points of both grids, not the 48ths between them). So a passage
 * of triplets is read as triplets and the straight 16ths after it as 16ths, and notes played a
 * few ticks early or late land on the grid point they were meant for.
 *
 * The ticks are the score's beats: the file's own where they fit its notes (sequenced files, and
 * files whose tempo map follows the performance, as the piano-midi.de files do), else the beats
 * the reader tracked (`beat-track.ts`) for a file played freely against a fixed tempo.
 */
import { add, type Fraction, frac } from "../model/fraction.js";
import type { Part } from "../model/score.js";
import { measureStarts } from "../model/timeline.js";
import { gridOf } from "../model/tuplets.js";
import { pushTo } from "../util/group.js";

/** The grid of 16ths and triplet 16ths in one beat, in 12ths of the beat. */
export const MIXED = 12;

/** The nearest grid point to `x` (a position in the beat, in quarters), in steps of 1/`per`. */
function stepOf(x: number, per: number): number {
  if (per !== MIXED) return Math.round(x * per);
  // The nearer of the 16th's and the triplet 16th's, in 12ths.
  const sixteenth = Math.round(x * 4) * 3;
  const triplet = Math.round(x * 6) * 2;
  return Math.abs(x * 12 - sixteenth) <= Math.abs(x * 12 - triplet) ? sixteenth : triplet;
}

/**
 * Subdivisions of a quarter note tried for each beat, with a reading-cost penalty (in quarters).
 * `per` 12 is 16ths and triplet 16ths together: only the 12ths of the beat on either grid.
 */
const GRIDS: readonly { readonly per: number; readonly penalty: number }[] = [
  { per: 1, penalty: 0 },
  { per: 2, penalty: 0.004 },
  { per: 4, penalty: 0.008 },
  { per: 3, penalty: 0.02 },
  { per: 8, penalty: 0.03 },
  { per: 6, penalty: 0.04 },
  { per: MIXED, penalty: 0.05 },
];

/** How the onsets of one file map to notated time. */
export interface Quantiser {
  /** Subdivisions of the quarter chosen for each beat (index = beat number from tick 0). */
  readonly grid: readonly number[];
  /** The notated onset of a tick, in whole notes. */
  onset(tick: number): Fraction;
  /** The notated end of a note from its end tick, never at or before its notated onset. */
  end(tick: number, onset: Fraction): Fraction;
}

/**
 * Chooses a grid per beat for these onset ticks; `plainBeats` (beat numbers from tick 0) keep to
 * one grid.
 * @example makeQuantiser([0, 160, 320, 480, 600], 480).onset(170) // 1/12 (a triplet eighth)
 */
export function makeQuantiser(onsetTicks: readonly number[], ppq: number, plainBeats: ReadonlySet<number> = new Set()): Quantiser {
  // A note up to a 16th of a beat early still belongs to the next beat.
  const early = ppq / 16;
  const byBeat = new Map<number, number[]>();
  for (const t of onsetTicks) {
    const beat = Math.floor((t + early) / ppq);
    pushTo(byBeat, beat, t / ppq - beat);
  }
  let lastBeat = 0;
  for (const b of byBeat.keys()) if (b > lastBeat) lastBeat = b;
  const grid: number[] = [];
  for (let b = 0; b <= lastBeat; b++) {
    const pos = byBeat.get(b);
    grid.push(pos ? bestGrid(pos, !plainBeats.has(b)) : 4);
  }
  const perOf = (beat: number): number => (beat >= 0 && beat < grid.length ? grid[beat]! : 4);
  // `own`: the grid a note's end keeps to in a beat of both grids.
  const snap = (tick: number, own?: number): Fraction => {
    const beat = Math.floor((tick + early) / ppq);
    const per = perOf(beat) === MIXED && own ? own : perOf(beat);
    const steps = stepOf((tick - beat * ppq) / ppq, per);
    // Quarter beats in whole notes: (beat + steps/per) / 4.
    return frac(Math.max(0, beat * per + steps), per * 4);
  };
  return {
    grid,
    onset: (tick) => snap(tick),
    end(tick: number, onset: Fraction): Fraction {
      // In a beat of both grids a note ends on its own: a triplet on the triplets' points, any
      // other on the 16ths' (a staccato triplet then meets its next note, see `closeGaps`).
      const own = gridOf(onset) === 2 ? 6 : 4;
      const e = snap(tick, own);
      if (e.n * onset.d > onset.n * e.d) return e;
      // Too short to reach the next grid point: one step of the onset's grid.
      const beat = Math.floor((onset.n * 4) / onset.d);
      const per = perOf(beat) === MIXED ? own : perOf(beat);
      return frac(onset.n * per * 4 + onset.d, onset.d * per * 4);
    },
  };
}

function bestGrid(positions: readonly number[], mixed: boolean): number {
  let best = 4;
  let bestCost = Infinity;
  for (const g of GRIDS) {
    // Both grids in one beat take two onsets on triplet points: one is a note played off the beat's grid.
    if (g.per === MIXED && !mixed) continue;
    if (g.per === MIXED && new Set(positions.map((p) => stepOf(p, MIXED)).filter((k) => k % 3 !== 0)).size < 2) continue;
    // The worst-fitting onset decides: one 32nd among 16ths needs the finer grid.
    let err = 0;
    for (const p of positions) err = Math.max(err, Math.abs(p * g.per - stepOf(p, g.per)) / g.per);
    const cost = err + g.penalty;
    if (cost < bestCost - 1e-9) {
      bestCost = cost;
      best = g.per;
    }
  }
  return best;
}

/**
 * The beats (the quantiser's, from tick 0) read on both grids where a voice of the score writes a
 * time of each: a note or rest would take a 32nd triplet there.
 */
export function beatsMixedInAVoice(parts: readonly Part[], q: Quantiser, shift: Fraction): number[] {
  const out = new Set<number>();
  for (const part of parts) {
    const starts = measureStarts(part);
    part.measures.forEach((m, mi) => {
      // The grids each voice's times keep to, beat by beat.
      const seen = new Set<string>();
      for (const ev of m.events) {
        if (ev.kind === "note" && ev.grace) continue;
        for (const t of [ev.onset, add(ev.onset, ev.duration)]) {
          const family = gridFamily(q, add(add(starts[mi]!, t), shift));
          if (!family) continue;
          const voice = `${ev.staff ?? 1}:${ev.voice}`;
          if (seen.has(`${voice}@${family.beat}:${3 - family.grid}`)) out.add(family.beat);
          seen.add(`${voice}@${family.beat}:${family.grid}`);
        }
      }
    });
  }
  return [...out];
}

/** A time's beat (the quantiser's, from tick 0) and the grid it keeps to there: 1 the 16ths', 2 the triplets'. */
export interface GridFamily {
  readonly beat: number;
  readonly grid: 1 | 2;
}

/**
 * The grid a time (the quantiser's, in whole notes from tick 0) keeps to in a beat read on both
 * grids; undefined elsewhere, and on the points both share.
 */
export function gridFamily(q: Quantiser, time: Fraction): GridFamily | undefined {
  const beat = Math.floor((time.n * 4) / time.d);
  const grid = gridOf(time);
  return q.grid[beat] === MIXED && grid !== 0 ? { beat, grid } : undefined;
}
