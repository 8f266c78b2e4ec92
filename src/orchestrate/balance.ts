/**
 * Balance: the melody must carry over every accompanying line at the marked dynamic. Where a line
 * would cover it, a free part doubles the melody; where none can, the covering parts are marked
 * one level below the sketch (once, however many lines they cover it with; see `markedLevel`).
 */
import { type Choice, medianMidi, type Segment } from "./costs.js";
import { toString } from "../model/fraction.js";
import { midiOf } from "../model/pitch.js";
import { FAMILY_RANK, melodyDoubling, type Doubler } from "./double.js";
import { DYNAMIC_LEVELS, levelIndex } from "../model/score.js";
import { markedLevel } from "./expression.js";
import { overlaps, type PhraseWork, type Placement } from "./plan.js";
import { round } from "./report.js";
import { loudness, type Slot } from "./slots.js";

/** Gives every part playing in the phrase its dynamic, then balances the melody against the rest. */
export function balance(work: PhraseWork, doubler: Doubler): void {
  const { segments, slots, level } = work;
  const phrasePlacements = work.placements;
  const melody = segments.find((s) => s.role === "melody");
  if (!melody) return;
  const loudOf = (line: number): { value: number; parts: Placement[] } => {
    const parts = phrasePlacements.filter((p) => p.line === line);
    const seg = segments.find((s) => s.line === line)!;
    const values = parts.map((p) => loudness(slots[p.slot]!, medianMidi(seg.notes) + p.shift, level));
    // Unison and octave doublings add weight: one step each, up to three.
    return { value: Math.max(0, ...values) + Math.min(3, Math.max(0, values.length - 1)), parts };
  };
  let mel = loudOf(melody.line).value;
  const melMedian = medianMidi(melody.notes);
  const doublesTune = tuneDoubling(melody);
  for (const seg of segments) {
    // A line that never sounds with the tune cannot cover it (the Polonaise op. 1 no. 2 for brass
    // quintet, mm. 9–10: the right hand's run before the phrase's tune comes in had the second
    // trumpet, which plays it, marked mf at f "under the melody").
    if (seg.line === melody.line || doublesTune(seg) || !soundsWith(seg, melody)) continue;
    // A line masks the melody most in its own register; each sixth of distance beyond a fifth takes a step off.
    const apart = Math.max(0, Math.abs(medianMidi(seg.notes) - melMedian) - 7) / 9;
    const raw = loudOf(seg.line);
    const other = { value: raw.value - apart, parts: raw.parts };
    if (other.value < mel) continue;
    // Double the melody where a part is free (not the one a repeated tune moved from: see
    // colour.ts), in the family that doubles first (strings, then winds, then brass) and there
    // the part that doubles it best (register, comfort, timbre: a flute before a piccolo an
    // octave up), otherwise thin the accompaniment.
    let extra: { slot: Slot; c: Choice } | undefined;
    const rank = (s: Slot): number => FAMILY_RANK[s.instrument.family];
    for (const s of slots) {
      if (doubler.busy.has(s.index) || work.recolour?.avoid.has(s.index)) continue;
      const c = melodyDoubling(work, s, melody);
      if (c && (!extra || rank(s) < rank(extra.slot) || (rank(s) === rank(extra.slot) && c.total < extra.c.total))) extra = { slot: s, c };
    }
    if (extra && doubler.add(melody, extra.slot, `balance: the melody (${round(mel)}) was covered by line ${seg.line} (${round(other.value)})`, extra.c)) {
      mel = loudOf(melody.line).value;
      if (other.value < mel) continue;
    }
    markSofter(work, seg, { ...other, parts: other.parts.filter((p) => !phrasePlacements.some((q) => q.slot === p.slot && q.line === melody.line)) }, mel);
  }
}

function markSofter(work: PhraseWork, seg: Segment, other: { value: number; parts: readonly Placement[] }, mel: number): void {
  const { phrase, slots, softened, report } = work;
  for (const p of other.parts) {
    if (softened.has([p.slot, phrase.index])) continue;
    softened.add([p.slot, phrase.index]);
    const marked = DYNAMIC_LEVELS[markedLevel(Math.max(0, levelIndex(phrase.dynamic)), true)];
    const how = marked === phrase.dynamic ? `${LEFT_AT} the sketch's ${marked} (at p or softer balance marks no part down)` : `${MARKED} one level below the sketch (${marked} at ${phrase.dynamic})`;
    report.balance.push(`${slots[p.slot]!.name} ${how} under the melody: line ${seg.line} ${round(other.value)} ≥ melody ${round(mel)}`);
  }
}

const MARKED = "marked";
const LEFT_AT = "left at";

/** Whether a line of the balance report is about the part named `part` softened under the melody (see `markSofter`). */
export function softens(line: string, part: string): boolean {
  return line.startsWith(`${part} ${MARKED} `) || line.startsWith(`${part} ${LEFT_AT} `);
}

/** Whether any note of a line sounds while a note of the tune does. */
function soundsWith(seg: Segment, tune: Segment): boolean {
  return seg.notes.some((n) => tune.notes.some((m) => overlaps(n, m)));
}

/**
 * Whether a line is the tune doubled (the piano's octaves): at least four of five of its notes
 * strike the tune's pitch class with the tune. It adds to the tune rather than covering it.
 */
function tuneDoubling(melody: Segment): (seg: Segment) => boolean {
  const struck = new Map<string, Set<number>>();
  for (const n of melody.notes) {
    const key = toString(n.onset);
    struck.set(key, (struck.get(key) ?? new Set()).add(midiOf(n.pitch) % 12));
  }
  return (seg) => {
    const with_ = seg.notes.filter((n) => struck.get(toString(n.onset))?.has(midiOf(n.pitch) % 12)).length;
    return seg.notes.length > 0 && with_ >= 0.8 * seg.notes.length;
  };
}
