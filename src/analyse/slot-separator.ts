/**
 * Voice separation by slots: each staff gets a fixed set of lines, as many as its chords usually
 * hold, kept in register order. A slot that falls silent stays reserved for its voice and takes
 * the next note that comes back in its register; only a chord bigger than the slots opens an
 * extra (overflow) line.
 *
 * At each onset the staff's new notes go to its free slots by least cost: pitch distance to each
 * slot's last note (its register, the longer it has been silent), and a strong price on the
 * slots' order being broken (the k-th highest note to the k-th slot, as Explode does, unless
 * continuity says the voices crossed).
 */
import { add, cmp, differenceOf, type Fraction, frac, gt, le, sub } from "../model/fraction.js";
import { byOnset, type DraftNote, gridCost, groupByStaff, lineNoteOf, type SketchNote } from "./sketch-notes.js";

export interface SlotOptions {
  /** Cost of two slots sounding out of register order, in semitones. */
  readonly crossing?: number;
  /** Cost of a note going to an overflow line. */
  readonly overflow?: number;
  /** A slot that just played may double a new note (a unison) up to this distance. */
  readonly share?: number;
  /** Slots per staff: this share of the staff's onsets sound at most that many notes. */
  readonly percentile?: number;
  /** Cost of a lone note leaving the slot it continues in legato (see `continuing`), in semitones. */
  readonly handoff?: number;
  /** Readings of the staff kept at each onset, and choices tried per reading. */
  readonly beam?: number;
  readonly branch?: number;
}

const DEFAULTS: Required<SlotOptions> = { crossing: 14, overflow: 60, share: 5, handoff: 12, percentile: 0.75, beam: 4, branch: 4 };

/** A line as the separators build it: `id` orders nothing, it names the line in `shared`. */
export interface DraftLine {
  readonly id: number;
  readonly notes: DraftNote[];
}

/** A slot's state while the search runs; lines are built once the best path is known. */
interface Slot {
  /** Position in the staff, top down; overflow lines come after the slots. */
  readonly order: number;
  readonly overflow: boolean;
  last: number | undefined;
  /** Register: a running mean of the slot's pitches, seeded by where its rank sits in full chords. */
  avg: number;
  lastEnd: Fraction;
  /** The slot (index) sharing this slot's current note (a unison), while both hold it. */
  partner: number | undefined;
  /** This slot doubles its partner's note (the note is the partner's line's). */
  doubling: boolean;
  /** Its last note's onset. */
  lastOnset: Fraction | undefined;
}

/** Every slot has every field (one hidden class for V8, so that copies are quick). */
const newSlot = (order: number, overflow: boolean, avg: number, lastEnd: Fraction): Slot => ({ order, overflow, last: undefined, avg, lastEnd, partner: undefined, doubling: false, lastOnset: undefined });

const copySlot = (s: Slot): Slot => ({ order: s.order, overflow: s.overflow, last: s.last, avg: s.avg, lastEnd: s.lastEnd, partner: s.partner, doubling: s.doubling, lastOnset: s.lastOnset });

/** One way of reading the staff so far: its slots, its cost, and the choices that led there. */
interface Hypothesis {
  readonly slots: Slot[];
  readonly cost: number;
  readonly trail?: Trail;
}

interface Trail {
  readonly prev?: Trail;
  /** For each note of the chord, its slot; `slots.length` and beyond open overflow lines. */
  readonly to: readonly number[];
}

/** Lines under construction, for the path chosen. */
interface Sink {
  readonly notes: DraftNote[][];
  readonly base: number;
}

/**
 * Splits notes into lines by staff slots (see the module comment). Lines come back in creation
 * order; the caller sorts them.
 * @example separateBySlots(sketchNotes(reduceToPiano(quartet).sketch)).length // 4, or a few more for double stops
 */
export function separateBySlots(notes: readonly SketchNote[], options: SlotOptions = {}): DraftLine[] {
  const o = { ...DEFAULTS, ...options };
  const byStaff = groupByStaff(notes);
  const out: DraftLine[] = [];
  for (const list of byStaff.values()) {
    const chords = byOnset(list);
    const start: Slot[] = slotRegisters(list, o.percentile).map((avg, order) => newSlot(order, false, avg, { n: 0, d: 1 }));
    // Where a staff is mostly one line (a tune, an Alberti bass: the whole staff, or the onsets
    // around), a lone note in legato continues it; where nothing is held over the onsets around
    // (two hands' running figures), so do the notes struck together in legato (`continuing`).
    const sounding = soundingChords(list);
    // singles[i]: the onsets before the i-th at which one note alone sounds.
    const singles = [0];
    sounding.forEach((c, i) => singles.push(singles[i]! + (c.length === 1 ? 1 : 0)));
    // struck[i]: the onsets before the i-th at which every note sounding was struck then.
    const struck = [0];
    sounding.forEach((c, i) => struck.push(struck[i]! + (c.length === chords[i]!.length ? 1 : 0)));
    const whole = singles[sounding.length]! >= MOSTLY_ONE_LINE * chords.length;
    const alone = { ...o, handoff: 0 };
    const local = (i: number, counts: readonly number[], share: number): boolean => {
      const from = Math.max(0, i - LOCAL_ONSETS);
      const to = Math.min(sounding.length, i + LOCAL_ONSETS + 1);
      return counts[to]! - counts[from]! >= share * (to - from);
    };
    const around = (i: number): Required<SlotOptions> => (whole || local(i, singles, MOSTLY_ONE_LINE) ? o : alone);
    // Beam search: a choice that looks best now (a lone note to the upper slot) may be shown
    // wrong by the next onset (a voice entering above it while it is held).
    let beam: Hypothesis[] = [{ slots: start, cost: 0 }];
    for (const [ci, chord] of chords.entries()) {
      const t = chord[0]!.onset;
      const so = around(ci);
      const together = local(ci, struck, NOTHING_HELD) ? o.handoff : 0;
      const next = new Map<string, Hypothesis>();
      for (const h of beam) {
        for (const c of candidates(chord, h.slots, t, so, together)) {
          const cost = h.cost + c.cost;
          // Past the cost of the beam's last reading so far, no reading can enter it (costs come
          // cheapest first, so neither can the rest of this hypothesis's).
          if (next.size >= o.beam && cost > kthCost(next, o.beam)) break;
          const slots = h.slots.map(copySlot);
          apply(chord, slots, c.to, t, o);
          const key = stateKey(slots);
          const had = next.get(key);
          if (!had || cost < had.cost) next.set(key, { slots, cost, trail: { prev: h.trail, to: c.to } });
        }
      }
      beam = [...next.values()].sort((a, b) => a.cost - b.cost).slice(0, o.beam);
    }
    const trails: (readonly number[])[] = [];
    for (let tr = beam[0]!.trail; tr; tr = tr.prev) trails.push(tr.to);
    trails.reverse();
    const sink: Sink = { notes: start.map(() => []), base: out.length };
    const slots = start.map(copySlot);
    chords.forEach((chord, i) => apply(chord, slots, trails[i]!, chord[0]!.onset, o, sink));
    sink.notes.forEach((ns, i) => out.push({ id: sink.base + i, notes: ns }));
  }
  return out;
}

/** What the search tells readings apart by: each slot's last note, its end and its unison partner. */
function stateKey(slots: readonly Slot[]): string {
  let key = "";
  for (const s of slots) if (!s.overflow) key += `${key ? "," : ""}${s.last}/${s.lastEnd.n}/${s.lastEnd.d}/${s.partner ?? ""}`;
  return key;
}

/** The k-th lowest cost among the readings (there are at least k). */
function kthCost(readings: ReadonlyMap<string, Hypothesis>, k: number): number {
  const lowest: number[] = [];
  for (const { cost } of readings.values()) {
    if (lowest.length === k && cost >= lowest[k - 1]!) continue;
    lowest.splice(rankOf(lowest, cost, (c) => c), 0, cost);
    if (lowest.length > k) lowest.pop();
  }
  return lowest[k - 1]!;
}

interface Candidate {
  readonly to: number[];
  readonly cost: number;
}

/** The cheapest few ways to give one chord of a staff (high to low) to its slots; `together`: what notes struck together pay for leaving the lines they continue in legato. */
function candidates(chord: readonly SketchNote[], slots: readonly Slot[], t: Fraction, o: Required<SlotOptions>, together: number): Candidate[] {
  const holding = slots.map((s) => gt(s.lastEnd, t));
  const isFree = slots.map((s, j) => !holding[j] || releasable(slots, j, t));
  const n = chord.length;
  const legato = continuing(slots, t, n);
  const handoff = n === 1 ? o.handoff : together;
  // The chord's notes are struck together: what each slot pays for the grids is one price.
  const grids = slots.map((s) => (s.lastOnset === undefined ? 0 : gridCost(s.lastOnset, s.lastEnd, t)));
  const cost = chord.map((note) => slots.map((s, j) => pitchCost(note.midi, s, t) + (s.overflow ? o.overflow : 0) + (legato !== undefined && !legato.includes(j) ? handoff : 0) + grids[j]!));
  const newCost = o.overflow + 4;
  // The key sounding in each place of the staff's order (undefined: none), held notes first.
  const places = slots.reduce((m, s) => Math.max(m, s.order + 1), 0);
  const heldPitch = new Array<number | undefined>(places).fill(undefined);
  slots.forEach((s, j) => {
    if (!isFree[j] && !s.overflow) heldPitch[s.order] = s.last;
  });
  const now = new Array<number | undefined>(places);
  const orderCost = (to: readonly number[]): number => {
    for (let k = 0; k < places; k++) now[k] = heldPitch[k];
    for (let j = 0; j < slots.length; j++) {
      const s = slots[j]!;
      // A releasable slot left alone keeps holding its note.
      if (isFree[j] && holding[j] && !s.overflow && !to.includes(j)) now[s.order] = s.last;
    }
    for (let i = 0; i < to.length; i++) {
      const j = to[i]!;
      if (j < slots.length && !slots[j]!.overflow) now[slots[j]!.order] = chord[i]!.midi;
    }
    // A price for every pair sounding out of order (a lower place above a higher one).
    let c = 0;
    for (let a = 0; a < places; a++) {
      const high = now[a];
      if (high === undefined) continue;
      for (let b = a + 1; b < places; b++) if (high < now[b]!) c += o.crossing;
    }
    return c;
  };
  // For each note, the free slots in order of cost (ties in slot order, as a stable sort leaves them).
  const byCost = cost.map((row) => {
    const order: number[] = [];
    row.forEach((c, j) => {
      if (isFree[j]) order.splice(rankOf(order, c, (k) => row[k]!), 0, j);
    });
    return order;
  });
  const found: Candidate[] = [];
  const bound = (): number => (found.length < o.branch ? Infinity : found[found.length - 1]!.cost);
  // The least the notes from each one on can still cost (each its cheapest slot or a new one; the
  // order's price is never negative): a branch that cannot come under the bound is not walked.
  const rest = new Array<number>(n + 1).fill(0);
  for (let i = n - 1; i >= 0; i--) rest[i] = rest[i + 1]! + byCost[i]!.reduce((m, j) => Math.min(m, cost[i]![j]!), newCost);
  let budget = 20000;
  const to = new Array<number>(n).fill(0);
  const used = new Array<boolean>(slots.length).fill(false);
  const walk = (i: number, acc: number, opened: number): void => {
    if (acc + rest[i]! >= bound() || (budget-- <= 0 && found.length > 0)) return;
    if (i === n) {
      const total = acc + orderCost(to);
      if (total >= bound()) return;
      // Kept in order of cost, a new one after those that cost the same (as a stable sort would).
      found.splice(rankOf(found, total, (f) => f.cost), 0, { to: [...to], cost: total });
      if (found.length > o.branch) found.pop();
      return;
    }
    // The free slots, cheapest first (each level's order is made once: `used` changes only below).
    for (const j of byCost[i]!) {
      const s = slots[j]!;
      const p = s.partner;
      if (used[j] || (p !== undefined && used[p] && gt(s.lastEnd, t))) continue;
      const c = cost[i]![j]!;
      used[j] = true;
      to[i] = j;
      walk(i + 1, acc + c, opened);
      used[j] = false;
    }
    to[i] = slots.length + opened;
    walk(i + 1, acc + newCost, opened + 1);
  };
  walk(0, 0, 0);
  return found;
}

/** Where a value goes in a list kept in order of `key`: after every item whose key is not greater. */
function rankOf<T>(list: readonly T[], value: number, key: (item: T) => number): number {
  let k = list.length;
  while (k > 0 && key(list[k - 1]!) > value) k--;
  return k;
}

/**
 * The slots the notes struck at `t` continue: a lone note, the only one whose note ends as it is
 * struck (a slot that only doubled that note in unison does not count), nothing else sounding on
 * the staff. A tune that dips into the register of a silent inner voice is still the tune; a new
 * voice enters over a held note or after a rest, not in legato. So do several notes struck
 * together where as many quick notes (a 16th or shorter) end as they are struck and nothing else
 * sounds: two hands' running figures go on, each in its line (Bach's Prelude in C minor, BWV 847,
 * from a one-track MIDI file: the right hand's C5 that starts each half bar, a sixth over the
 * figure, stays in the figure, not in a line of its own that plays one 16th in eight).
 */
function continuing(slots: readonly Slot[], t: Fraction, n: number): number[] | undefined {
  if (slots.some((s) => gt(s.lastEnd, t))) return undefined;
  const ended = slots.flatMap((s, j) => (!s.overflow && !s.doubling && s.last !== undefined && cmp(s.lastEnd, t) === 0 ? [j] : []));
  if (ended.length !== n) return undefined;
  return n === 1 || ended.every((j) => le(sub(t, slots[j]!.lastOnset!), QUICK)) ? ended : undefined;
}

const releasable = (slots: readonly Slot[], j: number, t: Fraction): boolean => {
  const s = slots[j]!;
  if (!gt(s.lastEnd, t) || s.partner === undefined) return false;
  const p = slots[s.partner]!;
  return p.partner === j && cmp(p.lastEnd, s.lastEnd) === 0;
};

/** Plays one chord into the slots as chosen (and into the lines, on the final pass). */
function apply(chord: readonly SketchNote[], slots: Slot[], to: readonly number[], t: Fraction, o: Required<SlotOptions>, sink?: Sink): void {
  const taken = new Map<number, SketchNote>();
  const before = slots.length;
  chord.forEach((note, i) => {
    const j = to[i]!;
    while (slots.length <= j) {
      slots.push(newSlot(slots.length, true, note.midi, t));
      sink?.notes.push([]);
    }
    const s = slots[j]!;
    if (j < before && gt(s.lastEnd, t)) release(slots, j, t, sink);
    sink?.notes[j]!.push(lineNoteOf(note));
    advance(s, note);
    taken.set(j, note);
  });
  // Slots that were playing and got nothing may double a note near them: two voices in unison.
  slots.forEach((s, j) => {
    if (s.overflow || taken.has(j) || cmp(s.lastEnd, t) !== 0 || s.last === undefined) return;
    let owner = -1;
    let bd = o.share + 1e-9;
    for (const [k, note] of taken) {
      const w = slots[k]!;
      if (w.overflow || w.partner !== undefined) continue;
      const d = Math.abs(note.midi - s.last);
      // Only beside its owner in the staff's order, so no other voice lies between them.
      const between = slots.some((x, xi) => !x.overflow && xi !== j && xi !== k && (x.order - s.order) * (x.order - w.order) < 0 && (taken.has(xi) || gt(x.lastEnd, t)));
      if (d <= bd && !between) {
        bd = d;
        owner = k;
      }
    }
    if (owner < 0) return;
    const note = taken.get(owner)!;
    if (sink) {
      const ln = sink.notes[owner]![sink.notes[owner]!.length - 1]!;
      ln.shared = [...(ln.shared ?? []), sink.base + j];
    }
    advance(s, note);
    s.partner = owner;
    s.doubling = true;
    slots[owner]!.partner = j;
  });
}

/**
 * The distance from a note to a slot: to its last note while it has been playing, to its register
 * the longer it has been silent.
 */
function pitchCost(m: number, s: Slot, t: Fraction): number {
  if (s.last === undefined) return Math.abs(m - s.avg);
  const gap = Math.max(0, differenceOf(t, s.lastEnd));
  const a = Math.min(1, gap / 2);
  const d = Math.abs(m - s.last);
  const leap = d > 12 ? (d - 12) * 0.5 : 0;
  return (1 - a) * (d + leap) + a * Math.abs(m - s.avg) + 0.25 * Math.abs(m - s.avg);
}

/**
 * A slot leaves the unison it shares to play on. If it owns the note, the note passes to the
 * partner, which keeps holding it, and names this slot as sharing its start, unless the slot
 * leaves before a quarter of the note has sounded: then, whichever holds it, the note is the
 * partner's alone.
 */
function release(slots: Slot[], j: number, t: Fraction, sink?: Sink): void {
  const s = slots[j]!;
  const p = s.partner!;
  // Left before a quarter of the note has sounded, the unison was never its own: a voice that enters a
  // 16th after the bass note it met (Bach's Prelude in C, BWV 846, from a one-track MIDI file: the
  // tenor's E4 after the bass's C4) does not double that note for a 16th first.
  const brief = s.lastOnset !== undefined && 4 * differenceOf(t, s.lastOnset) < differenceOf(s.lastEnd, s.lastOnset);
  if (sink) {
    const mine = sink.notes[j]!;
    const last = mine[mine.length - 1];
    if (last && last.shared?.includes(sink.base + p)) {
      mine.pop();
      last.shared = [...last.shared.filter((id) => id !== sink.base + p), ...(brief ? [] : [sink.base + j])];
      sink.notes[p]!.push(last);
    } else if (brief) {
      const theirs = sink.notes[p]![sink.notes[p]!.length - 1];
      if (theirs?.shared) theirs.shared = theirs.shared.filter((id) => id !== sink.base + j);
    }
  }
  s.partner = undefined;
  slots[p]!.partner = undefined;
}

function advance(s: Slot, n: SketchNote): void {
  s.lastOnset = n.onset;
  s.partner = undefined;
  s.doubling = false;
  s.last = n.midi;
  s.avg = 0.8 * s.avg + 0.2 * n.midi;
  s.lastEnd = add(n.onset, n.duration);
}

/** The share of a staff's onsets at which one note alone sounds, for it to count as mostly one line. */
const MOSTLY_ONE_LINE = 0.6;
/** The share of the onsets around one at which nothing is held over, for notes struck together in legato to continue their lines. */
const NOTHING_HELD = 0.9;
/** The longest note that counts as running on (see `continuing`). */
const QUICK = frac(1, 16);
/** The onsets either side of one that say whether the staff is mostly one line there. */
const LOCAL_ONSETS = 8;

/** The key numbers sounding at each onset of a staff (struck then or still held), high to low. */
function soundingChords(notes: readonly SketchNote[]): number[][] {
  const chords: number[][] = [];
  const active: SketchNote[] = [];
  for (const g of byOnset(notes)) {
    const t = g[0]!.onset;
    for (let i = active.length - 1; i >= 0; i--) if (le(add(active[i]!.onset, active[i]!.duration), t)) active.splice(i, 1);
    active.push(...g);
    chords.push(active.map((n) => n.midi).sort((a, b) => b - a));
  }
  return chords;
}

/**
 * Where each slot of a staff sits: the mean pitch of the k-th highest note over the onsets that
 * sound exactly as many notes as the staff has slots. Their count: this percentile of the
 * number of notes sounding at the staff's onsets.
 */
function slotRegisters(notes: readonly SketchNote[], percentile: number): number[] {
  const chords = soundingChords(notes);
  if (chords.length === 0) return [];
  const counts = chords.map((c) => c.length).sort((a, b) => a - b);
  const k = Math.max(1, counts[Math.min(counts.length - 1, Math.floor(percentile * counts.length))]!);
  const sums = new Array<number>(k).fill(0);
  let full = 0;
  for (const c of chords) {
    if (c.length !== k) continue;
    full++;
    c.forEach((m, r) => (sums[r]! += m));
  }
  if (full === 0) {
    const mean = notes.reduce((a, n) => a + n.midi, 0) / notes.length;
    return sums.map((_, r) => mean + 6 * ((k - 1) / 2 - r));
  }
  return sums.map((s) => s / full);
}

