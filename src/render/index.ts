/**
 * Engraves a score as SVG pages with VexFlow 5: systems filled with as many measures as fit
 * (widths from VexFlow's formatter), part names and brackets, clefs, keys in written pitch,
 * notes with the accidentals, beams and tuplets of `src/model/notation.ts`, ties across
 * barlines and systems, dynamics, tempo marks, title, composer and measure numbers.
 *
 * No I/O: text is measured with a canvas the caller injects (`setMeasureCanvas`, or the
 * `measureCanvas` option; `src/node/render.ts` sets one up with @napi-rs/canvas), VexFlow
 * draws into a small DOM shim, and every glyph is outlined to a path from generated tables,
 * so the SVG needs no font and this runs in a browser too (inject an `OffscreenCanvas` or a
 * canvas whose page has the Bravura and Academico fonts loaded).
 */
import {
  BarlineType,
  Curve,
  Element,
  Formatter,
  type RenderContext,
  Stave,
  StaveConnector,
  type StaveConnectorType,
  type StaveNote,
  StaveTie,
  SVGContext,
  VexFlow,
  type Voice,
} from "vexflow/core";
import { add, cmp, type Fraction, frac, le } from "../model/fraction.js";
import { type NotationContext, notationContexts, writtenFifths } from "../model/notation.js";
import type { Barline, Direction, KeySignature, Measure, Part, PartGroup, Score, TimeSignature } from "../model/score.js";
import { type ShimElement, ShimElement as El, ensureDocument, serialize } from "./dom.js";
import { DEFAULT_GLYPHS, outlineText } from "./glyphs.js";
import { buildStaffMeasure, type ClefInfo, clefInfo, type StaffMeasure, type TieEnd } from "./staff.js";
import { clonePlain, speedUpVexFlow } from "./vexflow-speed.js";

/** A canvas VexFlow can measure text with (an HTMLCanvasElement, OffscreenCanvas or @napi-rs/canvas). */
export interface MeasureCanvas {
  getContext(kind: "2d"): unknown;
}

export type PageSize = "a4" | "letter";

export interface RenderOptions {
  /** Paper size: A4 (default) or US Letter. */
  readonly page?: PageSize;
  /** Size of the music: 1 draws a 10 px staff space (a 40 px staff); default 0.7. */
  readonly scale?: number;
  /**
   * Leave out, after the first system, the staves of parts that only rest in a system.
   * Default: on for scores of more than 8 staves (an orchestra), off otherwise.
   */
  readonly hideEmptyStaves?: boolean;
  /**
   * Honour the system and page breaks written in the score. Off by default: they were made for
   * another engraver's spacing and page (or, in an arrangement, for the piano sketch), and
   * following them leaves half-empty systems.
   */
  readonly keepBreaks?: boolean;
  /** Canvas for text measurement, if `setMeasureCanvas` was not called. */
  readonly measureCanvas?: MeasureCanvas;
}

/** Page sizes in CSS px (96 per inch). */
const PAGES: Readonly<Record<PageSize, { width: number; height: number }>> = {
  a4: { width: 793.7, height: 1122.5 },
  letter: { width: 816, height: 1056 },
};

let measureCanvas: MeasureCanvas | undefined;

/**
 * Sets the canvas VexFlow measures glyphs and text with; it needs the Bravura and Academico
 * fonts available under those names.
 * @example setMeasureCanvas(document.createElement("canvas"))
 */
export function setMeasureCanvas(canvas: MeasureCanvas): void {
  measureCanvas = canvas;
}

// ---------------------------------------------------------------- layout constants (VexFlow units: staff space 10)

const MARGIN = 55; // page margin, px
const STAFF_HEIGHT = 40;
const MIN_STAFF_GAP = 30; // between the bottom line of a staff and the top line of the next
const SYSTEM_GAP = 50;
const NAME_GAP = 14;
const MEASURE_PADDING = 24;
/** Slices per measure in which neighbouring staves are kept apart. */
const BINS = 8;
// Dynamics: the baseline is DYNAMIC_OFFSET px under the lowest note (or the bottom line); the
// layout keeps DYNAMIC_BELOW px under it (the glyphs reach about 5 px below the baseline, and some
// air), or DYNAMIC_ABOVE px over the highest note for a dynamic placed above.
const DYNAMIC_SIZE = 25;
const DYNAMIC_OFFSET = 28;
const DYNAMIC_BELOW = DYNAMIC_OFFSET + 10;
const DYNAMIC_ABOVE = 12 + 18;
/** Room added to VexFlow's minimum for a gap of a quarter between onsets (longer gaps less than proportionally). */
const QUARTER_SPACE = 8;
const SPACE_POWER = 0.75;

interface StaffRef {
  readonly part: number;
  readonly staff: number;
}

interface System {
  readonly first: number; // measure index
  readonly last: number; // inclusive
  readonly staves: StaffRef[];
  readonly y: number[]; // top line of each staff, relative to the system top
  readonly height: number;
  readonly top: number; // space needed above the first staff
}

/** A page: its systems, and for each system the x and width of each measure, and its indent. */
interface PageLayout {
  systems: System[];
  xs: number[][];
  widths: number[][];
  indent: number[];
}

/** The key of a staff measure (part, staff, measure) in the maps of built staff measures. */
const measureKey = (ref: StaffRef, mi: number): string => `${ref.part}:${ref.staff}:${mi}`;

/**
 * Engraves a score; one SVG document per page.
 * @example renderSvg(score, { page: "letter" })[0].startsWith("<svg") // true
 */
export function renderSvg(score: Score, options: RenderOptions = {}): string[] {
  return [...renderSvgPages(score, options).pages];
}

/** A score laid out, its pages engraved one at a time as they are asked for. */
export interface SvgPages {
  /** How many pages there are. */
  readonly count: number;
  /** The pages in order, one SVG document each; iterate once, and finish before engraving another score. */
  readonly pages: IterableIterator<string>;
}

/**
 * Lays a score out, then engraves each page only when it is asked for, so a viewer can show the
 * first pages of a long score while the others are engraved. The same pages as `renderSvg`.
 * @example const { count, pages } = renderSvgPages(score); for (const svg of pages) show(svg, count)
 */
export function renderSvgPages(score: Score, options: RenderOptions = {}): SvgPages {
  const engraver = prepare(score, options);
  const layout = engraver.layout();
  return { count: layout.length, pages: engraver.pages(layout) };
}

function prepare(score: Score, options: RenderOptions): Engraver {
  const canvas = options.measureCanvas ?? measureCanvas;
  if (!canvas) throw new Error("renderSvg: no canvas to measure text with; call setMeasureCanvas first");
  ensureDocument();
  speedUpVexFlow();
  Element.setTextMeasurementCanvas(cachingCanvas(canvas) as never);
  VexFlow.setFonts("Bravura", "Academico");
  (Element as unknown as { ID: number }).ID = 1000; // deterministic ids
  // A system taller than the page (a large orchestra) is drawn smaller until it fits. The staff
  // measures and their widths do not depend on the scale: each is built once, for every try.
  const shared = new Built(score);
  let engraver = new Engraver(score, options, shared);
  for (let i = 0; i < 4; i++) {
    const tallest = engraver.tallestSystem();
    if (tallest <= engraver.height) break;
    const scale = Math.max(0.3, (engraver.scale * engraver.height) / tallest * 0.98);
    if (scale >= engraver.scale) break;
    engraver = new Engraver(score, { ...options, scale }, shared);
  }
  return engraver;
}

/** The systems of each page: measures first..last (0-based) and the staves shown. */
export interface LayoutSummary {
  readonly pages: readonly (readonly { readonly first: number; readonly last: number; readonly staves: number; readonly height: number }[])[];
}

/**
 * Where the measures fall, without drawing: for tests and tuning.
 * @example layoutSummary(score).pages.length // same as renderSvg(score).length
 */
export function layoutSummary(score: Score, options: RenderOptions = {}): LayoutSummary {
  const engraver = prepare(score, options);
  return { pages: engraver.layout().map((pg) => pg.systems.map((s) => ({ first: s.first, last: s.last, staves: s.staves.length, height: Math.round(s.top + s.height) }))) };
}

interface Measurer {
  font: string;
  measureText(text: string): unknown;
}

const cachedCanvases = new WeakMap<MeasureCanvas, MeasureCanvas>();

/**
 * VexFlow measures every glyph of every note through the canvas, the same few hundred strings
 * over and over; remembering the answers makes engraving several times faster.
 */
function cachingCanvas(canvas: MeasureCanvas): MeasureCanvas {
  const known = cachedCanvases.get(canvas);
  if (known) return known;
  const inner = canvas.getContext("2d") as Measurer;
  const cache = new Map<string, unknown>();
  let font = inner.font;
  const ctx: Measurer & { readonly remembers: true } = {
    // Same font and text, same metrics (see vexflow-speed.ts).
    remembers: true,
    get font() {
      return font;
    },
    set font(f: string) {
      font = f;
    },
    measureText(text: string) {
      const key = `${font}\u0000${text}`;
      let m = cache.get(key);
      if (m === undefined) {
        inner.font = font;
        m = inner.measureText(text);
        cache.set(key, m);
      }
      return m;
    },
  };
  const wrapped: MeasureCanvas = { getContext: () => ctx };
  cachedCanvases.set(canvas, wrapped);
  return wrapped;
}

class ShimContext extends SVGContext {
  override create(type: string): never {
    return new El(type) as never;
  }

  // As SVGContext's, with a copy of the plain drawing state instead of structuredClone (see vexflow-speed.ts).
  override save(): this {
    this.stateStack.push({ state: clonePlain(this.state), attributes: clonePlain(this.attributes) });
    return this;
  }

  override restore(): this {
    const saved = this.stateStack.pop();
    if (saved) {
      this.state = clonePlain(saved.state);
      this.attributes = clonePlain(saved.attributes);
    }
    return this;
  }
}

/** What the layout needs of a staff measure, kept for the whole score. */
type StaffSummary = Pick<StaffMeasure, "empty" | "top" | "bottom" | "lyrics" | "profile">;

/**
 * Staff measures kept built at once. VexFlow's objects take some 20 kB of heap a staff measure
 * (and drawn, they hold their page), so an orchestral score of 10,000 measures would need over
 * 4 GB: beyond this many, the columns built longest ago are let go (their summaries and widths
 * stay) and built again if drawn. Scores up to some 450 measures of 22 staves never rebuild.
 */
const KEEP_STAFF_MEASURES = 10_000;

/**
 * What the engraving of a score builds whatever its scale: the notation contexts and clefs of
 * each measure, the staff measures (VexFlow's notes, beams, tuplets; see KEEP_STAFF_MEASURES),
 * what the layout needs of them, and the widths of the measure columns. Shared by the engravers
 * of one score, which differ only in scale.
 */
class Built {
  readonly contexts: NotationContext[][];
  readonly clefs: ClefInfo[][][]; // part → measure → staff-1 → clef at measure start
  readonly measures = new Map<string, StaffMeasure>();
  readonly summaries = new Map<string, StaffSummary | null>();
  /** VexFlow's minimum width of each column (its formatter's), and the column's whole width. */
  readonly formatWidths: number[] = [];
  readonly minWidths: number[] = [];
  readonly ends: Fraction[] = [];
  /** Columns whose staff measures are kept, oldest first from `head`, with how many each holds. */
  readonly kept: { column: number; keys: string[] }[] = [];
  head = 0;
  keptCount = 0;

  constructor(score: Score) {
    this.contexts = score.parts.map((p) => notationContexts(p));
    this.clefs = score.parts.map((p) => clefsOf(p));
  }

  /** Lets staff measures go (those still kept). */
  release(keys: readonly string[]): void {
    for (const k of keys) if (this.measures.delete(k)) this.keptCount--;
  }

  /** Records a column just built, and lets the oldest go while too many are kept. */
  keep(column: number, keys: string[]): void {
    this.kept.push({ column, keys });
    this.keptCount += keys.length;
    while (this.keptCount > KEEP_STAFF_MEASURES && this.kept.length - this.head > 1) this.release(this.kept[this.head++]!.keys);
    if (this.head > 1024 && this.head * 2 > this.kept.length) {
      this.kept.splice(0, this.head);
      this.head = 0;
    }
  }
}

class Engraver {
  readonly score: Score;
  readonly page: { width: number; height: number };
  readonly scale: number;
  readonly width: number; // usable width in units
  readonly height: number;
  readonly count: number;
  readonly staves: StaffRef[];
  readonly contexts: NotationContext[][];
  readonly clefs: ClefInfo[][][]; // part → measure → staff-1 → clef at measure start
  readonly built: Map<string, StaffMeasure>;
  readonly minWidths: number[];
  readonly ends: Fraction[];
  readonly shared: Built;
  readonly opts: RenderOptions;

  constructor(score: Score, opts: RenderOptions, shared: Built = new Built(score)) {
    this.score = score;
    this.opts = opts;
    this.page = PAGES[opts.page ?? "a4"];
    this.scale = opts.scale ?? 0.7;
    this.width = (this.page.width - 2 * MARGIN) / this.scale;
    this.height = (this.page.height - 2 * MARGIN) / this.scale;
    this.count = Math.max(0, ...score.parts.map((p) => p.measures.length));
    this.staves = score.parts.flatMap((p, pi) => Array.from({ length: Math.max(1, p.staves) }, (_, s) => ({ part: pi, staff: s + 1 })));
    this.contexts = shared.contexts;
    this.clefs = shared.clefs;
    this.built = shared.measures;
    this.minWidths = shared.minWidths;
    this.ends = shared.ends;
    this.shared = shared;
  }

  /** A staff measure to draw: kept, or built again with its column. */
  staffMeasure(ref: StaffRef, mi: number): StaffMeasure | undefined {
    const key = measureKey(ref, mi);
    const sm = this.built.get(key);
    if (sm) return sm;
    if (!this.score.parts[ref.part]!.measures[mi]) return undefined;
    this.buildColumn(mi);
    return this.built.get(key);
  }

  /** What the layout needs of a staff measure (its column is built the first time). */
  staffSummary(ref: StaffRef, mi: number): StaffSummary | undefined {
    const key = measureKey(ref, mi);
    if (!this.shared.summaries.has(key)) this.buildColumn(mi);
    return this.shared.summaries.get(key) ?? undefined;
  }

  /**
   * Builds the staff measures of a column, and puts them through VexFlow's formatter for their
   * minimum width. Built again (to be drawn, after the column was let go), they go through the
   * same steps, so that they are drawn as the first ones would have been. Returns that width.
   */
  buildColumn(mi: number): number {
    const voices: Voice[] = [];
    const f = new Formatter();
    const keys: string[] = [];
    for (const ref of this.staves) {
      const key = measureKey(ref, mi);
      const part = this.score.parts[ref.part]!;
      const m = part.measures[mi];
      if (!m) {
        this.shared.summaries.set(key, null);
        continue;
      }
      const sm = buildStaffMeasure(m, ref.staff, this.contexts[ref.part]![mi]!, this.clefs[ref.part]![mi]![ref.staff - 1]!, this.columnEnd(mi));
      this.built.set(key, sm);
      keys.push(key);
      this.shared.summaries.set(key, { empty: sm.empty, top: sm.top, bottom: sm.bottom, lyrics: sm.lyrics, profile: sm.profile });
      if (sm.voices.length === 0) continue;
      f.joinVoices(sm.voices);
      voices.push(...sm.voices);
    }
    let w = 0;
    if (voices.length) {
      f.preCalculateMinTotalWidth(voices);
      w = f.getMinTotalWidth();
    }
    this.shared.formatWidths[mi] = w;
    this.shared.keep(mi, keys);
    return w;
  }

  /** The length of a measure column: the longest measure or voice of any part. */
  columnEnd(mi: number): Fraction {
    const cached = this.ends[mi];
    if (cached) return cached;
    let end = frac(0);
    for (const p of this.score.parts) {
      const m = p.measures[mi];
      if (!m) continue;
      if (cmp(m.duration, end) > 0) end = m.duration;
      for (const e of m.events) if (cmp(add(e.onset, e.duration), end) > 0) end = add(e.onset, e.duration);
    }
    if (end.n === 0) end = frac(1, 4);
    this.ends[mi] = end;
    return end;
  }

  /**
   * Width of a measure column (all staves aligned): the room VexFlow's formatter needs for its
   * tick contexts side by side, plus a modest share of the duration-proportional width, plus the
   * barline. VexFlow's own `preCalculateMinTotalWidth` adds a padding for unaligned contexts that
   * grows with the number of staves; the summed context widths are the true minimum, and the
   * systems are justified afterwards anyway.
   */
  minWidth(mi: number): number {
    const cached = this.minWidths[mi];
    if (cached !== undefined) return cached;
    let w = this.shared.formatWidths[mi] ?? this.buildColumn(mi);
    w += this.idealWidth(mi);
    const m = this.score.parts[0]?.measures[mi];
    w = Math.max(w, 40) + MEASURE_PADDING;
    if (m && (m.attributes.key || m.attributes.time) && mi > 0) w += 30;
    this.minWidths[mi] = w;
    return w;
  }

  /** Width by durations between the onsets of all parts (`QUARTER_SPACE` for a quarter, longer values less than proportionally). */
  idealWidth(mi: number): number {
    const onsets = new Set<number>();
    const end = this.columnEnd(mi);
    const points: Fraction[] = [];
    for (const p of this.score.parts) {
      for (const e of p.measures[mi]?.events ?? []) {
        if (e.kind === "note" && e.grace) continue;
        const key = e.onset.n / e.onset.d;
        if (!onsets.has(key)) {
          onsets.add(key);
          points.push(e.onset);
        }
      }
    }
    points.sort(cmp);
    points.push(end);
    let w = 0;
    for (let i = 0; i + 1 < points.length; i++) {
      const d = (points[i + 1]!.n / points[i + 1]!.d - points[i]!.n / points[i]!.d) * 4;
      w += QUARTER_SPACE * Math.pow(Math.max(d, 1 / 16), SPACE_POWER);
    }
    return w;
  }

  /** Room taken by the clef and key at the start of a system beginning with measure `mi`. */
  startWidth(mi: number): number {
    let w = 0;
    for (const ref of this.staves) {
      const s = new Stave(0, 0, 500);
      this.addStartModifiers(s, ref, mi, true);
      w = Math.max(w, s.getNoteStartX() - s.getX());
    }
    return w;
  }

  addStartModifiers(s: Stave, ref: StaffRef, mi: number, systemStart: boolean): void {
    const part = this.score.parts[ref.part]!;
    const m = part.measures[mi];
    const clef = this.clefs[ref.part]![mi]?.[ref.staff - 1];
    const prevClef = mi > 0 ? this.clefs[ref.part]![mi - 1]?.[ref.staff - 1] : undefined;
    const clefChanged = clef && (!prevClef || prevClef.name !== clef.name || prevClef.annotation !== clef.annotation);
    if (clef && !clef.hidden && (systemStart || (clefChanged && m?.attributes.clefs))) {
      s.addClef(clef.name, systemStart ? "default" : "small", clef.annotation);
    }
    const ctx = this.contexts[ref.part]![mi];
    const key = staffKey(m, ref.staff) ?? (systemStart ? ctx?.key : undefined);
    if (key && !key.hidden && (systemStart || m?.attributes.key || m?.attributes.staffKeys)) {
      const spec = keySpec(key, ctx!);
      const prev = mi > 0 ? this.contexts[ref.part]![mi - 1] : undefined;
      const cancel = !systemStart && prev?.key ? keySpec(prev.key, prev) : undefined;
      if (spec !== undefined && (spec !== "C" || (cancel !== undefined && cancel !== "C"))) s.addKeySignature(spec, cancel);
    }
    if (m?.attributes.time && m.attributes.time.kind === "measured" && !m.attributes.time.hidden) {
      s.addTimeSignature(timeSpec(m.attributes.time));
    }
  }

  /** Parts to show in a system of measures first..last. */
  visibleStaves(first: number, last: number, isFirst: boolean): StaffRef[] {
    const hide = this.opts.hideEmptyStaves ?? this.staves.length > 8;
    if (!hide || isFirst) return this.staves;
    const keep = new Set<number>();
    for (const ref of this.staves) {
      for (let mi = first; mi <= last; mi++) {
        const sm = this.staffSummary(ref, mi);
        if (sm && !sm.empty) keep.add(ref.part);
      }
    }
    if (keep.size === 0) return this.staves;
    return this.staves.filter((r) => keep.has(r.part));
  }

  nameWidth(abbrev: boolean): number {
    const ctx = new ShimContext(new El("div") as never);
    ctx.setFont("Academico", 11);
    let w = 0;
    for (const p of this.score.parts) {
      const name = abbrev ? (this.shortNames()[this.score.parts.indexOf(p)] ?? "") : p.name;
      if (name) w = Math.max(w, ctx.measureText(name).width);
    }
    return w > 0 ? w + NAME_GAP + (this.staves.length > 1 ? 12 : 0) : 0;
  }

  /** Height of the tallest system (staves with all their parts, first system with its title). */
  tallestSystem(): number {
    let h = 0;
    for (const pg of this.layout()) for (const sys of pg.systems) h = Math.max(h, sys.top + sys.height);
    return h + this.titleHeight();
  }

  private laidOut: PageLayout[] | undefined;

  /** Breaks the measures into systems and systems into pages (once: the result is kept). */
  layout(): PageLayout[] {
    return (this.laidOut ??= this.computeLayout());
  }

  private computeLayout(): PageLayout[] {
    const pages: PageLayout[] = [];
    const firstIndent = this.nameWidth(false);
    const laterIndent = this.nameWidth(true);
    let mi = 0;
    let page = { systems: [] as System[], xs: [] as number[][], widths: [] as number[][], indent: [] as number[] };
    let y = this.titleHeight();
    let sysIndex = 0;
    while (mi < this.count) {
      const indent = sysIndex === 0 ? firstIndent : laterIndent;
      const avail = this.width - indent;
      const start = this.startWidth(mi);
      let used = start;
      const widths: number[] = [];
      let j = mi;
      while (j < this.count) {
        const w = this.minWidth(j);
        const m = this.score.parts[0]?.measures[j];
        const forced = this.opts.keepBreaks === true && (m?.newSystem || m?.newPage);
        if (widths.length > 0 && (used + w > avail || forced)) break;
        widths.push(w);
        used += w;
        j++;
      }
      const last = mi + widths.length - 1;
      // Justify: spread the spare room over the measures, except on a short last system.
      const spare = avail - used;
      const isLast = last === this.count - 1;
      const fill = isLast && spare > avail * 0.4 ? 0 : spare;
      const total = widths.reduce((a, b) => a + b, 0);
      const final = widths.map((w, k) => w + (fill * w) / total + (k === 0 ? start : 0));
      const xs: number[] = [];
      let x = indent;
      for (const w of final) {
        xs.push(x);
        x += w;
      }
      const staves = this.visibleStaves(mi, last, sysIndex === 0);
      const sys = this.verticalLayout(staves, mi, last);
      if (page.systems.length > 0 && y + sys.top + sys.height > this.height) {
        pages.push(page);
        page = { systems: [], xs: [], widths: [], indent: [] };
        y = 0;
      }
      page.systems.push({ ...sys, y: sys.y.map((v) => v + y + sys.top) });
      page.xs.push(xs);
      page.widths.push(final);
      page.indent.push(indent);
      y += sys.top + sys.height + SYSTEM_GAP;
      mi = last + 1;
      sysIndex++;
    }
    if (page.systems.length > 0 || pages.length === 0) pages.push(page);
    return pages;
  }

  titleHeight(): number {
    const m = this.score.meta;
    const title = m.title ?? m.movementTitle;
    const composer = m.creators.find((c) => c.type === "composer");
    return (title ? 60 : 0) + (composer || (m.title && m.movementTitle) ? 30 : 0);
  }

  /**
   * Places the staves of a system. Neighbouring staves are kept apart by what sticks out of them
   * measure by measure (a high passage in one measure and a dynamic under another do not add up).
   */
  verticalLayout(staves: StaffRef[], first: number, last: number): System {
    // Each measure is cut into BINS slices by onset; what sticks out of a staff in a slice (and
    // the slices either side, as notes do not sit exactly where their onsets fall) must clear what
    // sticks out of the next staff in the same slice.
    const tops: number[][] = []; // staff → slice → highest point, units from the top line
    const bottoms: number[][] = [];
    for (const ref of staves) {
      const t: number[] = [];
      const b: number[] = [];
      for (let mi = first; mi <= last; mi++) {
        const sm = this.staffSummary(ref, mi);
        const m = this.score.parts[ref.part]!.measures[mi];
        const st = new Array<number>(BINS).fill(0);
        const sb = new Array<number>(BINS).fill(4);
        const put = (at: number, top: number, bottom: number): void => {
          const c = Math.min(BINS - 1, Math.max(0, Math.floor(at * BINS)));
          for (let k = Math.max(0, c - 1); k <= Math.min(BINS - 1, c + 1); k++) {
            st[k] = Math.min(st[k]!, top);
            sb[k] = Math.max(sb[k]!, bottom);
          }
        };
        for (const p of sm?.profile ?? []) put(p.at, p.top, p.bottom);
        if (sm && m) {
          const end = this.columnEnd(mi);
          const at = (f: Fraction): number => (f.n * end.d) / (f.d * end.n);
          for (const d of m.directions) {
            if (d.staff !== ref.staff) continue;
            // Dynamics sit under the lowest note of the measure (or over the highest), words over
            // the highest: reserve the whole glyph and some air, so the next staff keeps clear of it.
            if (d.items.some((i) => i.kind === "dynamics")) {
              if (d.placement === "above") put(at(d.offset), Math.min(sm.top, 0) - DYNAMIC_ABOVE / 10, 4);
              else put(at(d.offset), 0, Math.max(sm.bottom, 4) + DYNAMIC_BELOW / 10);
            }
            // A hairpin may run to the end of the measure.
            if (d.items.some((i) => i.kind === "wedge")) for (let k = Math.floor(at(d.offset) * BINS); k < BINS; k++) put((k + 0.5) / BINS, 0, Math.max(sm.bottom + 3, 7));
            if (d.placement !== "below" && d.items.some((i) => i.kind === "words" || i.kind === "metronome" || i.kind === "rehearsal")) {
              put(at(d.offset), Math.min(sm.top - 2.5, -3), 4);
              put(at(d.offset) + 2 / BINS, Math.min(sm.top - 2.5, -3), 4);
            }
          }
          if (sm.lyrics > 0) for (let k = 0; k < BINS; k++) sb[k] = Math.max(sb[k]!, sm.bottom + 2 * sm.lyrics);
        }
        t.push(...st.map((v) => v * 10));
        b.push(...sb.map((v) => v * 10));
      }
      tops.push(t);
      bottoms.push(b);
    }
    const y: number[] = [];
    let cur = 0;
    staves.forEach((ref, i) => {
      if (i > 0) {
        const samePart = staves[i - 1]!.part === ref.part;
        let need = samePart ? MIN_STAFF_GAP + 10 : MIN_STAFF_GAP;
        for (let k = 0; k < tops[i]!.length; k++) need = Math.max(need, bottoms[i - 1]![k]! - STAFF_HEIGHT - tops[i]![k]! + 8);
        cur += STAFF_HEIGHT + need;
      }
      y.push(cur);
    });
    const top = Math.max(25, -Math.min(...tops[0]!) + 10);
    const height = cur + Math.max(STAFF_HEIGHT, ...bottoms[bottoms.length - 1]!);
    return { first, last, staves, y, height, top };
  }

  *pages(layout: readonly PageLayout[]): Generator<string, void, undefined> {
    const pendingTies: { start: TieEnd; partStaff: string }[] = [];
    const carry: Carry = { slurs: new Map(), wedges: new Map() };
    for (const [pi, pg] of layout.entries()) {
      const root = new El("div");
      const ctx = new ShimContext(root as never);
      ctx.resize(this.page.width, this.page.height);
      ctx.scale(this.scale, this.scale);
      const ox = MARGIN / this.scale;
      const oy = MARGIN / this.scale;
      const svg = root.children[0]!;
      // A white page, so viewers that show transparency still show paper.
      const bg = new El("rect");
      for (const [k, v] of Object.entries({ x: 0, y: 0, width: this.page.width / this.scale, height: this.page.height / this.scale, fill: "white", stroke: "none" })) bg.setAttribute(k, v);
      svg.appendChild(bg);
      if (pi === 0) this.drawTitle(ctx, ox, oy);
      pg.systems.forEach((sys, si) => {
        this.drawSystem(ctx, sys, pg.xs[si]!, pg.widths[si]!, pg.indent[si]!, ox, oy, pi === 0 && si === 0, pendingTies, carry);
        // Drawn, its notes hold the page they are drawn on: let them go (ties and slurs to the
        // next system keep what they need).
        for (let mi = sys.first; mi <= sys.last; mi++) this.shared.release(this.staves.map((ref) => measureKey(ref, mi)));
      });
      finishSvg(svg, this.page);
      yield serialize(svg);
    }
  }

  drawTitle(ctx: RenderContext, ox: number, oy: number): void {
    const m = this.score.meta;
    const title = m.title ?? m.movementTitle;
    const center = ox + this.width / 2;
    let y = oy + 30;
    if (title) {
      text(ctx, title, center, y, 22, "middle", "bold");
      y += 30;
    }
    if (m.title && m.movementTitle && m.movementTitle !== m.title) text(ctx, m.movementTitle, center, y, 13, "middle");
    const composer = m.creators.find((c) => c.type === "composer");
    if (composer) text(ctx, composer.name, ox + this.width, title ? oy + 60 : oy + 20, 12, "end");
  }

  drawSystem(
    ctx: RenderContext,
    sys: System,
    xs: number[],
    widths: number[],
    indent: number,
    ox: number,
    oy: number,
    firstSystem: boolean,
    pendingTies: { start: TieEnd; partStaff: string }[],
    carry: Carry,
  ): void {
    const staveGrid: Stave[][] = []; // measure → staff row
    const byRow: StaffMeasure[][] = [];
    for (let mi = sys.first; mi <= sys.last; mi++) {
      const k = mi - sys.first;
      const row: Stave[] = [];
      const sms: StaffMeasure[] = [];
      sys.staves.forEach((ref, r) => {
        const s = new Stave(ox + xs[k]!, oy + sys.y[r]!, widths[k]!, { spaceAboveStaffLn: 0, leftBar: k === 0 });
        this.addStartModifiers(s, ref, mi, k === 0);
        const m = this.score.parts[ref.part]!.measures[mi];
        if (m?.right) s.setEndBarType(barType(m.right));
        if (m?.left?.repeat) s.setBegBarType(BarlineType.REPEAT_BEGIN);
        s.setContext(ctx);
        row.push(s);
        sms.push(this.staffMeasure(ref, mi) ?? EMPTY);
      });
      Stave.formatBegModifiers(row);
      staveGrid.push(row);
      byRow.push(sms);
    }
    for (const row of staveGrid) for (const s of row) s.draw();
    // Notes: one formatter per measure column, so staves line up.
    staveGrid.forEach((row, k) => {
      const sms = byRow[k]!;
      const f = new Formatter();
      const all: Voice[] = [];
      sms.forEach((sm, r) => {
        if (sm.voices.length === 0) return;
        for (const v of sm.voices) v.setStave(row[r]!);
        f.joinVoices(sm.voices);
        all.push(...sm.voices);
      });
      if (all.length === 0) return;
      const s0 = row[0]!;
      const avail = s0.getNoteEndX() - s0.getNoteStartX() - 12;
      f.format(all, Math.max(10, avail));
      sms.forEach((sm, r) => {
        for (const v of sm.voices) v.draw(ctx, row[r]!);
        for (const b of sm.beams) b.setContext(ctx).draw();
        for (const t of sm.tuplets) t.setContext(ctx).draw();
      });
    });
    // Ties: within the system, from the previous system, and to the next.
    const open = new Map<string, TieEnd[]>();
    for (const p of pendingTies.splice(0)) open.set(p.partStaff, [...(open.get(p.partStaff) ?? []), p.start]);
    const previousStarts = new Set<TieEnd>([...open.values()].flat());
    staveGrid.forEach((_, k) => {
      byRow[k]!.forEach((sm, r) => {
        const ref = sys.staves[r]!;
        const ps = `${ref.part}:${ref.staff}`;
        // Stops and starts in time order (a stop before a start on the same note).
        const events = [...sm.tieStops.map((t) => ({ t, stop: true })), ...sm.tieStarts.map((t) => ({ t, stop: false }))].sort(
          (a, b) => cmp(a.t.onset, b.t.onset) || (a.stop === b.stop ? 0 : a.stop ? -1 : 1),
        );
        for (const { t, stop } of events) {
          if (!stop) {
            open.set(ps, [...(open.get(ps) ?? []), t]);
            continue;
          }
          const list = open.get(ps) ?? [];
          const i = list.findIndex((x) => x.key === t.key && cmp(x.onset, t.onset) !== 0 || (x.key === t.key && x.note !== t.note));
          if (i < 0) continue;
          const start = list[i]!;
          list.splice(i, 1);
          const tie = previousStarts.has(start)
            ? new StaveTie({ lastNote: t.note, lastIndexes: [t.index] })
            : new StaveTie({ firstNote: start.note, lastNote: t.note, firstIndexes: [start.index], lastIndexes: [t.index] });
          tie.setContext(ctx).draw();
        }
      });
    });
    for (const [ps, list] of open) {
      for (const start of list) {
        if (previousStarts.has(start)) continue; // a tie that never ended
        new StaveTie({ firstNote: start.note, firstIndexes: [start.index] }).setContext(ctx).draw();
        pendingTies.push({ start, partStaff: ps });
      }
    }
    this.drawConnectors(ctx, sys, staveGrid);
    this.drawNames(ctx, sys, staveGrid[0]!, indent, ox, firstSystem);
    this.drawDirections(ctx, sys, staveGrid, byRow);
    this.drawSlurs(ctx, sys, byRow, carry);
    this.drawWedges(ctx, sys, staveGrid, byRow, carry);
    this.drawLyrics(ctx, sys, staveGrid, byRow);
    // Measure number at the start of each system but the first.
    const m0 = this.score.parts[0]?.measures[sys.first];
    if (!firstSystem && m0) {
      const s = staveGrid[0]![0]!;
      text(ctx, m0.number, s.getX(), s.getYForLine(0) - 18, 10, "start", "normal", "italic");
    }
  }

  drawConnectors(ctx: RenderContext, sys: System, grid: Stave[][]): void {
    const first = grid[0]!;
    const rows = sys.staves;
    const connect = (a: number, b: number, type: StaveConnectorType, col: Stave[]): void => {
      new StaveConnector(col[a]!, col[b]!).setType(type).setContext(ctx).draw();
    };
    if (rows.length > 1) connect(0, rows.length - 1, "singleLeft", first);
    // Barline groups: rows that share barlines through.
    const barGroup = this.barGroups(rows);
    const spans: [number, number][] = [];
    let s = 0;
    for (let r = 1; r <= rows.length; r++) {
      if (r === rows.length || barGroup[r] !== barGroup[s]) {
        if (r - 1 > s) spans.push([s, r - 1]);
        s = r;
      }
    }
    for (const col of grid) for (const [a, b] of spans) connect(a, b, "singleRight", col);
    // The last barline of the piece through each group, thick.
    // Brackets for groups, braces for multi-staff parts.
    for (const g of this.groupsOf()) {
      const a = rows.findIndex((r) => r.part >= g.first && r.part <= g.last);
      let b = -1;
      rows.forEach((r, i) => {
        if (r.part >= g.first && r.part <= g.last) b = i;
      });
      if (a < 0) continue;
      const type: StaveConnectorType = g.symbol === "brace" ? "brace" : g.symbol === "line" ? "singleLeft" : "bracket";
      if (g.symbol === "none") continue;
      if (type === "bracket" || b > a) connect(a, b, type, first);
    }
    for (let i = 0; i < rows.length; i++) {
      const part = this.score.parts[rows[i]!.part]!;
      if (part.staves > 1 && rows[i]!.staff === 1) {
        const lastRow = rows.findIndex((r) => r.part === rows[i]!.part && r.staff === part.staves);
        if (lastRow > i && !this.groupsOf().some((g) => g.symbol === "brace" && g.first === rows[i]!.part && g.last === rows[i]!.part)) {
          connect(i, lastRow, "brace", first);
        }
      }
    }
  }

  shortCache: string[] | undefined;
  /**
   * Short names as the score gives them; where two parts share one ("Hn." and "Hn."), each gets
   * the number its full name ends with ("Horn 3" → "Hn. 3"), or else its place among them.
   */
  shortNames(): string[] {
    if (this.shortCache) return this.shortCache;
    const given = this.score.parts.map((p) => p.abbreviation ?? "");
    return (this.shortCache = given.map((a, i) => {
      const same = given.map((b, j) => (b === a ? j : -1)).filter((j) => j >= 0);
      if (!a || same.length < 2) return a;
      const tail = /\s(\d+(?:[–-]\d+)?|[IVX]+)$/.exec(this.score.parts[i]!.name)?.[1];
      return `${a} ${tail ?? same.indexOf(i) + 1}`;
    }));
  }

  groupCache: PartGroup[] | undefined;
  /** The score's groups, or families of consecutive parts when it has none. */
  groupsOf(): PartGroup[] {
    if (this.groupCache) return this.groupCache;
    if (this.score.groups.length > 0) return (this.groupCache = [...this.score.groups]);
    const fam = this.score.parts.map((p) => familyOf(p));
    const out: PartGroup[] = [];
    let s = 0;
    for (let i = 1; i <= fam.length; i++) {
      if (i === fam.length || fam[i] !== fam[s]) {
        if (i - 1 > s || (fam.length > 1 && fam[s] !== "keyboard" && this.score.parts.length > 4)) {
          out.push({ first: s, last: i - 1, symbol: "bracket", barline: fam[s] !== "voice" });
        }
        s = i;
      }
    }
    if (out.length === 0 && this.score.parts.length > 1) out.push({ first: 0, last: this.score.parts.length - 1, symbol: "bracket", barline: true });
    return (this.groupCache = out);
  }

  barGroups(rows: StaffRef[]): number[] {
    const groups = this.groupsOf();
    return rows.map((r) => {
      const gi = groups.findIndex((g) => g.barline !== false && r.part >= g.first && r.part <= g.last && g.symbol !== "none");
      return gi >= 0 ? gi : -1 - r.part; // a multi-staff part outside groups still has barlines through
    });
  }

  /**
   * Slurs by part and number, in time order through the system: one from the previous system
   * starts at the clef, one open at the end runs to the last barline and goes on in the next.
   */
  drawSlurs(ctx: RenderContext, sys: System, byRow: StaffMeasure[][], carry: Carry): void {
    const here = new Map<string, StaveNote>();
    const draw = (from: StaveNote | undefined, to: StaveNote | undefined): void => {
      ctx.openGroup("slur");
      new Curve(from, to, { thickness: 1.5 }).setContext(ctx).draw();
      ctx.closeGroup();
    };
    byRow.forEach((sms) => {
      const items = sms.flatMap((sm, r) => sm.notes.map((n) => ({ ...n, part: sys.staves[r]!.part })));
      items.sort((a, b) => cmp(a.ev.onset, b.ev.onset));
      for (const { ev, note, part } of items) {
        const slurs = ev.slurs ?? [];
        for (const sl of slurs) {
          if (sl.type !== "stop") continue;
          const key = `${part}:${sl.number}`;
          const start = here.get(key);
          if (start) {
            if (start !== note) draw(start, note);
            here.delete(key);
          } else if (carry.slurs.has(key)) {
            draw(undefined, note);
            carry.slurs.delete(key);
          }
        }
        for (const sl of slurs) if (sl.type === "start") here.set(`${part}:${sl.number}`, note);
      }
    });
    for (const [key, note] of here) {
      draw(note, undefined);
      carry.slurs.set(key, true);
    }
  }

  /** Hairpins from wedge directions, below the staff; one still open at the end of a system goes on in the next. */
  drawWedges(ctx: RenderContext, sys: System, grid: Stave[][], byRow: StaffMeasure[][], carry: Carry): void {
    sys.staves.forEach((ref, r) => {
      const key = `${ref.part}:${ref.staff}`;
      const first = grid[0]![r]!;
      let open: { x: number; y: number; type: "crescendo" | "diminuendo" } | undefined;
      const carried = carry.wedges.get(key);
      if (carried) {
        open = { x: first.getNoteStartX() - 4, y: this.wedgeY(first, byRow[0]![r]!), type: carried };
        carry.wedges.delete(key);
      }
      grid.forEach((col, k) => {
        const m = this.score.parts[ref.part]!.measures[sys.first + k];
        const sm = byRow[k]![r]!;
        const stave = col[r]!;
        for (const d of [...(m?.directions ?? [])].sort((a, b) => cmp(a.offset, b.offset))) {
          if (d.staff !== ref.staff) continue;
          for (const item of d.items) {
            if (item.kind !== "wedge") continue;
            const x = anchorX(sm, d.offset, stave);
            if (item.type === "stop" && open) {
              hairpin(ctx, open.x, Math.max(open.x + 10, x + 8), open.y, open.type);
              open = undefined;
            } else if (item.type === "crescendo" || item.type === "diminuendo") {
              const dyn = d.items.some((i) => i.kind === "dynamics") ? 22 : 0;
              open = { x: x + dyn, y: this.wedgeY(stave, sm), type: item.type };
            }
          }
        }
      });
      if (open) {
        const last = grid[grid.length - 1]![r]!;
        hairpin(ctx, open.x, last.getX() + last.getWidth() - 4, open.y, open.type);
        carry.wedges.set(key, open.type);
      }
    });
  }

  wedgeY(stave: Stave, sm: StaffMeasure): number {
    return stave.getYForLine(4) + Math.max(sm.bottom * 10 - 40, 0) + 20;
  }

  /** Lyrics under the notes, a line per verse, at one height along each staff of the system. */
  drawLyrics(ctx: RenderContext, sys: System, grid: Stave[][], byRow: StaffMeasure[][]): void {
    sys.staves.forEach((_, r) => {
      const sms = byRow.map((row) => row[r]!);
      if (!sms.some((sm) => sm.lyrics > 0)) return;
      const low = Math.max(4, ...sms.map((sm) => sm.bottom));
      const verses = [...new Set(sms.flatMap((sm) => sm.notes.flatMap((n) => (n.ev.lyrics ?? []).map((l) => l.number))))].sort();
      sms.forEach((sm, k) => {
        const base = grid[k]![r]!.getYForLine(0) + low * 10 + 16;
        for (const { ev, note } of sm.notes) {
          for (const l of ev.lyrics ?? []) {
            const v = Math.max(0, verses.indexOf(l.number));
            const hyphen = l.syllabic === "begin" || l.syllabic === "middle" ? " -" : "";
            text(ctx, l.text + hyphen, (note.getNoteHeadBeginX() + note.getNoteHeadEndX()) / 2, base + 20 * v, 11, "middle");
          }
        }
      });
    });
  }

  drawNames(ctx: RenderContext, sys: System, col: Stave[], indent: number, ox: number, full: boolean): void {
    if (indent <= 0) return;
    const seen = new Set<number>();
    for (const ref of sys.staves) {
      if (seen.has(ref.part)) continue;
      seen.add(ref.part);
      const part = this.score.parts[ref.part]!;
      const name = full ? part.name : (this.shortNames()[ref.part] ?? "");
      if (!name) continue;
      const rows = sys.staves.map((x, i) => (x.part === ref.part ? i : -1)).filter((i) => i >= 0);
      const top = col[rows[0]!]!.getYForLine(0);
      const bottom = col[rows[rows.length - 1]!]!.getYForLine(4);
      const x = ox + indent - NAME_GAP - (this.staves.length > 1 ? 10 : 0);
      text(ctx, name, x, (top + bottom) / 2 + 4, 11, "end");
    }
  }

  drawDirections(ctx: RenderContext, sys: System, grid: Stave[][], byRow: StaffMeasure[][]): void {
    grid.forEach((col, k) => {
      const mi = sys.first + k;
      sys.staves.forEach((ref, r) => {
        const m = this.score.parts[ref.part]!.measures[mi];
        if (!m) return;
        const sm = byRow[k]![r]!;
        const stave = col[r]!;
        // Words and metronome marks over the staff at one place run on in a line, left to right
        // ("Allegro ♩ = 156"); a metronome mark given twice there is drawn once.
        const next = new Map<string, number>(); // offset → first free x
        const marks = new Set<string>();
        const metronomeOnly = (d: Direction): number => (d.items.every((i) => i.kind === "metronome") ? 1 : 0);
        for (const d of [...m.directions].sort((a, b) => metronomeOnly(a) - metronomeOnly(b))) {
          if (d.staff !== ref.staff) continue;
          const at = `${d.offset.n}/${d.offset.d}`;
          const x = anchorX(sm, d.offset, stave);
          const runOn = (w: number): number => {
            const x0 = Math.max(x, next.get(at) ?? x);
            next.set(at, x0 + w + 8);
            return x0;
          };
          const above = stave.getYForLine(0) + Math.min(sm.top * 10, 0) - 12;
          const below = stave.getYForLine(4) + Math.max(sm.bottom * 10 - 40, 0) + DYNAMIC_OFFSET;
          for (const item of d.items) {
            if (item.kind === "dynamics") {
              const glyphs = item.values.map((v) => dynamicGlyphs(v)).join(" ");
              if (!glyphs.trim()) continue;
              // Under the lowest note or stem around it, as drawn (a beam may have lengthened the stems).
              const y = d.placement === "above" ? above : Math.max(below, lowestUnder(sm, x - 6, x + musicWidth(ctx, glyphs, DYNAMIC_SIZE) + 6) + DYNAMIC_OFFSET);
              music(ctx, glyphs, x, y, DYNAMIC_SIZE);
            } else if (item.kind === "words" && item.text.trim()) {
              const tempo = d.sound?.tempo !== undefined || k === 0;
              const size = tempo ? 12 : 11;
              const weight = tempo && d.sound?.tempo !== undefined ? "bold" : "normal";
              const style = tempo && d.sound?.tempo !== undefined ? "normal" : "italic";
              if (d.placement === "below") text(ctx, item.text, x, below, size, "start", weight, style);
              else text(ctx, item.text, runOn(textWidth(ctx, item.text, size, weight, style)), above, size, "start", weight, style);
            } else if (item.kind === "metronome") {
              const key = `${at}:${item.beatUnit}:${item.dots}:${item.perMinute}`;
              if (marks.has(key)) continue;
              marks.add(key);
              // The note (and its dots), then " = 156" after the note's measured width.
              const note = (METRONOME[item.beatUnit] ?? "\uE1D5") + "\uE1E7".repeat(item.dots);
              const noteWidth = musicWidth(ctx, note, METRONOME_SIZE);
              const rest = ` = ${item.perMinute}`;
              const x0 = runOn(noteWidth + textWidth(ctx, rest, 12));
              music(ctx, note, x0, above, METRONOME_SIZE);
              text(ctx, rest, x0 + noteWidth, above, 12);
            } else if (item.kind === "rehearsal") {
              text(ctx, item.text, x, above - 6, 14, "start", "bold");
            }
          }
        }
      });
    });
  }
}

const EMPTY: StaffMeasure = { voices: [], beams: [], tuplets: [], tieStarts: [], tieStops: [], anchors: [], top: 0, bottom: 4, empty: true, endClef: { name: "treble", octave: 0 }, lyrics: 0, notes: [], profile: [] };

const METRONOME_SIZE = 20;
const METRONOME: Readonly<Record<string, string>> = {
  whole: "\uE1D2", half: "\uE1D3", quarter: "\uE1D5", eighth: "\uE1D7", "16th": "\uE1D9",
};

const DYNAMIC_LETTERS: Readonly<Record<string, string>> = { p: "\uE520", m: "\uE521", f: "\uE522", r: "\uE523", s: "\uE524", z: "\uE525", n: "\uE526" };

function dynamicGlyphs(v: string): string {
  return [...v].map((c) => DYNAMIC_LETTERS[c] ?? "").join("");
}

/** The lowest point (px) of the notes and stems of a staff measure drawn between x1 and x2. */
function lowestUnder(sm: StaffMeasure, x1: number, x2: number): number {
  let low = -Infinity;
  for (const { note } of sm.notes) {
    try {
      if (note.getNoteHeadEndX() < x1 || note.getNoteHeadBeginX() > x2) continue;
      low = Math.max(low, ...note.getYs().map((y) => y + 5));
      if (note.hasStem()) {
        const { topY, baseY } = note.getStemExtents();
        low = Math.max(low, topY, baseY);
      }
    } catch {
      // not formatted
    }
  }
  return low;
}

function anchorX(sm: StaffMeasure, at: Fraction, stave: Stave): number {
  let best: number | undefined;
  for (const a of sm.anchors) {
    if (le(a.onset, at)) {
      try {
        best = a.tickable.getAbsoluteX();
      } catch {
        // not formatted
      }
    }
  }
  return best ?? stave.getNoteStartX();
}

/** Slurs and hairpins still open at the end of a system, by part (and number) or part and staff. */
interface Carry {
  readonly slurs: Map<string, true>;
  readonly wedges: Map<string, "crescendo" | "diminuendo">;
}

function hairpin(ctx: RenderContext, x1: number, x2: number, y: number, type: "crescendo" | "diminuendo"): void {
  const open = 5; // half the opening, units
  // The open end: the right for a crescendo, the left for a diminuendo.
  const [wide, point] = type === "crescendo" ? [x2, x1] : [x1, x2];
  ctx.openGroup("hairpin");
  ctx.beginPath();
  ctx.moveTo(wide, y - open);
  ctx.lineTo(point, y);
  ctx.lineTo(wide, y + open);
  ctx.setLineWidth(1);
  ctx.stroke();
  ctx.closeGroup();
}

function text(ctx: RenderContext, s: string, x: number, y: number, size: number, anchor: "start" | "middle" | "end" = "start", weight = "normal", style = "normal"): void {
  ctx.save();
  ctx.setFont("Academico", size, weight, style);
  const w = ctx.measureText(s).width;
  const dx = anchor === "middle" ? -w / 2 : anchor === "end" ? -w : 0;
  ctx.fillText(s, x + dx, y);
  ctx.restore();
}

function textWidth(ctx: RenderContext, s: string, size: number, weight = "normal", style = "normal"): number {
  ctx.save();
  ctx.setFont("Academico", size, weight, style);
  const w = ctx.measureText(s).width;
  ctx.restore();
  return w;
}

function musicWidth(ctx: RenderContext, s: string, size: number): number {
  ctx.save();
  ctx.setFont("Bravura", size);
  const w = ctx.measureText(s).width;
  ctx.restore();
  return w;
}

function music(ctx: RenderContext, s: string, x: number, y: number, size: number): void {
  ctx.save();
  ctx.setFont("Bravura", size);
  ctx.fillText(s, x, y);
  ctx.restore();
}

const MAJOR_KEYS = ["Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#"];

function keySpec(key: KeySignature, ctx: NotationContext): string | undefined {
  if (key.kind !== "traditional") return undefined;
  const f = writtenFifths(key, ctx);
  return MAJOR_KEYS[Math.max(-7, Math.min(7, f)) + 7];
}

function staffKey(m: Measure | undefined, staff: number): KeySignature | undefined {
  return m?.attributes.staffKeys?.find((k) => k.staff === staff)?.key ?? m?.attributes.key;
}

function timeSpec(t: TimeSignature & { kind: "measured" }): string {
  if (t.symbol === "common") return "C";
  if (t.symbol === "cut") return "C|";
  const s = t.signatures[0]!;
  return t.signatures.length > 1 ? t.signatures.map((x) => `${x.beats}/${x.beatType}`).join("+") : `${s.beats}/${s.beatType}`;
}

/** VexFlow's type for a right barline. */
function barType(b: Barline): BarlineType {
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

/** Clef at the start of every measure, per staff (mid-measure changes carry into the next). */
function clefsOf(part: Part): ClefInfo[][] {
  const n = Math.max(1, part.staves);
  const cur: ClefInfo[] = Array.from({ length: n }, (_, i) => (n === 2 && i === 1 ? clefInfo({ sign: "F", line: 4 }) : clefInfo(undefined)));
  return part.measures.map((m) => {
    for (const c of m.attributes.clefs ?? []) if (c.staff - 1 < n) cur[c.staff - 1] = clefInfo(c.clef);
    const at = [...cur];
    for (const a of [...m.midAttributes].sort((p, q) => cmp(p.offset, q.offset))) {
      for (const c of a.clefs ?? []) if (c.staff - 1 < n) cur[c.staff - 1] = clefInfo(c.clef);
    }
    return at;
  });
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

/** Final touches: namespaces, outlined glyphs, page size in mm-free px. */
function finishSvg(svg: ShimElement, page: { width: number; height: number }): void {
  svg.attributes.delete("pointer-events");
  svg.attributes.delete("shadowColor");
  svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  svg.setAttribute("xmlns:xlink", "http://www.w3.org/1999/xlink");
  svg.setAttribute("width", page.width);
  svg.setAttribute("height", page.height);
  svg.style.width = undefined;
  outlineText(svg, DEFAULT_GLYPHS);
  // Hit-test rectangles VexFlow adds for interactivity are invisible; drop them to save bytes.
  const prune = (el: ShimElement): void => {
    el.children = el.children.filter((c) => !(c.tagName === "rect" && c.getAttribute("opacity") === "0"));
    // Outlined glyphs need no font: drop VexFlow's font attributes (text left as text keeps its own).
    // VexFlow draws a rest as a notehead; call it a rest, so counting noteheads counts notes.
    // (Its modifiers, a fermata say, are drawn in the same group: look for a rest glyph and no notehead.)
    const glyphs = el.children.map((c) => c.getAttribute("xlink:href") ?? "");
    if (el.getAttribute("class") === "vf-notehead" && glyphs.some((g) => /^#gme4[ef][0-9a-f]$/.test(g)) && !glyphs.some((g) => /^#gme0/.test(g))) {
      el.setAttribute("class", "vf-rest");
    }
    if (el.tagName !== "text") for (const a of ["font-family", "font-size", "font-weight", "font-style"]) el.attributes.delete(a);
    for (const c of el.children) prune(c);
  };
  prune(svg);
}
