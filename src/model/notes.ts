/**
 * The notes of a score as a listener hears them: absolute onset, duration and sounding pitch,
 * with tied notes joined into one. What "the same music" means when comparing two scores.
 */
import { add, cmp, eq, type Fraction } from "./fraction.js";
import { midiOf, nameOf } from "./pitch.js";
import type { Pitch } from "./pitch.js";
import type { Part, Score } from "./score.js";
import { measureStarts } from "./time.js";

export interface SoundingNote {
  /** From the start of the score, in whole notes. */
  readonly onset: Fraction;
  readonly duration: Fraction;
  /** Sounding pitch (undefined for unpitched percussion, which has `unpitched` instead). */
  readonly pitch?: Pitch;
  readonly unpitched?: { readonly step: string; readonly octave: number };
  readonly voice: string;
  readonly staff: number;
  /** Index of the measure the note starts in. */
  readonly measure: number;
  readonly grace: boolean;
  /** Held under a fermata (a place to breathe, in a chorale). */
  readonly fermata: boolean;
}

/**
 * A part's sounding notes sorted by onset and pitch, ties joined, cue notes left out.
 * @example soundingNotes(score.parts[0]).length // the number of notes a player attacks
 */
export function soundingNotes(part: Part): SoundingNote[] {
  const starts = measureStarts(part);
  const out: { -readonly [K in keyof SoundingNote]: SoundingNote[K] }[] = [];
  // Tied notes waiting for their continuation, by staff, voice and key number; a tie the source
  // writes across voices or staves is found by key number alone.
  const open = new Map<string, (typeof out)[number]>();
  part.measures.forEach((m, mi) => {
    for (const ev of m.events) {
      if (ev.kind !== "note" || ev.cue) continue;
      const onset = add(starts[mi]!, ev.onset);
      for (const n of ev.notes) {
        const midi = n.pitch ? midiOf(n.pitch) : -1;
        const own = `${n.staff ?? ev.staff}:${ev.voice}:${midi}`;
        let key: string | undefined;
        if (n.tieStop && n.pitch) {
          const ends = (k: string): boolean => {
            const p = open.get(k);
            return !!p && eq(add(p.onset, p.duration), onset);
          };
          key = ends(own) ? own : [...open.keys()].find((k) => k.endsWith(`:${midi}`) && ends(k));
        }
        const prev = key !== undefined ? open.get(key) : undefined;
        if (prev && key !== undefined) {
          prev.duration = add(prev.duration, ev.duration);
          if (ev.fermata) prev.fermata = true;
          open.delete(key);
          if (n.tieStart) open.set(own, prev);
          continue;
        }
        const note: (typeof out)[number] = {
          onset,
          duration: ev.duration,
          voice: ev.voice,
          staff: n.staff ?? ev.staff,
          measure: mi,
          grace: !!ev.grace,
          fermata: !!ev.fermata,
        };
        if (n.pitch) note.pitch = n.pitch;
        if (n.unpitched) note.unpitched = n.unpitched;
        out.push(note);
        if (n.tieStart && n.pitch) open.set(own, note);
      }
    }
  });
  return out.sort((a, b) => cmp(a.onset, b.onset) || pitchKey(a) - pitchKey(b));
}

function pitchKey(n: SoundingNote): number {
  return n.pitch ? midiOf(n.pitch) : -1;
}

/** Every part's sounding notes. */
export function scoreNotes(score: Score): SoundingNote[][] {
  return score.parts.map(soundingNotes);
}

/**
 * "C#5@3/4+1/8": a compact, comparable text for one note. With `spelled: false` the pitch is its
 * key number ("73@3/4+1/8"), for comparisons where an enharmonic respelling is the same music.
 */
export function noteKey(n: SoundingNote, spelled = true): string {
  const p = n.pitch
    ? spelled
      ? nameOf(n.pitch)
      : String(midiOf(n.pitch))
    : n.unpitched
      ? `x${n.unpitched.step}${n.unpitched.octave}`
      : "?";
  const f = (x: Fraction): string => (x.d === 1 ? String(x.n) : `${x.n}/${x.d}`);
  return `${p}@${f(n.onset)}+${f(n.duration)}`;
}
