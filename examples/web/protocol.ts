/**
 * Messages between the page (main.ts) and the worker (worker.ts) that reads, arranges and
 * engraves off the main thread, so the page stays responsive while a long piece is engraved.
 */
import type { Style } from "../../src/index.js";

export interface EnsembleChoice {
  readonly id: string;
  readonly name: string;
  readonly parts: number;
}

/** Page → worker. */
export interface ArrangeRequest {
  readonly type: "arrange";
  /** Increases with every request; replies to an older one are ignored. */
  readonly id: number;
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly ensemble: string;
  readonly style: Style;
}

export interface Arranged {
  readonly type: "done";
  readonly id: number;
  readonly name: string;
  readonly ensemble: EnsembleChoice;
  readonly style: Style;
  readonly parts: readonly string[];
  readonly pages: readonly string[];
  readonly musicxml: string;
  readonly midi: Uint8Array;
  readonly summary: string;
  readonly notes: { readonly sketch: number; readonly placed: number; readonly leftOut: number };
  readonly measures: number;
  readonly milliseconds: number;
}

/** Worker → page. */
export type WorkerReply =
  | { readonly type: "ready"; readonly ensembles: readonly EnsembleChoice[] }
  | { readonly type: "progress"; readonly id: number; readonly stage: string }
  | Arranged
  | { readonly type: "error"; readonly id: number; readonly message: string };
