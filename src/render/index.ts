/**
 * Engraves a score as SVG pages with VexFlow 5: systems filled with as many measures as fit
 * (widths from VexFlow's formatter), part names and brackets, clefs, keys in written pitch,
 * notes with the accidentals, beams and tuplets of `src/model/notation.ts`, ties across
 * barlines and systems, dynamics, tempo marks, title, composer and measure numbers.
 *
 * No I/O: text is measured with a canvas the caller injects (`setMeasureCanvas`, or the
 * `measureCanvas` option; `src/node/render.ts` sets one up with @napi-rs/canvas), VexFlow
 * draws into a small DOM shim, and every glyph is outlined to a path from generated tables,
 * so the SVG needs no font and this runs in a browser too (inject an `OffscreenCanvas` or a
 * canvas whose page has the Bravura and Academico fonts loaded).
 *
 * The rooms: `columns.ts` builds the measure columns (staff measures from `staff.ts`, their
 * widths), `layout.ts` breaks them into systems and pages, `draw/` engraves the pages;
 * `specs.ts` translates clefs, keys, times and barlines for VexFlow, `vexflow-env.ts` sets
 * VexFlow up, and `glyphs.ts` outlines the text it draws.
 */
import type { Score } from "../model/score.js";
import { Columns } from "./columns.js";
import { drawPages } from "./draw/pages.js";
import { overLyrics } from "./lyric-staves.js";
import { type Frame, frameOf, layOut, type PageLayout, tallestSystem } from "./layout.js";
import { type MeasureCanvas, setUpVexFlow } from "./vexflow-env.js";

export type { MeasureCanvas } from "./vexflow-env.js";

export type PageSize = "a4" | "letter";

export interface RenderOptions {
  /** Paper size: A4 (default) or US Letter. */
  readonly page?: PageSize;
  /** Size of the music: 1 draws a 10 px staff space (a 40 px staff); default 0.7. */
  readonly scale?: number;
  /**
   * Leave out, after the first system, the staves of parts that only rest in a system.
   * Default: on for scores of more than 8 staves (an orchestra), off otherwise.
   */
  readonly hideEmptyStaves?: boolean;
  /**
   * Honour the system and page breaks written in the score. Off by default: they were made for
   * another engraver's spacing and page (or, in an arrangement, for the piano sketch), and
   * following them leaves half-empty systems.
   */
  readonly keepBreaks?: boolean;
  /** Canvas for text measurement, if `setMeasureCanvas` was not called. */
  readonly measureCanvas?: MeasureCanvas;
}

/** Page sizes in CSS px (96 per inch). */
const PAGES: Readonly<Record<PageSize, { width: number; height: number }>> = {
  a4: { width: 793.7, height: 1122.5 },
  letter: { width: 816, height: 1056 },
};

let measureCanvas: MeasureCanvas | undefined;

/**
 * Sets the canvas VexFlow measures glyphs and text with; it needs the Bravura and Academico
 * fonts available under those names.
 * @example setMeasureCanvas(document.createElement("canvas"))
 */
export function setMeasureCanvas(canvas: MeasureCanvas): void {
  measureCanvas = canvas;
}

/**
 * Engraves a score; one SVG document per page.
 * @example renderSvg(score, { page: "letter" })[0].startsWith("<svg") // true
 */
export function renderSvg(score: Score, options: RenderOptions = {}): string[] {
  return [...renderSvgPages(score, options).pages];
}

/** A score laid out, its pages engraved one at a time as they are asked for. */
export interface SvgPages {
  /** How many pages there are. */
  readonly count: number;
  /** The pages in order, one SVG document each; iterate once, and finish before engraving another score. */
  readonly pages: IterableIterator<string>;
}

/**
 * Lays a score out, then engraves each page only when it is asked for, so a viewer can show the
 * first pages of a long score while the others are engraved. The same pages as `renderSvg`.
 * @example const { count, pages } = renderSvgPages(score); for (const svg of pages) show(svg, count)
 */
export function renderSvgPages(score: Score, options: RenderOptions = {}): SvgPages {
  const { columns, frame, layout } = prepare(score, options);
  return { count: layout.length, pages: drawPages(columns, frame, layout) };
}

/** The systems of each page: measures first..last (0-based) and the staves shown. */
export interface LayoutSummary {
  readonly pages: readonly (readonly { readonly first: number; readonly last: number; readonly staves: number; readonly height: number }[])[];
}

/**
 * Where the measures fall, without drawing: for tests and tuning.
 * @example layoutSummary(score).pages.length // same as renderSvg(score).length
 */
export function layoutSummary(score: Score, options: RenderOptions = {}): LayoutSummary {
  const { layout } = prepare(score, options);
  return { pages: layout.map((pg) => pg.systems.map((s) => ({ first: s.first, last: s.last, staves: s.staves.length, height: Math.round(s.top + s.height) }))) };
}

/** A score laid out at the scale it fits at, ready to draw. */
interface Prepared {
  readonly columns: Columns;
  readonly frame: Frame;
  readonly layout: PageLayout[];
}

function prepare(written: Score, options: RenderOptions): Prepared {
  const canvas = options.measureCanvas ?? measureCanvas;
  if (!canvas) throw new Error("renderSvg: no canvas to measure text with; call setMeasureCanvas first");
  setUpVexFlow(canvas);
  const score = overLyrics(written);
  // A system taller than the page (a large orchestra) is drawn smaller until it fits. The staff
  // measures and their widths do not depend on the scale: each is built once, for every try.
  const columns = new Columns(score);
  const page = PAGES[options.page ?? "a4"];
  let frame = frameOf(page, options.scale ?? 0.7);
  let layout = layOut(columns, frame, options);
  for (let i = 0; i < 4; i++) {
    const tallest = tallestSystem(layout, score);
    if (tallest <= frame.height) break;
    const scale = Math.max(0.3, (frame.scale * frame.height) / tallest * 0.98);
    if (scale >= frame.scale) break;
    frame = frameOf(page, scale);
    layout = layOut(columns, frame, options);
  }
  return { columns, frame, layout };
}
