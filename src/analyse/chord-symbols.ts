/**
 * Chord symbols realised: where a sketch is a lead sheet (a tune and chord symbols, nothing under
 * the tune), the symbols are what the composer asks the accompaniment to play. Each symbol held
 * until the next one (or a "N.C.") becomes a bass (the root, or the slash chord's bass) and two
 * inner voices (the chord's third and seventh, or the notes of a triad the bass does not play),
 * struck at the symbol and again at each barline it is held across, voiced under the tune and led
 * to the nearest chord notes, as a pianist or a copyist fills in a lead sheet. The notes are added
 * to the sketch as voices of its own, so the separator, the roles and the orchestrator treat them
 * as they treat a left hand's: the bass goes to the bass instruments, the inner voices to the
 * middle of the ensemble. Where the sketch plays anything besides the tune under a symbol (its
 * own accompaniment), that symbol is left alone.
 */
import { add, cmp, frac, type Fraction, gt, lt, max, min, mul, sub } from "../model/fraction.js";
import { midiOf, type Pitch, pitch, pitchClass, transpose } from "../model/pitch.js";
import type { Event, Harmony, Measure, NoteEvent, Part, Score, TimeSignature } from "../model/score.js";
import { timeLength } from "../model/time.js";
import { measureStarts } from "../model/timeline.js";
import { sketchNotes } from "./sketch-notes.js";

/** What was realised: the sketch with the chord notes added, how many symbols, and the measures they span. */
export interface Realisation {
  readonly score: Score;
  readonly chords: number;
  /** Printed numbers of the first and last measure with realised notes, or undefined when none. */
  readonly measures?: readonly [string, string];
}

/** An interval above the root: diatonic steps and semitones. */
type Interval = readonly [number, number];

const M3: Interval = [2, 4];
const m3: Interval = [2, 3];
const P5: Interval = [4, 7];
const d5: Interval = [4, 6];
const A5: Interval = [4, 8];
const M6: Interval = [5, 9];
const m7: Interval = [6, 10];
const M7: Interval = [6, 11];
const d7: Interval = [6, 9];
const M9: Interval = [8, 14];
const P11: Interval = [10, 17];
const M13: Interval = [12, 21];

/** MusicXML's chord kinds as intervals above the root (the root itself left out). */
const KINDS: Readonly<Record<string, readonly Interval[]>> = {
  major: [M3, P5],
  minor: [m3, P5],
  augmented: [M3, A5],
  diminished: [m3, d5],
  dominant: [M3, P5, m7],
  "major-seventh": [M3, P5, M7],
  "minor-seventh": [m3, P5, m7],
  "diminished-seventh": [m3, d5, d7],
  "augmented-seventh": [M3, A5, m7],
  "half-diminished": [m3, d5, m7],
  "major-minor": [m3, P5, M7],
  "major-sixth": [M3, P5, M6],
  "minor-sixth": [m3, P5, M6],
  "dominant-ninth": [M3, P5, m7, M9],
  "major-ninth": [M3, P5, M7, M9],
  "minor-ninth": [m3, P5, m7, M9],
  "dominant-11th": [M3, P5, m7, M9, P11],
  "major-11th": [M3, P5, M7, M9, P11],
  "minor-11th": [m3, P5, m7, M9, P11],
  "dominant-13th": [M3, P5, m7, M9, M13],
  "major-13th": [M3, P5, M7, M9, M13],
  "minor-13th": [m3, P5, m7, M9, M13],
  "suspended-second": [[1, 2], P5],
  "suspended-fourth": [[3, 5], P5],
  Neapolitan: [M3, P5],
  Italian: [M3, [5, 10]],
  French: [M3, [3, 6], [5, 10]],
  German: [M3, P5, [5, 10]],
  Tristan: [m3, d5, m7],
  power: [P5],
  pedal: [],
};

/** A degree of a chord symbol's `<degree>` (9 is a major ninth, 7 a minor seventh, as chord symbols read them). */
const DEGREES: Readonly<Record<number, Interval>> = { 2: [1, 2], 3: M3, 4: [3, 5], 5: P5, 6: M6, 7: m7, 9: M9, 11: P11, 13: M13 };

/**
 * The notes of a chord symbol as intervals above its root, or undefined where it names no chord
 * ("none": N.C.; "other": a kind no table gives).
 */
export function chordIntervals(h: Harmony): readonly Interval[] | undefined {
  const kind = KINDS[h.kind];
  if (!kind) return undefined;
  let out = [...kind];
  for (const d of h.degrees ?? []) {
    const base = DEGREES[d.value];
    if (!base) continue;
    const same = (i: Interval): boolean => i[0] % 7 === base[0] % 7;
    if (d.type === "subtract") out = out.filter((i) => !same(i));
    else if (d.type === "alter") out = out.map((i) => (same(i) ? [i[0], i[1] + d.alter] : i));
    else out = [...out.filter((i) => !same(i)), [base[0], base[1] + d.alter]];
  }
  return out;
}

/** A chord symbol and how long it holds, from the start of the score. */
interface Span {
  readonly from: Fraction;
  readonly to: Fraction;
  readonly root: Pitch;
  readonly bass: Pitch;
  readonly intervals: readonly Interval[];
  readonly part: number;
}

const NO_CHORD = /^\s*n\.?\s*c\.?\s*$/i;

/**
 * The score's chord symbols in time order, each held until the next symbol, a "N.C." or the end;
 * `starts`: each part's measure starts.
 */
function spansOf(score: Score, starts: readonly Fraction[][]): Span[] {
  type Mark = { at: Fraction; h?: Harmony; part: number };
  const marks: Mark[] = [];
  let end: Fraction = { n: 0, d: 1 };
  score.parts.forEach((part, pi) => {
    part.measures.forEach((m, mi) => {
      const at = starts[pi]![mi]!;
      for (const h of m.harmonies) marks.push({ at: add(at, h.offset), h, part: pi });
      for (const d of m.directions) if (d.items.some((it) => it.kind === "words" && NO_CHORD.test(it.text))) marks.push({ at: add(at, d.offset), part: pi });
    });
    const lastMeasure = part.measures.length - 1;
    if (lastMeasure >= 0) end = max(end, add(starts[pi]![lastMeasure]!, part.measures[lastMeasure]!.duration));
  });
  marks.sort((a, b) => cmp(a.at, b.at));
  const out: Span[] = [];
  marks.forEach((mark, i) => {
    const next = marks.find((x, j) => j > i && gt(x.at, mark.at));
    const to = next?.at ?? end;
    const h = mark.h;
    const intervals = h && chordIntervals(h);
    // Two symbols at one time: the last written counts.
    const restated = marks[i + 1] !== undefined && cmp(marks[i + 1]!.at, mark.at) === 0;
    if (!h || !intervals || restated || !lt(mark.at, to)) return;
    const root = pitch(h.root.step, h.root.alter, 3);
    const bass = h.bass ? pitch(h.bass.step, h.bass.alter, 2) : root;
    out.push({ from: mark.at, to, root, bass, intervals, part: mark.part });
  });
  return out;
}

/** The pitch of `p`'s spelling nearest to key `target` within [low, high], or undefined. */
function nearest(p: Pitch, target: number, low: number, high: number): Pitch | undefined {
  let best: Pitch | undefined;
  for (let octave = 0; octave <= 8; octave++) {
    const q = pitch(p.step, p.alter, octave);
    const m = midiOf(q);
    if (m < low || m > high) continue;
    if (!best || Math.abs(m - target) < Math.abs(midiOf(best) - target)) best = q;
  }
  return best;
}

/**
 * The chord notes the inner voices may play, best first: the third and the seventh where there is
 * one, then the other notes of the chord the bass does not play, then the bass's own (doubled).
 */
function innerNotes(span: Span): Pitch[] {
  const notes = span.intervals.map((i) => transpose(span.root, i[0], i[1]));
  const pcs = (p: Pitch): number => pitchClass(midiOf(p));
  const bassPc = pcs(span.bass);
  const third = notes.find((_, k) => [1, 2, 3].includes(span.intervals[k]![0]));
  const seventh = notes.find((_, k) => span.intervals[k]![0] === 6 || (span.intervals[k]![0] === 5 && span.intervals[k]![1] === 10));
  const chosen: Pitch[] = [];
  for (const p of [third, seventh, span.root, ...notes]) if (p && pcs(p) !== bassPc && !chosen.some((c) => pcs(c) === pcs(p))) chosen.push(p);
  // A power chord, a pedal, or a triad over its third: the bass's note doubled.
  for (const p of [span.bass, span.root, ...notes]) if (chosen.length < 2 || !chosen.some((c) => pcs(c) === pcs(p))) chosen.push(p);
  return chosen;
}

/**
 * The inner voices' range: from E3 up to D5, under the tune; from G3 where the tune leaves room
 * (`MIDDLE`: each semitone under it costs two of a voice's motion), so that violins can play them
 * as well as violas, clarinets and horns.
 */
const INNER_LOW = 52;
const INNER_HIGH = 74;
const MIDDLE = 55;
/** The bass's range: C2 to D3, nearest the last bass note (an A2 at first). */
const BASS_LOW = 36;
const BASS_HIGH = 50;
const BASS_START = 45;

/**
 * The sketch with its chord symbols realised where it plays only one line under them (see the
 * file's comment); the same score where it has no symbols or plays its own accompaniment.
 * @example realiseChordSymbols(jeanie).chords // 40 (Foster's Jeanie with the Light Brown Hair)
 */
export function realiseChordSymbols(score: Score): Realisation {
  const starts = score.parts.map(measureStarts);
  const spans = spansOf(score, starts);
  if (spans.length === 0) return { score, chords: 0 };
  const notes = sketchNotes(score);
  const added = new Map<number, { at: Fraction; duration: Fraction; pitches: Pitch[] }[]>();
  let bass = BASS_START;
  let inner: number[] | undefined;
  let chords = 0;
  // The piece ends with the tune's last note: a chord held to the end is let go with it.
  const tuneEnd = notes.reduce<Fraction | undefined>((e, n) => (e === undefined || gt(add(n.onset, n.duration), e) ? add(n.onset, n.duration) : e), undefined);
  for (const held of spans) {
    const final = tuneEnd && held === spans[spans.length - 1] && lt(held.from, tuneEnd) && gt(held.to, tuneEnd);
    const span = final ? { ...held, to: tuneEnd } : held;
    const under = notes.filter((n) => lt(n.onset, span.to) && gt(add(n.onset, n.duration), span.from));
    // The sketch's own accompaniment: two of its notes sounding together.
    if (under.some((a, i) => under.some((b, j) => j > i && lt(a.onset, add(b.onset, b.duration)) && lt(b.onset, add(a.onset, a.duration))))) continue;
    const b = nearest(span.bass, bass, BASS_LOW, BASS_HIGH)!;
    bass = midiOf(b);
    const tones = innerNotes(span);
    const list = added.get(span.part) ?? [];
    // Voiced measure by measure, under the tune there; where it lies too low for two voices, the bass alone.
    const cuts = [span.from, ...starts[span.part]!.filter((t) => gt(t, span.from) && lt(t, span.to)), span.to];
    for (let k = 0; k + 1 < cuts.length; k++) {
      const [from, to] = [cuts[k]!, cuts[k + 1]!];
      const tune = under.filter((n) => lt(n.onset, to) && gt(add(n.onset, n.duration), from)).map((n) => n.midi);
      const voices = voiceInner(tones, Math.min(INNER_HIGH, Math.min(INNER_HIGH + 1, ...tune) - 1), bass, inner) ?? [];
      if (voices.length) inner = voices.map(midiOf);
      list.push({ at: from, duration: sub(to, from), pitches: [b, ...voices] });
    }
    added.set(span.part, list);
    chords++;
  }
  if (chords === 0) return { score, chords: 0 };
  let first: string | undefined;
  let last: string | undefined;
  const parts = score.parts.map((part, pi) => {
    const list = added.get(pi);
    if (!list) return part;
    const { part: out, measures } = withChords(part, starts[pi]!, list);
    first ??= measures[0];
    last = measures[measures.length - 1] ?? last;
    return out;
  });
  return { score: { ...score, parts }, chords, measures: first !== undefined && last !== undefined ? [first, last] : undefined };
}

/**
 * Two inner voices of `tones` (best first, see `innerNotes`), highest first, between the bass and
 * `ceiling`: the best two that fit, the nearest to the last chord's voices (each voice moving as
 * little as it can), a third to an octave apart; undefined where no two of them fit.
 */
function voiceInner(tones: readonly Pitch[], ceiling: number, bass: number, last: readonly number[] | undefined): Pitch[] | undefined {
  const top = ceiling;
  const low = Math.max(INNER_LOW, bass + 3);
  const octaves = (p: Pitch): Pitch[] => [2, 3, 4, 5].map((o) => pitch(p.step, p.alter, o)).filter((q) => midiOf(q) >= low && midiOf(q) <= top);
  const target = last ?? [top - 2, top - 6];
  let best: { cost: number; voices: Pitch[] } | undefined;
  for (let i = 0; i < tones.length; i++) {
    for (let j = i + 1; j < tones.length; j++) {
      // Each step down the list of chord notes costs as much as a voice moving a tritone.
      const choice = 6 * (i + j - 1);
      for (const [a, b] of [[tones[i]!, tones[j]!], [tones[j]!, tones[i]!]] as const) {
        for (const hi of octaves(a)) {
          for (const lo of octaves(b)) {
            const gap = midiOf(hi) - midiOf(lo);
            if (gap < 3 || gap > 12) continue;
            const under = Math.max(0, MIDDLE - midiOf(lo)) * 2;
            const cost = choice + under + Math.abs(midiOf(hi) - target[0]!) + Math.abs(midiOf(lo) - target[1]!);
            if (!best || cost < best.cost) best = { cost, voices: [hi, lo] };
          }
        }
      }
    }
  }
  return best?.voices;
}

/** Voice names for the realised bass and inner voices: after the part's own. */
function freeVoices(part: Part, count: number): string[] {
  let top = 0;
  for (const m of part.measures) for (const e of m.events) top = Math.max(top, Number.parseInt(e.voice, 10) || 0);
  return Array.from({ length: count }, (_, k) => String(top + 1 + k));
}

/**
 * Where a measure's chords are struck again after its downbeat: at the half bar, where its time
 * signature has an even number of beats, four or more (4/4, 6/8, 12/8: two half-bar chords, as
 * a pianist fills a lead sheet in); nowhere else (3/4, 2/4, 2/2: one chord a bar).
 */
function halfBar(time: TimeSignature | undefined, duration: Fraction): Fraction | undefined {
  if (time?.kind !== "measured" || time.signatures.length !== 1) return undefined;
  const n = Number(time.signatures[0]!.beats);
  if (!Number.isInteger(n) || n < 4 || n % 2 !== 0) return undefined;
  const half = mul(timeLength(time), frac(1, 2));
  return lt(half, duration) ? half : undefined;
}

/**
 * The part with the chord notes added, each struck at its symbol and again at every barline and
 * half bar (see `halfBar`) it is held across, on the part's lowest staff; and the numbers of the
 * measures that got notes.
 */
function withChords(part: Part, starts: readonly Fraction[], chords: readonly { at: Fraction; duration: Fraction; pitches: Pitch[] }[]): { part: Part; measures: string[] } {
  const voices = freeVoices(part, 3);
  const touched: string[] = [];
  let time: TimeSignature | undefined;
  const measures: Measure[] = part.measures.map((m, mi) => {
    time = m.attributes.time ?? time;
    const from = starts[mi]!;
    const to = add(from, m.duration);
    const half = halfBar(time, m.duration);
    const cuts = half ? [from, add(from, half), to] : [from, to];
    const events: Event[] = [];
    for (const c of chords) {
      for (let k = 0; k + 1 < cuts.length; k++) {
        const start = max(c.at, cuts[k]!);
        const stop = min(add(c.at, c.duration), cuts[k + 1]!);
        if (!lt(start, stop)) continue;
        c.pitches.forEach((p, v) => {
          const ev: NoteEvent = { kind: "note", onset: sub(start, from), duration: sub(stop, start), voice: voices[v]!, staff: part.staves, notes: [{ pitch: p }] };
          events.push(ev);
        });
      }
    }
    if (events.length === 0) return m;
    touched.push(m.number);
    return { ...m, events: [...m.events, ...events].sort((a, b) => cmp(a.onset, b.onset)) };
  });
  return { part: { ...part, measures }, measures: touched };
}
