/**
 * The analysis stage: lines, phrases and roles of a sketch, and the lines written out as a score.
 */
import { buildMeasures, framesOf, type MeasureFrame, type PlacedDirection, type PlacedEvent } from "../model/build.js";
import { add, cmp, toNumber } from "../model/fraction.js";
import { midiOf } from "../model/pitch.js";
import type { Attributes, Clef, Part, Score } from "../model/score.js";
import { measureStarts } from "../model/time.js";
import { assignRoles, findPhrases } from "./roles.js";
import type { Analysis, Line, Role } from "./types.js";
import { separateVoices, type SeparateOptions } from "./voices.js";
import { pushTo } from "../model/group.js";

/**
 * Lines, phrases and roles of a piano sketch.
 * @example analyse(sketch).lines.length // 4 for a chorale reduced to two staves
 */
export function analyse(score: Score, options: SeparateOptions = {}): Analysis {
  const lines = separateVoices(score, options);
  const phrases = findPhrases(score, lines);
  const roles = assignRoles(lines, phrases);
  return { lines, phrases, roles };
}

/** The role a line plays most of the time (by phrase length). */
export function mainRole(analysis: Analysis, line: number): Role | undefined {
  const weight = new Map<Role, number>();
  // The first phrase of each index, as a search from the start would find it.
  const byIndex = new Map<number, Analysis["phrases"][number]>();
  for (const p of analysis.phrases) if (!byIndex.has(p.index)) byIndex.set(p.index, p);
  for (const r of analysis.roles) {
    if (r.line !== line) continue;
    const ph = byIndex.get(r.phrase);
    const w = ph ? toNumber(ph.end) - toNumber(ph.start) : 1;
    weight.set(r.role, (weight.get(r.role) ?? 0) + w);
  }
  let best: Role | undefined;
  let bw = -1;
  for (const [role, w] of weight) if (w > bw) [best, bw] = [role, w];
  return best;
}

/**
 * One part per line, top to bottom, named by role ("Voice 1 (melody)"), in the sketch's measures,
 * each with the clef its register needs. A unison two lines share is written in both.
 * @example voicesScore(sketch, analyse(sketch)).parts.map((p) => p.name) // ["Voice 1 (melody)", "Voice 2 (inner)", ...]
 */
export function voicesScore(score: Score, analysis: Analysis): Score {
  const source = [...score.parts].sort((a, b) => totalOf(b) - totalOf(a))[0];
  const frames = source ? framesOf(source) : [];
  const directions = dynamicDirections(score);
  const doubled = new Map<number, Line["notes"][number][]>();
  for (const l of analysis.lines) for (const n of l.notes) for (const s of n.shared ?? []) pushTo(doubled, s, n);
  const parts: Part[] = analysis.lines.map((line) => {
    const notes = [...line.notes, ...(doubled.get(line.index) ?? []).map(({ marks: _m, shared: _s, ...n }) => n)].sort((a, b) => cmp(a.onset, b.onset));
    const mean = notes.reduce((a, n) => a + midiOf(n.pitch), 0) / Math.max(1, notes.length);
    const clef: Clef = mean >= 57 ? { sign: "G", line: 2 } : mean >= 50 ? { sign: "G", line: 2, octaveChange: -1 } : { sign: "F", line: 4 };
    const events: PlacedEvent[] = notes.map((n) => ({ onset: n.onset, duration: n.duration, pitches: [n.pitch], voice: "1", staff: 1, ...("marks" in n && n.marks ? { marks: n.marks } : {}) }));
    const myFrames: MeasureFrame[] = frames.map((f, i) => ({ ...f, attributes: lineAttributes(f.attributes, i === 0 ? clef : undefined) }));
    const role = mainRole(analysis, line.index);
    const name = `Voice ${line.index}${role ? ` (${role})` : ""}`;
    const id = `P${line.index}`;
    return {
      id,
      name,
      instruments: [{ id: `${id}-I1`, name }],
      staves: 1,
      measures: buildMeasures(myFrames, events, directions),
    };
  });
  return { meta: { ...score.meta }, parts, groups: parts.length > 1 ? [{ first: 0, last: parts.length - 1, symbol: "bracket", barline: true }] : [] };
}

function totalOf(part: Part): number {
  return part.measures.reduce((a, m) => a + toNumber(m.duration), 0);
}

function lineAttributes(a: Attributes, clef: Clef | undefined): Attributes {
  const { clefs: _c, staves: _s, staffKeys, transpose: _t, ...rest } = a;
  const key = rest.key ?? staffKeys?.[0]?.key;
  return { ...rest, ...(key ? { key } : {}), ...(clef ? { clefs: [{ staff: 1, clef }] } : {}) };
}

/** The sketch's dynamics, for every line. */
function dynamicDirections(score: Score): PlacedDirection[] {
  const out: PlacedDirection[] = [];
  const seen = new Set<string>();
  for (const p of score.parts) {
    const st = measureStarts(p);
    p.measures.forEach((m, mi) => {
      for (const d of m.directions) {
        const items = d.items.filter((it) => it.kind === "dynamics");
        if (!items.length) continue;
        const onset = add(st[mi]!, d.offset);
        const k = `${onset.n}/${onset.d}:${JSON.stringify(items)}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push({ onset, staff: 1, items, ...(d.placement ? { placement: d.placement } : {}) });
      }
    });
  }
  return out;
}

export type { Analysis, Line, LineNote, LineRole, Phrase, Role } from "./types.js";
export { separateVoices, separateNotes, type SeparateOptions } from "./voices.js";
export { sketchNotes, type SketchNote } from "./notes.js";
export { reduceToPiano, type Reduction, type ReducedNote } from "./reduce.js";
export { scoreSeparation, scoreExplode, type SeparationScore } from "./evaluate.js";
export { findPhrases, assignRoles } from "./roles.js";
export { analysisJson } from "./summary.js";
