/**
 * Model → VexFlow: the clef names, key and time signature specs and barline types VexFlow takes,
 * and the clef, key and time a stave begins with.
 */
import { BarlineType, type Stave } from "vexflow/core";
import { cmp } from "../model/fraction.js";
import { type NotationContext, writtenFifths } from "../model/notation.js";
import type { Barline, Clef, KeySignature, Measure, Part, TimeSignature } from "../model/score.js";

/** A VexFlow clef name and the octave its notes are displaced by (a tenor's treble-8vb clef). */
export interface ClefInfo {
  readonly name: string;
  readonly annotation?: string;
  readonly octave: number;
  readonly hidden?: boolean;
}

/** The VexFlow clef of a MusicXML clef (treble when there is none). */
export function clefInfo(c: Clef | undefined): ClefInfo {
  if (!c) return { name: "treble", octave: 0 };
  const oct = c.octaveChange ?? 0;
  const annotation = oct === -1 ? "8vb" : oct === 1 ? "8va" : undefined;
  const withAnn = (name: string): ClefInfo => (annotation ? { name, annotation, octave: oct } : { name, octave: oct });
  switch (c.sign) {
    case "G":
      return withAnn(c.line === 1 ? "french" : "treble");
    case "F":
      return withAnn(c.line === 3 ? "baritone-f" : c.line === 5 ? "subbass" : "bass");
    case "C": {
      const names: Record<number, string> = { 1: "soprano", 2: "mezzo-soprano", 3: "alto", 4: "tenor", 5: "baritone-c" };
      return withAnn(names[c.line ?? 3] ?? "alto");
    }
    case "percussion":
      return { name: "percussion", octave: 0 };
    case "none":
      return { name: "treble", octave: 0, hidden: true };
    default:
      return { name: "treble", octave: 0 };
  }
}

/**
 * Clef at the start of every measure, per staff (mid-measure changes carry into the next). A
 * measure whose clefs are those of the measure before shares its list: the lists of a long
 * orchestral score are kept while it is engraved.
 */
export function clefsOf(part: Part): (readonly ClefInfo[])[] {
  const n = Math.max(1, part.staves);
  const cur: ClefInfo[] = Array.from({ length: n }, (_, i) => (n === 2 && i === 1 ? clefInfo({ sign: "F", line: 4 }) : clefInfo(undefined)));
  let at: readonly ClefInfo[] | undefined;
  return part.measures.map((m) => {
    for (const c of m.attributes.clefs ?? []) if (c.staff - 1 < n) cur[c.staff - 1] = clefInfo(c.clef);
    if (!at || at.some((c, i) => c !== cur[i])) at = [...cur];
    for (const a of [...m.midAttributes].sort((p, q) => cmp(p.offset, q.offset))) {
      for (const c of a.clefs ?? []) if (c.staff - 1 < n) cur[c.staff - 1] = clefInfo(c.clef);
    }
    return at;
  });
}

const MAJOR_KEYS = ["Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#"];

/** VexFlow's key spec (the major key of as many sharps or flats) of a key as written, or undefined for a non-traditional key. */
function keySpec(key: KeySignature, ctx: NotationContext): string | undefined {
  if (key.kind !== "traditional") return undefined;
  const f = writtenFifths(key, ctx);
  return MAJOR_KEYS[Math.max(-7, Math.min(7, f)) + 7];
}

/** The key a measure gives one staff: its own, or the part's. */
function staffKey(m: Measure | undefined, staff: number): KeySignature | undefined {
  return m?.attributes.staffKeys?.find((k) => k.staff === staff)?.key ?? m?.attributes.key;
}

/** VexFlow's time signature spec: "C", "C|", "3/4", or "2/4+3/8" for a composite one. */
function timeSpec(t: TimeSignature & { kind: "measured" }): string {
  if (t.symbol === "common") return "C";
  if (t.symbol === "cut") return "C|";
  const s = t.signatures[0]!;
  return t.signatures.length > 1 ? t.signatures.map((x) => `${x.beats}/${x.beatType}`).join("+") : `${s.beats}/${s.beatType}`;
}

/** VexFlow's type for a measure's right barline. */
export function barType(b: Barline): BarlineType {
  if (b.repeat) return b.repeat.direction === "forward" ? BarlineType.REPEAT_BEGIN : BarlineType.REPEAT_END;
  switch (b.style) {
    case "light-heavy":
      return BarlineType.END;
    case "light-light":
      return BarlineType.DOUBLE;
    case "none":
      return BarlineType.NONE;
    default:
      return BarlineType.SINGLE;
  }
}

/** A part with the notation context and the clefs (by staff) at the start of each of its measures. */
export interface PartNotation {
  readonly part: Part;
  readonly contexts: readonly NotationContext[];
  readonly clefs: readonly (readonly ClefInfo[])[];
}

/**
 * Puts on a stave the clef, key and time signature its measure begins with: all of them at the
 * start of a system, else only those that change there (a key change cancels the old key).
 */
export function addStartModifiers(s: Stave, p: PartNotation, staff: number, mi: number, systemStart: boolean): void {
  const m = p.part.measures[mi];
  const clef = p.clefs[mi]?.[staff - 1];
  const prevClef = mi > 0 ? p.clefs[mi - 1]?.[staff - 1] : undefined;
  const clefChanged = clef && (!prevClef || prevClef.name !== clef.name || prevClef.annotation !== clef.annotation);
  if (clef && !clef.hidden && (systemStart || (clefChanged && m?.attributes.clefs))) {
    s.addClef(clef.name, systemStart ? "default" : "small", clef.annotation);
  }
  const ctx = p.contexts[mi];
  const key = staffKey(m, staff) ?? (systemStart ? ctx?.key : undefined);
  if (key && !key.hidden && (systemStart || m?.attributes.key || m?.attributes.staffKeys)) {
    const spec = keySpec(key, ctx!);
    const prev = mi > 0 ? p.contexts[mi - 1] : undefined;
    const cancel = !systemStart && prev?.key ? keySpec(prev.key, prev) : undefined;
    if (spec !== undefined && (spec !== "C" || (cancel !== undefined && cancel !== "C"))) s.addKeySignature(spec, cancel);
  }
  if (m?.attributes.time && m.attributes.time.kind === "measured" && !m.attributes.time.hidden) {
    s.addTimeSignature(timeSpec(m.attributes.time));
  }
}
