/**
 * Reading a Standard MIDI File (format 0 or 1, any resolution) into a score: tracks become parts,
 * ticks become quantised exact time, key numbers become spelled pitches, and a piano track
 * becomes two staves with at most two voices each.
 *
 * Meter comes from the file's time signatures; a file with none has its meter found in the notes
 * (`findMeter`: 3/4 or 3/2 where three beats a bar show clearly, else 4/4), the key from its key
 * signatures or, failing those, from the notes (Krumhansl–Schmuckler). Tempo changes become
 * tempo directions: every change of more than 5 % is kept for playback (`<sound tempo>`), and a
 * metronome mark is shown where the tempo moves by more than 15 % from the last mark shown. A
 * file whose beats do not fit its notes (played without a click) has its beat tracked from the
 * notes, and the tracked tempo is written so (`fitTiming`). A performance's velocities become the
 * score's dynamics, and a piano's sustain pedal its pedal lines (see `performed.ts`).
 */
import tonejs from "@tonejs/midi";
import { add, cmp, differenceOf, type Fraction, frac, ge, gt, le, lt, mul, sub, ZERO } from "../model/fraction.js";
import type { MeasureFrame, PlacedDirection } from "../model/build.js";
import { buildChordVoices, type ChordVoice, chordVoice, type HeldNote } from "../model/chord-voice.js";
import { TuttiError } from "../model/errors.js";
import { nameOf, type Pitch } from "../model/pitch.js";
import type { Clef, KeySignature, Part, PartInstrument, Score, StaffClef, TimeSignature } from "../model/score.js";
import { timeLength } from "../model/time.js";
import { beatsMixedInAVoice, type GridFamily, gridFamily, makeQuantiser, MIXED, type Quantiser } from "./quantise.js";
import { gridOf } from "../model/tuplets.js";
import { estimateKey, spellInContext, spellMidi } from "./spelling.js";
import { READ_LIMITS } from "./limits.js";
import type { FormatReader } from "./formats.js";
import { assertNotation } from "../model/notation-check.js";
import { scanSmf } from "./smf-scan.js";
import { groupBy } from "../util/group.js";
import { pianoClefFrames, twoVoices } from "./piano-voices.js";
import { gridFit, trackBeats } from "./beat-track.js";
import { findMeter } from "./meter.js";
import { spreadChords } from "./rolls.js";
import { asUnpitched, drumInstruments } from "./drums.js";
import { dynamicsFromVelocities, type PedalEvent, pedalMarks, tempoDirections } from "./performed.js";

const { Midi } = tonejs;

/** What the reader did with a file, for reports and tests. */
export interface MidiReadReport {
  /** Notes in the file (note-on/off pairs), all tracks. */
  readonly notesIn: number;
  /** Notes dropped because another note of the same pitch starts at the same quantised time in the same part. */
  readonly mergedDuplicates: number;
  readonly ppq: number;
  /** The first time signature ("4/4"), and whether the file gave it. */
  readonly meter: string;
  readonly meterFromFile: boolean;
  /**
   * A file without time signatures: what the notes showed of the meter (`findMeter`), briefly
   * ("3 beats a bar rather than 2 (log-likelihood ratio 20.7): long top notes, long bass notes and
   * held chords on the downbeat"). Absent where they did not tell: 4/4 from the file's start.
   */
  readonly meterInferred?: string;
  /** The first key ("Eb major") and where it came from. */
  readonly key: string;
  readonly keySource: "file" | "estimated";
  /** A pickup of this length (whole notes) was found. */
  readonly pickup?: Fraction;
  /** Beats quantised to a triplet grid, out of all beats with onsets. */
  readonly tripletBeats: number;
  /** Spread chords read as chords with an arpeggio sign (see rolls.ts). */
  readonly rolled: number;
  /** The grid each beat with onsets was quantised to: subdivisions of the quarter (1, 2, 4, 8; triplets 3, 6), and how many beats took it. */
  readonly grid: readonly { readonly per: number; readonly beats: number }[];
  /**
   * How the piano's notes were divided between its staves: by the tracks' names ("right",
   * "left"), or by pitch (the part's `staffSplit` is "guessed"), the split point following the
   * hands: the key numbers it stayed between, and where it was at the median onset.
   */
  readonly hands?: { readonly by: "track names" } | { readonly by: "pitch"; readonly low: number; readonly median: number; readonly high: number };
  /**
   * The file's beats did not fit its notes (a performance played without a click against a fixed
   * tempo), so the beat was tracked from the notes: the slowest and fastest tempo of the tracked
   * beats (bpm, quarters), and the share of onsets on a simple grid (16ths or triplet eighths) by
   * the file's beats and by the tracked ones.
   */
  readonly tracked?: { readonly low: number; readonly high: number; readonly fileFit: number; readonly fit: number };
  /** A piano sketch's sustain pedal presses, written as pedal lines (see `pedalMarks`). */
  readonly pedal?: number;
  /** Notes spelled by the keys the music passes through otherwise than the key signature in force would spell them (A♭ for G♯ in C major; see `spellInContext`). */
  readonly respelled: number;
  /** Each pitched part's dynamics read from its velocities (see `dynamicsFromVelocities`). */
  readonly dynamics: readonly { readonly part: string; readonly marks: number; readonly hairpins: number; readonly flat?: number }[];
}

export interface MidiReadResult {
  readonly score: Score;
  readonly report: MidiReadReport;
}

interface QNote {
  onset: Fraction;
  end: Fraction;
  readonly midi: number;
  readonly velocity: number;
  /** The hand (staff) the track name gives, for piano tracks named "right"/"left". */
  readonly hand?: 1 | 2;
  /** Struck in a spread chord (see rolls.ts): the chord is written with an arpeggio sign. */
  readonly rolled?: true;
}

interface PartPlan {
  readonly name: string;
  readonly program: number;
  readonly channel: number;
  readonly kind: "piano" | "single" | "percussion";
  readonly notes: QNote[];
}

/**
 * Reads a MIDI file into a score.
 * @example readMidi(bytes, "sketch.mid").parts[0].staves // 2 for a piano sketch
 */
export function readMidi(bytes: Uint8Array, name = "MIDI file"): Score {
  return readMidiWithReport(bytes, name).score;
}

/** The MIDI format's reader (see `read/formats.ts`): the score and its report in sentences. */
export const readMidiFile: FormatReader = (bytes, name) => {
  const read = readMidiWithReport(bytes, name);
  return { score: read.score, notes: midiNotes(read.report) };
};

/**
 * The MIDI reader's report as sentences: the meter and key and where they came from, the beat
 * where it was tracked, the grids the onsets were quantised to, how the piano's notes were divided
 * between the hands.
 * @example midiNotes(readMidiWithReport(bytes, "sketch.mid").report)[2] // "onsets quantised beat by beat: 52 beats in 16ths, 20 in eighths"
 */
function midiNotes(r: MidiReadReport): string[] {
  const meter = r.meterFromFile ? "from the file" : r.meterInferred ? `found in the notes (the file has none): ${r.meterInferred}` : "assumed (the file has none, and the notes do not tell)";
  const out = [`meter ${r.meter} ${meter}`, `key ${r.key} ${r.keySource === "file" ? "from the file" : "estimated from the notes"}`];
  if (r.tracked) {
    const pct = (x: number): string => `${Math.round(100 * x)} %`;
    out.push(`the file's beats do not fit its notes (${pct(r.tracked.fileFit)} of onsets on the grid); beat tracked: ${r.tracked.low === r.tracked.high ? r.tracked.low : `${r.tracked.low}–${r.tracked.high}`} bpm (${pct(r.tracked.fit)} on the grid), written as tempo changes`);
  }
  const gridName: Readonly<Record<number, string>> = { 1: "quarters", 2: "eighths", 4: "16ths", 8: "32nds", 3: "triplet eighths", 6: "triplet 16ths", [MIXED]: "16ths and triplets together" };
  out.push(`onsets quantised beat by beat: ${r.grid.map((g, i) => `${g.beats}${i === 0 ? ` beat${g.beats === 1 ? "" : "s"}` : ""} in ${gridName[g.per] ?? `${g.per}ths of a beat`}`).join(", ")}`);
  if (r.rolled) out.push(`${r.rolled} spread chord${r.rolled === 1 ? "" : "s"} (notes struck a few ticks apart from the bottom up) written as chords with an arpeggio sign`);
  if (r.pickup) out.push(`a pickup of ${r.pickup.n}/${r.pickup.d}`);
  const key = (m: number): string => nameOf(spellMidi(m, 0, "major"));
  if (r.hands?.by === "pitch") {
    out.push(`the piano's notes split between the hands by pitch, at ${key(r.hands.median)} (between ${key(r.hands.low)} and ${key(r.hands.high)}); its voices are read over both staves`);
  } else if (r.hands) out.push("the piano's hands from the track names");
  const flat = r.dynamics.filter((d) => d.flat !== undefined);
  const marks = r.dynamics.reduce((a, d) => a + d.marks, 0);
  const hairpins = r.dynamics.reduce((a, d) => a + d.hairpins, 0);
  if (marks) out.push(`dynamics from the velocities: ${marks} mark${marks === 1 ? "" : "s"}${hairpins ? `, ${hairpins} hairpin${hairpins === 1 ? "" : "s"}` : ""}`);
  if (flat.length) out.push(`no dynamics for ${flat.map((d) => `${d.part} (every note at velocity ${d.flat}, or nearly)`).join(", ")}: a velocity that never changes says nothing of them`);
  if (r.pedal) out.push(`the sustain pedal pressed ${r.pedal} time${r.pedal === 1 ? "" : "s"}, written as pedal lines under the left hand`);
  if (r.respelled) out.push(`${r.respelled} note${r.respelled === 1 ? "" : "s"} spelled by the keys the music passes through, not by the key signature (an A♭ in a passage in A♭ major under C major's signature, not G♯)`);
  if (r.mergedDuplicates) out.push(`${r.mergedDuplicates} duplicate note${r.mergedDuplicates === 1 ? "" : "s"} merged (the same key struck twice at once)`);
  return out;
}

/**
 * Reads a MIDI file and reports how: notes in and merged, meter and key and where they came from.
 * @example readMidiWithReport(bytes, "bwv846.mid").report.key // "C major"
 */
export function readMidiWithReport(bytes: Uint8Array, name = "MIDI file"): MidiReadResult {
  const midi = parseMidi(bytes, name);
  const ppq = midi.header.ppq;
  const allNotes = midi.tracks.flatMap((t) => t.notes);
  if (allNotes.length === 0) throw new TuttiError("EMPTY_SCORE", "the MIDI file has no notes", name);
  const timing = fitTiming(midi, allNotes);
  const struck = struckAt(midi, timing.tick);
  // A beat of both grids where one voice would write times of both (a 32nd triplet between
  // them) is read again on one grid.
  const plainBeats = new Set<number>();
  let read = notate(midi, timing, struck, plainBeats, name);
  for (let pass = 1; pass <= 3; pass++) {
    const mixed = beatsMixedInAVoice(read.parts, read.q, read.shift);
    if (mixed.length === 0) break;
    // Each reading moves notes, so voices may mix elsewhere: the third time, every beat keeps to one grid.
    for (const b of pass < 3 ? mixed : read.q.grid.keys()) plainBeats.add(b);
    read = notate(midi, timing, struck, plainBeats, name);
  }
  const { q, parts, merged, splits, respelled, plans, keys, keySource, sigs, found, firstSig, pickup } = read;

  const firstKey = keys[0]!;
  const report: MidiReadReport = {
    notesIn: allNotes.length,
    mergedDuplicates: merged,
    respelled,
    ppq,
    meter: `${firstSig.num}/${firstSig.den}`,
    meterFromFile: sigs.length > 0,
    ...(found ? { meterInferred: found.from } : {}),
    key: `${KEY_NAMES[firstKey.mode][firstKey.fifths + 7] ?? "?"} ${firstKey.mode}`,
    keySource,
    ...(pickup ? { pickup } : {}),
    tripletBeats: q.grid.filter((g) => g % 3 === 0).length,
    rolled: struck.chords,
    grid: gridUse(q, allNotes.map(struck.of), ppq),
    ...handsOf(plans, splits),
    ...(timing.tracked ? { tracked: timing.tracked } : {}),
    ...(read.pedal?.presses ? { pedal: read.pedal.presses } : {}),
    dynamics: plans.flatMap((p, i) => {
      const d = read.dynamics[i];
      return d ? [{ part: p.name, marks: d.marks, hairpins: d.hairpins, ...(d.flat !== undefined ? { flat: d.flat } : {}) }] : [];
    }),
  };
  // A sequencer's placeholder ("untitled", "Sequence 1") names no piece.
  const title = cleanName(midi.header.name).replace(/^(untitled|unnamed|sequence|song)\s*\d*$/i, "");
  const score: Score = { meta: { ...(title ? { title } : {}), creators: [], rights: [], source: name }, parts, groups: [] };
  // The score is Tutti's own notation of the performance: it must be one a player can read.
  assertNotation(score, {}, name);
  return {
    score,
    report,
  };
}

/** The file's notes as notation: quantised (one grid in `plainBeats`), split into parts and measures. */
function notate(midi: MidiData, timing: Timing, struck: StruckAt, plainBeats: ReadonlySet<number>, name: string) {
  const at = timing.tick;
  const ppq = midi.header.ppq;
  const q = makeQuantiser(midi.tracks.flatMap((t) => t.notes).map(struck.of), ppq, plainBeats);
  const toWhole = (tick: number): Fraction => frac(Math.round(at(tick)), ppq * 4);
  const plans = planParts(midi.tracks, q, struck, at);

  // A meter of 0 beats, or of a denominator no notation has (the byte is a power of two, up to 2^255), is dropped.
  const sigs = dedupe(
    midi.header.timeSignatures
      .map((s) => ({ tick: s.ticks, num: s.timeSignature[0] ?? 4, den: s.timeSignature[1] ?? 4 }))
      .filter((s) => Number.isInteger(s.num) && s.num >= 1 && s.num <= 64 && [1, 2, 4, 8, 16, 32, 64].includes(s.den)),
  );
  // Percussion is left out of the meter's evidence: its key numbers are no bass and no harmony.
  const found = sigs.length === 0 ? findMeter(plans.filter((p) => p.kind !== "percussion").flatMap((p) => p.notes)) : undefined;
  const firstSig = sigs.find((s) => s.tick <= 0) ?? { tick: 0, num: found?.beats ?? 4, den: found?.beatType ?? 4 };
  const { shift, pickup } = startPickup(plans, frac(firstSig.num, firstSig.den), found?.downbeat);
  const end = plans.flatMap((p) => p.notes).reduce((a, n) => (gt(n.end, a) ? n.end : a), ZERO);
  const { keys, keySource } = readKeys(midi, plans, (tick) => q.onset(at(tick)), shift);

  const meters = found ? [{ at: ZERO, num: found.beats, den: found.beatType }] : sigs.map((s) => ({ at: sub(toWhole(s.tick), shift), num: s.num, den: s.den }));
  const frames = makeFrames(name, meters, keys, end, pickup);
  // A tempo of 0 microseconds per quarter is an infinite one: dropped, as is anything past 1000 bpm.
  const tempoDirs = tempoDirections(
    timing.tempos.filter((t) => Number.isFinite(t.bpm) && t.bpm >= 1 && t.bpm <= 1000).map((t) => ({ at: sub(t.at, shift), bpm: t.bpm })),
    frames,
  );
  // Each part's dynamics from its velocities (a drum track's are accents, not dynamics).
  const dynamics = plans.map((plan) => (plan.kind === "percussion" ? undefined : dynamicsFromVelocities(plan.notes, frames)));
  // A piano sketch's sustain pedal, from any of its tracks (a file may keep it on a track of its own).
  const last = frames[frames.length - 1]!;
  const pedal = plans.length === 1 && plans[0]!.kind === "piano" ? pedalMarks(sustainPedal(midi, (tick) => sub(q.onset(at(tick)), shift)), add(last.start, last.duration)) : undefined;
  const directionsOf = (pi: number): PlacedDirection[] => [...(pi === 0 ? tempoDirs : []), ...(dynamics[pi]?.directions ?? []), ...(pi === 0 && pedal ? pedal.directions : [])];
  const { parts, merged, splits, respelled } = makeParts(plans, frames, directionsOf, keys, (t) => gridFamily(q, add(t, shift)));
  return { q, parts, merged, splits, respelled, plans, keys, keySource, sigs, found, firstSig, pickup, shift, dynamics, pedal };

}

/** The file's sustain pedal events (controller 64) on any pitched channel, at their quantised times: down at 64 and above. */
function sustainPedal(midi: MidiData, onsetOf: (tick: number) => Fraction): PedalEvent[] {
  return midi.tracks.filter((t) => t.channel !== 9).flatMap((t) => (t.controlChanges[64] ?? []).map((c) => ({ onset: onsetOf(c.ticks), down: c.value >= 0.5 })));
}

type MidiData = InstanceType<typeof Midi>;
type MidiTrack = MidiData["tracks"][number];
type MidiNote = MidiTrack["notes"][number];

/** A piano's or another keyboard's track (General MIDI programs 1–8). */
const isKeyboard = (t: MidiTrack): boolean => t.instrument.number <= 7;

/** Where each note is struck, in the score's ticks: a spread chord's notes (see rolls.ts) at their chord's tick. */
interface StruckAt {
  readonly of: (n: MidiNote) => number;
  readonly rolled: ReadonlySet<MidiNote>;
  /** How many spread chords. */
  readonly chords: number;
}

/** The spread chords of the file's keyboard tracks, and where every note is struck. */
function struckAt(midi: MidiData, tick: (t: number) => number): StruckAt {
  const keyboard = midi.tracks.filter((t) => t.channel !== 9 && isKeyboard(t)).flatMap((t) => t.notes);
  const spread = spreadChords(keyboard.map((note) => ({ tick: tick(note.ticks), end: tick(note.ticks + note.durationTicks), midi: note.midi, note })), midi.header.ppq);
  const moved = new Map([...spread].map(([s, t]) => [s.note, t]));
  return { of: (n) => moved.get(n) ?? tick(n.ticks), rolled: new Set(moved.keys()), chords: new Set(spread.values()).size };
}

/** The file parsed by @tonejs/midi once `scanSmf` has checked every length it would trust. */
function parseMidi(bytes: Uint8Array, name: string): MidiData {
  const clean = scanSmf(bytes, name);
  let midi: MidiData;
  try {
    midi = new Midi(clean);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new TuttiError("BAD_MIDI", `not a readable MIDI file (${why})`, name);
  }
  const ppq = midi.header.ppq;
  if (!(ppq > 0)) throw new TuttiError("BAD_MIDI", "the file uses SMPTE time, which Tutti does not read", name);
  return midi;
}

/** Where the file's ticks fall in the score's beats, and the tempo changes that go with them. */
interface Timing {
  /** A tick of the file as a tick of the score's beats (the file's resolution, a quarter a beat). */
  readonly tick: (tick: number) => number;
  /** The tempo changes, in whole notes from the start. */
  readonly tempos: readonly { readonly at: Fraction; readonly bpm: number }[];
  readonly tracked?: MidiReadReport["tracked"];
}

/** Below this share of onsets on a simple grid, the file's beats may not be the music's. */
const FIT_DOUBT = 0.7;
/** A tracked beat is taken only if it puts this much more of the onsets on a simple grid. */
const FIT_GAIN = 0.15;

/**
 * The file's own beats where they fit its notes (a sequenced file, or one whose tempo map follows
 * the performance): ticks as they are. Where they do not (a performance recorded without a click
 * against a fixed tempo), the beat is tracked from the notes (`trackBeats`) and each tick placed
 * by its time between the tracked beats; the tempo between them becomes the tempo map. A silence
 * before the first beat counts whole beats at the first beat's tempo, so that a pickup stays one.
 */
function fitTiming(midi: MidiData, notes: readonly { readonly ticks: number; readonly velocity: number }[]): Timing {
  const ppq = midi.header.ppq;
  const asFile: Timing = { tick: (t) => t, tempos: midi.header.tempos.map((t) => ({ at: frac(Math.round(t.ticks), ppq * 4), bpm: t.bpm })) };
  const fileFit = gridFit(notes.map((n) => n.ticks / ppq));
  if (fileFit >= FIT_DOUBT) return asFile;
  const seconds = (tick: number): number => midi.header.ticksToSeconds(tick);
  const beats = trackBeats(notes.map((n) => ({ seconds: seconds(n.ticks), velocity: n.velocity })));
  if (!beats) return asFile;
  const first = beats[1]! - beats[0]!;
  const lastGap = beats[beats.length - 1]! - beats[beats.length - 2]!;
  const lead = Math.round(beats[0]! / first);
  const position = (s: number): number => {
    if (s <= beats[0]!) return Math.max(0, lead - (beats[0]! - s) / first);
    const last = beats.length - 1;
    if (s >= beats[last]!) return lead + last + (s - beats[last]!) / lastGap;
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (beats[mid]! <= s) lo = mid;
      else hi = mid;
    }
    return lead + lo + (s - beats[lo]!) / (beats[lo + 1]! - beats[lo]!);
  };
  const tick = (t: number): number => position(seconds(t)) * ppq;
  const fit = gridFit(notes.map((n) => tick(n.ticks) / ppq));
  if (fit < fileFit + FIT_GAIN) return asFile;
  const tempos = [{ at: ZERO, bpm: 60 / first }, ...beats.slice(0, -1).map((b, i) => ({ at: frac(lead + i, 4), bpm: 60 / (beats[i + 1]! - b) }))];
  const bpms = tempos.map((t) => t.bpm);
  return {
    tick,
    tempos,
    tracked: { low: Math.round(Math.min(...bpms)), high: Math.round(Math.max(...bpms)), fileFit, fit },
  };
}

/** Parts: percussion (channel 10), one piano for keyboard files, otherwise one part per track; notes quantised. */
function planParts(tracks: readonly MidiTrack[], q: Quantiser, struck: StruckAt, at: (tick: number) => number): PartPlan[] {
  const noteTracks = tracks.filter((t) => t.notes.length > 0);
  const pitched = noteTracks.filter((t) => t.channel !== 9);
  const drums = noteTracks.filter((t) => t.channel === 9);
  const quantised = (t: (typeof noteTracks)[number], hand?: 1 | 2): QNote[] =>
    t.notes.map((n) => {
      const onset = q.onset(struck.of(n));
      const note: QNote = { onset, end: q.end(at(n.ticks + n.durationTicks), onset), midi: n.midi, velocity: Math.round(n.velocity * 127), ...(struck.rolled.has(n) ? { rolled: true as const } : {}) };
      return hand ? { ...note, hand } : note;
    });
  const pianoNamed = /piano|klavier|right|left|\brh\b|\blh\b|hand/i;
  const plans: PartPlan[] = [];
  const range = (ts: readonly (typeof noteTracks)[number][]): number => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const t of ts) for (const n of t.notes) {
      if (n.midi < lo) lo = n.midi;
      if (n.midi > hi) hi = n.midi;
    }
    return hi - lo;
  };
  // A single keyboard line within two octaves (a melody) stays on one staff.
  if (pitched.length === 1 && isKeyboard(pitched[0]!) && range(pitched) <= 24 && !handOf(pitched[0]!.name)) {
    const t = pitched[0]!;
    plans.push({ name: cleanName(t.name) || "Piano", program: t.instrument.number, channel: t.channel, kind: "single", notes: quantised(t) });
  } else if (pitched.length > 0 && pitched.every(isKeyboard) && (pitched.length === 1 || pitched.some((t) => pianoNamed.test(t.name)))) {
    plans.push({
      name: pitched.length === 1 && cleanName(pitched[0]!.name) ? cleanName(pitched[0]!.name) : "Piano",
      program: pitched[0]!.instrument.number,
      channel: pitched[0]!.channel,
      kind: "piano",
      notes: pitched.flatMap((t) => quantised(t, handOf(t.name))),
    });
  } else {
    for (const t of pitched) {
      const notes = quantised(t);
      const span = range([t]);
      plans.push({
        name: cleanName(t.name) || t.instrument.name.replace(/^\w/, (c) => c.toUpperCase()),
        program: t.instrument.number,
        channel: t.channel,
        kind: isKeyboard(t) && span > 24 ? "piano" : "single",
        notes,
      });
    }
  }
  if (drums.length > 0) {
    plans.push({ name: "Percussion", program: 0, channel: 9, kind: "percussion", notes: drums.flatMap((t) => quantised(t)) });
  }
  return plans;
}

/**
 * Pickup: the first note in the second half of a measure starts an anacrusis. Every note is moved
 * so that the pickup's first note is at 0; the shift and the pickup's length are returned.
 *
 * The measures start at the file's start, or at a downbeat the notes showed off it (`findMeter`):
 * then the file's own barlines were not the music's and its leading silence says nothing of the
 * bar, so the notes before the first downbeat make the pickup, however long, and the first note
 * moves to 0.
 */
function startPickup(plans: readonly PartPlan[], firstLength: Fraction, downbeat = ZERO): { shift: Fraction; pickup: Fraction | undefined } {
  const first = plans.flatMap((p) => p.notes).reduce((a, n) => (lt(n.onset, a) ? n.onset : a), plans[0]!.notes[0]!.onset);
  const into = modulo(sub(first, downbeat), firstLength);
  const moved = downbeat.n > 0;
  let shift = moved ? first : ZERO;
  let pickup: Fraction | undefined;
  if (into.n > 0 && (moved || ge(mul(into, frac(2)), firstLength))) {
    shift = first;
    pickup = sub(firstLength, into);
  }
  for (const p of plans) for (const n of p.notes) {
    n.onset = sub(n.onset, shift);
    n.end = sub(n.end, shift);
  }
  return { shift, pickup };
}

/** Keys: the file's if it has any (trusted even when a sequencer's default C major is clearly wrong), else estimated. */
function readKeys(midi: MidiData, plans: readonly PartPlan[], onsetOf: (tick: number) => Fraction, shift: Fraction): { keys: KeyAt[]; keySource: "file" | "estimated" } {
  const weights = plans
    .filter((p) => p.kind !== "percussion")
    .flatMap((p) => p.notes.map((n) => ({ midi: n.midi, weight: differenceOf(n.end, n.onset) })));
  const estimate = estimateKey(weights);
  let keys = dedupeKeys(
    midi.header.keySignatures.map((k) => ({
      at: sub(onsetOf(k.ticks), shift),
      fifths: FIFTHS_OF[k.key] ?? 0,
      mode: k.scale === "minor" ? ("minor" as const) : ("major" as const),
    })),
  );
  let keySource: "file" | "estimated" = "file";
  if (keys.length === 0) {
    keys = [{ at: ZERO, fifths: estimate.fifths, mode: estimate.mode }];
    keySource = "estimated";
  }
  return { keys, keySource };
}

/** How often each grid was chosen, over the beats that hold an onset (a note up to a 16th of a beat early belongs to the next). */
function gridUse(q: Quantiser, ticks: readonly number[], ppq: number): { per: number; beats: number }[] {
  const beats = new Set(ticks.map((t) => Math.floor((t + ppq / 16) / ppq)));
  const count = new Map<number, number>();
  for (const b of beats) {
    const per = q.grid[b] ?? 4;
    count.set(per, (count.get(per) ?? 0) + 1);
  }
  return [...count.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([per, n]) => ({ per, beats: n }));
}

/** The report's word on the hands: the split points `splitHands` chose, or the track names. */
function handsOf(plans: readonly PartPlan[], splits: readonly number[]): Pick<MidiReadReport, "hands"> {
  if (splits.length > 0) {
    const sorted = [...splits].sort((a, b) => a - b);
    return { hands: { by: "pitch", low: Math.round(sorted[0]!), median: Math.round(sorted[Math.floor(sorted.length / 2)]!), high: Math.round(sorted[sorted.length - 1]!) } };
  }
  return plans.some((p) => p.kind === "piano") ? { hands: { by: "track names" } } : {};
}

/**
 * The parts from their plans: voices and spelled pitches, clefs and staves, measures; how many
 * duplicate notes were merged, and the split points of the hands where the reader chose them.
 */
function makeParts(
  plans: readonly PartPlan[],
  frames: readonly MeasureFrame[],
  directionsOf: (part: number) => readonly PlacedDirection[],
  keys: readonly KeyAt[],
  familyOf: (t: Fraction) => GridFamily | undefined,
): { parts: Part[]; merged: number; splits: number[]; respelled: number } {
  const keyAt = (t: Fraction): { fifths: number; mode: "major" | "minor" } => {
    let k = keys[0]!;
    for (const x of keys) if (le(x.at, t)) k = x;
    return k;
  };

  const deals = plans.map((plan) => dealNotes(plan, familyOf));
  const { pitches, respelled } = spellParts(plans, deals.map((d) => d.dealt), keyAt);
  const merged = deals.reduce((a, d) => a + d.dropped, 0);
  const splits = deals.flatMap((d) => d.split);
  const parts: Part[] = plans.map((plan, pi) => {
    const id = `P${pi + 1}`;
    const voices = voicesOf(deals[pi]!.dealt, pitches);
    const split = deals[pi]!.split;
    const staves = plan.kind === "piano" ? 2 : 1;
    // A piano's clefs follow its hands (`pianoClefFrames`); any other part's, its register.
    const clefs: StaffClef[] = plan.kind === "piano" ? [] : [{ staff: 1, clef: plan.kind === "percussion" ? { sign: "percussion" } : clefFor(plan) }];
    const stated = frames.map((f, i) => (i === 0 ? { ...f, attributes: { ...f.attributes, ...(clefs.length ? { clefs } : {}), ...(staves > 1 ? { staves } : {}) } } : f));
    const partFrames = plan.kind === "piano" ? pianoClefFrames(stated, voices) : stated;
    let measures = buildChordVoices(partFrames, voices, directionsOf(pi));
    const instruments: PartInstrument[] = plan.kind === "percussion" ? drumInstruments(id, plan.notes) : [
      { id: `${id}-I1`, name: plan.name, midiProgram: plan.program + 1, midiChannel: plan.channel + 1 },
    ];
    if (plan.kind === "percussion") measures = asUnpitched(measures, id);
    const guessed = split.length > 0;
    return { id, name: plan.name, instruments, staves, ...(guessed ? { staffSplit: "guessed" as const } : {}), voiceSplit: "guessed" as const, measures };
  });
  return { parts, merged, splits, respelled };
}

const KEY_NAMES = {
  major: ["Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#"],
  minor: ["Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#", "G#", "D#", "A#"],
} as const;
const FIFTHS_OF: Readonly<Record<string, number>> = Object.fromEntries(KEY_NAMES.major.map((k, i) => [k, i - 7]));

function cleanName(s: string): string {
  // Track names come NUL-padded and in any encoding; keep printable text only.
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, "").trim();
}

function handOf(name: string): 1 | 2 | undefined {
  if (/right|rechts|\brh\b|treble|upper|oben/i.test(name)) return 1;
  if (/left|links|\blh\b|lower|unten/i.test(name)) return 2;
  return undefined;
}

function modulo(a: Fraction, m: Fraction): Fraction {
  const q = Math.floor((a.n * m.d) / (a.d * m.n));
  return sub(a, mul(frac(q), m));
}

function dedupe<T extends { tick: number }>(xs: T[]): T[] {
  const byTick = new Map<number, T>();
  for (const x of xs.sort((a, b) => a.tick - b.tick)) byTick.set(x.tick, x);
  return [...byTick.values()];
}

interface KeyAt {
  readonly at: Fraction;
  readonly fifths: number;
  readonly mode: "major" | "minor";
}

function dedupeKeys(keys: KeyAt[]): KeyAt[] {
  const out: KeyAt[] = [];
  for (const k of keys.sort((a, b) => cmp(a.at, b.at))) {
    const last = out[out.length - 1];
    if (last && cmp(last.at, k.at) === 0) out[out.length - 1] = k;
    else if (!last || last.fifths !== k.fifths || last.mode !== k.mode) out.push(k);
  }
  if (out.length > 0 && gt(out[0]!.at, ZERO)) out[0] = { ...out[0]!, at: ZERO };
  return out;
}

/** Measures from the time signatures; a change inside a measure takes effect at the next barline. */
function makeFrames(
  name: string,
  sigs: readonly { at: Fraction; num: number; den: number }[],
  keys: readonly KeyAt[],
  end: Fraction,
  pickup: Fraction | undefined,
): MeasureFrame[] {
  const frames: MeasureFrame[] = [];
  const timeOf = (s: { num: number; den: number }): TimeSignature => ({ kind: "measured", signatures: [{ beats: String(s.num), beatType: s.den }] });
  let current = sigs.filter((s) => le(s.at, ZERO)).pop() ?? { at: ZERO, num: 4, den: 4 };
  let shownTime: string | undefined;
  let ki = 0;
  let pos = ZERO;
  let number = pickup ? 0 : 1;
  let si = 0;
  for (;;) {
    if (frames.length >= READ_LIMITS.maxMeasures) {
      throw new TuttiError("BAD_MIDI", `the MIDI file's notes run past measure ${READ_LIMITS.maxMeasures}; Tutti reads at most ${READ_LIMITS.maxMeasures} measures`, name);
    }
    while (si < sigs.length && le(sigs[si]!.at, pos)) current = sigs[si++]!;
    const time = timeOf(current);
    const full = timeLength(time);
    const duration = frames.length === 0 && pickup ? pickup : full;
    const attrs: { -readonly [K in keyof MeasureFrame["attributes"]]: MeasureFrame["attributes"][K] } = {};
    const timeKey = `${current.num}/${current.den}`;
    if (timeKey !== shownTime) {
      attrs.time = time;
      shownTime = timeKey;
    }
    let key: KeyAt | undefined;
    const measureEnd = add(pos, duration);
    // A key change inside a measure waits for the next barline.
    while (ki < keys.length && (frames.length === 0 ? lt(keys[ki]!.at, measureEnd) : le(keys[ki]!.at, pos))) key = keys[ki++];
    if (key) attrs.key = { kind: "traditional", fifths: key.fifths, mode: key.mode } satisfies KeySignature;
    frames.push({ number: String(number), start: pos, duration, attributes: attrs, ...(frames.length === 0 && pickup ? { implicit: true } : {}) });
    number++;
    pos = measureEnd;
    if (ge(pos, end)) break;
  }
  return frames;
}

function clefFor(plan: PartPlan): Clef {
  const sorted = plan.notes.map((n) => n.midi).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 60;
  if (/tenor/i.test(plan.name) && median < 62) return { sign: "G", line: 2, octaveChange: -1 };
  if (median < 55) return { sign: "F", line: 4 };
  if (/viola|bratsche|alto/i.test(plan.name) && plan.program >= 40 && median < 67) return { sign: "C", line: 3 };
  return { sign: "G", line: 2 };
}

/**
 * Splits a piano part between the hands where the track names do not: a split point that follows
 * the music. Each onset's chord is cut where the two hands' running centres are best served, and
 * neither hand is asked to stretch more than an octave and a bit. The split point after each
 * onset (midway between the centres) goes to the report.
 */
function splitHands(notes: readonly QNote[]): { hands: Map<QNote, 1 | 2>; split: number[] } {
  const hands = new Map<QNote, 1 | 2>();
  const split: number[] = [];
  // The hands start where the piece's low and high registers are.
  const sorted = notes.map((n) => n.midi).sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 60;
  let right = Math.max(60, at(0.8));
  let left = Math.min(55, at(0.2));
  const groups = [...groupBy(notes.filter((n) => !n.hand), (n) => `${n.onset.n}/${n.onset.d}`).values()];
  for (const group of groups) {
    const sorted = [...group].sort((a, b) => a.midi - b.midi);
    let bestK = 0;
    let bestCost = Infinity;
    for (let k = 0; k <= sorted.length; k++) {
      const lh = sorted.slice(0, k);
      const rh = sorted.slice(k);
      let cost = 0;
      for (const n of lh) cost += Math.abs(n.midi - left);
      for (const n of rh) cost += Math.abs(n.midi - right);
      const stretch = (xs: QNote[]): number => (xs.length > 1 ? Math.max(0, xs[xs.length - 1]!.midi - xs[0]!.midi - 14) : 0);
      cost += 6 * (stretch(lh) + stretch(rh));
      if (cost < bestCost) {
        bestCost = cost;
        bestK = k;
      }
    }
    sorted.forEach((n, i) => hands.set(n, i < bestK ? 2 : 1));
    const mean = (xs: QNote[]): number => xs.reduce((s, n) => s + n.midi, 0) / xs.length;
    const lh = sorted.slice(0, bestK);
    const rh = sorted.slice(bestK);
    if (lh.length) left = 0.7 * left + 0.3 * mean(lh);
    if (rh.length) right = 0.7 * right + 0.3 * mean(rh);
    // The centres stay apart so that one hand never swallows the other.
    if (right - left < 10) {
      const mid = (right + left) / 2;
      right = mid + 5;
      left = mid - 5;
    }
    split.push((right + left) / 2);
  }
  return { hands, split };
}


/** A voice's notes as the reader deals them, before they are spelled: each with the key number its line goes to next. */
interface DealtVoice {
  readonly notes: readonly { readonly note: QNote; readonly next: number | undefined }[];
  readonly voice: string;
  readonly staff: number;
}

/**
 * Voices for one part: per staff, notes that start and end together make a chord; a note held
 * while others move goes to a second voice. At most two voices per staff: where both are busy, a
 * voice takes the new chord over its held notes, which go on sounding, tied across (see
 * `chordVoice`): every note is written as long as it was played.
 */
function dealNotes(plan: PartPlan, familyOf: (t: Fraction) => GridFamily | undefined): { dealt: DealtVoice[]; dropped: number; split: number[] } {
  const { hands, split } = plan.kind === "piano" ? splitHands(plan.notes) : { hands: new Map<QNote, 1 | 2>(), split: [] };
  const staves: QNote[][] = [[], []];
  let dropped = 0;
  // One key cannot sound twice: a re-struck key ends the note before it (else two voices would overlap on one pitch).
  const sounding = new Map<number, QNote>();
  for (const n of [...plan.notes].sort((a, b) => cmp(a.onset, b.onset))) {
    const prev = sounding.get(n.midi);
    if (prev && gt(prev.end, n.onset) && lt(prev.onset, n.onset)) prev.end = n.onset;
    sounding.set(n.midi, n);
  }
  // Duplicates: the same key struck twice at the same time in one part is one note.
  const seen = new Set<string>();
  for (const n of [...plan.notes].sort((a, b) => cmp(a.onset, b.onset) || a.midi - b.midi)) {
    const k = `${n.onset.n}/${n.onset.d}:${n.midi}`;
    if (seen.has(k)) {
      dropped++;
      continue;
    }
    seen.add(k);
    const staff = plan.kind === "piano" ? (n.hand ?? hands.get(n) ?? 1) : 1;
    staves[staff - 1]!.push(n);
  }
  const dealt: DealtVoice[] = [];
  staves.forEach((notes, si) => {
    if (notes.length === 0) return;
    twoVoices(notes, familyOf).forEach((voice, vi) => {
      if (voice.length === 0) return;
      closeGaps(voice);
      if (plan.kind === "percussion") cutHeld(voice);
      const groups = [...groupBy(voice, (n) => `${n.onset.n}/${n.onset.d}`).values()].sort((a, b) => cmp(a[0]!.onset, b[0]!.onset));
      const placed = groups.flatMap((group, gi) => {
        const next = groups[gi + 1];
        return group.map((note) => ({ note, next: next ? nearest(next, note.midi) : undefined }));
      });
      dealt.push({ notes: placed, voice: String(si * 4 + vi + 1), staff: si + 1 });
    });
  });
  return { dealt, dropped, split };
}

/**
 * The pitches of all the parts' notes: the pitched parts' spelled together, by the keys their
 * music passes through (`spellInContext`, which starts from the key signature in force and the
 * line's direction); percussion keeps its key number in a plain spelling until `asUnpitched`
 * places it.
 */
function spellParts(plans: readonly PartPlan[], dealt: readonly (readonly DealtVoice[])[], keyAt: (t: Fraction) => { fifths: number; mode: "major" | "minor" }): { pitches: Map<QNote, Pitch>; respelled: number } {
  const pitches = new Map<QNote, Pitch>();
  const pitched: { note: QNote; next: number | undefined }[] = [];
  plans.forEach((plan, pi) => {
    for (const v of dealt[pi]!) for (const x of v.notes) {
      if (plan.kind === "percussion") pitches.set(x.note, spellMidi(x.note.midi, 0, "major"));
      else pitched.push(x);
    }
  });
  const notes = pitched.map(({ note, next }) => {
    const { fifths, mode } = keyAt(note.onset);
    return { midi: note.midi, onset: note.onset, duration: sub(note.end, note.onset), ...(next === undefined ? {} : { next }), fifths, mode };
  });
  const spelled = spellInContext(notes);
  pitched.forEach(({ note }, i) => pitches.set(note, spelled.pitches[i]!));
  return { pitches, respelled: spelled.respelled };
}

/** A part's dealt voices written with their pitches. */
function voicesOf(dealt: readonly DealtVoice[], pitches: ReadonlyMap<QNote, Pitch>): ChordVoice[] {
  return dealt.map((v) => {
    const held: HeldNote[] = v.notes.map(({ note }) => ({ onset: note.onset, duration: sub(note.end, note.onset), pitch: pitches.get(note)!, ...(note.rolled ? { rolled: true as const } : {}) }));
    return chordVoice(held, v.voice, v.staff);
  });
}

/**
 * Articulation is not rhythm: a detached or staccato performance leaves gaps that would read as
 * small rests. A note is held on to the voice's next onset over a gap of a 32nd or less (and
 * shorter than the note), and over any gap when the next onset is an eighth or less after its own;
 * but only where the note and the next are struck on one grid, the 16ths' or the triplets' (a
 * 16th before a triplet that begins with a rest, in a beat of both: that rest is written, and the
 * tie over it would be a value of neither grid).
 */
function closeGaps(voice: readonly QNote[]): void {
  const onsets = voice.map((n) => n.onset).sort(cmp).filter((t, i, all) => i === 0 || cmp(t, all[i - 1]!) !== 0);
  let i = 0;
  for (const n of [...voice].sort((a, b) => cmp(a.onset, b.onset))) {
    while (i < onsets.length && le(onsets[i]!, n.onset)) i++;
    const next = onsets[i];
    if (!next || !lt(n.end, next)) continue;
    const gap = sub(next, n.end);
    if (gridOf(n.onset) + gridOf(next) === 3) continue;
    if ((le(gap, frac(1, 32)) && lt(gap, sub(n.end, n.onset))) || le(sub(next, n.onset), frac(1, 8))) n.end = next;
  }
}

/** Drums: a note lasts until its voice strikes again, and the notes struck together end together. */
function cutHeld(voice: readonly QNote[]): void {
  const groups = [...groupBy(voice, (n) => `${n.onset.n}/${n.onset.d}`).values()].sort((a, b) => cmp(a[0]!.onset, b[0]!.onset));
  groups.forEach((group, gi) => {
    const next = groups[gi + 1]?.[0]!.onset;
    let end = group.reduce((a, n) => (lt(n.end, a) ? n.end : a), group[0]!.end);
    if (next && lt(next, end)) end = next;
    for (const n of group) n.end = end;
  });
}

function nearest(notes: readonly QNote[], midi: number): number | undefined {
  let best: number | undefined;
  for (const n of notes) if (best === undefined || Math.abs(n.midi - midi) < Math.abs(best - midi)) best = n.midi;
  return best;
}
