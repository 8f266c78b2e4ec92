/**
 * What a performance says besides its notes, as the directions a score writes it with: its tempo
 * (from the file's tempo map, or the beat tracked from the notes), its dynamics (from the notes'
 * velocities) and a piano's sustain pedal (see `pedalMarks`).
 *
 * Dynamics: a sketch played at a keyboard carries its dynamics in how hard the keys are struck,
 * not in marks, and the orchestrator scores by the dynamic (p thins the texture, f brings in the
 * brass). Each measure is read at the median velocity of the notes struck in it, smoothed over the
 * measures either side (one loud chord is an accent, not a new level), and read as the level whose
 * velocity (`DYNAMIC_VELOCITY`, the table the MIDI writer plays marks at) lies nearest. A new level
 * is written where the playing moves past the midpoint between two levels by a margin, so that a
 * performance hovering between p and mp is not marked p, mp, p; levels that climb (or fall) step
 * by step, each within two measures of the last, are one hairpin to the level reached. A file whose
 * velocities hardly vary (sequenced at one velocity) says nothing of dynamics, and gets none.
 */
import { cmp, type Fraction, frac, sub, toNumber } from "../model/fraction.js";
import { frameSpans, type MeasureFrame, type PlacedDirection } from "../model/build.js";
import { DYNAMIC_VELOCITY, type DirectionItem, type TimeSignature } from "../model/score.js";
import { dealBySpan } from "../model/search.js";
import { singleSignature } from "../model/time.js";
import { median } from "../util/median.js";

/**
 * Tempo directions, at most one per measure: the measure's mean tempo for playback (`<sound tempo>`)
 * where it moves more than 5 % from the last one, and a visible metronome mark where it moves more
 * than 15 % from the last mark. A performance's rubato (hundreds of tempo events) is smoothed so.
 */
export function tempoDirections(tempos: readonly { at: Fraction; bpm: number }[], frames: readonly MeasureFrame[]): PlacedDirection[] {
  const sorted = [...tempos].sort((a, b) => cmp(a.at, b.at)).map((x) => ({ at: toNumber(x.at), bpm: x.bpm }));
  const out: PlacedDirection[] = [];
  let lastSound: number | undefined;
  let lastShown: number | undefined;
  let time: TimeSignature | undefined;
  // The tempo in force at a frame's start, and the index of the first change after it: one pass.
  let bpm = 120;
  let ti = 0;
  for (const f of frames) {
    if (f.attributes.time) time = f.attributes.time;
    const start = toNumber(f.start);
    const end = start + toNumber(f.duration);
    while (ti < sorted.length && sorted[ti]!.at <= start + 1e-9) bpm = sorted[ti++]!.bpm;
    // Mean of the tempo over the measure, weighed by how long each tempo inside it lasts.
    let sum = 0;
    let from = start;
    let current = bpm;
    while (ti < sorted.length && sorted[ti]!.at < end - 1e-9) {
      sum += current * (sorted[ti]!.at - from);
      from = sorted[ti]!.at;
      current = bpm = sorted[ti++]!.bpm;
    }
    sum += current * (end - from);
    const mean = end > start ? sum / (end - start) : current;
    if (lastSound !== undefined && Math.abs(mean - lastSound) / lastSound <= 0.05) continue;
    lastSound = mean;
    const items: DirectionItem[] = [];
    if (lastShown === undefined || Math.abs(mean - lastShown) / lastShown > 0.15) {
      lastShown = mean;
      const beat = beatOf(time);
      items.push({ kind: "metronome", beatUnit: beat.unit, dots: beat.dots, perMinute: String(Math.round(mean / beat.quarters)) });
    }
    // Whole beats a minute, as a metronome is set: a program that shows a playback tempo (MuseScore 3
    // writes "♩ = 85.17" over the staff for a bare <sound>) shows a mark a player can read.
    out.push({ onset: f.start, staff: 1, placement: "above", items, sound: { tempo: Math.round(mean) } });
  }
  return out;
}

function beatOf(time: TimeSignature | undefined): { unit: "half" | "quarter" | "eighth"; dots: number; quarters: number } {
  const s = singleSignature(time);
  if (s && s.beatType === 8 && Number(s.beats) % 3 === 0) return { unit: "quarter", dots: 1, quarters: 1.5 };
  if (s && s.beatType === 2) return { unit: "half", dots: 0, quarters: 2 };
  return { unit: "quarter", dots: 0, quarters: 1 };
}

/** A note as the dynamics see it: when it is struck, and how hard (MIDI velocity, 1–127). */
export interface StruckNote {
  readonly onset: Fraction;
  readonly velocity: number;
}

/** The dynamics read from a performance, and what the report says of them. */
export interface PerformedDynamics {
  readonly directions: PlacedDirection[];
  /** Level marks and hairpins written. */
  readonly marks: number;
  readonly hairpins: number;
  /** The velocity most notes were struck at, where it hardly varies (and nothing was written). */
  readonly flat?: number;
}

/** The levels a performance is read as: ppp to fff (softer and louder are not told apart by velocity). */
const LEVELS = ["ppp", "pp", "p", "mp", "mf", "f", "ff", "fff"] as const;

/** How far past the midpoint between two levels the playing must go for a new mark (velocity). */
const MARGIN = 4;

/** Velocities within this of the median, for this share of the notes: the file was sequenced at one velocity. */
const FLAT = { within: 4, share: 0.9 } as const;

/** Level changes at most this many measures apart, all one way, are one hairpin. */
const RAMP_GAP = 2;

/**
 * The dynamics a part's notes were played at, as directions at the starts of measures (see the
 * module comment).
 * @example dynamicsFromVelocities(notes, frames).directions[0].items // [{ kind: "dynamics", values: ["p"] }]
 */
export function dynamicsFromVelocities(notes: readonly StruckNote[], frames: readonly MeasureFrame[]): PerformedDynamics {
  if (notes.length === 0 || frames.length === 0) return { directions: [], marks: 0, hairpins: 0 };
  const velocities = notes.map((n) => n.velocity);
  const middle = median(velocities)!;
  if (velocities.filter((v) => Math.abs(v - middle) <= FLAT.within).length >= FLAT.share * velocities.length) {
    return { directions: [], marks: 0, hairpins: 0, flat: middle };
  }
  const smoothed = smoothedVelocities(notes, frames);
  // The level in force, and the measures where it changes.
  const changes: { measure: number; level: number }[] = [];
  let level = -1;
  smoothed.forEach((v, i) => {
    if (v === undefined) return;
    if (level < 0) {
      level = nearestLevel(v);
      changes.push({ measure: i, level });
      return;
    }
    const next = nearestLevel(v);
    if (next === level || !pastMidpoint(v, level, next)) return;
    level = next;
    changes.push({ measure: i, level });
  });
  return directionsOf(changes, frames);
}

/** Each measure's median velocity, smoothed as the median over it and the measures either side; undefined where none of the three has a note. */
function smoothedVelocities(notes: readonly StruckNote[], frames: readonly MeasureFrame[]): (number | undefined)[] {
  const own = dealBySpan(notes, frameSpans(frames)).map((ns) => median(ns.map((n) => n.velocity)));
  return own.map((v, i) => (v === undefined ? undefined : median([own[i - 1], v, own[i + 1]].filter((x): x is number => x !== undefined))));
}

/** The level (index into `LEVELS`) whose velocity lies nearest. */
function nearestLevel(v: number): number {
  let best = 0;
  LEVELS.forEach((l, i) => {
    if (Math.abs(DYNAMIC_VELOCITY[l]! - v) < Math.abs(DYNAMIC_VELOCITY[LEVELS[best]!]! - v)) best = i;
  });
  return best;
}

/** Whether velocity `v` lies past the midpoint between level `from` and the next level towards `to` by the margin. */
function pastMidpoint(v: number, from: number, to: number): boolean {
  const step = to > from ? 1 : -1;
  const mid = (DYNAMIC_VELOCITY[LEVELS[from]!]! + DYNAMIC_VELOCITY[LEVELS[from + step]!]!) / 2;
  return step > 0 ? v >= mid + MARGIN : v <= mid - MARGIN;
}

/** The level changes as directions: a run of changes all one way, each within `RAMP_GAP` measures of the last, is a hairpin to the last level. */
function directionsOf(changes: readonly { measure: number; level: number }[], frames: readonly MeasureFrame[]): PerformedDynamics {
  const directions: PlacedDirection[] = [];
  let hairpins = 0;
  let marks = 0;
  const mark = (measure: number, level: number, before: DirectionItem[] = []): void => {
    directions.push({ onset: frames[measure]!.start, staff: 1, placement: "below", items: [...before, { kind: "dynamics", values: [LEVELS[level]!] }] });
    marks++;
  };
  for (let i = 0; i < changes.length; ) {
    const c = changes[i]!;
    const way = i > 0 ? Math.sign(c.level - changes[i - 1]!.level) : 0;
    let j = i;
    while (way !== 0 && j + 1 < changes.length && Math.sign(changes[j + 1]!.level - changes[j]!.level) === way && changes[j + 1]!.measure - changes[j]!.measure <= RAMP_GAP) j++;
    if (j === i) mark(c.measure, c.level);
    else {
      directions.push({ onset: frames[c.measure]!.start, staff: 1, placement: "below", items: [{ kind: "wedge", type: way > 0 ? "crescendo" : "diminuendo" }] });
      mark(changes[j]!.measure, changes[j]!.level, [{ kind: "wedge", type: "stop" }]);
      hairpins++;
    }
    i = j + 1;
  }
  return { directions, marks, hairpins };
}

/** A sustain pedal event (MIDI controller 64) at its quantised time: pressed (value 64 or more) or released. */
export interface PedalEvent {
  readonly onset: Fraction;
  readonly down: boolean;
}

/** A release this short before the next press is a change of pedal, not a lift (whole notes). */
const PEDAL_CHANGE = frac(1, 16);

/**
 * The sustain pedal as an engraver writes a performed one: a pedal line under the lower staff
 * from where it goes down to where it comes up, notched where the pianist changes it (a release
 * and a press within a 16th of each other, as a pedal is changed with the harmony); a press
 * released at the moment it was made (a flutter under the grid) is none; a pedal still down at
 * the end comes up at the final barline (`end`).
 * @example pedalMarks([{ onset: frac(0), down: true }, { onset: frac(1), down: false }], frac(2)).presses // 1
 */
export function pedalMarks(events: readonly PedalEvent[], end: Fraction): { directions: PlacedDirection[]; presses: number } {
  const spans: { from: Fraction; to: Fraction }[] = [];
  let from: Fraction | undefined;
  for (const e of [...events].sort((a, b) => cmp(a.onset, b.onset))) {
    if (e.down && from === undefined) from = e.onset;
    else if (!e.down && from !== undefined) {
      if (cmp(e.onset, from) > 0) spans.push({ from, to: e.onset });
      from = undefined;
    }
  }
  if (from !== undefined && cmp(end, from) > 0) spans.push({ from, to: end });
  const directions: PlacedDirection[] = [];
  const mark = (onset: Fraction, type: "start" | "change" | "stop"): void => {
    directions.push({ onset, staff: 2, placement: "below", items: [{ kind: "pedal", type, line: true }], ...(type === "stop" && cmp(onset, end) === 0 ? { closing: true } : {}) });
  };
  spans.forEach((s, i) => {
    const before = spans[i - 1];
    const next = spans[i + 1];
    if (!before || cmp(sub(s.from, before.to), PEDAL_CHANGE) > 0) mark(s.from, "start");
    else mark(s.from, "change");
    if (!next || cmp(sub(next.from, s.to), PEDAL_CHANGE) > 0) mark(s.to, "stop");
  });
  return { directions, presses: spans.length };
}
