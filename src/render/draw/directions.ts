/** Directions over and under the staves: dynamics, words and tempo marks, metronome marks, rehearsal marks; chord symbols. */
import type { RenderContext, Stave } from "vexflow/core";
import { cmp, eq, type Fraction, le } from "../../model/fraction.js";
import { timeKey } from "../../model/search.js";
import { chordSymbolText, transposeHarmony } from "../../model/harmony.js";
import { type NotationContext, writtenShift } from "../../model/notation.js";
import type { Direction, Score } from "../../model/score.js";
import { DYNAMIC_OFFSET } from "../layout.js";
import type { StaffMeasure } from "../staff.js";
import type { DrawnSystem } from "./staves.js";
import { music, musicWidth, text, textWidth } from "./text.js";

const DYNAMIC_SIZE = 25;
const METRONOME_SIZE = 20;
/** Segno and coda: a little larger than a dynamic, about the staff's height. */
const SIGN_SIZE = 30;
const METRONOME: Readonly<Record<string, string>> = {
  whole: "\uE1D2", half: "\uE1D3", quarter: "\uE1D5", eighth: "\uE1D7", "16th": "\uE1D9",
};

const DYNAMIC_LETTERS: Readonly<Record<string, string>> = { p: "\uE520", m: "\uE521", f: "\uE522", r: "\uE523", s: "\uE524", z: "\uE525", n: "\uE526" };

/** Draws the directions of every staff measure of a system (hairpins apart: see `hairpins.ts`). */
export function drawDirections(drawn: DrawnSystem, score: Score, contexts: readonly (readonly NotationContext[])[]): void {
  const { sys, grid, measures } = drawn;
  // Chord symbols stand on one line through the system, over the staff's highest note (Gould).
  const highest = sys.staves.map((_, r) => Math.min(0, ...measures.map((col) => col[r]?.top ?? 0)));
  const directionsAt = (k: number, r: number): Direction[] => {
    const ref = sys.staves[r]!;
    return (score.parts[ref.part]!.measures[sys.first + k]?.directions ?? []).filter((d) => d.staff === ref.staff);
  };
  // Where each staff's marks over and under it have reached, measure after measure of the system.
  const reached = sys.staves.map((): Reach => ({ above: -Infinity, below: -Infinity }));
  grid.forEach((col, k) => {
    const mi = sys.first + k;
    sys.staves.forEach((ref, r) => {
      const m = score.parts[ref.part]!.measures[mi];
      if (!m) return;
      const directions = directionsAt(k, r);
      // A transposing part shows its chord symbols in its written key, as its notes.
      const shift = m.harmonies.length ? writtenShift(contexts[ref.part]?.[mi] ?? CONCERT) : undefined;
      const chords = m.harmonies.filter((h) => (h.staff ?? 1) === ref.staff).map((h) => ({ offset: h.offset, text: chordSymbolText(shift ? transposeHarmony(h, shift.diatonic, shift.chromatic) : h) }));
      // The next measure's first mark under the staff, in this system: words before it end short of it.
      const next = grid[k + 1]?.[r] && measures[k + 1]?.[r] ? directionsAt(k + 1, r).filter((d) => d.placement !== "above" && d.items.some(isMarked)) : [];
      const limit = next.length ? Math.min(...next.map((d) => anchorX(measures[k + 1]![r]!, d.offset, grid[k + 1]![r]!))) : Infinity;
      if (directions.length || chords.length) reached[r] = drawStaffDirections(drawn.ctx, directions, { chords, y: col[r]!.getYForLine(0) + highest[r]! * 10 - 12 }, measures[k]![r]!, col[r]!, k === 0, reached[r]!, limit);
    });
  });
}

/** How far right (px) a staff's marks over and under it reach. */
interface Reach {
  readonly above: number;
  readonly below: number;
}

/** Whether a direction's item draws a mark: a dynamic or words. */
function isMarked(i: Direction["items"][number]): boolean {
  return (i.kind === "dynamics" && i.values.some((v) => dynamicGlyphs(v).trim() !== "")) || (i.kind === "words" && i.text.trim() !== "");
}

/**
 * The directions of one staff measure. Words and metronome marks over the staff run on in a line,
 * left to right, each no further left than its place ("Allegro ♩ = 156"; a metronome mark a little
 * after long tempo words, as Weber's Concertino has it, after them rather than over them); so do
 * dynamics and words under it (Weber's ff and the p an eighth after it side by side, not one
 * over the other); a metronome mark given twice at one place is drawn once. Chord symbols run
 * on over the staff with the words, upright. The run-on goes on from what the measures before it
 * in the system reached (`reach`; returned for the next), and words under the staff end short of
 * `limit`, the next measure's first mark there, where they can start earlier.
 */
function drawStaffDirections(
  ctx: RenderContext,
  directions: readonly Direction[],
  symbols: { readonly chords: readonly { readonly offset: Fraction; readonly text: string }[]; readonly y: number },
  sm: StaffMeasure,
  stave: Stave,
  systemStart: boolean,
  reach: Reach,
  limit: number,
): Reach {
  let nextAbove = reach.above; // the first free x over the staff
  let nextBelow = reach.below; // the first free x under the staff
  const marks = new Set<string>();
  const metronomeOnly = (d: Direction): number => (d.items.every((i) => i.kind === "metronome") ? 1 : 0);
  const wordsBelow = (d: Direction): number => (d.placement === "below" && d.items.some((i) => i.kind === "words") ? 1 : 0);
  const above = stave.getYForLine(0) + Math.min(sm.top * 10, 0) - 12;
  // In time order; at one place dynamics first, so that words under the staff run on after them
  // ("f delicato"), and a metronome mark after the tempo words; a chord symbol before the words
  // over the staff at its place.
  const entries = [...symbols.chords.map((c) => ({ offset: c.offset, chord: c.text })), ...directions.map((d) => ({ offset: d.offset, d }))];
  const rank = (e: (typeof entries)[number]): number => ("d" in e ? 1 + metronomeOnly(e.d) * 2 + wordsBelow(e.d) : 0);
  for (const e of entries.sort((a, b) => cmp(a.offset, b.offset) || rank(a) - rank(b))) {
    const x = anchorX(sm, e.offset, stave);
    const runOn = (w: number, from = x): number => {
      const x0 = Math.max(from, nextAbove);
      nextAbove = x0 + w + 8;
      return x0;
    };
    if (!("d" in e)) {
      text(ctx, e.chord, runOn(textWidth(ctx, e.chord, CHORD_SIZE)), symbols.y, CHORD_SIZE);
      continue;
    }
    const d = e.d;
    const at = timeKey(d.offset);
    const below = stave.getYForLine(4) + Math.max(sm.bottom * 10 - 40, 0) + DYNAMIC_OFFSET;
    for (const item of d.items) {
      if (item.kind === "dynamics") {
        const glyphs = item.values.map((v) => dynamicGlyphs(v)).join(" ");
        if (!glyphs.trim()) continue;
        // Under the lowest note or stem around it, as drawn (a beam may have lengthened the stems).
        // Two marks at one place (sf and sfp) stand side by side.
        const width = musicWidth(ctx, glyphs, DYNAMIC_SIZE);
        // Inside the measure: a mark under its last note stops short of the barline.
        const inside = Math.min(x, stave.getX() + stave.getWidth() - width - 2);
        // Over the staff (a singer's), the words after it run on past it, as under the staff.
        const x0 = d.placement === "above" ? runOn(width, inside) : Math.max(inside, nextBelow);
        const y = d.placement === "above" ? above : Math.max(below, lowestUnder(sm, x0 - 6, x0 + width + 6) + DYNAMIC_OFFSET);
        music(ctx, glyphs, x0, y, DYNAMIC_SIZE);
        if (d.placement !== "above") nextBelow = x0 + width + 6;
      } else if (item.kind === "words" && item.text.trim()) {
        const tempo = d.sound?.tempo !== undefined || systemStart;
        const size = tempo ? 12 : 11;
        const weight = tempo && d.sound?.tempo !== undefined ? "bold" : "normal";
        const style = tempo && d.sound?.tempo !== undefined ? "normal" : "italic";
        if (d.placement === "below") {
          // Ending short of the next measure's first mark, where it can start before its note
          // and after the marks before it (Gould: the dynamic keeps its place, the words make room).
          const width = textWidth(ctx, item.text, size, weight, style);
          const x0 = Math.max(Math.min(x, limit - 8 - width), nextBelow, stave.getX() + 4);
          nextBelow = x0 + width + 6;
          text(ctx, item.text, x0, below, size, "start", weight, style);
        }
        else text(ctx, item.text, runOn(textWidth(ctx, item.text, size, weight, style)), above, size, "start", weight, style);
      } else if (item.kind === "metronome") {
        const key = `${at}:${item.beatUnit}:${item.dots}:${item.perMinute}`;
        if (marks.has(key)) continue;
        marks.add(key);
        // The note (and its dots), then " = 156" after the note's measured width.
        const note = (METRONOME[item.beatUnit] ?? "\uE1D5") + "\uE1E7".repeat(item.dots);
        const noteWidth = musicWidth(ctx, note, METRONOME_SIZE);
        const rest = ` = ${item.perMinute}`;
        const x0 = runOn(noteWidth + textWidth(ctx, rest, 12));
        music(ctx, note, x0, above, METRONOME_SIZE);
        text(ctx, rest, x0 + noteWidth, above, 12);
      } else if (item.kind === "segno" || item.kind === "coda") {
        const sign = item.kind === "segno" ? "\uE047" : "\uE048";
        music(ctx, sign, runOn(musicWidth(ctx, sign, SIGN_SIZE)), above, SIGN_SIZE);
      } else if (item.kind === "rehearsal") {
        text(ctx, item.text, x, above - 6, 14, "start", "bold");
      }
    }
  }
  return { above: nextAbove, below: nextBelow };
}

/** Chord symbols: upright, a little larger than expression words. */
const CHORD_SIZE = 13;
const CONCERT: NotationContext = { transpose: undefined, key: undefined, time: undefined };

/** The Bravura glyphs of a dynamic ("sfz"). */
function dynamicGlyphs(v: string): string {
  return [...v].map((c) => DYNAMIC_LETTERS[c] ?? "").join("");
}

/**
 * The width (px) of the dynamics drawn under a staff at one place, side by side, or 0: what a
 * hairpin starting or stopping there keeps clear of. Over the staff (`above`, a singer's marks),
 * the words that run on after them there too.
 */
export function dynamicsWidthAt(ctx: RenderContext, directions: readonly Direction[], at: Fraction, above = false): number {
  const widths = directions
    .filter((d) => (d.placement === "above") === above && eq(d.offset, at))
    .flatMap((d) =>
      d.items.flatMap((i) => {
        if (i.kind === "dynamics") {
          const g = i.values.map((v) => dynamicGlyphs(v)).join(" ");
          return g.trim() ? [musicWidth(ctx, g, DYNAMIC_SIZE)] : [];
        }
        return above && i.kind === "words" && i.text.trim() && d.sound?.tempo === undefined ? [textWidth(ctx, i.text, 11, "normal", "italic")] : [];
      }),
    );
  return widths.length ? widths.reduce((a, b) => a + b, 0) + (above ? 8 : 6) * (widths.length - 1) : 0;
}

/** The lowest point (px) of the notes and stems of a staff measure drawn between x1 and x2. */
function lowestUnder(sm: StaffMeasure, x1: number, x2: number): number {
  let low = -Infinity;
  for (const { note } of sm.notes) {
    try {
      if (note.getNoteHeadEndX() < x1 || note.getNoteHeadBeginX() > x2) continue;
      low = Math.max(low, ...note.getYs().map((y) => y + 5));
      if (note.hasStem()) {
        const { topY, baseY } = note.getStemExtents();
        low = Math.max(low, topY, baseY);
      }
    } catch {
      // not formatted
    }
  }
  return low;
}

/** Where a direction at `at` hangs: the note or rest sounding then, or the start of the notes. */
export function anchorX(sm: StaffMeasure, at: Fraction, stave: Stave): number {
  let best: number | undefined;
  for (const a of sm.anchors) {
    if (le(a.onset, at)) {
      try {
        best = a.tickable.getAbsoluteX();
      } catch {
        // not formatted
      }
    }
  }
  return best ?? stave.getNoteStartX();
}
