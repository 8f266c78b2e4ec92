/**
 * MusicXML reader: score-partwise (and score-timewise, converted) text into the score model.
 *
 * Time is exact: each `<duration>` becomes a fraction of a whole note through the `<divisions>`
 * in force, so division changes, `<backup>` and `<forward>` need no rounding. Pitches of
 * transposing parts are turned into sounding pitch with the part's `<transpose>`.
 */
import { TuttiError } from "../../model/errors.js";
import type { Barline, Creator, Measure, Part, Score } from "../../model/score.js";
import { parseXml } from "../../xml/parse.js";
import { child, childText, elements, textOf, type XmlElement } from "../../xml/tree.js";
import { READ_LIMITS } from "../limits.js";
import { readCredits } from "./credits.js";
import { readMeasure } from "./measure.js";
import { repairRhythm } from "./rhythm.js";
import { type PartInfo, readPartList } from "./part-list.js";
import type { PartState, Snaps } from "./part-state.js";

/** What the reader did beyond reading: where it kept the notation whole (see `Snaps`). */
export interface MusicXmlReadReport {
  /** Notes and rests whose notated value was read where `<duration>` rounds it. */
  readonly snappedValues: number;
  /** The first few places ("part P1, measure 3") where a value was snapped. */
  readonly snappedExamples: readonly string[];
  /** Measures that drifted a division or two off the barline and were set to their time signature's length. */
  readonly snappedMeasures: readonly string[];
  /** Notes and rests whose inexact times no notation could show, moved onto the plain grid (see `repairRhythm`). */
  readonly retimed: number;
  readonly retimedExamples: readonly string[];
}

/**
 * Reads MusicXML text.
 * @example readMusicXml(text, "chorale.musicxml").parts[0].name // "Soprano"
 */
export function readMusicXml(text: string, source?: string): Score {
  return readMusicXmlWithReport(text, source).score;
}

/**
 * Reads MusicXML text, and says where it read a note's notated value rather than its rounded
 * `<duration>`, and which measures it put back on their barline.
 * @example readMusicXmlWithReport(lindenbaum, "lindenbaum.musicxml").report.snappedValues // 1131
 */
export function readMusicXmlWithReport(text: string, source?: string): { score: Score; report: MusicXmlReadReport } {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (err) {
    if (err instanceof TuttiError && source) throw new TuttiError(err.code, err.message, source);
    throw err;
  }
  try {
    if (root.name === "score-timewise") root = timewiseToPartwise(root);
    if (root.name !== "score-partwise") {
      throw new TuttiError("BAD_MUSICXML", `not a MusicXML score: the root element is <${root.name}>, expected <score-partwise>`);
    }
    const snaps: Snaps = { values: 0, measures: [], examples: [], retimed: 0, retimedExamples: [] };
    const score = readPartwise(root, source, snaps);
    const report = { snappedValues: snaps.values, snappedExamples: snaps.examples, snappedMeasures: snaps.measures, retimed: snaps.retimed, retimedExamples: snaps.retimedExamples };
    return { score, report };
  } catch (err) {
    if (err instanceof TuttiError && source && !err.file) throw new TuttiError(err.code, err.message, source);
    throw err;
  }
}

/** Regroups `<measure><part>…` into `<part><measure>…`; the two forms carry the same content. */
function timewiseToPartwise(root: XmlElement): XmlElement {
  const byPart = new Map<string, XmlElement[]>();
  for (const m of elements(root, "measure")) {
    for (const p of elements(m, "part")) {
      const id = p.attrs.id ?? "";
      const list = byPart.get(id) ?? [];
      list.push({ name: "measure", attrs: m.attrs, children: p.children });
      byPart.set(id, list);
    }
  }
  const header = root.children.filter((c) => typeof c !== "string" && c.name !== "measure");
  const parts: XmlElement[] = [...byPart].map(([id, ms]) => ({ name: "part", attrs: { id }, children: ms }));
  return { name: "score-partwise", attrs: root.attrs, children: [...header, ...parts] };
}

/** The score from `<score-partwise>`: parts in file order, groups mapped onto them. */
function readPartwise(root: XmlElement, source: string | undefined, snaps: Snaps): Score {
  const partList = child(root, "part-list");
  if (!partList) throw new TuttiError("BAD_MUSICXML", "no <part-list>");
  const { infos, groups } = readPartList(partList);
  const partEls = elements(root, "part");
  if (partEls.length === 0) throw new TuttiError("EMPTY_SCORE", "the score has no parts");
  if (partEls.length > READ_LIMITS.maxParts) throw new TuttiError("UNSUPPORTED", `the score has ${partEls.length} parts; Tutti reads at most ${READ_LIMITS.maxParts}`);
  const parts: Part[] = [];
  for (const el of partEls) {
    const id = el.attrs.id ?? `P${parts.length + 1}`;
    const info = infos.get(id) ?? { name: "", instruments: [] };
    parts.push(readPart(el, id, info, snaps));
  }
  const order = new Map(partEls.map((p, i) => [p.attrs.id ?? "", i]));
  const idsInList = [...infos.keys()];
  const mapIndex = (i: number): number => order.get(idsInList[i] ?? "") ?? i;
  return {
    meta: readMeta(root, source),
    parts,
    groups: groups
      .map((g) => ({ ...g, first: mapIndex(g.first), last: mapIndex(g.last) }))
      .filter((g) => g.first <= g.last && g.last < parts.length),
  };
}

/** Title, work, movement, creators and rights from the score's header. */
function readMeta(root: XmlElement, source: string | undefined): Score["meta"] {
  const work = child(root, "work");
  const ident = child(root, "identification");
  const creators: Creator[] = ident
    ? elements(ident, "creator")
        .map((c) => ({ type: c.attrs.type ?? "composer", name: textOf(c).trim() }))
        .filter((c) => c.name !== "")
    : [];
  const rights = ident ? elements(ident, "rights").map((r) => textOf(r).trim()).filter((r) => r !== "") : [];
  const meta: {
    -readonly [K in keyof Score["meta"]]: Score["meta"][K];
  } = { creators, rights };
  const title = work ? childText(work, "work-title") : undefined;
  if (title) meta.title = title;
  const workNumber = work ? childText(work, "work-number") : undefined;
  if (workNumber) meta.workNumber = workNumber;
  const mt = childText(root, "movement-title");
  if (mt) meta.movementTitle = mt;
  const mn = childText(root, "movement-number");
  if (mn) meta.movementNumber = mn;
  // What the header leaves out, the title page may say.
  const credits = readCredits(root);
  if (!meta.title && !meta.movementTitle && credits.title) {
    meta.title = credits.title;
    if (credits.subtitle) meta.movementTitle = credits.subtitle;
  }
  for (const type of ["composer", "lyricist", "arranger"] as const) {
    const name = credits[type];
    if (name && !creators.some((c) => c.type === type)) creators.push({ type, name });
  }
  if (rights.length === 0) rights.push(...credits.rights);
  if (source) meta.source = source;
  return meta;
}

/** One `<part>`: its measures in order, and as many staves as any measure uses. */
function readPart(el: XmlElement, id: string, info: PartInfo, snaps: Snaps): Part {
  const state: PartState = { divisions: 1, staves: 1, snaps };
  const measures: Measure[] = [];
  let maxStaves = 1;
  const measureEls = elements(el, "measure");
  if (measureEls.length > READ_LIMITS.maxMeasures) {
    throw new TuttiError("UNSUPPORTED", `part ${id} has ${measureEls.length} measures; Tutti reads at most ${READ_LIMITS.maxMeasures}`);
  }
  for (const m of measureEls) {
    const read = readMeasure(m, state, id);
    const { measure, moved } = repairRhythm(read, state.time);
    if (moved) {
      snaps.retimed += moved;
      if (snaps.retimedExamples.length < 3) snaps.retimedExamples.push(`part ${id}, measure ${measure.number}`);
    }
    maxStaves = Math.max(maxStaves, state.staves);
    for (const e of measure.events) if (e.staff > maxStaves) maxStaves = e.staff;
    measures.push(measure);
  }
  const part: { -readonly [K in keyof Part]: Part[K] } = {
    id,
    name: info.name,
    instruments: info.instruments,
    staves: maxStaves,
    measures: closedEndings(measures),
  };
  if (info.abbreviation) part.abbreviation = info.abbreviation;
  return part;
}

/**
 * Volta brackets as notation programs need them: an ending's stop or discontinue that no start
 * opened (a file's own slip, often with an empty number) is dropped, since MuseScore refuses it
 * and there is no bracket to close.
 */
function closedEndings(measures: Measure[]): Measure[] {
  let open = false;
  const close = (b: Barline | undefined): Barline | undefined => {
    if (!b?.ending) return b;
    if (b.ending.type === "start") {
      open = true;
      return b;
    }
    if (open) {
      open = false;
      return b;
    }
    const { ending: _dropped, ...rest } = b;
    return Object.keys(rest).length > 0 ? rest : undefined;
  };
  return measures.map((m) => {
    const left = close(m.left);
    const right = close(m.right);
    if (left === m.left && right === m.right) return m;
    const out: { -readonly [K in keyof Measure]: Measure[K] } = { ...m };
    if (left) out.left = left;
    else delete out.left;
    if (right) out.right = right;
    else delete out.right;
    return out;
  });
}
