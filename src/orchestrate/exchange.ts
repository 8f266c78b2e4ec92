/**
 * Two parts of a family (or a wind and a brass part: a woodwind quintet's horn and clarinet)
 * trade what they play for a while where one plays a note poorly and the other would play it
 * well: the arranger's voice exchange. In Handel's *Lascia ch'io pianga* for brass quintet,
 * m. 52, the trombone had an F♯4 above its comfortable range while the horn held a lower line;
 * they trade, and the horn plays the F♯4. The notes keep their pitches, so the harmony
 * and its voicing are the sketch's; only the instruments change. A trade covers whole pieces of
 * every line either part plays (between their rests and held notes, see `pieces`), and is made
 * only where each part then plays all it takes well and can write it. The tune changes parts only
 * whole (all of it the phrase gives its part goes in the trade: Clementi op. 36/3 for brass
 * quintet, m. 44, the rising tune from the horn, above its C5, to the first trumpet), and the bass
 * keeps its part (the bass in the bass instruments), and so do
 * doublings (a part doubling a line trades nothing) and singers (a choir's alto sings the alto);
 * but where the other part plays under the bass line all through the trade, the lower line is the
 * bass, and the bass instrument takes it (see `underBass`). Last, a chord several parts strike
 * together is dealt to them again in register order where that lets them play it well (see
 * `dealChords`).
 */
import type { LineNote } from "../analyse/types.js";
import { add, eq, gt, lt, max, min } from "../model/fraction.js";
import { midiOf, nameOf, transpose } from "../model/pitch.js";
import { softens } from "./balance.js";
import { isBassInstrument } from "./bass.js";
import { registerOrder } from "./assign.js";
import type { Slot } from "./slots.js";
import { everyIn, follows, isDerivedBass, type PhraseWork, pieces, type Placement, playedElsewhere, playsOnly, soundingMidi, type Span, without } from "./plan.js";

/** Families whose parts may trade: one family, or winds and brass (a woodwind quintet's horn). */
function kin(a: string, b: string): boolean {
  const wind = (f: string): boolean => f === "woodwind" || f === "brass";
  return a === b || (wind(a) && wind(b));
}


/** Whether a part plays a note poorly at a sounding key number (see `playsPoorly`). */
type Poorly = (slot: number, m: number, n: LineNote) => boolean;

/**
 * Lets two parts of a family trade what they play over a stretch where that brings a note one
 * plays poorly (`poorly`: out of its comfortable range, or in a register that cannot make its
 * dynamic) into the other, which plays all it takes well, as the first does what it takes.
 */
export function exchangeLines(work: PhraseWork, poorly: Poorly): void {
  // Each trade ends a poor note; a phrase has few, so a bounded number of rounds.
  for (let round = 0; round < work.placements.length; round++) {
    if (!tradeOnce(work, poorly)) break;
  }
  dealChords(work, poorly);
  lowestToBass(work, poorly);
}

/**
 * The bass instrument strikes the lowest note: where the part playing the bass line strikes a
 * note of it, or a chord note it was given, together with another part of its kind striking a
 * lower one, as long (the left hand's V7–I rocking, B♭3 D4 F4 A♭4 after E♭4 G4, whose line E♭4 D4
 * E♭4 goes on by step over the B♭3), the two parts swap those notes, each playing nothing else
 * then and its new note well: the Polonaise op. 1 no. 1 for woodwind quintet, m. 8, the bassoon's
 * E♭4 B♭3 E♭4 B♭3 under the clarinet's D4s, where the clarinet had the B♭3s under the bassoon's
 * D4s; the Maple Leaf Rag for brass quintet, m. 9, the tuba's D3s under the trombone's F3s.
 * Pitches and rhythms stay; only who plays which note changes, as a copyist would correct the
 * voicing. A note taken in lies within an octave of the part's notes joined to it, or no farther
 * from them than the note it replaces: a running line under the bass part's, swapped note by
 * note, would leave both parts leaping between two lines (The Snow Is Dancing from MIDI for brass
 * quintet, m. 42: the trombone's low line under the tuba's B♭3–C4 trill, which had become B♭2 C4
 * B♭2 G♭2 C4); a leap the part made already does not stop it (Elite Syncopations for brass
 * quintet, m. 80: the tuba's after-beats E♭3 E♭3 before its D2, not E♭3 G3 over the trombone's
 * E♭3). Another line the bass part carries keeps its notes.
 */
function lowestToBass(work: PhraseWork, poorly: Poorly): void {
  const bassLine = work.segments.find((s) => s.role === "bass")?.line;
  const melody = work.segments.find((s) => s.role === "melody")?.line;
  const bass = work.placements.find((p) => p.principal && p.line === bassLine && p.voice === 1 && isBassInstrument(work.slots[p.slot]!));
  if (!bass) return;
  const family = work.slots[bass.slot]!.instrument.family;
  // What the bass part strikes: its line, and the chord notes it was given (not another line it carries).
  const own = work.placements.filter((p) => p.slot === bass.slot && p.voice === 1 && p.line !== melody && (p === bass || !p.principal));
  const others = work.placements.filter((q) => {
    const inst = work.slots[q.slot]!.instrument;
    return q.slot !== bass.slot && q.voice === 1 && q.line !== bassLine && q.line !== melody && !isDerivedBass(q.line) && inst.family !== "voice" && kin(inst.family, family);
  });
  const all = [...work.earlier, ...work.placements];
  const moves = new Map<Placement, Set<number>>();
  const taken = (p: Placement, k: number): boolean => !!moves.get(p)?.has(k);
  const added: Placement[] = [];
  let first: LineNote | undefined;
  // The bass part's note struck with the other part's note j of q, as long and above it, that it can trade for it.
  const over = (q: Placement, j: number): { b: Placement; k: number } | undefined => {
    const o = q.notes[j]!;
    const mq = soundingMidi(q, j);
    for (const b of own) {
      const k = b.notes.findIndex((n, i) => eq(n.onset, o.onset) && eq(n.duration, o.duration) && soundingMidi(b, i) > mq && (soundingMidi(b, i) - mq) % 12 !== 0);
      if (k < 0 || taken(b, k)) continue;
      const n = b.notes[k]!;
      if (playsOnly(all, b.slot, b, n) && playsOnly(all, q.slot, q, o) && !poorly(b.slot, mq, o) && !poorly(q.slot, soundingMidi(b, k), n)) return { b, k };
    }
    return undefined;
  };
  // A part's note taken in at key `m` lies within an octave of the notes joined to it either side,
  // or no farther from them than the note it replaces.
  const near = (p: Placement, i: number, m: number): boolean =>
    [i - 1, i + 1].every((x) => {
      const [a, z] = [p.notes[Math.min(i, x)], p.notes[Math.max(i, x)]];
      return !a || !z || !follows(a, z) || Math.abs(soundingMidi(p, x) - m) <= Math.max(12, Math.abs(soundingMidi(p, x) - soundingMidi(p, i)));
    });
  // The other parts' notes, lowest first: where two strike under the bass part, it takes the lower.
  const candidates = others.flatMap((q) => q.notes.map((_, j) => ({ q, j, m: soundingMidi(q, j) }))).sort((x, y) => x.m - y.m);
  for (const { q, j } of candidates) {
    const w = over(q, j);
    if (!w) continue;
    const { b, k } = w;
    const n = b.notes[k]!;
    const o = q.notes[j]!;
    if (!near(q, j, soundingMidi(b, k)) || !near(b, k, soundingMidi(q, j))) continue;
    moves.set(b, (moves.get(b) ?? new Set()).add(k));
    moves.set(q, (moves.get(q) ?? new Set()).add(j));
    added.push({ phrase: b.phrase, slot: q.slot, line: b.line, notes: [n], shift: soundingMidi(b, k) - midiOf(n.pitch), fixes: new Map(), principal: false, voice: 1 });
    added.push({ phrase: q.phrase, slot: b.slot, line: q.line, notes: [o], shift: soundingMidi(q, j) - midiOf(o.pitch), fixes: new Map(), principal: false, voice: 1 });
    if (!first || lt(n.onset, first.onset)) first = n;
  }
  if (!first) return;
  const count = own.reduce((c, b) => c + (moves.get(b)?.size ?? 0), 0);
  work.report.colour.push(`m. ${work.label(first.onset)}: ${work.slots[bass.slot]!.name} strikes the lowest note where another part struck one under its own (${count} note${count > 1 ? "s" : ""})`);
  const kept = work.placements.map((p) => (moves.has(p) ? without(p, moves.get(p)!) : p)).filter((p) => p.notes.length > 0);
  work.placements.splice(0, work.placements.length, ...kept, ...added);
}

/**
 * A chord several parts strike together (each its note, all of one onset and length, none the
 * tune's or the bass's, no singer's, no part playing another note then) is dealt to them again in
 * register order, its highest note to the part highest in the ensemble's order, where one of them
 * plays its note poorly and fewer do so after: the Maple Leaf Rag's trio for brass quintet, whose
 * after-beat chords had the trombone's B4 over the second trumpet's A♭4. The chord's sounding
 * pitches are kept, and every part's rhythm, so the harmony, its voicing and each part's reading
 * stay as they were; only who plays which note changes.
 */
function dealChords(work: PhraseWork, poorly: Poorly): void {
  const fixed = tuneAndBass(work);
  const rank = new Map(registerOrder(work.slots).map((s, r) => [s.index, r]));
  type Entry = { p: Placement; k: number; m: number };
  const chords = new Map<string, Entry[]>();
  for (const p of work.placements) {
    if (fixed.has(p.line) || isDerivedBass(p.line) || p.voice !== 1 || work.slots[p.slot]!.instrument.family === "voice") continue;
    p.notes.forEach((n, k) => {
      const key = `${n.onset.n}/${n.onset.d}+${n.duration.n}/${n.duration.d}`;
      chords.set(key, [...(chords.get(key) ?? []), { p, k, m: soundingMidi(p, k) }]);
    });
  }
  const all = [...work.earlier, ...work.placements];
  const moves = new Map<Placement, Set<number>>();
  const added: Placement[] = [];
  let said = false;
  for (const chord of chords.values()) {
    const slots = chord.map((e) => e.p.slot);
    if (new Set(slots).size !== chord.length || chord.length < 2) continue;
    const n0 = chord[0]!.p.notes[chord[0]!.k]!;
    // A part playing anything else while the chord sounds keeps its note.
    if (!chord.every((e) => playsOnly(all, e.p.slot, e.p, n0))) continue;
    const poorIn = (slot: number, e: Entry): boolean => poorly(slot, e.m, e.p.notes[e.k]!);
    const before = chord.filter((e) => poorIn(e.p.slot, e)).length;
    if (before === 0) continue;
    const parts = [...slots].sort((a, b) => rank.get(a)! - rank.get(b)!);
    const notes = [...chord].sort((a, b) => b.m - a.m);
    if (notes.filter((e, i) => poorIn(parts[i]!, e)).length >= before) continue;
    notes.forEach((e, i) => {
      const to = parts[i]!;
      if (to === e.p.slot) return;
      moves.set(e.p, (moves.get(e.p) ?? new Set()).add(e.k));
      const n = e.p.notes[e.k]!;
      added.push({ phrase: e.p.phrase, slot: to, line: e.p.line, notes: [n], shift: e.m - midiOf(n.pitch), fixes: new Map(), principal: false, voice: 1 });
    });
    if (!said) {
      const e = chord.find((x) => poorIn(x.p.slot, x))!;
      work.report.colour.push(`m. ${work.label(n0.onset)}: chords dealt again to ${parts.map((s) => work.slots[s]!.name).join(", ")} in register order (${soundsAs(e.p.notes[e.k]!, e.m)} lay poorly for ${work.slots[e.p.slot]!.name})`);
      said = true;
    }
  }
  if (moves.size === 0) return;
  const kept = work.placements.map((p) => (moves.has(p) ? without(p, moves.get(p)!) : p)).filter((p) => p.notes.length > 0);
  work.placements.splice(0, work.placements.length, ...kept, ...added);
}

/** The phrase's tune and bass lines: never dealt again in a chord, and traded only as `tradeOnce` allows (the tune whole, the bass under another part). */
function tuneAndBass(work: PhraseWork): Set<number> {
  return new Set(work.segments.filter((s) => s.role === "melody" || s.role === "bass").map((s) => s.line));
}

function tradeOnce(work: PhraseWork, poorly: Poorly): boolean {
  const fixed = tuneAndBass(work);
  const all = [...work.earlier, ...work.placements];
  const elsewhere = (n: LineNote, slot: number): boolean => playedElsewhere(all, n, slot);
  // What may change parts: an inner line, and a line's notes filled into a part (a chord note the
  // tune's part could not take); not the tune, the bass, or a doubling.
  const movable = (p: Placement): boolean => !isDerivedBass(p.line) && (p.principal ? !fixed.has(p.line) : !p.notes.some((n) => elsewhere(n, p.slot)));
  const bassLine = work.segments.find((s) => s.role === "bass")?.line;
  const isBass = (p: Placement): boolean => p.principal && p.line === bassLine && isBassInstrument(work.slots[p.slot]!);
  // The tune changes parts only whole: every note the phrase gives its part goes in the trade.
  const melody = work.segments.find((s) => s.role === "melody")?.line;
  const isTune = (p: Placement): boolean => p.principal && p.line === melody;
  const wholeIn = (p: Placement, span: Span): boolean => within(p, span).length === p.notes.length;
  for (const p of work.placements) {
    if (!movable(p) && !isBass(p) && !isTune(p)) continue;
    const bad = p.notes.findIndex((n, k) => poorly(p.slot, soundingMidi(p, k), n));
    if (bad < 0) continue;
    const a = work.slots[p.slot]!;
    for (const b of work.slots) {
      if (b.index === a.index || !kin(a.instrument.family, b.instrument.family) || a.instrument.family === "voice" || b.instrument.orchestration?.decorative) continue;
      const span = tradeSpan(work, [a.index, b.index], spanOf(p.notes, isTune(p) ? p.notes.map((_, k) => k) : pieces(p.notes).find((piece) => piece.includes(bad))!));
      if (!span) continue;
      const inSpan = work.placements.filter((r) => (r.slot === a.index || r.slot === b.index) && within(r, span).length > 0);
      const under = (r: Placement): boolean => isBass(r) && underBass(r, inSpan.filter((q) => q.slot !== r.slot), span);
      if (!inSpan.every((r) => movable(r) || under(r) || (isTune(r) && wholeIn(r, span))) || !tradeable(work, inSpan, span, [a.index, b.index], poorly)) continue;
      const n = p.notes[bad]!;
      const said = `m. ${work.label(n.onset)}: ${a.name} and ${b.name} trade lines (${soundsAs(n, soundingMidi(p, bad))} lies poorly for ${a.name}, well for ${b.name})`;
      if (!work.report.colour.includes(said)) work.report.colour.push(said);
      const other = (slot: number): number => (slot === a.index ? b.index : a.index);
      const traded = inSpan.flatMap((r) => {
        const [stays, goes] = split(r, span);
        return [stays, { ...goes, slot: other(r.slot) }];
      });
      const kept = work.placements.filter((r) => !inSpan.includes(r));
      work.placements.splice(0, work.placements.length, ...kept, ...traded.filter((r) => r.notes.length > 0));
      if (inSpan.some(isTune)) swapSoftening(work, a, b);
      return true;
    }
  }
  return false;
}

/**
 * The tune traded whole to another part takes its dynamic with it: a part balance marked one
 * level down under the tune (see `balance.ts`) gives that marking to the part it traded with,
 * which now plays its line, and the tune's new part is marked as the sketch is.
 */
function swapSoftening(work: PhraseWork, a: Slot, b: Slot): void {
  const { softened, phrase } = work;
  const [softA, softB] = [softened.has([a.index, phrase.index]), softened.has([b.index, phrase.index])];
  if (softA === softB) return;
  const [from, to] = softA ? [a, b] : [b, a];
  softened.delete([from.index, phrase.index]);
  softened.add([to.index, phrase.index]);
  const lines = work.report.balance;
  lines.forEach((line, k) => {
    if (softens(line, from.name)) lines[k] = `${to.name}${line.slice(from.name.length)} (it took ${from.name}'s line in a trade)`;
  });
}

/** The name of a sketch note as a part sounds it, at key number `m` (an octave or two from the sketch's). */
function soundsAs(n: LineNote, m: number): string {
  const octaves = (m - midiOf(n.pitch)) / 12;
  return nameOf(transpose(n.pitch, 7 * octaves, 12 * octaves));
}

/** From a note's onset to the end of the last, over some notes of a line. */
function spanOf(notes: readonly LineNote[], ks: readonly number[]): Span {
  const from = notes[ks[0]!]!.onset;
  return { from, to: ks.reduce((e, k) => max(e, add(notes[k]!.onset, notes[k]!.duration)), from) };
}

/** The indices of a placement's notes that sound in a span (see `everyIn`). */
function within(p: Placement, span: Span): number[] {
  const ks: number[] = [];
  everyIn(p, span.from, span.to, (k) => ks.push(k) > 0);
  return ks;
}

/**
 * The stretch two parts trade over: `start` (the piece with the poor note), widened until it
 * holds whole pieces of every line either part plays in it; none where a line of a phrase before
 * sounds in it in either part, or the widening runs on (a few rounds at most).
 */
function tradeSpan(work: PhraseWork, slots: readonly number[], start: Span): Span | undefined {
  let span = start;
  for (let round = 0; round < 4; round++) {
    if (work.earlier.some((r) => slots.includes(r.slot) && within(r, span).length > 0)) return undefined;
    let wider = span;
    for (const r of work.placements) {
      if (!slots.includes(r.slot)) continue;
      const ks = within(r, span);
      for (const piece of pieces(r.notes)) {
        if (!piece.some((k) => ks.includes(k))) continue;
        const s = spanOf(r.notes, piece);
        wider = { from: min(wider.from, s.from), to: max(wider.to, s.to) };
      }
    }
    if (!lt(wider.from, span.from) && !gt(wider.to, span.to)) return span;
    span = wider;
  }
  return undefined;
}

/**
 * Whether the parts `slots` can trade the notes of `inSpan` they play in `span`: each plays all it
 * takes well, and can write its notes then (those it keeps outside the span and those it takes).
 */
function tradeable(work: PhraseWork, inSpan: readonly Placement[], span: Span, slots: readonly [number, number], poorly: Poorly): boolean {
  const other = (slot: number): number => (slot === slots[0] ? slots[1] : slots[0]);
  if (inSpan.some((r) => within(r, span).some((k) => poorly(other(r.slot), soundingMidi(r, k), r.notes[k]!)))) return false;
  return slots.every((slot) => {
    const keeps = work.placements.filter((r) => r.slot === slot && r.voice === 1).flatMap((r) => r.notes.filter((_, k) => !within(r, span).includes(k)));
    const takes = inSpan.filter((r) => r.slot === other(slot)).flatMap((r) => within(r, span).map((k) => r.notes[k]!));
    const voice = [...keeps, ...takes];
    return takes.every((n) => work.writable(voice, n));
  });
}

/**
 * Whether the other part plays under the bass line all through a span (`others`: its placements
 * there): each of its notes sounding with a note of the bass line is at or below it, and there is
 * one. The lower line is then the bass, and the bass instrument takes it in the trade (the
 * Polonaise op. 1/1 for brass quintet, m. 8: the tuba's D4 over the horn's B♭3).
 */
function underBass(bass: Placement, others: readonly Placement[], span: Span): boolean {
  let met = false;
  const low = within(bass, span).every((k) => {
    const n = bass.notes[k]!;
    const m = soundingMidi(bass, k);
    return others.every((q) =>
      everyIn(q, n.onset, add(n.onset, n.duration), (ok) => {
        met = true;
        return soundingMidi(q, ok) <= m;
      }),
    );
  });
  return low && met;
}

/** A placement split at a span: the notes outside it, and those in it. */
function split(p: Placement, span: Span): [Placement, Placement] {
  const inside = new Set(within(p, span));
  const outside = new Set(p.notes.map((_, k) => k).filter((k) => !inside.has(k)));
  return [without(p, inside), without(p, outside)];
}
