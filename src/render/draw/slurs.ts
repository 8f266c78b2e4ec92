/**
 * Slurs, by part and number, in time order through a system, placed as an engraver places them
 * (Gould, *Behind Bars*, "Slurs"): on the noteheads' side when every stem under the slur points
 * the same way, above where the stems are mixed, above for the upper voice and below for the
 * lower where a staff holds two; each end at its note (by the notehead, or by the stem's tip on
 * the stem side), and the arc high enough to clear every note, stem and beam under it.
 */
import type { RenderContext, StaveNote } from "vexflow/core";
import { cmp } from "../../model/fraction.js";
import type { DrawnSystem } from "./staves.js";

/** Half a notehead's height and the air between a slur and what it passes, VexFlow units. */
const HEAD = 5;
const AIR = 3;
/** Room for an articulation beside a notehead. */
const MARK = 8;
/** The arc's height over its chord: a share of its length, within these bounds. */
const ARC = { share: 0.1, least: 5, most: 18, highest: 40 } as const;
const THICKNESS = 1.6;

interface Passed {
  readonly note: StaveNote;
  /** It carries articulations (a staccato dot, an accent), drawn on the noteheads' side. */
  readonly marked: boolean;
  readonly row: number;
  readonly voice: string;
  /** The staff measure holds more than one voice; the first one in it is the upper. */
  readonly upper?: boolean;
}

/** Where the file places a slur, if it does. */
export type Placement = "above" | "below";

interface Open {
  readonly start?: Passed;
  readonly placement: Placement | undefined;
  /** The part's notes since the slur began (or since the system began, for a carried slur). */
  readonly passed: Passed[];
}

/**
 * Draws the slurs of a system: one from the previous system (in `carried`, by `part:number`)
 * starts at the clef, one open at the end runs to the last barline and goes on in the next.
 */
export function drawSlurs({ ctx, sys, measures, grid }: DrawnSystem, carried: Map<string, Placement | undefined>): void {
  const open = new Map<string, Open>();
  for (const [key, placement] of carried) open.set(key, { passed: [], placement });
  for (const sms of measures) {
    const items = sms.flatMap((sm, row) => {
      const voices = new Set(sm.notes.map((n) => n.ev.voice));
      const first = sm.notes[0]?.ev.voice;
      return sm.notes.map((n) => ({ ...n, row, part: sys.staves[row]!.part, upper: voices.size > 1 ? n.ev.voice === first : undefined }));
    });
    items.sort((a, b) => cmp(a.ev.onset, b.ev.onset));
    for (const { ev, note, part, row, upper } of items) {
      const here: Passed = { note, marked: (ev.articulations?.length ?? 0) > 0, row, voice: ev.voice, ...(upper === undefined ? {} : { upper }) };
      for (const [key, o] of open) if (key.startsWith(`${part}:`)) o.passed.push(here);
      const slurs = ev.slurs ?? [];
      for (const sl of slurs) {
        if (sl.type !== "stop") continue;
        const key = `${part}:${sl.number}`;
        const o = open.get(key);
        if (!o) continue;
        if (o.start?.note !== note) drawSlur(ctx, o.start, here, o.passed, o.placement);
        open.delete(key);
        carried.delete(key);
      }
      for (const sl of slurs) if (sl.type === "start") open.set(`${part}:${sl.number}`, { start: here, passed: [here], placement: sl.placement });
    }
  }
  const right = grid[grid.length - 1];
  for (const [key, o] of open) {
    if (!o.start) continue;
    const stave = right?.[o.start.row];
    drawSlur(ctx, o.start, undefined, o.passed, o.placement, stave?.getTieEndX());
    carried.set(key, o.placement);
  }
}

/** Where a slur meets a note: the middle of its notehead, as ties measure it. */
const centreX = (n: StaveNote): number => (n.getTieLeftX() + n.getTieRightX()) / 2;

/** Whether a note's stem points up; undefined for a note without one (a whole note). */
const stemUp = (n: StaveNote): boolean | undefined => (n.hasStem() ? n.getStemDirection() > 0 : undefined);

/**
 * How far a note reaches on one side (`above`: its least y, else its greatest): its noteheads with
 * their articulations, and its stem's tip (where its beam is) if the stem is on that side.
 */
function reach({ note: n, marked }: Passed, above: boolean): number {
  const ys = n.getYs();
  const up = stemUp(n);
  const head = HEAD + (marked && up !== above ? MARK : 0);
  let y = above ? Math.min(...ys) - head : Math.max(...ys) + head;
  if (up !== undefined && up === above) {
    const { topY, baseY } = n.getStemExtents();
    y = above ? Math.min(y, topY, baseY) : Math.max(y, topY, baseY);
  }
  return y;
}

/**
 * Draws one slur from `start` to `end` over the notes `passed` (an end not given: the system's
 * edge, at `edgeX` or the stave's start), where the file places it or else as the stems ask.
 */
function drawSlur(ctx: RenderContext, start: Passed | undefined, end: Passed | undefined, passed: readonly Passed[], placement: Placement | undefined, edgeX?: number): void {
  const anchor = (start ?? end)!;
  const under = passed.filter((p) => p.row === anchor.row && p.voice === anchor.voice);
  const above = placement ? placement === "above" : (anchor.upper ?? !under.every((p) => stemUp(p.note) !== false));
  const dir = above ? -1 : 1;
  const x1 = start ? centreX(start.note) : anchor.note.checkStave().getTieStartX();
  const x2 = end ? centreX(end.note) : (edgeX ?? anchor.note.checkStave().getTieEndX());
  // An end at the system's edge is as high (or low) as the note nearest it.
  let y1 = reach(start ?? under[0] ?? anchor, above) + dir * AIR;
  let y2 = reach(end ?? under[under.length - 1] ?? anchor, above) + dir * AIR;
  const length = Math.max(1, x2 - x1);
  // The arc's height: enough that the curve (3u(1-u) of it at a share u of the way) clears
  // every note between the ends by AIR, up to a fifth of its length; past that, the ends move
  // out, each as little as it can (a slur over a figure that climbs from its first note starts
  // higher, not in a tall arch).
  const inner = under.flatMap((p) => {
    if (p.note === start?.note || p.note === end?.note) return [];
    const u = Math.min(0.98, Math.max(0.02, (centreX(p.note) - x1) / length));
    return [{ u, beyond: dir * (reach(p, above) - (y1 + u * (y2 - y1))) + AIR }];
  });
  const tallest = Math.min(ARC.highest, Math.max(ARC.most, length * 0.2));
  let h = Math.min(ARC.most, Math.max(ARC.least, length * ARC.share));
  for (const { u, beyond } of inner) h = Math.max(h, Math.min(tallest, beyond / (3 * u * (1 - u))));
  const [lift1, lift2] = lifts(inner.map(({ u, beyond }) => ({ u, deficit: beyond - 3 * u * (1 - u) * h })));
  y1 += dir * lift1;
  y2 += dir * lift2;
  const cx1 = x1 + length / 3;
  const cx2 = x2 - length / 3;
  const cy = (y: number, t: number): number => y + dir * t;
  ctx.openGroup("slur");
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.bezierCurveTo(cx1, cy(y1, h), cx2, cy(y2, h), x2, y2);
  ctx.bezierCurveTo(cx2, cy(y2, h - THICKNESS), cx1, cy(y1, h - THICKNESS), x1, y1);
  ctx.closePath();
  ctx.fill();
  ctx.closeGroup();
}

/**
 * How far to move each end of a slur out (a, b) so that the chord between them rises by at least
 * `deficit` at each share `u` of the way ((1-u)a + ub >= deficit), moving as little as it can in
 * all: the best of one end alone, both alike, and each pair of notes held exactly.
 */
function lifts(needs: readonly { u: number; deficit: number }[]): [number, number] {
  const short = needs.filter((n) => n.deficit > 0);
  if (short.length === 0) return [0, 0];
  const ok = (a: number, b: number): boolean => a >= 0 && b >= 0 && short.every(({ u, deficit }) => (1 - u) * a + u * b >= deficit - 1e-6);
  const tries: [number, number][] = [
    [Math.max(...short.map((n) => n.deficit / (1 - n.u))), 0],
    [0, Math.max(...short.map((n) => n.deficit / n.u))],
    [Math.max(...short.map((n) => n.deficit)), Math.max(...short.map((n) => n.deficit))],
  ];
  for (const p of short)
    for (const q of short) {
      const det = (1 - p.u) * q.u - p.u * (1 - q.u);
      if (Math.abs(det) < 1e-9) continue;
      tries.push([(p.deficit * q.u - p.u * q.deficit) / det, ((1 - p.u) * q.deficit - p.deficit * (1 - q.u)) / det]);
    }
  let best: [number, number] = tries[2]!;
  for (const t of tries) if (ok(t[0], t[1]) && t[0] + t[1] < best[0] + best[1]) best = t;
  return best;
}
