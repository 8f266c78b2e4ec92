/**
 * Helpers for the MIDI tests and `npm run eval:midi`: a deterministic "human" player, a score
 * transposer, and a comparison of two scores by the notes a listener hears.
 */
import { type MidiEvent, parseMidi, writeMidi } from "midi-file";
import { add, cmp, type Fraction, lt, sub, toNumber } from "../../src/model/fraction.js";
import { measureStarts } from "../../src/model/timeline.js";
import { noteKey, scoreNotes } from "../../src/model/notes.js";
import { midiOf, transpose } from "../../src/model/pitch.js";
import type { Attributes, KeySignature, Score } from "../../src/model/score.js";

/** mulberry32: a small seeded PRNG, so the humanised files are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How `humanise` plays: the defaults move note-offs both ways and draw velocities from 40–110. */
export interface Touch {
  /** Note-offs only move earlier, by up to `jitter` ticks (a player lifting a key before the next one). */
  readonly earlyReleases?: boolean;
  /** Velocities drawn from this range, inclusive. */
  readonly velocities?: readonly [low: number, high: number];
}

/**
 * Plays a MIDI file "by hand": every note-on and note-off moved by up to ±`jitter` ticks
 * (uniform, seeded) and every velocity drawn from 40–110, unless `touch` says otherwise.
 */
export function humanise(bytes: Uint8Array, seed: number, jitter = 12, touch: Touch = {}): Uint8Array {
  const rand = prng(seed);
  const [vLow, vHigh] = touch.velocities ?? [40, 110];
  const data = parseMidi(bytes);
  const tracks = data.tracks.map((track) => {
    let now = 0;
    const timed = track.map((e, i) => {
      now += e.deltaTime;
      return { tick: now, i, e: { ...e } as MidiEvent };
    });
    const open = new Map<string, { tick: number }>();
    for (const x of timed) {
      const e = x.e;
      if (e.type === "noteOn" && e.velocity > 0) {
        x.tick = Math.max(0, x.tick + Math.round((rand() * 2 - 1) * jitter));
        e.velocity = vLow + Math.floor(rand() * (vHigh - vLow + 1));
        open.set(`${e.channel}:${e.noteNumber}`, x);
      } else if (e.type === "noteOff" || (e.type === "noteOn" && e.velocity === 0)) {
        const on = open.get(`${e.channel}:${e.noteNumber}`);
        // A note-off never moves before its own note-on.
        const move = touch.earlyReleases ? -Math.round(rand() * jitter) : Math.round((rand() * 2 - 1) * jitter);
        x.tick = Math.max(on ? on.tick + 1 : 0, x.tick + move);
      }
    }
    return withDeltas(timed);
  });
  return new Uint8Array(writeMidi({ header: data.header, tracks }, { running: false }));
}

/** The same file with every event of one type (time signatures, key signatures) taken out, the others at their times. */
export function withoutEvents(bytes: Uint8Array, type: "timeSignature" | "keySignature"): Uint8Array {
  const data = parseMidi(bytes);
  const tracks = data.tracks.map((track) => {
    let now = 0;
    const timed = track.map((e, i) => {
      now += e.deltaTime;
      return { tick: now, i, e };
    });
    return withDeltas(timed.filter((x) => x.e.type !== type));
  });
  return new Uint8Array(writeMidi({ header: data.header, tracks }, { running: false }));
}

/** Number of notes (note-ons with a velocity) in a MIDI file. */
export function midiNoteCount(bytes: Uint8Array): number {
  return parseMidi(bytes).tracks.flat().filter((e) => e.type === "noteOn" && e.velocity > 0).length;
}

/** The score transposed by an interval (diatonic steps + semitones), key signatures with it. */
export function transposeScore(score: Score, diatonic: number, chromatic: number): Score {
  const fifths = 7 * chromatic - 12 * diatonic;
  const key = (k: KeySignature | undefined): KeySignature | undefined =>
    k?.kind === "traditional" ? { ...k, fifths: k.fifths + fifths } : k;
  const attrs = (a: Attributes): Attributes => (a.key ? { ...a, key: key(a.key)! } : a);
  return {
    ...score,
    parts: score.parts.map((p) => ({
      ...p,
      measures: p.measures.map((m) => ({
        ...m,
        attributes: attrs(m.attributes),
        events: m.events.map((e) =>
          e.kind === "note" ? { ...e, notes: e.notes.map((n) => (n.pitch ? { ...n, pitch: transpose(n.pitch, diatonic, chromatic) } : n)) } : e,
        ),
      })),
    })),
  };
}

export interface NoteMatch {
  /** Notes of the reference (grace notes left out). */
  readonly total: number;
  /** Found in the other score at the same onset with the same key number (same part if the part counts agree). */
  readonly onsetAndPitch: number;
  /** ... and spelled the same. */
  readonly spelled: number;
}

/**
 * How many of `a`'s notes `b` has at the same onset and key number, one-to-one; compared part by
 * part when both have as many parts, else over all parts together.
 */
export function matchNotes(a: Score, b: Score, shift?: Fraction): NoteMatch {
  const na = scoreNotes(a).map((p) => p.filter((n) => !n.grace));
  const nb = scoreNotes(b).map((p) => p.filter((n) => !n.grace));
  const groupsA = na.length === nb.length ? na : [na.flat()];
  const groupsB = na.length === nb.length ? nb : [nb.flat()];
  const at = (o: Fraction): string => {
    const x = shift ? { n: o.n * shift.d + shift.n * o.d, d: o.d * shift.d } : o;
    return String(x.n / x.d);
  };
  let total = 0;
  let found = 0;
  let spelled = 0;
  groupsA.forEach((list, i) => {
    const pool = new Map<string, number>();
    const spell = new Map<string, number>();
    for (const n of groupsB[i] ?? []) {
      if (!n.pitch) continue;
      const k = `${midiOf(n.pitch)}@${at(n.onset)}`;
      pool.set(k, (pool.get(k) ?? 0) + 1);
      const s = `${noteKey(n).split("@")[0]}@${at(n.onset)}`;
      spell.set(s, (spell.get(s) ?? 0) + 1);
    }
    for (const n of list) {
      if (!n.pitch) continue;
      total++;
      const k = `${midiOf(n.pitch)}@${String(n.onset.n / n.onset.d)}`;
      const c = pool.get(k) ?? 0;
      if (c === 0) continue;
      found++;
      pool.set(k, c - 1);
      const s = `${noteKey(n).split("@")[0]}@${String(n.onset.n / n.onset.d)}`;
      const cs = spell.get(s) ?? 0;
      if (cs > 0) {
        spelled++;
        spell.set(s, cs - 1);
      }
    }
  });
  return { total, onsetAndPitch: found, spelled };
}

/** How `playFreely` plays: a tempo that drifts around a base, and onsets off by a few milliseconds. */
export interface FreePlay {
  /** The tempo's swing either side of the base (0.08: ±8 %). */
  readonly drift?: number;
  /** Onsets moved by up to ± this many milliseconds (uniform, seeded). */
  readonly jitterMs?: number;
  /** Keep the file's time-signature events (else the reader must find the meter). */
  readonly meter?: boolean;
}

/**
 * Plays a MIDI file without a click: real time follows a smooth tempo curve, tempo(t) = base ·
 * (1 + drift · sin(2πt/period + phase)) with base 60–100 bpm and a period of 8–20 s (seeded), and
 * the performance is written as a sequencer records one, at the file's resolution against a single
 * 120 bpm tempo event. The file's beats then no longer fit its notes. Returns the file and the
 * curve's base.
 */
export function playFreely(bytes: Uint8Array, seed: number, play: FreePlay = {}): { file: Uint8Array; base: number } {
  const rand = prng(seed);
  const drift = play.drift ?? 0.08;
  const jitter = (play.jitterMs ?? 12) / 1000;
  const base = 60 + 40 * rand();
  const period = 8 + 12 * rand();
  const phase = 2 * Math.PI * rand();
  const data = parseMidi(bytes);
  const ppq = data.header.ticksPerBeat ?? 480;
  const bpmAt = (s: number): number => base * (1 + drift * Math.sin((2 * Math.PI * s) / period + phase));
  // Seconds at each 1/96 of a quarter, by the midpoint rule.
  const step = 1 / 96;
  const seconds = [0];
  const secondsOf = (quarters: number): number => {
    while (seconds.length * step <= quarters + 1) {
      const s = seconds[seconds.length - 1]!;
      const mid = s + (step * 60) / bpmAt(s) / 2;
      seconds.push(s + (step * 60) / bpmAt(mid));
    }
    const i = Math.floor(quarters / step);
    const f = quarters / step - i;
    return seconds[i]! + f * (seconds[i + 1]! - seconds[i]!);
  };
  const toTick = (s: number): number => Math.max(0, Math.round((s * 120 * ppq) / 60));
  const tracks = data.tracks.map((track, ti) => {
    let now = 0;
    const timed: { tick: number; i: number; e: MidiEvent }[] = [];
    const open = new Map<string, number>();
    track.forEach((e, i) => {
      now += e.deltaTime;
      if (e.type === "setTempo" || (e.type === "timeSignature" && !play.meter)) return;
      const s = secondsOf(now / ppq);
      let tick = toTick(s);
      if (e.type === "noteOn" && e.velocity > 0) {
        tick = toTick(Math.max(0, s + (rand() * 2 - 1) * jitter));
        open.set(`${e.channel}:${e.noteNumber}`, tick);
      } else if (e.type === "noteOff" || (e.type === "noteOn" && e.velocity === 0)) {
        tick = Math.max((open.get(`${e.channel}:${e.noteNumber}`) ?? 0) + 1, tick);
      }
      timed.push({ tick, i, e: { ...e } });
    });
    if (ti === 0) timed.unshift({ tick: 0, i: -1, e: { deltaTime: 0, meta: true, type: "setTempo", microsecondsPerBeat: 500_000 } });
    return withDeltas(timed);
  });
  return { file: new Uint8Array(writeMidi({ header: data.header, tracks }, { running: false })), base };
}

export interface BeatMatch {
  /** Notes of the truth (grace notes left out). */
  readonly total: number;
  /** Read at the same beat and subdivision (after lining up the first notes) with the same key number. */
  readonly onBeat: number;
  /** The first time signature is the truth's. */
  readonly meter: boolean;
  /** The first note is as far into its measure as in the truth, so that every barline falls where it should. */
  readonly downbeat: boolean;
  /**
   * The share of the truth's barlines (after lining up the first notes; the first measure's start
   * left out) that the reading has: below 1 where the truth has measures of other lengths (a
   * chorale's 3 + 1 at a repeat), or where the reading's barlines are off.
   */
  readonly barlines: number;
}

/** How well a reading of a performance keeps the truth's beats: onsets, meter and barlines. */
export function matchBeats(truth: Score, read: Score): BeatMatch {
  const first = (s: Score): { onset: Fraction; into: Fraction } => {
    const notes = scoreNotes(s).flat().filter((n) => !n.grace);
    const n = notes.reduce((a, x) => (lt(x.onset, a.onset) ? x : a), notes[0]!);
    return { onset: n.onset, into: sub(n.onset, measureStarts(s.parts[0]!)[n.measure]!) };
  };
  const a = first(truth);
  const b = first(read);
  const m = matchNotes(truth, read, sub(a.onset, b.onset));
  const meterOf = (s: Score): string => {
    const t = s.parts[0]!.measures[0]!.attributes.time;
    return t?.kind === "measured" ? t.signatures.map((x) => `${x.beats}/${x.beatType}`).join("+") : "?";
  };
  const shift = sub(a.onset, b.onset);
  const readBars = new Set(measureStarts(read.parts[0]!).map((t) => String(toNumber(add(t, shift)))));
  const truthBars = measureStarts(truth.parts[0]!).slice(1).map((t) => String(toNumber(t)));
  const barlines = truthBars.length ? truthBars.filter((t) => readBars.has(t)).length / truthBars.length : 1;
  return { total: m.total, onBeat: m.onsetAndPitch, meter: meterOf(truth) === meterOf(read), downbeat: meterOf(truth) === meterOf(read) && cmp(a.into, b.into) === 0, barlines };
}

/** A track's events at absolute ticks, in time order (ties in their first order), with delta times again. */
function withDeltas(timed: { tick: number; i: number; e: MidiEvent }[]): MidiEvent[] {
  timed.sort((a, b) => a.tick - b.tick || a.i - b.i);
  let last = 0;
  return timed.map((x) => {
    const e = { ...x.e, deltaTime: x.tick - last } as MidiEvent;
    last = x.tick;
    return e;
  });
}
