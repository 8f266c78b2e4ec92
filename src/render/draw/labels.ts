/** Words that name things: the title and composer, part names, and measure numbers. */
import type { RenderContext } from "vexflow/core";
import type { Score } from "../../model/score.js";
import { type Frame, NAME_GAP } from "../layout.js";
import type { DrawnSystem } from "./staves.js";
import { text } from "./text.js";

/** Title, subtitle and composer over the first system, in the room `titleHeight` leaves. */
export function drawTitle(ctx: RenderContext, score: Score, frame: Frame, ox: number, oy: number): void {
  const m = score.meta;
  const title = m.title ?? m.movementTitle;
  const center = ox + frame.width / 2;
  let y = oy + 30;
  if (title) {
    text(ctx, title, center, y, 22, "middle", "bold");
    y += 30;
  }
  if (m.title && m.movementTitle && m.movementTitle !== m.title) text(ctx, m.movementTitle, center, y, 13, "middle");
  const composer = m.creators.find((c) => c.type === "composer");
  if (composer) text(ctx, composer.name, ox + frame.width, title ? oy + 60 : oy + 20, 12, "end");
}

/**
 * Each part's name (`names`, by part: full ones on the first system, short after) in the indent,
 * level with the middle of its staves.
 */
export function drawNames({ ctx, sys, grid }: DrawnSystem, names: readonly string[], indent: number, ox: number, staffCount: number): void {
  if (indent <= 0) return;
  const col = grid[0]!;
  const seen = new Set<number>();
  for (const ref of sys.staves) {
    if (seen.has(ref.part)) continue;
    seen.add(ref.part);
    const name = names[ref.part] ?? "";
    if (!name) continue;
    const rows = sys.staves.map((x, i) => (x.part === ref.part ? i : -1)).filter((i) => i >= 0);
    const top = col[rows[0]!]!.getYForLine(0);
    const bottom = col[rows[rows.length - 1]!]!.getYForLine(4);
    const x = ox + indent - NAME_GAP - (staffCount > 1 ? 10 : 0);
    text(ctx, name, x, (top + bottom) / 2 + 4, 11, "end");
  }
}

/** The number of the first measure, over the top staff at the start of the system. */
export function drawMeasureNumber({ ctx, sys, grid }: DrawnSystem, score: Score): void {
  const m0 = score.parts[0]?.measures[sys.first];
  if (!m0) return;
  const s = grid[0]![0]!;
  text(ctx, m0.number, s.getX(), s.getYForLine(0) - 18, 10, "start", "normal", "italic");
}
