/**
 * The notes no principal part took: lines the assignment left without a part, and notes the
 * analysis gave no line. Every note whose pitch class does not already sound at its onset is
 * kept, in a part that is free at that moment (one that plays it within its comfortable range
 * where one can), or by making room for it (another part takes over
 * what a part was playing, a doubled chord note gives way, a held note is let go early). One
 * whose pitch class sounds anyway is left out where the only part free would play it outside its
 * comfortable range, enter for it alone, or leap more than an octave from its own notes to it
 * (The Entertainer for piano trio, m. 14: the cello on the bass's E2, then the right hand's D5).
 */
import type { LineNote } from "../analyse/types.js";
import { isPlayableDoubleStop } from "../instruments/index.js";
import { add, cmp, type Fraction, frac, gt, lt, sub } from "../model/fraction.js";
import { midiOf, nameOf, pitchClass } from "../model/pitch.js";
import { PRINCIPAL_BIAS } from "./costs.js";
import { covered, everyMeeting, isDerivedBass, isSolo, NO_PART_FREE, overlaps, type PhraseReportDraft, type PhraseWork, type Placement, soundingMidi } from "./plan.js";
import { mayBecome, type Writable } from "./rhythm.js";
import type { Slot } from "./slots.js";

/** A note the fill gave a part of its own accord (no other part moved for it), and its report line. */
export interface Filled {
  readonly placement: Placement;
  readonly entry: PhraseReportDraft["filled"][number];
}

/**
 * Places the loose notes of a phrase: each line's notes (line 0 for notes of no line) in turn.
 * Returns how many notes found no part, and the notes given to a part that was free for them.
 * `plain`: only where a part is free for a note (or it goes, its pitch class sounding anyway),
 * no part making room for it; a note that would need that is neither placed nor reported, and
 * counted in `unplaced`.
 */
export function fillLoose(work: PhraseWork, loose: readonly { readonly line: number; readonly notes: readonly LineNote[] }[], plain = false): { leftOut: number; placed: Filled[]; unplaced: number } {
  const { phrase, slots, report, earlier } = work;
  // The outer lines, and the side each sounds on: the bass lowest, a tune on top highest.
  const outer = new Map<number, 1 | -1>(work.segments.filter((g) => g.role === "bass").map((g) => [g.line, -1]));
  const top = work.segments[0];
  if (top?.role === "melody") outer.set(top.line, 1);
  const phrasePlacements = work.placements;
  let leftOut = 0;
  const placed: Filled[] = [];
  let unplaced = 0;
  let moved: string | undefined;
  for (const { line, notes } of loose) {
    for (const n of notes) {
      const all = [...earlier, ...phrasePlacements];
      // At its own pitch where a part is free (a double stop on a string instrument counts);
      // otherwise, if its pitch class sounds anyway, it may go; otherwise at another octave.
      let home = fillSlot(n, line, slots, all, [0], work.writable, outer);
      // The piano's octave outside its bass (or its tune), which a cello (a first violin) would
      // have played as a double stop, is that line itself: its part plays the note at this octave
      // instead, once.
      if (home && home.voice === 2 && home.shift === 0 && !home.strained && toOuterOctave(n, home.slot, outer, phrasePlacements)) {
        report.filled.push({ part: home.slot.name, measure: work.label(n.onset), pitch: nameOf(n.pitch), reason: "the part plays its outer line's note at this octave instead of both" });
        continue;
      }
      // The piano's octave under (or over) its tune, struck and held with the tune's note, which a
      // part already plays: a second voice in a part with a line of its own only for that doubling
      // makes the part two voices where the tune is whole without it (the Maple Leaf Rag's E♭4
      // under the E♭5 of the first violin, in the second violin's after-beats).
      if (home?.voice === 2 && tuneOctave(n, outer, phrasePlacements)) {
        report.leftOut.push({ measure: work.label(n.onset), pitch: nameOf(n.pitch), reason: "the piano's octave of the tune's note, which another part plays" });
        continue;
      }
      // Nor does a solo player take a note's octave as a second voice to its own note struck
      // with it, or the note itself again: an octave double stop is the keyboard's weight, not a
      // line (Der Lindenbaum for string quartet, mm. 24, 36–40: the piano's octaves in 32nds had
      // been the viola's B3+B4 C♯4+C♯5). It goes: its pitch class sounds in that very part. So
      // with a note for its free first voice where its second already strikes the octave (m. 20:
      // the right hand's turn filled in as the viola's second voice, then the left hand's).
      if (home && isSolo(home.slot) && selfOctave(n, home.slot, home.shift, phrasePlacements, home.voice === 2 ? 1 : 2)) {
        report.leftOut.push({ measure: work.label(n.onset), pitch: nameOf(n.pitch), reason: "the part already strikes it, or its octave, with it" });
        continue;
      }
      // A solo player does not fill in a note its twin (a part of the same instrument) already
      // plays at that pitch, struck with it: a line that shares the tune's notes in unison (the
      // separator's two lines meeting on them: a rag's right hand running on alone after a chord)
      // would have the second violin play the first's run with it, a wasted player.
      const twin = home?.slot;
      if (twin && isSolo(twin) && heard(n, phrasePlacements.filter((p) => p.slot !== twin.index && slots[p.slot]!.instrument.id === twin.instrument.id))) continue;
      // A note whose pitch class sounds anyway is not worth a part's strain: an arranger leaves
      // out a doubled chord note that only a horn above its comfortable range could play.
      // So is one that would bring in a silent wind for that note alone.
      const alone = (): boolean => !notes.some((m) => m !== n && lt(sub(m.onset, frac(1)), n.onset) && lt(n.onset, add(m.onset, frac(1))));
      // Nor does a tune's part fill a short rest of its tune (a singer's breath) with it.
      const breath = home?.voice === 1 && inTuneRest(n, home.slot, phrasePlacements, outer);
      if ((!home || home.strained || home.leaps || breath || (home.enters && alone())) && covered(n, phrasePlacements)) {
        const why = !home
          ? ""
          : breath
            ? ", and the only part free was the tune's, in a breath of the tune"
            : home.strained
              ? ", and only a part outside its comfortable range was free"
              : home.leaps
                ? ", and the only part free would leap more than an octave from its own notes to it"
                : ", and only a wind or brass part resting there would have come in for it";
        report.leftOut.push({ measure: work.label(n.onset), pitch: nameOf(n.pitch), reason: `its pitch class already sounds at that moment in another part${why}` });
        continue;
      }
      home ??= fillSlot(n, line, slots, all, [12, -12, 24, -24], work.writable, outer);
      if (home) {
        const placement: Placement = { phrase: phrase.index, slot: home.slot.index, line, notes: [n], shift: home.shift, fixes: new Map(), principal: false, voice: home.voice };
        const entry = { part: home.slot.name, measure: work.label(n.onset), pitch: nameOf(n.pitch), reason: line ? `line ${line} had no part of its own` : "the analysis gave it no line" };
        phrasePlacements.push(placement);
        report.filled.push(entry);
        placed.push({ placement, entry });
      } else if (plain) {
        unplaced++;
      } else if ((moved = makeRoom(n, line, phrase.index, slots, earlier, phrasePlacements, work.writable))) {
        report.filled.push({ part: moved, measure: work.label(n.onset), pitch: nameOf(n.pitch), reason: "another part took over what this part was playing" });
      } else if ((moved = takeOver(n, line, phrase.index, slots, phrasePlacements, work.writable, outer))) {
        report.filled.push({ part: moved, measure: work.label(n.onset), pitch: nameOf(n.pitch), reason: "took the place of a doubled chord note struck with it" });
      } else if ((moved = cutShort(n, line, phrase.index, slots, [earlier, phrasePlacements], work.writable, outer))) {
        report.filled.push({ part: moved, measure: work.label(n.onset), pitch: nameOf(n.pitch), reason: "the part ends a held note early to play it" });
      } else {
        leftOut++;
        report.leftOut.push({ measure: work.label(n.onset), pitch: nameOf(n.pitch), reason: NO_PART_FREE });
      }
    }
  }
  return { leftOut, placed, unplaced };
}

/**
 * The notes of outer lines (`outer`: line → side) the part's first voice strikes with `n` an octave
 * or more from key number `m`: where each is (placement, note), how far `m` lies from it (`by`,
 * in semitones) and how far outside it (`out`; negative: inside, under a tune or over a bass).
 */
function outerOctaves(n: LineNote, m: number, slot: Slot, outer: ReadonlyMap<number, 1 | -1>, placements: readonly Placement[]): { i: number; k: number; by: number; out: number }[] {
  return placements.flatMap((p, i) => {
    const side = outer.get(p.line);
    if (p.slot !== slot.index || p.voice !== 1 || side === undefined) return [];
    return p.notes.flatMap((o, k) => {
      const by = m - soundingMidi(p, k);
      return cmp(o.onset, n.onset) === 0 && by !== 0 && by % 12 === 0 ? [{ i, k, by, out: by * side }] : [];
    });
  });
}

/**
 * Where the part's first voice strikes a note of an outer line an octave or two inside `n` with
 * it, for as long: that note moves out to `n`'s pitch (in place). True when it did.
 */
function toOuterOctave(n: LineNote, slot: Slot, outer: ReadonlyMap<number, 1 | -1>, placements: Placement[]): boolean {
  const hit = outerOctaves(n, midiOf(n.pitch), slot, outer, placements).find(({ i, k, out }) => out > 0 && cmp(placements[i]!.notes[k]!.duration, n.duration) === 0);
  if (!hit) return false;
  const p = placements[hit.i]!;
  placements[hit.i] = { ...p, fixes: new Map(p.fixes).set(hit.k, (p.fixes.get(hit.k) ?? 0) + hit.by) };
  return true;
}

/** Whether a part plays the tune's note an octave or more from `n`, struck with it and as long. */
function tuneOctave(n: LineNote, outer: ReadonlyMap<number, 1 | -1>, placements: readonly Placement[]): boolean {
  const m = midiOf(n.pitch);
  return placements.some((p) => p.principal && outer.get(p.line) === 1 && p.notes.some((o) => cmp(o.onset, n.onset) === 0 && cmp(o.duration, n.duration) === 0 && midiOf(o.pitch) !== m && (midiOf(o.pitch) - m) % 12 === 0));
}

/**
 * Where the part's first voice plays the tune (a principal placement of the top line), the key
 * numbers of its notes that sound with `n` but are not struck with it: a solo player (a quartet's
 * first violin) holds a tune note over a moving second voice, or moves the tune over a held one,
 * only with that voice under it (Der Lindenbaum for string quartet, mm. 74–75: the piano's
 * triplets rising to G♯5 over the voice's held B4 had been the first violin's second voice).
 * Notes struck together are a double stop, the tune's sixths or octaves above it as well.
 */
function tuneAgainst(n: LineNote, slot: Slot, placements: readonly Placement[], outer: ReadonlyMap<number, 1 | -1>): number[] {
  const across = (m: LineNote): boolean => overlaps(m, n) && cmp(m.onset, n.onset) !== 0;
  return placements.flatMap((p) => (playsTune(p, slot, outer) ? p.notes.flatMap((m, k) => (across(m) ? [soundingMidi(p, k)] : [])) : []));
}

/** Whether a placement is the part's first voice playing the tune (a principal placement of the top line). */
const playsTune = (p: Placement, slot: Slot, outer: ReadonlyMap<number, 1 | -1>): boolean => p.slot === slot.index && p.voice === 1 && p.principal && outer.get(p.line) === 1;

/** The longest rest inside a tune that is still a breath in it, not a stretch without it. */
const BREATH = frac(1, 2);

/** Whether `n` falls in a rest of a tune the part plays (a principal placement of the top line) no longer than `BREATH`. */
function inTuneRest(n: LineNote, slot: Slot, placements: readonly Placement[], outer: ReadonlyMap<number, 1 | -1>): boolean {
  const end = add(n.onset, n.duration);
  return placements.some((p) => {
    if (!playsTune(p, slot, outer)) return false;
    const before = p.notes.filter((m) => !gt(add(m.onset, m.duration), n.onset)).at(-1);
    const after = p.notes.find((m) => !lt(m.onset, end));
    return !!before && !!after && !gt(sub(after.onset, add(before.onset, before.duration)), BREATH);
  });
}

/**
 * Whether the part's other voice (`voice`) strikes `n` (at `shift`) with it an octave or more
 * away, or at the same pitch for as long (the same note twice). A unison held longer is kept: the
 * polonaise's bass held under its own first stroke.
 */
function selfOctave(n: LineNote, slot: Slot, shift: number, placements: readonly Placement[], voice: 1 | 2): boolean {
  const m = midiOf(n.pitch) + shift;
  const doubles = (o: LineNote, at: number): boolean => (at - m) % 12 === 0 && (at !== m || cmp(o.duration, n.duration) === 0);
  return placements.some((p) => p.slot === slot.index && p.voice === voice && p.notes.some((o, k) => cmp(o.onset, n.onset) === 0 && doubles(o, soundingMidi(p, k))));
}

/** The notes one voice of a part plays in the placements given. */
function voiceNotes(lists: readonly (readonly Placement[])[], slot: number, voice: 1 | 2): LineNote[] {
  return lists.flatMap((l) => l.filter((p) => p.slot === slot && p.voice === voice).flatMap((p) => p.notes));
}

/** Whether one of `placements` plays the sketch's pitch of `n` at its onset. */
function heard(n: LineNote, placements: readonly Placement[]): boolean {
  const m = midiOf(n.pitch);
  return placements.some((p) => p.notes.some((o, k) => cmp(o.onset, n.onset) === 0 && midiOf(o.pitch) === m && soundingMidi(p, k) === m));
}

/**
 * Where every part that could play a note is busy: a part striking, at the same moment, a pitch
 * class another part also strikes gives up that doubled note and plays this one instead (at the
 * octave nearest to it); never a note of the bass (the lines `outer` puts at -1), in whatever
 * part, which would change the harmony's lowest note (the Polonaise op. 1 no. 3 for woodwind
 * quintet, m. 32: the bassoon's D4 had given way to the right hand's G4); nor where the note would
 * sound over every other note then while the sketch has one over it (`newTop`); nor a note of
 * the tune (the lines `outer` puts at 1), which stays whole (The Entertainer for woodwind
 * quintet, m. 26: the flute had given up the tune's F5, whose pitch class the horn's F4 sounded,
 * for the left hand's C4 as C5, and come back to the tune an octave lower). Changes
 * `placements` in place; true when it found one.
 */
function takeOver(n: LineNote, line: number, phrase: number, slots: readonly Slot[], placements: Placement[], writable: Writable, outer: ReadonlyMap<number, 1 | -1>): string | undefined {
  const midi = midiOf(n.pitch);
  for (let i = 0; i < placements.length; i++) {
    const p = placements[i]!;
    if (outer.has(p.line) || isDerivedBass(p.line)) continue;
    const slot = slots[p.slot]!;
    const k = p.notes.findIndex((m) => cmp(m.onset, n.onset) === 0);
    if (k < 0) continue;
    const victim = pitchClass(soundingMidi(p, k));
    const doubled = placements.some((q, j) => q.notes.some((m, mk) => cmp(m.onset, n.onset) === 0 && (j !== i || mk !== k) && pitchClass(soundingMidi(q, mk)) === victim));
    if (!doubled) continue;
    const shift = [0, 12, -12, 24, -24]
      .filter((sh) => midi + sh >= slot.absolute.low && midi + sh <= slot.absolute.high)
      .sort((a, b) => Math.abs(midi + a - soundingMidi(p, k)) - Math.abs(midi + b - soundingMidi(p, k)))[0];
    if (shift === undefined || newTop(n, midi + shift, placements, p.notes[k]!)) continue;
    const mine = voiceNotes([placements], p.slot, p.voice);
    if (!mayBecome(writable, mine, [...mine.filter((m) => m !== p.notes[k]), n], n)) continue;
    const fixes = new Map<number, number>();
    p.fixes.forEach((v, idx) => idx !== k && fixes.set(idx < k ? idx : idx - 1, v));
    placements[i] = { ...p, notes: p.notes.filter((_, idx) => idx !== k), fixes };
    placements.push({ phrase, slot: p.slot, line, notes: [n], shift, fixes: new Map(), principal: false, voice: p.voice });
    return slot.name;
  }
  return undefined;
}

/**
 * Whether `n`, played at key number `m` in place of note `instead`, would sound over every other
 * note sounding with it where the sketch has a note over it there: a chord note taken up an octave
 * or two over the tune (The Entertainer for woodwind quintet, m. 26: the left hand's C4 at C6 in
 * the flute, over the tune's A5 it had taken the place of).
 */
function newTop(n: LineNote, m: number, placements: readonly Placement[], instead: LineNote): boolean {
  let top = -Infinity;
  let sketched = midiOf(n.pitch);
  for (const p of placements) {
    everyMeeting(p, n, (k) => {
      const o = p.notes[k]!;
      if (o !== instead) top = Math.max(top, soundingMidi(p, k));
      sketched = Math.max(sketched, midiOf(o.pitch));
      return true;
    });
  }
  return m > top && sketched > midiOf(n.pitch);
}

/**
 * Where every part that could play a note is busy: a part that holds notes struck earlier lets
 * them go when this one is struck, and plays it until its own next note; never the tune's part,
 * holding the tune's note. The held notes keep their attacks.
 * Changes the lists in place; returns the name of the part that plays the note.
 */
function cutShort(n: LineNote, line: number, phrase: number, slots: readonly Slot[], lists: readonly Placement[][], writable: Writable, outer: ReadonlyMap<number, 1 | -1>): string | undefined {
  const end = add(n.onset, n.duration);
  const midi = midiOf(n.pitch);
  let best: { slot: Slot; shift: number; until: Fraction; cost: number } | undefined;
  for (const slot of slots) {
    if (slot.instrument.orchestration?.decorative) continue;
    const shift = [0, 12, -12].find((sh) => midi + sh >= slot.absolute.low && midi + sh <= slot.absolute.high);
    if (shift === undefined) continue;
    const own = lists.flatMap((l) => l.filter((p) => p.slot === slot.index && p.voice === 1));
    // Never the tune's note, held, cut for a chord note under it.
    if (own.some((p) => outer.get(p.line) === 1 && p.notes.some((m) => overlaps(m, n) && lt(m.onset, n.onset)))) continue;
    const around = own.flatMap((p) => p.notes.filter((m) => overlaps(m, n)));
    // Notes struck with it stay; notes held from before are let go; a note struck later ends it.
    if (around.some((m) => cmp(m.onset, n.onset) === 0)) continue;
    const held = around.filter((m) => lt(m.onset, n.onset));
    if (held.length === 0) continue;
    const until = around.filter((m) => gt(m.onset, n.onset)).reduce((u, m) => (lt(m.onset, u) ? m.onset : u), end);
    const mine = voiceNotes(lists, slot.index, 1);
    const after = [...mine.map((m) => (held.includes(m) ? { ...m, duration: sub(n.onset, m.onset) } : m)), { onset: n.onset, duration: sub(until, n.onset) }];
    if (!mayBecome(writable, mine, after, n)) continue;
    const cost = Math.abs(shift) + held.length;
    if (!best || cost < best.cost) best = { slot, shift, until, cost };
  }
  if (!best) return undefined;
  const { slot, shift, until } = best;
  for (const list of lists) {
    list.forEach((p, i) => {
      const isHeld = (m: LineNote): boolean => overlaps(m, n) && lt(m.onset, n.onset);
      if (p.slot !== slot.index || p.voice !== 1 || !p.notes.some(isHeld)) return;
      list[i] = { ...p, notes: p.notes.map((m) => (isHeld(m) ? { ...m, duration: sub(n.onset, m.onset) } : m)) };
    });
  }
  const note = cmp(until, end) < 0 ? { ...n, duration: sub(until, n.onset) } : n;
  lists[lists.length - 1]!.push({ phrase, slot: slot.index, line, notes: [note], shift, fixes: new Map(), principal: false, voice: 1 });
  return slot.name;
}

/**
 * Where every part that could play a note is busy: one of them hands the single note it plays
 * meanwhile to a part that is free and can play it (at its pitch or an octave away), and takes
 * this note. A clarinet takes the bassoon's D3 so that the bassoon can play the G2 below it.
 * Changes `current` in place; returns the name of the part that plays the note.
 */
function makeRoom(n: LineNote, line: number, phrase: number, slots: readonly Slot[], before: readonly Placement[], current: Placement[], writable: Writable): string | undefined {
  const end = add(n.onset, n.duration);
  const midi = midiOf(n.pitch);
  const overlaps = (m: LineNote, from: Fraction, to: Fraction): boolean => lt(m.onset, to) && gt(add(m.onset, m.duration), from);
  for (const x of slots) {
    const shiftX = [0, 12, -12].find((sh) => midi + sh >= x.absolute.low && midi + sh <= x.absolute.high);
    if (shiftX === undefined || x.instrument.orchestration?.decorative) continue;
    // What x plays in voice 1 while the note sounds: one note of this phrase, or nothing to do.
    if (before.some((p) => p.slot === x.index && p.voice === 1 && p.notes.some((m) => overlaps(m, n.onset, end)))) continue;
    const hits = current.flatMap((p, i) => (p.slot === x.index && p.voice === 1 ? p.notes.flatMap((m, k) => (overlaps(m, n.onset, end) ? [{ i, k, m }] : [])) : []));
    if (hits.length !== 1) continue;
    const { i, k, m } = hits[0]!;
    const p = current[i]!;
    const pitch = soundingMidi(p, k);
    const mEnd = add(m.onset, m.duration);
    const mineX = voiceNotes([before, current], x.index, 1);
    if (!mayBecome(writable, mineX, [...mineX.filter((o) => o !== m), n], n)) continue;
    for (const y of slots) {
      if (y.index === x.index || y.instrument.orchestration?.decorative) continue;
      const shiftY = [0, 12, -12].find((sh) => pitch + sh >= y.absolute.low && pitch + sh <= y.absolute.high);
      if (shiftY === undefined) continue;
      const busy = [...before, ...current].some((q) => q.slot === y.index && q.voice === 1 && q.notes.some((o) => overlaps(o, m.onset, mEnd)));
      if (busy) continue;
      const mineY = voiceNotes([before, current], y.index, 1);
      if (!mayBecome(writable, mineY, [...mineY, m], m)) continue;
      const fixes = new Map<number, number>();
      p.fixes.forEach((v, idx) => idx !== k && fixes.set(idx < k ? idx : idx - 1, v));
      current[i] = { ...p, notes: p.notes.filter((_, idx) => idx !== k), fixes };
      current.push({ phrase, slot: y.index, line: p.line, notes: [m], shift: pitch - midiOf(m.pitch) + shiftY, fixes: new Map(), principal: false, voice: 1 });
      current.push({ phrase, slot: x.index, line, notes: [n], shift: shiftX, fixes: new Map(), principal: false, voice: 1 });
      return x.name;
    }
  }
  return undefined;
}

/**
 * A part free while the note sounds, in range at one of the given octave shifts, closest in
 * register to what it plays around the note (and the one that already plays this line's notes,
 * where it can): a silent voice, or on a string instrument a second voice that makes playable
 * double stops with the first, and a first voice with a second already there (the Prelude from
 * MIDI for string quartet, m. 45: no F3 over the cello's D2). A part that would enter for the
 * note pays for its family as the assignment does: a silent wind or brass part comes after the
 * strings.
 */
function fillSlot(n: LineNote, line: number, slots: readonly Slot[], placements: readonly Placement[], shifts: readonly number[], writable: Writable, outer: ReadonlyMap<number, 1 | -1>): { slot: Slot; shift: number; voice: 1 | 2; strained: boolean; enters: boolean; leaps: boolean } | undefined {
  const end = add(n.onset, n.duration);
  const midi = midiOf(n.pitch);
  const overlapping = (slot: Slot, voice: 1 | 2): number[] =>
    placements
      .filter((p) => p.slot === slot.index && p.voice === voice)
      .flatMap((p) => p.notes.filter((m) => lt(m.onset, end) && gt(add(m.onset, m.duration), n.onset)).map((m) => midiOf(m.pitch) + p.shift));
  // What the part plays in the half measure around the note.
  const nearby = (slot: Slot): number[] =>
    placements
      .filter((p) => p.slot === slot.index)
      .flatMap((p) => p.notes.filter((m) => lt(m.onset, add(end, frac(1, 2))) && gt(add(add(m.onset, m.duration), frac(1, 2)), n.onset)).map((m) => midiOf(m.pitch) + p.shift));
  // Whether the part plays nothing for a whole note either side: it would enter for this note alone.
  const silent = (slot: Slot): boolean =>
    !placements.some((p) => p.slot === slot.index && p.notes.some((m) => lt(m.onset, add(end, frac(1))) && gt(add(add(m.onset, m.duration), frac(1)), n.onset)));
  let best: { slot: Slot; shift: number; voice: 1 | 2; strained: boolean; enters: boolean; leaps: boolean; cost: number } | undefined;
  for (const slot of slots) {
    if (slot.instrument.orchestration?.decorative) continue;
    // A part entering for the note costs as the family carries less: a silent string part takes
    // it before a double stop in a busy one, a silent wind after (strings first, `PRINCIPAL_BIAS`).
    const entry = silent(slot) ? PRINCIPAL_BIAS[slot.instrument.family] : 0;
    const strings = !!slot.instrument.idioms.doubleStops;
    const voices: (1 | 2)[] = slot.capacity >= 2 || strings ? [1, 2] : [1];
    const near = nearby(slot);
    for (const voice of voices) {
      if (overlapping(slot, voice).length > 0) continue;
      const mine = voiceNotes([placements], slot.index, voice);
      if (!mayBecome(writable, mine, [...mine, n], n)) continue;
      const against = slot.capacity < 2 ? overlapping(slot, voice === 2 ? 1 : 2) : [];
      // A solo player's tune stays on top of its own part: a second voice goes under it.
      const tune = voice === 2 && isSolo(slot) ? tuneAgainst(n, slot, placements, outer) : [];
      // Nearest in register to what the part is playing around it, else to its comfortable middle.
      const around = [...overlapping(slot, voice === 1 ? 2 : 1), ...near];
      const centre = around.length ? around.reduce((a, b) => a + b, 0) / around.length : (slot.comfortable.low + slot.comfortable.high) / 2;
      // A line without a part of its own stays with the part that took its notes before, where it can.
      const keeps = line !== 0 && placements.some((p) => p.slot === slot.index && p.voice === voice && p.line === line);
      for (const shift of shifts) {
        const m = midi + shift;
        if (m < slot.absolute.low || m > slot.absolute.high) continue;
        if (!against.every((o) => isPlayableDoubleStop(slot.instrument, o, m)) || tune.some((t) => t <= m)) continue;
        // The piano's octaves inside its bass or its tune are the keyboard's weight, not a line:
        // a cellist plays the bass once, not in octave double stops.
        if (voice === 2 && outerOctaves(n, m, slot, outer, placements).some((o) => o.out < 0)) continue;
        // A part that plays the note outside its comfortable range (a tuba's D4) only where no other can.
        const strained = m < slot.comfortable.low || m > slot.comfortable.high;
        const cost = Math.abs(shift) + Math.abs(m - centre) / 12 + (voice - 1) * 0.5 - (keeps ? 1.5 : 0) + entry + (strained ? 3 : 0);
        // More than an octave from everything the part plays around it: a leap out of its line and back.
        const leaps = near.length > 0 && near.every((x) => Math.abs(m - x) > 12);
        if (!best || cost < best.cost) best = { slot, shift, voice, strained, enters: entry > 0, leaps, cost };
      }
    }
  }
  return best;
}
