/**
 * How V8 sizes the heap of a `tutti` command. Arranging a 300-measure movement for orchestra
 * keeps some 20 MB (the sketch, its analysis, the arrangement) but makes a gigabyte of garbage
 * that lives a moment (fractions, candidate placements, XML text). Left to itself, V8 grows the
 * young generation to two 16 MiB halves and lets the old one reach several times what is live
 * before it collects it, so most of a run's peak RSS was garbage (130 MiB against MuseScore's
 * 98 MiB for the same sketch). The command line asks instead for:
 *
 * - a young generation that stays at its first size while arranging (its garbage dies young);
 * - an old generation collected once it is half again larger than what the last collection kept.
 *
 * Engraving keeps its objects longer (a page's VexFlow notes): a small young generation would
 * promote them and cost a fifth more time, so the young generation may grow again there, and the
 * old one is collected sooner instead, at 1.2 times what the last collection kept (K. 458 i
 * arranged with SVG: peak RSS 170 MiB against 178 MiB at 1.5 times, and steadier from run to run,
 * in about 1.05 times the time; MuseScore engraves it in 185 MiB).
 * Only the command line sets these; the library leaves its host's heap alone.
 */
import { setFlagsFromString } from "node:v8";

/** The old generation may grow to this much over what the last full collection kept, in %. */
const OLD_GROWTH_PERCENT = 50;
const OLD_GROWTH_PERCENT_ENGRAVING = 20;

/** For reading, analysing, arranging and writing (see the file comment). Process-wide: worker threads too. */
export function arrangingHeap(): void {
  setFlagsFromString(`--heap-growing-percent=${OLD_GROWTH_PERCENT}`);
  setFlagsFromString("--semi-space-growth-factor=1");
}

/** For engraving: the young generation grows as V8 would by default (a factor of 2), the old one is collected sooner. */
export function engravingHeap(): void {
  setFlagsFromString("--semi-space-growth-factor=2");
  setFlagsFromString(`--heap-growing-percent=${OLD_GROWTH_PERCENT_ENGRAVING}`);
}
