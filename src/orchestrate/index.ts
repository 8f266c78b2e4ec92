/**
 * Orchestration: a sketch and an ensemble in, full scores and their explanation out.
 */
import { builtinDatabase, type Database, type Ensemble } from "../instruments/index.js";
import { loadEnsemble } from "../instruments/load-ensemble.js";
import type { Score } from "../model/score.js";
import { arrangeSketch } from "./arrange.js";
import type { Arrangement, ArrangeOptions } from "./plan.js";

export { arrangeAnalysed, arrangeSketch } from "./arrange.js";
export type { Arrangement, ArrangeOptions, Report, PhraseReport, Style } from "./plan.js";
export { summarise } from "./report.js";
export { checkScore, instrumentOfPart, type Finding, type Severity, type CheckOptions } from "./check.js";

/**
 * Analyses a sketch and arranges it for an ensemble (an `Ensemble`, or an id or comma list of
 * instruments resolved in `db`, the built-in database by default); the best arrangement first.
 * @example arrange(sketch, "string-quartet")[0].score.parts.map((p) => p.name) // ["Violin I", "Violin II", "Viola", "Cello"]
 */
export function arrange(sketch: Score, ensemble: Ensemble | string, db: Database = builtinDatabase(), options: ArrangeOptions = {}): Arrangement[] {
  const ens = typeof ensemble === "string" ? loadEnsemble(ensemble, db) : ensemble;
  return arrangeSketch(sketch, ens, db, options);
}
