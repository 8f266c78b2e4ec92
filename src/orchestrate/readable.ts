/**
 * The last look at every part's voices before they are written: where the stages, phrase by
 * phrase, have put into one voice what no player reads as one (a doubling of one line's triplets
 * running into the next phrase's 16ths in the same beat, which a 32nd triplet's rest would join),
 * the doubled notes that spoil it are left out, the latest first (a note is doubled where another
 * part strikes the same pitch class at the same time: nothing of the sketch is lost); where that is
 * not enough, a note held over into the beat ends on it (released a 16th or less early). And
 * where a solo string player's two voices sound together, they are double stops it can stop
 * (`keepStoppable`); a wind does not come in for a note or two another part sounds (`leaveLoneEntries`).
 */
import type { LineNote } from "../analyse/types.js";
import { isPlayableDoubleStop } from "../instruments/index.js";
import type { MeasureFrame } from "../model/build.js";
import { add, cmp, eq, type Fraction, frac, gt, le, lt, sub } from "../model/fraction.js";
import { lastAtOrBefore, timeKey } from "../model/search.js";
import type { Placement } from "./plan.js";
import { overlaps, soundingMidi } from "./plan.js";
import type { Timed, Writable } from "./rhythm.js";
import { groupBy, pushTo } from "../util/group.js";
import type { Slot } from "./slots.js";

interface Item {
  readonly placement: number;
  readonly k: number;
  readonly note: LineNote;
}

/**
 * Leaves doubled notes of non-principal placements out of voices that cannot be written, or ends a
 * note held into the beat on it, measure by measure; returns how many notes it changed.
 * @example keepReadable(plan.placements, rhythmCheck(frames, tupletSpans(sketch), shortestValue(sketch)), frames) // 0 for most sketches
 */
export function keepReadable(placements: Placement[], writable: Writable, frames: readonly MeasureFrame[]): number {
  const doubledAt = doubling(placements);
  const doubled = (it: Item): boolean => doubledAt(placements[it.placement]!, it.k);
  const voices = new Map<string, Item[]>();
  placements.forEach((p, i) => {
    const key = `${p.slot}:${p.voice}`;
    p.notes.forEach((note, k) => pushTo(voices, key, { placement: i, k, note }));
  });
  const starts = frames.map((f) => f.start);
  const gone = new Set<Item>();
  // Notes ending earlier than written: item → its new end.
  const cut = new Map<Item, Fraction>();
  const end = (x: Item): Fraction => add(x.note.onset, x.note.duration);
  const timed = (x: Item): Timed => (cut.has(x) ? { onset: x.note.onset, duration: sub(cut.get(x)!, x.note.onset) } : x.note);
  const latestFirst = (xs: Item[]): Item[] => xs.sort((a, b) => cmp(b.note.onset, a.note.onset));
  // A note held a 16th or less into a beat after its own ends on that beat.
  const early = (x: Item): Fraction | undefined => {
    const to = beatStart(end(x));
    return to && gt(to, x.note.onset) && le(sub(end(x), to), frac(1, 16)) ? to : undefined;
  };
  for (const items of voices.values()) {
    // The measures the voice sounds in, each with the notes sounding there.
    const byMeasure = new Map<number, Item[]>();
    for (const x of items) {
      const last = Math.max(0, lastAtOrBefore(starts, sub(end(x), frac(1, 1024))));
      for (let mi = Math.max(0, lastAtOrBefore(starts, x.note.onset)); mi <= last; mi++) pushTo(byMeasure, mi, x);
    }
    for (const [mi, here] of [...byMeasure].sort((a, b) => a[0] - b[0])) {
      const frame = frames[mi];
      if (!frame) continue;
      const around: Timed = { onset: frame.start, duration: frame.duration };
      const kept = (): Timed[] => here.filter((x) => !gone.has(x)).map(timed);
      if (writable(kept(), around)) continue;
      // The doubled notes of doublings and fills sounding there, the latest first, until the voice reads.
      let readable = false;
      for (const x of latestFirst(here.filter((x) => !gone.has(x) && !placements[x.placement]!.principal && doubled(x)))) {
        gone.add(x);
        if ((readable = writable(kept(), around))) break;
      }
      if (readable) continue;
      // Else a note held into a later beat (a phrase's last note, tied over into the next
      // phrase's first beat) ends on that beat, released a 16th or less early.
      for (const x of latestFirst(here.filter((x) => !gone.has(x) && !cut.has(x) && early(x) !== undefined))) {
        cut.set(x, early(x)!);
        if (writable(kept(), around)) break;
      }
    }
  }
  if (gone.size === 0 && cut.size === 0) return 0;
  const byPlacement = new Map<number, Item[]>();
  for (const it of new Set([...gone, ...cut.keys()])) pushTo(byPlacement, it.placement, it);
  for (const [i, its] of byPlacement) placements[i] = amended(placements[i]!, new Set(its.filter((x) => gone.has(x)).map((x) => x.k)), new Map(its.filter((x) => !gone.has(x)).map((x) => [x.k, cut.get(x)!])));
  return gone.size + cut.size;
}

/**
 * Whether another part strikes the pitch class of a placement's note `k` at its onset, as the
 * placements stand now: leaving the note out loses nothing of the sketch.
 */
function doubling(placements: readonly Placement[]): (p: Placement, k: number) => boolean {
  const struck = new Map<string, Set<number>>();
  const keyOf = (p: Placement, k: number): string => `${timeKey(p.notes[k]!.onset)}@${soundingMidi(p, k) % 12}`;
  placements.forEach((p) =>
    p.notes.forEach((_, k) => {
      const key = keyOf(p, k);
      (struck.get(key) ?? struck.set(key, new Set()).get(key)!).add(p.slot);
    }),
  );
  return (p, k) => [...(struck.get(keyOf(p, k)) ?? [])].some((slot) => slot !== p.slot);
}

/** The start of the beat (a quarter) a time falls inside, undefined when it falls on one. */
function beatStart(t: Fraction): Fraction | undefined {
  const quarters = Math.floor((t.n * 4) / t.d);
  const start = frac(quarters, 4);
  return eq(start, t) ? undefined : start;
}

/** A placement without its notes `ks` (the octave fixes of the others kept), and its notes `ends` ending there. */
function amended(p: Placement, ks: ReadonlySet<number>, ends: ReadonlyMap<number, Fraction>): Placement {
  const notes: LineNote[] = [];
  const fixes = new Map<number, number>();
  p.notes.forEach((n, k) => {
    if (ks.has(k)) return;
    const fix = p.fixes.get(k);
    if (fix !== undefined) fixes.set(notes.length, fix);
    const to = ends.get(k);
    notes.push(to ? { ...n, duration: sub(to, n.onset) } : n);
  });
  return { ...p, notes, fixes };
}

/**
 * A solo string player's two voices sound together as double stops: a note a doubling or a fill
 * put in the second voice that the first voice's note, moved since by a later stage, makes a
 * double stop no hand can stop (Children's Corner no. 5 from MIDI for string quartet, m. 103: the
 * first violin's tune taken up to F5 over the B♭3 filled in under its F4) goes up an octave where
 * that makes every double stop it sounds in playable and keeps it on its side of the first
 * voice, or is left out where another part strikes its pitch class with it. The lowest note
 * sounding, the bass, stays. Nor does the player strike again a note it holds (see below).
 * Returns the notes left out that no other part strikes, with their phrases.
 */
export function keepStoppable(placements: Placement[], slots: readonly Slot[]): { phrase: number; note: LineNote }[] {
  const items = placements.flatMap((p, i) => p.notes.map((note, k) => ({ i, k, note, slot: p.slot, voice: p.voice, m: soundingMidi(p, k) })));
  const doubledAt = doubling(placements);
  const doubled = (x: (typeof items)[number]): boolean => doubledAt(placements[x.i]!, x.k);
  const fixes = new Map<number, Map<number, number>>();
  const gone = new Map<number, Set<number>>();
  const ends = new Map<number, Map<number, Fraction>>();
  const leftOut: { phrase: number; note: LineNote }[] = [];
  for (const slot of slots) {
    if (!slot.instrument.idioms.doubleStops || slot.capacity >= 2) continue;
    const byKey = groupBy(
      items.filter((x) => x.slot === slot.index),
      (x) => x.m,
    );
    // One player cannot hold a note and strike it again in the other voice (the piano's held
    // chord and its after-beat chord, La donna è mobile for string quartet, m. 26: the cello's F3
    // for the bar and its F3 on the second eighth; the voice's C♯5 and the piano's under it,
    // Dichterliebe no. 2, m. 2): a note struck where the part already sounds it is left out, its
    // pitch sounding anyway, unless it is its line's (the tune's): then the held note ends there.
    for (const same of byKey.values()) for (const b of same) {
      const a = same.find((x) => x.i !== b.i && lt(x.note.onset, b.note.onset) && gt(add(x.note.onset, x.note.duration), b.note.onset) && !gone.get(x.i)?.has(x.k));
      if (!a) continue;
      if (!placements[b.i]!.principal) {
        (gone.get(b.i) ?? gone.set(b.i, new Set()).get(b.i)!).add(b.k);
        if (!doubled(b)) leftOut.push({ phrase: placements[b.i]!.phrase, note: b.note });
      } else if (!placements[a.i]!.principal) {
        const until = ends.get(a.i)?.get(a.k);
        if (!until || lt(b.note.onset, until)) (ends.get(a.i) ?? ends.set(a.i, new Map()).get(a.i)!).set(a.k, b.note.onset);
      }
    }
    const upper = items.filter((x) => x.slot === slot.index && x.voice === 1);
    for (const x of items.filter((y) => y.slot === slot.index && y.voice === 2 && !placements[y.i]!.principal)) {
      const against = upper.filter((u) => overlaps(u.note, x.note)).map((u) => u.m);
      const stoppable = (m: number): boolean => against.every((u) => u === m || isPlayableDoubleStop(slot.instrument, u, m));
      // The lowest note sounding stays: it is the bass.
      if (stoppable(x.m) || !items.some((y) => y !== x && y.m < x.m && overlaps(y.note, x.note))) continue;
      if (stoppable(x.m + 12) && against.every((u) => u > x.m === u > x.m + 12)) (fixes.get(x.i) ?? fixes.set(x.i, new Map()).get(x.i)!).set(x.k, 12);
      else if (doubled(x)) (gone.get(x.i) ?? gone.set(x.i, new Set()).get(x.i)!).add(x.k);
    }
  }
  for (const [i, ks] of fixes) {
    const p = placements[i]!;
    const all = new Map(p.fixes);
    for (const [k, semis] of ks) all.set(k, (all.get(k) ?? 0) + semis);
    placements[i] = { ...p, fixes: all };
  }
  for (const i of new Set([...gone.keys(), ...ends.keys()])) placements[i] = amended(placements[i]!, gone.get(i) ?? new Set(), ends.get(i) ?? new Map());
  return leftOut.sort((a, b) => cmp(a.note.onset, b.note.onset));
}

/**
 * A wind or brass part does not come in for a note or two another part sounds anyway: an entry
 * of one or two strokes (a chord counts as one), each note an eighth or less, with nothing else in
 * its part for a whole note either side, whose pitch classes other parts strike with them (a
 * doubling's, a filled-in note, a line of one note in the phrase), is left out (the Polonaise
 * op. 1 no. 2 for orchestra, m. 5: the horns' A2 with the cellos' and basses', their only note
 * for two bars; The Entertainer for orchestra, m. 71: the piccolo's one F6 over the flutes' F5;
 * the Polonaise op. 1 no. 1 for orchestra, m. 20: the English horn's two B♭3 eighths at the Fine).
 * Not the lowest note struck, unless another part strikes its pitch class at it or under it: the
 * bass stays where it is. Returns the notes left out, with their phrases.
 */
export function leaveLoneEntries(placements: Placement[], slots: readonly Slot[]): { phrase: number; note: LineNote }[] {
  const winds = new Set(slots.filter((s) => s.instrument.family === "woodwind" || s.instrument.family === "brass").map((s) => s.index));
  // What the parts strike at each onset, as notes are left out: by pitch class, and by key.
  const struck = new Map<string, { slot: number; m: number }[]>();
  const at = (n: LineNote): { slot: number; m: number }[] => struck.get(timeKey(n.onset)) ?? [];
  // Each wind part's notes in time order.
  const bySlot = new Map<number, { note: LineNote; i: number; k: number }[]>();
  placements.forEach((p, i) =>
    p.notes.forEach((note, k) => {
      pushTo(struck, timeKey(note.onset), { slot: p.slot, m: soundingMidi(p, k) });
      if (winds.has(p.slot)) pushTo(bySlot, p.slot, { note, i, k });
    }),
  );
  // Another part strikes its pitch class with it, and, where it is the lowest note struck, at it or under it.
  const covered = ({ note, i, k }: { note: LineNote; i: number; k: number }): boolean => {
    const slot = placements[i]!.slot;
    const m = soundingMidi(placements[i]!, k);
    const others = at(note).filter((x) => x.slot !== slot);
    const lowest = others.every((x) => x.m > m);
    return others.some((x) => (x.m - m) % 12 === 0 && (!lowest || x.m <= m));
  };
  const out: { phrase: number; note: LineNote }[] = [];
  const gone = new Map<number, Set<number>>();
  for (const list of bySlot.values()) {
    list.sort((a, b) => cmp(a.note.onset, b.note.onset));
    // The part's entries: its notes with less than a whole note of silence between them.
    const entries: (typeof list)[] = [];
    let reach: Fraction | undefined;
    for (const x of list) {
      if (reach === undefined || !lt(sub(x.note.onset, reach), WHOLE)) entries.push([]);
      entries[entries.length - 1]!.push(x);
      const end = add(x.note.onset, x.note.duration);
      reach = reach && gt(reach, end) ? reach : end;
    }
    for (const entry of entries) {
      const strokes = new Set(entry.map((x) => timeKey(x.note.onset)));
      if (strokes.size > 2 || !entry.every((x) => !gt(x.note.duration, frac(1, 8)) && covered(x))) continue;
      for (const x of entry) {
        (gone.get(x.i) ?? gone.set(x.i, new Set()).get(x.i)!).add(x.k);
        out.push({ phrase: placements[x.i]!.phrase, note: x.note });
        // Left out, it no longer covers another part's note.
        const here = at(x.note);
        const j = here.findIndex((y) => y.slot === placements[x.i]!.slot && y.m === soundingMidi(placements[x.i]!, x.k));
        if (j >= 0) here.splice(j, 1);
      }
    }
  }
  for (const [i, ks] of gone) placements[i] = amended(placements[i]!, ks, new Map());
  return out;
}

/** A whole note: the silence either side of a note that makes it an entry of its own. */
const WHOLE = frac(1);

/** Why `keepStoppable` leaves out a note a solo player would strike while it holds it. */
export const HELD_ALREADY = "the part that would strike it holds that note already";

/** The report's reason for a note `leaveLoneEntries` leaves out. */
export const LONE = "its pitch class already sounds at that moment in another part, and a wind or brass part resting around it would have come in for it alone";
