/**
 * Engraving in Node: a text-measuring canvas from @napi-rs/canvas with the Bravura and
 * Academico fonts of @vexflow-fonts registered, and SVG pages written to files.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { createCanvas, GlobalFonts } from "@napi-rs/canvas";
import type { Score } from "../model/score.js";
import { type RenderOptions, renderSvg, setMeasureCanvas } from "../render/index.js";
import { writeFilesAtomically } from "./files.js";

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

/** File names for the pages: `<stem>.svg` for one page, `<stem>-1.svg`, `<stem>-2.svg`… otherwise. */
export function pageFileNames(stem: string, pages: number): string[] {
  return pages === 1 ? [`${stem}.svg`] : Array.from({ length: pages }, (_, i) => `${stem}-${i + 1}.svg`);
}

/**
 * Engraves a score and writes its pages into `dir`, all or nothing; returns the paths written.
 * @example await renderFiles(score, "chorale", "out") // ["out/chorale.svg"]
 */
export async function renderFiles(score: Score, stem: string, dir: string, options: RenderOptions = {}, inputs: readonly string[] = []): Promise<string[]> {
  const pages = renderScoreSvg(score, options);
  const names = pageFileNames(stem, pages.length);
  const enc = new TextEncoder();
  const files = pages.map((svg, i) => ({ path: join(dir, names[i]!), data: enc.encode(svg) }));
  await writeFilesAtomically(files, inputs);
  return files.map((f) => f.path);
}
