/**
 * Engraving: noteheads drawn = notes in the score, self-contained valid SVG, written keys for
 * transposing parts, page breaks, and pixel comparison with golden PNGs.
 *
 * Regenerate the golden PNGs after an intended change of the engraving:
 *   UPDATE_GOLDEN=1 npx vitest run test/render.test.ts
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import { createCanvas, loadImage } from "@napi-rs/canvas";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { Score } from "../src/model/score.js";
import { readScore } from "../src/read/index.js";
import { renderScoreSvg, pageFileNames } from "../src/node/render.js";
import { bytesOf, FIXTURES } from "./support/corpus.js";

const load = (rel: string): Score => readScore(bytesOf(`${FIXTURES}corpus/${rel}`), rel);
const GOLDEN = new URL("./golden/", import.meta.url);

function scoreNoteheads(score: Score): number {
  let n = 0;
  for (const p of score.parts)
    for (const m of p.measures) for (const e of m.events) if (e.kind === "note" && !e.hidden) n += e.notes.length;
  return n;
}

function svgNoteheads(pages: readonly string[]): number {
  return pages.reduce((a, p) => a + (p.match(/class="vf-notehead"/g)?.length ?? 0), 0);
}

function checkPages(pages: readonly string[]): void {
  for (const p of pages) {
    expect(XMLValidator.validate(p)).toBe(true);
    expect(/<text[^>]*Bravura/.test(p)).toBe(false);
    expect(/font-family="Bravura/.test(p)).toBe(false);
    expect(p.startsWith("<svg")).toBe(true);
  }
}

/** Fraction of pixels differing (any channel by more than 32) between an SVG page and a golden PNG. */
async function compareGolden(svg: string, name: string): Promise<number> {
  const png = new Resvg(svg, { fitTo: { mode: "width", value: 800 }, background: "white" }).render().asPng();
  const path = new URL(name, GOLDEN);
  if (process.env.UPDATE_GOLDEN || !existsSync(path)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, png);
    return 0;
  }
  const [a, b] = await Promise.all([loadImage(png), loadImage(readFileSync(path))]);
  if (a.width !== b.width || a.height !== b.height) return 1;
  const pixels = (img: typeof a): Uint8ClampedArray => {
    const c = createCanvas(img.width, img.height);
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    return g.getImageData(0, 0, img.width, img.height).data;
  };
  const pa = pixels(a);
  const pb = pixels(b);
  let diff = 0;
  for (let i = 0; i < pa.length; i += 4) {
    if (Math.abs(pa[i]! - pb[i]!) > 32 || Math.abs(pa[i + 1]! - pb[i + 1]!) > 32 || Math.abs(pa[i + 2]! - pb[i + 2]!) > 32) diff++;
  }
  return diff / (pa.length / 4);
}

describe("renderSvg", () => {
  it("draws one notehead per note of a chorale, on valid self-contained pages", async () => {
    const score = load("chorales/bwv13.6.mxl");
    const pages = renderScoreSvg(score);
    checkPages(pages);
    expect(svgNoteheads(pages)).toBe(scoreNoteheads(score));
    expect(await compareGolden(pages[0]!, "chorale-bwv13.6-1.png")).toBeLessThan(0.01);
  });

  it("draws every notehead of a piano piece (two staves, chords, voices)", async () => {
    const score = load("piano/clementi-sonatina-op36no1-mvt1.musicxml");
    const pages = renderScoreSvg(score);
    checkPages(pages);
    expect(svgNoteheads(pages)).toBe(scoreNoteheads(score));
    expect(await compareGolden(pages[0]!, "clementi-op36no1-1.png")).toBeLessThan(0.01);
  });

  it("shows transposing instruments in their written key", async () => {
    const score = load("edge/lilypond-suite/72a-TransposingInstruments.xml");
    const [page] = renderScoreSvg(score);
    checkPages([page!]);
    // Concert C major: trumpet in B♭ reads D major (2 sharps), horn in E♭ reads A major (3 sharps), piano none.
    const keys = [...page!.matchAll(/<g class="vf-keysignature"[^>]*>(.*?)<\/g>/g)].map((m) => m[1]!.match(/<use /g)?.length ?? 0);
    expect(keys.slice(0, 2)).toEqual([2, 3]);
    expect(await compareGolden(page!, "transposing-72a.png")).toBeLessThan(0.01);
  });

  it("breaks a quartet movement into pages, deterministically", () => {
    const score = load("quartets/haydn-op1no1-mvt3.mxl");
    const pages = renderScoreSvg(score, { page: "letter" });
    expect(pages.length).toBeGreaterThan(1);
    checkPages(pages);
    expect(svgNoteheads(pages)).toBe(scoreNoteheads(score));
    expect(renderScoreSvg(score, { page: "letter" })).toEqual(pages);
    expect(pages[0]).toContain('width="816"');
  });

  it("names page files by count", () => {
    expect(pageFileNames("x", 1)).toEqual(["x.svg"]);
    expect(pageFileNames("x", 2)).toEqual(["x-1.svg", "x-2.svg"]);
  });
});
