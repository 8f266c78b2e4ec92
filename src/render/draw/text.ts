/**
 * Words in Academico and music glyphs in Bravura, drawn and measured through the render context
 * (the glyph pass of `glyphs.ts` later outlines them).
 */
import type { RenderContext } from "vexflow/core";

/** Draws text in Academico, `anchor` saying which end (or the middle) sits at x. */
export function text(ctx: RenderContext, s: string, x: number, y: number, size: number, anchor: "start" | "middle" | "end" = "start", weight = "normal", style = "normal"): void {
  ctx.save();
  ctx.setFont("Academico", size, weight, style);
  const w = ctx.measureText(s).width;
  const dx = anchor === "middle" ? -w / 2 : anchor === "end" ? -w : 0;
  ctx.fillText(s, x + dx, y);
  ctx.restore();
}

/** The width `text` would draw `s` with. */
export function textWidth(ctx: RenderContext, s: string, size: number, weight = "normal", style = "normal"): number {
  ctx.save();
  ctx.setFont("Academico", size, weight, style);
  const w = ctx.measureText(s).width;
  ctx.restore();
  return w;
}

/** Draws music glyphs (SMuFL code points) in Bravura, starting at x. */
export function music(ctx: RenderContext, s: string, x: number, y: number, size: number): void {
  ctx.save();
  ctx.setFont("Bravura", size);
  ctx.fillText(s, x, y);
  ctx.restore();
}

/** The width `music` would draw `s` with. */
export function musicWidth(ctx: RenderContext, s: string, size: number): number {
  ctx.save();
  ctx.setFont("Bravura", size);
  const w = ctx.measureText(s).width;
  ctx.restore();
  return w;
}
