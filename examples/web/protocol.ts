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

/** The arrangement, sent before its pages are engraved: enough to download it and show its parts and report. */
export interface Arranged {
  readonly type: "arranged";
  readonly id: number;
  readonly name: string;
  readonly ensemble: EnsembleChoice;
  readonly style: Style;
  readonly parts: readonly string[];
  readonly musicxml: string;
  readonly midi: Uint8Array;
  readonly summary: string;
  readonly notes: { readonly sketch: number; readonly placed: number; readonly leftOut: number };
  readonly measures: number;
  /** How many pages will follow. */
  readonly pageCount: number;
}

/** One engraved page (0-based `index`), as soon as it is done. */
interface EngravedPage {
  readonly type: "page";
  readonly id: number;
  readonly index: number;
  readonly svg: string;
}

/** Worker → page. */
export type WorkerReply =
  | { readonly type: "ready"; readonly ensembles: readonly EnsembleChoice[] }
  | { readonly type: "progress"; readonly id: number; readonly stage: string }
  | Arranged
  | EngravedPage
  | { readonly type: "done"; readonly id: number; readonly milliseconds: number }
  | { readonly type: "error"; readonly id: number; readonly message: string };
