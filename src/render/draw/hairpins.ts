/**
 * Hairpins (crescendo and diminuendo wedges) under the staves, from one wedge direction to its
 * stop; over the staff where the part's marks stand there (a singer's, clear of the words).
 */
import type { RenderContext, Stave } from "vexflow/core";
import { cmp, type Fraction, ge, le, lt } from "../../model/fraction.js";
import type { Score } from "../../model/score.js";
import type { StaffMeasure } from "../staff.js";
import { anchorX, dynamicsWidthAt } from "./directions.js";
import type { DrawnSystem } from "./staves.js";

type Wedge = "crescendo" | "diminuendo";

/** Hairpins still open at the end of a system, by part and staff (`part:staff`), and their side. */
export type OpenHairpins = Map<string, { readonly type: Wedge; readonly above: boolean }>;

/** Draws the hairpins of a system; one still open at its end runs to the last barline and goes on in the next (`carried`). */
export function drawHairpins({ ctx, sys, grid, measures }: DrawnSystem, score: Score, carried: OpenHairpins): void {
  sys.staves.forEach((ref, r) => {
    const key = `${ref.part}:${ref.staff}`;
    const first = grid[0]![r]!;
    let open: { x: number; y: number; type: Wedge; above: boolean; carried?: boolean } | undefined;
    const goingOn = carried.get(key);
    if (goingOn) {
      open = { x: first.getNoteStartX() - 4, y: wedgeY(first, measures[0]![r]!, goingOn.above), ...goingOn, carried: true };
      carried.delete(key);
    }
    grid.forEach((col, k) => {
      const m = score.parts[ref.part]!.measures[sys.first + k];
      const sm = measures[k]![r]!;
      const stave = col[r]!;
      const own = (m?.directions ?? []).filter((d) => d.staff === ref.staff);
      for (const d of [...own].sort((a, b) => cmp(a.offset, b.offset))) {
        for (const item of d.items) {
          if (item.kind !== "wedge") continue;
          const x = timeX(sm, d.offset, m!.duration, stave);
          // A hairpin starts after a dynamic at its start and stops short of one at its end
          // ("p < f"), wherever the copyist wrote them (one direction or several).
          const dynamic = dynamicsWidthAt(ctx, own, d.offset, item.type === "stop" ? (open?.above ?? false) : d.placement === "above");
          if (item.type === "stop" && open) {
            // It stops short of the first dynamic written after its start, up to its stop.
            const start = open.x;
            const before = own
              .filter((o) => le(o.offset, d.offset) && o.items.some((i) => i.kind === "dynamics") && dynamicsWidthAt(ctx, own, o.offset, open!.above) > 0)
              .map((o) => anchorX(sm, o.offset, stave))
              .filter((ox) => ox >= start);
            const end = Math.min(dynamic ? x - 4 : x + 8, ...before.map((ox) => ox - 4));
            // One carried over that stops at the system's first dynamic ended at the last barline.
            if (!(open.carried && end < open.x + 10)) hairpin(ctx, open.x, Math.max(open.x + 10, end), open.y, open.type);
            open = undefined;
          } else if (item.type === "crescendo" || item.type === "diminuendo") {
            const above = d.placement === "above";
            // Clear of a dynamic written earlier that still reaches past its start (the pp on the
            // held note a hairpin starts inside).
            const clear = own
              .filter((o) => lt(o.offset, d.offset) && o.items.some((i) => i.kind === "dynamics"))
              .reduce((c, o) => {
                const w = dynamicsWidthAt(ctx, own, o.offset, above);
                return w > 0 ? Math.max(c, anchorX(sm, o.offset, stave) + w + 4) : c;
              }, -Infinity);
            open = { x: Math.max(x + (dynamic ? dynamic + 4 : 0), clear), y: wedgeY(stave, sm, above), type: item.type, above };
          }
        }
      }
    });
    if (open) {
      const last = grid[grid.length - 1]![r]!;
      hairpin(ctx, open.x, last.getX() + last.getWidth() - 4, open.y, open.type);
      carried.set(key, { type: open.type, above: open.above });
    }
  });
  // A staff this system leaves out (it rests throughout) still starts and stops its hairpins
  // here: one that stops in a measure not drawn is not carried on to the staff's next system.
  const drawn = new Set(sys.staves.map((ref) => `${ref.part}:${ref.staff}`));
  score.parts.forEach((part, pi) => {
    for (let k = 0; k < grid.length; k++) {
      const m = part.measures[sys.first + k];
      for (const d of [...(m?.directions ?? [])].sort((a, b) => cmp(a.offset, b.offset))) {
        const key = `${pi}:${d.staff}`;
        if (drawn.has(key)) continue;
        for (const item of d.items) {
          if (item.kind !== "wedge") continue;
          if (item.type === "stop") carried.delete(key);
          else if (item.type === "crescendo" || item.type === "diminuendo") carried.set(key, { type: item.type, above: d.placement === "above" });
        }
      }
    }
  });
}

/**
 * Where a hairpin's end stands: at the note struck at or before it, or the barline for one at the
 * measure's end (a crescendo to the next downbeat runs on past the measure's last chord).
 */
function timeX(sm: StaffMeasure, at: Fraction, length: Fraction, stave: Stave): number {
  // The barline, less the 8 units a stop reaches past its note.
  return ge(at, length) ? stave.getNoteEndX() - 8 : anchorX(sm, at, stave);
}

/**
 * The middle of a hairpin under a staff measure, under its lowest note or stem; or over it, over
 * its highest, level with the dynamics there.
 */
function wedgeY(stave: Stave, sm: StaffMeasure, above: boolean): number {
  return above ? stave.getYForLine(0) + Math.min(sm.top * 10, 0) - 17 : stave.getYForLine(4) + Math.max(sm.bottom * 10 - 40, 0) + 20;
}

function hairpin(ctx: RenderContext, x1: number, x2: number, y: number, type: Wedge): void {
  const open = 5; // half the opening, units
  // The open end: the right for a crescendo, the left for a diminuendo.
  const [wide, point] = type === "crescendo" ? [x2, x1] : [x1, x2];
  ctx.openGroup("hairpin");
  ctx.beginPath();
  ctx.moveTo(wide, y - open);
  ctx.lineTo(point, y);
  ctx.lineTo(wide, y + open);
  ctx.setLineWidth(1);
  ctx.stroke();
  ctx.closeGroup();
}
