/**
 * The top of a run passes to a higher instrument. Where the tune's run climbs past what its part
 * plays well (the first violins' arpeggio of the Polonaise op. 1 no. 1, m. 6, to E♭7, above
 * their comfortable C7) and a free part plays the run's top well at the same pitch, that part
 * takes the run from as far back as it plays it well, and on to its end (the piccolo from E♭6),
 * at least `ENTRY` notes, so that it comes in with the run and not for one note; the tune's part
 * leaves out the notes above its range, and the run's top is the higher instrument's, as an
 * orchestrator dovetails it. A part that would take the whole piece is not dovetailing: that is
 * the comfort stage's or the exchange's to decide.
 */
import type { LineNote } from "../analyse/types.js";
import { midiOf, nameOf } from "../model/pitch.js";
import { freeWhile } from "./bass.js";
import { type PhraseWork, pieces, soundingMidi, without } from "./plan.js";

/** The fewest notes a part comes in with to take a run's top: no entry for a note or two. */
const ENTRY = 3;

/**
 * Hands the top of the tune's runs to a higher free part (see the file comment). `poorly` is
 * whether a part plays a note poorly at a sounding key number (see `playsPoorly`): the part that
 * takes the top must play all it takes well.
 */
export function dovetailRuns(work: PhraseWork, poorly: (slot: number, m: number, n: LineNote) => boolean): void {
  const melody = work.segments.find((s) => s.role === "melody")?.line;
  const tunes = work.placements.filter((p) => p.principal && p.line === melody);
  // Higher parts first: the piccolo before the flute.
  const slots = [...work.slots].sort((a, b) => b.comfortable.high - a.comfortable.high);
  for (const p of tunes) {
    const drop = new Set<number>();
    const high = work.slots[p.slot]!.comfortable.high;
    for (const piece of pieces(p.notes)) {
      const poor = piece.filter((k) => soundingMidi(p, k) > high);
      if (poor.length === 0) continue;
      const first = piece.indexOf(poor[0]!);
      const last = piece.indexOf(poor[poor.length - 1]!);
      for (const slot of slots) {
        if (slot.index === p.slot || slot.instrument.orchestration?.decorative) continue;
        const well = (k: number): boolean => !poorly(slot.index, soundingMidi(p, k), p.notes[k]!);
        let start = first;
        while (start > 0 && well(piece[start - 1]!)) start--;
        let end = last + 1;
        while (end < piece.length && well(piece[end]!)) end++;
        const take = piece.slice(start, end);
        if (take.length < ENTRY || take.length === piece.length || !take.every(well) || !freeWhile(work, slot.index, take.map((k) => p.notes[k]!))) continue;
        // At the pitches the tune's part plays them (its octave fixes kept).
        const fixes = new Map(take.map((k, j) => [j, soundingMidi(p, k) - midiOf(p.notes[k]!.pitch) - p.shift] as const).filter(([, f]) => f !== 0));
        work.placements.push({ phrase: p.phrase, slot: slot.index, line: p.line, notes: take.map((k) => p.notes[k]!), shift: p.shift, fixes, principal: false, voice: 1 });
        for (const k of poor) drop.add(k);
        const top = poor.reduce((t, k) => (soundingMidi(p, k) > soundingMidi(p, t) ? k : t));
        const n = p.notes[top]!;
        work.report.colour.push(`m. ${work.label(n.onset)}: the run's top (${nameOf(n.pitch)}) passes from ${work.slots[p.slot]!.name} to ${slot.name}`);
        break;
      }
    }
    if (drop.size) work.placements[work.placements.indexOf(p)] = without(p, drop);
  }
}
