/**
 * The lines of an analysis written out as a score: one part per line, for looking at what the
 * separator heard (`tutti analyse`).
 */
import { buildMeasures, framesOf, type MeasureFrame, type PlacedDirection, type PlacedEvent } from "../model/build.js";
import { cmp, toNumber } from "../model/fraction.js";
import { midiOf } from "../model/pitch.js";
import type { Attributes, Clef, Part, Score } from "../model/score.js";
import { timeKey } from "../model/search.js";
import { timedDirections } from "../model/timeline.js";
import { tupletSpans } from "../model/tuplets.js";
import { pushTo } from "../util/group.js";
import { TupleSet } from "../util/keyed.js";
import { mainRole } from "./roles.js";
import type { Analysis, Line } from "./types.js";

/**
 * One part per line, top to bottom, named by role ("Voice 1 (melody)"), in the sketch's measures,
 * each with the clef its register needs. A unison two lines share is written in both.
 * @example voicesScore(sketch, analyse(sketch)).parts.map((p) => p.name) // ["Voice 1 (melody)", "Voice 2 (inner)", ...]
 */
export function voicesScore(score: Score, analysis: Analysis): Score {
  const source = [...score.parts].sort((a, b) => totalOf(b) - totalOf(a))[0];
  const frames = source ? framesOf(source) : [];
  const directions = dynamicDirections(score);
  const tuplets = tupletSpans(score);
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
      measures: buildMeasures(myFrames, events, directions, { tuplets }),
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
  const seen = new TupleSet<[time: string, items: string]>();
  for (const p of score.parts) {
    for (const { direction: d, onset } of timedDirections(p)) {
      const items = d.items.filter((it) => it.kind === "dynamics");
      if (!items.length) continue;
      const k: [string, string] = [timeKey(onset), JSON.stringify(items)];
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ onset, staff: 1, items, ...(d.placement ? { placement: d.placement } : {}) });
    }
  }
  return out;
}
