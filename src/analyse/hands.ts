/**
 * The hands of a piano sketch whose staves a reader guessed (`Part.staffSplit`, a one-track MIDI
 * file): each line on one staff, the upper lines in the right hand, as a pianist writes voices,
 * instead of a split by pitch that moves a voice from staff to staff.
 */
import { midiOf } from "../model/pitch.js";
import type { Part, Score } from "../model/score.js";
import { toNumber } from "../model/fraction.js";
import { restaffPiano } from "../read/piano-voices.js";
import { TupleMap } from "../util/keyed.js";
import type { Line } from "./types.js";
import { separateVoices } from "./voices.js";

/** Lines with fewer notes than this share of the part's are placed by register, not counted as voices. */
const MINOR_LINE = 0.02;
/** Middle C: a line above it belongs in the right hand, below it in the left, all else equal. */
const MIDDLE = 60;

/**
 * The sketch with each guessed piano part written again, its lines (`separateVoices`) dealt to
 * the hands (see the module comment); other parts as they were, and a sketch without a guessed
 * part as it was.
 * @example pianoView(readMidi(bwv430Mid)) // soprano and alto on the upper staff, tenor and bass on the lower
 */
export function pianoView(score: Score): Score {
  if (!score.parts.some(guessed)) return score;
  const lines = separateVoices(score);
  return { ...score, parts: score.parts.map((part, pi) => (guessed(part) ? restaffPiano(part, handOfNote(pi, lines)) : part)) };
}

const guessed = (p: Part): boolean => p.staffSplit === "guessed" && p.staves === 2;

/** Each written note of part `pi` (measure, event, note) and the hand its line is in. */
function handOfNote(pi: number, lines: readonly Line[]): (n: { measure: number; index: number; noteIndex: number; staff: number }) => 1 | 2 {
  const own = lines
    .map((l) => {
      const notes = l.notes.filter((n) => n.source.part === pi);
      let sum = 0;
      let weight = 0;
      for (const n of notes) {
        const d = toNumber(n.duration);
        sum += d * midiOf(n.pitch);
        weight += d;
      }
      return { line: l, count: notes.length, mean: weight ? sum / weight : MIDDLE };
    })
    .filter((x) => x.count > 0)
    .sort((a, b) => b.mean - a.mean);
  const total = own.reduce((a, x) => a + x.count, 0);
  const main = own.filter((x) => x.count >= MINOR_LINE * total);
  // The cut between the hands: lines on the wrong side of middle C cost their distance from it,
  // hands of unequal numbers of voices cost a little.
  let cut = 0;
  let best = Infinity;
  for (let k = main.length > 1 ? 1 : 0; k <= (main.length > 1 ? main.length - 1 : main.length); k++) {
    let cost = 2 * Math.abs(k - main.length / 2);
    main.forEach((x, i) => (cost += i < k ? Math.max(0, MIDDLE - x.mean) : Math.max(0, x.mean - MIDDLE)));
    if (cost < best) {
      best = cost;
      cut = k;
    }
  }
  const lowRight = main[cut - 1]?.mean ?? MIDDLE;
  const highLeft = main[cut]?.mean ?? MIDDLE;
  const boundary = cut > 0 && cut < main.length ? (lowRight + highLeft) / 2 : MIDDLE;
  const hand = new TupleMap<[measure: number, event: number, note: number], 1 | 2>();
  for (const x of own) {
    const i = main.indexOf(x);
    const h: 1 | 2 = i >= 0 ? (i < cut ? 1 : 2) : x.mean >= boundary ? 1 : 2;
    for (const n of x.line.notes) if (n.source.part === pi) hand.set([n.source.measure, n.source.event, n.source.note], h);
  }
  return (n) => hand.get([n.measure, n.index, n.noteIndex]) ?? (n.staff === 2 ? 2 : 1);
}
