/**
 * Who plays on a shared staff. A part of two or three wind or brass players on one staff
 * (Flutes, Horns 1–2, Trumpets) that plays one line must say whether one player has it or all:
 * "1." (or "2." for the lower line alone, the part's voice numbers being its players) or
 * "a2" / "a3". Two lines on the staff say it by themselves, so the mark is due at the first
 * measure of single line after a measure of two, at the first entry, and where the choice
 * changes. The choice follows the dynamic the part is marked: at f and above the players join
 * ("a2"), below it one plays (Gould, *Behind Bars*, "Shared staves"; Adler, *The Study of
 * Orchestration*, on doubling at the unison). A section (the violins of an orchestra, a choir's
 * basses) that plays two lines or chords divides: "div." where it starts to, "unis." where it
 * plays one line again (Gould, "Divisi"); without the word a string section plays the notes as
 * double stops, and a choir cannot sing them at all.
 */
import { frameSpans, type MeasureFrame, type PlacedDirection, type PlacedEvent } from "../model/build.js";
import { add, cmp, le, lt, type Fraction } from "../model/fraction.js";
import { levelAfter, levelIndex } from "../model/score.js";
import { dealBySpan } from "../model/search.js";

const F = levelIndex("f");

/** The dynamic level marked in a part at `t` (its last level mark at or before `t`), if any. */
function levelAt(directions: readonly PlacedDirection[], t: Fraction): number | undefined {
  let found: { at: Fraction; level: number } | undefined;
  for (const d of directions) {
    if (!le(d.onset, t) || (found && lt(d.onset, found.at))) continue;
    for (const item of d.items) {
      if (item.kind !== "dynamics") continue;
      const level = levelAfter(item.values[0]!);
      if (level >= 0) found = { at: d.onset, level };
    }
  }
  return found?.level;
}

/**
 * The "1." / "2." / "a2" marks of a part of `players` players sharing one staff, from its notes
 * (voice "1" the upper line, "2" the lower) and its dynamics. One player, a section (which
 * divides instead) or a part on two staves gets none.
 */
export function playerMarks(events: readonly PlacedEvent[], players: number, frames: readonly MeasureFrame[], dynamics: readonly PlacedDirection[]): PlacedDirection[] {
  if (players < 2) return [];
  const out: PlacedDirection[] = [];
  let last: string | undefined;
  for (const inside of struckByMeasure(events, frames)) {
    if (inside.length === 0) continue;
    const voices = new Set(inside.map((e) => e.voice));
    if (voices.size > 1 || inside.some((e) => e.pitches.length > 1)) {
      last = undefined;
      continue;
    }
    const first = inside[0]!;
    const together = (levelAt(dynamics, first.onset) ?? 0) >= F;
    const mark = together ? `a${players}` : `${first.voice}.`;
    if (mark === last) continue;
    out.push({ onset: first.onset, staff: first.staff, placement: "above", items: [{ kind: "words", text: mark }] });
    last = mark;
  }
  return out;
}

/** A part's notes (not grace notes) by the measure they are struck in, in time order. */
function struckByMeasure(events: readonly PlacedEvent[], frames: readonly MeasureFrame[]): PlacedEvent[][] {
  return dealBySpan(
    events.filter((e) => !e.grace && e.duration.n > 0).sort((a, b) => cmp(a.onset, b.onset)),
    frameSpans(frames),
  );
}

/**
 * The "div." / "unis." marks of a section's part, from its notes (voice "1" the upper line, "2"
 * the lower): "div." where a measure of two lines, chords or the lower line alone divides (its
 * first chord, or the lower line's first note) after measures of a single line or none, "unis."
 * at the first note of a measure of a single line after one that divided. Measures of rests
 * change nothing.
 */
export function divisiMarks(events: readonly PlacedEvent[], frames: readonly MeasureFrame[]): PlacedDirection[] {
  const out: PlacedDirection[] = [];
  let divided = false;
  // The notes sounding in the measure, a note held into it from before too.
  let sounding: PlacedEvent[] = [];
  const byMeasure = struckByMeasure(events, frames);
  for (const [k, frame] of frames.entries()) {
    sounding = sounding.filter((e) => lt(frame.start, add(e.onset, e.duration)));
    const struck = byMeasure[k]!;
    sounding.push(...struck);
    if (struck.length === 0) continue;
    // Two lines, a chord, or the lower line alone (its players play, the others rest).
    const two = sounding.some((e) => e.voice !== "1" || e.pitches.length > 1);
    if (two === divided) continue;
    // Where the division starts: its first chord, or its first note of the second line.
    const at = (two && struck.find((e) => e.pitches.length > 1 || e.voice !== sounding[0]!.voice)) || struck[0]!;
    out.push({ onset: at.onset, staff: at.staff, placement: "above", items: [{ kind: "words", text: two ? "div." : "unis." }] });
    divided = two;
  }
  return out;
}
