/** A note's `<notations>`: articulations, ornaments and technical marks, slurs, arpeggios, tremolos and attached dynamics. */
import type { Mark, NoteEvent, Slur } from "../../model/score.js";
import { child, elements, textOf, type XmlElement } from "../../xml/tree.js";
import { dynamicValues } from "./directions.js";
import type { Mutable } from "./part-state.js";

const MARK_ELEMENTS = {
  articulations: new Set([
    "accent", "strong-accent", "staccato", "tenuto", "detached-legato", "staccatissimo", "spiccato", "scoop", "plop",
    "doit", "falloff", "breath-mark", "caesura", "stress", "unstress", "soft-accent", "other-articulation",
  ]),
  ornaments: new Set([
    "trill-mark", "turn", "delayed-turn", "inverted-turn", "delayed-inverted-turn", "vertical-turn",
    "inverted-vertical-turn", "shake", "mordent", "inverted-mordent", "schleifer", "haydn", "other-ornament",
  ]),
  technical: new Set([
    "up-bow", "down-bow", "open-string", "thumb-position", "fingering", "pluck", "double-tongue", "triple-tongue",
    "stopped", "snap-pizzicato", "fret", "string", "hammer-on", "pull-off", "tap", "heel", "toe", "fingernails",
    "brass-bend", "flip", "smear", "open", "half-muted", "golpe", "other-technical", "harmonic",
  ]),
} as const;

/** Marks whose element needs its text (fingering "3", string "2"). */
const NEEDS_TEXT = new Set(["fret", "string", "other-articulation", "other-ornament", "other-technical"]);

/** Marks whose element needs a type attribute. */
const NEEDS_TYPE = new Set(["hammer-on", "pull-off"]);

/** The marks of one group (articulations, ornaments or technical) that Tutti knows and can write back. */
function readMarks(n: XmlElement, group: keyof typeof MARK_ELEMENTS): Mark[] {
  const out: Mark[] = [];
  for (const g of elements(n, group)) {
    for (const m of elements(g)) {
      if (!MARK_ELEMENTS[group].has(m.name)) continue;
      const mark: Mutable<Mark> = { name: m.name };
      const text = textOf(m).trim();
      if (text) mark.text = text;
      else if (NEEDS_TEXT.has(m.name)) continue;
      const pl = m.attrs.placement;
      if (pl === "above" || pl === "below") mark.placement = pl;
      if (m.attrs.type) mark.type = m.attrs.type;
      else if (NEEDS_TYPE.has(m.name)) continue;
      out.push(mark);
    }
  }
  return out;
}

/**
 * Adds the notations of a note (or of a chord note joining its event) to the event; the dynamics
 * among them go to `dynamics`, when given.
 */
export function mergeNotations(ev: Mutable<NoteEvent>, c: XmlElement, dynamics?: string[][]): void {
  for (const group of ["articulations", "ornaments", "technical"] as const) {
    const marks = elements(c, "notations").flatMap((n) => readMarks(n, group));
    if (marks.length === 0) continue;
    const prev = ev[group] ?? [];
    const fresh = marks.filter((m) => !prev.some((p) => p.name === m.name && p.text === m.text));
    if (fresh.length) ev[group] = [...prev, ...fresh];
  }
  const slurs: Slur[] = [];
  for (const n of elements(c, "notations")) {
    for (const s of elements(n, "slur")) {
      const type = s.attrs.type;
      if (type !== "start" && type !== "stop" && type !== "continue") continue;
      const slur: Mutable<Slur> = { type, number: Number(s.attrs.number ?? 1) };
      const pl = s.attrs.placement;
      if (pl === "above" || pl === "below") slur.placement = pl;
      slurs.push(slur);
    }
    const arpeggiate = child(n, "arpeggiate");
    if (arpeggiate) {
      const direction = arpeggiate.attrs.direction;
      ev.arpeggiate = direction === "up" || direction === "down" ? { direction } : {};
    }
    for (const o of elements(n, "ornaments")) {
      const tr = child(o, "tremolo");
      if (tr && (tr.attrs.type ?? "single") === "single") {
        const strokes = Number(textOf(tr).trim());
        ev.tremolo = Number.isInteger(strokes) && strokes >= 1 && strokes <= 8 ? strokes : 3;
      }
    }
    for (const d of elements(n, "dynamics")) dynamics?.push(dynamicValues(d));
  }
  if (slurs.length) {
    const prev = ev.slurs ?? [];
    const fresh = slurs.filter((s) => !prev.some((p) => p.type === s.type && p.number === s.number));
    if (fresh.length) ev.slurs = [...prev, ...fresh];
  }
}
