/**
 * Two solo players of one instrument do not play the same notes in unison where the sketch did
 * not ask for it: a wasted player (a quartet's two violins, a quintet's two trumpets). Two lines
 * can land in twin parts in unison where the piano's right hand doubles the singer, as a piano
 * score does (`collaParte`: notes of a keyboard part and of another part), or where octaves in
 * the right hand were brought together to fit the parts. A unison the sketch writes in two voices
 * of one part (a chorale's soprano and alto on one note) is the composer's, and stays. There the
 * part lower in the score gives way (its own line, or a line's notes filled into it: the
 * Polonaise op. 1/4's right-hand lower octave in a quartet's second violin, in unison with the
 * tune taken down an octave), piece by piece of its line (between its rests and held
 * notes, see `pieces`) where most of the piece is in unison, or a run of unison notes within it
 * (see `unisons`): it plays them an octave below, where it plays all of them well and nothing
 * goes under the bass, or else rests where its twin sounds its notes. The part with the tune
 * keeps it. Sections (an orchestra's violins) and pairs of different instruments (flute and
 * oboe) may play in unison: that is a doubling.
 *
 * And two parts of one instrument that strike a chord's notes together play them in the score's
 * order, the first part the upper note (see `orderTwins`).
 */
import type { LineNote } from "../analyse/types.js";
import type { Score } from "../model/score.js";
import { add, cmp, eq, type Fraction, frac, gt, sub } from "../model/fraction.js";
import { midiOf } from "../model/pitch.js";
import type { LowestIn } from "./bass.js";
import { timeKey } from "../model/search.js";
import { pushTo } from "../util/group.js";
import { type Around, everyMeeting, isDerivedBass, isSolo, mayOverlap, type PhraseWork, pieces, type Placement, playsOnly, sameFixes, soundingMidi, without } from "./plan.js";

/** At least this share of a piece's notes in unison with the twin makes the piece a unison. */
const MOSTLY = 3 / 4;

/** A run of at least this many notes in unison within a longer piece gives way on its own. */
const RUN = 4;

/**
 * What gives way of a piece (note indices, in order) with some notes in unison: the whole piece
 * where most of it is; else each run of `RUN` or more notes in unison in a row (octaves of a
 * right hand brought together for two bars of a longer figure).
 */
function unisons(piece: readonly number[], unison: readonly number[]): number[][] {
  if (unison.length === 0) return [];
  if (unison.length >= MOSTLY * piece.length) return [[...piece]];
  const runs: number[][] = [];
  for (const k of unison) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1] === k - 1) run.push(k);
    else runs.push([k]);
  }
  return runs.filter((run) => run.length >= RUN);
}

/**
 * Whether two sketch notes are a keyboard part doubling another part's note, as a piano score's
 * right hand doubles the singer (colla parte), not two voices of one part.
 */
export function collaParte(sketch: Score): (a: LineNote, b: LineNote) => boolean {
  const keyboard = (n: LineNote): boolean => (sketch.parts[n.source.part]?.staves ?? 1) > 1;
  return (a, b) => a.source.part !== b.source.part && (keyboard(a) || keyboard(b));
}

/**
 * Lets a solo part give way where it plays a twin's notes in unison (see the file comment).
 * `poorly` is whether a part plays a note poorly at a sounding key number (see `playsPoorly`);
 * `around` widens a time to its half measure, `lowest` is the sketch's lowest note there.
 */
export function separateTwins(
  work: PhraseWork,
  lowest: LowestIn,
  around: Around,
  poorly: (slot: number, m: number, n: LineNote) => boolean,
  colla: (a: LineNote, b: LineNote) => boolean,
): void {
  const melody = work.segments.find((s) => s.role === "melody")?.line;
  work.placements.forEach((p, i) => {
    const slot = work.slots[p.slot]!;
    if (p.line === melody || !isSolo(slot)) return;
    const twins = work.placements.filter((q) => q.principal && q.slot !== p.slot && isSolo(work.slots[q.slot]!) && work.slots[q.slot]!.instrument.id === slot.instrument.id && (q.line === melody || q.slot < p.slot));
    if (twins.length === 0) return;
    const inUnison = (k: number): boolean => {
      const n = p.notes[k]!;
      const m = soundingMidi(p, k);
      return twins.some((q) => q.notes.some((o, ok) => eq(o.onset, n.onset) && soundingMidi(q, ok) === m && (midiOf(o.pitch) !== midiOf(n.pitch) || colla(n, o))));
    };
    const fixes = new Map(p.fixes);
    const drop = new Set<number>();
    for (const unit of pieces(p.notes).flatMap((piece) => unisons(piece, piece.filter(inUnison)))) {
      const below = unit.every((k) => {
        const n = p.notes[k]!;
        const m = soundingMidi(p, k) - 12;
        const span = around(n.onset, add(n.onset, n.duration));
        const low = lowest(span.from, span.to);
        return !poorly(p.slot, m, n) && (low === undefined || m >= low || (low - m) % 12 === 0);
      });
      for (const k of unit) {
        if (below) fixes.set(k, (fixes.get(k) ?? 0) - 12);
        else if (inUnison(k)) drop.add(k);
      }
    }
    if (!sameFixes(fixes, p.fixes) || drop.size) work.placements[i] = without({ ...p, fixes }, drop);
  });
}

/**
 * Two parts of one instrument that strike two notes of one sketch chord together (one onset, one
 * length, one notated event) play them in the score's order: the part above in the score the
 * upper note. A quartet's second violin does not play a chord's top over the first violin's
 * middle note, nor a quintet's second trumpet over the first (the Maple Leaf Rag for brass
 * quintet, mm. 59–60: the right hand's F5 over D5 had been the second trumpet's F5 over the
 * first's D5). The pitches stay, so the chord and its voicing are the sketch's, and each part's
 * rhythm; only who plays which note changes, where both parts play nothing else then and play
 * their new notes no worse, and where their lines then move no more than before, without a
 * leap over an octave (see `smoothRuns`). Not the bass's notes, nor the tune's where it is the
 * upper note (the tune keeps its part), nor singers' (their words go with their notes), nor where
 * the parts' octaves, not the sketch, turned the notes over.
 *
 * Where the tune is the lower note, it gives its part the upper one only where that note is the
 * sketch's top while it sounds: the separator's line through a right hand's thirds or chords that
 * takes the lower note here and the upper there is no tune the ear follows, the top is (Clementi
 * op. 36/3 for string quartet, m. 6: the first violin's E5 E5 F5 F5 E5 under the second's G5 G5,
 * over its D5 D5, now G5 G5 F5 F5 E5 over E5 E5 D5 D5 C5; the Elite Syncopations, m. 47: the
 * right hand's D5 C5 D5 C5 over its chords' A4 had been the first violin's D5 A4 D5 A4 under the
 * second's C5); but an inner tune under a chord's middle note, which another line tops (the same
 * Sonatina for brass quintet, mm. 44–45: the rising A4 B4 C5 C♯5 under the right hand's C5 D5
 * and its E5 pedal), stays where it is.
 */
export function orderTwins(work: PhraseWork, poorly: (slot: number, m: number, n: LineNote) => boolean): void {
  const roleOf = new Map(work.segments.map((s) => [s.line, s.role]));
  const pairs = invertedPairs(work, poorly, roleOf);
  const isTune = (x: Inverted): boolean => roleOf.get(work.placements[x.low.i]!.line) === "melody";
  const swaps = smoothRuns(work, [...topOfTune(work, pairs.filter(isTune)), ...pairs.filter((x) => !isTune(x))], isTune);
  // Said once a phrase for each two parts, at the first chord.
  const said = new Set<string>();
  for (const { low, high } of swaps) {
    const p = work.placements[low.i]!;
    const q = work.placements[high.i]!;
    const [lm, hm] = [soundingMidi(p, low.k), soundingMidi(q, high.k)];
    const [ln, hn] = [p.notes[low.k]!, q.notes[high.k]!];
    work.placements[low.i] = withNote(p, low.k, hn, hm);
    work.placements[high.i] = withNote(q, high.k, ln, lm);
    const [upper, lower] = [work.slots[p.slot]!.name, work.slots[q.slot]!.name];
    if (said.has(`${upper}/${lower}`)) continue;
    said.add(`${upper}/${lower}`);
    work.report.colour.push(`m. ${work.label(ln.onset)}: ${upper} and ${lower} play the chord's notes in the score's order, ${upper} the upper`);
  }
}

/** A note of a placement of the phrase: placement index, note index. */
type At = { readonly i: number; readonly k: number };

/** Two like parts' notes of one chord, the first part's (`low`) sounding under the second's (`high`). */
type Inverted = { readonly low: At; readonly high: At };

/** The chords' notes two like parts play upside down (see `orderTwins`), each note in one pair at most. */
function invertedPairs(work: PhraseWork, poorly: (slot: number, m: number, n: LineNote) => boolean, roleOf: ReadonlyMap<number, string>): Inverted[] {
  const at = new Map<string, At[]>();
  work.placements.forEach((p, i) => {
    if (p.voice !== 1 || roleOf.get(p.line) === "bass" || isDerivedBass(p.line)) return;
    p.notes.forEach((n, k) => pushTo(at, timeKey(n.onset), { i, k }));
  });
  const all = [...work.earlier, ...work.placements];
  const out: Inverted[] = [];
  const used = new Set<string>();
  for (const entries of at.values()) {
    for (const a of entries) {
      for (const b of entries) {
        const p = work.placements[a.i]!;
        const q = work.placements[b.i]!;
        const inst = work.slots[p.slot]!.instrument;
        // Singers keep their lines (and the words on them).
        if (p.slot >= q.slot || inst.id !== work.slots[q.slot]!.instrument.id || inst.family === "voice" || roleOf.get(q.line) === "melody") continue;
        if (used.has(`${a.i}/${a.k}`) || used.has(`${b.i}/${b.k}`)) continue;
        const low = p.notes[a.k]!;
        const high = q.notes[b.k]!;
        const [lm, hm] = [soundingMidi(p, a.k), soundingMidi(q, b.k)];
        if (hm <= lm || midiOf(high.pitch) <= midiOf(low.pitch) || !eq(low.duration, high.duration) || !sameEvent(low, high)) continue;
        // Each part plays nothing else while the chord sounds.
        if (!playsOnly(all, p.slot, p, low) || !playsOnly(all, q.slot, q, high)) continue;
        if (Number(poorly(p.slot, hm, high)) + Number(poorly(q.slot, lm, low)) > Number(poorly(p.slot, lm, low)) + Number(poorly(q.slot, hm, high))) continue;
        out.push({ low: a, high: b });
        used.add(`${a.i}/${a.k}`).add(`${b.i}/${b.k}`);
      }
    }
  }
  return out;
}

/**
 * Of the pairs, those whose exchange leaves the two parts' lines moving no more than before, or
 * the tune's line alone moving no more (the tune's pairs), and neither leaping over an octave
 * where it did not: consecutive pairs of the same two parts (each pair's notes the next the
 * parts play after the last's) go together, weighed from each part's note before them to its
 * note after (none across a rest longer than `LINKED`). A
 * second violin's run over the first's chord notes (the Elite Syncopations for string quartet,
 * mm. 50–51: A4 C5 D5 F5 E5 G5 A5 G♯5) stays whole rather than dropping to their G4 B♭4 A4 and
 * back; a tune that keeps to its own notes stays on them (K. 545 for string quartet, m. 12: the
 * first violin's D5 D5 G4 under the second's G5, the chord's top, struck once after a rest).
 */
function smoothRuns(work: PhraseWork, pairs: readonly Inverted[], isTune: (x: Inverted) => boolean): Inverted[] {
  // Every placement that may sound, with its index among the phrase's own (-1: an earlier phrase's).
  const all: [Placement, number][] = [...work.earlier.map((o): [Placement, number] => [o, -1]), ...work.placements.map((o, i): [Placement, number] => [o, i])];
  // Each part's first voice in time order, and where each of the phrase's notes stands in it.
  const voices = new Map<number, number[]>();
  // Whether each note of a voice goes on from the one before it.
  const joined = new Map<number, boolean[]>();
  const place = new Map<string, { slot: number; index: number }>();
  for (const slot of new Set(pairs.flatMap((x) => [work.placements[x.low.i]!.slot, work.placements[x.high.i]!.slot]))) {
    const notes: { onset: Fraction; end: Fraction; m: number; key?: string }[] = [];
    for (const [o, i] of all) {
      if (o.slot !== slot || o.voice !== 1) continue;
      o.notes.forEach((n, k) => notes.push({ onset: n.onset, end: add(n.onset, n.duration), m: soundingMidi(o, k), ...(i >= 0 ? { key: `${i}/${k}` } : {}) }));
    }
    notes.sort((a, b) => cmp(a.onset, b.onset));
    voices.set(slot, notes.map((n) => n.m));
    // A note after a rest longer than `LINKED` starts the line anew.
    joined.set(slot, notes.map((n, i) => i > 0 && !gt(sub(n.onset, notes[i - 1]!.end), LINKED)));
    notes.forEach((n, index) => n.key !== undefined && place.set(n.key, { slot, index }));
  }
  const at = (x: At): { slot: number; index: number } => place.get(`${x.i}/${x.k}`)!;
  const sound = (x: At): number => voices.get(at(x).slot)![at(x).index]!;
  const sorted = [...pairs].sort((x, y) => at(x.low).slot - at(y.low).slot || at(x.high).slot - at(y.high).slot || at(x.low).index - at(y.low).index);
  const out: Inverted[] = [];
  for (let r = 0; r < sorted.length; ) {
    let e = r + 1;
    const next = (x: Inverted, y: Inverted): boolean => isTune(x) === isTune(y) && at(y.low).slot === at(x.low).slot && at(y.high).slot === at(x.high).slot && at(y.low).index === at(x.low).index + 1 && at(y.high).index === at(x.high).index + 1;
    while (e < sorted.length && next(sorted[e - 1]!, sorted[e]!)) e++;
    const run = sorted.slice(r, e);
    const path = (side: "low" | "high", take: "low" | "high"): number[] => {
      const voice = voices.get(at(run[0]![side]).slot)!;
      const first = at(run[0]![side]).index;
      const last = at(run[run.length - 1]![side]).index;
      const linked = joined.get(at(run[0]![side]).slot)!;
      return [...(linked[first] ? [voice[first - 1]!] : []), ...run.map((x) => sound(x[take])), ...(linked[last + 1] ? [voice[last + 1]!] : [])];
    };
    // Two lines exchange where together they move no more; the tune may also where it alone does
    // not. Neither takes a leap over an octave it did not have (The Entertainer for brass quintet,
    // m. 69: the first trumpet's C4 B♭3 E4 is not made C4 D5 E4 for the second's B♭3 D5 A3).
    const [low, high, lowNow, highNow] = [path("low", "low"), path("high", "high"), path("low", "high"), path("high", "low")];
    const leaps = widest(lowNow) > Math.max(OCTAVE, widest(low)) || widest(highNow) > Math.max(OCTAVE, widest(high));
    if (!leaps && (motion(lowNow) + motion(highNow) <= motion(low) + motion(high) || (isTune(run[0]!) && motion(lowNow) <= motion(low)))) out.push(...run);
    r = e;
  }
  return out;
}

/** The longest rest a line goes on over (see `smoothRuns`): a quarter note. */
const LINKED = frac(1, 4);

/** The widest leap a line makes, in semitones. */
const widest = (line: readonly number[]): number => line.slice(1).reduce((w, m, i) => Math.max(w, Math.abs(m - line[i]!)), 0);

/** The widest leap an exchange may give a line that had none as wide, in semitones. */
const OCTAVE = 12;

/** How far a line moves, note to note, in semitones. */
const motion = (line: readonly number[]): number => line.slice(1).reduce((sum, m, i) => sum + Math.abs(m - line[i]!), 0);

/** Of the tune's pairs, those whose upper note is the top of the sketch while it sounds (no placed note of the sketch above it). */
function topOfTune(work: PhraseWork, pairs: readonly Inverted[]): Inverted[] {
  const all = [...work.earlier, ...work.placements];
  return pairs.filter(({ high }) => {
    const n = work.placements[high.i]!.notes[high.k]!;
    const m = midiOf(n.pitch);
    return all.every((o) => !mayOverlap(o, n) || everyMeeting(o, n, (k) => midiOf(o.notes[k]!.pitch) <= m));
  });
}

/** Whether two sketch notes are of one notated chord. */
const sameEvent = (a: LineNote, b: LineNote): boolean => a.source.part === b.source.part && a.source.measure === b.source.measure && a.source.event === b.source.event;

/** The placement with its k-th note replaced by `n`, sounding at key number `m`. */
function withNote(p: Placement, k: number, n: LineNote, m: number): Placement {
  const notes = [...p.notes];
  notes[k] = n;
  const fixes = new Map(p.fixes);
  const fix = m - midiOf(n.pitch) - p.shift;
  if (fix) fixes.set(k, fix);
  else fixes.delete(k);
  return { ...p, notes, fixes };
}
