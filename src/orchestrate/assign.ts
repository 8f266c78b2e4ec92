/**
 * Who plays which line in a phrase: the cheapest assignment of the phrase's lines to parts (by
 * the costs of costs.ts) that keeps the lines in register order (no crossings the sketch has
 * not), and the principal placements it gives, with their explanation.
 */
import { nameOf } from "../model/pitch.js";
import { BASS_LEFT_OUT, choose, LINE_LEFT_OUT, MELODY_LEFT_OUT, type AssignContext, type Choice, type Segment } from "./costs.js";
import { DERIVED, isDerivedBass, type PhraseWork } from "./plan.js";
import { explain, round, roundTerms } from "./report.js";
import type { Slot } from "./slots.js";

/**
 * The phrase's principal parts from an assignment, each line at its octave with its single notes
 * moved, and why. Two lines on one part: the upper is voice 1.
 */
export function placePrincipals(work: PhraseWork, result: Assignment): void {
  const { phrase, segments, slots, report } = work;
  const bySlot = new Map<number, number[]>();
  for (const [line, c] of result.principal) bySlot.set(c.slot, [...(bySlot.get(c.slot) ?? []), line].sort((a, b) => a - b));
  for (const seg of segments) {
    const c = result.principal.get(seg.line);
    if (!c) continue;
    const voice = (bySlot.get(c.slot)?.indexOf(seg.line) ?? 0) === 0 ? 1 : 2;
    work.placements.push({ phrase: phrase.index, slot: c.slot, line: seg.line, notes: seg.notes, shift: c.shift, fixes: c.fixes, principal: true, voice });
    const slot = slots[c.slot]!;
    report.assignments.push({
      line: seg.line,
      role: seg.role,
      part: slot.name,
      octaves: c.shift / 12,
      cost: { ...roundTerms(c.terms), total: round(c.total) },
      why: (isDerivedBass(seg.line) ? `the harmonic bass of line ${seg.line - DERIVED}'s accompaniment figure, sustained; ` : "") + explain(seg, c, slot),
    });
    c.fixes.forEach((semis, i) => {
      const n = seg.notes[i]!;
      report.moved.push({ line: seg.line, part: slot.name, measure: work.label(n.onset), pitch: nameOf(n.pitch), octaves: semis / 12 });
    });
  }
}

export interface Assignment {
  /** line → its principal choice; lines missing here found no part (see `unplaced`). */
  readonly principal: ReadonlyMap<number, Choice>;
  readonly unplaced: readonly number[];
  readonly total: number;
}

/**
 * The cheapest assignment of segments (top to bottom) to slots that keeps register order:
 * a lower line never goes to a part ordered above a higher line's part. A part with room for
 * two lines (divisi, two players, a keyboard) may take two neighbouring lines. A line may stay
 * unplaced at a high cost, cheaper for inner and accompaniment lines than for melody and bass.
 */
export function assign(segments: readonly Segment[], slots: readonly Slot[], ctx: AssignContext): Assignment {
  const order = registerOrder(slots);
  const L = segments.length;
  const S = order.length;
  const choices = segments.map((seg) => order.map((slot) => choose(seg, slot, ctx)));
  // Leaving a line out is dear, and dearest for melody and bass; a line whose notes other lines
  // already sound (an octave doubling in the piano texture) costs little to leave out, but the
  // tune is the tune even where its octave or the chords sound its notes (the Maple Leaf Rag's trio).
  const skipCost = (seg: Segment): number =>
    ((seg.role === "melody" ? MELODY_LEFT_OUT : seg.role === "bass" ? BASS_LEFT_OUT : LINE_LEFT_OUT) + seg.notes.length * 2) * (seg.role === "melody" ? 1 : 1 - 0.9 * (seg.redundancy ?? 0));
  // dp[i][j]: best cost placing the first i lines using the first j parts.
  const dp: number[][] = Array.from({ length: L + 1 }, () => Array<number>(S + 1).fill(Infinity));
  const back: { kind: "skip-line" | "skip-slot" | "one" | "two"; }[][] = Array.from({ length: L + 1 }, () => Array(S + 1).fill({ kind: "skip-slot" }));
  for (let j = 0; j <= S; j++) dp[0]![j] = 0;
  for (let i = 1; i <= L; i++) {
    for (let j = 0; j <= S; j++) {
      let best = dp[i - 1]![j]! + skipCost(segments[i - 1]!);
      let how: (typeof back)[number][number] = { kind: "skip-line" };
      if (j > 0) {
        if (dp[i]![j - 1]! < best) {
          best = dp[i]![j - 1]!;
          how = { kind: "skip-slot" };
        }
        const one = choices[i - 1]![j - 1];
        if (one && dp[i - 1]![j - 1]! + one.total < best) {
          best = dp[i - 1]![j - 1]! + one.total;
          how = { kind: "one" };
        }
        const a = choices[i - 2]?.[j - 1];
        if (i >= 2 && order[j - 1]!.capacity >= 2 && one && a) {
          const two = dp[i - 2]![j - 1]! + a.total + one.total + 2;
          if (two < best) {
            best = two;
            how = { kind: "two" };
          }
        }
      }
      dp[i]![j] = best;
      back[i]![j] = how;
    }
  }
  const principal = new Map<number, Choice>();
  const unplaced: number[] = [];
  let i = L;
  let j = S;
  while (i > 0) {
    const how = back[i]![j]!;
    if (how.kind === "skip-slot") j--;
    else if (how.kind === "skip-line") {
      unplaced.push(segments[i - 1]!.line);
      i--;
    } else if (how.kind === "one") {
      principal.set(segments[i - 1]!.line, choices[i - 1]![j - 1]!);
      i--;
      j--;
    } else {
      principal.set(segments[i - 1]!.line, choices[i - 1]![j - 1]!);
      principal.set(segments[i - 2]!.line, choices[i - 2]![j - 1]!);
      i -= 2;
      j--;
    }
  }
  return { principal, unplaced: unplaced.reverse(), total: dp[L]![S]! };
}

/** Parts from high to low register; equal registers keep score order (Violin I before Violin II). */
export function registerOrder(slots: readonly Slot[]): Slot[] {
  return [...slots].sort((a, b) => centre(b) - centre(a) || a.index - b.index);
}

function centre(s: Slot): number {
  return (s.comfortable.low + s.comfortable.high) / 2;
}

