/**
 * Long piano sketches for the benchmark, made of real music: quartet movements reduced to piano
 * (`reduceToPiano`) and appended measure after measure until the sketch has the length asked for.
 *
 * Each piece keeps its own key, time signature and clefs (its first measure states them again),
 * measures are numbered 1, 2, 3… through the whole sketch, and a piece cut short at the end has
 * no tie left open. The result is one valid piano score (the bench checks it against the
 * MusicXML XSD), so every stage sees what a composer's very long sketch would give it.
 * Shared by the benchmark (scripts/bench.ts, scripts/bench-scale.ts) and test/speed.test.ts.
 */
import { readFileSync } from "node:fs";
import { reduceToPiano } from "../../src/analyse/reduce.js";
import type { Attributes, Event, Measure, Score } from "../../src/model/score.js";
import { readScore } from "../../src/read/index.js";

/** A quartet movement (or any ensemble score) read from a file and reduced to a piano sketch. */
export function pianoSketchOf(path: string): Score {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return reduceToPiano(readScore(new Uint8Array(readFileSync(path)), name)).sketch;
}

/**
 * The first `measures` measures of `pieces` played one after another (cycling through them again
 * if they are too short), as one piano part of two staves.
 * @example concatenate([a, b], 1000).parts[0].measures.length // 1000
 */
export function concatenate(pieces: readonly Score[], measures: number, title = `Bench sketch, ${measures} measures`): Score {
  if (pieces.length === 0 || measures < 1) throw new Error("concatenate: no pieces or no measures");
  const out: Measure[] = [];
  const used: string[] = [];
  for (let k = 0; out.length < measures; k++) {
    const piece = pieces[k % pieces.length]!;
    const part = piece.parts[0];
    if (!part || part.staves !== 2 || piece.parts.length !== 1) throw new Error("concatenate: each piece must be a one-part, two-staff piano sketch");
    if (part.measures.length === 0) throw new Error("concatenate: an empty piece");
    used.push(piece.meta.movementTitle ?? piece.meta.title ?? `piece ${k + 1}`);
    const first = part.measures[0]!.attributes;
    const take = Math.min(part.measures.length, measures - out.length);
    for (let i = 0; i < take; i++) {
      const m = part.measures[i]!;
      const { implicit: _implicit, ...rest } = m;
      let next: Measure = { ...rest, number: String(out.length + 1) };
      // A piece that follows another states its key, time and clefs again.
      if (i === 0 && out.length > 0) next = { ...next, attributes: restate(first, m.attributes), newSystem: true };
      // Only the sketch's very first measure may be a pickup outside the numbering.
      if (out.length === 0 && m.implicit) next = { ...next, implicit: true };
      // A piece cut short ends without open ties or repeats.
      if (i === take - 1 && take < part.measures.length) next = closed(next);
      out.push(next);
    }
  }
  const first = pieces[0]!;
  const source = first.parts[0]!;
  return {
    meta: { title, movementTitle: `from ${[...new Set(used)].join("; ")}`, creators: [{ type: "arranger", name: "Tutti bench" }], rights: [] },
    parts: [{ ...source, measures: out }],
    groups: [],
  };
}

/** The attributes a piece's first measure must state when it does not open the sketch. */
function restate(first: Attributes, own: Attributes): Attributes {
  return {
    ...own,
    ...(first.key ? { key: first.key } : {}),
    ...(first.time ? { time: first.time } : {}),
    staves: 2,
    clefs: first.clefs ?? [
      { staff: 1, clef: { sign: "G", line: 2 } },
      { staff: 2, clef: { sign: "F", line: 4 } },
    ],
  };
}

function closed(m: Measure): Measure {
  const events: Event[] = m.events.map((ev) => (ev.kind === "note" && ev.notes.some((n) => n.tieStart) ? { ...ev, notes: ev.notes.map(({ tieStart: _t, ...n }) => n) } : ev));
  const { right, ...rest } = m;
  const keep = right && !right.repeat && !right.ending ? { right } : {};
  return { ...rest, ...keep, events };
}

/** Notes struck in a score (chord notes counted one by one, tied continuations and grace notes not). */
export function notesOf(score: Score): number {
  let n = 0;
  for (const p of score.parts) for (const m of p.measures) for (const ev of m.events) if (ev.kind === "note" && !ev.grace) for (const note of ev.notes) if (!note.tieStop && (note.pitch || note.unpitched)) n++;
  return n;
}
