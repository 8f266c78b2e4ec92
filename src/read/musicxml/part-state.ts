/** What the MusicXML reader carries from one measure of a part to the next, and where an element sits (its staff, its offset). */
import { clip, TuttiError } from "../../model/errors.js";
import { add, frac, type Fraction, max, ZERO } from "../../model/fraction.js";
import type { TimeSignature, Transposition } from "../../model/score.js";
import { childNumber, childText, type XmlElement } from "../../xml/tree.js";
import { READ_LIMITS } from "../limits.js";

/** Mutable state while walking one part. */
export interface PartState {
  divisions: number;
  transpose?: Transposition;
  time?: TimeSignature;
  staves: number;
  /** What the reader changed to keep the notation whole, for the whole score. */
  readonly snaps: Snaps;
}

/**
 * Where a file's `<duration>`s disagreed with its notation by less than a division (divisions
 * that cannot express a triplet: 85, 85, 86 for three triplet eighths at 256 a quarter), and the
 * notated value was read; and measures that drifted off the barline by a division or two.
 */
export interface Snaps {
  values: number;
  /** Notes and rests moved onto the plain grid (see `repairRhythm`), and the first few measures where. */
  retimed: number;
  readonly retimedExamples: string[];
  /** "part P1, measure 12" for each measure whose length was set to its time signature's. */
  readonly measures: string[];
  /** The first few places where a value was snapped. */
  readonly examples: string[];
}

/** A writable view of a model type: each reader fills one in before handing it out as readonly. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A note's or direction's `<staff>`: 1 when absent, else a whole number up to `READ_LIMITS.maxStaves`. */
export function staffOf(c: XmlElement, where: string, what: string): number {
  const text = childText(c, "staff");
  if (text === undefined) return 1;
  const staff = Number(text);
  if (!Number.isInteger(staff) || staff < 1 || staff > READ_LIMITS.maxStaves) {
    throw new TuttiError("BAD_MUSICXML", `${where}: ${what} is on staff ${clip(text)}; staves are numbered 1 to ${READ_LIMITS.maxStaves} at most`);
  }
  return staff;
}

/**
 * Where an `<offset>` puts a direction or harmony: from the cursor, never before the measure;
 * one past the barline is clamped to it later, so an absurd one is clamped here first.
 */
export function offsetOf(c: XmlElement, cursor: Fraction, state: PartState): Fraction {
  const off = childNumber(c, "offset");
  if (!off) return cursor;
  const limit = READ_LIMITS.maxMeasureWholeNotes * state.divisions * 4;
  const ticks = Math.round(Math.max(-limit, Math.min(limit, off)));
  return max(ZERO, add(cursor, frac(ticks, state.divisions * 4)));
}
