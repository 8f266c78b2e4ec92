/**
 * What the orchestrator decides and what it reports: the plan (which part plays which notes, at
 * which octave and dynamic) that the stages build phrase by phrase and the writer turns into a
 * score, and the report that explains it.
 */
import type { LineNote, Phrase, Role } from "../analyse/types.js";
import { add, cmp, eq, type Fraction, frac, gt, lt, ltSum, sub } from "../model/fraction.js";
import { firstReaching, reachOf } from "../model/search.js";
import { midiOf, type Pitch, pitchClass } from "../model/pitch.js";
import type { Score } from "../model/score.js";
import type { Recolour } from "./colour.js";
import type { AssignContext, CostTerms, Segment } from "./costs.js";
import type { TupleMap, TupleSet } from "../util/keyed.js";
import type { Writable } from "./rhythm.js";
import type { Level, Slot } from "./slots.js";

export type Style = "plain" | "rich";

export interface ArrangeOptions {
  /** "plain": one part per line, doublings only to fix balance; "rich" (default): doublings by dynamic. */
  readonly style?: Style;
  /** How many ranked arrangements to return (default 1). */
  readonly alternatives?: number;
  /** Whether a lead sheet's chord symbols are realised as a bass and inner voices (default true; see analyse/chord-symbols.ts). */
  readonly chordSymbols?: boolean;
}

export interface Arrangement {
  readonly score: Score;
  readonly report: Report;
}

export interface Report {
  readonly ensemble: string;
  readonly style: Style;
  /** Rank among the alternatives, 1 = best. */
  readonly rank: number;
  /** Sum of the principal assignments' costs; lower is better. */
  readonly cost: number;
  readonly phrases: readonly PhraseReport[];
  /** Parts that never play, and why. */
  readonly tacet: readonly { readonly part: string; readonly reason: string }[];
  readonly notes: { readonly sketch: number; readonly placed: number; readonly leftOut: number; readonly graces: number; readonly gracesLeftOut: number };
  /** The chord symbols realised as accompaniment, where the sketch is a lead sheet. */
  readonly chordSymbols?: string;
  /** Parts written for another key of their instrument than the ensemble's usual one, and why (instrument-keys.ts). */
  readonly instruments?: readonly string[];
}

export interface PhraseReport {
  /** 1-based, in order. */
  readonly phrase: number;
  /** Measure numbers as printed: "1–4". */
  readonly measures: string;
  readonly dynamic: string;
  readonly assignments: readonly {
    readonly line: number;
    readonly role: Role;
    readonly part: string;
    readonly octaves: number;
    readonly cost: CostTerms & { readonly total: number };
    readonly why: string;
  }[];
  readonly doublings: readonly { readonly line: number; readonly part: string; readonly interval: string; readonly reason: string }[];
  readonly moved: readonly { readonly line: number; readonly part: string; readonly measure: string; readonly pitch: string; readonly octaves: number }[];
  readonly balance: readonly string[];
  /** A repeated tune given a new colour (see colour.ts). */
  readonly colour: readonly string[];
  readonly filled: readonly { readonly part: string; readonly measure: string; readonly pitch: string; readonly reason: string }[];
  readonly leftOut: readonly { readonly measure: string; readonly pitch: string; readonly reason: string }[];
}

/** A phrase's report while the stages write into it. */
export type PhraseReportDraft = { -readonly [K in Exclude<keyof PhraseReport, "phrase" | "measures" | "dynamic">]: PhraseReport[K][number][] };

/** A line's notes placed in one part, with the octave it is played at. */
export interface Placement {
  readonly phrase: number;
  readonly slot: number;
  readonly line: number;
  readonly notes: readonly LineNote[];
  readonly shift: number;
  readonly fixes: ReadonlyMap<number, number>;
  readonly principal: boolean;
  /** Upper (1) or lower (2) of two lines sharing the part. */
  readonly voice: 1 | 2;
}

/** The semitones a placement moves its note `k` by: its shift and the note's own octave fix. */
export function semitonesOf(p: Placement, k: number): number {
  return p.shift + (p.fixes.get(k) ?? 0);
}

/** The key number a placement sounds for its note `k`. */
export function soundingMidi(p: Placement, k: number): number {
  return midiOf(p.notes[k]!.pitch) + semitonesOf(p, k);
}

/** A grace note of the sketch, given to the part that plays the note it leads to. */
export interface PlacedGrace {
  readonly slot: number;
  readonly onset: Fraction;
  /** Sounding pitches, already at the octave of the part's main note. */
  readonly pitches: readonly Pitch[];
  readonly slash: boolean;
}

/** The parts balance marks one level below the sketch, by phrase: (part index, phrase index). */
export type Softened = TupleSet<[slot: number, phrase: number]>;

export interface Plan {
  readonly placements: readonly Placement[];
  readonly graces: readonly PlacedGrace[];
  /** Where each part is marked one level below the sketch (balance), as stretches of time. */
  readonly softer: readonly { readonly slot: number; readonly start: Fraction; readonly end: Fraction }[];
  readonly melodyLines: ReadonlySet<number>;
  readonly cost: number;
  readonly report: Omit<Report, "ensemble" | "style" | "rank" | "cost">;
}

/** A beat, [from, to). */
/** A stretch of time, [from, to). */
export interface Span {
  readonly from: Fraction;
  readonly to: Fraction;
}

/** The half measures a stretch lies in, from the first one's start to the last one's end (see `halfBars` in arrange.ts). */
export type Around = (from: Fraction, to: Fraction) => Span;

export interface Beat {
  readonly from: Fraction;
  readonly to: Fraction;
}

/** What the stages share while they work on one phrase. */
export interface PhraseWork {
  readonly phrase: Phrase;
  /** The phrase's lines, top to bottom (see segments.ts). */
  readonly segments: readonly Segment[];
  readonly slots: readonly Slot[];
  readonly style: Style;
  readonly level: Level;
  /**
   * How full the scoring is: the level, one step thinner where the sketch asks for delicacy
   * (dolce, delicato, leggiero…) at the phrase's start.
   */
  readonly texture: Level;
  readonly ctx: AssignContext;
  /** This phrase's placements, as the stages add them. */
  readonly placements: Placement[];
  /** Placements of earlier phrases that may still sound in this one (the fill stage may end their notes early). */
  readonly earlier: Placement[];
  /** Parts balance has marked one level below the sketch, phrase by phrase. */
  readonly softened: Softened;
  readonly report: PhraseReportDraft;
  /** The measure number printed at a time, for the report. */
  readonly label: (t: Fraction) => string;
  /** Whether a part's voice can still be written with its notes (see rhythm.ts). */
  readonly writable: Writable;
  /** Where the phrase repeats an earlier tune: the parts that had it, which do not double it now (see colour.ts). */
  readonly recolour?: Recolour;
  /** Whether the phrase is one of the piece's high points, where decorative colour may join (see colour.ts). */
  readonly highPoint: boolean;
  /** Parts that double by habit at any dynamic: otherwise they would sit out the whole piece (see arrange.ts, double.ts). */
  readonly eager: ReadonlySet<number>;
  /** The phrase's beats, by the time signature in force (see `beatsIn` in segments.ts). */
  readonly beats: readonly Beat[];
  /** What the parts doubled in the phrase before (see double.ts). */
  readonly doubledBefore: DoubledBefore;
  /** A line's notes in the next phrase, where that phrase is scored at this one's level (none otherwise). */
  readonly ahead: (line: number) => readonly LineNote[];
}

/**
 * What the parts doubled in a phrase: the octave each part doubled each line at, and the tune,
 * whichever line carried it, as line "melody"; and the parts that doubled anything.
 */
export interface DoubledBefore {
  readonly shifts: TupleMap<[line: number | "melody", slot: number], number>;
  readonly parts: ReadonlySet<number>;
}

/** Why a note no part plays is left out: the one reason the report's count of notes left out counts (the others' pitch classes sound anyway). */
export const NO_PART_FREE = "no part in range was free";

/** Lines made by the orchestrator (the bass notes of a figure) are numbered from here. */
export const DERIVED = 1000;

/** Chord notes the orchestrator holds in the horns at forte (see harmony.ts) are numbered from here. */
export const SUSTAINED = 2000;

/** Whether a line is a harmonic bass the orchestrator made of a figure. */
export const isDerivedBass = (line: number): boolean => line >= DERIVED && line < SUSTAINED;

/** Whether a part other than `slot` plays sketch note `n` too (its own line, or a doubling of it). */
export function playedElsewhere(placements: readonly Placement[], n: LineNote, slot: number): boolean {
  return placements.some((q) => q.slot !== slot && q.notes.includes(n));
}

/** Whether one of `placements` strikes the pitch class of sketch note `n` at its onset. */
export function covered(n: LineNote, placements: readonly Placement[]): boolean {
  const pc = pitchClass(midiOf(n.pitch));
  return placements.some((p) => p.notes.some((m) => cmp(m.onset, n.onset) === 0 && pitchClass(midiOf(m.pitch)) === pc));
}

/**
 * Whether a part plays a note (other than those of `except`) within a whole note of each of `notes`:
 * it is playing there, and a note given to it is no entry of its own for that note alone.
 */
export function playsNear(placements: readonly Placement[], slot: number, notes: readonly LineNote[], except: ReadonlySet<Placement> = new Set()): boolean {
  return placements.some((p) => p.slot === slot && !except.has(p) && p.notes.some((o) => notes.every((n) => lt(sub(o.onset, WHOLE), n.onset) && lt(n.onset, add(o.onset, WHOLE)))));
}

const WHOLE = frac(1);

/**
 * Where each part still holds, past `start`, a sketch note it carries from an earlier phrase (its
 * line's: not a doubling's, nor a harmonic bass Tutti sustains, `isDerivedBass`) that `counts`:
 * when it lets the last of them go.
 */
export function heldPast(earlier: readonly Placement[], start: Fraction, counts: (n: LineNote) => boolean = () => true): Map<number, Fraction> {
  const until = new Map<number, Fraction>();
  for (const p of earlier) {
    if (!p.principal || isDerivedBass(p.line)) continue;
    for (const n of p.notes) {
      const end = add(n.onset, n.duration);
      const had = until.get(p.slot);
      if (lt(n.onset, start) && gt(end, start) && counts(n) && (!had || gt(end, had))) until.set(p.slot, end);
    }
  }
  return until;
}

const SIXTEENTH = frac(1, 16);

/**
 * Whether note `o` of another line only ends under the tune's note k as a run of the tune sets
 * off: k is the first note after a rest, no longer than a sixteenth, and the next is struck as it
 * ends; `o` was struck before it and is released by its end. A run that enters on such a tail is
 * heard by its own attack, over a note already dying away (the trumpet's run from G3 under the
 * trombone's last B3 of a broken chord, Clementi op. 36 no. 3 i for brass quintet, m. 17): it
 * does not have to leave its octave for it.
 */
export function endsUnder(o: LineNote, tune: readonly LineNote[], k: number): boolean {
  const n = tune[k]!;
  const end = add(n.onset, n.duration);
  const before = tune[k - 1];
  const next = tune[k + 1];
  return (!before || lt(add(before.onset, before.duration), n.onset)) && next !== undefined && eq(next.onset, end) && lt(o.onset, n.onset) && !gt(add(o.onset, o.duration), end) && !gt(n.duration, SIXTEENTH);
}

/** Whether two notes sound together: each is struck before the other ends. */
export function overlaps(a: LineNote, b: LineNote): boolean {
  return ltSum(a.onset, b.onset, b.duration) && ltSum(b.onset, a.onset, a.duration);
}

/** Whether note b is struck as note a ends: joined, with no rest between. */
export function follows(a: LineNote, b: LineNote): boolean {
  return eq(add(a.onset, a.duration), b.onset);
}

/**
 * Whether any note of a placement may sound with `n`: `n` falls within the time from its first
 * onset to its last end. A quick test before note-by-note ones (`overlaps`): the phrases before
 * this one are many, and few of their notes reach into it.
 */
export function mayOverlap(q: Placement, n: LineNote): boolean {
  const span = spanOf(q);
  return span !== EMPTY_SPAN && ltSum(span.from, n.onset, n.duration) && lt(n.onset, span.to);
}

/** Whether any note of `q` may sound with a note of `p`: their times meet. */
export function mayMeet(q: Placement, p: Placement): boolean {
  const b = spanOf(p);
  return b !== EMPTY_SPAN && maySoundIn(q, b.from, b.to);
}

/** Whether any note of `q` may sound in [from, to). */
export function maySoundIn(q: Placement, from: Fraction, to: Fraction): boolean {
  const a = spanOf(q);
  return a !== EMPTY_SPAN && lt(a.from, to) && lt(from, a.to);
}

/** Whether a part (`slot`) plays nothing but its placement `own` while `n` sounds, of `placements`. */
export function playsOnly(placements: readonly Placement[], slot: number, own: Placement, n: LineNote): boolean {
  return placements.every((q) => q.slot !== slot || q === own || !mayOverlap(q, n) || everyMeeting(q, n, () => false));
}

/**
 * Whether `test` holds for every note of `q` that sounds with `n` (by its index in `q.notes`):
 * `q.notes.every((o, k) => !overlaps(o, n) || test(k))`.
 */
export function everyMeeting(q: Placement, n: LineNote, test: (k: number) => boolean): boolean {
  return everyIn(q, n.onset, add(n.onset, n.duration), test);
}

/**
 * Whether `test` holds for every note of `q` that sounds in [from, to) (by its index in
 * `q.notes`), found by bisection over the notes in time order rather than by a scan of them all.
 */
export function everyIn(q: Placement, from: Fraction, to: Fraction, test: (k: number) => boolean): boolean {
  const t = timelineOf(q.notes);
  for (let i = firstReaching(t.reach, from); i < t.order.length && lt(t.onsets[i]!, to); i++) {
    if (gt(t.ends[i]!, from) && !test(t.order[i]!)) return false;
  }
  return true;
}

/** A placement's notes in time order (their indexes), with their ends and the latest end so far (`reachOf`). */
interface Timeline {
  readonly order: readonly number[];
  readonly onsets: readonly Fraction[];
  readonly ends: readonly Fraction[];
  readonly reach: readonly Fraction[];
}

const TIMELINES = new WeakMap<readonly LineNote[], Timeline>();

function timelineOf(notes: readonly LineNote[]): Timeline {
  let t = TIMELINES.get(notes);
  if (!t) {
    const order = notes.map((_, k) => k).sort((a, b) => cmp(notes[a]!.onset, notes[b]!.onset) || a - b);
    const ends = order.map((k) => add(notes[k]!.onset, notes[k]!.duration));
    t = { order, onsets: order.map((k) => notes[k]!.onset), ends, reach: reachOf(ends) };
    TIMELINES.set(notes, t);
  }
  return t;
}

/** The time from a placement's first onset to its last end. */
function spanOf(q: Placement): { readonly from: Fraction; readonly to: Fraction } {
  let span = SPANS.get(q.notes);
  if (!span) {
    let from: Fraction | undefined;
    let to: Fraction | undefined;
    for (const o of q.notes) {
      const end = add(o.onset, o.duration);
      if (!from || lt(o.onset, from)) from = o.onset;
      if (!to || gt(end, to)) to = end;
    }
    span = from && to ? { from, to } : EMPTY_SPAN;
    SPANS.set(q.notes, span);
  }
  return span;
}

/** The time of a placement's notes, by their array (a placement moved keeps its notes). */
const SPANS = new WeakMap<readonly LineNote[], { readonly from: Fraction; readonly to: Fraction }>();
const EMPTY_SPAN = { from: { n: 0, d: 1 }, to: { n: 0, d: 1 } } as const;

/** Whether two placements' octave fixes are the same (a stage changed nothing). */
export function sameFixes(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/** A placement with some of its notes (by index) an octave down from where they sound now. */
export function octaveDown(p: Placement, ks: Iterable<number>): Placement {
  const fixes = new Map(p.fixes);
  for (const k of ks) fixes.set(k, (fixes.get(k) ?? 0) - 12);
  return { ...p, fixes };
}

/** A placement without some of its notes, the octave fixes of the others kept. */
export function without(p: Placement, drop: ReadonlySet<number>): Placement {
  if (drop.size === 0) return p;
  const fixes = new Map<number, number>();
  const notes: LineNote[] = [];
  p.notes.forEach((n, k) => {
    if (drop.has(k)) return;
    const f = p.fixes.get(k);
    if (f !== undefined) fixes.set(notes.length, f);
    notes.push(n);
  });
  return { ...p, notes, fixes };
}

/** One player on the part, not a section (a quartet's violin, not an orchestra's violins). */
export const isSolo = (slot: Slot): boolean => !slot.section && slot.players === 1;

/**
 * Whether another part of the same instrument, the placement's being a solo player, plays the
 * sketch note `n` at key number `m`.
 */
export function twinSounds(work: PhraseWork, p: Placement, n: LineNote, m: number): boolean {
  const slot = work.slots[p.slot]!;
  if (!isSolo(slot)) return false;
  return work.placements.some((q) => {
    if (q === p || work.slots[q.slot]!.instrument.id !== slot.instrument.id) return false;
    const k = q.notes.indexOf(n);
    return k >= 0 && soundingMidi(q, k) === m;
  });
}

/** A breath's worth of time: a note this long, or a rest after it, is a joint of its line. */
const HELD = frac(1, 4);

/**
 * Whether a line may break before note `n`, after `before`: a rest between them (a beat's rest at
 * least, where `breath`), or `before` held a beat or longer.
 */
export function isJoint(before: LineNote | undefined, n: LineNote, breath = false): boolean {
  if (!before) return true;
  const rest = sub(n.onset, add(before.onset, before.duration));
  return (breath ? !lt(rest, HELD) : rest.n > 0) || !lt(before.duration, HELD);
}

/**
 * A line's notes in pieces (indices, in order) between its joints: a rest, or a note held a beat
 * or longer, ends a piece.
 */
export function pieces(notes: readonly LineNote[]): number[][] {
  const out: number[][] = [];
  notes.forEach((n, k) => {
    if (isJoint(notes[k - 1], n)) out.push([]);
    out[out.length - 1]!.push(k);
  });
  return out;
}
