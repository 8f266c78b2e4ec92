/**
 * Two solo players of one instrument do not play the same notes in unison where the sketch did
 * not ask for it: a wasted player (a quartet's two violins, a quintet's two trumpets). Two lines
 * can land in twin parts in unison where the piano's right hand doubles the singer, as a piano
 * score does (`collaParte`: notes of a keyboard part and of another part), or where octaves in
 * the right hand were brought together to fit the parts. A unison the sketch writes in two voices
 * of one part (a chorale's soprano and alto on one note) is the composer's, and stays. There the
 * part lower in the score gives way (its own line, or a line's notes filled into it: the
 * Polonaise op. 1/4's right-hand lower octave in a quartet's second violin, in unison with the
 * tune taken down an octave), piece by piece of its line (between its rests and held
 * notes, see `pieces`) where most of the piece is in unison, or a run of unison notes within it
 * (see `unisons`): it plays them an octave below, where it plays all of them well and nothing
 * goes under the bass, or else rests where its twin sounds its notes. The part with the tune
 * keeps it. Sections (an orchestra's violins) and pairs of different instruments (flute and
 * oboe) may play in unison: that is a doubling.
 */
import type { LineNote } from "../analyse/types.js";
import type { Score } from "../model/score.js";
import { add, eq, type Fraction } from "../model/fraction.js";
import { midiOf } from "../model/pitch.js";
import type { LowestIn } from "./bass.js";
import { isSolo, type PhraseWork, pieces, sameFixes, soundingMidi, without } from "./plan.js";

/** At least this share of a piece's notes in unison with the twin makes the piece a unison. */
const MOSTLY = 3 / 4;

/** A run of at least this many notes in unison within a longer piece gives way on its own. */
const RUN = 4;

/**
 * What gives way of a piece (note indices, in order) with some notes in unison: the whole piece
 * where most of it is; else each run of `RUN` or more notes in unison in a row (octaves of a
 * right hand brought together for two bars of a longer figure).
 */
function unisons(piece: readonly number[], unison: readonly number[]): number[][] {
  if (unison.length === 0) return [];
  if (unison.length >= MOSTLY * piece.length) return [[...piece]];
  const runs: number[][] = [];
  for (const k of unison) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1] === k - 1) run.push(k);
    else runs.push([k]);
  }
  return runs.filter((run) => run.length >= RUN);
}

/**
 * Whether two sketch notes are a keyboard part doubling another part's note, as a piano score's
 * right hand doubles the singer (colla parte), not two voices of one part.
 */
export function collaParte(sketch: Score): (a: LineNote, b: LineNote) => boolean {
  const keyboard = (n: LineNote): boolean => (sketch.parts[n.source.part]?.staves ?? 1) > 1;
  return (a, b) => a.source.part !== b.source.part && (keyboard(a) || keyboard(b));
}

/**
 * Lets a solo part give way where it plays a twin's notes in unison (see the file comment).
 * `poorly` is whether a part plays a note poorly at a sounding key number (see `playsPoorly`);
 * `around` widens a time to its half measure, `lowest` is the sketch's lowest note there.
 */
export function separateTwins(
  work: PhraseWork,
  lowest: LowestIn,
  around: (from: Fraction, to: Fraction) => { from: Fraction; to: Fraction },
  poorly: (slot: number, m: number, n: LineNote) => boolean,
  colla: (a: LineNote, b: LineNote) => boolean,
): void {
  const melody = work.segments.find((s) => s.role === "melody")?.line;
  work.placements.forEach((p, i) => {
    const slot = work.slots[p.slot]!;
    if (p.line === melody || !isSolo(slot)) return;
    const twins = work.placements.filter((q) => q.principal && q.slot !== p.slot && isSolo(work.slots[q.slot]!) && work.slots[q.slot]!.instrument.id === slot.instrument.id && (q.line === melody || q.slot < p.slot));
    if (twins.length === 0) return;
    const inUnison = (k: number): boolean => {
      const n = p.notes[k]!;
      const m = soundingMidi(p, k);
      return twins.some((q) => q.notes.some((o, ok) => eq(o.onset, n.onset) && soundingMidi(q, ok) === m && (midiOf(o.pitch) !== midiOf(n.pitch) || colla(n, o))));
    };
    const fixes = new Map(p.fixes);
    const drop = new Set<number>();
    for (const unit of pieces(p.notes).flatMap((piece) => unisons(piece, piece.filter(inUnison)))) {
      const below = unit.every((k) => {
        const n = p.notes[k]!;
        const m = soundingMidi(p, k) - 12;
        const span = around(n.onset, add(n.onset, n.duration));
        const low = lowest(span.from, span.to);
        return !poorly(p.slot, m, n) && (low === undefined || m >= low || (low - m) % 12 === 0);
      });
      for (const k of unit) {
        if (below) fixes.set(k, (fixes.get(k) ?? 0) - 12);
        else if (inUnison(k)) drop.add(k);
      }
    }
    if (!sameFixes(fixes, p.fixes) || drop.size) work.placements[i] = without({ ...p, fixes }, drop);
  });
}
