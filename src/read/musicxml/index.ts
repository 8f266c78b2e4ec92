/**
 * MusicXML reader: score-partwise (and score-timewise, converted) text into the score model.
 *
 * Time is exact: each `<duration>` becomes a fraction of a whole note through the `<divisions>`
 * in force, so division changes, `<backup>` and `<forward>` need no rounding. Pitches of
 * transposing parts are turned into sounding pitch with the part's `<transpose>`.
 */
import { TuttiError } from "../../model/errors.js";
import type { Barline, Creator, Measure, Part, Score } from "../../model/score.js";
import { streamXml, type XmlHandler } from "../../xml/parse.js";
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
 *
 * The text is walked, not held as a tree: each `<measure>` is built, read into the model and
 * let go (see `streamXml`), so memory follows the score, not the text. Errors come out as a
 * reader of the whole tree would give them: a malformed file first, then the root, the part list,
 * the number of parts, and each part in order (its number of measures, then its first bad measure).
 * @example readMusicXmlWithReport(lindenbaum, "lindenbaum.musicxml").report.snappedValues // 1131
 */
export function readMusicXmlWithReport(text: string, source?: string): { score: Score; report: MusicXmlReadReport } {
  try {
    const walk = new ScoreWalk();
    streamXml(text, walk);
    const score = walk.score(source);
    const snaps = walk.snaps();
    const report = { snappedValues: snaps.values, snappedExamples: snaps.examples, snappedMeasures: snaps.measures, retimed: snaps.retimed, retimedExamples: snaps.retimedExamples };
    return { score, report };
  } catch (err) {
    if (err instanceof TuttiError && source && !err.file) throw new TuttiError(err.code, err.message, source);
    throw err;
  }
}

/** The elements of a score's header that the reader keeps (the rest, `<defaults>` and such, it skips). */
const HEADER = new Set(["part-list", "work", "identification", "movement-title", "movement-number", "credit"]);

/** One part as its measures arrive. */
interface PartReading {
  readonly id: string;
  /** Its `id` as written ("" when none), which the part list's groups are mapped by. */
  readonly listed: string;
  /** Its place among the parts, in the order they first appear. */
  readonly order: number;
  readonly state: PartState;
  readonly measures: Measure[];
  /** Measures in the file, read or not. */
  count: number;
  maxStaves: number;
  /** The first error of its measures, held until the score's earlier checks have had their say. */
  failed?: unknown;
}

/**
 * The reader's side of the walk (`XmlHandler`): the header kept whole, each part's measures read
 * one by one. Partwise, `<part>` opens a part and each `<measure>` in it is built; timewise, each
 * `<measure>` is built and its `<part>`s go to their parts. Once a part fails, or a count passes
 * `READ_LIMITS`, nothing more is built: the walk only counts what the messages need.
 */
class ScoreWalk implements XmlHandler {
  private root: { name: string; attrs: Readonly<Record<string, string>> } | undefined;
  private readonly header: XmlElement[] = [];
  private readonly parts: PartReading[] = [];
  private readonly byId = new Map<string, PartReading>();
  private current: PartReading | undefined;
  /**
   * Parts past `READ_LIMITS.maxParts`, only counted for the message: partwise each `<part>`,
   * timewise each new id (their ids kept up to a bound, so a hostile file cannot grow the set).
   */
  private extraParts = 0;
  private readonly extraIds = new Set<string>();
  /** The lowest `order` of a failed part: parts from it on are not read (their errors come later). */
  private failedFrom = Infinity;
  /** Past a limit: the file will be refused, so nothing more is read. */
  private stopped = false;
  private events = 0;

  open(name: string, attrs: Readonly<Record<string, string>>, depth: number): boolean {
    if (depth === 0) {
      this.root = { name, attrs };
      return false;
    }
    const kind = this.root!.name;
    if (depth === 1) {
      this.current = undefined;
      if (kind === "score-partwise" && name === "part") {
        if (this.parts.length < READ_LIMITS.maxParts) this.current = this.addPart(attrs.id ?? `P${this.parts.length + 1}`, attrs.id ?? "");
        else this.overParts();
        return false;
      }
      if (kind === "score-timewise" && name === "measure") return !this.stopped;
      return (kind === "score-partwise" || kind === "score-timewise") && HEADER.has(name);
    }
    if (depth === 2 && kind === "score-partwise" && name === "measure" && this.current) {
      return this.countMeasure(this.current);
    }
    // Timewise, once reading stopped: the parts of each measure are still counted.
    if (depth === 2 && kind === "score-timewise" && name === "part") {
      const part = this.partById(attrs.id ?? "");
      if (part) this.countMeasure(part);
    }
    return false;
  }

  element(el: XmlElement, depth: number): boolean {
    if (depth === 1 && el.name === "measure" && this.root!.name === "score-timewise") {
      for (const p of elements(el, "part")) {
        const part = this.partById(p.attrs.id ?? "");
        if (part && this.countMeasure(part)) this.readOne(part, { name: "measure", attrs: el.attrs, children: p.children });
      }
      return false;
    }
    if (depth === 1) {
      this.header.push(el);
      return true;
    }
    if (this.current) this.readOne(this.current, el);
    return false;
  }

  /** A timewise part by its id, new ones added; undefined past the limit on parts (then only counted). */
  private partById(id: string): PartReading | undefined {
    const known = this.byId.get(id);
    if (known || this.parts.length < READ_LIMITS.maxParts) return known ?? this.addPart(id, id);
    if (this.extraIds.size < 100_000 && !this.extraIds.has(id)) {
      this.extraIds.add(id);
      this.overParts();
    }
    return undefined;
  }

  private overParts(): void {
    this.extraParts++;
    this.stopped = true;
  }

  private addPart(id: string, listed: string): PartReading {
    const snaps: Snaps = { values: 0, measures: [], examples: [], retimed: 0, retimedExamples: [] };
    const part: PartReading = { id, listed, order: this.parts.length, state: { divisions: 1, staves: 1, snaps }, measures: [], count: 0, maxStaves: 1 };
    this.parts.push(part);
    if (!this.byId.has(id)) this.byId.set(id, part);
    return part;
  }

  /** Counts a measure of the part; true when it is to be read. */
  private countMeasure(part: PartReading): boolean {
    part.count++;
    if (part.count > READ_LIMITS.maxMeasures) this.stopped = true;
    return !this.stopped && part.order < this.failedFrom;
  }

  private readOne(part: PartReading, m: XmlElement): void {
    try {
      const read = readMeasure(m, part.state, part.id);
      const { measure, moved } = repairRhythm(read, part.state.time);
      const snaps = part.state.snaps;
      if (moved) {
        snaps.retimed += moved;
        if (snaps.retimedExamples.length < 3) snaps.retimedExamples.push(`part ${part.id}, measure ${measure.number}`);
      }
      part.maxStaves = Math.max(part.maxStaves, part.state.staves);
      for (const e of measure.events) if (e.staff > part.maxStaves) part.maxStaves = e.staff;
      part.measures.push(measure);
      this.events += measure.events.length;
      if (this.events > READ_LIMITS.maxEvents) {
        throw new TuttiError("UNSUPPORTED", `the score has more than ${READ_LIMITS.maxEvents.toLocaleString("en")} notes and rests (at part ${part.id}, measure ${measure.number}); Tutti reads at most that many`);
      }
    } catch (err) {
      part.failed = err;
      this.failedFrom = Math.min(this.failedFrom, part.order);
    }
  }

  /** The score, once the walk is over; or the first error, in the order a reader of the whole tree meets them. */
  score(source: string | undefined): Score {
    if (!this.root) throw new TuttiError("BAD_XML", "the XML document has no root element");
    if (this.root.name !== "score-partwise" && this.root.name !== "score-timewise") {
      throw new TuttiError("BAD_MUSICXML", `not a MusicXML score: the root element is <${this.root.name}>, expected <score-partwise>`);
    }
    const partList = this.header.find((h) => h.name === "part-list");
    if (!partList) throw new TuttiError("BAD_MUSICXML", "no <part-list>");
    const { infos, groups } = readPartList(partList);
    if (this.parts.length === 0) throw new TuttiError("EMPTY_SCORE", "the score has no parts");
    if (this.extraParts > 0) {
      throw new TuttiError("UNSUPPORTED", `the score has ${this.parts.length + this.extraParts} parts; Tutti reads at most ${READ_LIMITS.maxParts}`);
    }
    const parts: Part[] = [];
    for (const p of this.parts) {
      if (p.count > READ_LIMITS.maxMeasures) {
        throw new TuttiError("UNSUPPORTED", `part ${p.id} has ${p.count} measures; Tutti reads at most ${READ_LIMITS.maxMeasures}`);
      }
      if (p.failed !== undefined) throw p.failed;
      parts.push(finishPart(p, infos.get(p.id) ?? { name: "", instruments: [] }));
    }
    const order = new Map(this.parts.map((p, i) => [p.listed, i]));
    const idsInList = [...infos.keys()];
    const mapIndex = (i: number): number => order.get(idsInList[i] ?? "") ?? i;
    return {
      meta: readMeta({ name: this.root.name, attrs: this.root.attrs, children: this.header }, source),
      parts,
      groups: groups
        .map((g) => ({ ...g, first: mapIndex(g.first), last: mapIndex(g.last) }))
        .filter((g) => g.first <= g.last && g.last < parts.length),
    };
  }

  /** What the parts' readers changed, in part order, as one reader going part by part would list it. */
  snaps(): Snaps {
    const all = this.parts.map((p) => p.state.snaps);
    return {
      values: all.reduce((n, s) => n + s.values, 0),
      examples: all.flatMap((s) => s.examples).slice(0, 3),
      measures: all.flatMap((s) => s.measures),
      retimed: all.reduce((n, s) => n + s.retimed, 0),
      retimedExamples: all.flatMap((s) => s.retimedExamples).slice(0, 3),
    };
  }
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

/** A part read: its measures in order, and as many staves as any measure uses. */
function finishPart(p: PartReading, info: PartInfo): Part {
  const part: { -readonly [K in keyof Part]: Part[K] } = {
    id: p.id,
    name: info.name,
    instruments: info.instruments,
    staves: p.maxStaves,
    measures: closedEndings(p.measures),
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
