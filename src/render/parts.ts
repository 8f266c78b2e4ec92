/**
 * How parts are labelled and grouped at the left of the systems: their short names, and the
 * groups that brackets and barlines join.
 */
import type { Part, PartGroup, Score } from "../model/score.js";

/**
 * Short names as the score gives them; where two parts share one ("Hn." and "Hn."), each gets
 * the number its full name ends with ("Horn 3" → "Hn. 3"), or else its place among them.
 */
export function shortNames(score: Score): string[] {
  const given = score.parts.map((p) => p.abbreviation ?? "");
  return given.map((a, i) => {
    const same = given.map((b, j) => (b === a ? j : -1)).filter((j) => j >= 0);
    if (!a || same.length < 2) return a;
    const tail = /\s(\d+(?:[–-]\d+)?|[IVX]+)$/.exec(score.parts[i]!.name)?.[1];
    return `${a} ${tail ?? same.indexOf(i) + 1}`;
  });
}

/** The score's groups, or families of consecutive parts when it has none. */
export function partGroups(score: Score): PartGroup[] {
  if (score.groups.length > 0) return [...score.groups];
  const fam = score.parts.map((p) => familyOf(p));
  const out: PartGroup[] = [];
  let s = 0;
  for (let i = 1; i <= fam.length; i++) {
    if (i === fam.length || fam[i] !== fam[s]) {
      if (i - 1 > s || (fam.length > 1 && fam[s] !== "keyboard" && score.parts.length > 4)) {
        out.push({ first: s, last: i - 1, symbol: "bracket", barline: fam[s] !== "voice" });
      }
      s = i;
    }
  }
  if (out.length === 0 && score.parts.length > 1) out.push({ first: 0, last: score.parts.length - 1, symbol: "bracket", barline: true });
  return out;
}

/**
 * A part's family, for brackets: the head of its MusicXML sound id ("wind", "brass", "pluck"…).
 * Not src/instruments/schema.ts's FAMILIES: a score read from MusicXML has only its sound ids, and
 * brackets need only which neighbours share a family, not an order.
 */
function familyOf(p: Part): string {
  const sound = p.instruments[0]?.sound ?? "";
  return sound.split(".")[0] || "other";
}
