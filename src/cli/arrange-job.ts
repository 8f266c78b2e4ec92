/**
 * One file of `tutti arrange`: read it, arrange it, and make every output in memory. The batch
 * runner calls this in its own thread (`--jobs 1`) or in worker threads, and writes the outputs
 * itself, all or none, so a failing file never leaves anything behind.
 */
import { join } from "node:path";
import type { Database } from "../instruments/index.js";
import type { Score } from "../model/score.js";
import { readScoreFileWithReport, stemOf } from "../node/files.js";
// Not orchestrate/index.js: its `arrange` takes ensemble JSON, and so loads the data checker (zod).
import { arrangeAnalysed } from "../orchestrate/arrange.js";
import { summarise } from "../orchestrate/report.js";
import { analyse } from "../analyse/index.js";
import { type FormatWriter, loadWriter } from "../write/load.js";
import type { ArrangeSettings, Format, OutputFile } from "./arrange-settings.js";

export interface ArrangedFile {
  readonly files: readonly OutputFile[];
  /** The printed summary of each arrangement, when a report was asked for. */
  readonly summaries: readonly string[];
  readonly notes: number;
}

const extensionOf = (f: Exclude<Format, "svg">): string => (f === "midi" ? "mid" : f);

export async function arrangeFile(path: string, outputStem: string, settings: ArrangeSettings, db: Database): Promise<ArrangedFile> {
  const { score: sketch, report: reading } = await readScoreFileWithReport(path);
  const stem = stemOf(path);
  const titled: Score = sketch.meta.title || sketch.meta.movementTitle ? sketch : { ...sketch, meta: { ...sketch.meta, title: stem } };
  const results = arrangeAnalysed(titled, analyse(titled), settings.ensemble, db, { style: settings.style, alternatives: settings.alternatives });
  const files: OutputFile[] = [];
  const enc = new TextEncoder();
  // Only the writers asked for are loaded (fflate for .mxl, midi-file for MIDI).
  const writers = new Map<Format, FormatWriter>();
  for (const f of settings.formats) if (f !== "svg") writers.set(f, await loadWriter(f));
  // The engraver (VexFlow, a canvas, fonts) is loaded only when pages are asked for.
  const { pageFileNames, renderScoreSvg } = settings.formats.includes("svg") ? await import("../node/render.js") : { pageFileNames: undefined, renderScoreSvg: undefined };
  results.forEach((r, i) => {
    const name = i === 0 ? outputStem : `${outputStem}.alt${i + 1}`;
    for (const f of settings.formats) {
      if (f === "svg" && renderScoreSvg && pageFileNames) {
        const pages = renderScoreSvg(r.score);
        pageFileNames(name, pages.length).forEach((n, k) => files.push({ path: join(settings.out, n), data: enc.encode(pages[k]!) }));
      } else if (f !== "svg") files.push({ path: join(settings.out, `${name}.${extensionOf(f)}`), data: writers.get(f)!(r.score) });
    }
  });
  if (settings.report) {
    const reports = results.map((r) => ({ ...r.report, reading: reading.notes }));
    files.push({ path: join(settings.out, `${outputStem}.report.json`), data: enc.encode(JSON.stringify(reports, null, 2) + "\n") });
  }
  const read = reading.notes.map((n) => `read: ${n}`);
  return { files, summaries: settings.report ? results.map((r) => [...read, summarise(r.report)].join("\n")) : [], notes: results[0]?.report.notes.sketch ?? 0 };
}
