/**
 * Writing a score as a Standard MIDI File (format 1, 480 ticks per quarter) for listening.
 *
 * Track 1 is the conductor (title, tempo map, time and key signatures); then one track per part
 * with its name and General MIDI program. Pitched parts take channels 1–9 and 11–16 in turn (reused
 * past 15 parts); channel 10 is only for unpitched percussion. Tied notes sound as one note, grace
 * notes as a short note just before their principal, cue notes not at all. Velocities follow the
 * dynamics in force (pp ≈ 33 … ff ≈ 112; mf-ish 80 before any marking). Repeats and endings are
 * not expanded: the file plays the measures once, in written order.
 *
 * Key signatures are written here (through `midi-file`), not with @tonejs/midi, whose writer
 * encodes flat keys wrongly (B♭ major as sf = 12).
 */
import { type MidiData, type MidiEvent, writeMidi as encodeMidi } from "midi-file";
import { add, cmp, type Fraction, frac, lt, sub, toNumber, ZERO } from "../model/fraction.js";
import { concatBytes } from "../model/bytes.js";
import { soundingNotes } from "../model/notes.js";
import { midiOf } from "../model/pitch.js";
import { DYNAMIC_LEVELS, DYNAMIC_VELOCITY, type Direction, levelAfter, levelIndex, type NoteType, type Part, type Score, type TimeSignature } from "../model/score.js";
import { timeLength } from "../model/time.js";
import { measureStarts, muteChanges } from "../model/timeline.js";

export interface MidiWriteOptions {
  /** Ticks per quarter note; 480 unless given. */
  readonly ppq?: number;
}

/** Accents: louder for the notes at that instant only. */
const ACCENTS = new Set(["sf", "sfz", "sffz", "fz", "rf", "rfz", "sfp", "sfpp", "sfzp", "fp"]);
const DEFAULT_VELOCITY = 80;
const QUARTERS_OF: Partial<Record<NoteType, number>> = { whole: 4, half: 2, quarter: 1, eighth: 0.5, "16th": 0.25 };

interface Timed {
  readonly tick: number;
  /** Order within a tick: note-offs before everything else, note-ons last. */
  readonly order: number;
  readonly event: MidiEvent;
}

/**
 * The bytes of a type-1 MIDI file of the score.
 * @example writeMidi(score).subarray(0, 4) // "MThd"
 */
export function writeMidi(score: Score, options: MidiWriteOptions = {}): Uint8Array {
  const ppq = options.ppq ?? 480;
  const pad = pickupPadding(score);
  const tick = (t: Fraction): number => Math.max(0, Math.round(toNumber(add(t, pad)) * 4 * ppq));
  const tracks: Timed[][] = [conductorTrack(score, tick)];
  let pitchedIndex = 0;
  for (const part of score.parts) {
    const percussion = isPercussion(part);
    const channel = percussion ? 9 : PITCHED_CHANNELS[pitchedIndex++ % PITCHED_CHANNELS.length]!;
    tracks.push(partTrack(part, percussion, channel, tick, pad));
  }
  return encodeTracks(tracks, ppq);
}

/** Ticks of a time in the score, the pickup's padding included. */
type Tick = (t: Fraction) => number;

/** One note as it sounds: its ticks on and off, its key, and its time in the score (for its velocity). */
interface Sounding {
  on: number;
  off: number;
  readonly key: number;
  readonly at: Fraction;
}

/** A pickup starts after a silence that fills its measure, so the file's barlines fall where the score's do. */
function pickupPadding(score: Score): Fraction {
  const first = score.parts[0]?.measures[0];
  const firstTime = first?.attributes.time;
  const full = firstTime ? timeLength(firstTime) : ZERO;
  return first?.implicit && firstTime && lt(first.duration, full) ? sub(full, first.duration) : ZERO;
}

/** Track 1: the title, time and key signatures (from the first part), and the tempo map (from all parts). */
function conductorTrack(score: Score, tick: Tick): Timed[] {
  const ref = score.parts[0];
  const starts = ref ? measureStarts(ref) : [];
  const conductor: Timed[] = [];
  const title = score.meta.title ?? score.meta.movementTitle;
  if (title) conductor.push({ tick: 0, order: 0, event: { deltaTime: 0, meta: true, type: "trackName", text: latin1(title) } });
  ref?.measures.forEach((m, i) => {
    const at = starts[i]!;
    const time = m.attributes.time;
    // The pickup's time signature goes at tick 0, before the padding.
    const t = i === 0 ? 0 : tick(at);
    if (time) {
      const ts = timeSignatureOf(time);
      if (ts) conductor.push({ tick: t, order: 1, event: { deltaTime: 0, meta: true, type: "timeSignature", ...ts, metronome: 24, thirtyseconds: 8 } });
    }
    const key = m.attributes.key;
    if (key?.kind === "traditional") {
      const fifths = Math.max(-7, Math.min(7, key.fifths));
      conductor.push({ tick: t, order: 2, event: { deltaTime: 0, meta: true, type: "keySignature", key: fifths, scale: key.mode === "minor" ? 1 : 0 } });
    }
    for (const mid of m.midAttributes) {
      const mt = tick(add(at, mid.offset));
      if (mid.time) {
        const ts = timeSignatureOf(mid.time);
        if (ts) conductor.push({ tick: mt, order: 1, event: { deltaTime: 0, meta: true, type: "timeSignature", ...ts, metronome: 24, thirtyseconds: 8 } });
      }
    }
  });
  // Tempo: the first part that says something at a time decides.
  const tempos = new Map<number, number>();
  for (const part of score.parts) {
    const ps = measureStarts(part);
    part.measures.forEach((m, i) => {
      for (const d of m.directions) {
        const bpm = tempoOf(d);
        const t = i === 0 && d.offset.n === 0 ? 0 : tick(add(ps[i]!, d.offset));
        if (bpm !== undefined && !tempos.has(t)) tempos.set(t, bpm);
      }
    });
  }
  for (const [t, bpm] of tempos) {
    conductor.push({ tick: t, order: 3, event: { deltaTime: 0, meta: true, type: "setTempo", microsecondsPerBeat: Math.round(60_000_000 / bpm) } });
  }
  return conductor;
}

/** One part's track: its name, its program (pitched parts), and its notes at the velocities of its dynamics. */
function partTrack(part: Part, percussion: boolean, channel: number, tick: Tick, pad: Fraction): Timed[] {
  const events: Timed[] = [{ tick: 0, order: 1, event: { deltaTime: 0, meta: true, type: "trackName", text: latin1(part.name) } }];
  if (!percussion) {
    const program = Math.max(1, Math.min(128, part.instruments[0]?.midiProgram ?? 1));
    events.push({ tick: 0, order: 2, event: { deltaTime: 0, channel, type: "programChange", programNumber: program - 1 } });
    // A trumpet "con sord." sounds as General MIDI's muted trumpet until "senza sord.".
    const muted = MUTED_PROGRAM.get(program);
    if (muted !== undefined) {
      for (const { at, on } of muteChanges(part)) events.push({ tick: tick(at), order: 2, event: { deltaTime: 0, channel, type: "programChange", programNumber: (on ? muted : program) - 1 } });
    }
  }
  const velocity = velocities(part);
  const notes = percussion ? unpitchedNotes(part, tick) : pitchedNotes(part, tick, pad);
  // One key sounds once per channel: a note re-struck while still held ends the first.
  notes.sort((a, b) => a.on - b.on || a.key - b.key);
  const last = new Map<number, Sounding>();
  const kept: typeof notes = [];
  for (const n of notes) {
    const prev = last.get(n.key);
    if (prev && prev.off > n.on) {
      if (prev.on === n.on) continue; // a unison of two voices: one note
      prev.off = n.on;
    }
    last.set(n.key, n);
    kept.push(n);
  }
  for (const n of kept) {
    if (n.off <= n.on) continue;
    const v = velocity(n.at);
    events.push({ tick: n.on, order: 9, event: { deltaTime: 0, channel, type: "noteOn", noteNumber: n.key, velocity: v } });
    events.push({ tick: n.off, order: 0, event: { deltaTime: 0, channel, type: "noteOff", noteNumber: n.key, velocity: 0 } });
  }
  return events;
}

/** General MIDI programs (1–128) with a muted sound of their own: the trumpet's (57 → 60). */
const MUTED_PROGRAM: ReadonlyMap<number, number> = new Map([[57, 60]]);

/** A pitched part's sounding notes (ties joined, cues left out); a grace note a 32nd before its principal. */
function pitchedNotes(p: Part, tick: Tick, pad: Fraction): Sounding[] {
  const graceLength = frac(1, 32);
  return soundingNotes(p)
    .filter((n) => n.pitch)
    .map((n) => {
      const key = Math.max(0, Math.min(127, Math.round(midiOf(n.pitch!))));
      if (n.grace) {
        // Just before the principal; at the very start there is no "before", so with it.
        const on = lt(add(n.onset, pad), graceLength) ? n.onset : sub(n.onset, graceLength);
        return { on: tick(on), off: tick(add(on, graceLength)), key, at: n.onset };
      }
      return { on: tick(n.onset), off: tick(add(n.onset, n.duration)), key, at: n.onset };
    });
}

/** A percussion part's notes, each on the key of its instrument's `midiUnpitched`. */
function unpitchedNotes(p: Part, tick: Tick): Sounding[] {
  const ps = measureStarts(p);
  const out: Sounding[] = [];
  p.measures.forEach((m, i) => {
    for (const ev of m.events) {
      if (ev.kind !== "note" || ev.cue || ev.grace) continue;
      const at = add(ps[i]!, ev.onset);
      for (const n of ev.notes) {
        if (n.tieStop) continue;
        const inst = p.instruments.find((x) => x.id === n.instrument) ?? p.instruments[0];
        const key = inst?.midiUnpitched ? inst.midiUnpitched - 1 : n.pitch ? Math.round(midiOf(n.pitch)) : 38;
        out.push({ on: tick(at), off: tick(add(at, ev.duration)), key, at });
      }
    }
  });
  return out;
}

/** The file's bytes: each track's events in time order, as delta times, with running status. */
function encodeTracks(tracks: readonly Timed[][], ppq: number): Uint8Array {
  const header: MidiData["header"] = { format: 1, numTracks: tracks.length, ticksPerBeat: ppq };
  const chunks = tracks.map((t) => {
    const sorted = [...t].sort((a, b) => a.tick - b.tick || a.order - b.order);
    let now = 0;
    const out: MidiEvent[] = sorted.map((x) => {
      const e = { ...x.event, deltaTime: x.tick - now } as MidiEvent;
      now = x.tick;
      return e;
    });
    out.push({ deltaTime: 0, meta: true, type: "endOfTrack" });
    return trackChunk(header, out);
  });
  const head = Uint8Array.from(encodeMidi({ header, tracks: [] }));
  // The track count (bytes 10–11): midi-file counts the tracks it was given, here none.
  head[10] = (tracks.length >> 8) & 0xff;
  head[11] = tracks.length & 0xff;
  return concatBytes([head, ...chunks]);
}

/**
 * Events midi-file encodes at a time. Its writer keeps a track in one array of numbers and copies
 * all of it for every delta time over 127 ticks, so a track's cost grows with the square of its
 * length (a 3,000-measure orchestral score took 80 s and 0.7 GiB): a long track is encoded in
 * pieces, and the pieces' bytes joined into one chunk.
 */
const PIECE_EVENTS = 2000;

/** "MThd" and its length, format, track count and division; "MTrk" and its length. */
const FILE_HEADER_BYTES = 14;
const CHUNK_HEADER_BYTES = 8;

/**
 * One `MTrk` chunk, the same bytes midi-file writes for the whole track (with running status). A
 * piece after the first is encoded behind the channel event before it (if that is one), so that
 * its first event leaves out the status byte as it would in the whole track; those bytes are
 * then dropped.
 */
export function trackChunk(header: MidiData["header"], events: readonly MidiEvent[]): Uint8Array {
  const body = (evs: readonly MidiEvent[]): Uint8Array => Uint8Array.from(encodeMidi({ header, tracks: [[...evs]] }, { running: true })).subarray(FILE_HEADER_BYTES + CHUNK_HEADER_BYTES);
  const pieces: Uint8Array[] = [];
  for (let k = 0; k < events.length; k += PIECE_EVENTS) {
    const piece = events.slice(k, k + PIECE_EVENTS);
    const before = events[k - 1];
    if (!before || !("channel" in before)) {
      pieces.push(body(piece));
      continue;
    }
    const lead = { ...before, deltaTime: 0 } as MidiEvent;
    pieces.push(body([lead, ...piece]).subarray(body([lead]).length));
  }
  const length = pieces.reduce((n, p) => n + p.length, 0);
  const head = new Uint8Array(CHUNK_HEADER_BYTES);
  head.set([0x4d, 0x54, 0x72, 0x6b]); // "MTrk"
  new DataView(head.buffer).setUint32(4, length);
  return concatBytes([head, ...pieces]);
}

/** MIDI channels (0-based) for pitched parts: all but the percussion channel 10. */
const PITCHED_CHANNELS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15];

function isPercussion(part: Part): boolean {
  if (part.instruments.some((i) => i.midiUnpitched !== undefined || i.midiChannel === 10)) return true;
  return part.measures.some((m) => m.events.some((e) => e.kind === "note" && e.notes.some((n) => n.unpitched && !n.pitch)));
}

function timeSignatureOf(time: TimeSignature): { numerator: number; denominator: number } | undefined {
  if (time.kind !== "measured" || time.signatures.length === 0) return undefined;
  if (time.signatures.length === 1) {
    const s = time.signatures[0]!;
    const beats = s.beats.split("+").reduce((a, b) => a + (Number(b) || 0), 0);
    if (beats > 0 && isPowerOfTwo(s.beatType)) return { numerator: beats, denominator: s.beatType };
  }
  // Composite signatures (2/4 + 3/8) are written as their total over the smallest unit.
  const len = timeLength(time);
  const den = Math.max(...time.signatures.map((s) => s.beatType));
  const num = (len.n * den) / len.d;
  return Number.isInteger(num) && num > 0 && isPowerOfTwo(den) ? { numerator: num, denominator: den } : undefined;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** Quarter notes per minute a direction asks for: its playback tempo, else its metronome mark. */
function tempoOf(d: Direction): number | undefined {
  if (d.sound?.tempo !== undefined && d.sound.tempo > 0) return d.sound.tempo;
  for (const item of d.items) {
    if (item.kind !== "metronome") continue;
    const per = Number(item.perMinute);
    const q = QUARTERS_OF[item.beatUnit];
    if (Number.isFinite(per) && per > 0 && q !== undefined) return per * q * (item.dots ? 2 - 1 / 2 ** item.dots : 1);
  }
  return undefined;
}

/** Velocity at each moment of a part from its dynamics: levels in force, accents on their instant. */
function velocities(part: Part): (at: Fraction) => number {
  const starts = measureStarts(part);
  const marks: { at: Fraction; level?: number; accent?: number }[] = [];
  part.measures.forEach((m, i) => {
    for (const d of m.directions) {
      const at = add(starts[i]!, d.offset);
      let found = false;
      for (const item of d.items) {
        if (item.kind !== "dynamics") continue;
        for (const v of item.values) {
          found = true;
          // An fp (sfp, sfpp, sfzp) is struck loud and leaves its soft level in force.
          const after = levelIndex(v) < 0 ? levelAfter(v) : -1;
          if (after >= 0) marks.push({ at, accent: v === "fp" ? 96 : 112, level: DYNAMIC_VELOCITY[DYNAMIC_LEVELS[after]!]! });
          else if (ACCENTS.has(v)) marks.push({ at, accent: 24 });
          else if (DYNAMIC_VELOCITY[v] !== undefined) marks.push({ at, level: DYNAMIC_VELOCITY[v] });
        }
      }
      // MusicXML's dynamics attribute is a percentage of forte, which is velocity 90.
      if (!found && d.sound?.dynamics !== undefined) marks.push({ at, level: Math.round(Math.max(1, Math.min(127, d.sound.dynamics * 0.9))) });
    }
  });
  marks.sort((a, b) => cmp(a.at, b.at));
  return (at: Fraction): number => {
    let level = DEFAULT_VELOCITY;
    let accent: number | undefined;
    for (const m of marks) {
      const c = cmp(m.at, at);
      if (c > 0) break;
      if (c === 0 && m.accent !== undefined) accent = m.accent;
      if (m.level !== undefined && (c < 0 || m.accent === undefined)) level = m.level;
    }
    if (accent === undefined) return level;
    // An absolute accent (fp: 96) or a boost over the level (sf: +24).
    return Math.min(127, accent > 90 ? accent : level + accent);
  };
}

/** Track names are bytes: keep what Latin-1 can hold. */
function latin1(s: string): string {
  return s.replace(/[^\u0020-\u00ff]/g, "?");
}
