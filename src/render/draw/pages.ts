/**
 * Engraves laid-out pages, one SVG document each: a white page, the title, and each system with
 * its staves, notes, ties, connectors, names, directions, slurs, hairpins, lyrics and measure
 * number; then the glyphs outlined and what VexFlow adds for interactivity dropped.
 */
import type { Columns } from "../columns.js";
import { type ShimElement, ShimElement as El, serialize } from "../dom.js";
import { DEFAULT_GLYPHS, outlineText } from "../glyphs.js";
import { type Frame, MARGIN, type PageLayout } from "../layout.js";
import { partGroups, shortNames } from "../parts.js";
import { ShimContext } from "../vexflow-env.js";
import { drawBreaths } from "./breaths.js";
import { drawConnectors } from "./connectors.js";
import { drawDirections } from "./directions.js";
import { drawHairpins, type OpenHairpins } from "./hairpins.js";
import { drawMeasureNumber, drawNames, drawTitle } from "./labels.js";
import { drawLyrics, type OpenExtenders } from "./lyrics.js";
import { drawSlurs, type Placement } from "./slurs.js";
import { drawStaves } from "./staves.js";
import { drawTies, type PendingTie } from "./ties.js";

/** The pages in order, each engraved when it is asked for (ties, slurs and hairpins carry over). */
export function* drawPages(columns: Columns, frame: Frame, layout: readonly PageLayout[]): Generator<string, void, undefined> {
  const score = columns.score;
  const contexts = columns.parts.map((p) => p.contexts);
  const fullNames = score.parts.map((p) => p.name);
  const short = shortNames(score);
  const groups = partGroups(score);
  const pendingTies: PendingTie[] = [];
  const openSlurs = new Map<string, Placement | undefined>();
  const openHairpins: OpenHairpins = new Map();
  const openExtenders: OpenExtenders = new Map();
  for (const [pi, pg] of layout.entries()) {
    const ctx = new ShimContext();
    ctx.resize(frame.page.width, frame.page.height);
    ctx.scale(frame.scale, frame.scale);
    const ox = MARGIN / frame.scale;
    const oy = MARGIN / frame.scale;
    const svg = ctx.root;
    // A white page, so viewers that show transparency still show paper.
    const bg = new El("rect");
    for (const [k, v] of Object.entries({ x: 0, y: 0, width: frame.page.width / frame.scale, height: frame.page.height / frame.scale, fill: "white", stroke: "none" })) bg.setAttribute(k, v);
    svg.appendChild(bg);
    if (pi === 0) drawTitle(ctx, score, frame, ox, oy);
    pg.systems.forEach((sys, si) => {
      const firstSystem = pi === 0 && si === 0;
      const drawn = drawStaves(ctx, columns, sys, pg.xs[si]!, pg.widths[si]!, ox, oy);
      drawTies(drawn, pendingTies);
      drawConnectors(drawn, score, groups);
      drawNames(drawn, firstSystem ? fullNames : short, pg.indent[si]!, ox, columns.staves.length);
      drawDirections(drawn, score, contexts);
      drawSlurs(drawn, openSlurs);
      drawBreaths(drawn);
      drawHairpins(drawn, score, openHairpins);
      drawLyrics(drawn, openExtenders);
      if (!firstSystem) drawMeasureNumber(drawn, score);
    });
    finishSvg(svg, frame.page);
    yield serialize(svg);
  }
}

/** Final touches: namespaces, outlined glyphs, page size in mm-free px, no ids or hit-test rectangles. */
function finishSvg(svg: ShimElement, page: { readonly width: number; readonly height: number }): void {
  svg.removeAttribute("pointer-events");
  svg.removeAttribute("shadowColor");
  svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  svg.setAttribute("xmlns:xlink", "http://www.w3.org/1999/xlink");
  svg.setAttribute("width", page.width);
  svg.setAttribute("height", page.height);
  svg.style.width = undefined;
  outlineText(svg, DEFAULT_GLYPHS);
  // Hit-test rectangles VexFlow adds for interactivity are invisible; drop them to save bytes.
  const hitTest = (c: ShimElement): boolean => c.tagName === "rect" && c.getAttribute("opacity") === "0";
  const prune = (el: ShimElement): void => {
    if (el.children.some(hitTest)) el.children = el.children.filter((c) => !hitTest(c));
    // Outlined glyphs need no font: drop VexFlow's font attributes (text left as text keeps its own).
    // VexFlow draws a rest as a notehead; call it a rest, so counting noteheads counts notes.
    // (Its modifiers, a fermata say, are drawn in the same group: look for a rest glyph and no notehead.)
    if (el.getAttribute("class") === "vf-notehead") {
      const glyphs = el.children.map((c) => c.getAttribute("xlink:href") ?? "");
      if (glyphs.some((g) => /^#gme4[ef][0-9a-f]$/.test(g)) && !glyphs.some((g) => /^#gme0/.test(g))) el.setAttribute("class", "vf-rest");
    }
    if (el.tagName !== "text") for (const a of ["font-family", "font-size", "font-weight", "font-style"]) el.removeAttribute(a);
    // VexFlow's ids (`vf-auto1234`) number its objects in the order they were made, for an app
    // that finds them again in the page; nothing refers to them here, and they would change
    // with how often a column was built: drop them, so a page is the same however it was made.
    if (el.getAttribute("id")?.startsWith("vf-")) el.removeAttribute("id");
    for (const c of el.children) prune(c);
  };
  prune(svg);
}
