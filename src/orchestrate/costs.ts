/**
 * What it costs a part to play a line in a phrase, at an octave: the terms the assignment
 * minimises and the doublings check, each reported by name so a composer can see why:
 * - range: a note outside the part's absolute range is impossible; a few such notes may move
 *   by an octave (each costs), more make the choice impossible;
 * - comfort: the share of notes outside the comfortable range;
 * - octave: moving the whole line by octaves;
 * - register: how far the line sits outside the middle half of the part's comfortable range;
 * - timbre: for a melody, whether the registers it uses are singing or weak ones;
 * - continuity: keeping a line on the part that had it (a hand-off costs, and falls only at phrase
 *   starts; the bass's counts half again), and a small pull of the k-th line towards the k-th part;
 * - idiom: breathing (winds, brass, voices), agility, registers that cannot make the phrase's
 *   dynamic, parts that carry no line idiomatically, a bass given to an instrument that is not a
 *   bass instrument, and brass running at p where strings or woodwinds can run;
 * - under: notes the octave would put under the sketch's bass, or a tune's under the lines the
 *   sketch has below it (each costs as a note moved to fit the range does);
 * - held: how long the line would cut short the bass its part holds from the phrase before (it
 *   costs as leaving the bass out for that share of the line's time, see `heldCost`).
 */
import { midiOf } from "../model/pitch.js";
import { add, differenceOf, type Fraction, lt, max, sub, toNumber } from "../model/fraction.js";
import { playsIn, spanKey } from "../model/search.js";
import { median } from "../util/median.js";
import type { LineNote, Role } from "../analyse/types.js";
import type { Family } from "../instruments/index.js";
import { type Level, registerOf, singingScore, type Slot } from "./slots.js";

export interface CostTerms {
  range: number;
  comfort: number;
  octave: number;
  register: number;
  timbre: number;
  continuity: number;
  idiom: number;
  /**
   * Notes that would sound under the sketch's bass (not an octave of it), or a tune's under the
   * lines the sketch has below it: the bass guard and the comfort stage would move them back up.
   */
  under: number;
  /**
   * The time (whole notes) by which the line, coming in while its part still holds the sketch's
   * bass from the phrase before (a pedal tied across), would cut that bass short.
   */
  held: number;
}

export interface Choice {
  readonly slot: number;
  /** Whole-line shift in semitones (a multiple of 12). */
  readonly shift: number;
  /** Single notes moved by an octave to fit the range: index in the segment → semitones. */
  readonly fixes: ReadonlyMap<number, number>;
  readonly terms: CostTerms;
  readonly total: number;
}

/** One line's notes within one phrase, with what it does there. */
export interface Segment {
  readonly line: number;
  readonly role: Role;
  readonly notes: readonly LineNote[];
  /** Share of its notes whose pitch class another line sounds at the same moment (0–1). */
  readonly redundancy?: number;
  /** The accompaniment figure it plays, as the analysis names it ("alberti", "arpeggio"…). */
  readonly figure?: string;
  /**
   * Where the line is a stride bass (see `strideBass` in segments.ts): the notes the parts that
   * double it an octave down by habit play, all but its chords' after-beats (the "pah").
   */
  readonly strideNotes?: readonly LineNote[];
  /**
   * Where the line is a keyboard figure in the bass and the ensemble has no part to spare for its
   * harmonic bass (see `withHarmonicBass` in segments.ts): that bass, each harmony's lowest note
   * held, which the parts that double the bass an octave down play instead of the figure.
   */
  readonly figureBass?: readonly LineNote[];
}

export interface AssignContext {
  /** Seconds per whole note at the current tempo (for breathing). */
  readonly secondsPerWhole: number;
  /** The part that played each line in the previous phrase. */
  readonly previous: ReadonlyMap<number, number>;
  /**
   * Each line's own part where nothing else decides: the k-th line from the top and the k-th part
   * from the top, so that a line coming back after a rest finds the part it would have had.
   */
  readonly home?: ReadonlyMap<number, number>;
  /** The dynamic level of the phrase: a register must be able to make it. */
  readonly level?: Level;
  /** The ensemble has strings or woodwinds, to whom running lines at p belong rather than to its brass. */
  readonly runners?: boolean;
  /** Extra cost on (line, slot) pairs, to find alternatives. */
  readonly penalty?: (line: number, slot: number) => number;
  /**
   * The sketch's lowest note where a note sounds (its half measure), and that half measure: what
   * no line may sound under, except an octave of it, or the line that plays it taken down whole.
   */
  readonly bassAt?: (n: LineNote) => { readonly bass: number; readonly from: Fraction; readonly to: Fraction } | undefined;
  /** The highest note the sketch sounds with a note and below it: what a tune taken down must stay above. */
  readonly below?: (n: LineNote) => number | undefined;
  /** Where a part still holds the sketch's bass from an earlier phrase past this phrase's start, when it lets it go (see `held` in `CostTerms`). */
  readonly heldUntil?: (slot: number) => Fraction | undefined;
}

/** What leaving out a line costs the assignment, by role, before its length and redundancy (see `assign`). */
export const MELODY_LEFT_OUT = 400;
export const BASS_LEFT_OUT = 200;
export const LINE_LEFT_OUT = 60;

const SHIFTS = [0, -12, 12, -24, 24];

/** The best way (octave, fixes) for a slot to play a segment, or undefined if it cannot. */
export function choose(seg: Segment, slot: Slot, ctx: AssignContext): Choice | undefined {
  let best: Choice | undefined;
  for (const shift of SHIFTS) {
    const c = cost(seg, slot, shift, ctx);
    if (c && (!best || c.total < best.total)) best = c;
  }
  return best;
}

/** The cost of a slot playing a segment at a given octave shift, or undefined if it cannot. */
export function chooseAt(seg: Segment, slot: Slot, shift: number, ctx: AssignContext): Choice | undefined {
  return cost(seg, slot, shift, ctx);
}

/** What the costs read of a segment whatever the part and octave, made once per segment. */
interface SegmentFacts {
  /** The key numbers of its notes, in order, and sorted. */
  readonly midis: readonly number[];
  readonly sorted: readonly number[];
  /** The longest stretch played without a rest, and from first onset to last, in whole notes. */
  readonly longestRun: number;
  readonly span: number;
  /** The median time from one note's onset to the next's, in whole notes (0 for a single note). */
  readonly step: number;
}

const FACTS = new WeakMap<Segment, SegmentFacts>();

function factsOf(seg: Segment): SegmentFacts {
  let f = FACTS.get(seg);
  if (!f) {
    const midis = seg.notes.map((n) => midiOf(n.pitch));
    const notes = seg.notes;
    const span = notes.length > 1 ? differenceOf(notes[notes.length - 1]!.onset, notes[0]!.onset) : 0;
    const steps = notes.slice(1).map((n, i) => differenceOf(n.onset, notes[i]!.onset));
    f = { midis, sorted: [...midis].sort((a, b) => a - b), longestRun: longestRun(notes), span, step: median(steps) ?? 0 };
    FACTS.set(seg, f);
  }
  return f;
}

function cost(seg: Segment, slot: Slot, shift: number, ctx: AssignContext): Choice | undefined {
  const inst = slot.instrument;
  const facts = factsOf(seg);
  const { low, high } = slot.absolute;
  const midis = facts.midis;
  // Moving single notes is acceptable for a stray note or two, never for much of the line: most
  // octaves of most parts fail here, so no map is made until a note needs moving.
  const most = Math.max(2, Math.floor(midis.length * 0.1));
  let moved: Map<number, number> | undefined;
  for (let i = 0; i < midis.length; i++) {
    const m = midis[i]! + shift;
    if (m >= low && m <= high) continue;
    const up = m < low ? 12 * Math.ceil((low - m) / 12) : -12 * Math.ceil((m - high) / 12);
    if (m + up < low || m + up > high) return undefined;
    (moved ??= new Map()).set(i, up);
    if (moved.size > most) return undefined;
  }
  const fixes: ReadonlyMap<number, number> = moved ?? NO_FIXES;
  const fitted = midis.map((m, i) => m + shift + (fixes.get(i) ?? 0));
  let outside = 0;
  for (const m of fitted) if (m < slot.comfortable.low || m > slot.comfortable.high) outside++;
  // Shifting every note keeps their order: the median moves with them.
  const median = fixes.size === 0 ? (facts.sorted.length ? facts.sorted[Math.floor(facts.sorted.length / 2)]! + shift : 60) : medianOf(fitted);
  const centre = (slot.comfortable.low + slot.comfortable.high) / 2;
  const melody = seg.role === "melody";
  const terms: CostTerms = {
    // A stray note moved by an octave is a small blemish; moving the whole line changes the voicing.
    range: 2 * fixes.size,
    // A tune stays with the part whose register it was written in (the first violins' high
    // notes are theirs); a part's notes out of comfort in the other lines cost double.
    comfort: midis.length ? ((melody ? 6 : 12) * outside) / midis.length : 0,
    octave: (Math.abs(shift) / 12) * (melody || seg.role === "bass" ? 8 : 6),
    // Anywhere in the middle of the comfortable range is as good as its centre.
    register: Math.max(0, Math.abs(median - centre) - (slot.comfortable.high - slot.comfortable.low) / 4) / 6,
    timbre: melody ? -fitted.reduce((s, m) => s + singingScore(inst, m), 0) / Math.max(1, fitted.length) : 0,
    continuity: (seg.role === "bass" ? BASS_CONTINUITY : 1) * continuityCost(seg.line, slot.index, ctx.previous) + (ctx.home?.get(seg.line) === slot.index ? -0.75 : 0),
    idiom: idiomCost(seg, facts, slot, fitted, ctx),
    // A line taken down under the bass inverts the harmony there (and the bass guard then moves
    // those notes back up), and a tune taken down under the lines the sketch has below it is
    // buried (and the comfort stage then folds it): each such note costs what a note moved by an
    // octave to fit the range does.
    under: ctx.bassAt && seg.role !== "bass" ? 2 * underCount(seg, fitted, shift, ctx) : 0,
    held: heldCut(seg, slot, ctx),
  };
  const total =
    terms.range + terms.comfort + terms.octave + terms.register + terms.timbre + terms.continuity + terms.idiom + terms.under + heldCost(seg, terms.held) + (ctx.penalty?.(seg.line, slot.index) ?? 0);
  return { slot: slot.index, shift, fixes, terms, total };
}

/**
 * What cutting a held bass short costs: where the part lets the bass go, the harmony has no bass
 * under the line's notes, as if the bass were left out there; so it costs what leaving a bass
 * line out costs (`BASS_LEFT_OUT`), for the share of the line's time the held note would have
 * sounded (Haydn op. 74 no. 1, iv, mm. 230–236 and from MIDI m. 275: the cello's C2 and G2 held
 * under the viola's line are the bass, and a note held an eighth into a long line costs little).
 */
function heldCost(seg: Segment, held: number): number {
  if (held === 0 || seg.notes.length === 0) return 0;
  const first = seg.notes[0]!.onset;
  const end = seg.notes.reduce((e, n) => max(e, add(n.onset, n.duration)), first);
  const span = toNumber(sub(end, first));
  return span > 0 ? BASS_LEFT_OUT * Math.min(1, held / span) : BASS_LEFT_OUT;
}

/** How long (whole notes) a line would cut short the bass its part still holds from the phrase before (`AssignContext.heldUntil`). */
function heldCut(seg: Segment, slot: Slot, ctx: AssignContext): number {
  const held = ctx.heldUntil?.(slot.index);
  const first = seg.notes[0];
  return held && first && lt(first.onset, held) ? toNumber(sub(held, first.onset)) : 0;
}

/**
 * How many of a line's notes, at the key numbers given (the line moved by `shift`), sound under
 * the sketch's bass and are not an octave of it, or, in a tune, under a note the sketch has below
 * it. Where the line itself plays the bass (a tune alone, a bass line), it is held against that
 * note moved with it: a line taken down whole inverts nothing.
 */
function underCount(seg: Segment, fitted: readonly number[], shift: number, ctx: AssignContext): number {
  const floors = floorsOf(seg, ctx);
  let under = 0;
  for (let i = 0; i < fitted.length; i++) {
    const f = floors[i]!;
    const m = fitted[i]!;
    if (underBass(f, m, shift) || (f.below !== undefined && m < f.below)) under++;
  }
  return under;
}

/** Whether key `m` sounds under the sketch's bass at its floor and is not an octave of it. */
function underBass(f: Floor, m: number, shift: number): boolean {
  const bass = f.carried && shift < 0 && f.bass !== undefined ? f.bass + shift : f.bass;
  return bass !== undefined && m < bass && (bass - m) % 12 !== 0;
}

/**
 * Whether a line other than the bass, moved by `shift` whole, has a note under the sketch's bass
 * that is not an octave of it (which a doubling must not have: see double.ts).
 */
export function sinksUnderBass(seg: Segment, shift: number, ctx: AssignContext): boolean {
  if (!ctx.bassAt || seg.role === "bass") return false;
  const floors = floorsOf(seg, ctx);
  return seg.notes.some((n, i) => underBass(floors[i]!, midiOf(n.pitch) + shift, shift));
}

/** What each note of a segment must stay above (see `underCount`), looked up once for every part and octave. */
interface Floor {
  readonly bass: number | undefined;
  /** The segment plays the bass there itself. */
  readonly carried: boolean;
  /** A tune's: the highest note the sketch sounds with it and below it. */
  readonly below: number | undefined;
}

function floorsOf(seg: Segment, ctx: AssignContext): readonly Floor[] {
  let floors = FLOORS.get(seg);
  if (!floors) {
    // Whether the segment plays the bass of a half measure, asked once for each half measure.
    const carries = new Map<string, boolean>();
    floors = seg.notes.map((n) => {
      const at = ctx.bassAt?.(n);
      let carried = false;
      if (at) {
        const key = spanKey(at.from, at.to);
        carried = carries.get(key) ?? playsIn(seg.notes, at.from, at.to, at.bass);
        carries.set(key, carried);
      }
      return { bass: at?.bass, carried, below: seg.role === "melody" ? ctx.below?.(n) : undefined };
    });
    FLOORS.set(seg, floors);
  }
  return floors;
}

const FLOORS = new WeakMap<Segment, readonly Floor[]>();

/** The fixes of a line that fits as it is: one map for all of them, never changed (`Choice.fixes` is read-only). */
const NO_FIXES: ReadonlyMap<number, number> = new Map();

function medianOf(midis: readonly number[]): number {
  return median(midis) ?? 60;
}

/**
 * The bass changes hands less readily than the other lines: the harmony's foundation keeps its
 * colour, and a part that carried it and another line keeps the bass when it must give one up
 * (the Maple Leaf Rag for orchestra, m. 9: the cellos, on the bass and an inner line in mm. 7–8,
 * keep the bass, not the inner line).
 */
const BASS_CONTINUITY = 1.5;

function continuityCost(line: number, slot: number, previous: ReadonlyMap<number, number>): number {
  const had = previous.get(line);
  if (had === undefined) return 0;
  return had === slot ? -1.5 : 1.5;
}

/**
 * Who carries lines in an orchestra: strings and voices first, then woodwinds, then brass (which
 * tire, and cover the rest at their natural strength), then keyboards and harp.
 */
export const PRINCIPAL_BIAS: Readonly<Record<Family, number>> = { strings: 0, voice: 0, woodwind: 0.8, brass: 1.5, keyboard: 1, plucked: 1.5, percussion: 3 };

/** Notes a second above which a line runs (sixteenths at a quarter of 60), and what brass pay for running at p. */
const SOFT_BRASS_RATE = 4;
const SOFT_BRASS_RUNNING = 3;

const DECAYING: ReadonlySet<Family> = new Set(["plucked", "keyboard", "percussion"]);

function idiomCost(seg: Segment, facts: SegmentFacts, slot: Slot, midis: readonly number[], ctx: AssignContext): number {
  const inst = slot.instrument;
  let c = PRINCIPAL_BIAS[inst.family];
  // The bass belongs to the bass instruments (cello and bass, bassoon, tuba, bass voice…).
  if (seg.role === "bass" && !inst.orchestration?.doubles.includes("bass")) c += 3;
  // The double basses sound the bass with the cellos, an octave under them, not for them
  // (Rimsky-Korsakov, Adler): the cellos carry it, and the basses double it.
  if (seg.role === "bass" && slot.reinforcesBass) c += 3;
  // Percussion and keyboards of fixed colour carry no line as principal unless nothing else can.
  if (inst.orchestration?.decorative) c += 12;
  // An instrument tuned to two notes (the timpani) cannot carry a line of more pitch classes.
  if (inst.orchestration?.tonicDominant && new Set(midis.map((m) => m % 12)).size > 2) c += 30;
  const breath = inst.idioms.breath;
  if (breath) {
    const longest = facts.longestRun * ctx.secondsPerWhole;
    if (longest > breath.maxPhraseSeconds) c += Math.min(6, (3 * (longest - breath.maxPhraseSeconds)) / breath.maxPhraseSeconds);
  }
  // Registers that cannot make the dynamic: a forte low flute, a pianissimo high trumpet.
  if (ctx.level) c += 4 * dynamicMisfit(inst, midis, ctx.level);
  // Plucked and struck sounds die away: long notes of a sustained line suit them badly.
  if (DECAYING.has(inst.family) && inst.id !== "organ") {
    const long = seg.notes.filter((n) => toNumber(n.duration) * ctx.secondsPerWhole >= 0.6).length;
    c += (3 * long) / Math.max(1, seg.notes.length);
  }
  // Brass take sustained harmony and fanfares, not a keyboard's broken chords.
  if (inst.family === "brass" && (seg.figure === "alberti" || seg.figure === "arpeggio")) c += 4;
  // A slow instrument on a busy line.
  const span = facts.span * ctx.secondsPerWhole;
  const rate = span > 0 ? (seg.notes.length - 1) / span : 0;
  if (rate > easyRate(inst)) c += Math.min(4, (rate - easyRate(inst)) / 2);
  // At p the brass hold the harmony; running lines are the strings' and woodwinds'.
  if (inst.family === "brass" && ctx.runners && ctx.level === "p" && facts.step > 0 && facts.step * ctx.secondsPerWhole < 1 / SOFT_BRASS_RATE) c += SOFT_BRASS_RUNNING;
  return c;
}

/** Notes a second an instrument plays easily: twice its agility level. */
export function easyRate(inst: Slot["instrument"]): number {
  return inst.idioms.agility.level * 2;
}

/**
 * The share of notes in registers that cannot make the level: at forte a register whose loudness
 * at f is 3 or less (the low flute), at piano one whose loudness at p is 5 or more (the high trumpet).
 */
export function dynamicMisfit(inst: Slot["instrument"], midis: readonly number[], level: Level): number {
  if (level === "mf" || midis.length === 0) return 0;
  const bad = midis.filter((m) => {
    const r = registerOf(inst, m);
    return r && (level === "f" ? r.loudness.f <= 3 : r.loudness.p >= 5);
  }).length;
  return bad / midis.length;
}

/** The longest stretch, in whole notes, played without a rest between notes. */
function longestRun(notes: readonly LineNote[]): number {
  let longest = 0;
  let start: Fraction | undefined;
  let end: Fraction | undefined;
  for (const n of notes) {
    if (start === undefined || end === undefined || lt(end, n.onset)) {
      start = n.onset;
    }
    end = add(n.onset, n.duration);
    longest = Math.max(longest, differenceOf(end, start));
  }
  return longest;
}

/** The middle key number of a line's notes (60 when it has none). */
export function medianMidi(notes: readonly LineNote[]): number {
  return medianOf(notes.map((n) => midiOf(n.pitch)));
}
