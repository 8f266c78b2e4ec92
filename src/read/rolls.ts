/**
 * Spread chords. A pianist rolls a chord from the bottom up (the score's arpeggio sign), and a
 * performance, or a file sequenced to sound like one, strikes its notes a few ticks apart: in
 * piano-midi.de's Clair de lune, eight notes 17 ticks apart, the top one on the beat. Read note by
 * note, each would take a 32nd or a 64th of its own, tied into the chord, and the beat a finer
 * grid than its music has. A transcriber writes one chord with an arpeggio sign, at the time the
 * roll keeps to the beat: where its last note lands (the sequencer's habit: the top note on the
 * beat), or where its first does (the classical one: the roll begins on the beat).
 *
 * A group of notes is read as a spread chord where each is struck less than a 32nd note after the
 * one before, from the bottom up (the lowest first, the highest last, hardly a pair the other way
 * round); it has three attacks or more, and no gap between two of them is most of the spread (a
 * chord played untidily and a note a 32nd after it, humanised, are no roll); the whole spread
 * takes at least a twelfth of a beat (a chord merely struck a few ticks untidily is quantised as
 * it is) and at most an eighth note; every note is still held a 32nd note after the last attack
 * (the chord sounds together); and the attacks are not all on the 32nds' grid (a sequenced run of
 * 32nds is written as 32nds).
 */

/** A note of the file as the roll finder needs it: its attack and release in the score's ticks. */
export interface Struck {
  readonly tick: number;
  readonly end: number;
  readonly midi: number;
}

/**
 * The spread chords among these notes (a keyboard's, in the score's ticks, `ppq` a quarter note):
 * each note of one, and the tick the chord is written at.
 * @example spreadChords([{tick: 940, end: 1900, midi: 60}, {tick: 950, end: 1900, midi: 64}, {tick: 960, end: 1900, midi: 67}], 480) // each → 960
 */
export function spreadChords<T extends Struck>(notes: readonly T[], ppq: number): Map<T, number> {
  const out = new Map<T, number>();
  const sorted = [...notes].sort((a, b) => a.tick - b.tick || a.midi - b.midi);
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]!.tick - sorted[j]!.tick < ppq / 8 && sorted[j + 1]!.tick - sorted[i]!.tick <= ppq / 2) j++;
    const group = sorted.slice(i, j + 1);
    const anchor = rollAnchor(group, ppq);
    if (anchor !== undefined) for (const n of group) out.set(n, anchor);
    i = j + 1;
  }
  return out;
}

/** Where a group of notes struck close together is written as one rolled chord; undefined where it is no roll. */
function rollAnchor(group: readonly Struck[], ppq: number): number | undefined {
  const first = group[0]!.tick;
  const last = group[group.length - 1]!.tick;
  const attacks = [...new Set(group.map((n) => n.tick))];
  if (attacks.length < 3 || last - first < ppq / 12) return undefined;
  // No one gap most of the spread: a chord struck untidily and a note a 32nd after it (Beethoven
  // op. 18/1 i, humanised: attacks 0, 9 and 67 ticks) are no roll.
  if (attacks.some((t, k) => k > 0 && t - attacks[k - 1]! > 0.6 * (last - first))) return undefined;
  if (attacks.every((t) => Math.abs(t / (ppq / 8) - Math.round(t / (ppq / 8))) < 1e-6)) return undefined;
  if (group.some((n) => n.end < last + ppq / 8)) return undefined;
  // From the bottom up: the lowest note first, the highest last, and hardly a pair the other way
  // round (the two hands' notes may interleave: C5 before G♯4 in Clair de lune's roll to G♯5).
  const low = Math.min(...group.map((n) => n.midi));
  const high = Math.max(...group.map((n) => n.midi));
  if (!group.some((n) => n.tick === first && n.midi === low) || !group.some((n) => n.tick === last && n.midi === high)) return undefined;
  let pairs = 0;
  let inverted = 0;
  for (const a of group) {
    for (const b of group) {
      if (a.tick >= b.tick) continue;
      pairs++;
      if (a.midi > b.midi) inverted++;
    }
  }
  if (inverted > pairs / 10) return undefined;
  return onBeat(last, ppq) <= onBeat(first, ppq) ? last : first;
}

/** How fine a subdivision of the beat a tick needs: 1 on the beat, 2 on an eighth, 4 on a 16th, 8 off them all. */
function onBeat(tick: number, ppq: number): number {
  for (const per of [1, 2, 4]) {
    const step = ppq / per;
    if (Math.abs(tick - Math.round(tick / step) * step) <= ppq / 48) return per;
  }
  return 8;
}
