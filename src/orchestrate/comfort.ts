/**
 * Comfortable ranges: a part should not be asked for notes outside what a good section plays safely
 * (`range.comfortable`) where Tutti chose the part and the octave: a doubling, a note filled in, a
 * line given to an instrument. Such a placement whose notes leave the range moves by an octave as a
 * whole where that brings them all in (a note moved that way before, off the line, back onto it
 * where it fits there now); a line a part carries otherwise moves piece by piece,
 * between its rests and held notes (a run whole before the note it lands on, where only that way it
 * fits), and a wind or brass run wider than its part folds, in two where the sketch leaps at a beat
 * or else at its beats, and a beat no octave brings in whole note by note, or a few notes together,
 * where a step stays a step (a broken chord reordered, never a scale broken into sevenths); in a
 * doubling or fill, the notes outside move by an octave where that brings them in. A tune stays on
 * top of the lines the sketch has under it, and above the sketch's lowest note unless it is that
 * note itself and all of it there moves together (a right hand's run while the left hand rests);
 * another line moved up, whole, by pieces or note by note, stays under the tune (Der Lindenbaum for
 * woodwind quintet, m. 9: the oboe's inner line had gone up an octave, out of its low register,
 * over the flute's tune), unless a piece of it moves onto notes the sketch itself strikes there, as
 * long: its own octave of the line (Der Lindenbaum for woodwind quintet, mm. 67–72: the oboe plays
 * the right hand's figure in its upper octave, over the voice's tune as the piano has it, not in
 * its lower octave, which dips under the oboe's C4), and one moved down does not go into mud, under
 * the low interval limits over the part below it (the Maple Leaf Rag for brass quintet, mm. 55–56:
 * the horn's A♭3 B♭3 C4, not A♭2 over the tuba's E♭2). A string section moves only whole pieces and
 * never folds a run; a singer keeps the sketch's register, unless it sings a bass that an
 * instrument plays an octave down by habit (a double bass). The bass moves only down, or back to
 * the sketch's pitch, so that it stays the bass, except a note below every bass part's comfortable
 * range, which goes up an octave where it stays the lowest; nothing moves below the bass (see
 * bass.ts); notes that no octave brings in stay where they are, unless, after the trades of
 * exchange.ts, a part whose own note then another part sounds anyway takes them
 * (`handOverPoorNotes`).
 */
import type { LineNote } from "../analyse/types.js";
import { add, eq, type Fraction, frac, gt, lt, max, sub } from "../model/fraction.js";
import { midiOf, nameOf } from "../model/pitch.js";
import { carriesLowest, freePart, halvesOf, type LowestIn, soundingFloor } from "./bass.js";
import { registerMisfit } from "./check.js";
import { muddy } from "./low-interval.js";
import { type Around, endsUnder, everyIn, everyMeeting, isDerivedBass, mayMeet, mayOverlap, octaveDown, overlaps, type PhraseWork, pieces, type Placement, playedElsewhere, sameFixes, semitonesOf, soundingMidi, type Span, twinSounds, without } from "./plan.js";
import { mendSteps } from "./mend-steps.js";
import { intervalName } from "./report.js";
import { bassByHabit, type Slot } from "./slots.js";

/**
 * Moves the phrase's placements into their parts' comfortable ranges, and out of registers that
 * cannot make the dynamic they are played at (`registerMisfit`: a flute's low register at f, a
 * trumpet's high register at pp), where an octave can; then the notes filled into a part go with
 * its line where it moved (`followLines`). `dynamicOf` is the dynamic the sketch plays a note at.
 */
export function keepComfortable(work: PhraseWork, lowest: LowestIn, around: Around, dynamicOf: (n: LineNote) => string | undefined): void {
  const bass = work.segments.find((s) => s.role === "bass")?.line;
  const melody = work.segments.find((s) => s.role === "melody")?.line;
  work.placements.forEach((p, i) => {
    const slot = work.slots[p.slot]!;
    const isBass = p.line === bass || isDerivedBass(p.line);
    // Instruments that play a bass an octave down by habit (double bass, tuba, contrabassoon) may
    // take a climbing bass down; a singer keeps the sketch's register, and a string section moves
    // only whole pieces of its line (a run above C7 in the first violins stays: violins play it).
    const downByHabit = isBass && (slot.instrument.orchestration?.octaves?.includes(-1) ?? false);
    if (!downByHabit && p.principal && slot.instrument.family === "voice") return;
    const keepsRegister = !downByHabit && p.principal && slot.instrument.family === "strings";
    const at = (k: number, semis: number): number => midiOf(p.notes[k]!.pitch) + semis;
    const poor = (k: number, m: number): boolean => playsPoorly(slot, m, dynamicOf(p.notes[k]!));
    // A note may not go below the sketch's lowest note of its half measure unless it doubles it;
    // a bass note stays at its pitch or below, and above the half measure's lowest note too. The
    // bass line taken down whole (`shift`, its octave then) keeps its shape: where it plays that
    // lowest note itself, it is held against that note taken down with it (as `guardBass` holds it).
    // A line that is itself the sketch's lowest in a half measure (a right hand's run while the
    // left hand rests) keeps that note the lowest where all its notes there move by one octave
    // (`together`: whether they all do).
    const aboveBass = (k: number, m: number, shift = 0, together?: (within: readonly number[]) => boolean): boolean => {
      const n = p.notes[k]!;
      if (isBass && m > midiOf(n.pitch)) return false;
      // Nor does a line go down into mud over a part below it (the low interval limits).
      if (!isBass && m < midiOf(n.pitch) && tooLowOver(work, p, n, m)) return false;
      const span = around(n.onset, add(n.onset, n.duration));
      const bass = lowest(span.from, span.to);
      if (bass === undefined || m >= bass || (bass - m) % 12 === 0) return true;
      if (!isBass && together) {
        const within: number[] = [];
        everyIn(p, span.from, span.to, (j) => within.push(j) > 0);
        if (within.some((j) => midiOf(p.notes[j]!.pitch) <= bass) && together(within)) return true;
      }
      // Over a bass its parts play an octave down (a tuba under the left hand's chords), the lines may fill the octave it left.
      if (!isBass && m >= soundingFloor(work, span, bass)) return true;
      if (shift >= 0 || !carriesLowest(p, span, bass)) return false;
      return m >= bass + shift || (bass + shift - m) % 12 === 0;
    };
    // A tune stays above every line sounding with it that the sketch has below it (of the phrases
    // before, those that reach into this one).
    let earlier: Placement[] | undefined;
    const over = (k: number, m: number): boolean => {
      earlier ??= work.earlier.filter((q) => mayMeet(q, p));
      const n = p.notes[k]!;
      const below = (q: Placement): boolean => q.line === p.line || !mayOverlap(q, n) || everyMeeting(q, n, (ok) => soundingMidi(q, ok) <= m || midiOf(q.notes[ok]!.pitch) > midiOf(n.pitch));
      return earlier.every(below) && work.placements.every(below);
    };
    const onTop = (k: number, m: number): boolean => p.line !== melody || !p.principal || over(k, m);
    // Another line, moved up, stays under the tune where they meet.
    const tune = p.line === melody ? [] : work.placements.filter((q) => q.line === melody);
    const underTune = (k: number, m: number): boolean => {
      const n = p.notes[k]!;
      return tune.every((q) => !mayOverlap(q, n) || everyMeeting(q, n, (ok) => soundingMidi(q, ok) >= m));
    };
    // Another of the phrase's lines strikes key `m` with note k, and holds it as long: the sketch's own octave of it.
    const sketched = (k: number, m: number): boolean => work.segments.some((g) => g.line !== p.line && g.notes.some((o) => eq(o.onset, p.notes[k]!.onset) && midiOf(o.pitch) === m && !lt(o.duration, p.notes[k]!.duration)));
    // A tune under such a line (its phrase taken down an octave to fit the part) is buried.
    if (!p.notes.some((_, k) => poor(k, at(k, semitonesOf(p, k))) || !onTop(k, at(k, semitonesOf(p, k))))) return;
    for (const move of keepsRegister ? [] : [12, -12]) {
      const fitsAt = (k: number, semis: number): boolean => {
        const m = at(k, semis);
        return !poor(k, m) && aboveBass(k, m, Math.min(0, p.shift + move), () => true) && (move > 0 ? underTune(k, m) : onTop(k, m));
      };
      if (p.notes.every((_, k) => fitsAt(k, semitonesOf(p, k) + move))) return moveWhole(work, i, slot, move, (k) => fitsAt(k, p.shift + move));
    }
    // A line the part carries moves piece by piece, a run folded at its figures (`foldPieces`). A
    // line moved up stays under the tune; a tune moved down takes the lines above it down with it
    // (`lowerUnder`). What no octave brings in stays where it is.
    if (p.principal && !isBass) {
      const fixes = new Map(p.fixes);
      const sounding = (k: number): number => at(k, p.shift + (fixes.get(k) ?? 0));
      // Moves a piece to `semis` from the sketch's pitch, if all of it fits there (and, where
      // `still`, no other line need go down with it).
      const place = (piece: readonly number[], semis: number, still = false): boolean => {
        const together = (within: readonly number[]): boolean => within.every((j) => piece.includes(j) || sounding(j) === at(j, semis));
        const fits = piece.every((k) => !poor(k, at(k, semis)) && aboveBass(k, at(k, semis), 0, together) && (at(k, semis) <= sounding(k) || underTune(k, at(k, semis)) || sketched(k, at(k, semis))));
        if (!fits) return false;
        // The tune's notes going down, or left under a line the sketch has below them, take that line down.
        const under = p.line === melody ? piece.filter((k) => at(k, semis) < sounding(k) || !onTop(k, at(k, semis))) : [];
        if (under.length && !lowerUnder(work, i, under.map((k) => ({ k, m: at(k, semis) })), { bass, lowest, around, dynamicOf, still })) return false;
        for (const k of piece) fixes.set(k, semis - p.shift);
        return true;
      };
      // A run moved whole stays over the lines the sketch has under it (a tune's, by `lowerUnder`).
      const keepsOrder = (k: number, semis: number): boolean => p.line === melody || over(k, at(k, semis));
      foldPieces({ notes: p.notes, shift: p.shift, sounding, misplaced: (k) => poor(k, sounding(k)) || !onTop(k, sounding(k)), poor, place, keepsOrder, mark: () => mark(work, fixes), folds: !keepsRegister });
      if (p.line === melody) mendSteps(p.notes, (k) => sounding(k) - midiOf(p.notes[k]!.pitch), place, !keepsRegister);
      if (!sameFixes(fixes, p.fixes)) work.placements[i] = { ...p, fixes };
      return;
    }
    // Doublings and filled-in notes may move into comfort note by note. So may a bass note below
    // its part's comfortable range (a G1 in a woodwind quintet's bassoon) go up an octave, where
    // it stays the lowest note sounding: the one place the bass moves up (it is reported).
    const fixes = new Map(p.fixes);
    const staysLowest = (k: number, m: number): boolean => {
      const n = p.notes[k]!;
      const over = (q: Placement): boolean => q === p || !mayOverlap(q, n) || everyMeeting(q, n, (ok) => soundingMidi(q, ok) >= m || (m - soundingMidi(q, ok)) % 12 === 0);
      return work.earlier.every(over) && work.placements.every(over);
    };
    p.notes.forEach((n, k) => {
      const m = at(k, semitonesOf(p, k));
      if (!poor(k, m)) return;
      // The octave that plays it well: towards the range from outside it; out of a register that
      // cannot make the dynamic (a flute's low at f, a trumpet's top at pp), up first.
      const move = [12, -12].find((d) => !poor(k, m + d));
      // A solo player's doubling moved onto its twin's note (a second violin's octave-below
      // doubling into unison with the first) doubles nothing: it stays, to be left out.
      if (move === undefined || (!p.principal && twinSounds(work, p, n, m + move))) return;
      if (aboveBass(k, m + move) && (move < 0 || underTune(k, m + move))) fixes.set(k, (fixes.get(k) ?? 0) + move);
      else if (isBass && p.principal && move > 0 && staysLowest(k, m + move)) {
        fixes.set(k, (fixes.get(k) ?? 0) + move);
        work.report.moved.push({ line: p.line, part: slot.name, measure: work.label(n.onset), pitch: nameOf(n.pitch), octaves: 1 });
      }
    });
    if (!sameFixes(fixes, p.fixes)) work.placements[i] = { ...p, fixes };
  });
  followLines(work, lowest, around, dynamicOf);
}

/**
 * Moves a placement whole by an octave (`move`), and says so in the report at the octave it now
 * sounds: of a part's own line (the Polonaise op. 1 no. 3 for brass quintet: the tuba's bass taken
 * down an octave, which the report had called "bass in Tuba" at the sketch's pitch), and of a
 * doubling (the Clementi op. 36 no. 3, i, for concert band, mm. 1–4: the flutes' doubling an
 * octave above the oboes' tune, up to C7, came down to unison, and the report still said "an
 * octave above").
 */
function moveWhole(work: PhraseWork, i: number, slot: Slot, move: number, fitsOnLine: (k: number) => boolean): void {
  const p = work.placements[i]!;
  const fixes = new Map(p.fixes);
  // A note already moved that way by an octave, off the line to bring it into range, comes back
  // onto the line where it fits there now (the Maple Leaf Rag for brass quintet, m. 8: the
  // trumpet's A♭6, over its range, had been taken down an octave, and then two with its arpeggio,
  // to A♭4 after B4).
  for (const [k, semis] of p.fixes) {
    if (Math.sign(semis) !== Math.sign(move) || !fitsOnLine(k)) continue;
    fixes.delete(k);
    const n = p.notes[k]!;
    const at = work.report.moved.findIndex((x) => x.line === p.line && x.part === slot.name && x.pitch === nameOf(n.pitch) && x.measure === work.label(n.onset));
    if (at >= 0) work.report.moved.splice(at, 1);
  }
  work.placements[i] = { ...p, shift: p.shift + move, fixes };
  const how = `${move > 0 ? "up" : "down"} an octave from ${p.shift === 0 ? "the sketch's pitch" : intervalName(p.shift)}, where the part plays it well`;
  if (p.principal) {
    const list = work.report.assignments;
    const k = list.findIndex((a) => a.line === p.line && a.part === slot.name && a.octaves * 12 === p.shift);
    if (k >= 0) list[k] = { ...list[k]!, octaves: (p.shift + move) / 12, why: `${list[k]!.why}; then ${how}` };
    return;
  }
  const list = work.report.doublings;
  const k = list.findIndex((d) => d.line === p.line && d.part === slot.name && d.interval === intervalName(p.shift));
  if (k >= 0) list[k] = { ...list[k]!, interval: intervalName(p.shift + move), reason: `${list[k]!.reason}; ${how}` };
}

/** How far in time a part's notes either side of a filled note may lie and still be its line around it. */
const LINE_GAP = frac(1, 4);

/**
 * A note filled into a part (a chord note no line of its own holds) goes with the part's line
 * where the stages have moved that line an octave away from it: where it lies more than an octave
 * from the part's note just before it or just after it, and an octave towards them brings it
 * within an octave of both, it moves there, where the part plays it well, over the sketch's lowest
 * note of its half measure (or an octave of it), out of mud and under the tune (the Maple Leaf Rag
 * for brass quintet, m. 56: the horn's C5, taken for a doubled chord note of its line at the
 * sketch's pitch, between that line's C4 and B♭3 taken down for the horn's comfort, is C4).
 */
function followLines(work: PhraseWork, lowest: LowestIn, around: Around, dynamicOf: (n: LineNote) => string | undefined): void {
  const outer = new Set(work.segments.filter((g) => g.role === "melody" || g.role === "bass").map((g) => g.line));
  const melody = work.segments.find((g) => g.role === "melody")?.line;
  const tune = work.placements.filter((q) => q.principal && q.line === melody);
  work.placements.forEach((p, i) => {
    if (p.principal || p.notes.length !== 1 || outer.has(p.line) || isDerivedBass(p.line)) return;
    const n = p.notes[0]!;
    const end = add(n.onset, n.duration);
    const m = soundingMidi(p, 0);
    const [before, after] = neighbours(work, p, n);
    if (before === undefined || after === undefined || (Math.abs(m - before) <= 12 && Math.abs(m - after) <= 12)) return;
    const slot = work.slots[p.slot]!;
    const span = around(n.onset, end);
    const bass = lowest(span.from, span.to);
    // The bass stays the bass: the note goes under every other note sounding with it only as the
    // sketch's lowest note of its time (an octave of it), and never up from under them.
    let floor = Infinity;
    for (const q of [...work.earlier, ...work.placements]) {
      if (q !== p && mayOverlap(q, n)) everyMeeting(q, n, (ok) => ((floor = Math.min(floor, soundingMidi(q, ok))), true));
    }
    const own = lowest(n.onset, end);
    const keepsBass = (x: number): boolean => (x < floor ? own !== undefined && (own - x) % 12 === 0 : !(m < floor && x > floor));
    const fits = (x: number): boolean =>
      keepsBass(x) &&
      Math.abs(x - before) <= 12 &&
      Math.abs(x - after) <= 12 &&
      !playsPoorly(slot, x, dynamicOf(n)) &&
      (bass === undefined || x >= bass || (bass - x) % 12 === 0) &&
      !(x < m && tooLowOver(work, p, n, x)) &&
      tune.every((q) => q.slot === p.slot || !mayOverlap(q, n) || everyMeeting(q, n, (ok) => soundingMidi(q, ok) > x));
    const move = [12, -12].find((d) => fits(m + d));
    if (move !== undefined) work.placements[i] = { ...p, shift: p.shift + move };
  });
}

/**
 * Where the part's voice of `p` sounds just before `n` and just after it (key numbers): its notes
 * ending at most `LINE_GAP` before `n` is struck and struck at most `LINE_GAP` after it ends.
 */
function neighbours(work: PhraseWork, p: Placement, n: LineNote): [number | undefined, number | undefined] {
  const end = add(n.onset, n.duration);
  let before: { at: Fraction; m: number } | undefined;
  let after: { at: Fraction; m: number } | undefined;
  for (const q of [...work.earlier, ...work.placements]) {
    if (q === p || q.slot !== p.slot || q.voice !== p.voice) continue;
    q.notes.forEach((o, k) => {
      const oEnd = add(o.onset, o.duration);
      if (!gt(oEnd, n.onset) && !lt(oEnd, sub(n.onset, LINE_GAP)) && (!before || gt(oEnd, before.at))) before = { at: oEnd, m: soundingMidi(q, k) };
      if (!lt(o.onset, end) && !gt(o.onset, add(end, LINE_GAP)) && (!after || lt(o.onset, after.at))) after = { at: o.onset, m: soundingMidi(q, k) };
    });
  }
  return [before?.m, after?.m];
}

interface Fold {
  readonly notes: readonly LineNote[];
  /** The line's octave in its part (semitones). */
  readonly shift: number;
  /** Where note k sounds now: at its octave, with the moves made so far. */
  readonly sounding: (k: number) => number;
  /** Whether note k must move: its part plays it poorly, or a tune lies under a line the sketch has below it. */
  readonly misplaced: (k: number) => boolean;
  /** Whether the part plays note k poorly at key number m. */
  readonly poor: (k: number, m: number) => boolean;
  /** Moves notes to `semis` from the sketch's pitch where all of them fit there; true when it did. */
  readonly place: (ks: readonly number[], semis: number) => boolean;
  /** Whether note k, `semis` from the sketch's pitch, stays over the lines the sketch has under it. */
  readonly keepsOrder: (k: number, semis: number) => boolean;
  /** Marks the moves made so far; the function it returns undoes those made since. */
  readonly mark: () => () => void;
  /** Whether a run may fold (not in a string section). */
  readonly folds: boolean;
}

/** Where note k of a fold sounds now, in semitones from the sketch's pitch. */
function offsetOf({ notes, sounding }: Fold, k: number): number {
  return sounding(k) - midiOf(notes[k]!.pitch);
}

/** The moves made so far (a line's fixes, and the phrase's placements): the function returned undoes those made since. */
function mark(work: PhraseWork, fixes: Map<number, number>): () => void {
  const kept = new Map(fixes);
  const placements = [...work.placements];
  return () => {
    fixes.clear();
    for (const [k, semis] of kept) fixes.set(k, semis);
    work.placements.splice(0, work.placements.length, ...placements);
  };
}

/**
 * Moves a line its part carries piece by piece, each piece between two joints (a rest, a held note)
 * to the one octave that brings all of it in: an arranger takes a tune down at a breath. A piece no
 * octave brings in whole may be a run that does not fit with the note it lands on (held, or before
 * a rest): the run goes to one octave whole, over the lines the sketch has under it, and the note
 * it lands on to the nearest that fits, where that joins it to the notes either side by no wider a
 * leap than an octave, or than the sketch's own (a scale to B5 an octave down, then its C5 at
 * pitch). Else the piece (a run wider than the part) is folded: in two, each part at one octave,
 * cut where the sketch leaps to a beat's first note or leaps an octave (`foldInTwo`: Clementi op.
 * 36 no. 3 i for brass quintet, mm. 17–19, the trumpet's run to D6 an octave down whole from its G,
 * back at pitch at the leap from A to E of m. 19); or beat by beat, each beat at one octave, the
 * nearest to the one before: a run folded at its figures. Of the two, the one that leaves fewer
 * notes the part plays poorly, then breaks fewer steps and repeated notes across an octave, then
 * moves fewer notes (The Entertainer for brass quintet, m. 89: only that bar, with its C6, an
 * octave down, not the bar before it as well). Where no octave takes the whole beat, a note the
 * part plays poorly moves alone (a broken chord, reordered) to an octave that keeps the steps it
 * makes with the notes either side steps (the next one where it stays, or where it can follow if it
 * must move too, which is held to this rule in its turn); or, where it cannot move alone, with the
 * fewest notes around it (up to `WINDOW`) that go to one octave together and join the notes either
 * side as the sketch joins them, a step still a step and a leap no wider than an octave or the
 * sketch's own (Der Lindenbaum for brass quintet, mm. 77–78: the second trumpet's G♯3 F♯3, under
 * its G3, up an octave together after the E4 the G♯3 leaps from). A scale is never broken into
 * sevenths.
 */
function foldPieces(fold: Fold): void {
  const { notes, shift, sounding, misplaced, poor, place, keepsOrder, mark, folds } = fold;
  const offset = (k: number): number => offsetOf(fold, k);
  const octaves = octavesFrom;
  const keepsSteps = (k: number, semis: number): boolean =>
    [k - 1, k + 1].every((j) => {
      const o = notes[j];
      const m = midiOf(notes[k]!.pitch);
      if (!o || Math.abs(midiOf(o.pitch) - m) > 2) return true;
      // The next note, played poorly where it is, must be able to follow at this octave.
      if (j > k && poor(j, sounding(j))) return !poor(j, midiOf(o.pitch) + semis);
      return Math.abs(sounding(j) - (m + semis)) <= 2;
    });
  // Note b moved to `semis` from the sketch's pitch joins note a, where a stays, as the sketch
  // joins them: a step still a step, a leap no wider than an octave or than the sketch's own.
  const joins = (a: number, b: number, semis: number): boolean => {
    const o = notes[a];
    if (!o) return true;
    const step = Math.abs(midiOf(o.pitch) - midiOf(notes[b]!.pitch));
    const leap = Math.abs(sounding(a) - (midiOf(notes[b]!.pitch) + semis));
    return step <= 2 ? leap <= 2 : leap <= Math.max(12, step);
  };
  const joined = (a: number, b: number): boolean =>
    a < 0 || Math.abs(sounding(b) - sounding(a)) <= Math.max(12, Math.abs(midiOf(notes[b]!.pitch) - midiOf(notes[a]!.pitch)));
  let last = shift;
  // A piece no octave takes whole: the run before its last note at one octave; else in two at a
  // figure's start (`foldInTwo`) or beat by beat, note by note, whichever sits better (`gradeOf`).
  const foldPiece = (piece: readonly number[]): void => {
    // The run before the note that ends the piece (held, or before a rest), at one octave, and
    // that note at its own (the nearest that fits).
    const run = piece.slice(0, -1);
    const end = piece[piece.length - 1]!;
    const landed =
      run.length > 1 &&
      run.some(misplaced) &&
      octaves(shift).some((semis) => {
        if (!run.every((k) => keepsOrder(k, semis))) return false;
        const undo = mark();
        if (!place(run, semis)) return false;
        if (offset(end) !== semis || misplaced(end)) octaves(semis).some((at) => place([end], at));
        // Joined to the notes either side by no wider a leap than an octave, or than the sketch's.
        if (joined(run[0]! - 1, run[0]!) && joined(run[run.length - 1]!, end)) return true;
        undo();
        return false;
      });
    if (landed) {
      last = offset(end);
      return;
    }
    // Else in two, or beat by beat: whichever leaves fewer notes out of place, then breaks fewer
    // steps and repeated notes across an octave, then moves fewer.
    const before = piece.map(offset);
    const grade = (): number[] => gradeOf(fold, piece, before);
    const byBeats = (): void => {
      for (const beat of beats(notes, piece)) {
        if (!beat.some(misplaced)) continue;
        if (octaves(last).some((semis) => place(beat, semis))) last = offset(beat[0]!);
        else if (beat.length > 1) foldNotes(piece, beat);
      }
    };
    const lastBefore = last;
    const start = mark();
    byBeats();
    const beaten = grade();
    // The fold by beats, to come back to where the fold in two is no better.
    const folded = mark();
    const lastFolded = last;
    start();
    last = lastBefore;
    if (foldInTwo(fold, piece, last, joined) && isBetter(grade(), beaten)) {
      last = offset(end);
      return;
    }
    folded();
    last = lastFolded;
  };
  // A beat no octave takes whole: its notes the part plays poorly, each alone or with the fewest
  // notes around it.
  const foldNotes = (piece: readonly number[], beat: readonly number[]): void => {
    for (const k of beat) {
      if (!poor(k, sounding(k))) continue;
      if (octaves(last).some((semis) => keepsSteps(k, semis) && place([k], semis))) last = offset(k);
      else {
        const within = new Set(piece);
        search: for (let size = 2; size <= WINDOW; size++) {
          for (let start = k - size + 1; start <= k; start++) {
            const w = Array.from({ length: size }, (_, i) => start + i);
            if (!w.every((j) => within.has(j))) continue;
            for (const semis of octaves(last)) {
              if (joins(start - 1, start, semis) && joins(start + size, start + size - 1, semis) && place(w, semis)) {
                last = offset(k);
                break search;
              }
            }
          }
        }
      }
    }
  };
  for (const piece of pieces(notes)) {
    if (!piece.some(misplaced)) {
      last = offset(piece[piece.length - 1]!);
      continue;
    }
    if (!octaves(shift).some((semis) => place(piece, semis)) && folds) foldPiece(piece);
  }
}

/**
 * Whether a part plays a note poorly: outside its comfortable range, or in a register that cannot
 * make the dynamic it is played at (`registerMisfit`, the rule `tutti check` reports by).
 */
export function playsPoorly(slot: Slot, m: number, dynamic: string | undefined): boolean {
  return m < slot.comfortable.low || m > slot.comfortable.high || (dynamic !== undefined && registerMisfit(slot.instrument, m, dynamic) !== undefined);
}

interface Surroundings {
  readonly bass: number | undefined;
  readonly lowest: LowestIn;
  readonly around: Around;
  readonly dynamicOf: (n: LineNote) => string | undefined;
  /** Only where no line need move. */
  readonly still?: boolean;
}

/**
 * Whether notes of the tune (placement `ti`) can go down to `moved` (note index, key number) with
 * the lines the sketch has under them still below: those that would sound above them (this
 * phrase's, not the bass) go down an octave with them, each by its own pieces that sound meanwhile
 * (see `pieces`), or, where such a piece cannot go down whole (its later notes would sink under
 * the bass), by only its notes that sound with the tune's, where the line leaves its octave and
 * comes back by a leap no wider than an octave and makes no step a leap (The Entertainer, m. 82:
 * the second trumpet's C5 C5 under the tune's A G, not its G4s after them). The notes moved stay
 * in their part's comfortable range, out of a register that cannot make their dynamic, and above
 * the bass. Where that cannot be, a run of the tune may set off under a quick note already dying
 * away that such a line cannot take down (`endsUnder`: the trombone's last B3 of its broken chord,
 * which would sink under the left hand's E3). Moves those lines and returns true, or moves nothing
 * and returns false; where `still`, returns true only where no line need move.
 */
function lowerUnder(work: PhraseWork, ti: number, moved: readonly { k: number; m: number }[], surroundings: Surroundings): boolean {
  return linesUnder(work, ti, moved, surroundings, false) || linesUnder(work, ti, moved, surroundings, true);
}

/** `lowerUnder`, where `tails`: with the notes a run of the tune sets off under (`endsUnder`) left where they are. */
function linesUnder(work: PhraseWork, ti: number, moved: readonly { k: number; m: number }[], surroundings: Surroundings, tails: boolean): boolean {
  const { bass, lowest, around, dynamicOf } = surroundings;
  const tune = work.placements[ti]!;
  const notes = moved.map(({ k, m }) => ({ k, n: tune.notes[k]!, m }));
  const from = notes[0]!.n.onset;
  const to = notes.reduce((e, { n }) => max(e, add(n.onset, n.duration)), from);
  const above = (q: Placement, ok: number, shift: number): boolean => notes.some(({ k, n, m }) => soundingMidi(q, ok) + shift > m && midiOf(q.notes[ok]!.pitch) <= midiOf(n.pitch) && overlaps(q.notes[ok]!, n) && !(tails && endsUnder(q.notes[ok]!, tune.notes, k)));
  if (work.earlier.some((q) => q.line !== tune.line && q.notes.some((_, ok) => above(q, ok, 0)))) return false;
  const moves: { qi: number; ks: number[] }[] = [];
  for (const [qi, q] of work.placements.entries()) {
    if (q.line === tune.line) continue;
    const sounds = (ok: number): boolean => lt(q.notes[ok]!.onset, to) && gt(add(q.notes[ok]!.onset, q.notes[ok]!.duration), from);
    // The line's own pieces that sound with the tune's notes go down whole, at the line's own joints.
    const whole = pieces(q.notes).filter((piece) => piece.some(sounds)).flat();
    if (!whole.some((ok) => above(q, ok, 0))) continue;
    if (q.line === bass || isDerivedBass(q.line)) return false;
    const slot = work.slots[q.slot]!;
    const fits = (ks: readonly number[]): boolean =>
      !ks.some((ok) => above(q, ok, -12)) &&
      ks.every((ok) => {
        const o = q.notes[ok]!;
        const m = soundingMidi(q, ok) - 12;
        // Over the bass in every half measure the note sounds in.
        const overBass = (span: Span): boolean => {
          const low = lowest(span.from, span.to);
          return low === undefined || m >= soundingFloor(work, span, low) || (low - m) % 12 === 0;
        };
        return !playsPoorly(slot, m, dynamicOf(o)) && halvesOf(o, around).every(overBass);
      });
    const during = whole.filter(sounds);
    const rejoins = (a: number, b: number, moved: number): boolean => {
      if (!q.notes[a] || !q.notes[b]) return true;
      const now = soundingMidi(q, b) - soundingMidi(q, a);
      const leap = Math.abs(now + (b === moved ? -12 : 12));
      return leap <= (Math.abs(now) > 2 ? 12 : 2);
    };
    const first = during[0]!;
    const last = during[during.length - 1]!;
    const choose = (): number[] | undefined => (fits(whole) ? whole : during.length < whole.length && rejoins(first - 1, first, first) && rejoins(last, last + 1, last) && fits(during) ? during : undefined);
    const ks = choose();
    if (!ks) return false;
    moves.push({ qi, ks });
  }
  if (surroundings.still && moves.length) return false;
  for (const { qi, ks } of moves) work.placements[qi] = octaveDown(work.placements[qi]!, ks);
  return true;
}

/**
 * A bass part's note it plays poorly, not the lowest sounding with it (a chord note the left hand
 * strikes above its bass), that no free part can take, nor a part under it trade for a note the
 * bass part plays well (see exchange.ts): a part other than the tune's whose notes with it only
 * sound keys other parts strike with them (a horn in unison with the trumpet) gives those up and
 * plays it at the same pitch, where it plays it well and can write it (Dichterliebe no. 2 for
 * brass quintet, m. 17: the left hand's E4, over its D4 and above the tuba's comfortable C4, in
 * the horn, which had the trumpet's B4). Without `poorly` (a line neither the tune nor the bass,
 * see `handOverPoorNotes`), the part's own notes with it need only sound pitch classes other parts
 * sound (`unison` says which), none may be the bass's, and they sound only while the note does:
 * a note for a note, no held note cut short. The part and its octave; or none.
 */
function yielding(
  work: PhraseWork,
  n: LineNote,
  m: number,
  from: number,
  { well, poorly, unison }: { well: (slot: Slot) => boolean; poorly?: (m: number) => boolean; unison: (o: LineNote, m: number, slot: number) => boolean },
): { slot: Slot; shift: number } | undefined {
  const all = [...work.earlier, ...work.placements];
  const sounding = (q: Placement): number[] => q.notes.flatMap((o, k) => (overlaps(o, n) ? [soundingMidi(q, k)] : []));
  const lower = all.filter((q) => q.slot !== from).flatMap((q) => sounding(q).filter((x) => x < m));
  // Not the bass itself; and where the bass part plays a note under it well, the parts trade instead (see exchange.ts).
  if (poorly && (lower.length === 0 || lower.some((x) => !poorly(x)))) return undefined;
  const tune = work.segments.find((g) => g.role === "melody")?.line;
  const bass = work.segments.find((g) => g.role === "bass")?.line;
  // A note for a note: what the part gives up sounds only while the note it takes does.
  const within = (o: LineNote): boolean => !lt(o.onset, n.onset) && !gt(add(o.onset, o.duration), add(n.onset, n.duration));
  for (const s of work.slots) {
    if (s.index === from || s.instrument.orchestration?.decorative || s.instrument.family === "voice" || m < s.absolute.low || m > s.absolute.high || !well(s)) continue;
    if (work.earlier.some((q) => q.slot === s.index && q.notes.some((o) => overlaps(o, n)))) continue;
    const gives = work.placements.flatMap((q, i) => (q.slot === s.index ? [{ q, i, ks: q.notes.flatMap((o, k) => (overlaps(o, n) ? [k] : [])) }] : [])).filter((g) => g.ks.length > 0);
    if (gives.length === 0 || !gives.every(({ q, ks }) => q.voice === 1 && q.line !== tune && (poorly !== undefined || (q.line !== bass && !isDerivedBass(q.line) && ks.every((k) => within(q.notes[k]!)))) && ks.every((k) => unison(q.notes[k]!, soundingMidi(q, k), s.index)))) continue;
    const given = new Set(gives.flatMap(({ q, ks }) => ks.map((k) => q.notes[k]!)));
    const theirs = all.filter((q) => q.slot === s.index && q.voice === 1).flatMap((q) => q.notes).filter((o) => !given.has(o));
    if (!work.writable([...theirs, n], n)) continue;
    for (const { q, i, ks } of gives) work.placements[i] = without(q, new Set(ks));
    return { slot: s, shift: 0 };
  }
  return undefined;
}

/**
 * A note a part plays outside its comfortable range that no stage before brought in (no octave,
 * no free part, no trade), in a line neither the tune nor the bass, goes at its pitch to a part
 * playing then whose own notes there sound only pitch classes another part sounds at their
 * onset: that part gives those up and plays it, where it plays it well and can write it (the
 * Maple Leaf Rag for woodwind quintet, m. 15: the oboe's C♭4, under its C4, to the horn, whose
 * A♭3 the flute sounds an octave up). The harmony keeps its notes; only who plays them changes.
 */
export function handOverPoorNotes(work: PhraseWork, dynamicOf: (n: LineNote) => string | undefined): void {
  const bass = work.segments.find((s) => s.role === "bass")?.line;
  const melody = work.segments.find((s) => s.role === "melody")?.line;
  for (let i = 0; i < work.placements.length; i++) {
    const p = work.placements[i]!;
    const slot = work.slots[p.slot]!;
    if (!p.principal || p.line === melody || p.line === bass || isDerivedBass(p.line) || slot.instrument.family === "voice") continue;
    const drop = new Set<number>();
    p.notes.forEach((n, k) => {
      const m = soundingMidi(p, k);
      if (!playsPoorly(slot, m, undefined)) return;
      const to = yielding(work, n, m, p.slot, { well: (s) => !playsPoorly(s, m, dynamicOf(n)), unison: (o, x, s) => soundsPitchClass(work, o, x, s, p.slot) });
      if (!to) return;
      drop.add(k);
      // At the pitch the part played it.
      work.placements.push({ phrase: p.phrase, slot: to.slot.index, line: p.line, notes: [n], shift: m - midiOf(n.pitch), fixes: new Map(), principal: false, voice: 1 });
    });
    if (drop.size) work.placements[i] = without(work.placements[i]!, drop);
  }
}

/** Whether a part other than `slot` and `but` sounds the pitch class of key `m` as note `n` is struck, in any octave. */
function soundsPitchClass(work: PhraseWork, n: LineNote, m: number, slot: number, but: number): boolean {
  return [...work.earlier, ...work.placements].some(
    (q) => q.slot !== slot && q.slot !== but && q.notes.some((o, ok) => !gt(o.onset, n.onset) && gt(add(o.onset, o.duration), n.onset) && (soundingMidi(q, ok) - m) % 12 === 0),
  );
}

/** How close a part's own notes must be to a note handed to it: it is playing there, not entering for one note. */
const NEAR = frac(1, 4);

/** The most notes that move with a note its part plays poorly, where it cannot move alone. */
const WINDOW = 4;

/** The octaves to try a piece at, `from` (semitones from the sketch's pitch) first, the nearest next. */
function octavesFrom(from: number): number[] {
  return [0, -12, 12, -24, 24].map((d) => from + d);
}

/**
 * Moves a piece no octave takes whole in two, each part at one octave, cut where the sketch leaps
 * to a beat's first note (a third or wider: never inside a scale, nor between repeated notes), or
 * leaps an octave or more (the Polonaise op. 1 no. 2 for brass quintet, m. 14: the thirds falling
 * from A6 cut from the A5 the sketch leaps to it from, and played from A4, the trumpet's A5 gone;
 * the second trumpet's thirds under them with them): the latest such cut where both parts fit,
 * the first part at the octave nearest `from` that fits, each part joined to the note before it
 * as `joined` asks. True where it moved them.
 */
function foldInTwo({ notes, place, mark }: Fold, piece: readonly number[], from: number, joined: (a: number, b: number) => boolean): boolean {
  const cut = (k: number): boolean => {
    const a = notes[k - 1]!;
    const leap = Math.abs(midiOf(notes[k]!.pitch) - midiOf(a.pitch));
    return leap > 2 && (beatOf(a.onset) !== beatOf(notes[k]!.onset) || leap >= 12);
  };
  const tryPlace = (part: readonly number[], semis: number): boolean => {
    const undo = mark();
    if (!place(part, semis)) return false;
    if (joined(part[0]! - 1, part[0]!)) return true;
    undo();
    return false;
  };
  for (let c = piece.length - 1; c > 0; c--) {
    if (!cut(piece[c]!)) continue;
    const undo = mark();
    const head = piece.slice(0, c);
    const tail = piece.slice(c);
    if (octavesFrom(from).some((a) => tryPlace(head, a) && (octavesFrom(a).slice(1).some((b) => tryPlace(tail, b)) || (undo(), false)))) return true;
  }
  return false;
}

/**
 * How a piece sits after a fold, to choose between folds (lower is better, by `isBetter`): its
 * notes still out of place, its steps and repeated notes broken across an octave, and its notes
 * moved from where they were (`before`, semitones from the sketch's pitch).
 */
function gradeOf(fold: Fold, piece: readonly number[], before: readonly number[]): number[] {
  const { notes, misplaced } = fold;
  const offset = (k: number): number => offsetOf(fold, k);
  const step = (a: number, b: number): boolean => Math.abs(midiOf(notes[b]!.pitch) - midiOf(notes[a]!.pitch)) <= 2;
  return [
    piece.filter(misplaced).length,
    piece.filter((k, i) => i > 0 && offset(k) !== offset(piece[i - 1]!) && step(piece[i - 1]!, k)).length,
    piece.filter((k, i) => offset(k) !== before[i]).length,
  ];
}

/** Whether grades `a` are better than `b`: lower at the first place they differ. */
function isBetter(a: readonly number[], b: readonly number[]): boolean {
  const i = a.findIndex((x, j) => x !== b[j]);
  return i >= 0 && a[i]! < b[i]!;
}

/** The whole quarters before an onset, in integers (onsets are never negative). */
function beatOf(o: Fraction): number {
  return (4 * o.n - ((4 * o.n) % o.d)) / o.d;
}

/** A piece's notes (indices) in groups by the beat (quarter note) they are struck in. */
function beats(notes: readonly LineNote[], piece: readonly number[]): number[][] {
  const out: number[][] = [];
  let beat = -1;
  for (const k of piece) {
    const o = notes[k]!.onset;
    const b = beatOf(o);
    if (b !== beat) out.push([]);
    beat = b;
    out[out.length - 1]!.push(k);
  }
  return out;
}

/**
 * A doubling plays only what its part plays well. A note of a doubling (its line sounds in another
 * part there) still outside the part's comfortable range after the octave moves above, or in a
 * register that cannot make the dynamic it is played at (a flute's low register at f, a trumpet's
 * high register at pp: `registerMisfit`, the rule `tutti check` reports by), is left out, and the
 * part rests there, as a doubling drops out where its line leaves it. A doubling left with less
 * than half of its notes is left out whole: a few notes of colour here and there are not a
 * doubling. So does a bass line in a part that plays the bass an octave down by habit (double
 * bass, tuba, contrabassoon), where it carries the line: a note of it that part plays poorly and
 * no octave brought in (a stride bass's after-beat chord note above the double bass's G3) is left
 * to another part that plays it too, or handed to a free part that plays it well (an oom-pah's
 * after-beat from the tuba to a trumpet). So does any other line an instrument carries, and a
 * note only this part plays (a double bass's D4 of a bass doubling no other part has), but for
 * singers: a note no octave brought in is left to another part that plays it too, or sounds its
 * key struck with it (a tuba's D4 the horn sounds too; never the tune's), or, in a line that is
 * neither the tune nor the bass, sounds its pitch class struck with it in another octave (Der
 * Lindenbaum for woodwind quintet, m. 30: the oboe's B3 under its comfortable C4, at the start of
 * the right hand's figure the horn strikes an octave down, under the flute's tune, which an
 * octave up it would cover), or handed at the sketch's pitch to a free part already playing
 * around it that plays it well (a trombone's G♯4 to the second trumpet); no part enters for one
 * note. `dynamicOf` is the dynamic the sketch plays a note at.
 */
export function leaveOutOfDoublings(work: PhraseWork, dynamicOf: (n: LineNote) => string | undefined): void {
  const all = [...work.earlier, ...work.placements];
  const carried = (n: LineNote, slot: number): boolean => playedElsewhere(all, n, slot);
  const bass = work.segments.find((s) => s.role === "bass")?.line;
  const melody = work.segments.find((s) => s.role === "melody")?.line;
  const keep: Placement[] = [];
  for (const p of work.placements) {
    const slot = work.slots[p.slot]!;
    if (p.principal) {
      keep.push(p);
      continue;
    }
    const drop = new Set<number>();
    p.notes.forEach((n, k) => {
      if (playsPoorly(slot, soundingMidi(p, k), dynamicOf(n)) && carried(n, p.slot)) drop.add(k);
    });
    if (drop.size === 0) keep.push(p);
    else if (drop.size * 2 <= p.notes.length) keep.push(without(p, drop));
    else if (!p.notes.every((n, k) => drop.has(k) || carried(n, p.slot))) keep.push(without(p, drop));
  }
  work.placements.splice(0, work.placements.length, ...keep);
  // Then a line's notes its part still plays poorly go where they are played well: the bass's
  // habitual parts' at their octave or one either side, any other line's at the sketch's pitch,
  // to a part playing around it.
  const near = (slot: number, n: LineNote): boolean => {
    const from = sub(n.onset, NEAR);
    const to = add(add(n.onset, n.duration), NEAR);
    return [...work.earlier, ...work.placements].some((q) => q.slot === slot && q.notes.some((o) => lt(o.onset, to) && gt(add(o.onset, o.duration), from) && o !== n));
  };
  // Another part than `slot` strikes a note with it that `same` accepts (by its key number).
  const struckWith = (n: LineNote, slot: number, same: (x: number) => boolean): boolean =>
    [...work.earlier, ...work.placements].some((q) => q.slot !== slot && q.notes.some((o, ok) => eq(o.onset, n.onset) && same(soundingMidi(q, ok))));
  // Another part sounds the same key, struck with it.
  const unison = (n: LineNote, m: number, slot: number): boolean => struckWith(n, slot, (x) => x === m);
  // Another part strikes its pitch class with it, in any octave.
  const inChord = (n: LineNote, m: number, slot: number): boolean => struckWith(n, slot, (x) => (x - m) % 12 === 0);
  work.placements.forEach((p, i) => {
    const slot = work.slots[p.slot]!;
    // A singer sings the sketch's line (see `keepComfortable`).
    if (slot.instrument.family === "voice") return;
    const habit = p.principal && (p.line === bass || isDerivedBass(p.line)) && bassByHabit(slot.instrument);
    const elsewhere = (n: LineNote): boolean => playedElsewhere([...work.earlier, ...work.placements], n, p.slot);
    const drop = new Set<number>();
    p.notes.forEach((n, k) => {
      const m = soundingMidi(p, k);
      if (!playsPoorly(slot, m, dynamicOf(n))) return;
      const shared = elsewhere(n);
      if (!p.principal && shared) return;
      if ((habit || p.line !== melody) && (shared || unison(n, m, p.slot))) drop.add(k);
      else if (!habit && p.line !== melody && p.line !== bass && inChord(n, m, p.slot)) drop.add(k);
      else {
        const pitch = habit ? m : midiOf(n.pitch);
        const to = freePart(work, n, pitch, p.slot, (s, shift) => (habit || (shift === 0 && near(s.index, n))) && !playsPoorly(s, pitch + shift, dynamicOf(n)), false) ?? (habit ? yielding(work, n, m, p.slot, { well: (s) => !playsPoorly(s, m, dynamicOf(n)), poorly: (x) => playsPoorly(slot, x, dynamicOf(n)), unison }) : undefined);
        if (!to) return;
        drop.add(k);
        work.placements.push({ phrase: p.phrase, slot: to.slot.index, line: p.line, notes: [n], shift: pitch + to.shift - midiOf(n.pitch), fixes: new Map(), principal: false, voice: 1 });
      }
    });
    if (drop.size) work.placements[i] = without(p, drop);
  });
}

/**
 * Whether a note of placement `p` at key number `m` sounds under the low interval limit over the
 * nearest note another part sounds below it then.
 */
function tooLowOver(work: PhraseWork, p: Placement, n: LineNote, m: number): boolean {
  let below = -Infinity;
  for (const q of [...work.earlier, ...work.placements]) {
    if (q === p || !mayOverlap(q, n)) continue;
    everyMeeting(q, n, (ok) => {
      const b = soundingMidi(q, ok);
      if (b < m && b > below) below = b;
      return true;
    });
  }
  return muddy(below, m);
}
