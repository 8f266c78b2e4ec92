/**
 * Orchestration: a sketch and an ensemble in, full scores and their explanation out.
 */
import { analyse } from "../analyse/index.js";
import { builtinDatabase, loadEnsemble, type Database, type Ensemble } from "../instruments/index.js";
import type { Score } from "../model/score.js";
import { type Arrangement, type ArrangeOptions, arrangeAnalysed, type Report } from "./arrange.js";

export { arrangeAnalysed, type Arrangement, type ArrangeOptions, type Report, type PhraseReport, type Style } from "./arrange.js";
export { checkScore, instrumentOfPart, type Finding, type Severity, type CheckOptions } from "./check.js";

/**
 * Analyses a sketch and arranges it for an ensemble (an `Ensemble`, or an id or comma list of
 * instruments resolved in `db`, the built-in database by default); the best arrangement first.
 * @example arrange(sketch, "string-quartet")[0].score.parts.map((p) => p.name) // ["Violin I", "Violin II", "Viola", "Cello"]
 */
export function arrange(sketch: Score, ensemble: Ensemble | string, db: Database = builtinDatabase(), options: ArrangeOptions = {}): Arrangement[] {
  const ens = typeof ensemble === "string" ? loadEnsemble(ensemble, db) : ensemble;
  return arrangeAnalysed(sketch, analyse(sketch), ens, db, options);
}

/** A readable summary of a report: per phrase, who plays what and why, what was doubled, moved or left out. */
export function summarise(report: Report): string {
  const out: string[] = [];
  out.push(`${report.ensemble} (${report.style} style), arrangement ${report.rank}, cost ${report.cost}`);
  out.push(
    `notes: ${report.notes.placed} of ${report.notes.sketch} placed${report.notes.leftOut ? `, ${report.notes.leftOut} left out` : ""}` +
      (report.notes.graces || report.notes.gracesLeftOut ? `; grace notes: ${report.notes.graces} placed${report.notes.gracesLeftOut ? `, ${report.notes.gracesLeftOut} left out (no part plays the note they lead to)` : ""}` : ""),
  );
  for (const p of report.phrases) {
    out.push(`phrase ${p.phrase}, measures ${p.measures}, ${p.dynamic}:`);
    for (const a of p.assignments) out.push(`  line ${a.line} (${a.role}) → ${a.part}${a.octaves ? ` ${a.octaves > 0 ? "+" : ""}${a.octaves} oct` : ""}: ${a.why} [cost ${a.cost.total}]`);
    for (const d of p.doublings) out.push(`  doubled: line ${d.line} in ${d.part}, ${d.interval} (${d.reason})`);
    for (const m of p.moved) out.push(`  moved: ${m.pitch} in m. ${m.measure} (${m.part}) by ${m.octaves > 0 ? "+" : ""}${m.octaves} octave`);
    for (const b of p.balance) out.push(`  balance: ${b}`);
    for (const f of p.filled) out.push(`  filled: ${f.pitch} in m. ${f.measure} given to ${f.part} (${f.reason})`);
    for (const l of p.leftOut) out.push(`  left out: ${l.pitch} in m. ${l.measure} (${l.reason})`);
  }
  for (const t of report.tacet) out.push(`tacet: ${t.part} — ${t.reason}`);
  return out.join("\n");
}
