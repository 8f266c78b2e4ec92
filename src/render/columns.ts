/**
 * The measure columns of a score, the same at any scale: the staff measures of each column
 * (VexFlow's notes, beams, tuplets), what the layout needs of them, and each column's length
 * and minimum width. Built once per score and shared by every try at a scale (see `index.ts`).
 */
import { Formatter, type Voice } from "vexflow/core";
import { add, cmp, type Fraction, frac } from "../model/fraction.js";
import { notationContexts } from "../model/notation.js";
import type { Score } from "../model/score.js";
import { clefsOf, type PartNotation } from "./specs.js";
import { buildStaffMeasure, type StaffMeasure } from "./staff.js";

/** One staff of one part (staves counted from 1). */
export interface StaffRef {
  readonly part: number;
  readonly staff: number;
}

/** What the layout needs of a staff measure, kept for the whole score. */
export type StaffSummary = Pick<StaffMeasure, "empty" | "top" | "bottom" | "lyrics" | "profile">;

/** The key of a staff measure (part, staff, measure) in the maps of built staff measures. */
const measureKey = (ref: StaffRef, mi: number): string => `${ref.part}:${ref.staff}:${mi}`;

/**
 * Staff measures kept built at once. VexFlow's objects take some 20 kB of heap a staff measure
 * (and drawn, they hold their page), so an orchestral score of 10,000 measures would need over
 * 4 GB: beyond this many, the columns built longest ago are let go (their summaries and widths
 * stay) and built again if drawn. Scores up to some 450 measures of 22 staves never rebuild.
 */
const KEEP_STAFF_MEASURES = 10_000;

const MEASURE_PADDING = 24;
/** Room added to VexFlow's minimum for a gap of a quarter between onsets (longer gaps less than proportionally). */
const QUARTER_SPACE = 8;
const SPACE_POWER = 0.75;

/** The columns of one score: built as the layout asks for them, kept within KEEP_STAFF_MEASURES. */
export class Columns {
  readonly score: Score;
  /** The notation contexts and clefs of each part, measure by measure. */
  readonly parts: readonly PartNotation[];
  /** Every staff of every part, top to bottom. */
  readonly staves: readonly StaffRef[];
  /** How many columns: the measures of the longest part. */
  readonly count: number;
  private readonly measures = new Map<string, StaffMeasure>();
  private readonly summaries = new Map<string, StaffSummary | null>();
  /** VexFlow's minimum width of each column (its formatter's), and the column's whole width. */
  private readonly formatWidths: number[] = [];
  private readonly minWidths: number[] = [];
  private readonly ends: Fraction[] = [];
  /** The staff measures of each column kept, by key, oldest column first from `head`. */
  private readonly kept: string[][] = [];
  private head = 0;
  private keptCount = 0;

  constructor(score: Score) {
    this.score = score;
    const contexts = score.parts.map((p) => notationContexts(p));
    const clefs = score.parts.map((p) => clefsOf(p));
    this.parts = score.parts.map((part, pi) => ({ part, contexts: contexts[pi]!, clefs: clefs[pi]! }));
    this.staves = score.parts.flatMap((p, pi) => Array.from({ length: Math.max(1, p.staves) }, (_, s) => ({ part: pi, staff: s + 1 })));
    this.count = Math.max(0, ...score.parts.map((p) => p.measures.length));
  }

  /** A staff measure to draw: kept, or built again with its column. */
  staffMeasure(ref: StaffRef, mi: number): StaffMeasure | undefined {
    const key = measureKey(ref, mi);
    const sm = this.measures.get(key);
    if (sm) return sm;
    if (!this.score.parts[ref.part]!.measures[mi]) return undefined;
    this.buildColumn(mi);
    return this.measures.get(key);
  }

  /** What the layout needs of a staff measure (its column is built the first time). */
  staffSummary(ref: StaffRef, mi: number): StaffSummary | undefined {
    const key = measureKey(ref, mi);
    if (!this.summaries.has(key)) this.buildColumn(mi);
    return this.summaries.get(key) ?? undefined;
  }

  /** Lets the staff measures of a drawn column go (their notes hold the page they were drawn on). */
  release(mi: number): void {
    this.forget(this.staves.map((ref) => measureKey(ref, mi)));
  }

  /** The length of a measure column: the longest measure or voice of any part. */
  end(mi: number): Fraction {
    const cached = this.ends[mi];
    if (cached) return cached;
    let end = frac(0);
    for (const p of this.score.parts) {
      const m = p.measures[mi];
      if (!m) continue;
      if (cmp(m.duration, end) > 0) end = m.duration;
      for (const e of m.events) if (cmp(add(e.onset, e.duration), end) > 0) end = add(e.onset, e.duration);
    }
    if (end.n === 0) end = frac(1, 4);
    this.ends[mi] = end;
    return end;
  }

  /**
   * Width of a measure column (all staves aligned): the room VexFlow's formatter needs for its
   * tick contexts side by side, plus a modest share of the duration-proportional width, plus the
   * barline. VexFlow's own `preCalculateMinTotalWidth` adds a padding for unaligned contexts that
   * grows with the number of staves; the summed context widths are the true minimum, and the
   * systems are justified afterwards anyway.
   */
  minWidth(mi: number): number {
    const cached = this.minWidths[mi];
    if (cached !== undefined) return cached;
    let w = this.formatWidths[mi] ?? this.buildColumn(mi);
    w += this.idealWidth(mi);
    const m = this.score.parts[0]?.measures[mi];
    w = Math.max(w, 40) + MEASURE_PADDING;
    if (m && (m.attributes.key || m.attributes.time) && mi > 0) w += 30;
    this.minWidths[mi] = w;
    return w;
  }

  /**
   * Builds the staff measures of a column, and puts them through VexFlow's formatter for their
   * minimum width. Built again (to be drawn, after the column was let go), they go through the
   * same steps, so that they are drawn as the first ones would have been. Returns that width.
   */
  private buildColumn(mi: number): number {
    const voices: Voice[] = [];
    const f = new Formatter();
    const keys: string[] = [];
    for (const ref of this.staves) {
      const key = measureKey(ref, mi);
      const part = this.parts[ref.part]!;
      const m = part.part.measures[mi];
      if (!m) {
        this.summaries.set(key, null);
        continue;
      }
      const sm = buildStaffMeasure(m, ref.staff, part.contexts[mi]!, part.clefs[mi]![ref.staff - 1]!, this.end(mi));
      this.measures.set(key, sm);
      keys.push(key);
      this.summaries.set(key, { empty: sm.empty, top: sm.top, bottom: sm.bottom, lyrics: sm.lyrics, profile: sm.profile });
      if (sm.voices.length === 0) continue;
      f.joinVoices(sm.voices);
      voices.push(...sm.voices);
    }
    let w = 0;
    if (voices.length) {
      f.preCalculateMinTotalWidth(voices);
      w = f.getMinTotalWidth();
    }
    this.formatWidths[mi] = w;
    this.keep(keys);
    return w;
  }

  /** Width by durations between the onsets of all parts (`QUARTER_SPACE` for a quarter, longer values less than proportionally). */
  private idealWidth(mi: number): number {
    const onsets = new Set<number>();
    const end = this.end(mi);
    const points: Fraction[] = [];
    for (const p of this.score.parts) {
      for (const e of p.measures[mi]?.events ?? []) {
        if (e.kind === "note" && e.grace) continue;
        const key = e.onset.n / e.onset.d;
        if (!onsets.has(key)) {
          onsets.add(key);
          points.push(e.onset);
        }
      }
    }
    points.sort(cmp);
    points.push(end);
    let w = 0;
    for (let i = 0; i + 1 < points.length; i++) {
      const d = (points[i + 1]!.n / points[i + 1]!.d - points[i]!.n / points[i]!.d) * 4;
      w += QUARTER_SPACE * Math.pow(Math.max(d, 1 / 16), SPACE_POWER);
    }
    return w;
  }

  /** Lets staff measures go (those still kept). */
  private forget(keys: readonly string[]): void {
    for (const k of keys) if (this.measures.delete(k)) this.keptCount--;
  }

  /** Records a column just built, and lets the oldest go while too many are kept. */
  private keep(keys: string[]): void {
    this.kept.push(keys);
    this.keptCount += keys.length;
    while (this.keptCount > KEEP_STAFF_MEASURES && this.kept.length - this.head > 1) this.forget(this.kept[this.head++]!);
    if (this.head > 1024 && this.head * 2 > this.kept.length) {
      this.kept.splice(0, this.head);
      this.head = 0;
    }
  }
}
