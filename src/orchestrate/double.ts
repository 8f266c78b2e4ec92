/**
 * Doublings: free parts double the melody, the bass or the harmony as the style and the dynamic
 * call for, each on the lines and at the octaves its instrument doubles by habit (the
 * `orchestration` of the instrument database).
 */
import type { LineNote } from "../analyse/types.js";
import type { DoubledLine, Family, Instrument } from "../instruments/index.js";
import { add, frac, lt, sub, toNumber } from "../model/fraction.js";
import { midiOf } from "../model/pitch.js";
import { figureRuns, heldOnBeats } from "./brass-figures.js";
import { type AssignContext, chooseAt, type Choice, dynamicMisfit, easyRate, type Segment, sinksUnderBass } from "./costs.js";
import { heldPast, isSolo, mayOverlap, overlaps, type PhraseWork, playedElsewhere, playsNear, without } from "./plan.js";
import { intervalName } from "./report.js";
import { bassByHabit, carriesBassAtPitch, singingScore, type Slot } from "./slots.js";
import { groupBy } from "../util/group.js";
import { type Filled, fillLoose } from "./fill.js";

/** Adds doublings to a phrase; what the balance stage may still do with the parts left free. */
export interface Doubler {
  /** Parts that play in the phrase. */
  readonly busy: Set<number>;
  /** Doubles a line in a part (at the given choice, or the part's best); false if the part cannot. */
  add(seg: Segment, slot: Slot, reason: string, given?: Choice): boolean;
}

/** Strings double first (basses under the cellos, second violins with the firsts), then voices, winds, brass. */
export const FAMILY_RANK: Readonly<Record<Family, number>> = { strings: 0, voice: 0, woodwind: 1, brass: 2, keyboard: 3, plucked: 3, percussion: 4 };

/** The octave shifts, in semitones, at which an instrument doubles a line; unison for one with no habits. */
function doublingShifts(inst: Instrument): readonly number[] {
  return (inst.orchestration?.octaves ?? [0]).map((o) => o * 12);
}

/**
 * Doubles melody, bass and harmony in the parts that play nothing in the phrase (or only a note or
 * two the fill gave them, `filled`: see `lightParts`): strings first (basses under the cellos,
 * second violins with the firsts), then winds, then brass, each at most as often as the style and
 * the dynamic allow. A part that doubled a line in the phrase before chooses before the rest of
 * its family, and takes that line again before the other lines of the same habit (an orchestrator
 * keeps a wind on one line through a passage). Then the cellos join the basses on the bass where
 * their own line rests (`joinTheBasses`), and a stride bass's part an octave down leaves the
 * after-beats its doublings play (`leaveAfterBeats`).
 */
export function doubleInFreeParts(work: PhraseWork, filled: readonly Filled[] = []): Doubler {
  const { phrase, segments, slots, style, texture: level, ctx, report } = work;
  // A part the fill brought in for a note or two, and for nothing else, is as free as one that plays nothing (see `lend`).
  const light = lightParts(work, filled);
  const busy = new Set(work.placements.filter((p) => !light.has(p.slot)).map((p) => p.slot));
  const free = slots.filter((s) => !busy.has(s.index)).sort(doublersFirst(work));
  const melody = segments.find((s) => s.role === "melody");
  const bass = segments.find((s) => s.role === "bass");
  // A stride bass's parts an octave down play its bass notes, not its chords' (see `strideBass` in segments.ts).
  // So do the parts that cannot play a keyboard's broken chords (the basses, a tuba) of a figure in
  // the bass: its harmonic bass (`figureBass`). Either is the line's bass notes, no longer its
  // figure (the Entertainer for string orchestra, mm. 7–8: the analysis calls the left hand's
  // stride an arpeggio, and the basses, which do not play one, had rested under it at f).
  // Where the line breaks chords in quick notes only for a while (K. 545, m. 11, after the held
  // bass of mm. 9–10), those parts hold each beat's first note there (see `figureRuns`).
  const bassFor = (slot: Slot, line: Segment): Segment => {
    if (!bassByHabit(slot.instrument)) return line;
    const bassNotes = (notes: readonly LineNote[]): Segment => ({ line: line.line, role: line.role, notes });
    if (line.strideNotes) return bassNotes(line.strideNotes);
    if (playsFigures(slot)) return line;
    if (line.figureBass) return bassNotes(line.figureBass);
    const runs = figureRuns(line.notes, (k) => midiOf(line.notes[k]!.pitch), work.beats);
    return runs.length ? bassNotes(heldOnBeats(line.notes, runs)) : line;
  };
  const limits: Readonly<Record<DoubledLine, number>> = style === "plain" ? { melody: 0, bass: 0, inner: 0 } : level === "p" ? { melody: 1, bass: 1, inner: 0 } : level === "mf" ? { melody: 2, bass: 2, inner: 1 } : { melody: 99, bass: 99, inner: 99 };
  // A part fills out the harmony only with a line of two notes or more in the phrase that sounds
  // for half a whole note at least: a wind does not come in for one held note (Mozart K. 545 for
  // orchestra, m. 9: the viola's A3 had brought in the English horn for that bar, its only one in
  // the exposition), nor for two short ones (the Polonaise op. 1/1 for orchestra, m. 20: the B♭3
  // of the left hand's two seventh chords, two eighths, in the English horn, a trumpet and a trombone).
  const harmony = segments.filter((s) => s.role !== "melody" && s.role !== "bass" && s.notes.length > 1 && !lt(s.notes.reduce((a, n) => add(a, n.duration), frac(0)), frac(1, 2)));
  const doubled = new Map<number, number>();
  // Where each part still holds a sketch note of an earlier phrase, and until when.
  const holding = heldPast(work.earlier, phrase.start);
  const doubler: Doubler = {
    busy,
    add(seg, slot, reason, given) {
      const c = given ?? choiceFor(work, seg, slot);
      if (!c) return false;
      work.placements.push({ phrase: phrase.index, slot: slot.index, line: seg.line, notes: seg.notes, shift: c.shift, fixes: c.fixes, principal: false, voice: 1 });
      busy.add(slot.index);
      doubled.set(seg.line, (doubled.get(seg.line) ?? 0) + 1);
      report.doublings.push({ line: seg.line, part: slot.name, interval: intervalName(c.shift), reason });
      return true;
    },
  };
  // A light part doubles with its filled notes taken out, and they are filled again around its
  // doubling, each in a part that plays within a whole note of it already and is free for it (its
  // own second voice too), or left out where its pitch class sounds anyway. Where one would need
  // another part to make room, or bring in a part for it alone (that part's moment instead), the
  // part keeps its notes and doubles nothing.
  const lend = (seg: Segment, slot: Slot, reason: string, c: Choice): boolean => {
    const fills = light.get(slot.index);
    if (!fills) return doubler.add(seg, slot, reason, c);
    const { placements } = work;
    const before = { placements: [...placements], filled: [...report.filled], leftOut: [...report.leftOut], doublings: [...report.doublings], count: doubled.get(seg.line) };
    for (const f of fills) {
      placements.splice(placements.indexOf(f.placement), 1);
      report.filled.splice(report.filled.indexOf(f.entry), 1);
    }
    const refilled = (): boolean => {
      const again = fillLoose(work, fills.map((f) => ({ line: f.placement.line, notes: f.placement.notes })), true);
      const theirs = new Set(again.placed.map((f) => f.placement));
      return again.unplaced === 0 && again.placed.every((f) => playsNear([...work.earlier, ...placements], f.placement.slot, f.placement.notes, theirs));
    };
    if (doubler.add(seg, slot, reason, c) && refilled()) return true;
    placements.splice(0, placements.length, ...before.placements);
    report.filled.splice(0, report.filled.length, ...before.filled);
    report.leftOut.splice(0, report.leftOut.length, ...before.leftOut);
    report.doublings.splice(0, report.doublings.length, ...before.doublings);
    if (before.count === undefined) doubled.delete(seg.line);
    else doubled.set(seg.line, before.count);
    return false;
  };
  for (const slot of free) {
    if (busy.has(slot.index)) continue;
    const habits = slot.instrument.orchestration;
    const eager = work.eager.has(slot.index);
    if (!habits || !doublesHere(work, slot)) continue;
    const had = (x: Segment): number => (work.doubledBefore.shifts.has([x.line, slot.index]) ? 0 : 1);
    for (const target of habits.doubles) {
      const candidates =
        target === "melody" ? (melody ? [melody] : []) : target === "bass" ? (bass ? [bassFor(slot, bass)] : []) : harmony;
      // Brass, and instruments the database calls less than agile (double bass, contrabassoon),
      // double sustained lines, not a keyboard's broken chords (an Alberti bass on the horn or in
      // the double basses' sixteenths); the brass leave its repeated chords too (at f they hold
      // the harmony instead, harmony.ts); and none doubles a line most of whose notes come
      // quicker than it plays easily.
      const figures = playsFigures(slot);
      const keyboardFigure = (s: Segment): boolean =>
        s.figure === "alberti" || s.figure === "arpeggio" || (slot.instrument.family === "brass" && s.figure === "repeated-chords");
      const idiomatic = (figures ? candidates : candidates.filter((s) => !keyboardFigure(s))).filter((s) => !tooQuick(s, slot.instrument, ctx.secondsPerWhole));
      // A repeated tune is not doubled by the instrument that had it (see colour.ts).
      const fresh = work.recolour?.avoid.has(slot.index) ? idiomatic.filter((s) => s.line !== work.recolour!.line) : idiomatic;
      // Nor does a part double a line that comes in while it still holds a sketch note of the
      // phrase before (Clementi op. 36 no. 3, ii, m. 16: the cello's G3, the bass held for the
      // bar, is not cut to double the right hand's B3).
      const holds = holding.get(slot.index);
      const open = fresh.filter((s) => (doubled.get(s.line) ?? 0) < (eager ? Math.max(1, limits[target]) : limits[target]) && !(holds && s.notes[0] && lt(s.notes[0].onset, holds)));
      // The line the part doubled in the phrase before first, where it can double it still (the
      // chorale of BWV 66.6 for orchestra, m. 8: the English horn and the clarinets had swapped
      // the alto and the tenor), then the one it doubles best.
      const best = open
        .map((s) => ({ s, c: choiceFor(work, s, slot) }))
        .filter((x): x is { s: Segment; c: Choice } => !!x.c)
        .sort((a, b) => had(a.s) - had(b.s) || a.c.total - b.c.total)[0];
      const reason =
        target === "melody" ? `melody doubled at ${phrase.dynamic} (${style} style)` : target === "bass" ? `bass reinforced at ${phrase.dynamic}` : `harmony filled out at ${phrase.dynamic}`;
      if (best && lend(best.s, slot, reason, best.c)) break;
    }
  }
  // A light part plays its filled notes where it doubles nothing.
  for (const slot of light.keys()) busy.add(slot);
  joinTheBasses(work, busy);
  leaveAfterBeats(work);
  return doubler;
}

/**
 * The order in which free parts choose what to double: strings, then winds, then brass; within a
 * family, the parts that doubled a line in the phrase before first, so that they can go on with
 * it; then score order.
 */
function doublersFirst(work: PhraseWork): (a: Slot, b: Slot) => number {
  const goesOn = (s: Slot): number => (work.doubledBefore.parts.has(s.index) ? 0 : 1);
  return (a, b) => FAMILY_RANK[a.instrument.family] - FAMILY_RANK[b.instrument.family] || goesOn(a) - goesOn(b) || a.index - b.index;
}

/** A part with this many filled notes in a phrase, and nothing else to play there, is free to double. */
const LIGHT = 2;

/**
 * The parts the fill brought into the phrase for `LIGHT` notes or fewer and nothing else, with
 * those notes: a moment, not the phrase (Clementi op. 36 no. 1, i, for string quartet, mm. 20–23,
 * at f: the second violin had come in for the G5 of the right hand's last dyad alone, so the viola,
 * not the second violin, doubled the first violin's tune, up to G5).
 */
function lightParts(work: PhraseWork, filled: readonly Filled[]): ReadonlyMap<number, readonly Filled[]> {
  const bySlot = groupBy(filled, (f) => f.placement.slot);
  const out = new Map<number, readonly Filled[]>();
  for (const [slot, fills] of bySlot) {
    const own = work.placements.filter((p) => p.slot === slot);
    const mine = new Set(fills.map((f) => f.placement));
    if (own.every((p) => mine.has(p)) && own.reduce((k, p) => k + p.notes.length, 0) <= LIGHT) out.set(slot, fills.filter((f) => own.includes(f.placement)));
  }
  return out;
}

/** Whether a part plays a keyboard's broken chords: not the brass, nor an instrument less than agile (double bass, contrabassoon). */
const playsFigures = (slot: Slot): boolean => slot.instrument.family !== "brass" && slot.instrument.idioms.agility.level >= 4;

/** Whether a part may join the phrase: a decorative one (a glockenspiel) only at the piece's high points (see colour.ts). */
function mayColour(work: PhraseWork, slot: Slot): boolean {
  return !slot.instrument.orchestration?.decorative || work.highPoint;
}

/**
 * Whether a solo part (one player, not a section) would double a line in unison with a part of the
 * same instrument that plays it: two solo violins in unison add weight but no colour, and leave a
 * quartet a player short (the second violin doubles the first an octave down instead, its other
 * habit). Nor, below f, with another solo string player: a violin and a viola in unison are one
 * colour, weight that only a forte asks for (Clementi op. 36/1 i for string quartet, mm. 5–8, at
 * p: the viola had played the first violin's tune with it, up to G5). Sections in unison (an
 * orchestra's violins) and unisons of two instruments of different colours (flute and oboe) are
 * doublings of their own.
 */
function twinInUnison(work: PhraseWork, seg: Segment, slot: Slot, shift: number): boolean {
  if (!isSolo(slot)) return false;
  const oneColour = (other: Slot): boolean =>
    other.instrument.id === slot.instrument.id || (work.texture !== "f" && isSolo(other) && other.instrument.family === "strings" && slot.instrument.family === "strings");
  return work.placements.some((p) => p.line === seg.line && p.shift === shift && oneColour(work.slots[p.slot]!));
}

/**
 * The octaves at which a part may double a line: its habits, less a solo twin's unison, nothing
 * under a bass that lies high, and no octave that lies on another line's notes (`sitsOnOthers`).
 */
function shiftsFor(work: PhraseWork, seg: Segment, slot: Slot): number[] {
  return doublingShifts(slot.instrument).filter((shift) => !twinInUnison(work, seg, slot, shift) && !(shift < 0 && seg.role === "bass" && liesHigh(seg)) && !(shift !== 0 && sitsOnOthers(work, seg, shift)));
}

/**
 * Whether a line moved by `shift` would sound, for half its notes or more, the very keys another
 * of the phrase's lines sounds at the time: an octave doubling that adds no octave of its own but
 * lies on another line, out of step with it (The Snow Is Dancing from MIDI for string quartet, mm.
 * 1–8: the right hand's canon doubled an octave down by the viola, on the left hand's E4–A4 a 16th
 * late, in the cello).
 */
function sitsOnOthers(work: PhraseWork, seg: Segment, shift: number): boolean {
  const byKey = keysOf(work);
  let on = 0;
  for (const n of seg.notes) {
    const m = midiOf(n.pitch) + shift;
    if (byKey.get(m)?.some(({ line, note }) => line !== seg.line && overlaps(note, n))) on++;
  }
  return on * 2 >= seg.notes.length && seg.notes.length > 0;
}

/** The phrase's notes by key number, with their lines, made once per phrase. */
function keysOf(work: PhraseWork): ReadonlyMap<number, readonly { line: number; note: LineNote }[]> {
  let keys = KEYS.get(work);
  if (!keys) {
    keys = groupBy(
      work.segments.flatMap((g) => g.notes.map((note) => ({ line: g.line, note }))),
      ({ note }) => midiOf(note.pitch),
    );
    KEYS.set(work, keys);
  }
  return keys;
}

const KEYS = new WeakMap<PhraseWork, ReadonlyMap<number, readonly { line: number; note: LineNote }[]>>();

/** C♯4: a bass line that lies there or higher (over middle C) for most of its length lies high. */
const HIGH_BASS = 61;

/**
 * Whether a bass line lies high, over middle C for more than half its length: a bassetto,
 * the composer's bass kept out of the bass register (the opening of Clair de lune, its lowest
 * line F4–G♭4), which no part doubles an octave down (double basses, contrabassoon and tuba rest
 * there, as in Mozart's and Beethoven's passages without basses).
 */
function liesHigh(seg: Segment): boolean {
  let high = frac(0);
  let all = frac(0);
  for (const n of seg.notes) {
    all = add(all, n.duration);
    if (midiOf(n.pitch) >= HIGH_BASS) high = add(high, n.duration);
  }
  return lt(sub(all, high), high);
}

/**
 * Whether most of a line's notes come quicker than an instrument plays easily (`easyRate`, the
 * pace at which the agility cost starts).
 */
function tooQuick(seg: Segment, inst: Instrument, secondsPerWhole: number): boolean {
  const shortest = 1 / easyRate(inst);
  const quick = seg.notes.filter((n) => toNumber(n.duration) * secondsPerWhole < shortest).length;
  return quick * 2 > seg.notes.length;
}

/**
 * How a part would double the melody, if it doubles melodies by habit and can double this one:
 * its choice (octave and cost: the line's register, comfort and timbre in that part).
 */
export function melodyDoubling(work: PhraseWork, slot: Slot, melody: Segment): Choice | undefined {
  if (!slot.instrument.orchestration?.doubles.includes("melody") || !doublesHere(work, slot)) return undefined;
  return choiceFor(work, melody, slot);
}

/**
 * Whether a part may double a line in this phrase: an instrument the database has doubling only
 * at forte (trumpets, trombones, tuba, piccolo) does so where the texture is f, or at any level
 * where it would otherwise sit out the whole piece (`eager`); a decorative one (glockenspiel) at
 * a high point. Balance keeps to it too: Haydn's op. 74 no. 1, ii, for orchestra, mm. 1–4,
 * unmarked (mf): the trumpets had joined the first violins' grazioso tune to carry it over the
 * bass's four parts.
 */
function doublesHere(work: PhraseWork, slot: Slot): boolean {
  const forteOnly = slot.instrument.orchestration?.forteOnly && work.texture !== "f" && !work.eager.has(slot.index);
  return !forteOnly && mayColour(work, slot);
}

/**
 * How a free part doubles a line at one of its octaves: all notes in range, nearly all
 * comfortable, none under the sketch's bass (see `sinksUnderBass`); of the octaves that do, the
 * one where a tune lies in the part's singing registers (the choice's timbre term: the Wild
 * Horseman's E4–F5 in the flutes an octave up, out of their weak low register), the first on a
 * tie. A tune keeps its doubling's octave from phrase to phrase, as an orchestrator sets it for
 * the whole tune (`around`): the octave the part had in the phrase before, where it still passes,
 * every note comfortable, and no note lies in a weak register; else, of the octaves singing best
 * here, the one singing best over this phrase and the next, where the tune goes on at the same
 * level; and where that one would not pass in the next phrase, one that would and has no note in
 * a weak register here either (Alexander's Ragtime Band for orchestra: the flutes had doubled mm.
 * 1–3 in unison and leapt an octave up at m. 3's upbeat, where the tune dips to C4; a first
 * violin doubling a piccolo's tune at pp stays an octave under it, out of its thin top, though
 * the tune goes on there). The basses an octave under the bass play the few notes that would go
 * under their lowest string at the line's own pitch, as bass parts are written (CPE Bach's Rondo H. 186 for
 * orchestra, m. 8: the left hand's D2 and C♯2 in octaves before its eighths climb to B3; the
 * double basses had rested under the tuba and bass trombone, which played the line).
 */
function doublingChoice(seg: Segment, slot: Slot, ctx: AssignContext, shifts: readonly number[], around: Neighbours = {}): Choice | undefined {
  const basses = seg.role === "bass" && bassByHabit(slot.instrument);
  const passes = (notes: readonly LineNote[], shift: number): Choice | undefined => {
    const part = notes === seg.notes ? seg : { ...seg, notes };
    const c = chooseAt(part, slot, shift, { ...ctx, previous: new Map() });
    const folded = !!c && (c.fixes.size === 0 || (basses && shift < 0 && [...c.fixes.values()].every((f) => f === -shift)));
    // A doubling must sit comfortably and in a register that makes the dynamic, and an octave
    // down it must not sink under the bass: K. 545 for string quartet, m. 2, the viola's tune an
    // octave down, B3 C4, under the Alberti figure's D4, which the bass guard then moved back up
    // (B4 C5 D4 C4, a line in two octaves).
    const midis = notes.map((n) => midiOf(n.pitch) + shift);
    return c && folded && c.terms.comfort <= 2 && !sinksUnderBass(part, shift, ctx) && (!ctx.level || dynamicMisfit(slot.instrument, midis, ctx.level) === 0) ? c : undefined;
  };
  // A tune sings where none of its notes lies in one of the part's weak registers.
  const sings = (shift: number): boolean => !seg.notes.some((n) => singingScore(slot.instrument, midiOf(n.pitch) + shift) < 0);
  const fits: { c: Choice; ahead: boolean; pooled: number; sings: boolean }[] = [];
  for (const shift of shifts) {
    const c = passes(seg.notes, shift);
    if (!c) continue;
    // The octave the part doubled the line at in the phrase before, where it still passes, every
    // note comfortable, and the tune sings there (Mozart's K. 545 for orchestra, mm. 5–8: the
    // flutes take the violins' scales an octave up, not down to E4 with them).
    if (shift === around.before && c.terms.comfort === 0 && sings(shift)) return c;
    const next = around.ahead?.length ? passes(around.ahead, shift) : undefined;
    const n = seg.notes.length;
    const pooled = next ? (c.terms.timbre * n + next.terms.timbre * around.ahead!.length) / (n + around.ahead!.length) : c.terms.timbre;
    fits.push({ c, ahead: !around.ahead?.length || !!next, pooled, sings: sings(shift) });
  }
  // Else the one where the tune sings best here, and on a tie over this phrase and the next,
  // where the line goes on at this level; but where that one would not pass in the next phrase,
  // one that would and where the tune sings here too, singing best over both phrases.
  const best = lowest(fits, (f) => [f.c.terms.timbre, f.pooled]);
  if (!best || best.ahead) return best?.c;
  return (lowest(fits.filter((f) => f.ahead && f.sings), (f) => [f.pooled]) ?? best).c;
}

/** The first item whose key is lowest, key by key (the first key that differs decides). */
function lowest<T>(items: readonly T[], key: (item: T) => readonly number[]): T | undefined {
  return items.reduce<T | undefined>((m, x) => {
    if (m === undefined) return x;
    const [a, b] = [key(x), key(m)];
    const k = a.findIndex((v, i) => v !== b[i]);
    return k >= 0 && a[k]! < b[k]! ? x : m;
  }, undefined);
}

/** A doubling's neighbours: the octave the part doubled the line at in the phrase before, and the line's notes in the next phrase where it keeps the level. */
interface Neighbours {
  readonly before?: number | undefined;
  readonly ahead?: readonly LineNote[];
}

/** How a part would double a line of the phrase: at one of its octaves (see `shiftsFor`), as it doubled the line before and can double it next (see `doublingChoice`). */
function choiceFor(work: PhraseWork, seg: Segment, slot: Slot): Choice | undefined {
  const around = seg.role === "melody" ? { before: work.doubledBefore.shifts.get([seg.line, slot.index]) ?? work.doubledBefore.shifts.get(["melody", slot.index]), ahead: work.ahead(seg.line) } : {};
  return doublingChoice(seg, slot, work.ctx, shiftsFor(work, seg, slot), around);
}

/**
 * The cellos play the bass with the double basses: where the basses play the phrase's bass (as its
 * principal or doubling it) and the part of their family that plays the bass at pitch by habit
 * rests (its own line of the phrase has stopped, or not begun), that part joins them on the bass
 * at the sketch's pitch, in runs of two notes or more, three at least in the phrase (Der
 * Lindenbaum for orchestra, mm. 5–6: the basses and bassoons had the bass while the cellos, whose
 * line was the open fifth's upper note, rested). Double basses alone on a bass are a colour a
 * composer asks for, not an arranger's default (Rimsky-Korsakov, Adler). Of a stride bass, whose
 * bass notes alone the basses play (see `strideBass` in segments.ts), the part that joins them
 * plays the whole line at pitch, its after-beats too (the Polonaise op. 1 no. 2 for orchestra:
 * the double basses on each bar's C, the cellos on C G G G G G).
 */
function joinTheBasses(work: PhraseWork, busy: Set<number>): void {
  const line = work.segments.find((s) => s.role === "bass");
  if (!line) return;
  const bass = line.line;
  // Of a stride bass the basses play the bass notes; the part that joins them plays at pitch, with the after-beats.
  const stride = line.strideNotes && new Set(line.strideNotes);
  for (const p of [...work.placements]) {
    const slot = work.slots[p.slot]!;
    if (!slot.reinforcesBass || p.line !== bass) continue;
    const theirs = new Set(p.notes);
    const played = stride ? line.notes.filter((n) => theirs.has(n) || !stride.has(n)) : p.notes;
    // The lowest of its family that carries the bass at pitch (the part that makes it a reinforcement): the cellos, the bassoons (not the bass clarinet).
    const partner = work.slots
      .filter((s) => s.instrument.family === slot.instrument.family && !s.reinforcesBass && carriesBassAtPitch(s.instrument))
      .sort((a, b) => a.comfortable.low - b.comfortable.low || a.index - b.index)[0];
    if (!partner || work.placements.some((q) => q.slot === partner.index && q.line === bass)) continue;
    const own = [...work.earlier, ...work.placements].filter((q) => q.slot === partner.index);
    const rests = (k: number): boolean => {
      const n = played[k]!;
      const m = midiOf(n.pitch);
      return m >= partner.absolute.low && m <= partner.absolute.high && own.every((q) => !mayOverlap(q, n) || q.notes.every((o) => !overlaps(o, n)));
    };
    const free = played.map((_, k) => rests(k));
    const ks = played.flatMap((_, k) => (free[k] && (free[k - 1] || free[k + 1]) ? [k] : []));
    if (ks.length < 3) continue;
    const notes = ks.map((k) => played[k]!);
    const ownNotes = own.filter((q) => q.voice === 1).flatMap((q) => q.notes);
    if (!notes.every((n) => work.writable([...ownNotes, ...notes], n))) continue;
    work.placements.push({ phrase: work.phrase.index, slot: partner.index, line: bass, notes, shift: 0, fixes: new Map(), principal: false, voice: 1 });
    busy.add(partner.index);
    work.report.doublings.push({ line: bass, part: partner.name, interval: intervalName(0), reason: `the bass with ${slot.name} where ${partner.name} rests` });
  }
}

/**
 * A stride bass carried by a part that doubles the bass an octave down by habit (a band's string
 * bass, a tuba) leaves its chords' after-beats to the parts that play them with it at pitch,
 * as its doublings do (see `strideBass` in segments.ts): the Maple Leaf Rag for concert band,
 * m. 1, the string bass A♭ – E♭ A under the bassoons' A♭ E♭ E♭ A. Where no other part plays an
 * after-beat (a brass quintet's tuba), the part keeps it.
 */
function leaveAfterBeats(work: PhraseWork): void {
  const bass = work.segments.find((s) => s.role === "bass");
  const stride = bass?.strideNotes;
  if (!bass || !stride) return;
  const keep = new Set(stride);
  work.placements.forEach((p, i) => {
    if (!p.principal || p.line !== bass.line || !bassByHabit(work.slots[p.slot]!.instrument)) return;
    const drop = new Set(p.notes.flatMap((n, k) => (!keep.has(n) && playedElsewhere(work.placements, n, p.slot) ? [k] : [])));
    if (drop.size > 0) work.placements[i] = without(p, drop);
  });
}
