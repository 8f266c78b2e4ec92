/**
 * The staves of a system and the notes on them: a VexFlow stave per staff and measure, with its
 * clef, key, time and barlines, and the notes of each measure column formatted together so that
 * the staves line up.
 */
import { BarlineType, Formatter, type RenderContext, Stave, type Voice } from "vexflow/core";
import type { Columns } from "../columns.js";
import type { System } from "../layout.js";
import { addStartModifiers, barType } from "../specs.js";
import type { StaffMeasure } from "../staff.js";

/** A system with its staves drawn: what ties, slurs, hairpins, lyrics and words are drawn on. */
export interface DrawnSystem {
  readonly ctx: RenderContext;
  readonly sys: System;
  /** The staves, measure by measure (then row by row, as `sys.staves`). */
  readonly grid: readonly (readonly Stave[])[];
  /** Their staff measures, notes formatted and drawn, in the same order. */
  readonly measures: readonly (readonly StaffMeasure[])[];
}

/** Where a part has no measure. */
const EMPTY: StaffMeasure = { voices: [], beams: [], tuplets: [], tieStarts: [], tieStops: [], anchors: [], top: 0, bottom: 4, empty: true, lyrics: 0, notes: [], profile: [] };

/** Draws the staves of a system at (ox, oy), measures at `xs` with `widths`, then their notes. */
export function drawStaves(ctx: RenderContext, columns: Columns, sys: System, xs: readonly number[], widths: readonly number[], ox: number, oy: number): DrawnSystem {
  const grid: Stave[][] = [];
  const measures: StaffMeasure[][] = [];
  for (let mi = sys.first; mi <= sys.last; mi++) {
    const k = mi - sys.first;
    const row: Stave[] = [];
    const sms: StaffMeasure[] = [];
    const built = columns.build(mi, sys.staves);
    sys.staves.forEach((ref, r) => {
      const s = new Stave(ox + xs[k]!, oy + sys.y[r]!, widths[k]!, { spaceAboveStaffLn: 0, leftBar: k === 0 });
      addStartModifiers(s, columns.parts[ref.part]!, ref.staff, mi, k === 0);
      const m = columns.score.parts[ref.part]!.measures[mi];
      if (m?.right) s.setEndBarType(barType(m.right));
      if (m?.left?.repeat) s.setBegBarType(BarlineType.REPEAT_BEGIN);
      s.setContext(ctx);
      row.push(s);
      sms.push(built[ref.index] ?? EMPTY);
    });
    Stave.formatBegModifiers(row);
    grid.push(row);
    measures.push(sms);
  }
  for (const row of grid) for (const s of row) s.draw();
  grid.forEach((row, k) => drawNotes(ctx, row, measures[k]!));
  return { ctx, sys, grid, measures };
}

/** Notes of one measure column: one formatter for all its staves, so they line up. */
function drawNotes(ctx: RenderContext, row: readonly Stave[], sms: readonly StaffMeasure[]): void {
  const f = new Formatter();
  const all: Voice[] = [];
  sms.forEach((sm, r) => {
    if (sm.voices.length === 0) return;
    for (const v of sm.voices) v.setStave(row[r]!);
    f.joinVoices(sm.voices);
    all.push(...sm.voices);
  });
  if (all.length === 0) return;
  const s0 = row[0]!;
  const avail = s0.getNoteEndX() - s0.getNoteStartX() - 12;
  f.format(all, Math.max(10, avail));
  sms.forEach((sm, r) => {
    for (const v of sm.voices) v.draw(ctx, row[r]!);
    for (const b of sm.beams) b.setContext(ctx).draw();
    for (const t of sm.tuplets) t.setContext(ctx).draw();
  });
}
