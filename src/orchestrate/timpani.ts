/**
 * Timpani at forte, as the classical orchestra uses them (Rimsky-Korsakov, *Principles of
 * Orchestration*, ch. I, "Percussion"; Adler, *The Study of Orchestration*, "Timpani"): a pair
 * of drums tuned to the key's tonic and dominant strikes the bass's own tonic and dominant on
 * the strong beats (the downbeat, and the half bar in duple and quadruple time) of a loud phrase.
 * They never play another note, so they never add a note the harmony does not have.
 */
import type { LineNote } from "../analyse/types.js";
import type { MeasureFrame } from "../model/build.js";
import { add, eq, type Fraction, frac, ge, lt, mul } from "../model/fraction.js";
import { midiOf, pitchClass, transpose } from "../model/pitch.js";
import type { KeySignature, TimeSignature } from "../model/score.js";
import { lastAtOrBefore } from "../model/search.js";
import { singleSignature } from "../model/time.js";
import type { PhraseWork } from "./plan.js";

/** Lowest tonic drum (E2) and the drums' compass (D2–A3, the four standard drums). */
const TONIC_FROM = 40;
const DRUMS = { low: 38, high: 57 };

/**
 * The two drums' pitches (MIDI) for a key: the tonic between E2 and D♯3, the dominant a fourth
 * below it where the drums reach, else a fifth above. In a key without a mode the piece's last
 * bass note tells major from its relative minor.
 * @example drumsFor({ kind: "traditional", fifths: 0 }, 0) // { tonic: 48, dominant: 43 } (C3, G2)
 */
export function drumsFor(key: KeySignature, lastBassPc: number): { tonic: number; dominant: number } | undefined {
  if (key.kind !== "traditional") return undefined;
  const major = (((key.fifths * 7) % 12) + 12) % 12;
  const minor = (major + 9) % 12;
  const pc = key.mode === "minor" || (key.mode !== "major" && lastBassPc === minor) ? minor : major;
  const tonic = TONIC_FROM + ((pc - TONIC_FROM + 120) % 12);
  const dominant = tonic - 5 >= DRUMS.low ? tonic - 5 : tonic + 7;
  return { tonic, dominant };
}

/** The strong beats of a measure: its start, and its half in a time of an even number of beats. */
function strongBeats(frame: MeasureFrame, time: TimeSignature | undefined): { at: Fraction[]; beat: Fraction } {
  const sig = singleSignature(time);
  const beats = sig ? Number(sig.beats) : 4;
  const beat = sig && Number.isInteger(beats) && beats > 0 ? frac(1, sig.beatType) : frac(1, 4);
  const at = [frame.start];
  if (Number.isInteger(beats) && beats % 2 === 0 && beats > 2) at.push(add(frame.start, mul(frame.duration, frac(1, 2))));
  return { at, beat };
}

/**
 * Adds the timpani's strokes to a loud phrase of the rich style: the bass line's notes on the
 * tonic or the dominant that fall on a strong beat and last a beat or more, each struck for a
 * beat on its drum. A part whose instrument is tuned this way (`orchestration.tonicDominant`) and
 * that plays nothing else in the phrase takes them.
 */
export function strikeTimpani(work: PhraseWork, frames: readonly MeasureFrame[], lastBassPc: number): void {
  if (work.texture !== "f" || work.style !== "rich") return;
  const slot = work.slots.find((s) => s.instrument.orchestration?.tonicDominant && !work.placements.some((p) => p.slot === s.index));
  const bass = work.segments.find((s) => s.role === "bass");
  if (!slot || !bass) return;
  const starts = frames.map((f) => f.start);
  const at = Math.max(0, lastAtOrBefore(starts, work.phrase.start));
  let key: KeySignature | undefined;
  let time: TimeSignature | undefined;
  for (let i = 0; i <= at; i++) {
    key = frames[i]!.attributes.key ?? key;
    time = frames[i]!.attributes.time ?? time;
  }
  const drums = key && drumsFor(key, lastBassPc);
  if (!drums) return;
  const strokes: LineNote[] = [];
  for (const n of bass.notes) {
    const fi = lastAtOrBefore(starts, n.onset);
    const frame = frames[fi];
    if (!frame) continue;
    for (let i = at + 1; i <= fi; i++) time = frames[i]!.attributes.time ?? time;
    const { at: strong, beat } = strongBeats(frame, time);
    if (!strong.some((t) => eq(t, n.onset)) || lt(n.duration, beat)) continue;
    const midi = midiOf(n.pitch);
    const drum = [drums.tonic, drums.dominant].find((d) => pitchClass(d) === pitchClass(midi));
    if (drum === undefined || ge(n.onset, work.phrase.end)) continue;
    const octaves = (drum - midi) / 12;
    strokes.push({ ...n, duration: beat, pitch: transpose(n.pitch, octaves * 7, octaves * 12) });
  }
  if (strokes.length === 0) return;
  work.placements.push({ phrase: work.phrase.index, slot: slot.index, line: bass.line, notes: strokes, shift: 0, fixes: new Map(), principal: false, voice: 1 });
  work.report.doublings.push({ line: bass.line, part: slot.name, interval: "on the tonic and dominant", reason: `timpani at ${work.phrase.dynamic}` });
}
