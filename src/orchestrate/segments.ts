/**
 * A phrase as the orchestrator sees it: each line's notes in the phrase (with the unisons it
 * shares), its role there, and the moves an orchestrator makes before choosing parts: a melody of
 * a note or two hands the lead to the busiest line, a tune written as one voice leaping between
 * two registers stays one line, and a keyboard figure in the bass gives the basses a line of its own.
 */
import type { Analysis, LineNote, Phrase, Role } from "../analyse/types.js";
import { beatUnit, type MeasureFrame, timesInForce } from "../model/build.js";
import { add, cmp, frac, type Fraction, gt, le, lt, max, min, mul, sub, toNumber } from "../model/fraction.js";
import { midiOf, pitchClass, transpose } from "../model/pitch.js";
import type { Score } from "../model/score.js";
import { dealBySpan, lastAtOrBefore, type Span, timeKey } from "../model/search.js";
import { singleSignature, timeLength } from "../model/time.js";
import { groupBy } from "../util/group.js";
import { TupleMap } from "../util/keyed.js";
import { sourceEvent } from "../analyse/sketch-notes.js";
import { medianMidi, type Segment } from "./costs.js";
import { type Beat, DERIVED, follows, overlaps } from "./plan.js";

/**
 * The segments of each phrase, in line order, ready for the assignment: roles from the analysis
 * ("inner" where it gives none), the lead, compound-tune and harmonic-bass moves made, redundancy
 * measured. `phrase` is the index in `analysis.phrases`; `voiceOf` is how the sketch notates a
 * note (see `compoundTune`, `tuneContinues`).
 */
export function phraseSegmenter(analysis: Analysis, frames: readonly MeasureFrame[], parts: number, voiceOf: VoiceOf = () => undefined): (phrase: number) => Segment[] {
  const roles = new TupleMap<[line: number, phrase: number], Analysis["roles"][number]>(analysis.roles.map((r) => [[r.line, r.phrase], r]));
  const figureOf = (line: number, phrase: number): string | undefined => roles.get([line, phrase])?.figure;
  const inPhrase = phraseNotes(analysis);
  return (pi) => {
    const phrase = analysis.phrases[pi]!;
    const found: Segment[] = analysis.lines
      .map((line, li) => {
        const r = roles.get([line.index, phrase.index]);
        return { line: line.index, role: r?.role ?? ("inner" as Role), notes: inPhrase.line(li, pi), ...(r?.figure ? { figure: r.figure } : {}) };
      })
      .filter((s) => s.notes.length > 0)
      .sort((a, b) => a.line - b.line);
    const held = (line: number): LineNote | undefined => inPhrase.heldInto(analysis.lines.findIndex((l) => l.index === line), pi);
    return strideBass(withHarmonicBass(lowestIsBass(tuneAbove(tuneContinues(compoundTune(leadingMelody(oneFigure(found, voiceOf)), voiceOf), voiceOf)), held, phrase.start), figureOf, phrase, frames, parts), frames, voiceOf).map((s, _, all) => ({ ...s, redundancy: redundancy(s, all) }));
  };
}

/**
 * How the sketch notates a note: its voice (part, staff and voice), and whether it is struck alone
 * there, or alone but for its octaves (a piano's tune doubled in octaves: the Maple Leaf Rag's
 * E♭4+E♭5).
 */
interface NotatedVoice {
  readonly voice: string;
  readonly alone: boolean;
  readonly octaves: boolean;
}

/** The notated voice of a sketch note (see `notatedVoiceOf`). */
type VoiceOf = (n: LineNote) => NotatedVoice | undefined;

/**
 * The notated voice of a sketch note (see `NotatedVoice`); none where a reader guessed the staves
 * and voices (a one-track MIDI file's hands): no evidence of the composer's lines.
 */
export function notatedVoiceOf(sketch: Score): VoiceOf {
  return (n) => {
    if (sketch.parts[n.source.part]?.staffSplit === "guessed") return undefined;
    const ev = sourceEvent(sketch, n);
    if (!ev) return undefined;
    const midis = ev.notes.flatMap((x) => (x.pitch ? [midiOf(x.pitch)] : []));
    return { voice: `${n.source.part}:${ev.staff}:${ev.voice}`, alone: midis.length === 1, octaves: new Set(midis.map(pitchClass)).size === 1 };
  };
}

/**
 * A tune the sketch writes as one voice leaping between two registers (the Entertainer, m. 5:
 * E4 C5 E4 C5, a compound melody) may come out of the separator as two lines, by pitch; a player
 * plays it as one. A note of another line (not the bass) that the tune's notated voice strikes
 * alone, in legato with a note of the tune in that voice, struck alone or in octaves, and within
 * an octave of it (the tune's note ends as it is struck, or the tune's next is struck as it ends)
 * and while no note of the tune sounds, is the tune's; so, in turn, are such notes next to it.
 * The Maple Leaf Rag, m. 1: the single A♭4, C5 and G4 between the right hand's E♭4+E♭5 octaves
 * are the tune's, which the first violin had played as its E♭5s alone.
 */
function compoundTune(segments: readonly Segment[], voiceOf: VoiceOf): Segment[] {
  const melody = segments.find((s) => s.role === "melody");
  if (!melody) return [...segments];
  const tune = [...melody.notes];
  const joined = new Set<LineNote>();
  const candidates = segments.filter((s) => s !== melody && s.role !== "bass").flatMap((s) => s.notes.filter((n) => voiceOf(n)?.alone && !tune.includes(n)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const n of candidates) {
      if (joined.has(n)) continue;
      const end = add(n.onset, n.duration);
      const voice = voiceOf(n)!.voice;
      if (tune.some((m) => overlaps(m, n))) continue;
      // Within an octave of that note: a leap further is another register's line, not the tune's zigzag.
      const legato = tune.some((m) => voiceOf(m)?.octaves && voiceOf(m)!.voice === voice && Math.abs(midiOf(m.pitch) - midiOf(n.pitch)) <= 12 && (follows(m, n) || cmp(m.onset, end) === 0));
      if (!legato) continue;
      tune.push(n);
      joined.add(n);
      grew = true;
    }
  }
  if (joined.size === 0) return [...segments];
  return segments
    .map((s) => (s === melody ? { ...s, notes: tune.sort((a, b) => cmp(a.onset, b.onset)) } : { ...s, notes: s.notes.filter((n) => !joined.has(n)) }))
    .filter((s) => s.notes.length > 0);
}

/**
 * A figure the sketch writes as one voice, leaping to and fro (Der Lindenbaum's storm, mm. 45–56:
 * the right hand's broken octaves B4 B3, C5 C4 …, then G3 E4 G3, A♭3 F4 A♭3 … in triplet
 * sixteenths), comes out of the separator as two lines, by register, their notes in turn; given
 * to two parts, each plays every other note between rests, a hocket no orchestrator writes; or a
 * figure's first notes split off the rest (C. P. E. Bach's H. 186, m. 11: the left hand's B3 G♯3,
 * then D♯3 E3 B2 … in the bass line). A player plays the figure whole: two lines that never sound
 * together (neither the tune; the one with more notes may be the bass), the smaller's runs mostly
 * (`FIGURE_SHARE`) struck alone in one notated voice right after or before a note of the other,
 * within an octave, are one line (the one with more notes).
 */
function oneFigure(segments: readonly Segment[], voiceOf: VoiceOf): Segment[] {
  const inner = segments.filter((s) => s.role !== "melody" && s.role !== "bass");
  for (const a of segments.filter((s) => s.role !== "melody")) {
    for (const b of inner) {
      if (a === b || a.notes.length < b.notes.length || (a.notes.length === b.notes.length && a.line > b.line)) continue;
      if (!inTurn(b.notes, a.notes, voiceOf)) continue;
      if (a.notes.some((n) => b.notes.some((m) => overlaps(m, n)))) continue;
      const joined = { ...a, notes: [...a.notes, ...b.notes].sort((x, y) => cmp(x.onset, y.onset)) };
      return oneFigure(segments.filter((s) => s !== b).map((s) => (s === a ? joined : s)), voiceOf);
    }
  }
  return [...segments];
}

/**
 * Whether most of `notes`' runs (`FIGURE_SHARE`: notes struck one as the one before ends) join
 * `other` in legato within an octave, in the same notated voice, struck alone: where a run starts
 * as a note of `other` ends, or ends as one starts.
 */
function inTurn(notes: readonly LineNote[], other: readonly LineNote[], voiceOf: VoiceOf): boolean {
  if (notes.length < 4) return false;
  const runs: LineNote[][] = [];
  notes.forEach((n, i) => {
    const before = notes[i - 1];
    if (before && follows(before, n)) runs[runs.length - 1]!.push(n);
    else runs.push([n]);
  });
  const joins = (n: LineNote, side: "start" | "end"): boolean => {
    const v = voiceOf(n);
    if (!v?.alone) return false;
    const end = add(n.onset, n.duration);
    return other.some((m) => Math.abs(midiOf(m.pitch) - midiOf(n.pitch)) <= 12 && voiceOf(m)?.voice === v.voice && (side === "start" ? follows(m, n) : cmp(m.onset, end) === 0));
  };
  const paired = runs.filter((run) => joins(run[0]!, "start") || joins(run[run.length - 1]!, "end"));
  return paired.length >= runs.length * FIGURE_SHARE;
}

/** The share of the smaller line's runs that must join the other line's notes for the two to be one figure. */
const FIGURE_SHARE = 0.6;

/** The notes no line holds, phrase by phrase (`phrase` is the index in `analysis.phrases`). */
export function phraseStrays(analysis: Analysis): (phrase: number) => readonly LineNote[] {
  const dealt = dealBySpan(analysis.strays, analysis.phrases);
  return (pi) => dealt[pi]!;
}

/**
 * Each line's notes in a phrase, with the unisons it shares: where two voices meet on one sketch
 * note, the separator gives the note to one line and lists the other in `shared`; both parts play
 * it. Dealt out once (see `dealBySpan`).
 */
function phraseNotes(analysis: Analysis): { line: (li: number, pi: number) => readonly LineNote[]; heldInto: (li: number, pi: number) => LineNote | undefined } {
  const { lines, phrases } = analysis;
  const dealt = lines.map((l) => dealBySpan(l.notes, phrases));
  const notesOf = (li: number, pi: number): readonly LineNote[] => dealt[li]![pi]!;
  return {
    // The line's last note before the phrase, where it still sounds at the phrase's start (a pedal tied across).
    heldInto: (li, pi) => {
      for (let k = pi - 1; k >= 0; k--) {
        const before = dealt[li]![k]!;
        if (before.length === 0) continue;
        const last = before[before.length - 1]!;
        return gt(add(last.onset, last.duration), phrases[pi]!.start) ? last : undefined;
      }
      return undefined;
    },
    line: (li, pi) => {
      const index = lines[li]!.index;
      const own = notesOf(li, pi);
      const shared = lines.flatMap((l, k) => (l.index === index ? [] : notesOf(k, pi).filter((n) => n.shared?.includes(index))));
      if (shared.length === 0) return own;
      return [...own, ...shared].sort((a, b) => cmp(a.onset, b.onset));
    },
  };
}

/**
 * The phrase's lines top to bottom as they sound in it (a line numbered low for the whole piece
 * may lie above another here), and the lowest (by mean pitch, of the lines that sound at least a
 * quarter as long as the longest: a short note or two is not a phrase's bass) is its bass,
 * also where the analysis calls it a pedal (a held bass note is the bass the cellos hold) or a
 * line below it had the role: it must have a part, and the bass part. A line's note held into the
 * phrase from before (`held`: a pedal tied across its start) sounds in it, and counts, for the
 * time it sounds from `start` (Haydn op. 74 no. 1, iv, mm. 233–236: the cello's G2 under the
 * viola's line is the bass, and the line it goes on with is the bass's).
 */
function lowestIsBass(segments: readonly Segment[], held: (line: number) => LineNote | undefined = () => undefined, start: Fraction = frac(0)): Segment[] {
  if (segments.length < 2) return [...segments];
  // The lowest goes last; the others keep their order (lines that cross above the bass keep their parts).
  const before = (s: Segment): LineNote | undefined => held(s.line);
  const length = (s: Segment): number => {
    const h = before(s);
    return s.notes.reduce((a, n) => a + toNumber(n.duration), h ? toNumber(sub(add(h.onset, h.duration), start)) : 0);
  };
  const mean = (s: Segment): number => {
    const h = before(s);
    return h ? (meanMidi(s) * s.notes.length + midiOf(h.pitch)) / (s.notes.length + 1) : meanMidi(s);
  };
  const longest = Math.max(...segments.map(length));
  const lines = segments.filter((s) => length(s) >= longest / 4);
  const last = (lines.length ? lines : segments).reduce((low, s) => (mean(s) < mean(low) ? s : low));
  const sorted = [...segments.filter((s) => s !== last), last];
  if (last.role === "melody") return sorted;
  const roled = sorted.map((s) => (s === last ? { ...s, role: "bass" as Role } : s.role === "bass" ? { ...s, role: "inner" as Role } : s));
  return roled;
}

/**
 * A line of a note or two in a phrase where another line has four times as many, each note struck
 * with a note of another line and above the bass (the top or middle note of a cadence chord, left
 * alone in a line by the separator), is no line for a part to enter on: its notes are chord
 * notes, for a part already playing around them (a double stop, a part free between its notes)
 * rather than a principal of their own. Melody and bass stay lines, but the tune's notes where
 * the right hand crosses under the left (see `crossings`; `lowestAt` is whether a note is the
 * sketch's lowest when struck) leave it too. Returns the lines to assign, the chord notes by line
 * (the crossings among them), and the crossings, which may be the bass (see `completeBass`).
 */
export function chordNotes(
  segments: readonly Segment[],
  lowestAt: (n: LineNote) => boolean = () => false,
): { lines: Segment[]; loose: { line: number; notes: readonly LineNote[] }[]; crossed: readonly LineNote[] } {
  const busiest = Math.max(0, ...segments.map((s) => s.notes.length));
  // Above all of the bass: a low note alone may be the bass's own octave, which the bass parts keep.
  const bass = segments.find((s) => s.role === "bass");
  const floor = bass ? Math.max(...bass.notes.map((n) => midiOf(n.pitch))) : -Infinity;
  // Struck with a note of another line: a chord's note, not a line's.
  const struckWith = (s: Segment, n: LineNote): boolean => segments.some((o) => o !== s && o.notes.some((m) => cmp(m.onset, n.onset) === 0));
  const short = (s: Segment): boolean =>
    s.role !== "melody" &&
    s.role !== "bass" &&
    s.notes.length <= 2 &&
    busiest >= 4 * s.notes.length &&
    s.notes.every((n) => midiOf(n.pitch) > floor && struckWith(s, n));
  const melody = segments.find((s) => s.role === "melody");
  const crossed = melody ? crossings(melody, segments, lowestAt) : new Set<LineNote>();
  const lines = segments.filter((s) => !short(s)).map((s) => (s === melody && crossed.size ? { ...s, notes: s.notes.filter((n) => !crossed.has(n)) } : s));
  const loose = segments.filter(short).map((s) => ({ line: s.line, notes: s.notes }));
  const crossedNotes = melody ? melody.notes.filter((n) => crossed.has(n)) : [];
  return { lines, loose: melody && crossedNotes.length ? [...loose, { line: melody.line, notes: crossedNotes }] : loose, crossed: crossedNotes };
}

/**
 * The tune's notes where the right hand crosses under the left (the Polonaise op. 1 no. 3,
 * m. 10: D3 and D2 struck under the left hand's F3, two octaves and more under the tune): a note
 * the tune leaps down to by more than an octave that lies below every note of the other lines
 * sounding with it and is the sketch's lowest note then (`lowestAt`: a left hand's octave under
 * it is not crossed), and the notes after it while they stay there. They are the bass's, not the
 * tune part's: loose notes, the bass where they are the lowest (see `completeBass`, `fillLoose`).
 */
function crossings(melody: Segment, segments: readonly Segment[], lowestAt: (n: LineNote) => boolean): Set<LineNote> {
  const others = segments.filter((s) => s !== melody).flatMap((s) => s.notes);
  const under = (n: LineNote): boolean => {
    const sounding = others.filter((o) => overlaps(o, n));
    return sounding.length > 0 && sounding.every((o) => midiOf(o.pitch) > midiOf(n.pitch)) && lowestAt(n);
  };
  const out = new Set<LineNote>();
  let low = false;
  melody.notes.forEach((n, k) => {
    const before = melody.notes[k - 1];
    low = under(n) && (low || (before !== undefined && midiOf(before.pitch) - midiOf(n.pitch) > 12));
    if (low) out.add(n);
  });
  return out;
}

/**
 * Where the tune rests in the phrase, and another line (an inner voice, not a figure, pedal or
 * bass, whose notes under the tune so far were struck with the tune's: its chord notes, not a
 * voice in rhythms of its own) begins on top as it stops, in the same notated voice (the same
 * hand: never the piano's chords in a singer's breath), within an octave of its last note and no
 * later than an eighth after it, the tune goes on in that line until it rests or the tune
 * resumes: the two are one tune, split where the right hand took a note under it (The
 * Entertainer, m. 36: the tune's G4, then G♭4+A4 G♭4+C5 …; its A4 C5 E5 D5 C5 were a line of
 * their own, in the second violin, while the first violin played G♭4 G♭4 F4 under it).
 */
function tuneContinues(segments: readonly Segment[], voiceOf: VoiceOf): Segment[] {
  const melody = segments.find((s) => s.role === "melody");
  if (!melody || melody.notes.length === 0) return [...segments];
  const inner = segments.filter((s) => s !== melody && s.role === "inner");
  const taken = new Set<LineNote>();
  const tune = [...melody.notes];
  // Where the tune rests (after each of its notes, until the next), a line that begins on top as it stops.
  for (let k = 0; k < tune.length; k++) {
    const last = tune[k]!;
    const end = add(last.onset, last.duration);
    const resumes = tune[k + 1]?.onset;
    if (resumes && !lt(end, resumes)) continue;
    const sameVoice = (n: LineNote): boolean => voiceOf(last) !== undefined && voiceOf(n)?.voice === voiceOf(last)!.voice;
    const within = (n: LineNote): boolean => !lt(n.onset, end) && (!resumes || !gt(add(n.onset, n.duration), resumes)) && !taken.has(n);
    const ownRhythm = (s: Segment): boolean => s.notes.some((n) => lt(n.onset, end) && tune.some((m) => overlaps(m, n)) && !tune.some((m) => cmp(m.onset, n.onset) === 0));
    const next = inner
      .filter((s) => !ownRhythm(s))
      .map((s) => s.notes.filter(within))
      .filter((notes) => notes.length > 0 && !gt(sub(notes[0]!.onset, end), frac(1, 8)) && Math.abs(midiOf(notes[0]!.pitch) - midiOf(last.pitch)) <= 12 && sameVoice(notes[0]!))
      .find((notes) => segments.every((o) => o.notes.every((n) => notes.includes(n) || !overlaps(n, notes[0]!) || midiOf(n.pitch) < midiOf(notes[0]!.pitch))));
    if (!next) continue;
    // Its notes in the rest, while they run on without a rest of their own.
    let run = 1;
    while (run < next.length && !lt(add(next[run - 1]!.onset, next[run - 1]!.duration), next[run]!.onset)) run++;
    for (const n of next.slice(0, run)) taken.add(n);
    tune.splice(k + 1, 0, ...next.slice(0, run));
  }
  if (taken.size === 0) return [...segments];
  return segments
    .map((s) => (s === melody ? { ...s, notes: tune } : { ...s, notes: s.notes.filter((n) => !taken.has(n)) }))
    .filter((s) => s.notes.length > 0);
}

/** A segment's mean key number. */
const meanMidi = (s: Segment): number => s.notes.reduce((a, n) => a + midiOf(n.pitch), 0) / s.notes.length;

/**
 * The tune goes before the lines it lies above in the phrase (by mean pitch), so that the
 * assignment, which deals lines to parts in register order, gives it the higher part: Clementi
 * op. 36/3, mm. 5–8, two voices in thirds whose upper one the analysis numbers below the lower
 * (it runs down from A5 in m. 7), the upper one the tune in the first trumpet, not the second.
 */
function tuneAbove(segments: readonly Segment[]): Segment[] {
  const melody = segments.find((s) => s.role === "melody");
  if (!melody) return [...segments];
  const rest = segments.filter((s) => s !== melody);
  const at = rest.findIndex((s) => s.line < melody.line && meanMidi(s) < meanMidi(melody));
  return at < 0 ? [...segments] : [...rest.slice(0, at), melody, ...rest.slice(at)];
}

/**
 * A melody of a note or two in a phrase (a chord's top note left alone in a line) is no melody to
 * give the best part: the busiest line other than the bass leads instead, the highest on a tie.
 */
function leadingMelody(segments: readonly Segment[]): Segment[] {
  const melody = segments.find((s) => s.role === "melody");
  if (!melody || melody.notes.length >= 4) return [...segments];
  const lead = segments.filter((s) => s.role !== "bass" && s !== melody).sort((a, b) => b.notes.length - a.notes.length || a.line - b.line)[0];
  if (!lead || lead.notes.length < 4 * melody.notes.length) return [...segments];
  return segments.map((s) => (s === melody ? { ...s, role: "inner" } : s === lead ? { ...s, role: "melody" } : s));
}

/**
 * A stride or oom-pah bass (a rag's, a march's, a waltz's left hand): a bass note struck alone or
 * in octaves, then the hand's chord, which the separator reads as a line taking the bass notes
 * and the chords' lowest notes by turns. The parts that double the bass an octave down by habit
 * (double basses, tuba, contrabassoon, bass trombone, bass clarinet) play its bass notes (the
 * "oom"), not the chords' after-beats (the "pah"), which the parts that carry the line at pitch
 * play with the chord (see double.ts); a chord struck where a harmony starts, and a walk between
 * the bass notes, they play too.
 *
 * A bass note sounds with nothing of its hand but its octaves, and its hand strikes a chord
 * within a quarter of it, its lowest note a minor third and more above it; a chord note of the
 * line is struck with a note of its hand other than its octave that the chord of another chord
 * note of the line within a half note strikes too (the harmony struck again, as a chorale's
 * voices moving with their bass do not), after a bass note a minor third and more under it, or
 * anywhere under it while the sketch still holds it, and before the next, within a whole note (a
 * polonaise's left hand strikes its chord five times after each bass note: the Polonaise op. 1
 * no. 2, where the double basses had played all six an octave down; in its m. 12 the chords' G3
 * a tone over the held F3, which the basses had played as G2 G2 G3 G3 G3). The line is such a
 * bass where such bass notes are a sixth of its notes at least, such chord notes a quarter, and
 * together two thirds, and half its bass notes at least fall where a harmony does
 * (`harmonyWindows`: a polonaise's pedal struck after its chords is not).
 * The bass notes other lines strike where the line has none sounding are its too (the
 * Entertainer, m. 5: the left hand's C3, which the separator gave the line of its chords).
 * Returns the segments, the bass with the notes those parts play (`strideNotes`) where it is such
 * a bass.
 */
function strideBass(segments: readonly Segment[], frames: readonly MeasureFrame[], voiceOf: VoiceOf): Segment[] {
  const bass = segments.find((s) => s.role === "bass");
  if (!bass || bass.notes.length < 6) return [...segments];
  const texture = segments.filter((s) => s.role !== "melody").flatMap((s) => s.notes);
  const m = (n: LineNote): number => midiOf(n.pitch);
  // The same hand: the same staff where the sketch says, else within a tenth above.
  const staffOf = (n: LineNote): string | undefined => voiceOf(n)?.voice.split(":").slice(0, 2).join(":");
  const hand = (n: LineNote, o: LineNote): boolean => {
    const a = staffOf(n);
    const b = staffOf(o);
    return a !== undefined && b !== undefined ? a === b : m(o) - m(n) <= HAND;
  };
  const struckAt = groupBy(texture, (n) => timeKey(n.onset));
  const struck = (t: Fraction): readonly LineNote[] => struckAt.get(timeKey(t)) ?? [];
  const onsets = [...struckAt.values()].map((ns) => ns[0]!.onset);
  const alone = (n: LineNote): boolean => texture.every((o) => o === n || !overlaps(o, n) || !hand(n, o) || (m(o) >= m(n) && (m(o) - m(n)) % 12 === 0));
  const chordAbove = (t: Fraction, n: LineNote): boolean => {
    const xs = struck(t).filter((o) => m(o) > m(n) && hand(n, o)).map(m);
    const bottom = Math.min(...xs);
    return xs.length > 1 && bottom >= m(n) + 3 && xs.some((x) => (x - bottom) % 12 !== 0);
  };
  const oom = (n: LineNote): boolean => alone(n) && onsets.some((t) => cmp(t, n.onset) !== 0 && le(sub(n.onset, QUARTER), t) && le(t, add(n.onset, QUARTER)) && chordAbove(t, n));
  const own = new Set(bass.notes.filter(oom));
  const chordWith = (n: LineNote): readonly number[] => struck(n.onset).filter((o) => m(o) > m(n) && hand(n, o)).map(m);
  const chordal = (n: LineNote): boolean => !own.has(n) && chordWith(n).some((x) => (x - m(n)) % 12 !== 0);
  const again = (n: LineNote): boolean =>
    bass.notes.some((o) => o !== n && chordal(o) && le(sub(n.onset, HALF), o.onset) && le(o.onset, add(n.onset, HALF)) && chordWith(o).some((x) => chordWith(n).includes(x)));
  // The latest bass note struck before a note: its chord notes are the after-beats up to the next.
  const latestBefore = (n: LineNote): LineNote | undefined => bass.notes.reduce<LineNote | undefined>((b, o) => (own.has(o) && lt(o.onset, n.onset) && (!b || lt(b.onset, o.onset)) ? o : b), undefined);
  const after = (n: LineNote): boolean => {
    const o = latestBefore(n);
    return o !== undefined && le(n.onset, add(o.onset, WHOLE)) && (m(n) >= m(o) + 3 || (m(n) > m(o) && texture.some((x) => m(x) === m(o) && soundsAt(x, n.onset))));
  };
  const pahs = new Set(bass.notes.filter((n) => chordal(n) && again(n) && after(n)));
  if (own.size * 6 < bass.notes.length || pahs.size * 4 < bass.notes.length || (own.size + pahs.size) * 3 < bass.notes.length * 2) return [...segments];
  const starts = harmonyWindowsIn(frames, bass.notes[0]!.onset, add(bass.notes[bass.notes.length - 1]!.onset, frac(1, 1024))).map((w) => w.start);
  const onHarmony = (n: LineNote): boolean => starts.some((t) => cmp(t, n.onset) === 0);
  if ([...own].filter(onHarmony).length * 2 < own.size) return [...segments];
  const borrowed = segments.filter((s) => s !== bass && s.role !== "melody").flatMap((s) => s.notes.filter((n) => oom(n) && !bass.notes.some((o) => overlaps(o, n))));
  const strideNotes = [...bass.notes.filter((n) => !pahs.has(n) || onHarmony(n)), ...borrowed].sort((a, b) => cmp(a.onset, b.onset));
  return segments.map((s) => (s === bass ? { ...s, strideNotes } : s));
}

/** Whether a note sounds at time `t` (struck then, or held from before). */
const soundsAt = (n: LineNote, t: Fraction): boolean => le(n.onset, t) && lt(t, add(n.onset, n.duration));

/** How far above a bass note a note of its hand may lie (a tenth), where the sketch does not say which hand plays it. */
const HAND = 16;
const QUARTER = frac(1, 4);
const HALF = frac(1, 2);
const WHOLE = frac(1);

/**
 * An orchestrator's move for a keyboard figure in the bass (an Alberti bass, a broken chord, a
 * bass note struck under its chord): the figure goes to an inner part, and its lowest note in
 * each half measure (a whole measure in triple time), held, and an octave lower when the figure
 * lies around middle C, becomes the bass line for cellos and basses, where the ensemble has a
 * part to spare for it; where it has none (a string orchestra's five parts under a texture of
 * five lines), the figure stays the bass and that held bass is its `figureBass`, which the parts
 * that double the bass an octave down play (see `doubleInFreeParts`).
 */
function withHarmonicBass(
  segments: readonly Segment[],
  figureOf: (line: number, phrase: number) => string | undefined,
  phrase: Phrase,
  frames: readonly MeasureFrame[],
  parts: number,
): Segment[] {
  const lowest = segments[segments.length - 1];
  if (!lowest) return [...segments];
  const room = segments.length + 1 <= parts;
  // A figure is quick notes outlining a chord (eighths or faster); a bass line that leaps in
  // quarters, like a chorale's, stays a bass line.
  const quick = lowest.notes.filter((n) => le(n.duration, frac(1, 8))).length;
  if (quick < lowest.notes.length * 0.75) return [...segments];
  const windows: { notes: LineNote[]; end: Fraction }[] = [];
  const first = lowest.notes.reduce((t, n) => min(t, n.onset), lowest.notes[0]!.onset);
  const last = lowest.notes.reduce((t, n) => max(t, n.onset), first);
  const spans = harmonyWindowsIn(frames, first, add(last, frac(1, 1024)));
  dealBySpan(lowest.notes, spans).forEach((inWindow, k) => {
    if (inWindow.length > 0) windows.push({ notes: inWindow, end: spans[k]!.end });
  });
  // A figure by name, or a bass note struck under its chord a seventh and more above it (the
  // polonaise's left hand: B♭ on the beat, then the chord repeated; a waltz's oom-pah-pah).
  const figure = figureOf(lowest.line, phrase.index);
  const gap = (w: readonly LineNote[]): number => {
    const [low, ...rest] = w.map((n) => midiOf(n.pitch)).sort((a, b) => a - b);
    return rest.length ? rest[0]! - low! : 0;
  };
  const underChords = windows.filter((w) => w.notes.length > 1 && gap(w.notes) >= 10).length >= windows.length * 0.6;
  if (figure !== "alberti" && figure !== "arpeggio" && !underChords) return [...segments];
  const bass: LineNote[] = [];
  // Whether the last window's bass followed the figure: a held note is not tied on to its last.
  let followed = false;
  for (const { notes: inWindow, end: wEnd } of windows) {
    const low = inWindow.reduce((a, b) => (midiOf(b.pitch) < midiOf(a.pitch) ? b : a));
    const onset = inWindow[0]!.onset;
    // A window whose lowest note is not struck first, with notes a step apart, changes harmony
    // inside it (E♭ then B♭7 in one bar): no note held from its start is its bass, so the bass
    // follows the figure's notes. So does a bass in the bass register that strikes a root on the
    // beat and its fifth under it after (the Polonaise op. 1 no. 1, m. 1: E♭3, B♭2, E♭3…): a held
    // B♭ would put the tonic chord over its fifth. One chord broken from its top (E–C–E–C), and a
    // figure around middle C (Clementi op. 36 no. 3, m. 3: F4 C4 F4 C4, the left hand's C the
    // lowest), keep their held bass.
    const fifthUnder = midiOf(low.pitch) < BASS_REGISTER && (pitchClass(midiOf(inWindow[0]!.pitch)) - pitchClass(midiOf(low.pitch)) + 12) % 12 === 5;
    if (midiOf(inWindow[0]!.pitch) !== midiOf(low.pitch) && (!oneChord(inWindow) || fifthUnder)) {
      bass.push(...inWindow.map((n, k) => ({ onset: n.onset, duration: sub(inWindow[k + 1]?.onset ?? wEnd, n.onset), pitch: n.pitch, source: n.source })));
      followed = true;
      continue;
    }
    const last = followed ? undefined : bass[bass.length - 1];
    followed = false;
    if (last && midiOf(last.pitch) === midiOf(low.pitch) && cmp(add(last.onset, last.duration), onset) === 0) {
      bass[bass.length - 1] = { ...last, duration: add(last.duration, sub(wEnd, onset)) };
    } else {
      bass.push({ onset, duration: sub(wEnd, onset), pitch: low.pitch, source: low.source });
    }
  }
  if (bass.length === 0) return [...segments];
  // No part to spare: the figure stays the bass, and the parts an octave down play its harmonic bass.
  if (!room) return [...segments.slice(0, -1), { ...lowest, figureBass: bass }];
  // A left-hand figure around middle C has its bass an octave lower in the orchestra.
  const down = medianMidi(bass) >= 55;
  const notes = down ? bass.map((n) => ({ ...n, pitch: transpose(n.pitch, -7, -12) })) : bass;
  return [...segments.slice(0, -1), { ...lowest, role: "accompaniment" }, { line: DERIVED + lowest.line, role: "bass", notes }];
}

/** Below C3: the bass register, where a left hand's root and the fifth under it are a bass, not a figure's notes. */
const BASS_REGISTER = 48;

/** Whether notes' pitch classes lie a third or more apart, as one chord's do (no step between any two). */
function oneChord(notes: readonly LineNote[]): boolean {
  const pcs = [...new Set(notes.map((n) => pitchClass(midiOf(n.pitch))))];
  return pcs.every((a, i) => pcs.slice(i + 1).every((b) => Math.min((a - b + 12) % 12, (b - a + 12) % 12) >= 3));
}

/**
 * The stretches a harmony is held through: half measures in duple and quadruple time, whole
 * measures in triple time (a polonaise's, a waltz's bar is one harmony), as the time signature
 * measures them; a measure shorter than its signature ends its last (the Wild Horseman's
 * first-ending bar of 5/8 in 6/8: 3/8 and 1/4, not two of 5/16).
 */
export function harmonyWindows(frames: readonly MeasureFrame[]): readonly Span[] {
  let out = WINDOWS.get(frames);
  if (!out) WINDOWS.set(frames, (out = windowsOf(frames)));
  return out;
}

/**
 * The harmony windows that overlap a stretch of time, found by bisection (a phrase's: the stages
 * ask for them phrase by phrase, and a piece of 10,000 measures has 20,000 of them).
 */
export function harmonyWindowsIn(frames: readonly MeasureFrame[], start: Fraction, end: Fraction): readonly Span[] {
  const all = harmonyWindows(frames);
  let starts = STARTS.get(all);
  if (!starts) STARTS.set(all, (starts = all.map((w) => w.start)));
  const out: Span[] = [];
  for (let k = Math.max(0, lastAtOrBefore(starts, start)); k < all.length && lt(all[k]!.start, end); k++) if (gt(all[k]!.end, start)) out.push(all[k]!);
  return out;
}

/** The beats of the measures that overlap a stretch, by the time signature in force: the whole beats inside it. */
export function beatsIn(frames: readonly MeasureFrame[], start: Fraction, end: Fraction): Beat[] {
  const times = timesInForce(frames);
  const out: Beat[] = [];
  frames.forEach((f, fi) => {
    const fEnd = add(f.start, f.duration);
    if (!lt(f.start, end) || !gt(fEnd, start)) return;
    const unit = beatUnit(times[fi]);
    for (let t = f.start; lt(t, fEnd); t = add(t, unit)) {
      const to = add(t, unit);
      if (le(to, fEnd) && !lt(t, start) && le(to, end)) out.push({ from: t, to });
    }
  });
  return out;
}

/** Each frame list's windows, and their starts, made once. */
const WINDOWS = new WeakMap<readonly MeasureFrame[], readonly Span[]>();
const STARTS = new WeakMap<readonly Span[], readonly Fraction[]>();

function windowsOf(frames: readonly MeasureFrame[]): Span[] {
  const out: Span[] = [];
  const times = timesInForce(frames);
  frames.forEach((f, fi) => {
    const time = times[fi];
    const end = add(f.start, f.duration);
    const one = singleSignature(time);
    const beats = one ? Number(one.beats) : 4;
    // The measure the signature makes: a short one (a pickup, a first ending's bar) is cut from it.
    const bar = one && time && Number.isInteger(beats) ? timeLength(time) : f.duration;
    const window = Number.isInteger(beats) && beats % 2 === 0 ? mul(bar, frac(1, 2)) : bar;
    for (let w = f.start; lt(w, end); w = add(w, window)) out.push({ start: w, end: min(add(w, window), end) });
  });
  return out;
}

/** Share of a segment's notes whose pitch class sounds in another segment at their onset. */
function redundancy(seg: Segment, all: readonly Segment[]): number {
  if (seg.notes.length === 0) return 0;
  let doubled = 0;
  for (const n of seg.notes) {
    const p = pitchClass(midiOf(n.pitch));
    if (all.some((o) => o.line !== seg.line && o.notes.some((m) => le(m.onset, n.onset) && gt(add(m.onset, m.duration), n.onset) && pitchClass(midiOf(m.pitch)) === p))) doubled++;
  }
  return doubled / seg.notes.length;
}
