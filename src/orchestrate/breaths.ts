/**
 * Breaths for winds, brass and voices: where a part plays longer without a rest than its player
 * can hold a breath (the instrument's `idioms.breath`), a breath mark goes after a note at a
 * joint of the line, the latest one in reach: a note that ends on a barline first, then on a
 * half measure, then on a beat, then the longest note.
 */
import type { MeasureFrame, PlacedEvent } from "../model/build.js";
import { add, cmp, type Fraction, frac, gt, lt, mul, sub, toNumber } from "../model/fraction.js";
import { beatUnit, timesInForce } from "../model/build.js";
import { lastAtOrBefore } from "../model/search.js";
import { BREATH_MARK } from "../model/score.js";

const BREATH = { name: BREATH_MARK } as const;

/**
 * The events with breath marks added where a player must breathe, voice by voice.
 * @example markBreaths(flute, 8, 2.4, frames).some((e) => e.marks?.articulations?.some((a) => a.name === "breath-mark")) // true for a long legato line
 */
export function markBreaths(events: readonly PlacedEvent[], maxSeconds: number, secondsPerWhole: number, frames: readonly MeasureFrame[]): PlacedEvent[] {
  const reach = frac(Math.round((maxSeconds / secondsPerWhole) * 960), 960);
  const joint = jointScorer(frames);
  const marked = new Set<PlacedEvent>();
  const split = events.flatMap((e) => (e.grace || e.marks?.lyrics?.length || !gt(e.duration, reach) ? [e] : strikeAgain(e, reach, frames)));
  const voices = new Map<string, PlacedEvent[]>();
  for (const e of split) if (!e.grace && e.duration.n > 0) (voices.get(e.voice) ?? voices.set(e.voice, []).get(e.voice)!).push(e);
  for (const notes of voices.values()) {
    notes.sort((a, b) => cmp(a.onset, b.onset));
    let start = 0;
    for (let i = 0; i < notes.length; i++) {
      const n = notes[i]!;
      const prev = notes[i - 1];
      if (prev && (lt(add(prev.onset, prev.duration), n.onset) || prev.marks?.fermata || marked.has(prev))) start = i;
      const runStart = notes[start]!.onset;
      if (!gt(sub(add(n.onset, n.duration), runStart), reach)) continue;
      // The latest good joint that the breath still reaches.
      let best: { j: number; score: number } | undefined;
      for (let j = start; j < i; j++) {
        const end = add(notes[j]!.onset, notes[j]!.duration);
        if (gt(sub(end, runStart), reach)) break;
        const score = joint(end) + Math.min(1, toNumber(notes[j]!.duration) * 2) + j / (i + 1);
        if (!best || score >= best.score) best = { j, score };
      }
      if (!best) continue;
      marked.add(notes[best.j]!);
      start = best.j + 1;
      i = best.j;
    }
  }
  return split.map((e) => (marked.has(e) ? withBreath(e) : e));
}

/**
 * A note held longer than a breath, struck again after a breath: at the latest barline in reach
 * of where it (or its last piece) starts, else the latest half measure. The first piece keeps the
 * note's marks but its fermata, which goes to the last; a sung note (with a syllable) is left whole.
 */
function strikeAgain(e: PlacedEvent, reach: Fraction, frames: readonly MeasureFrame[]): PlacedEvent[] {
  const end = add(e.onset, e.duration);
  const joints = frames.flatMap((f) => [{ t: f.start, score: 2 }, { t: add(f.start, mul(f.duration, frac(1, 2))), score: 1 }]);
  const pieces: PlacedEvent[] = [];
  let from = e.onset;
  while (gt(sub(end, from), reach)) {
    const inReach = joints.filter((j) => gt(j.t, from) && lt(j.t, end) && !gt(sub(j.t, from), reach));
    const cut = inReach.reduce<{ t: Fraction; score: number } | undefined>((b, j) => (!b || j.score > b.score || (j.score === b.score && gt(j.t, b.t)) ? j : b), undefined);
    if (!cut) break;
    pieces.push({ ...e, onset: from, duration: sub(cut.t, from), tieOut: false, ...(pieces.length ? { tieIn: false } : {}) });
    from = cut.t;
  }
  if (pieces.length === 0) return [e];
  const { fermata, ...rest } = e.marks ?? {};
  pieces[0] = { ...pieces[0]!, marks: rest };
  for (let k = 1; k < pieces.length; k++) pieces[k] = { ...pieces[k]!, marks: {} };
  pieces.push({ ...e, onset: from, duration: sub(end, from), tieIn: false, marks: fermata ? { fermata } : {} });
  return pieces.map(({ marks, ...p }) => (marks && Object.keys(marks).length ? { ...p, marks } : p));
}

function withBreath(e: PlacedEvent): PlacedEvent {
  const articulations = [...(e.marks?.articulations ?? []), BREATH];
  return { ...e, marks: { ...e.marks, articulations } };
}

/** How good a time is to breathe at: 3 on a barline, 2 on a half measure, 1 on a beat, else 0. */
function jointScorer(frames: readonly MeasureFrame[]): (t: Fraction) => number {
  const starts = frames.map((f) => f.start);
  const beats = timesInForce(frames).map(beatUnit);
  return (t) => {
    const k = lastAtOrBefore(starts, t);
    const f = frames[k];
    if (!f) return 0;
    const at = sub(t, f.start);
    if (at.n === 0 || !lt(t, add(f.start, f.duration))) return 3;
    if (cmp(mul(f.duration, frac(1, 2)), at) === 0) return 2;
    const q = mul(at, frac(beats[k]!.d, beats[k]!.n));
    return q.d === 1 ? 1 : 0;
  };
}
