/**
 * The notes of a score as a listener hears them: absolute onset, duration and sounding pitch,
 * with tied notes joined into one. What "the same music" means when comparing two scores.
 */
import { cmp, type Fraction } from "./fraction.js";
import { midiOf, nameOf } from "./pitch.js";
import type { Pitch } from "./pitch.js";
import type { Part, Score } from "./score.js";
import { joinTies } from "./timeline.js";

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
  /** Followed by a breath (a breath mark on its last piece). */
  readonly breath: boolean;
}

/**
 * A part's sounding notes sorted by onset and pitch, ties joined (by staff and voice), cue notes
 * left out.
 * @example soundingNotes(score.parts[0]).length // the number of notes a player attacks
 */
export function soundingNotes(part: Part): SoundingNote[] {
  const out = joinTies(part, { by: "voice", include: (ev) => !ev.cue }).map((j): SoundingNote => {
    const n = j.note;
    return {
      onset: j.onset,
      duration: j.duration,
      voice: j.event.voice,
      staff: j.staff,
      measure: j.measure,
      grace: !!j.event.grace,
      fermata: j.fermata,
      breath: j.breath,
      ...(n.pitch ? { pitch: n.pitch } : {}),
      ...(n.unpitched ? { unpitched: n.unpitched } : {}),
    };
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
