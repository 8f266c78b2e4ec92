/**
 * Grace notes: each goes with the note it leads to, in the part that plays that note.
 */
import type { GraceNote, LineNote } from "../analyse/types.js";
import type { Fraction } from "../model/fraction.js";
import { midiOf, transpose } from "../model/pitch.js";
import { timeKey } from "../model/search.js";
import { pushTo } from "../util/group.js";
import { type PlacedGrace, type Placement, semitonesOf, soundingMidi } from "./plan.js";
import type { Slot } from "./slots.js";

/**
 * Grace notes go with the note they lead to: to the part that plays a note at their onset (the
 * principal part first, then the nearest in pitch), at that part's octave.
 */
export function placeGraces(graces: readonly GraceNote[], slots: readonly Slot[], placements: readonly Placement[]): { placed: PlacedGrace[]; leftOut: number } {
  const placed: PlacedGrace[] = [];
  let leftOut = 0;
  // The placed notes struck at each moment, in placement order; made when the first grace note asks.
  let struckAt: Map<string, { p: Placement; n: LineNote; k: number }[]> | undefined;
  const struck = (onset: Fraction): { p: Placement; n: LineNote; k: number }[] => {
    if (!struckAt) {
      struckAt = new Map();
      for (const p of placements) {
        p.notes.forEach((n, k) => pushTo(struckAt!, timeKey(n.onset), { p, n, k }));
      }
    }
    return struckAt.get(timeKey(onset)) ?? [];
  };
  for (const grace of graces) {
    const { pitches, onset } = grace;
    const first = midiOf(pitches[0]!);
    const targets = struck(onset)
      .map(({ p, k }) => ({ p, sounding: soundingMidi(p, k), shift: semitonesOf(p, k) }))
      .sort((a, b) => Number(b.p.principal) - Number(a.p.principal) || Math.abs(a.sounding - first - a.shift) - Math.abs(b.sounding - first - b.shift));
    const home = targets
      .map((t) => ({ t, shift: [t.shift, t.shift + 12, t.shift - 12].find((sh) => pitches.every((q) => midiOf(q) + sh >= slots[t.p.slot]!.absolute.low && midiOf(q) + sh <= slots[t.p.slot]!.absolute.high)) }))
      .find((x) => x.shift !== undefined);
    // One note at a time on a one-note instrument: a grace chord keeps its top note there.
    const one = home && slots[home.t.p.slot]!.instrument.polyphony <= 1;
    if (!home || home.shift === undefined) {
      leftOut++;
      continue;
    }
    const shift = home.shift;
    const kept = one ? [pitches.reduce((a, b) => (midiOf(b) > midiOf(a) ? b : a))] : pitches;
    placed.push({ slot: home.t.p.slot, onset, pitches: kept.map((q) => (shift ? transpose(q, (shift / 12) * 7, shift) : q)), slash: grace.slash });
  }
  return { placed, leftOut };
}
