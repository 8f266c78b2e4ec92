/**
 * Balance: the melody must carry over every accompanying line at the marked dynamic. Where a line
 * would cover it, a free part doubles the melody; where none can, the covering parts are marked
 * softer.
 */
import { medianMidi, type Segment } from "./costs.js";
import { canDoubleMelody, type Doubler } from "./double.js";
import { dynamicOf, type PhraseWork, type Placement, setDynamic } from "./plan.js";
import { round } from "./report.js";
import { loudness } from "./slots.js";

const SOFTER: Readonly<Record<string, string>> = { fff: "ff", ff: "f", f: "mf", mf: "mp", mp: "p", p: "pp", pp: "ppp" };

/** Gives every part playing in the phrase its dynamic, then balances the melody against the rest. */
export function balance(work: PhraseWork, doubler: Doubler): void {
  const { phrase, segments, slots, level, ctx, dynamics } = work;
  const phrasePlacements = work.placements;
  for (const p of phrasePlacements) setDynamic(dynamics, p.slot, phrase.index, phrase.dynamic);
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
  for (const seg of segments) {
    if (seg.line === melody.line) continue;
    // A line masks the melody most in its own register; each sixth of distance beyond a fifth takes a step off.
    const apart = Math.max(0, Math.abs(medianMidi(seg.notes) - melMedian) - 7) / 9;
    const raw = loudOf(seg.line);
    const other = { value: raw.value - apart, parts: raw.parts };
    if (other.value < mel) continue;
    // Double the melody where a part is free, otherwise thin the accompaniment.
    const extra = slots.find((s) => !doubler.busy.has(s.index) && canDoubleMelody(s, melody, ctx));
    if (extra && doubler.add(melody, extra, `balance: the melody (${round(mel)}) was covered by line ${seg.line} (${round(other.value)})`)) {
      setDynamic(dynamics, extra.index, phrase.index, phrase.dynamic);
      mel = loudOf(melody.line).value;
      if (other.value < mel) continue;
    }
    markSofter(work, seg, other, mel);
  }
}

function markSofter(work: PhraseWork, seg: Segment, other: { value: number; parts: readonly Placement[] }, mel: number): void {
  const { phrase, slots, dynamics, report } = work;
  for (const p of other.parts) {
    const softer = SOFTER[dynamicOf(dynamics, p.slot, phrase.index) ?? phrase.dynamic] ?? "pp";
    setDynamic(dynamics, p.slot, phrase.index, softer);
    report.balance.push(`${slots[p.slot]!.name} marked ${softer} under the melody (line ${seg.line} ${round(other.value)} ≥ melody ${round(mel)} at ${phrase.dynamic})`);
  }
}
