/**
 * A tune that climbs over its part's comfortable range where no other part plays those notes well
 * (the first violin of a string quartet, the top of the ensemble) goes down an octave, from the
 * phrase's start to the first breath after its last note too high, where its part plays all of
 * that well, and the texture under it goes down with it, so that it is still the top and the bass
 * still the bass: each line the sketch has under the tune, by its own pieces, where it would sound
 * over the tune taken down, and whatever those in turn would sound over; of the bass, only the
 * notes that would sound over a line taken down (a left hand's chord notes after its bass note,
 * in the part that plays both), with the repeated notes and steps joined to them. An arranger sets
 * such a passage an octave lower rather than leave the first violin over C7 (the Polonaise op. 1
 * no. 1 for string quartet, mm. 5–7 and 17–19: the right hand's arpeggios up to E♭7 over the left
 * hand's chords; in the 32 quartet movements of the corpus, Haydn to Schumann, the first violin
 * never goes above B♭6). The tune's quick notes (shorter than a 16th) may pass through the lines
 * under it, as the sketch's own runs do. Nothing moves where a note taken down would be played
 * poorly, where a phrase before would sound over it, where the tune would leave its octave or
 * come back to it in the middle of a run (the Maple Leaf Rag's upbeat climbing to the strain's
 * A♭6; a phrase whose tune the phrase before already plays an octave under it needs no breath:
 * a passage too high for several phrases goes down whole), or where a note taken down would
 * sound under the sketch's lowest note of its half measure or its own time, as it sounds then
 * (see `guardBass`). A singer keeps its register.
 */
import type { LineNote } from "../analyse/types.js";
import { add, eq, type Fraction, frac, lt } from "../model/fraction.js";
import { midiOf, nameOf } from "../model/pitch.js";
import { type LowestIn, soundingFloor } from "./bass.js";
import { everyIn, isDerivedBass, isJoint, octaveDown, overlaps, type PhraseWork, type Placement, pieces, semitonesOf, soundingMidi } from "./plan.js";

/** Whether a part (by index) plays a note poorly at a key number (see `playsPoorly`). */
type Poorly = (slot: number, m: number, n: LineNote) => boolean;

type Around = (from: Fraction, to: Fraction) => { from: Fraction; to: Fraction };

/** Notes to take down an octave: by placement (its index in the phrase's placements), its notes' indexes. */
type Moves = Map<number, Set<number>>;

/** Notes of the tune shorter than this pass through the lines under it. */
const PASSING = frac(1, 16);

/**
 * Takes the phrase's tune and the texture under it an octave down, where the tune is too high for
 * its part and no other part plays its top well (see the file comment); else changes nothing.
 */
export function lowerPhrase(work: PhraseWork, lowest: LowestIn, around: Around, poorly: Poorly): void {
  const melody = work.segments.find((s) => s.role === "melody")?.line;
  const tune = work.placements.find((p) => p.line === melody && p.principal);
  if (!tune) return;
  const slot = work.slots[tune.slot]!;
  if (slot.instrument.family === "voice") return;
  const tooHigh = [...tune.notes.keys()].filter((k) => soundingMidi(tune, k) > slot.comfortable.high);
  if (tooHigh.length === 0) return;
  // Where another part plays those notes well (a piccolo over the first violins), it may take them (see dovetail.ts).
  if (tooHigh.some((k) => work.slots.some((_, si) => si !== tune.slot && !poorly(si, soundingMidi(tune, k), tune.notes[k]!)))) return;
  // The tune leaves its octave at a breath and comes back at one: a rest or a held note before
  // its first note (its note in the phrase before), and after the last it takes down.
  let e = tooHigh[tooHigh.length - 1]!;
  while (e < tune.notes.length - 1 && !isJoint(tune.notes[e], tune.notes[e + 1]!, true)) e++;
  const last = tune.notes[e]!;
  const until = add(last.onset, last.duration);
  const first = tune.notes[0]!;
  const before = work.earlier
    .filter((q) => q.line === melody)
    .flatMap((q) => q.notes.map((n, k) => ({ n, shift: semitonesOf(q, k) })))
    .filter(({ n }) => lt(n.onset, first.onset))
    .reduce<{ n: LineNote; shift: number } | undefined>((a, x) => (!a || lt(a.n.onset, x.n.onset) ? x : a), undefined);
  // Where the phrase before already plays the tune an octave under this one, taking this one
  // down joins them: no breath is needed (a passage too high for several phrases goes down whole).
  const joins = before !== undefined && before.shift === semitonesOf(tune, 0) - 12;
  if ((!joins && !isJoint(before?.n, first, true)) || (e === tune.notes.length - 1 && !isJoint(last, { ...last, onset: until }, true))) return;
  const moves: Moves = new Map();
  work.placements.forEach((q, qi) => {
    if (q.line === melody) moves.set(qi, new Set([...q.notes.keys()].filter((k) => lt(q.notes[k]!.onset, until))));
  });
  linesUnder(work, moves, melody!);
  if (!allWell(work, moves, poorly) || !keepsOrder(work, moves, lowest, around)) return;
  for (const [qi, ks] of moves) work.placements[qi] = octaveDown(work.placements[qi]!, ks);
  const top = tooHigh.reduce((a, k) => (soundingMidi(tune, k) > soundingMidi(tune, a) ? k : a));
  work.report.balance.push(
    `the tune an octave down in ${slot.name}, mm. ${work.label(first.onset)}–${work.label(last.onset)}, with the parts under it (its ${nameOf(tune.notes[top]!.pitch)} is over the part's comfortable range, and no other part plays it well)`,
  );
}

/**
 * Adds to `moves` the notes that sound at or under a note taken down and would sound over it once
 * it has moved, until none is left: a line by its own pieces, the bass by its notes and those
 * joined to them by repeated notes and steps. The tune's quick notes do not count.
 */
function linesUnder(work: PhraseWork, moves: Moves, melody: number): void {
  const bass = work.segments.find((s) => s.role === "bass")?.line;
  const flips = (q: Placement, qi: number, k: number): boolean => {
    const n = q.notes[k]!;
    const m = soundingMidi(q, k);
    return work.placements.some((r, ri) => {
      const set = moves.get(ri);
      if (ri === qi || !set?.size) return false;
      return !everyIn(r, n.onset, add(n.onset, n.duration), (rk) => !set.has(rk) || (r.line === melody && lt(r.notes[rk]!.duration, PASSING)) || m > soundingMidi(r, rk) || m <= soundingMidi(r, rk) - 12);
    });
  };
  for (let changed = true; changed; ) {
    changed = false;
    work.placements.forEach((q, qi) => {
      const set = moves.get(qi) ?? new Set<number>();
      if (q.line === melody && set.size > 0) return;
      const must = [...q.notes.keys()].filter((k) => !set.has(k) && flips(q, qi, k));
      if (must.length === 0) return;
      const isBass = q.line === bass || isDerivedBass(q.line);
      const ks = isBass ? joinedBySteps(q.notes, must) : pieces(q.notes).filter((piece) => piece.some((k) => must.includes(k))).flat();
      for (const k of ks) set.add(k);
      moves.set(qi, set);
      changed = true;
    });
  }
}

/** Whether every note taken down is played well there, and no phrase before sounds over one it sounded under. */
function allWell(work: PhraseWork, moves: Moves, poorly: Poorly): boolean {
  for (const [qi, ks] of moves) {
    const q = work.placements[qi]!;
    for (const k of ks) {
      const n = q.notes[k]!;
      const m = soundingMidi(q, k);
      if (poorly(q.slot, m - 12, n)) return false;
      if (!work.earlier.every((o) => everyIn(o, n.onset, add(n.onset, n.duration), (ok) => soundingMidi(o, ok) > m || soundingMidi(o, ok) <= m - 12))) return false;
    }
  }
  return true;
}

/**
 * Whether every note taken down stays at or over the sketch's lowest note of its half measure and
 * of its own time, where that note sounds highest once the notes have moved (`soundingFloor`),
 * or is an octave of it, as `guardBass` holds the notes.
 */
function keepsOrder(work: PhraseWork, moves: Moves, lowest: LowestIn, around: Around): boolean {
  const byPlacement = new Map([...moves].map(([qi, ks]) => [work.placements[qi]!, ks]));
  const moving = (q: Placement, k: number): number => (byPlacement.get(q)?.has(k) ? -12 : 0);
  for (const [qi, ks] of moves) {
    const q = work.placements[qi]!;
    for (const k of ks) {
      const n = q.notes[k]!;
      const own = { from: n.onset, to: add(n.onset, n.duration) };
      const m = soundingMidi(q, k) - 12;
      for (const span of [around(own.from, own.to), own]) {
        const low = lowest(span.from, span.to);
        const f = low === undefined ? undefined : soundingFloor(work, span, low, moving);
        if (f !== undefined && m < f && (f - m) % 12 !== 0) return false;
      }
    }
  }
  return true;
}

/** The notes `must` and every note joined to one of them by a repeated note or a step, without a rest between. */
function joinedBySteps(notes: readonly LineNote[], must: readonly number[]): number[] {
  const out = new Set(must);
  const joined = (a: number, b: number): boolean => {
    const x = notes[a];
    const y = notes[b];
    return !!x && !!y && Math.abs(midiOf(x.pitch) - midiOf(y.pitch)) <= 2 && (overlaps(x, y) || eq(add(x.onset, x.duration), y.onset));
  };
  for (const k of must) {
    for (let j = k; joined(j, j + 1); j++) out.add(j + 1);
    for (let j = k; joined(j - 1, j); j--) out.add(j - 1);
  }
  return [...out].sort((a, b) => a - b);
}
