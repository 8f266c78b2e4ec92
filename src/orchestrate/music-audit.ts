/**
 * What an orchestration teacher checks first, as numbers: is the bass in the bass (the sketch's
 * lowest pitch class is the arrangement's lowest, half-bar by half-bar), are the composer's
 * dynamics, hairpins and words where the sketch puts them, is any part marked far softer than
 * the sketch asks, and does the linter find anything in Tutti's own output.
 */
import type { Database } from "../instruments/index.js";
import { add, cmp, type Fraction, frac, gt, lt, max, min, mul } from "../model/fraction.js";
import { midiOf } from "../model/pitch.js";
import { type DirectionItem, DYNAMIC_LEVELS, levelAfter, levelIndex, type Score } from "../model/score.js";
import { soundingNotes } from "../model/notes.js";
import { timeKey } from "../model/search.js";
import { measureStarts, timedDirections } from "../model/timeline.js";
import { TupleSet } from "../util/keyed.js";
import { checkScore, instrumentOfPart } from "./check.js";

export interface MusicAudit {
  /**
   * Half-bars where the sketch sounds; those where the arrangement's lowest pitch class is the
   * sketch's; and those where a bass instrument (one the database has double the bass: cello,
   * double bass, bassoon, tuba, bass voice…) plays it, its lowest note there having the sketch's
   * lowest pitch class (undefined for an ensemble without one), counted over the half-bars where
   * the sketch sounds two notes at once (`accompanied`): a tune alone is no bass line.
   */
  readonly bass: { readonly halfBars: number; readonly agree: number; readonly accompanied: number; readonly inBassParts?: number; readonly examples: readonly string[] };
  /** The sketch's dynamics, hairpins and expression words, and those found at their onset in some part. */
  readonly expression: { readonly total: number; readonly found: number; readonly missing: readonly string[] };
  /** Parts marked three or more levels below the dynamic the sketch has in force there (ppp under an f). */
  readonly tooSoft: readonly string[];
  /** Warnings and errors of `tutti check` on the arrangement. */
  readonly checkFindings: readonly string[];
}


/**
 * The audit of an arrangement of a sketch.
 * @example auditMusic(k545, arrange(k545, "string-quartet")[0].score, db).bass.agree // as many as there are half-bars
 */
export function auditMusic(sketch: Score, arranged: Score, db: Database): MusicAudit {
  return {
    bass: bassAgreement(sketch, arranged, db),
    expression: expressionKept(sketch, arranged),
    tooSoft: tooSoft(sketch, arranged),
    checkFindings: checkScore(arranged, db)
      .filter((f) => f.severity !== "info")
      .map((f) => `${f.part} m. ${f.measure}: ${f.message}`),
  };
}

/** The half-bars of the sketch's first part: each measure cut in two (a measure of one beat stays whole). */
function halfBars(score: Score): { start: Fraction; end: Fraction; label: string }[] {
  const part = score.parts[0];
  if (!part) return [];
  const starts = measureStarts(part);
  return part.measures.flatMap((m, i) => {
    const half = mul(m.duration, frac(1, 2));
    const a = starts[i]!;
    return [
      { start: a, end: add(a, half), label: `m. ${m.number}a` },
      { start: add(a, half), end: add(a, m.duration), label: `m. ${m.number}b` },
    ];
  });
}

/** The lowest key number the parts sound in each window, or undefined where nothing sounds. */
function lowestOf(parts: Score["parts"], windows: readonly { start: Fraction; end: Fraction }[]): (number | undefined)[] {
  const notes = parts.flatMap((p) => soundingNotes(p)).filter((n) => n.pitch && !n.grace && n.duration.n > 0);
  notes.sort((a, b) => cmp(a.onset, b.onset));
  return windows.map((w) => {
    let low: number | undefined;
    for (const n of notes) {
      if (!lt(n.onset, w.end)) break;
      if (!gt(add(n.onset, n.duration), w.start)) continue;
      const m = midiOf(n.pitch!);
      if (low === undefined || m < low) low = m;
    }
    return low;
  });
}

function bassAgreement(sketch: Score, arranged: Score, db: Database): MusicAudit["bass"] {
  const windows = halfBars(sketch);
  const mine = lowestOf(sketch.parts, windows);
  const theirs = lowestOf(arranged.parts, windows);
  const bassParts = arranged.parts.filter((p) => instrumentOfPart(db, p)?.orchestration?.doubles.includes("bass"));
  const inBass = bassParts.length > 0 ? lowestOf(bassParts, windows) : undefined;
  const together = twoAtOnce(sketch.parts, windows);
  let halfBarsCount = 0;
  let agree = 0;
  let accompanied = 0;
  let inBassParts = 0;
  const examples: string[] = [];
  mine.forEach((m, i) => {
    if (m === undefined) return;
    halfBarsCount++;
    const t = theirs[i];
    if (t !== undefined && t % 12 === m % 12) agree++;
    else if (examples.length < 5) examples.push(windows[i]!.label);
    if (!together[i]) return;
    accompanied++;
    const b = inBass?.[i];
    if (b !== undefined && b % 12 === m % 12) inBassParts++;
  });
  return { halfBars: halfBarsCount, agree, accompanied, ...(inBass ? { inBassParts } : {}), examples };
}

/** Whether two notes of the parts sound at once somewhere in each window. */
function twoAtOnce(parts: Score["parts"], windows: readonly { start: Fraction; end: Fraction }[]): boolean[] {
  const notes = parts.flatMap((p) => soundingNotes(p)).filter((n) => n.pitch && !n.grace && n.duration.n > 0);
  return windows.map((w) => {
    const inside = notes.filter((n) => lt(n.onset, w.end) && gt(add(n.onset, n.duration), w.start));
    return inside.some((a, i) => inside.some((b, j) => j > i && lt(max(a.onset, b.onset), min(min(add(a.onset, a.duration), add(b.onset, b.duration)), w.end))));
  });
}

/** A direction item as it should be found again: a dynamic, a hairpin's start or stop, a word. */
function itemKey(item: DirectionItem): string | undefined {
  if (item.kind === "dynamics") return `dynamics ${item.values.join(" ")}`;
  if (item.kind === "wedge") return `wedge ${item.type}`;
  if (item.kind === "words") return `words ${item.text.trim()}`;
  return undefined;
}

function expressionKept(sketch: Score, arranged: Score): MusicAudit["expression"] {
  const have = new TupleSet<[time: string, item: string]>();
  for (const p of arranged.parts) {
    for (const { direction, onset } of timedDirections(p)) for (const item of direction.items) {
      const k = itemKey(item);
      if (k) have.add([timeKey(onset), k]);
    }
  }
  const wanted = new TupleSet<[time: string, item: string]>();
  let total = 0;
  let found = 0;
  const missing: string[] = [];
  for (const p of sketch.parts) {
    const numbers = p.measures.map((m) => m.number);
    for (const { direction, onset, measure } of timedDirections(p)) for (const item of direction.items) {
      const k = itemKey(item);
      if (!k || (item.kind === "words" && item.text.trim() === "") || wanted.has([timeKey(onset), k])) continue;
      wanted.add([timeKey(onset), k]);
      total++;
      if (have.has([timeKey(onset), k])) found++;
      else if (missing.length < 8) missing.push(`${k} in m. ${numbers[measure]}`);
    }
  }
  return { total, found, missing };
}

/** The dynamic level in force at each marking of a score's parts, merged over the parts, in time order. */
function levelsInForce(score: Score): { at: Fraction; level: number }[] {
  const out: { at: Fraction; level: number }[] = [];
  for (const p of score.parts) {
    for (const { direction, onset } of timedDirections(p)) for (const item of direction.items) {
      if (item.kind !== "dynamics") continue;
      const level = item.values.map(levelAfter).find((l) => l >= 0);
      if (level !== undefined) out.push({ at: onset, level });
    }
  }
  return out.sort((a, b) => cmp(a.at, b.at));
}

function levelAt(levels: readonly { at: Fraction; level: number }[], t: Fraction): number | undefined {
  let l: number | undefined;
  for (const x of levels) {
    if (gt(x.at, t)) break;
    l = x.level;
  }
  return l;
}

function tooSoft(sketch: Score, arranged: Score): string[] {
  const sketchLevels = levelsInForce(sketch);
  const out: string[] = [];
  for (const part of arranged.parts) {
    const own = levelsInForce({ ...arranged, parts: [part] });
    const starts = measureStarts(part);
    let worst: { measure: string; marked: string; sketch: string } | undefined;
    for (const { at, level } of own) {
      const wanted = levelAt(sketchLevels, at) ?? levelIndex("mf");
      if (wanted - level >= 3 && !worst) {
        const mi = Math.max(0, starts.findIndex((s, i) => !gt(s, at) && (i === starts.length - 1 || gt(starts[i + 1]!, at))));
        worst = { measure: part.measures[mi]?.number ?? "?", marked: DYNAMIC_LEVELS[level]!, sketch: DYNAMIC_LEVELS[wanted]! };
      }
    }
    if (worst) out.push(`${part.name} marked ${worst.marked} in m. ${worst.measure} where the sketch has ${worst.sketch}`);
  }
  return out;
}
