/** The analysis of a sketch as plain JSON, for scripts and for `tutti analyse`. */
import { toString } from "../model/fraction.js";
import { midiOf, nameOf } from "../model/pitch.js";
import type { Score } from "../model/score.js";
import { mainRole } from "./roles.js";
import type { Analysis } from "./types.js";

/**
 * The analysis as plain JSON (what `tutti analyse` writes): lines with range and roles per phrase,
 * phrases in measures and in time.
 * @example analysisJson(score, analyse(score)).lines[0].role // "melody"
 */
export function analysisJson(score: Score, analysis: Analysis): unknown {
  const numbers = (score.parts[0]?.measures ?? []).map((m) => m.number);
  return {
    source: score.meta.source,
    lineCount: analysis.lines.length,
    lines: analysis.lines.map((l) => {
      const sorted = [...l.notes].sort((a, b) => midiOf(a.pitch) - midiOf(b.pitch));
      return {
        index: l.index,
        role: mainRole(analysis, l.index) ?? null,
        notes: l.notes.length,
        shared: l.notes.filter((n) => n.shared?.length).length,
        range: sorted.length ? { low: nameOf(sorted[0]!.pitch), high: nameOf(sorted[sorted.length - 1]!.pitch) } : null,
        roles: analysis.roles.filter((r) => r.line === l.index).map((r) => ({ phrase: r.phrase, role: r.role, ...(r.figure ? { figure: r.figure } : {}) })),
      };
    }),
    phrases: analysis.phrases.map((p) => ({
      index: p.index,
      measures: { first: numbers[p.firstMeasure] ?? String(p.firstMeasure + 1), last: numbers[p.lastMeasure] ?? String(p.lastMeasure + 1) },
      start: toString(p.start),
      end: toString(p.end),
      dynamic: p.dynamic,
    })),
  };
}
