/**
 * What the parts of `tutti arrange` pass one another: the command (arrange.ts), the batch runner
 * (batch.ts), one file's job (arrange-job.ts) and the worker threads (arrange-worker.ts). Types
 * and constants only, so that none of those modules needs to import another for its types.
 */
import type { Ensemble } from "../instruments/index.js";
import type { Style } from "../orchestrate/index.js";

export const FORMATS = ["musicxml", "mxl", "midi", "svg"] as const;
export type Format = (typeof FORMATS)[number];

/** What every file of a batch shares (plain data: it is posted to worker threads). */
export interface ArrangeSettings {
  readonly ensemble: Ensemble;
  readonly formats: readonly Format[];
  readonly style: Style;
  readonly alternatives: number;
  readonly report: boolean;
  /** Fill in a lead sheet's chord symbols under its tune (`--no-chord-symbols`: false). */
  readonly chordSymbols: boolean;
  /** The output folder; a file's outputs go to `<out>/<outputStem>.<ext>`. */
  readonly out: string;
  /** The user's instrument folders (`--instruments`), which worker threads load too. */
  readonly ownInstruments: readonly string[];
}

export interface OutputFile {
  readonly path: string;
  readonly data: Uint8Array;
}

/** A file the batch runner sends a worker thread. */
export interface WorkerTask {
  readonly id: number;
  readonly path: string;
  readonly outputStem: string;
}

/**
 * What a worker thread posts back for a task: each output as soon as it is made (as bytes, to be
 * written at once), then the end of the task, or its error.
 */
export type WorkerMessage =
  | { readonly id: number; readonly kind: "output"; readonly file: OutputFile }
  | { readonly id: number; readonly kind: "arranged"; readonly summaries: readonly string[]; readonly notes: number }
  | { readonly id: number; readonly kind: "failed"; readonly message: string; readonly code: string; readonly stack?: string };
