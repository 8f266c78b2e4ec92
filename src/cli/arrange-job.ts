/**
 * One file of `tutti arrange`: read it, arrange it, and make its outputs one by one, each handed
 * on as soon as it is made (an SVG page as soon as it is engraved), so that no more than one is
 * held in memory. The batch runner calls this in its own thread (`--jobs 1`) or in worker
 * threads, and writes the outputs itself, all or none, so a failing file never leaves anything
 * behind.
 */
import { join } from "node:path";
import type { Database } from "../instruments/index.js";
import type { Score } from "../model/score.js";
import { readScoreFileWithReport, stemOf } from "../node/files.js";
// Not orchestrate/index.js: its `arrange` takes ensemble JSON, and so loads the data checker (zod).
import { arrangeSketch } from "../orchestrate/arrange.js";
import type { Arrangement } from "../orchestrate/plan.js";
import { summarise } from "../orchestrate/report.js";
import type { ReadReport } from "../read/formats.js";
import { type FormatWriter, loadWriter } from "../write/load.js";
import type { ArrangeSettings, Format, OutputFile } from "./arrange-settings.js";
import { engravingHeap } from "./heap.js";

export interface ArrangedFile {
  /** The printed summary of each arrangement, when a report was asked for. */
  readonly summaries: readonly string[];
  readonly notes: number;
}

const extensionOf = (f: Exclude<Format, "svg">): string => (f === "midi" ? "mid" : f);

/** Arranges a file; `write` takes each output as it is made, in order, and is awaited. */
export async function arrangeFile(path: string, outputStem: string, settings: ArrangeSettings, db: Database, write: (file: OutputFile) => Promise<void>): Promise<ArrangedFile> {
  const { results, reading } = await readAndArrange(path, settings, db);
  const enc = new TextEncoder();
  // Only the writers asked for are loaded (fflate for .mxl, midi-file for MIDI).
  const writers = new Map<Format, FormatWriter>();
  for (const f of settings.formats) if (f !== "svg") writers.set(f, await loadWriter(f));
  // The engraver (VexFlow, a canvas, fonts) is loaded only when pages are asked for.
  const engraver = settings.formats.includes("svg") ? await import("../node/render.js") : undefined;
  if (engraver) engravingHeap();
  for (const [i, r] of results.entries()) {
    const name = i === 0 ? outputStem : `${outputStem}.alt${i + 1}`;
    for (const f of settings.formats) {
      if (f !== "svg") await write({ path: join(settings.out, `${name}.${extensionOf(f)}`), data: writers.get(f)!(r.score) });
      else if (engraver) {
        const { count, pages } = engraver.renderScorePages(r.score);
        const names = engraver.pageFileNames(name, count);
        let k = 0;
        for (const svg of pages) await write({ path: join(settings.out, names[k++]!), data: enc.encode(svg) });
      }
    }
  }
  if (settings.report) {
    const reports = results.map((r) => ({ ...r.report, reading: reading.notes }));
    await write({ path: join(settings.out, `${outputStem}.report.json`), data: enc.encode(JSON.stringify(reports, null, 2) + "\n") });
  }
  const read = reading.notes.map((n) => `read: ${n}`);
  return { summaries: settings.report ? results.map((r) => [...read, summarise(r.report)].join("\n")) : [], notes: results[0]?.report.notes.sketch ?? 0 };
}

/**
 * Reads a sketch and arranges it: the arrangements and what the reader noted. A function of its
 * own, so that the sketch and its analysis are let go before the outputs are made (an async
 * function's frame may keep every local it had until it returns).
 */
async function readAndArrange(path: string, settings: ArrangeSettings, db: Database): Promise<{ results: Arrangement[]; reading: ReadReport }> {
  const { score: sketch, report: reading } = await readScoreFileWithReport(path);
  const stem = stemOf(path);
  const titled: Score = sketch.meta.title || sketch.meta.movementTitle ? sketch : { ...sketch, meta: { ...sketch.meta, title: stem } };
  return { results: arrangeSketch(titled, settings.ensemble, db, { style: settings.style, alternatives: settings.alternatives, chordSymbols: settings.chordSymbols }), reading };
}
