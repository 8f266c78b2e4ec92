/**
 * Where everything goes, before anything is drawn: measures into systems (as many as fit, then
 * justified), the staves of a system spaced by what sticks out of them, systems into pages.
 * Lengths are VexFlow units (a staff space is 10) unless said otherwise.
 */
import { Stave } from "vexflow/core";
import type { Fraction } from "../model/fraction.js";
import type { Score } from "../model/score.js";
import type { Columns, StaffRef } from "./columns.js";
import { shortNames } from "./parts.js";
import { addStartModifiers } from "./specs.js";
import { ShimContext } from "./vexflow-env.js";

/** Page margin, px. */
export const MARGIN = 55;
/** Between a part's name and its staff. */
export const NAME_GAP = 14;
// Dynamics: the baseline is DYNAMIC_OFFSET under the lowest note (or the bottom line); the layout
// keeps DYNAMIC_BELOW under it (the glyphs reach about 5 below the baseline, and some air), or
// DYNAMIC_ABOVE over the highest note for a dynamic placed above.
export const DYNAMIC_OFFSET = 28;
const DYNAMIC_BELOW = DYNAMIC_OFFSET + 10;
const DYNAMIC_ABOVE = 12 + 18;
const STAFF_HEIGHT = 40;
const MIN_STAFF_GAP = 30; // between the bottom line of a staff and the top line of the next
const SYSTEM_GAP = 50;
/** The least air between two systems, where a page is full. */
const LEAST_SYSTEM_GAP = 30;
/** Slices per measure in which neighbouring staves are kept apart. */
const BINS = 8;

/** The page and the scale the music is drawn at. */
export interface Frame {
  /** Page size, CSS px. */
  readonly page: { readonly width: number; readonly height: number };
  readonly scale: number;
  /** Room inside the margins. */
  readonly width: number;
  readonly height: number;
}

/** The frame of a page at a scale. */
export function frameOf(page: { readonly width: number; readonly height: number }, scale: number): Frame {
  return { page, scale, width: (page.width - 2 * MARGIN) / scale, height: (page.height - 2 * MARGIN) / scale };
}

/** The options that change the layout (see `RenderOptions`). */
export interface LayoutOptions {
  readonly hideEmptyStaves?: boolean;
  readonly keepBreaks?: boolean;
}

/** A system: measures first..last, the staves shown, and where they sit. */
export interface System {
  readonly first: number; // measure index
  readonly last: number; // inclusive
  readonly staves: readonly StaffRef[];
  readonly y: number[]; // top line of each staff, relative to the system top
  readonly height: number;
  readonly top: number; // space needed above the first staff
}

/** A page: its systems, and for each system the x and width of each measure, and its indent. */
export interface PageLayout {
  systems: System[];
  xs: number[][];
  widths: number[][];
  indent: number[];
}

/** Breaks the measures into systems and systems into pages. */
export function layOut(columns: Columns, frame: Frame, options: LayoutOptions): PageLayout[] {
  const pages: PageLayout[] = [];
  const firstIndent = nameWidth(columns.score.parts.map((p) => p.name), columns.staves.length);
  const laterIndent = nameWidth(shortNames(columns.score), columns.staves.length);
  let mi = 0;
  let page: PageLayout = { systems: [], xs: [], widths: [], indent: [] };
  let y = titleHeight(columns.score);
  let sysIndex = 0;
  while (mi < columns.count) {
    const indent = sysIndex === 0 ? firstIndent : laterIndent;
    const avail = frame.width - indent;
    const start = startWidth(columns, mi);
    let used = start;
    const widths: number[] = [];
    let j = mi;
    while (j < columns.count) {
      const w = columns.minWidth(j);
      const m = columns.score.parts[0]?.measures[j];
      const forced = options.keepBreaks === true && (m?.newSystem || m?.newPage);
      if (widths.length > 0 && (used + w > avail || forced)) break;
      widths.push(w);
      used += w;
      j++;
    }
    const last = mi + widths.length - 1;
    // Justify: spread the spare room over the measures, except on a short last system.
    const spare = avail - used;
    const isLast = last === columns.count - 1;
    const fill = isLast && spare > avail * 0.4 ? 0 : spare;
    const total = widths.reduce((a, b) => a + b, 0);
    const final = widths.map((w, k) => w + (fill * w) / total + (k === 0 ? start : 0));
    const xs: number[] = [];
    let x = indent;
    for (const w of final) {
      xs.push(x);
      x += w;
    }
    const staves = visibleStaves(columns, options, mi, last, sysIndex === 0);
    const sys = verticalLayout(columns, staves, mi, last);
    // The air between systems gives way (down to its least) before a system goes to the next
    // page: a page holds what fits rather than leaving half of itself empty.
    if (page.systems.length > 0 && y + sys.top + sys.height > frame.height) {
      if (y - (SYSTEM_GAP - LEAST_SYSTEM_GAP) + sys.top + sys.height <= frame.height) y = frame.height - sys.top - sys.height;
      else {
        pages.push(page);
        page = { systems: [], xs: [], widths: [], indent: [] };
        y = 0;
      }
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

/** Height of the tallest system (staves with all their parts, first system with its title). */
export function tallestSystem(pages: readonly PageLayout[], score: Score): number {
  let h = 0;
  for (const pg of pages) for (const sys of pg.systems) h = Math.max(h, sys.top + sys.height);
  return h + titleHeight(score);
}

/** Room for the title, subtitle and composer over the first system (as `drawTitle` places them). */
function titleHeight(score: Score): number {
  const m = score.meta;
  const title = m.title ?? m.movementTitle;
  const composer = m.creators.find((c) => c.type === "composer");
  return (title ? 60 : 0) + (composer || (m.title && m.movementTitle) ? 30 : 0);
}

/** The indent that part names need: the widest name, the gap and the brace or bracket. */
function nameWidth(names: readonly string[], staffCount: number): number {
  const ctx = new ShimContext();
  ctx.setFont("Academico", 11);
  let w = 0;
  for (const name of names) if (name) w = Math.max(w, ctx.measureText(name).width);
  return w > 0 ? w + NAME_GAP + (staffCount > 1 ? 12 : 0) : 0;
}

/** Room taken by the clef and key at the start of a system beginning with measure `mi`. */
function startWidth(columns: Columns, mi: number): number {
  let w = 0;
  for (const ref of columns.staves) {
    const s = new Stave(0, 0, 500);
    addStartModifiers(s, columns.parts[ref.part]!, ref.staff, mi, true);
    w = Math.max(w, s.getNoteStartX() - s.getX());
  }
  return w;
}

/** Staves to show in a system of measures first..last. */
function visibleStaves(columns: Columns, options: LayoutOptions, first: number, last: number, isFirst: boolean): readonly StaffRef[] {
  const hide = options.hideEmptyStaves ?? columns.staves.length > 8;
  if (!hide || isFirst) return columns.staves;
  const keep = new Set<number>();
  for (const ref of columns.staves) {
    for (let mi = first; mi <= last; mi++) {
      const sm = columns.staffSummary(ref, mi);
      if (sm && !sm.empty) keep.add(ref.part);
    }
  }
  if (keep.size === 0) return columns.staves;
  return columns.staves.filter((r) => keep.has(r.part));
}

/**
 * Places the staves of a system. Neighbouring staves are kept apart by what sticks out of them
 * measure by measure (a high passage in one measure and a dynamic under another do not add up).
 */
function verticalLayout(columns: Columns, staves: readonly StaffRef[], first: number, last: number): System {
  const tops: number[][] = []; // staff → slice → highest point, units from the top line
  const bottoms: number[][] = [];
  for (const ref of staves) {
    const { top, bottom } = staffExtent(columns, ref, first, last);
    tops.push(top);
    bottoms.push(bottom);
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

/**
 * What sticks out of a staff over and under it, slice by slice through measures first..last.
 * Each measure is cut into BINS slices by onset; what sticks out of a staff in a slice (and the
 * slices either side, as notes do not sit exactly where their onsets fall) must clear what
 * sticks out of the next staff in the same slice.
 */
function staffExtent(columns: Columns, ref: StaffRef, first: number, last: number): { top: number[]; bottom: number[] } {
  const top: number[] = [];
  const bottom: number[] = [];
  // Chord symbols stand on one line through the system, over the staff's highest note.
  // So do the lines of words, under the staff's lowest note, stem or beam through the system
  // (see draw/lyrics.ts), two spaces each.
  let highest = 0;
  let lowest = 4;
  let verses = 0;
  for (let mi = first; mi <= last; mi++) {
    const sm = columns.staffSummary(ref, mi);
    highest = Math.min(highest, sm?.top ?? 0);
    lowest = Math.max(lowest, sm?.bottom ?? 4);
    verses = Math.max(verses, sm?.lyrics ?? 0);
  }
  for (let mi = first; mi <= last; mi++) {
    const sm = columns.staffSummary(ref, mi);
    const m = columns.score.parts[ref.part]!.measures[mi];
    const st = new Array<number>(BINS).fill(0);
    const sb = new Array<number>(BINS).fill(4);
    const put = (at: number, t: number, b: number): void => {
      const c = Math.min(BINS - 1, Math.max(0, Math.floor(at * BINS)));
      for (let k = Math.max(0, c - 1); k <= Math.min(BINS - 1, c + 1); k++) {
        st[k] = Math.min(st[k]!, t);
        sb[k] = Math.max(sb[k]!, b);
      }
    };
    const profile = sm?.profile ?? [];
    for (let i = 0; i < profile.length; i += 3) put(profile[i]!, profile[i + 1]!, profile[i + 2]!);
    if (sm && m) {
      const end = columns.end(mi);
      const at = (f: Fraction): number => (f.n * end.d) / (f.d * end.n);
      for (const d of m.directions) {
        if (d.staff !== ref.staff) continue;
        // Dynamics sit under the lowest note of the measure (or over the highest), words over
        // the highest: reserve the whole glyph and some air, so the next staff keeps clear of it.
        if (d.items.some((i) => i.kind === "dynamics")) {
          if (d.placement === "above") put(at(d.offset), Math.min(sm.top, 0) - DYNAMIC_ABOVE / 10, 4);
          else put(at(d.offset), 0, Math.max(sm.bottom, 4) + DYNAMIC_BELOW / 10);
        }
        // A hairpin may run to the end of the measure, and so may words under the staff ("delicato"
        // after an f), drawn on the dynamics' line.
        if (d.items.some((i) => i.kind === "wedge")) for (let k = Math.floor(at(d.offset) * BINS); k < BINS; k++) put((k + 0.5) / BINS, 0, Math.max(sm.bottom + 3, 7));
        if (d.placement === "below" && d.items.some((i) => i.kind === "words" && i.text.trim())) {
          for (let k = Math.floor(at(d.offset) * BINS); k < BINS; k++) put((k + 0.5) / BINS, 0, Math.max(sm.bottom, 4) + DYNAMIC_BELOW / 10);
        }
        if (d.placement !== "below" && d.items.some((i) => i.kind === "words" || i.kind === "metronome" || i.kind === "rehearsal" || i.kind === "segno" || i.kind === "coda")) {
          put(at(d.offset), Math.min(sm.top - 2.5, -3), 4);
          put(at(d.offset) + 2 / BINS, Math.min(sm.top - 2.5, -3), 4);
        }
      }
      for (const h of m.harmonies) {
        if ((h.staff ?? 1) !== ref.staff) continue;
        put(at(h.offset), Math.min(highest - 2.5, -3), 4);
        put(at(h.offset) + 2 / BINS, Math.min(highest - 2.5, -3), 4);
      }
      if (sm.lyrics > 0) for (let k = 0; k < BINS; k++) sb[k] = Math.max(sb[k]!, lowest + 2 * verses);
    }
    top.push(...st.map((v) => v * 10));
    bottom.push(...sb.map((v) => v * 10));
  }
  return { top, bottom };
}
