/**
 * The benchmark's scale cases: one long piano sketch through every stage, timed stage by stage.
 *
 * The parent (`bench.ts`) makes the sketches (`makeScaleSketches`): quartet movements of the
 * corpus reduced to piano and appended one after another (`test/support/bench-sketch.ts`) to
 * about 100, 1,000 and 10,000 measures, written as MusicXML (and as JSON, for a reader that
 * refuses a file that large). Each size then runs in a child of its own (`runScale`), so that
 * its peak RSS is the pipeline's: read the MusicXML, analyse, orchestrate (for
 * symphony-orchestra), write MusicXML, render SVG, each stage timed on its own, and the whole.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { analyse } from "../src/analyse/index.js";
import { ensemble } from "../src/instruments/index.js";
import type { Score } from "../src/model/score.js";
import { loadDatabase } from "../src/node/instruments.js";
import { renderScorePages, setupNodeRendering } from "../src/node/render.js";
import { type Arrangement, arrangeAnalysed } from "../src/orchestrate/index.js";
import { readScore } from "../src/read/index.js";
import { writeScore } from "../src/write/index.js";
import { writeMusicXml } from "../src/write/musicxml.js";
import { concatenate, notesOf, pianoSketchOf } from "../test/support/bench-sketch.js";

export const STAGES = ["read", "analyse", "orchestrate", "write", "render"] as const;
export type Stage = (typeof STAGES)[number];

export interface ScaleSketch {
  readonly measures: number;
  readonly notes: number;
  /** The MusicXML file and its size. */
  readonly path: string;
  readonly bytes: number;
  /** The same score as JSON, used when the reader refuses the MusicXML. */
  readonly json: string;
  /** Where the measures come from. */
  readonly from: string;
  /** Schema errors of the MusicXML (empty when valid), or undefined when not checked. */
  readonly xsdErrors?: readonly string[];
}

export interface ScaleResult {
  readonly measures: number;
  readonly notes: number;
  /** Seconds per repetition, by stage; `whole` is the stages' sum in each repetition. */
  readonly seconds: Readonly<Record<Stage | "whole", readonly number[]>>;
  /** What a stage could not do (the reader refusing a file past its limits), by stage. */
  readonly notes_?: Readonly<Partial<Record<Stage, string>>>;
  /** Heap in use before the first stage (the code loaded, the database), after a GC when exposed, bytes. */
  readonly heapBefore: number;
  /** Heap in use after each stage of the last repetition (after a GC when exposed), bytes. */
  readonly heapAfter: Readonly<Record<Stage, number>>;
  /** The child's peak RSS (getrusage): Node, the pipeline and its garbage. */
  readonly peakRss: number;
  readonly pages: number;
  readonly outputBytes: number;
  readonly parts: number;
}

/**
 * Sketches of the sizes asked for, written into `dir`. The pieces: quartet movements in name
 * order, the Beethoven first (so the smallest sketch is the start of a real movement).
 */
export function makeScaleSketches(corpus: string, dir: string, sizes: readonly number[], validate?: (xml: string) => string[]): ScaleSketch[] {
  mkdirSync(dir, { recursive: true });
  const folder = `${corpus}quartets/`;
  const names = readdirSync(folder)
    .filter((f) => f.endsWith(".mxl"))
    .sort((a, b) => Number(b.startsWith("beethoven")) - Number(a.startsWith("beethoven")) || a.localeCompare(b));
  const need = Math.max(...sizes);
  const pieces: Score[] = [];
  const used: string[] = [];
  let total = 0;
  for (const name of names) {
    if (total >= need) break;
    const sketch = pianoSketchOf(folder + name);
    pieces.push(sketch);
    used.push(name.replace(/\.mxl$/, ""));
    total += sketch.parts[0]!.measures.length;
  }
  return sizes.map((measures) => {
    const score = concatenate(pieces, measures, `Tutti bench sketch, ${measures} measures`);
    let count = 0;
    let k = 0;
    while (count < measures) count += pieces[k++ % pieces.length]!.parts[0]!.measures.length;
    const from = k <= pieces.length ? used.slice(0, k).join(", ") : `${used.join(", ")} (${(measures / total).toFixed(1)} times over)`;
    const xml = writeMusicXml(score);
    const path = `${dir}sketch-${measures}.musicxml`;
    const json = `${dir}sketch-${measures}.json`;
    writeFileSync(path, xml);
    writeFileSync(json, JSON.stringify(score));
    const xsd = validate ? validate(xml) : undefined;
    return { measures, notes: notesOf(score), path, bytes: Buffer.byteLength(xml), json, from, ...(xsd ? { xsdErrors: xsd.slice(0, 5) } : {}) };
  });
}

/** In a child: the stages over one sketch, `reps` times. */
export async function runScale(sketch: ScaleSketch, reps: number, withRender: boolean): Promise<ScaleResult> {
  const db = await loadDatabase();
  const target = ensemble(db, "symphony-orchestra");
  if (withRender) setupNodeRendering(); // fonts and canvas once per process, as the CLI does
  const seconds: Record<Stage | "whole", number[]> = { read: [], analyse: [], orchestrate: [], write: [], render: [], whole: [] };
  const heapAfter: Record<Stage, number> = { read: 0, analyse: 0, orchestrate: 0, write: 0, render: 0 };
  const notes: Partial<Record<Stage, string>> = {};
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let pages = 0;
  let outputBytes = 0;
  let parts = 0;
  for (let r = 0; r < reps; r++) {
    const last = r === reps - 1;
    let whole = 0;
    const time = <T>(stage: Stage, work: () => T): T => {
      const t0 = performance.now();
      const out = work();
      const s = (performance.now() - t0) / 1000;
      seconds[stage].push(s);
      whole += s;
      if (last) {
        gc?.();
        heapAfter[stage] = process.memoryUsage().heapUsed;
      }
      return out;
    };
    // As the command line does, what a later stage does not need is let go: the file's bytes
    // once read, the sketch and its analysis once arranged (a function of their own), the
    // MusicXML once written. (The bytes, 7 MB at 1,000 measures, were kept for every repetition.)
    const arranged = (): Arrangement => {
      const data = new Uint8Array(readFileSync(sketch.path));
      let sketchScore: Score;
      try {
        sketchScore = time("read", () => readScore(data, sketch.path.slice(sketch.path.lastIndexOf("/") + 1)));
      } catch (err) {
        // Past the reader's limits: the stages after it still run, on the same score from JSON.
        seconds.read.pop();
        notes.read = err instanceof Error ? err.message : String(err);
        sketchScore = JSON.parse(readFileSync(sketch.json, "utf8")) as Score;
      }
      const analysis = time("analyse", () => analyse(sketchScore));
      return time("orchestrate", () => arrangeAnalysed(sketchScore, analysis, target, db))[0]!;
    };
    const best = arranged();
    outputBytes = time("write", () => writeScore(best.score, "musicxml")).length;
    parts = best.score.parts.length;
    // Page by page, each let go once engraved, as the command line writes them.
    if (withRender) pages = time("render", () => countPages(renderScorePages(best.score).pages));
    seconds.whole.push(whole);
  }
  return {
    measures: sketch.measures,
    notes: sketch.notes,
    seconds,
    ...(Object.keys(notes).length ? { notes_: notes } : {}),
    heapBefore,
    heapAfter,
    peakRss: process.resourceUsage().maxRSS * 1024,
    pages,
    outputBytes,
    parts,
  };
}

/** How many pages an engraving gives, each engraved and let go in turn. */
function countPages(pages: Iterable<string>): number {
  let n = 0;
  for (const _page of pages) n++;
  return n;
}
