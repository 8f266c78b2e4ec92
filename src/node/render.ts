/**
 * Engraving in Node: a text-measuring canvas from @napi-rs/canvas with the Bravura and
 * Academico fonts of @vexflow-fonts registered, and SVG pages written to files one at a time.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { createCanvas, GlobalFonts } from "@napi-rs/canvas";
import type { Score } from "../model/score.js";
import { type RenderOptions, renderSvg, renderSvgPages, setMeasureCanvas, type SvgPages } from "../render/index.js";
import { AtomicFiles } from "./files.js";

let ready = false;

/** Registers the fonts and the measuring canvas once per process. */
export function setupNodeRendering(): void {
  if (ready) return;
  const require = createRequire(import.meta.url);
  const bravura = require.resolve("@vexflow-fonts/bravura/bravura.otf");
  const academico = require.resolve("@vexflow-fonts/academico/academico.otf");
  const academicoBold = require.resolve("@vexflow-fonts/academico/academico-bold.otf");
  GlobalFonts.registerFromPath(bravura, "Bravura");
  GlobalFonts.registerFromPath(academico, "Academico");
  GlobalFonts.registerFromPath(academicoBold, "Academico");
  setMeasureCanvas(createCanvas(300, 150));
  ready = true;
}

/**
 * Engraves a score in Node.
 * @example renderScoreSvg(score).length // number of pages
 */
export function renderScoreSvg(score: Score, options: RenderOptions = {}): string[] {
  setupNodeRendering();
  return renderSvg(score, options);
}

/**
 * Engraves a score in Node one page at a time, as the pages are asked for (see `renderSvgPages`).
 * @example const { count, pages } = renderScorePages(score); for (const svg of pages) save(svg)
 */
export function renderScorePages(score: Score, options: RenderOptions = {}): SvgPages {
  setupNodeRendering();
  return renderSvgPages(score, options);
}

/** File names for the pages: `<stem>.svg` for one page, `<stem>-1.svg`, `<stem>-2.svg`… otherwise. */
export function pageFileNames(stem: string, pages: number): string[] {
  return pages === 1 ? [`${stem}.svg`] : Array.from({ length: pages }, (_, i) => `${stem}-${i + 1}.svg`);
}

/**
 * Engraves a score and writes its pages into `dir`, all or nothing; returns the paths written.
 * Each page is written (to a temporary file) as soon as it is engraved, so that no more than one
 * is held in memory; all are renamed into place at the end.
 * @example await renderFiles(score, "chorale", "out") // ["out/chorale.svg"]
 */
export async function renderFiles(score: Score, stem: string, dir: string, options: RenderOptions = {}, inputs: readonly string[] = []): Promise<string[]> {
  const out = new AtomicFiles(inputs);
  try {
    const { count, pages } = renderScorePages(score, options);
    const paths = pageFileNames(stem, count).map((name) => join(dir, name));
    const enc = new TextEncoder();
    let i = 0;
    for (const svg of pages) await out.add(paths[i++]!, enc.encode(svg));
    await out.commit();
    return paths;
  } catch (err) {
    await out.abort();
    throw err;
  }
}
