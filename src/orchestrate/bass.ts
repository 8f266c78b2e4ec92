/**
 * The bass is the bass: no part sounds below the sketch's lowest note of the moment except an
 * octave doubling of it. A note of another line that would (an inner line taken down an octave
 * to fit a part, a doubling an octave below a line that is not the bass) moves up by octaves
 * until it is above the bass or doubles it; one that cannot move up in its part's range is left
 * out if it only doubles or another part plays it too, and kept (and reported) if it is the only
 * place the note sounds.
 */
import type { LineNote } from "../analyse/types.js";
import { isPlayableDoubleStop } from "../instruments/index.js";
import { add, cmp, eq, frac, type Fraction, gt, lt, ltSum, max, sub } from "../model/fraction.js";
import { firstAtOrAfter, playsIn, spanKey } from "../model/search.js";
import { midiOf, nameOf } from "../model/pitch.js";
import { type Around, covered, everyIn, everyMeeting, isDerivedBass, mayOverlap, maySoundIn, NO_PART_FREE, overlaps, type PhraseWork, pieces, type Placement, playsNear, sameFixes, soundingMidi, type Span, SUSTAINED, twinSounds, without } from "./plan.js";
import type { Slot } from "./slots.js";
import { registerOrder } from "./assign.js";
import { FAMILY_RANK } from "./double.js";

/** A part whose instrument the database has double the bass (cello, bassoon, tuba…), not one of colour only. */
export function isBassInstrument(slot: Slot): boolean {
  return !!slot.instrument.orchestration?.doubles.includes("bass") && !slot.instrument.orchestration.decorative;
}

/**
 * The sketch's lowest note during a stretch of time (the lowest key number of any note sounding
 * in it); for an empty stretch (`from` equal to `to`), at that moment.
 */
export type LowestIn = (from: Fraction, to: Fraction) => number | undefined;

/** Whether a part plays a sketch note well at a sounding key number (its comfortable range, a register that makes the note's dynamic). */
export type PlaysWell = (slot: Slot, midi: number, n: LineNote) => boolean;

/**
 * Whether a placement plays the sketch's lowest note of a stretch itself (`bass`, a key number), at
 * the placement's own octave (not a note moved on its own): a bass line taken down whole is then
 * held against that note taken down with it.
 */
export function carriesLowest(p: Placement, span: Span, bass: number): boolean {
  return playsIn(p.notes, span.from, span.to, bass, (ok) => p.fixes.has(ok));
}

/**
 * A sketch's notes in order of onset, and where a search for those sounding at a time starts:
 * no note struck before the time less the longest note still sounds then.
 */
function byOnset(notes: readonly LineNote[]): { sorted: LineNote[]; ends: Fraction[]; startAt: (t: Fraction) => number } {
  const sorted = [...notes].sort((a, b) => cmp(a.onset, b.onset));
  const onsets = sorted.map((n) => n.onset);
  const longest = sorted.reduce<Fraction>((m, n) => (gt(n.duration, m) ? n.duration : m), { n: 0, d: 1 });
  return { sorted, ends: sorted.map((n) => add(n.onset, n.duration)), startAt: (t) => firstAtOrAfter(onsets, sub(t, longest)) };
}

/**
 * The lowest-note lookup for a sketch's notes (every line's, and the notes no line holds).
 * @example lowestIn(notes)(frac(0), frac(1, 4)) // 48: C3, the first beat's bass
 */
export function lowestIn(notes: readonly LineNote[]): LowestIn {
  const { sorted, ends, startAt } = byOnset(notes);
  // The stages ask about each half measure again and again (for every note in it): asked once.
  const known = new Map<string, number | undefined>();
  return (from, to) => {
    const key = spanKey(from, to);
    if (known.has(key)) return known.get(key);
    let low: number | undefined;
    const instant = !lt(from, to);
    for (let i = startAt(from); i < sorted.length && (lt(sorted[i]!.onset, to) || (instant && !gt(sorted[i]!.onset, from))); i++) {
      const n = sorted[i]!;
      if (!gt(ends[i]!, from)) continue;
      const m = midiOf(n.pitch);
      if (low === undefined || m < low) low = m;
    }
    known.set(key, low);
    return low;
  };
}

/**
 * The highest note of a sketch's notes that sounds with a note and lies below it: what a tune
 * taken down an octave must stay above.
 * @example highestBelow(notes)(tuneNote) // 62: the D4 of the left hand's chord under it
 */
export function highestBelow(notes: readonly LineNote[]): (n: LineNote) => number | undefined {
  const { sorted, startAt } = byOnset(notes);
  return (n) => {
    const midi = midiOf(n.pitch);
    let high: number | undefined;
    for (let i = startAt(n.onset); i < sorted.length && ltSum(sorted[i]!.onset, n.onset, n.duration); i++) {
      const o = sorted[i]!;
      const m = midiOf(o.pitch);
      if (o !== n && m < midi && (high === undefined || m > high) && overlaps(o, n)) high = m;
    }
    return high;
  };
}

/**
 * How low a note may sound in a stretch (a half measure) and still be above the bass: the
 * sketch's lowest note there (`low`), or, where every part that plays that note takes it down (a
 * tuba an octave under the lowest note of the left hand's chords, as it plays a bass by habit),
 * the highest octave it sounds at: the lines above may fill the octave the bass left. A cello at
 * pitch over a double bass an octave down keeps the floor at the cello's note.
 */
export function soundingFloor(work: PhraseWork, span: Span, low: number, moving?: Moving): number {
  let floor: number | undefined;
  for (const q of [...work.earlier, ...work.placements]) {
    everyIn(q, span.from, span.to, (ok) => {
      if (midiOf(q.notes[ok]!.pitch) === low) floor = Math.max(floor ?? -Infinity, soundingMidi(q, ok) + (moving?.(q, ok) ?? 0));
      return true;
    });
  }
  return Math.min(low, floor ?? low);
}

/** The semitones note `k` of a placement is about to move by (`soundingFloor` counts notes where they go). */
export type Moving = (q: Placement, k: number) => number;

/**
 * Moves up, or leaves out, the notes of a phrase's placements that sound below the bass (see the
 * file comment). The bass a note is held against is the lowest of its own time and of the half
 * measure it sounds in (`around`): a double bass an octave under a bass note must not be under
 * the next one of the same beat.
 */
export function guardBass(work: PhraseWork, lowest: LowestIn, around: Around): void {
  const { slots, report } = work;
  work.placements.forEach((p, i) => {
    const slot = slots[p.slot]!;
    const fixes = new Map(p.fixes);
    const drop = new Set<number>();
    // A line taken down as a whole (a bass figure an octave lower in the tuba, a tune alone, a
    // doubling of either an octave below) keeps its shape: where it plays the sketch's lowest note
    // itself, moved with it, its notes are held against that.
    const down = Math.min(0, p.shift);
    p.notes.forEach((n, k) => {
      const span = around(n.onset, add(n.onset, n.duration));
      const sketchBass = lowest(span.from, span.to);
      if (sketchBass === undefined) return;
      const bass = down < 0 && !fixes.has(k) && carriesLowest(p, span, sketchBass) ? sketchBass + down : soundingFloor(work, span, sketchBass);
      let semis = p.shift + (fixes.get(k) ?? 0);
      const sounding = (): number => midiOf(n.pitch) + semis;
      if (sounding() >= bass || (bass - sounding()) % 12 === 0) return;
      while (sounding() < bass && (bass - sounding()) % 12 !== 0 && sounding() + 12 <= slot.absolute.high) semis += 12;
      // A solo player's doubling moved up onto its twin's note doubles nothing: it goes.
      const ontoTwin = !p.principal && twinSounds(work, p, n, sounding());
      if ((sounding() >= bass || (bass - sounding()) % 12 === 0) && !ontoTwin) {
        fixes.set(k, semis - p.shift);
        return;
      }
      // A doubling goes; so does a line's note another part plays as well.
      const elsewhere = work.placements.some((q, qi) => qi !== i && q.notes.includes(n));
      if (!p.principal || elsewhere) drop.add(k);
      else report.leftOut.push({ measure: work.label(n.onset), pitch: nameOf(n.pitch), reason: `kept below the bass in ${slot.name}: no part can play it higher` });
    });
    // A doubling rests for the whole piece (between its line's joints) where it lost a note: it
    // drops out at a breath, not note by note.
    if (!p.principal && drop.size > 0) {
      for (const piece of pieces(p.notes).filter((ks) => ks.some((k) => drop.has(k)))) piece.forEach((k) => drop.add(k));
    }
    if (sameFixes(fixes, p.fixes) && drop.size === 0) return;
    work.placements[i] = without({ ...p, fixes }, drop);
  });
}

/**
 * Where the sketch's lowest note of a half measure is not the arrangement's lowest there (its
 * part took it up an octave to fit its range, or no part took it, or another part's note sounds
 * under it, or no bass instrument plays it), a bass instrument plays it, at pitch or an octave or
 * two below (the nearest at which it sounds under the other parts, in its comfortable range where
 * one of these is), until a lower note is struck: the
 * one that plays the phrase's bass line if it can, else the lowest. A bass
 * instrument busy with notes of another line hands them to a free part (or lets them go where
 * their pitch class sounds anyway) to take it, at an octave where that part plays them well
 * (`playsWell`: not a flute's low register at f) if one can; the bass line's own notes it keeps,
 * but one held on from before ends where the lower note is struck. `notes` are the phrase's
 * sketch notes; `around` widens a time to its half measure (the whole measure in a bar of one
 * beat, a 3/8). A note the phrase's report had left out is no longer (its entry goes): returns
 * how many of them the report's count of notes left out had counted (`NO_PART_FREE`).
 */
export function completeBass(work: PhraseWork, notes: readonly LineNote[], lowest: LowestIn, around: Around, playsWell: PlaysWell): number {
  const { slots } = work;
  const bassSlots = slots.filter(isBassInstrument);
  let placed = 0;
  if (bassSlots.length === 0) return placed;
  const bass = work.segments.find((s) => s.role === "bass");
  const bassLine = bass?.line;
  // The bass line's doublings as they stand: they double the notes given to the bass as well (`doubleCompleted`).
  const doublings = work.placements.filter((p) => !p.principal && p.line === bassLine);
  const given: Placement[] = [];
  const principal = work.placements.find((p) => p.principal && p.line === bassLine);
  const home = principal?.slot;
  const order = [...bassSlots].sort((a, b) => Number(b.index === home) - Number(a.index === home) || a.comfortable.low - b.comfortable.low);
  for (const whole of notes) {
    const midi = midiOf(whole.pitch);
    const half = around(whole.onset, whole.onset);
    if (lowest(whole.onset, whole.onset) !== midi || lowest(half.from, half.to) !== midi) continue;
    // It is the bass until a lower note is struck under it.
    const end = add(whole.onset, whole.duration);
    const under = notes.filter((o) => gt(o.onset, whole.onset) && lt(o.onset, end) && midiOf(o.pitch) < midi).reduce<Fraction | undefined>((u, o) => (!u || lt(o.onset, u) ? o.onset : u), undefined);
    const n = under ? { ...whole, duration: sub(under, whole.onset) } : whole;
    // Heard in every half measure it sounds through as the sketch's lowest note: a held bass note
    // under after-beat chords is not heard as the bass once its first stroke is over; a note tied
    // into a half measure where the sketch strikes a lower one after it is not its bass there.
    if (halvesOf(n, around).every((h) => lowest(h.from, h.to) !== midi || heardAsBass(work, n, h, bassSlots))) continue;
    // Held through, by the first bass part that can; else until the part's own line strikes its
    // next note, which no other part plays (the Polonaise op. 1 no. 2 for woodwind quintet, m. 15:
    // the bassoon's G3 for half the bar, then its line): heard as the bass where it is struck.
    // The part that plays it nearest the sketch's pitch first (after the bass line's own): the
    // lowest part may have to take a high bass note two octaves down (Schoenberg's op. 19 no. 2
    // for orchestra, mm. 2–3: the left hand's G4 F♯4 as the contrabassoon's G2 F♯2 at pp, where
    // the cellos play them at pitch). A part that sounds it under the others comes before one
    // that cannot, one that takes it down before one that takes it up; then strings, woodwinds,
    // brass.
    const octave = new Map(order.map((slot) => [slot, octaveOf(slot, n)]));
    const distance = (slot: Slot): number => {
      const at = octave.get(slot);
      return !at ? Infinity : (at.under ? 0 : 100) + Math.abs(at.shift) + (at.shift > 0 ? 1 : 0);
    };
    const near = [...order].sort((a, b) => Number(b.index === home) - Number(a.index === home) || distance(a) - distance(b) || FAMILY_RANK[a.instrument.family] - FAMILY_RANK[b.instrument.family]);
    if (near.some((slot) => bassIn(slot, n, octave.get(slot)))) continue;
    for (const slot of near) {
      const next = work.placements.filter((p) => p.slot === slot.index && p.voice === 1).flatMap((p) => p.notes).reduce<Fraction | undefined>((t, m) => (gt(m.onset, n.onset) && lt(m.onset, add(n.onset, n.duration)) && (!t || lt(m.onset, t)) ? m.onset : t), undefined);
      if (next && bassIn(slot, { ...n, duration: sub(next, n.onset) })) break;
    }
  }
  if (bass && principal) doubleCompleted(work, bass, principal.shift, doublings, given);
  return placed;

  /** Whether a bass part takes the bass note: at its octave (`octaveOf`, `at` where already found), as `takeBass` lets it. */
  function bassIn(slot: Slot, n: LineNote, at = octaveOf(slot, n)): boolean {
    const shift = at?.shift;
    if (shift === undefined || !takeBass(work, n, slot, shift, bassLine ?? 0, lowest, playsWell)) return false;
    given.push(work.placements[work.placements.length - 1]!);
    const measure = work.label(n.onset);
    const pitch = nameOf(n.pitch);
    work.report.filled.push({ part: slot.name, measure, pitch, reason: "the sketch's lowest note there, for the bass" });
    const was = work.report.leftOut.findIndex((l) => l.measure === measure && l.pitch === pitch);
    if (was >= 0) {
      if (work.report.leftOut[was]!.reason === NO_PART_FREE) placed++;
      work.report.leftOut.splice(was, 1);
    }
    return true;
  }

  /**
   * The octave at which a bass part would play the bass note (a shift in semitones), if any, and
   * whether it sounds under every other part's note with it there: the octave nearest the
   * sketch's at which it does (Der Lindenbaum for brass, m. 79: E2 under the trombone's B2 held
   * over from the chord, not E3), in the comfortable range, else the absolute; else the nearest in
   * range. A note below the part's range sounds an octave up, as the bass still (Clair de lune,
   * m. 19, from MIDI: the left hand's A♭1 as the cello's A♭2, not left to the viola's A♭3); so does
   * one below the part's comfortable range that the sketch strikes in octaves, where the part plays
   * nothing lower around it (Clair de lune, m. 15, from MIDI: the left hand's E♭1+E♭2 as the tuba's
   * E♭2, not its E♭1; but Debussy's Menuet, m. 38: the octaves' E1 F1 G1 stay a line, E1 first).
   */
  function octaveOf(slot: Slot, n: LineNote): { shift: number; under: boolean } | undefined {
    const midi = midiOf(n.pitch);
    const fits = (r: { low: number; high: number }) => (s: number): boolean => midi + s >= r.low && midi + s <= r.high;
    const under = (s: number): boolean => noneUnder([...work.earlier, ...work.placements], n, midi + s, (q) => q.slot === slot.index);
    const inOctaves = notes.some((o) => eq(o.onset, n.onset) && midiOf(o.pitch) === midi + 12);
    const from = sub(n.onset, HALF_NOTE);
    const to = add(add(n.onset, n.duration), HALF_NOTE);
    const lowerAround = work.placements.some((p) => p.slot === slot.index && p.notes.some((o, k) => lt(o.onset, to) && gt(add(o.onset, o.duration), from) && soundingMidi(p, k) < midi + 12 - 2));
    const octaves = midi < slot.absolute.low || (midi < slot.comfortable.low && inOctaves && !lowerAround) ? [0, -12, -24, 12] : [0, -12, -24];
    const comfortable = octaves.filter(fits(slot.comfortable));
    const absolute = octaves.filter(fits(slot.absolute));
    const found = comfortable.find(under) ?? absolute.find(under);
    if (found !== undefined) return { shift: found, under: true };
    const nearest = comfortable[0] ?? absolute[0];
    return nearest === undefined ? undefined : { shift: nearest, under: false };
  }
}

/** How far either side of a bass note a part's own notes count as around it. */
const HALF_NOTE = frac(1, 2);

/** The half measures a note sounds in, in order (a note held over several is checked in each). */
export function halvesOf(n: LineNote, around: Around): Span[] {
  const end = add(n.onset, n.duration);
  const out: Span[] = [];
  for (let t = n.onset; lt(t, end) && out.length < 64; ) {
    const h = around(t, t);
    if (!gt(h.to, t)) break;
    out.push(h);
    t = h.to;
  }
  return out.length ? out : [around(n.onset, n.onset)];
}

/**
 * Whether the arrangement's lowest note in the half measure of a sketch note is its pitch class,
 * at or below it (an octave doubling of the bass is the bass), and a bass instrument's lowest
 * note there is too: the bass is heard, and heard in the bass instruments.
 */
function heardAsBass(work: PhraseWork, n: LineNote, half: Span, bassSlots: readonly Slot[]): boolean {
  const midi = midiOf(n.pitch);
  const bassIndexes = new Set(bassSlots.map((s) => s.index));
  let low: number | undefined;
  let lowInBass: number | undefined;
  for (const p of [...work.earlier, ...work.placements]) {
    if (!maySoundIn(p, half.from, half.to)) continue;
    everyIn(p, half.from, half.to, (k) => {
      const s = soundingMidi(p, k);
      if (low === undefined || s < low) low = s;
      if (bassIndexes.has(p.slot) && (lowInBass === undefined || s < lowInBass)) lowInBass = s;
      return true;
    });
  }
  // An octave up is the bass too where the note lies below every bass part's comfortable range
  // (a G1 played as G2 by a woodwind quintet's bassoon; see comfort.ts).
  const floor = Math.min(...bassSlots.map((s) => s.comfortable.low));
  const isBass = (m: number | undefined): boolean => m !== undefined && m % 12 === midi % 12 && (m <= midi || (midi < floor && m - midi === 12));
  return isBass(low) && isBass(lowInBass);
}

/**
 * Whether a part takes the bass note `n` (at `shift`) as a second voice under the notes it strikes
 * with it (`hits`): it has two players or may divide, or stops both as double stops (the cello's
 * F♯3 under its A3: C. P. E. Bach's H. 186, m. 1), its second voice is free then and writes it,
 * and one of those notes is the sketch's that no other part plays well (the octave of `n` struck
 * with it is the bass itself, see `takeBass`).
 */
function divides(work: PhraseWork, slot: Slot, n: LineNote, shift: number, hits: readonly Hit[], others: readonly Placement[], playsWell: PlaysWell): boolean {
  if (hits.length === 0) return false;
  // A string player cannot stop a note with itself: its own shorter stroke of that note is that
  // note (see `takeBass`), not a second voice.
  const stops = (): boolean =>
    hits.every((h) => !(eq(h.m.onset, n.onset) && midiOf(h.m.pitch) === midiOf(n.pitch)) && isPlayableDoubleStop(slot.instrument, midiOf(n.pitch) + shift, soundingMidi(work.placements[h.i]!, h.k)));
  if (slot.capacity < 2 && !stops()) return false;
  const pc = midiOf(n.pitch) % 12;
  const well = (m: LineNote): boolean =>
    others.some((q) => q.notes.some((o, k) => eq(o.onset, m.onset) && soundingMidi(q, k) % 12 === midiOf(m.pitch) % 12 && playsWell(work.slots[q.slot]!, soundingMidi(q, k), o)));
  if (!hits.some(({ m }) => midiOf(m.pitch) > midiOf(n.pitch) && midiOf(m.pitch) % 12 !== pc && !well(m))) return false;
  const second = [...work.earlier, ...work.placements].filter((p) => p.slot === slot.index && p.voice === 2).flatMap((p) => p.notes);
  return !second.some((m) => overlaps(m, n)) && work.writable([...second, n], n);
}

/** A note a part strikes while the bass note sounds: placement and note index, the note, its line. */
interface Hit {
  readonly i: number;
  readonly k: number;
  readonly m: LineNote;
  readonly line: number;
}

/**
 * `slot` plays the bass note `n` at `shift`, if it is free then or can hand what it plays then
 * (this phrase's notes of other lines, and notes of the bass line struck above a lower note still
 * held, which are not the bass there) to another part or let it go, or, where nothing else sounds
 * the bass note's pitch class lowest, leave out a chord note struck with it (never the tune's);
 * false if it cannot.
 */
function takeBass(work: PhraseWork, n: LineNote, slot: Slot, shift: number, line: number, lowest: LowestIn, playsWell: PlaysWell): boolean {
  if (work.earlier.some((p) => p.slot === slot.index && p.voice === 1 && mayOverlap(p, n) && p.notes.some((m) => overlaps(m, n)))) return false;
  const struck = work.placements.flatMap((p, i) => (p.slot === slot.index && p.voice === 1 ? p.notes.flatMap((m, k) => (overlaps(m, n) ? [{ i, k, m, line: p.line }] : [])) : []));
  // A note of the bass line struck before and held on is the bass only until a lower one is
  // struck under it: it ends there, and the part plays the new bass note.
  const ofBassLine = (h: { line: number }): boolean => h.line === line || isDerivedBass(h.line);
  const tuneLine = work.segments.find((s) => s.role === "melody")?.line;
  // Whether the notes sounding where the bass note is struck have another pitch class lowest: no
  // part plays the bass there, the harmony inverted.
  const inverted = (): boolean => {
    let low = Infinity;
    for (const p of [...work.earlier, ...work.placements]) everyMeeting(p, { ...n, duration: frac(1, 64) }, (k) => ((low = Math.min(low, soundingMidi(p, k))), true));
    return low !== Infinity && (low - midiOf(n.pitch)) % 12 !== 0;
  };
  const cuts = struck.filter((h) => ofBassLine(h) && lt(h.m.onset, n.onset) && midiOf(h.m.pitch) > midiOf(n.pitch));
  const hits = struck.filter((h) => !cuts.includes(h));
  // The part's own stroke of the same note, shorter (a chord's bass under a held one): the held note takes its place.
  const unison = (m: LineNote): boolean => !lt(m.onset, n.onset) && !gt(m.onset, n.onset) && midiOf(m.pitch) === midiOf(n.pitch);
  // The bass line's own notes (and the harmonic bass made of them) stay where they are.
  if (hits.some((h) => !unison(h.m) && ofBassLine(h) && lowest(h.m.onset, h.m.onset) === midiOf(h.m.pitch))) return false;
  const others = [...work.earlier, ...work.placements].filter((p) => p.slot !== slot.index);
  // A part of two players or a divided section keeps a note no other part plays well and takes
  // the bass note under it as its second voice (two bassoons: 1. the line's G♯3, 2. the bass's
  // B2), rather than handing its note to another part or to a doubling out of its range.
  const cut = (m: LineNote): LineNote => ({ ...m, duration: sub(n.onset, m.onset) });
  // Held notes of the part that end where it strikes the bass note.
  const endAtBass = (held: readonly { i: number; k: number }[]): void => {
    for (const h of held) {
      const p = work.placements[h.i]!;
      work.placements[h.i] = { ...p, notes: p.notes.map((m, k) => (k === h.k ? cut(m) : m)) };
    }
  };
  if (divides(work, slot, n, shift, hits, others, playsWell)) {
    // The bass line's own notes held from before above it end where it strikes it, as below.
    endAtBass(cuts);
    work.placements.push({ phrase: work.phrase.index, slot: slot.index, line, notes: [n], shift, fixes: new Map(), principal: false, voice: 2 });
    return true;
  }
  // Where each note the bass part gives up goes: another part that is free and in range, or nowhere if its pitch class sounds anyway.
  const moves: { i: number; k: number; m: LineNote; to?: { slot: Slot; shift: number; voice?: 2 } }[] = [];
  // Held harmony notes other parts let go to take a note the bass part gives up.
  const yields: { i: number; k: number }[] = [];
  const letGo: { i: number; k: number; m: LineNote }[] = [];
  let stop: Slot | undefined;
  for (const { i, k, m } of hits) {
    if (unison(m)) {
      moves.push({ i, k, m });
      continue;
    }
    const p = work.placements[i]!;
    const pitch = soundingMidi(p, k);
    // Struck by another part with it, or (where no part is free to take it) still sounding there;
    // or the bass note's own octave, struck with it (the piano's B2 over its B1: the bass part's
    // B1 is that note, Lascia ch'io pianga for brass quintet, m. 10).
    if (covered(m, others) || (pitch % 12 === midiOf(n.pitch) % 12 && eq(m.onset, n.onset))) {
      moves.push({ i, k, m });
      continue;
    }
    // A part playing around it, at its pitch, first (the Polonaise op. 1/3 for woodwind quintet, m. 2:
    // the bassoon's A3 after-beats in the clarinet, not in the flute, the score's first part free, an octave up).
    const well = (s: Slot, sh: number): boolean => playsWell(s, pitch + sh, m);
    const to = freePart(work, m, pitch, slot.index, (s, sh) => sh === 0 && well(s, sh) && playsNear(others, s.index, [m]), false) ?? freePart(work, m, pitch, slot.index, well, true);
    let held: ReturnType<typeof heldOnly>;
    if (to) moves.push({ i, k, m, to: { slot: to.slot, shift: pitch - midiOf(m.pitch) + to.shift } });
    // Else a part that only holds harmony there (harmony.ts) lets it go to take the note.
    else if ((held = heldOnly(work, m, pitch, slot.index, (s, sh) => pitch + sh > midiOf(n.pitch) + shift && playsWell(s, pitch + sh, m)))) {
      moves.push({ i, k, m, to: { slot: held.slot, shift: pitch - midiOf(m.pitch) + held.shift } });
      for (const h of held.frees) yields.push(h);
    } else if (others.some((q) => q.notes.some((o, ok) => !lt(m.onset, o.onset) && lt(m.onset, add(o.onset, o.duration)) && soundingMidi(q, ok) % 12 === pitch % 12))) moves.push({ i, k, m });
    // Else a string part playing a note with it may stop it under that note (see `stopsUnder`).
    else if ((stop = stopsUnder(work, m, pitch, slot.index))) moves.push({ i, k, m, to: { slot: stop, shift: pitch - midiOf(m.pitch), voice: 2 } });
    // Else a note it holds from before, which no part can take, ends where it strikes the bass
    // (Haydn op. 74 no. 1, iv, m. 269, from a one-track MIDI file: the cello ends an inner G3 to
    // play the open C2 under the G2 it holds); a note struck with the bass keeps the part.
    else if (lt(m.onset, n.onset)) letGo.push({ i, k, m });
    // Else a chord note struck with the bass, which no other part sounds, gives way to it: the
    // harmony keeps its bass rather than its fifth (Der Lindenbaum for woodwind quintet, m. 36:
    // the bassoon's B2 under the sketch's E2 would have made a 6/4).
    else if (p.line !== tuneLine && inverted()) {
      moves.push({ i, k, m });
      work.report.leftOut.push({ measure: work.label(m.onset), pitch: nameOf(m.pitch), reason: "a bass part's chord note, given up for the bass note struck with it, which no other part was free to take" });
    } else return false;
  }
  const ends = (m: LineNote): boolean => cuts.some((h) => h.m === m) || letGo.some((h) => h.m === m);
  const mine = [...work.earlier, ...work.placements]
    .filter((p) => p.slot === slot.index && p.voice === 1)
    .flatMap((p) => p.notes)
    .filter((m) => ends(m) || !hits.some((h) => h.m === m))
    .map((m) => (ends(m) ? cut(m) : m));
  if (!work.writable([...mine, n], n)) return false;
  // A second voice the part plays with it (a string player's double stop) must still be playable
  // against the bass note (Clair de lune from MIDI, m. 19: no cello A♭2 under its B♭4); one held
  // from before, which it is not, ends where the bass note is struck (the Polonaise op. 1 no. 3,
  // m. 10: the cello's held F3 under the crossing D2).
  const clash = (p: Placement, k: number): boolean => !(slot.instrument.idioms.doubleStops && isPlayableDoubleStop(slot.instrument, midiOf(n.pitch) + shift, soundingMidi(p, k)));
  // The notes the part gives up (placement → note indices), and the held notes it ends at `n`.
  const drop = new Map<number, Set<number>>();
  const dropNote = (i: number, k: number): void => void drop.set(i, (drop.get(i) ?? new Set<number>()).add(k));
  const ended: { i: number; k: number }[] = [...cuts, ...letGo];
  for (const [i, p] of work.placements.entries()) {
    if (p.slot !== slot.index || p.voice !== 2 || !mayOverlap(p, n)) continue;
    for (const [k, m] of p.notes.entries()) {
      if (!overlaps(m, n) || !clash(p, k)) continue;
      if (lt(m.onset, n.onset)) ended.push({ i, k });
      // A second voice's note another part strikes too (the piano's octave of a tune) gives way.
      else if (!p.principal && covered(m, others)) dropNote(i, k);
      else return false;
    }
  }
  if (work.earlier.some((p) => p.slot === slot.index && p.voice === 2 && mayOverlap(p, n) && p.notes.some((m, k) => overlaps(m, n) && clash(p, k)))) return false;
  for (const h of yields) dropNote(h.i, h.k);
  for (const mv of moves) {
    dropNote(mv.i, mv.k);
    if (mv.to) work.placements.push({ phrase: work.phrase.index, slot: mv.to.slot.index, line: work.placements[mv.i]!.line, notes: [mv.m], shift: mv.to.shift, fixes: new Map(), principal: false, voice: mv.to.voice ?? 1 });
  }
  endAtBass(ended);
  for (const [i, set] of drop) work.placements[i] = without(work.placements[i]!, set);
  work.placements.push({ phrase: work.phrase.index, slot: slot.index, line, notes: [n], shift, fixes: new Map(), principal: false, voice: 1 });
  return true;
}

/**
 * The parts that double the phrase's bass line (`bass`, its principal part playing it `shift`
 * from the sketch) double, too, the notes `completeBass` gave a bass part (`given`): the sketch's
 * lowest notes where the line rests or lies above another (the Polonaise op. 1 no. 4 for
 * orchestra, m. 6: the left hand's D4, then D3, had gone to the bass clarinet alone, which plays
 * the phrase's bass line, while the cellos, basses and bassoons that double that line rested). Each at the octave it doubles the line at, where that is in the
 * part's comfortable range (no double bass two octaves under a high chord's lowest note: the
 * Schoenberg op. 19 no. 6, m. 1, the cellos' A4 alone), the part is free and can write it; only
 * notes an eighth long or longer (a left hand's turn in 24ths stays the one part's), and not the
 * part that plays the note itself. Not under a stride or a figure, whose bass the doublings already
 * play: there the lowest notes between its own are the chords' after-beats.
 */
function doubleCompleted(work: PhraseWork, bass: PhraseWork["segments"][number], shift: number, doublings: readonly Placement[], given: readonly Placement[]): void {
  // A stride's or a figure's bass (its held harmonic bass, or its bass notes under the chords'
  // after-beats) leaves the lowest notes between its own to the one part: they are the chords'.
  if (isDerivedBass(bass.line) || bass.strideNotes || bass.figureBass) return;
  for (const c of given) {
    const n = c.notes[0]!;
    if (lt(n.duration, frac(1, 8))) continue;
    for (const d of doublings) {
      const slot = work.slots[d.slot]!;
      if (d.slot === c.slot || !freeWhile(work, d.slot, [n])) continue;
      const m = midiOf(n.pitch) + c.shift + d.shift - shift;
      if (m < slot.comfortable.low || m > slot.comfortable.high) continue;
      work.placements.push({ phrase: work.phrase.index, slot: d.slot, line: c.line, notes: [n], shift: m - midiOf(n.pitch), fixes: new Map(), principal: false, voice: 1 });
    }
  }
}

/**
 * Whether a part (by index) plays nothing in its upper voice from the first of `notes` to the end
 * of the last, of this phrase or the ones before, and can write them there.
 */
export function freeWhile(work: PhraseWork, slot: number, notes: readonly LineNote[]): boolean {
  const from = notes[0]!.onset;
  const to = notes.reduce((e, n) => max(e, add(n.onset, n.duration)), from);
  const theirs = [...work.earlier, ...work.placements].filter((q) => q.slot === slot && q.voice === 1).flatMap((q) => q.notes);
  if (theirs.some((o) => lt(o.onset, to) && gt(add(o.onset, o.duration), from))) return false;
  return notes.every((n) => work.writable([...theirs, ...notes], n));
}

/**
 * A part other than `from` free to take sketch note `m`, which sounds at `pitch`: at that octave
 * or one either side (`shift`, from `pitch`) within its range, where none of its notes sounds with
 * it and its voice can write it; decorative parts (a glockenspiel) take none. The first that
 * `well` accepts, else (where `orAny`) the first free one.
 */
export function freePart(work: PhraseWork, m: LineNote, pitch: number, from: number, well: (slot: Slot, shift: number) => boolean, orAny: boolean): { slot: Slot; shift: number } | undefined {
  let first: { slot: Slot; shift: number } | undefined;
  for (const s of work.slots) {
    if (s.index === from || s.instrument.orchestration?.decorative) continue;
    const shifts = [0, 12, -12].filter((shift) => pitch + shift >= s.absolute.low && pitch + shift <= s.absolute.high);
    if (shifts.length === 0) continue;
    // Whether the part is free does not depend on the octave.
    if (!freeWhile(work, s.index, [m])) continue;
    for (const shift of shifts) {
      if (well(s, shift)) return { slot: s, shift };
      first ??= { slot: s, shift };
    }
  }
  return orAny ? first : undefined;
}

/**
 * A part other than `from` whose only notes while sketch note `m` sounds are held harmony (the
 * sustained chord notes of harmony.ts, an ornament of the scoring), which it lets go to take `m`
 * at `pitch` or an octave either side where `well` accepts it (over the bass note it gives way
 * to): the Polonaise op. 1 no. 2 for brass quintet, m. 11, the first trumpet's held F♯4 gives way
 * to the chords' A3, as A4 over the horn and trombone, so that the tuba holds the left hand's F♯3
 * under them. Its held notes there (`frees`), by placement and note.
 */
function heldOnly(work: PhraseWork, m: LineNote, pitch: number, from: number, well: (slot: Slot, shift: number) => boolean): { slot: Slot; shift: number; frees: { i: number; k: number }[] } | undefined {
  const rank = new Map(registerOrder(work.slots).map((s, r) => [s.index, r]));
  for (const s of work.slots) {
    if (s.index === from || s.instrument.orchestration?.decorative) continue;
    if (work.earlier.some((p) => p.slot === s.index && mayOverlap(p, m) && p.notes.some((o) => overlaps(o, m)))) continue;
    const over = work.placements.flatMap((p, i) => (p.slot === s.index ? p.notes.flatMap((o, k) => (overlaps(o, m) ? [{ i, k, line: p.line }] : [])) : []));
    if (over.length === 0 || !over.every((h) => h.line >= SUSTAINED)) continue;
    // Of the octaves it plays well, the one that crosses fewest parts sounding with it out of
    // their register order (the trumpet's A4 over the horn's D4 and the trombone's C4, not A3
    // under them), then the nearest.
    const crossed = (x: number): number =>
      work.placements.filter((q) => q.slot !== s.index && q.slot !== from).reduce((c, q) => c + q.notes.filter((o, k) => overlaps(o, m) && (rank.get(q.slot)! > rank.get(s.index)! ? soundingMidi(q, k) > x : soundingMidi(q, k) < x)).length, 0);
    const shift = [0, 12, -12]
      .filter((sh) => pitch + sh >= s.absolute.low && pitch + sh <= s.absolute.high && well(s, sh))
      .sort((a, b) => crossed(pitch + a) - crossed(pitch + b) || Math.abs(a) - Math.abs(b))[0];
    if (shift === undefined) continue;
    const keeps = work.placements.flatMap((p, i) => (p.slot === s.index && p.voice === 1 ? p.notes.filter((_, k) => !over.some((h) => h.i === i && h.k === k)) : []));
    if (!work.writable([...keeps, m], m)) continue;
    return { slot: s, shift, frees: over.map(({ i, k }) => ({ i, k })) };
  }
  return undefined;
}

/**
 * A string part other than `from` that strikes a note with sketch note `m` (which sounds at
 * `pitch`), above it and released with it, and can stop the two together as a double stop: it
 * takes `m` under its note, where its second voice is free (Schumann op. 41 no. 1, v, m. 10,
 * from a one-track MIDI file: the viola's C4 under its E4, as Schumann's viola has them, so that
 * the cello is free for the A2 under both). Of such parts, the one whose note is nearest above;
 * never the part that plays the tune.
 */
function stopsUnder(work: PhraseWork, m: LineNote, pitch: number, from: number): Slot | undefined {
  const tune = new Set(work.segments.filter((s) => s.role === "melody").map((s) => s.line));
  const end = add(m.onset, m.duration);
  let best: { slot: Slot; gap: number } | undefined;
  for (const s of work.slots) {
    if (s.index === from || !s.instrument.idioms.doubleStops) continue;
    const mine = [...work.earlier, ...work.placements].filter((q) => q.slot === s.index && mayOverlap(q, m));
    if (mine.some((q) => q.voice === 2 && q.notes.some((o) => overlaps(o, m)))) continue;
    const struck = mine.filter((q) => q.voice === 1).flatMap((q) => q.notes.flatMap((o, k) => (overlaps(o, m) ? [{ q, o, k }] : [])));
    // One note of its own, struck and released with `m`, above it, that it can stop with it.
    if (struck.length !== 1) continue;
    const { q, o, k } = struck[0]!;
    const above = soundingMidi(q, k);
    if (tune.has(q.line) || !eq(o.onset, m.onset) || !eq(add(o.onset, o.duration), end) || above <= pitch || !isPlayableDoubleStop(s.instrument, pitch, above)) continue;
    if (!best || above - pitch < best.gap) best = { slot: s, gap: above - pitch };
  }
  return best?.slot;
}

/**
 * Whether every note of `placements` sounding with sketch note `n` sounds at or above key number
 * `m`, but those of the placements `skip` names (the part that would play `n`).
 */
function noneUnder(placements: readonly Placement[], n: LineNote, m: number, skip: (q: Placement) => boolean): boolean {
  return placements.every((q) => skip(q) || !mayOverlap(q, n) || everyMeeting(q, n, (ok) => soundingMidi(q, ok) >= m));
}

/**
 * Once every phrase is placed: a bass instrument's note above its comfortable range that is the
 * arrangement's lowest while it sounds goes down an octave where it lies well there (a tuba's D4
 * where the right hand crosses under the left). It stays the lowest, so the bass is the same. Its
 * piece of line (between rests) goes with it where every note of the piece can; else the note
 * alone, except in a string section, which moves only whole pieces (see comfort.ts). A singer
 * keeps the sketch's register. A phrase's own stages cannot do it: the lower notes of the next
 * phrase's bass, which make the octave down safe, are not placed yet. `moved` takes the report's
 * line for each note.
 */
export function settleBass(placements: Placement[], slots: readonly Slot[], moved: (p: Placement, k: number) => void): void {
  placements.forEach((p, i) => {
    const slot = slots[p.slot]!;
    const family = slot.instrument.family;
    if (!isBassInstrument(slot) || family === "voice" || p.notes.every((_, k) => soundingMidi(p, k) <= slot.comfortable.high)) return;
    // Lowest while it sounds, and in the range an octave down.
    const fits = (k: number): boolean => {
      const m = soundingMidi(p, k);
      return m - 12 >= slot.comfortable.low && noneUnder(placements, p.notes[k]!, m, (q) => q === p);
    };
    const fixes = new Map(p.fixes);
    for (const piece of pieces(p.notes)) {
      const high = piece.filter((k) => soundingMidi(p, k) > slot.comfortable.high);
      if (high.length === 0) continue;
      const down = piece.every(fits) ? piece : family === "strings" ? [] : high.filter(fits);
      for (const k of down) {
        fixes.set(k, (fixes.get(k) ?? 0) - 12);
        moved(p, k);
      }
    }
    if (!sameFixes(fixes, p.fixes)) placements[i] = { ...p, fixes };
  });
}
