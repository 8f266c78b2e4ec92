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
  const parts = score.parts.map(partOverLyrics);
  return parts.every((p, i) => p === score.parts[i]) ? score : { ...score, parts };
}

/** The part with its directions below a staff that has lyrics placed above it (the part itself where none moves). */
function partOverLyrics(part: Part): Part {
  const staves = lyricStaves(part);
  if (staves.size === 0) return part;
  const lift = (d: Direction): Direction => (d.placement !== "above" && staves.has(d.staff) && d.items.some(MOVES) ? { ...d, placement: "above" } : d);
  return {
    ...part,
    measures: part.measures.map((m) => {
      const directions = m.directions.map(lift);
      return directions.every((d, i) => d === m.directions[i]) ? m : { ...m, directions };
    }),
  };
}

/** Dynamics, hairpins and words: what a copyist writes under an instrument's staff and over a singer's. */
const MOVES = (i: Direction["items"][number]): boolean => i.kind === "dynamics" || i.kind === "wedge" || i.kind === "words" || i.kind === "dashes";

/** The staves of a part that carry lyrics somewhere. */
function lyricStaves(part: Part): Set<number> {
  const out = new Set<number>();
  for (const m of part.measures) for (const e of m.events) if (e.kind === "note" && e.lyrics?.length) out.add(e.staff);
  return out;
}
