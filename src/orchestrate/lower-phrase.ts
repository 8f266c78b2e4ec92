/**
 * A tune that climbs over its part's comfortable range where no other part plays those notes well
 * (the first violin of a string quartet, the top of the ensemble) goes down an octave, from the
 * phrase's start to the first breath after its last note too high, where its part plays all of
 * that well, and the texture under it goes down with it, so that it is still the top and the bass
 * still the bass: each line the sketch has under the tune, by its own pieces, where it would sound
 * over the tune taken down, and whatever those in turn would sound over; of the bass, only the
 * notes that would sound over a line taken down (a left hand's chord notes after its bass note,
 * in the part that plays both), with the repeated notes and steps joined to them. An arranger sets
 * such a passage an octave lower rather than leave the first violin over C7 (the Polonaise op. 1
 * no. 1 for string quartet, mm. 5–7 and 17–19: the right hand's arpeggios up to E♭7 over the left
 * hand's chords; in the 32 quartet movements of the corpus, Haydn to Schumann, the first violin
 * never goes above B♭6). The tune's quick notes (shorter than a 16th) may pass through the lines
 * under it, as the sketch's own runs do. Nothing moves where a note taken down would be played
 * poorly, where a phrase before would sound over it, where the tune would leave its octave or
 * come back to it in the middle of a run (the Maple Leaf Rag's upbeat climbing to the strain's
 * A♭6; a phrase whose tune the phrase before already plays an octave under it needs no breath:
 * a passage too high for several phrases goes down whole), or where a note taken down would
 * sound under the sketch's lowest note of its half measure or its own time, as it sounds then
 * (see `guardBass`). A singer keeps its register. Where the tune's part plays it an octave down
 * already (the assignment's choice: its top out of the part's reach), the texture the sketch has
 * under it goes down under it where it would sound over it (`textureDown`).
 */
import type { LineNote } from "../analyse/types.js";
import { add, cmp, eq, frac, gt, lt, sub } from "../model/fraction.js";
import { midiOf, nameOf } from "../model/pitch.js";
import { type LowestIn, soundingFloor } from "./bass.js";
import { type Around, everyIn, everyMeeting, follows, isDerivedBass, isJoint, octaveDown, overlaps, type PhraseWork, pieces, type Placement, semitonesOf, soundingMidi, type Span } from "./plan.js";

/** Whether a part (by index) plays a note poorly at a key number (see `playsPoorly`). */
type Poorly = (slot: number, m: number, n: LineNote) => boolean;



/** Notes to take down an octave: by placement (its index in the phrase's placements), its notes' indexes. */
type Moves = Map<number, Set<number>>;

/** Notes of the tune shorter than this pass through the lines under it. */
const PASSING = frac(1, 16);

/**
 * Takes the phrase's tune and the texture under it an octave down, where the tune is too high for
 * its part and no other part plays its top well (see the file comment); else changes nothing.
 */
export function lowerPhrase(work: PhraseWork, lowest: LowestIn, around: Around, poorly: Poorly): void {
  const melody = work.segments.find((s) => s.role === "melody")?.line;
  const tune = work.placements.find((p) => p.line === melody && p.principal);
  if (!tune) return;
  const slot = work.slots[tune.slot]!;
  if (slot.instrument.family === "voice") return;
  const tooHigh = [...tune.notes.keys()].filter((k) => soundingMidi(tune, k) > slot.comfortable.high);
  if (tooHigh.length === 0) return;
  // Where another part plays those notes well (a piccolo over the first violins), it may take them (see dovetail.ts).
  if (tooHigh.some((k) => work.slots.some((_, si) => si !== tune.slot && !poorly(si, soundingMidi(tune, k), tune.notes[k]!)))) return;
  // The tune leaves its octave at a breath and comes back at one: a rest or a held note before
  // its first note (its note in the phrase before), and after the last it takes down.
  let e = tooHigh[tooHigh.length - 1]!;
  while (e < tune.notes.length - 1 && !isJoint(tune.notes[e], tune.notes[e + 1]!, true)) e++;
  const last = tune.notes[e]!;
  const until = add(last.onset, last.duration);
  const first = tune.notes[0]!;
  const before = work.earlier
    .filter((q) => q.line === melody)
    .flatMap((q) => q.notes.map((n, k) => ({ n, shift: semitonesOf(q, k) })))
    .filter(({ n }) => lt(n.onset, first.onset))
    .reduce<{ n: LineNote; shift: number } | undefined>((a, x) => (!a || lt(a.n.onset, x.n.onset) ? x : a), undefined);
  // Where the phrase before already plays the tune an octave under this one, taking this one
  // down joins them: no breath is needed (a passage too high for several phrases goes down whole).
  const joins = before !== undefined && before.shift === semitonesOf(tune, 0) - 12;
  if ((!joins && !isJoint(before?.n, first, true)) || (e === tune.notes.length - 1 && !isJoint(last, { ...last, onset: until }, true))) return;
  const moves: Moves = new Map();
  work.placements.forEach((q, qi) => {
    if (q.line === melody) moves.set(qi, new Set([...q.notes.keys()].filter((k) => lt(q.notes[k]!.onset, until))));
  });
  linesUnder(work, moves, melody!);
  if (!allWell(work, moves, poorly) || !keepsOrder(work, moves, lowest, around)) return;
  for (const [qi, ks] of moves) work.placements[qi] = octaveDown(work.placements[qi]!, ks);
  const top = tooHigh.reduce((a, k) => (soundingMidi(tune, k) > soundingMidi(tune, a) ? k : a));
  work.report.balance.push(
    `the tune an octave down in ${slot.name}, mm. ${work.label(first.onset)}–${work.label(last.onset)}, with the parts under it (its ${nameOf(tune.notes[top]!.pitch)} is over the part's comfortable range, and no other part plays it well)`,
  );
}

/**
 * A tune its part plays lower than the sketch (an octave down, its top out of the part's reach)
 * keeps the texture under it. Over each stretch of half measures where a line the sketch has under
 * the tune sounds over it (to its bar lines, where that can be: a part changes octave at a bar
 * line rather than in the middle of a bar), the parts playing such lines go down an octave there,
 * all they play there, with the parts that play the sketch's lowest note where a note taken down would sound
 * under it (never the tune's or the bass's), where every note so moved is played well, stays over
 * the bass and keeps its steps; else nothing moves there (the Maple Leaf Rag for brass quintet,
 * mm. 10–12 and 44–46: the right hand's tune up to F6 an octave down in the first trumpet, and the
 * left hand's chords up to C5 that the second trumpet and the horn had played over it, an octave
 * down under it, the trombone with them, no longer on the right hand's E♭5 over the tune's A♭4).
 * Runs after the stages that trade and deal the parts' notes (exchange.ts), on what they leave.
 */
export function textureDown(work: PhraseWork, lowest: LowestIn, around: Around, poorly: Poorly): void {
  const melody = work.segments.find((s) => s.role === "melody")?.line;
  const tune = work.placements.find((p) => p.line === melody && p.principal);
  if (!tune || work.slots[tune.slot]!.instrument.family === "voice") return;
  const bass = work.segments.find((s) => s.role === "bass")?.line;
  const movable = (q: Placement): boolean => q.line !== melody && q.line !== bass && !isDerivedBass(q.line);
  // The tune's notes taken down with a line of the sketch under them sounding over them.
  const buried = (q: Placement, k: number): boolean => {
    const o = q.notes[k]!;
    return !everyMeeting(tune, o, (t) => {
      const n = tune.notes[t]!;
      return !(soundingMidi(tune, t) < midiOf(n.pitch) && !lt(n.duration, PASSING) && soundingMidi(q, k) > soundingMidi(tune, t) && midiOf(o.pitch) <= midiOf(n.pitch));
    });
  };
  const windows: Span[] = [];
  for (const q of work.placements.filter(movable)) {
    q.notes.forEach((o, k) => {
      if (!buried(q, k)) return;
      const w = around(o.onset, add(o.onset, o.duration));
      if (!windows.some((x) => eq(x.from, w.from))) windows.push(w);
    });
  }
  // Half measures one after another make one stretch: the texture goes down for the whole of it.
  const stretches = windows
    .sort((x, y) => cmp(x.from, y.from))
    .reduce<Span[]>((all, w) => {
      const last = all.at(-1);
      if (last && !lt(last.to, w.from)) all[all.length - 1] = { from: last.from, to: w.to };
      else all.push(w);
      return all;
    }, []);
  // A stretch reaches to its measures' bar lines where the parts can go down there too: a part
  // changes octave at a bar line rather than in the middle of a bar.
  // Within the phrase: past the score's last bar line every half measure is labelled with its last measure.
  const barred = (w: Span): Span => {
    let { from, to } = w;
    const { start, end } = work.phrase;
    for (let h = around(sub(from, TICK), from); lt(h.from, from) && !lt(h.from, start) && work.label(h.from) === work.label(from); h = around(sub(from, TICK), from)) from = h.from;
    for (let h = around(to, add(to, TICK)); gt(h.to, to) && !gt(h.to, end) && work.label(h.from) === work.label(sub(to, TICK)); h = around(to, add(to, TICK))) to = h.to;
    return { from, to };
  };
  for (const narrow of stretches) {
    const wide = barred(narrow);
    for (const w of eq(wide.from, narrow.from) && eq(wide.to, narrow.to) ? [narrow] : [wide, narrow]) if (lowerStretch(work, w, tune, movable, buried, lowest, around, poorly)) break;
  }
}

/** A 1024th: a moment, to find the half measure before a time or after it. */
const TICK = frac(1, 1024);

/** Takes the texture under the tune down over one stretch (see `textureDown`); true when it did. */
function lowerStretch(work: PhraseWork, w: Span, tune: Placement, movable: (q: Placement) => boolean, buried: (q: Placement, k: number) => boolean, lowest: LowestIn, around: Around, poorly: Poorly): boolean {
  const within = (q: Placement): number[] => [...q.notes.keys()].filter((k) => !lt(q.notes[k]!.onset, w.from) && lt(q.notes[k]!.onset, w.to));
  const moves: Moves = new Map();
  // A part goes down whole in the stretch, every line it plays there: no leaps between them.
  const take = (qi: number): boolean => {
    const q = work.placements[qi]!;
    return work.placements.every((r, ri) => {
      if (r.slot !== q.slot || r.voice !== q.voice || within(r).length === 0) return true;
      if (!movable(r)) return false;
      moves.set(ri, new Set(within(r)));
      return true;
    });
  };
  const seeds = [...work.placements.keys()].filter((qi) => movable(work.placements[qi]!) && within(work.placements[qi]!).some((k) => buried(work.placements[qi]!, k)));
  if (!seeds.every(take) || !bassHeld(work, moves, take, lowest, around) || !allWell(work, moves, poorly) || !keepsSteps(work, moves)) return false;
  for (const [qi, ks] of moves) work.placements[qi] = octaveDown(work.placements[qi]!, ks);
  const last = [...moves].flatMap(([qi, ks]) => [...ks].map((k) => work.placements[qi]!.notes[k]!.onset)).reduce((a, b) => (lt(a, b) ? b : a));
  work.report.balance.push(`mm. ${work.label(w.from)}–${work.label(last)}: the chords under the tune an octave down, under ${work.slots[tune.slot]!.name}, which plays the tune an octave down`);
  return true;
}

/**
 * Whether every line taken down in part keeps its steps: no note a step from one taken down that
 * stays (a scale broken into sevenths at the stretch's edge: Debussy's Passepied from MIDI for
 * brass quintet, mm. 107–108, the horn's A4 G♯4 F♯4 E4 D4 C♯4). A repeated note may leave its
 * octave there, as a part's after-beats do at a new chord.
 */
function keepsSteps(work: PhraseWork, moves: Moves): boolean {
  return [...moves].every(([qi, ks]) => {
    const q = work.placements[qi]!;
    const step = (a: number, b: number): boolean => !!q.notes[a] && !!q.notes[b] && [1, 2].includes(Math.abs(midiOf(q.notes[a]!.pitch) - midiOf(q.notes[b]!.pitch)));
    return [...ks].every((k) => (ks.has(k - 1) || !step(k - 1, k)) && (ks.has(k + 1) || !step(k, k + 1)));
  });
}

/**
 * Whether the notes taken down stay over the bass: each over the sketch's lowest note of its half
 * measure and of its own time where that note sounds lowest with it once the notes have moved (the
 * tuba's E♭3, the left hand's lowest E♭4 an octave down by habit, under the second trumpet's C4,
 * though the horn doubles it as E♭4), or where it does not sound with it, where it sounds highest
 * (`soundingFloor`), or an octave of it. Where a note would sound under the lines that play that
 * note, their parts go down with it (`take`), and so on until none is left: false where such a
 * line may not move (the bass, the tune) or moves already.
 */
function bassHeld(work: PhraseWork, moves: Moves, take: (qi: number) => boolean, lowest: LowestIn, around: Around): boolean {
  for (let added = true; added; ) {
    added = false;
    const byPlacement = new Map([...moves].map(([qi, ks]) => [work.placements[qi]!, ks]));
    const moving = (q: Placement, k: number): number => (byPlacement.get(q)?.has(k) ? -12 : 0);
    const under = [...moves].flatMap(([qi, ks]) => {
      const q = work.placements[qi]!;
      return [...ks].flatMap((k) => {
        const n = q.notes[k]!;
        const m = soundingMidi(q, k) - 12;
        for (const span of [around(n.onset, add(n.onset, n.duration)), { from: n.onset, to: add(n.onset, n.duration) }]) {
          const low = lowest(span.from, span.to);
          if (low === undefined) continue;
          const heard = holders(work, n, span, low, moving);
          const f = heard.length ? Math.min(...heard.map((h) => h.m)) : soundingFloor(work, span, low, moving);
          if (m < f && (f - m) % 12 !== 0) return [{ heard }];
        }
        return [];
      });
    });
    if (under.length === 0) return true;
    for (const { heard } of under) {
      if (heard.length === 0) return false;
      for (const { ri } of heard) {
        if (moves.has(ri) || !take(ri)) return false;
        added = true;
      }
      if (added) break;
    }
  }
  return true;
}

/** The phrase's notes of the sketch's key number `low` in `span` that sound with `n`: by placement index, where they sound once the notes have moved. */
function holders(work: PhraseWork, n: LineNote, span: Span, low: number, moving: (q: Placement, k: number) => number): { ri: number; m: number }[] {
  return work.placements.flatMap((r, ri) => {
    const out: { ri: number; m: number }[] = [];
    everyIn(r, span.from, span.to, (rk) => {
      if (midiOf(r.notes[rk]!.pitch) === low && overlaps(r.notes[rk]!, n)) out.push({ ri, m: soundingMidi(r, rk) + moving(r, rk) });
      return true;
    });
    return out;
  });
}

/**
 * Adds to `moves` the notes that sound at or under a note taken down and would sound over it once
 * it has moved, until none is left: a line by its own pieces, the bass by its notes and those
 * joined to them by repeated notes and steps. The tune's quick notes do not count.
 */
function linesUnder(work: PhraseWork, moves: Moves, melody: number): void {
  const bass = work.segments.find((s) => s.role === "bass")?.line;
  const flips = (q: Placement, qi: number, k: number): boolean => {
    const n = q.notes[k]!;
    const m = soundingMidi(q, k);
    return work.placements.some((r, ri) => {
      const set = moves.get(ri);
      if (ri === qi || !set?.size) return false;
      return !everyIn(r, n.onset, add(n.onset, n.duration), (rk) => !set.has(rk) || (r.line === melody && lt(r.notes[rk]!.duration, PASSING)) || m > soundingMidi(r, rk) || m <= soundingMidi(r, rk) - 12);
    });
  };
  for (let changed = true; changed; ) {
    changed = false;
    work.placements.forEach((q, qi) => {
      const set = moves.get(qi) ?? new Set<number>();
      if (q.line === melody && set.size > 0) return;
      const must = [...q.notes.keys()].filter((k) => !set.has(k) && flips(q, qi, k));
      if (must.length === 0) return;
      const isBass = q.line === bass || isDerivedBass(q.line);
      const ks = isBass ? joinedBySteps(q.notes, must) : pieces(q.notes).filter((piece) => piece.some((k) => must.includes(k))).flat();
      for (const k of ks) set.add(k);
      moves.set(qi, set);
      changed = true;
    });
  }
}

/** Whether every note taken down is played well there, and no phrase before sounds over one it sounded under. */
function allWell(work: PhraseWork, moves: Moves, poorly: Poorly): boolean {
  for (const [qi, ks] of moves) {
    const q = work.placements[qi]!;
    for (const k of ks) {
      const n = q.notes[k]!;
      const m = soundingMidi(q, k);
      if (poorly(q.slot, m - 12, n)) return false;
      if (!work.earlier.every((o) => everyIn(o, n.onset, add(n.onset, n.duration), (ok) => soundingMidi(o, ok) > m || soundingMidi(o, ok) <= m - 12))) return false;
    }
  }
  return true;
}

/**
 * Whether every note taken down stays at or over the sketch's lowest note of its half measure and
 * of its own time, where that note sounds highest once the notes have moved (`soundingFloor`),
 * or is an octave of it, as `guardBass` holds the notes.
 */
function keepsOrder(work: PhraseWork, moves: Moves, lowest: LowestIn, around: Around): boolean {
  const byPlacement = new Map([...moves].map(([qi, ks]) => [work.placements[qi]!, ks]));
  const moving = (q: Placement, k: number): number => (byPlacement.get(q)?.has(k) ? -12 : 0);
  for (const [qi, ks] of moves) {
    const q = work.placements[qi]!;
    for (const k of ks) {
      const n = q.notes[k]!;
      const own = { from: n.onset, to: add(n.onset, n.duration) };
      const m = soundingMidi(q, k) - 12;
      for (const span of [around(own.from, own.to), own]) {
        const low = lowest(span.from, span.to);
        const f = low === undefined ? undefined : soundingFloor(work, span, low, moving);
        if (f !== undefined && m < f && (f - m) % 12 !== 0) return false;
      }
    }
  }
  return true;
}

/** The notes `must` and every note joined to one of them by a repeated note or a step, without a rest between. */
function joinedBySteps(notes: readonly LineNote[], must: readonly number[]): number[] {
  const out = new Set(must);
  const joined = (a: number, b: number): boolean => {
    const x = notes[a];
    const y = notes[b];
    return !!x && !!y && Math.abs(midiOf(x.pitch) - midiOf(y.pitch)) <= 2 && (overlaps(x, y) || follows(x, y));
  };
  for (const k of must) {
    for (let j = k; joined(j, j + 1); j++) out.add(j + 1);
    for (let j = k; joined(j - 1, j); j--) out.add(j - 1);
  }
  return [...out].sort((a, b) => a - b);
}
