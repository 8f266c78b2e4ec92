/**
 * The evaluation's sketch maker: an ensemble score (a chorale's SATB, a string quartet) pressed
 * into a two-staff piano part, each staff a single voice of chords, as a pianist would read it.
 * What the voice separator must undo, with the truth of where every note came from.
 */
import { framesOf, type MeasureFrame, type PlacedDirection } from "../model/build.js";
import { buildChordVoices, chordVoice } from "../model/chord-voice.js";
import { add, cmp, type Fraction, gt, lt, sum } from "../model/fraction.js";
import { midiOf, type Pitch } from "../model/pitch.js";
import type { Attributes, Part, Score } from "../model/score.js";
import { soundingNotes } from "../model/notes.js";
import { timedDirections } from "../model/timeline.js";
import { tupletSpans } from "../model/tuplets.js";
import { timeKey } from "../model/search.js";
import { TupleSet } from "../util/keyed.js";

/** One note of the ensemble score and where it went in the sketch. */
export interface ReducedNote {
  /** Index of the ensemble part that plays it. */
  readonly part: number;
  readonly onset: Fraction;
  readonly duration: Fraction;
  readonly pitch: Pitch;
  /** The sketch staff it went to (1 treble, 2 bass). */
  readonly staff: number;
}

export interface Reduction {
  /** One part, "Piano", two staves, one voice of chords per staff. */
  readonly sketch: Score;
  readonly truth: {
    /** Names of the ensemble parts, by index. */
    readonly parts: readonly string[];
    /**
     * Every pitched, non-grace note of the ensemble, ties joined. In the sketch it is the note
     * struck at the same onset, pitch and staff (a unison of two parts is one sketch note).
     */
    readonly notes: readonly ReducedNote[];
  };
}

/**
 * Merges the parts of an ensemble score into a piano sketch: the upper half of the parts on the
 * treble staff, the lower half on the bass staff; at every onset on a staff, one chord of all its
 * sounding notes; a note held while another moves is split and tied across.
 * @example reduceToPiano(chorale).sketch.parts[0].staves // 2
 */
export function reduceToPiano(score: Score): Reduction {
  const upper = Math.ceil(score.parts.length / 2);
  const notes: ReducedNote[] = [];
  score.parts.forEach((part, pi) => {
    const staff = pi < upper ? 1 : 2;
    const seen = new TupleSet<[time: string, midi: number]>();
    for (const n of soundingNotes(part)) {
      if (n.grace || !n.pitch || n.duration.n <= 0) continue;
      // A part's own unison (two voices on one pitch) is one note for the ear.
      const key: [string, number] = [timeKey(n.onset), midiOf(n.pitch)];
      if (seen.has(key)) continue;
      seen.add(key);
      notes.push({ part: pi, onset: n.onset, duration: n.duration, pitch: n.pitch, staff });
    }
  });
  // The measures of the longest part (parts of a badly encoded score may end early).
  const longest = [...score.parts].sort((a, b) => cmp(totalOf(b), totalOf(a)))[0];
  const frames: MeasureFrame[] = longest ? framesOf(longest).map((f, i) => ({ ...f, attributes: pianoAttributes(f.attributes, i === 0) })) : [];
  const end = longest ? totalOf(longest) : { n: 0, d: 1 };
  // Nothing sounds past the last barline: notes there cannot be written.
  for (let i = notes.length - 1; i >= 0; i--) {
    const n = notes[i]!;
    if (!lt(n.onset, end)) notes.splice(i, 1);
    else if (gt(add(n.onset, n.duration), end)) notes[i] = { ...n, duration: add(end, { n: -n.onset.n, d: n.onset.d }) };
  }
  const voices = [1, 2].map((staff) => chordVoice(notes.filter((n) => n.staff === staff), staff === 1 ? "1" : "5", staff));
  const directions = dynamicsOf(score, upper);
  const measures = buildChordVoices(frames, voices, directions, { tuplets: tupletSpans(score) });
  const piano: Part = {
    id: "P1",
    name: "Piano",
    instruments: [{ id: "P1-I1", name: "Piano", sound: "keyboard.piano", midiProgram: 1 }],
    staves: 2,
    measures,
  };
  const sketch: Score = { meta: { ...score.meta, creators: score.meta.creators, rights: score.meta.rights }, parts: [piano], groups: [] };
  return { sketch, truth: { parts: score.parts.map((p) => p.name), notes: notes.sort((a, b) => cmp(a.onset, b.onset) || a.part - b.part) } };
}

function totalOf(part: Part): Fraction {
  return sum(part.measures.map((m) => m.duration));
}

function pianoAttributes(a: Attributes, first: boolean): Attributes {
  const { clefs: _c, transpose: _t, staves: _s, staffKeys: _k, ...rest } = a;
  if (!first) return rest;
  return {
    ...rest,
    staves: 2,
    clefs: [
      { staff: 1, clef: { sign: "G", line: 2 } },
      { staff: 2, clef: { sign: "F", line: 4 } },
    ],
  };
}

/** Dynamics of the first part of each half, on its staff. */
function dynamicsOf(score: Score, upper: number): PlacedDirection[] {
  const out: PlacedDirection[] = [];
  for (const [pi, staff] of [
    [0, 1],
    [upper, 2],
  ] as const) {
    const part = score.parts[pi];
    if (!part) continue;
    for (const { direction: d, onset } of timedDirections(part)) {
      const items = d.items.filter((it) => it.kind === "dynamics");
      if (items.length === 0) continue;
      const { offset: _o, voice: _v, ...rest } = d;
      out.push({ ...rest, items, staff, onset });
    }
  }
  return out;
}
