/**
 * Sustained harmony at forte: the horns, then the trumpets and trombones, hold the chord the
 * accompaniment repeats or breaks, the way an orchestrator binds a forte tutti (Rimsky-Korsakov's
 * "pedal" of the horns), instead of resting or tonguing a keyboard's quavers. In each stretch a
 * harmony lasts (`harmonyWindows`), a free part of the brass that doubles inner lines by habit
 * holds a note of the accompaniment sounding there, at the sketch's pitch or an octave from it,
 * in its comfortable range, between the bass and the tune (where the tune is silent, under the
 * sketch's top note: a held chord does not cover a run in octaves), moving as little as it can;
 * two such parts take two different notes. Nothing is invented: every held note is one the
 * accompaniment plays there, and not from a line that plays the tune in another octave. At mf in
 * a chamber ensemble, a part that would rest through the whole phrase holds the harmony the same
 * way (`holdInIdleParts`).
 */
import type { LineNote } from "../analyse/types.js";
import type { MeasureFrame } from "../model/build.js";
import { add, differenceOf, type Fraction, gt, lt, max, min, sub } from "../model/fraction.js";
import { midiOf, pitchClass, transpose } from "../model/pitch.js";
import { timeKey } from "../model/search.js";
import type { LowestIn } from "./bass.js";
import type { Segment } from "./costs.js";
import { muddy } from "./low-interval.js";
import { type Around, isSolo, type PhraseWork, type Placement, type Span, soundingMidi, SUSTAINED } from "./plan.js";
import { TupleSet } from "../util/keyed.js";
import type { Slot } from "./slots.js";
import { harmonyWindowsIn } from "./segments.js";

/** Adds held chord notes in the free horns and other brass of a forte phrase. */
export function sustainHarmony(work: PhraseWork, frames: readonly MeasureFrame[], lowest: LowestIn, around: Around): void {
  if (work.texture !== "f" || work.style === "plain") return;
  // Horns first, then the brass that play only at forte (trumpets, trombones), in score order.
  const holders = work.slots
    .filter((s) => s.instrument.family === "brass" && playsInner(s))
    .sort(forteOnlyLast);
  holdHarmony(work, frames, lowest, around, holders, `the accompaniment's harmony sustained at ${work.phrase.dynamic}`);
}

/**
 * Held chord notes at mf in a chamber ensemble's parts that would rest through the whole phrase
 * and play inner parts by habit (the viola of a string quartet over the cello's bass and under a
 * tune and the second violin's Alberti figure; the horn of a wind or brass quintet): a player of
 * four or five is not left out of a phrase the texture could give a part to. So does one the
 * database has double only at forte, an orchestra's habit (K. 545 for brass quintet, mm. 1–8: the
 * trombone had rested through them, playing only in m. 11). Under the tune as it is finally placed
 * (an octave lower where `lowerPhrase` took it down), so it comes after the stages that move it,
 * and after those that give a free part notes another plays poorly (`handOverPoorNotes`: the
 * Prelude in C, BWV 846, for brass quintet, m. 16, the second trumpet's F3s to the trombone).
 */
export function holdInIdleParts(work: PhraseWork, frames: readonly MeasureFrame[], lowest: LowestIn, around: Around): void {
  if (work.texture !== "mf" || work.style === "plain" || work.slots.length > CHAMBER || !work.slots.every(isSolo)) return;
  const { start, end } = work.phrase;
  const playing = [...work.earlier, ...work.placements];
  const idle = work.slots.filter((s) => playsInner(s) && !busyIn(playing, s.index, start, end)).sort(forteOnlyLast);
  holdHarmony(work, frames, lowest, around, idle, `the accompaniment's harmony sustained at ${work.phrase.dynamic}, where the part would rest through the phrase`, true);
}

/** Whether a note is struck short: staccato, staccatissimo or spiccato. */
const detached = (n: LineNote): boolean => n.marks?.articulations?.some((a) => DETACHED.has(a.name)) ?? false;

const DETACHED = new Set(["staccato", "staccatissimo", "spiccato"]);

/** The parts in score order, those the database has double only at forte after the others. */
const forteOnlyLast = (a: Slot, b: Slot): number => Number(a.instrument.orchestration?.forteOnly ?? false) - Number(b.instrument.orchestration?.forteOnly ?? false) || a.index - b.index;

const playsInner = (s: Slot): boolean => s.instrument.orchestration?.doubles.includes("inner") ?? false;

/** Whether a part plays a note of `playing` (the phrase's, and those held into it) between `from` and `to`. */
function busyIn(playing: readonly Placement[], slot: number, from: Fraction, to: Fraction): boolean {
  return playing.some((p) => p.slot === slot && p.notes.some((n) => lt(n.onset, to) && gt(add(n.onset, n.duration), from)));
}

/** Whether most of a line's notes (two at least) are struck with a note of the tune of their pitch class: the tune in another octave. */
function inOctaves(notes: readonly LineNote[], tune: readonly LineNote[]): boolean {
  const struckAt = (n: LineNote): [time: string, pc: number] => [timeKey(n.onset), pitchClass(midiOf(n.pitch))];
  const struck = new TupleSet(tune.map(struckAt));
  const together = notes.filter((n) => struck.has(struckAt(n))).length;
  return together >= 2 && together * 2 > notes.length;
}

/** The most parts a chamber ensemble has (a wind or brass quintet, a sextet). */
const CHAMBER = 6;

/** Each holder, where it is free, holds a note of the accompaniment in each harmony window (see the file comment); `placed`: under the tune's notes as its parts play them. */
function holdHarmony(work: PhraseWork, frames: readonly MeasureFrame[], lowest: LowestIn, around: Around, holders: readonly Slot[], reason: string, placed = false): void {
  const melody = work.segments.find((s) => s.role === "melody");
  const bass = work.segments.find((s) => s.role === "bass");
  const harmony = work.segments.filter((s) => s !== melody && s !== bass && s.role !== "pedal");
  if (harmony.length === 0 || holders.length === 0) return;
  const { start, end } = work.phrase;
  // A part holds notes where it plays nothing else (the notes held are added after).
  const playing = [...work.earlier, ...work.placements];
  // The tune as its parts play it (moved by an octave or not).
  const tunePlayed = placed && melody ? work.placements.filter((p) => p.principal && p.line === melody.line) : [];
  const windows = harmonyWindowsIn(frames, start, end);
  const lines: LineNote[][] = holders.map(() => []);
  const last: (number | undefined)[] = holders.map(() => undefined);
  for (const w of windows) {
    const from = max(w.start, start);
    const to = min(w.end, end);
    const sounding = (seg: Segment | undefined): LineNote[] => (seg?.notes ?? []).filter((n) => lt(n.onset, to) && gt(add(n.onset, n.duration), from));
    // Not a line that plays the tune in another octave there (Elite Syncopations, mm. 1–2: the
    // right hand's run in octaves; held, its lower octave's notes would be a slow echo of the run).
    const tune = sounding(melody);
    const pool = harmony.flatMap((g) => {
      const notes = sounding(g);
      return inOctaves(notes, tune) ? [] : notes;
    });
    // A part that would rest holds no note over detached chords (The Wild Horseman for brass
    // quintet, mm. 1–8: the left hand's staccato chords; a note held under them slows the gallop).
    if (pool.length === 0 || (placed && pool.filter(detached).length * 2 > pool.length)) continue;
    // Between the bass and the tune there: above every note of the bass line, and above the
    // sketch's lowest note of the half measures around (see `guardBass`); and not under the
    // sketch's lowest note of any half measure it is held through.
    const halves = around(from, to);
    const under = [lowest(halves.from, halves.to) ?? -Infinity, ...sounding(bass).map((n) => midiOf(n.pitch))];
    const floor = Math.max(-Infinity, ...under);
    const through = floorThrough(lowest, around, from, to, (half) => heldUnder(work, half));
    // Nor in mud over them (the low interval limits: Clementi op. 36 no. 3 for orchestra, m. 47,
    // the horns' C3 held a fourth over the bass's G2).
    const clear = (m: number): boolean => under.every((b) => !muddy(b, m));
    // Under the tune; where the tune is silent in the stretch, under whatever the sketch has on top.
    const played = tunePlayed.flatMap((p) => p.notes.flatMap((n, k) => (lt(n.onset, to) && gt(add(n.onset, n.duration), from) ? [soundingMidi(p, k)] : [])));
    const ceiling = tune.length ? Math.min(...tune.map((n) => midiOf(n.pitch)), ...played) : textureTop(work.segments.flatMap(sounding), from);
    // The accompaniment's notes by how long they sound in the stretch, longest first.
    const weight = new Map<number, { n: LineNote; w: number }>();
    for (const n of pool) {
      const m = midiOf(n.pitch);
      const w0 = weight.get(m);
      const heard = differenceOf(min(add(n.onset, n.duration), to), max(n.onset, from));
      weight.set(m, { n: w0?.n ?? n, w: (w0?.w ?? 0) + heard });
    }
    const taken = new Set<number>();
    holders.forEach((slot, k) => {
      if (busyIn(playing, slot.index, from, to)) return;
      const options = [...weight.values()].flatMap(({ n, w }) =>
        [0, 12, -12]
          .map((shift) => ({ n, w, shift, m: midiOf(n.pitch) + shift }))
          .filter((o) => o.m >= slot.comfortable.low && o.m <= slot.comfortable.high && o.m > floor && o.m >= through && o.m < ceiling && clear(o.m) && !taken.has(pitchClass(o.m))),
      );
      const prev = last[k];
      const best = options.sort((a, b) => (prev === undefined ? 0 : Math.abs(a.m - prev) - Math.abs(b.m - prev)) || b.w - a.w || Math.abs(a.shift) - Math.abs(b.shift) || b.m - a.m)[0];
      if (!best) return;
      taken.add(pitchClass(best.m));
      last[k] = best.m;
      const line = lines[k]!;
      const held = line[line.length - 1];
      if (held && midiOf(held.pitch) === best.m && !lt(add(held.onset, held.duration), from)) {
        line[line.length - 1] = { ...held, duration: sub(to, held.onset) };
      } else {
        line.push({ onset: from, duration: sub(to, from), pitch: best.shift ? transpose(best.n.pitch, (best.shift / 12) * 7, best.shift) : best.n.pitch, source: best.n.source });
      }
    });
  }
  holders.forEach((slot, k) => {
    const notes = lines[k]!;
    if (notes.length < 2) return;
    work.placements.push({ phrase: work.phrase.index, slot: slot.index, line: SUSTAINED + k, notes, shift: 0, fixes: new Map(), principal: false, voice: 1 });
    work.report.doublings.push({ line: SUSTAINED + k, part: slot.name, interval: "held", reason });
  });
}

/**
 * The highest of the sketch's lowest notes of the half measures a stretch spans, where no part
 * holds a note under it through the half already: a note held through them all stays over each
 * (the Polonaise op. 1 no. 1 for brass quintet, m. 32: the first trumpet's G3, held through the bar
 * from the downbeat's chord over the left hand's E♭3, had sounded under the right hand's E♭4
 * octaves once the left hand and the tuba stopped, an E♭ chord inverted), unless the bass is held
 * under it (the same piece for orchestra, m. 6: the bassoons and basses hold the left hand's E♭
 * through the bar, and the horns' E♭4 and G4 with them, under the chords the left hand leaps up to).
 */
function floorThrough(lowest: LowestIn, around: Around, from: Fraction, to: Fraction, held: (half: Span) => number): number {
  let floor = -Infinity;
  for (let t = from; lt(t, to); ) {
    const half = around(t, t);
    const low = lowest(half.from, half.to) ?? -Infinity;
    if (held(half) > low) floor = Math.max(floor, low);
    if (!gt(half.to, t)) break;
    t = half.to;
  }
  return floor;
}

/** The lowest note a part of the phrase holds through the whole of a stretch (Infinity if none). */
function heldUnder(work: PhraseWork, span: Span): number {
  let low = Infinity;
  for (const p of [...work.earlier, ...work.placements]) {
    p.notes.forEach((n, k) => {
      if (!gt(n.onset, span.from) && !lt(add(n.onset, n.duration), span.to)) low = Math.min(low, soundingMidi(p, k));
    });
  }
  return low;
}

/**
 * The lowest the sketch's top note goes in a stretch (`notes`, those sounding there; `from`, its
 * start), for held notes to stay under where the phrase's tune is silent (The Entertainer for
 * brass quintet, mm. 2–3: the first trumpet and the horn had held E5 G5 and C5 B4 over the opening
 * run in octaves, which the second trumpet played from D5 down). Infinity where nothing sounds.
 */
function textureTop(notes: readonly LineNote[], from: Fraction): number {
  let low = Infinity;
  for (const t of [from, ...notes.map((n) => n.onset).filter((o) => gt(o, from))]) {
    let top = -Infinity;
    for (const n of notes) if (!gt(n.onset, t) && gt(add(n.onset, n.duration), t)) top = Math.max(top, midiOf(n.pitch));
    if (top > -Infinity) low = Math.min(low, top);
  }
  return low;
}
