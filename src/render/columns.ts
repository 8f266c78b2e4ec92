/**
 * The measure columns of a score, the same at any scale: the staff measures of each column
 * (VexFlow's notes, beams, tuplets), what the layout needs of them, and each column's length
 * and minimum width. Made once per score and shared by every try at a scale (see `index.ts`).
 */
import { Formatter, type Voice } from "vexflow/core";
import { add, cmp, type Fraction, frac } from "../model/fraction.js";
import { notationContexts } from "../model/notation.js";
import type { Score } from "../model/score.js";
import { clefsOf, type PartNotation } from "./specs.js";
import { buildStaffMeasure, type StaffMeasure } from "./staff.js";

/** One staff of one part (staves counted from 1), and its place among the score's staves. */
export interface StaffRef {
  readonly part: number;
  readonly staff: number;
  /** Its index in `Columns.staves`. */
  readonly index: number;
}

/** What the layout needs of a staff measure, kept for the whole score. */
export interface StaffSummary extends Pick<StaffMeasure, "empty" | "top" | "bottom" | "lyrics"> {
  /**
   * The staff measure's `profile` packed, three numbers a note or rest: where it is, its top and
   * its bottom (V8 keeps an array of numbers unboxed). An orchestral movement keeps some 27,000
   * of them: as objects, they took 2.4 MB.
   */
  readonly profile: readonly number[];
}

const MEASURE_PADDING = 24;
/** Room added to VexFlow's minimum for a gap of a quarter between onsets (longer gaps less than proportionally). */
const QUARTER_SPACE = 8;
const SPACE_POWER = 0.75;

/**
 * The columns of one score: the summaries and widths the layout asks for, and columns built to be
 * drawn. Built staff measures are not kept: VexFlow's objects take some 20 kB of heap a staff
 * measure, so an orchestral movement of 8,500 staff measures held 190 MB while it was laid out,
 * and V8 lets its heap grow to a few times what it holds. The layout keeps what it needs of each
 * (its summary, the column's width); the drawing builds each column again as it draws it.
 */
export class Columns {
  readonly score: Score;
  /** The notation contexts and clefs of each part, measure by measure. */
  readonly parts: readonly PartNotation[];
  /** Every staff of every part, top to bottom. */
  readonly staves: readonly StaffRef[];
  /** How many columns: the measures of the longest part. */
  readonly count: number;
  /** The summary of each staff measure, by column and staff (null where the part has no measure), once built. */
  private readonly summaries: (readonly (StaffSummary | null)[] | undefined)[] = [];
  /** VexFlow's minimum width of each column (its formatter's), and the column's whole width. */
  private readonly formatWidths: number[] = [];
  private readonly minWidths: number[] = [];
  private readonly ends: Fraction[] = [];
  /** Summaries of one note or rest, by their numbers: most staff measures of an orchestral score are a rest, alike. */
  private readonly shared = new Map<string, StaffSummary>();

  constructor(score: Score) {
    this.score = score;
    const contexts = score.parts.map((p) => notationContexts(p));
    const clefs = score.parts.map((p) => clefsOf(p));
    this.parts = score.parts.map((part, pi) => ({ part, contexts: contexts[pi]!, clefs: clefs[pi]! }));
    let index = 0;
    this.staves = score.parts.flatMap((p, pi) => Array.from({ length: Math.max(1, p.staves) }, (_, s) => ({ part: pi, staff: s + 1, index: index++ })));
    this.count = Math.max(0, ...score.parts.map((p) => p.measures.length));
  }

  /** What the layout needs of a staff measure (its column is built the first time, and let go). */
  staffSummary(ref: StaffRef, mi: number): StaffSummary | undefined {
    if (!this.summaries[mi]) this.build(mi);
    return this.summaries[mi]![ref.index] ?? undefined;
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
    if (this.formatWidths[mi] === undefined) this.build(mi);
    let w = this.formatWidths[mi]!;
    w += this.idealWidth(mi);
    const m = this.score.parts[0]?.measures[mi];
    w = Math.max(w, 40) + MEASURE_PADDING;
    if (m && (m.attributes.key || m.attributes.time) && mi > 0) w += 30;
    this.minWidths[mi] = w;
    return w;
  }

  /**
   * Builds the staff measures of a column (by staff, as `staves`; undefined where a part has no
   * measure), and puts them through VexFlow's formatter for their minimum width. The first time,
   * their summaries and that width are kept for the layout. Every build goes through the same
   * steps, so that a column is drawn as the layout measured it.
   *
   * `only`: build these staves and leave the others undefined (the staves a system shows: an
   * orchestral system hides the staves that only rest, and building them to throw them away
   * took time, and held their VexFlow objects as long as the system was drawn). A staff
   * measure does not depend on the others: VexFlow's formatter gives each note the same width
   * with or without them, and the drawing formats the column again with the staves it shows.
   */
  build(mi: number, only?: readonly StaffRef[]): (StaffMeasure | undefined)[] {
    const voices: Voice[] = [];
    const f = new Formatter();
    const wanted = only && only.length < this.staves.length ? new Set(only.map((r) => r.index)) : undefined;
    const built = this.staves.map((ref) => {
      if (wanted && !wanted.has(ref.index)) return undefined;
      const part = this.parts[ref.part]!;
      const m = part.part.measures[mi];
      if (!m) return undefined;
      const sm = buildStaffMeasure(m, ref.staff, part.contexts[mi]!, part.clefs[mi]![ref.staff - 1]!, this.end(mi));
      if (sm.voices.length > 0) {
        f.joinVoices(sm.voices);
        voices.push(...sm.voices);
      }
      return sm;
    });
    let w = 0;
    if (voices.length) {
      f.preCalculateMinTotalWidth(voices);
      w = f.getMinTotalWidth();
    }
    if (!this.summaries[mi] && !wanted) {
      this.summaries[mi] = built.map((sm) => (sm ? this.summaryOf(sm) : null));
      this.formatWidths[mi] = w;
    }
    return built;
  }

  /** What the layout keeps of a staff measure; one summary for all staff measures of the same single note or rest. */
  private summaryOf(sm: StaffMeasure): StaffSummary {
    const profile = new Array<number>(3 * sm.profile.length);
    sm.profile.forEach((p, i) => {
      profile[3 * i] = p.at;
      profile[3 * i + 1] = p.top;
      profile[3 * i + 2] = p.bottom;
    });
    const summary = { empty: sm.empty, top: sm.top, bottom: sm.bottom, lyrics: sm.lyrics, profile };
    if (sm.profile.length > 1) return summary;
    const key = [sm.empty, sm.lyrics, sm.top, sm.bottom, ...profile].map(exactText).join(" ");
    const known = this.shared.get(key);
    if (known) return known;
    this.shared.set(key, summary);
    return summary;
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
}

/** A value as text that tells every value apart (-0 from 0, which `String` does not). */
const exactText = (v: number | boolean): string => (Object.is(v, -0) ? "-0" : String(v));
