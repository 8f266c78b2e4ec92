/**
 * Dynamics, hairpins and words over a staff that carries lyrics: Gould puts a vocal line's
 * dynamics above the staff, where they cannot collide with the words under it (La donna è mobile
 * as a piano sketch, m. 10: the right hand's *ff*, written below, had stood on the syllable
 * "Sem-"). A direction written below such a staff is drawn above it; the score itself is not
 * changed.
 */
import type { Direction, Part, Score } from "../model/score.js";

/** The score with every direction below a staff that has lyrics placed above it instead. */
export function overLyrics(score: Score): Score {
  if (!score.parts.some((p) => lyricStaves(p).size > 0)) return score;
  return { ...score, parts: score.parts.map(partOverLyrics) };
}

function partOverLyrics(part: Part): Part {
  const staves = lyricStaves(part);
  if (staves.size === 0) return part;
  const lift = (d: Direction): Direction => (d.placement !== "above" && staves.has(d.staff) && d.items.some(MOVES) ? { ...d, placement: "above" } : d);
  return { ...part, measures: part.measures.map((m) => (m.directions.some((d) => lift(d) !== d) ? { ...m, directions: m.directions.map(lift) } : m)) };
}

/** Dynamics, hairpins and words: what a copyist writes under an instrument's staff and over a singer's. */
const MOVES = (i: Direction["items"][number]): boolean => i.kind === "dynamics" || i.kind === "wedge" || i.kind === "words" || i.kind === "dashes";

/** The staves of a part that carry lyrics somewhere. */
function lyricStaves(part: Part): Set<number> {
  const out = new Set<number>();
  for (const m of part.measures) for (const e of m.events) if (e.kind === "note" && e.lyrics?.length) out.add(e.staff);
  return out;
}
