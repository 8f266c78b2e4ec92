/**
 * Voice separation: the lines a piano sketch hides, each one a player could play.
 *
 * Where each staff is one voice of chords (a reduction, most sketches), each staff gets a fixed
 * set of slots (see `slots.ts`): on the evaluation's string quartets it puts 0.91 of the notes
 * back in their parts where the search below managed 0.71, because it neither opens a line for
 * each voice that re-enters nor forgets which voice is which. Where the notation writes
 * single-line voices, the search below uses them (see `methodFor`). Either way, a hand's
 * excursion across the other hand and back is then taken out as a line of its own
 * (hand-crossing.ts).
 *
 * The search: the sketch is read as notes in time with ties joined, so a note held while others move keeps
 * its line busy until it ends. At each onset the new notes are given to the lines that are free,
 * choosing the assignment of least cost: pitch distance to each line's last note (and, a little,
 * to its recent register), a change of staff or of a checked notated voice, two lines crossing,
 * a line falling silent, a new line. Chords are small, so the search is exhaustive with pruning
 * (seeded by a Hungarian assignment for big chords).
 *
 * Unisons: when one sketch note stands for two voices (a chord with fewer notes than the lines
 * that were just playing), the second line may double it. The note is kept in one line only (the
 * Analysis contract: every sketch note in exactly one line) and lists the doubling line in
 * `LineNote.shared`; the doubling line counts it as its last note for what follows.
 */
import { add, cmp, differenceOf, type Fraction, gt, le, sub, toNumber } from "../model/fraction.js";
import { midiOf } from "../model/pitch.js";
import type { Score } from "../model/score.js";
import { byOnset, type DraftNote, gridCost, groupByStaff, lineNoteOf, sketchNotes, type SketchNote, staffKeyOf } from "./sketch-notes.js";
import { type DraftLine, separateBySlots, type SlotOptions } from "./slot-separator.js";
import { joinInterlocked } from "./interlock.js";
import { splitHandCrossings } from "./hand-crossing.js";
import type { Line, LineNote } from "./types.js";

export interface SeparateOptions {
  /**
   * "slots": a fixed set of lines per staff, filled by a beam search (see `separateBySlots`).
   * "search": lines opened as the texture asks, chosen onset by onset across staves, with the
   * costs below. "auto" (the default): see `methodFor`.
   */
  readonly method?: "auto" | "slots" | "search";
  readonly slots?: SlotOptions;
  /** Cost of a note leaving its staff's lines, in semitones. */
  readonly staffChange?: number;
  /** Cost of a note leaving the line of its notated voice, when that voice is a single line. */
  readonly voiceChange?: number;
  /** Cost of two lines crossing. */
  readonly crossing?: number;
  /** Cost of a line that was playing falling silent. */
  readonly silence?: number;
  /** Cost of a new line while fewer lines than the texture needs exist, and beyond. */
  readonly newLine?: number;
  readonly extraLine?: number;
  /** Cost of a note going to an overflow line (one made for a chord bigger than the texture). */
  readonly overflow?: number;
  /** Cost of breaking the rank order when a staff sounds as many notes as it has lines. */
  readonly rank?: number;
}

type Costs = Required<Omit<SeparateOptions, "method" | "slots">>;

const DEFAULTS: Costs = {
  staffChange: 30,
  voiceChange: 6,
  crossing: 12,
  silence: 8,
  newLine: 8,
  extraLine: 30,
  overflow: 15,
  rank: 8,
};

interface LineState {
  readonly id: number;
  readonly notes: DraftNote[];
  /** Notes this line doubles, owned by another line (id, note index there). */
  lastMidi: number;
  avgMidi: number;
  lastEnd: Fraction;
  staffKey: string;
  voiceKey: string;
  /** The staff it started on. */
  readonly home: string;
  /** Started beyond the lines its staff needs, for a big chord. */
  readonly overflow: boolean;
  /** The line sharing this line's current note (a unison), while both hold it. */
  partner?: LineState;
}

interface Choice {
  /** For each new note, the line it goes to (index into lines, or -1-k for the k-th new line). */
  readonly to: number[];
  /** Free lines that double a note: line index → note index. */
  readonly shares: Map<number, number>;
  readonly cost: number;
}

/**
 * Splits a sketch into lines: monophonic, top to bottom, every pitched non-grace non-cue note in
 * exactly one line.
 * @example separateVoices(reduceToPiano(chorale).sketch).length // 4
 */
export function separateVoices(score: Score, options: SeparateOptions = {}): Line[] {
  return separateNotes(sketchNotes(score), options);
}

/** The same, over notes already extracted (see `sketchNotes`). */
export function separateNotes(notes: readonly SketchNote[], options: SeparateOptions = {}): Line[] {
  const lines = splitHandCrossings(methodFor(notes, options) === "slots" ? separateBySlots(notes, options.slots) : searchLines(notes, options), notes);
  // In onset order: a unison's note handed back to the line that keeps holding it (`release`,
  // here and in slot-separator.ts) may come after that line's later notes.
  for (const l of lines) sortByOnset(l.notes);
  joinInterlocked(lines);
  return finish(lines);
}

/**
 * Which separator suits the notes: the search when the notation already writes single-line voices
 * on a staff (evidence the slots would ignore), the slots when each staff is one voice of chords,
 * as in a reduction.
 * @example methodFor(sketchNotes(reduceToPiano(quartet).sketch)) // "slots"
 */
function methodFor(notes: readonly SketchNote[], options: SeparateOptions = {}): "slots" | "search" {
  if (options.method && options.method !== "auto") return options.method;
  return monophonicVoices(notes).size > 0 ? "search" : "slots";
}

function searchLines(notes: readonly SketchNote[], options: SeparateOptions): LineState[] {
  const o = { ...DEFAULTS, ...options };
  const singleVoices = monophonicVoices(notes);
  // Lines each staff needs; lines beyond are overflow, for the odd big chord, and kept out of the way after.
  const expected = new Map<string, number>();
  const byStaff = groupByStaff(notes);
  for (const [k, list] of byStaff) expected.set(k, textureSize(list));
  const lines: LineState[] = [];
  const runs = runStarts(notes);
  for (const group of byOnset(notes)) {
    const t = group[0]!.onset;
    // Two lines holding one unison note: either may leave it to move on, the other keeps it.
    const releasable = (l: LineState): boolean => gt(l.lastEnd, t) && !!l.partner && l.partner.partner === l && cmp(l.partner.lastEnd, l.lastEnd) === 0;
    const free = lines.filter((l) => le(l.lastEnd, t) || releasable(l));
    const busy = lines.filter((l) => gt(l.lastEnd, t) && !releasable(l));
    const homeCount = (k: string): number => lines.filter((l) => l.home === k).length;
    const legato = legatoLines(group, free, busy, t, runs);
    const newCost = (i: number, before: number): number => {
      const k = staffKeyOf(group[i]!);
      return (legato[i] ? HANDOFF : 0) + (homeCount(k) + before < (expected.get(k) ?? 0) ? o.newLine : o.extraLine);
    };
    const rankCost = rankCosts(group, lines, busy, expected, o);
    const choice = choose(group, free, busy, newCost, t, o, singleVoices, rankCost, legato);
    const created: LineState[] = [];
    group.forEach((n, i) => {
      const target = choice.to[i]!;
      let line: LineState;
      if (target >= 0) {
        line = free[target]!;
        if (gt(line.lastEnd, t)) release(line);
      } else {
        const home = staffKeyOf(n);
        const overflow = homeCount(home) + created.filter((c) => c.home === home).length >= (expected.get(home) ?? 0);
        line = { id: lines.length + created.length, notes: [], lastMidi: n.midi, avgMidi: n.midi, lastEnd: t, staffKey: "", voiceKey: "", home, overflow };
        created.push(line);
      }
      line.notes.push(lineNoteOf(n));
      advance(line, n);
    });
    lines.push(...created);
    for (const [li, ni] of choice.shares) {
      const line = free[li]!;
      const n = group[ni]!;
      const owner = choice.to[ni]!;
      const ownerLine = owner >= 0 ? free[owner]! : created[-1 - owner]!;
      const note = ownerLine.notes[ownerLine.notes.length - 1]!;
      note.shared = [...(note.shared ?? []), line.id];
      advance(line, n);
      line.partner = ownerLine;
      ownerLine.partner = line;
    }
  }
  return lines;
}

/**
 * A line leaves the unison it shares to play on. If it owns the note, the note passes to the
 * partner, which keeps holding it, and names this line as sharing its start.
 */
function release(line: LineState): void {
  const partner = line.partner!;
  const last = line.notes[line.notes.length - 1];
  if (last && last.shared?.includes(partner.id)) {
    line.notes.pop();
    last.shared = [...last.shared.filter((id) => id !== partner.id), line.id];
    partner.notes.push(last);
  }
  line.partner = undefined;
  partner.partner = undefined;
}

function advance(line: LineState, n: SketchNote): void {
  line.partner = undefined;
  line.lastMidi = n.midi;
  line.avgMidi = line.notes.length <= 1 ? n.midi : 0.6 * line.avgMidi + 0.4 * n.midi;
  line.lastEnd = add(n.onset, n.duration);
  line.staffKey = staffKeyOf(n);
  line.voiceKey = voiceKeyOf(n);
}

const voiceKeyOf = (n: SketchNote): string => `${n.part}:${n.staff}:${n.voice}`;

/**
 * Notated voices that are single lines (at most one note at a time, nearly always): their voice
 * is evidence worth keeping. A voice of chords says only which hand plays.
 */
function monophonicVoices(notes: readonly SketchNote[]): Set<string> {
  const stats = new Map<string, { onsets: number; chords: number; lastEnd: Fraction; overlaps: number; lastOnset?: Fraction }>();
  for (const n of notes) {
    // The voices of a reader's own staff split are its guesses, no evidence.
    if (n.staffGuessed) continue;
    const k = voiceKeyOf(n);
    const s = stats.get(k) ?? { onsets: 0, chords: 0, lastEnd: n.onset, overlaps: 0 };
    if (s.lastOnset && cmp(s.lastOnset, n.onset) === 0) s.chords++;
    else {
      s.onsets++;
      if (gt(s.lastEnd, n.onset)) s.overlaps++;
    }
    s.lastOnset = n.onset;
    const end = add(n.onset, n.duration);
    if (gt(end, s.lastEnd)) s.lastEnd = end;
    stats.set(k, s);
  }
  const voicesPerStaff = new Map<string, number>();
  for (const k of stats.keys()) {
    const sk = k.split(":").slice(0, 2).join(":");
    voicesPerStaff.set(sk, (voicesPerStaff.get(sk) ?? 0) + 1);
  }
  const out = new Set<string>();
  for (const [k, s] of stats) {
    const sk = k.split(":").slice(0, 2).join(":");
    if ((voicesPerStaff.get(sk) ?? 0) < 2) continue;
    if (s.chords + s.overlaps <= 0.1 * s.onsets) out.add(k);
  }
  return out;
}

/** How many lines the texture needs: the number of notes sounding together, ignoring rare peaks. */
function textureSize(notes: readonly SketchNote[]): number {
  const counts: number[] = [];
  const active: SketchNote[] = [];
  for (const g of byOnset(notes)) {
    const t = g[0]!.onset;
    for (let i = active.length - 1; i >= 0; i--) if (le(add(active[i]!.onset, active[i]!.duration), t)) active.splice(i, 1);
    active.push(...g);
    counts.push(active.length);
  }
  if (counts.length === 0) return 0;
  counts.sort((a, b) => a - b);
  return counts[Math.min(counts.length - 1, Math.floor(0.85 * counts.length))]!;
}

function choose(
  group: readonly SketchNote[],
  free: readonly LineState[],
  busy: readonly LineState[],
  newCost: (note: number, createdBefore: number) => number,
  t: Fraction,
  o: Costs,
  singleVoices: ReadonlySet<string>,
  rankCost: (note: number, line: LineState) => number,
  legato: readonly (LineState | undefined)[],
): Choice {
  const n = group.length;
  const f = free.length;
  const cost = costMatrix(group, free, t, o, singleVoices, rankCost, legato);
  const justPlaying = free.map((l) => cmp(l.lastEnd, t) === 0);
  // Free lines still holding a shared unison: at most one of the two may move on.
  const holding = free.map((l) => gt(l.lastEnd, t));
  const partnerOf = free.map((l) => (l.partner ? free.indexOf(l.partner) : -1));
  const recent = (l: LineState): boolean => gt(l.lastEnd, sub(t, { n: 1, d: 1 }));

  const crossings = (to: readonly number[], shares: ReadonlyMap<number, number>): number => {
    // Lines with a reference position before and a position now.
    const pts: { before: number; beforeAvg: number; now: number }[] = [];
    for (const l of busy) pts.push({ before: l.lastMidi, beforeAvg: l.avgMidi, now: l.lastMidi });
    const moved = new Set(to);
    free.forEach((l, j) => {
      if (holding[j] && !moved.has(j)) pts.push({ before: l.lastMidi, beforeAvg: l.avgMidi, now: l.lastMidi });
    });
    to.forEach((j, i) => {
      if (j < 0) return;
      const l = free[j]!;
      if (recent(l)) pts.push({ before: l.lastMidi, beforeAvg: l.avgMidi, now: group[i]!.midi });
    });
    for (const [j, i] of shares) {
      const l = free[j]!;
      pts.push({ before: l.lastMidi, beforeAvg: l.avgMidi, now: group[i]!.midi });
    }
    let c = 0;
    for (let a = 0; a < pts.length; a++) {
      for (let b = a + 1; b < pts.length; b++) {
        const p = pts[a]!;
        const q = pts[b]!;
        const before = Math.sign(p.before - q.before) || Math.sign(p.beforeAvg - q.beforeAvg);
        const now = Math.sign(p.now - q.now);
        if (before !== 0 && now !== 0 && before !== now) c += o.crossing;
      }
    }
    return c;
  };

  let best: Choice | undefined;
  let budget = 40000;
  const to: number[] = new Array<number>(n).fill(0);
  const used = new Array<boolean>(f).fill(false);

  const finishLeftovers = (base: number): void => {
    // Lines that were playing and got nothing: fall silent, or double a note of their staff.
    const left: number[] = [];
    for (let j = 0; j < f; j++) if (!used[j] && justPlaying[j]) left.push(j);
    const shares = new Map<number, number>();
    const walk = (k: number, acc: number): void => {
      if (budget-- <= 0 && best) return;
      if (best && acc >= best.cost) return;
      if (k === left.length) {
        const total = acc + crossings(to, shares);
        if (!best || total < best.cost) best = { to: [...to], shares: new Map(shares), cost: total };
        return;
      }
      const j = left[k]!;
      walk(k + 1, acc + o.silence);
      for (let i = 0; i < n; i++) {
        const c = cost[i]![j]!;
        if (c > o.silence + 6) continue;
        shares.set(j, i);
        walk(k + 1, acc + c + 1);
        shares.delete(j);
      }
    };
    walk(0, base);
  };

  const sameStaffNew = (i: number): number => {
    let k = 0;
    for (let a = 0; a < i; a++) if (to[a]! < 0 && staffKeyOf(group[a]!) === staffKeyOf(group[i]!)) k++;
    return k;
  };
  const assign = (i: number, acc: number, created: number): void => {
    if (budget-- <= 0 && best) return;
    if (best && acc >= best.cost) return;
    if (i === n) {
      finishLeftovers(acc);
      return;
    }
    // Cheapest options first, so the bound bites early.
    const opts: [number, number][] = [];
    for (let j = 0; j < f; j++) {
      const p = partnerOf[j]!;
      if (!used[j] && !(holding[j] && p >= 0 && used[p])) opts.push([j, cost[i]![j]!]);
    }
    opts.sort((a, b) => a[1] - b[1]);
    for (const [j, c] of opts) {
      used[j] = true;
      to[i] = j;
      assign(i + 1, acc + c, created);
      used[j] = false;
    }
    to[i] = -1 - created;
    assign(i + 1, acc + newCost(i, sameStaffNew(i)), created + 1);
  };
  // A greedy seed bounds the search from the start.
  const allowed = (j: number, taken: ReadonlySet<number>): boolean => !(holding[j] && partnerOf[j]! >= 0 && taken.has(partnerOf[j]!));
  seedGreedy(cost, newCost, allowed, (seed) => {
    to.splice(0, n, ...seed.to);
    for (const j of seed.to) if (j >= 0) used[j] = true;
    finishLeftovers(seed.cost);
    used.fill(false);
  });
  assign(0, 0, 0);
  return best!;
}

/** Notes in a row, each within a fourth of the one before and the same way, that make a run. */
const RUN = 4;

/**
 * The notes that start a run in their notated voice: struck alone, followed in legato by RUN - 1
 * more, each struck alone as the one before ends, within a fourth of it and going the same way.
 */
function runStarts(notes: readonly SketchNote[]): Set<SketchNote> {
  // Each voice's onsets in order, with the notes it strikes at each.
  const byVoice = new Map<string, SketchNote[][]>();
  for (const g of byOnset(notes)) {
    const inVoice = new Map<string, SketchNote[]>();
    for (const n of g) {
      const k = voiceKeyOf(n);
      const ns = inVoice.get(k);
      if (ns) ns.push(n);
      else inVoice.set(k, [n]);
    }
    for (const [k, ns] of inVoice) {
      const seq = byVoice.get(k);
      if (seq) seq.push(ns);
      else byVoice.set(k, [ns]);
    }
  }
  const out = new Set<SketchNote>();
  for (const seq of byVoice.values()) {
    seq.forEach((g, i) => {
      if (g.length !== 1 || i + RUN > seq.length) return;
      let dir = 0;
      for (let j = i + 1; j < i + RUN; j++) {
        const [a] = seq[j - 1]!;
        const b = seq[j]!;
        if (b.length !== 1 || !a || cmp(add(a.onset, a.duration), b[0]!.onset) !== 0) return;
        const step = b[0]!.midi - a.midi;
        if (step === 0 || Math.abs(step) > 5 || (dir !== 0 && Math.sign(step) !== dir)) return;
        dir = Math.sign(step);
      }
      out.add(g[0]!);
    });
  }
  return out;
}

/**
 * cost[i][j]: note i into free line j. A note struck as its voice's last note ends, starting a run,
 * goes on in that note's line whatever the leap (see `legatoLines`).
 */
function costMatrix(
  group: readonly SketchNote[],
  free: readonly LineState[],
  t: Fraction,
  o: Costs,
  singleVoices: ReadonlySet<string>,
  rankCost: (note: number, line: LineState) => number,
  legato: readonly (LineState | undefined)[],
): number[][] {
  // A line cannot write the 16ths of one voice and the triplets of another in one beat.
  const grids = free.map((line) => {
    const last = line.notes[line.notes.length - 1];
    return last === undefined ? 0 : gridCost(last.onset, line.lastEnd, t);
  });
  return group.map((note, i) =>
    free.map((line, j) => {
      const c = pairCost(note, line, t, o, singleVoices);
      const on = legato[i];
      return (on === undefined ? c : on === line ? Math.min(c, LEAP_IN_VOICE) : c + HANDOFF) + rankCost(i, line) + grids[j]!;
    }),
  );
}

/** What a note pays to leave the line it continues in legato (see `legatoLines`), in semitones. */
const HANDOFF = 12;
/** The most a leap inside a notated voice costs the line it continues, in semitones. */
const LEAP_IN_VOICE = 12;

/**
 * For each note that starts a run (see `runStarts`) struck alone in its notated voice just as that
 * voice's note before it ends (legato: nothing else of the voice sounding, one line of the voice
 * ending now) and more than an octave from it, that line: the composer wrote one voice going on
 * (the Polonaise op. 1/1, m. 7: a B-flat 6 held, then the run from B-flat 4 in the same voice, one
 * gesture). A leap between notes that do not run on (a compound melody's bass notes) is left to
 * pitch, which may split it into two lines.
 */
function legatoLines(group: readonly SketchNote[], free: readonly LineState[], busy: readonly LineState[], t: Fraction, runs: ReadonlySet<SketchNote>): (LineState | undefined)[] {
  return group.map((n) => {
    if (!runs.has(n)) return undefined;
    const k = voiceKeyOf(n);
    if (group.some((m) => m !== n && voiceKeyOf(m) === k) || busy.some((l) => l.voiceKey === k)) return undefined;
    const ended = free.filter((l) => l.voiceKey === k && cmp(l.lastEnd, t) === 0 && !l.partner);
    // Steps and leaps within the octave find their line by pitch already.
    return ended.length === 1 && Math.abs(n.midi - ended[0]!.lastMidi) > 12 ? ended[0] : undefined;
  });
}

/**
 * When a staff sounds exactly as many notes as it has lines, the k-th highest note belongs to
 * the k-th highest line (what Explode does, and right more often than not after a rest).
 */
function rankCosts(
  group: readonly SketchNote[],
  lines: readonly LineState[],
  busy: readonly LineState[],
  expected: ReadonlyMap<string, number>,
  o: Costs,
): (note: number, line: LineState) => number {
  const rankOfLine = new Map<LineState, number>();
  const noteRank: number[] = [];
  const staffSize = new Map<string, number>();
  const keys = new Set(group.map(staffKeyOf));
  for (const k of keys) {
    const home = lines.filter((l) => l.home === k && !l.overflow).sort((a, b) => b.avgMidi - a.avgMidi);
    home.forEach((l, r) => rankOfLine.set(l, r));
    const held = busy.filter((l) => l.staffKey === k).map((l) => l.lastMidi);
    const sounding = [...held, ...group.filter((n) => staffKeyOf(n) === k).map((n) => n.midi)].sort((a, b) => b - a);
    staffSize.set(k, home.length === (expected.get(k) ?? 0) && sounding.length === home.length ? sounding.length : -1);
    group.forEach((n, i) => {
      if (staffKeyOf(n) === k) noteRank[i] = sounding.indexOf(n.midi);
    });
  }
  return (i, line) => {
    const k = staffKeyOf(group[i]!);
    if ((staffSize.get(k) ?? -1) < 0 || line.home !== k) return 0;
    const r = rankOfLine.get(line);
    return r === undefined || r === noteRank[i] ? 0 : o.rank;
  };
}

/** Each note, high to low, to its cheapest free line (or a new one). */
function seedGreedy(
  cost: number[][],
  newCost: (note: number, createdBefore: number) => number,
  allowed: (j: number, taken: ReadonlySet<number>) => boolean,
  use: (seed: { to: number[]; cost: number }) => void): void {
  const taken = new Set<number>();
  const to: number[] = [];
  let total = 0;
  let created = 0;
  cost.forEach((row, i) => {
    let bj = -1;
    let bc = Infinity;
    row.forEach((c, j) => {
      if (!taken.has(j) && allowed(j, taken) && c < bc) {
        bc = c;
        bj = j;
      }
    });
    // Counting all new lines, not only this staff's, errs towards the dearer cost: fine for a seed.
    if (bj < 0 || bc > newCost(i, created)) {
      to.push(-1 - created);
      total += newCost(i, created);
      created++;
    } else {
      taken.add(bj);
      to.push(bj);
      total += bc;
    }
  });
  use({ to, cost: total });
}

function pairCost(n: SketchNote, l: LineState, t: Fraction, o: Costs, singleVoices: ReadonlySet<string>): number {
  const gap = differenceOf(t, l.lastEnd);
  // A line that has been silent remembers its register less and less.
  const w = gap <= 0 ? 1 : Math.max(0.35, 1 - gap / 2);
  const d = Math.abs(n.midi - l.lastMidi);
  const leap = d > 12 ? (d - 12) * 0.5 : 0;
  let c = w * (d + leap + 0.25 * Math.abs(n.midi - l.avgMidi));
  if (l.overflow) c += o.overflow;
  if (l.staffKey !== staffKeyOf(n)) c += o.staffChange;
  else if (l.voiceKey !== voiceKeyOf(n) && (singleVoices.has(voiceKeyOf(n)) || singleVoices.has(l.voiceKey))) c += o.voiceChange;
  return c;
}

/** Puts a line's notes in onset order (a stable sort) where they are not. */
function sortByOnset(notes: DraftNote[]): void {
  for (let k = 1; k < notes.length; k++) {
    if (cmp(notes[k]!.onset, notes[k - 1]!.onset) < 0) {
      notes.sort((a, b) => cmp(a.onset, b.onset));
      return;
    }
  }
}

/** Lines top to bottom by mean pitch, renumbered from 1; doubling references follow. */
function finish(lines: readonly DraftLine[]): Line[] {
  const mean = (l: DraftLine): number => {
    let s = 0;
    let w = 0;
    for (const n of l.notes) {
      const d = toNumber(n.duration);
      s += d * midiOf(n.pitch);
      w += d;
    }
    return w ? s / w : 0;
  };
  const order = lines
    .filter((l) => l.notes.length > 0)
    .map((l) => ({ l, m: mean(l) }))
    .sort((a, b) => b.m - a.m || a.l.id - b.l.id);
  const index = new Map<number, number>();
  order.forEach(({ l }, i) => index.set(l.id, i + 1));
  return order.map(({ l }) => ({
    index: index.get(l.id)!,
    notes: l.notes.map((n) => {
      if (!n.shared) return n as LineNote;
      const shared = n.shared.map((id) => index.get(id)).filter((x): x is number => x !== undefined);
      return { ...n, shared };
    }),
  }));
}
