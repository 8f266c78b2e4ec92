/**
 * Notation decisions shared by the MusicXML writer and the SVG renderer: how a part's sounding
 * pitches are written (transposing instruments), which accidentals show, how notes are beamed
 * by beat, the notated value of an event and where tuplet brackets go. Pure functions over the
 * score model, so both outputs agree note for note.
 */
import { add, cmp, type Fraction, frac, lt, mul, sub, ZERO } from "./fraction.js";
import { notatedOf } from "./durations.js";
import { diatonicOf, intervalFifths, type Pitch, transpose } from "./pitch.js";
import type { Beam, Event, KeySignature, Measure, NotatedValue, Part, TimeSignature, Transposition } from "./score.js";
import { timeLength } from "./time.js";

/** What a measure's notation depends on: the transposition, key and time in force. */
export interface NotationContext {
  readonly transpose: Transposition | undefined;
  readonly key: KeySignature | undefined;
  readonly time: TimeSignature | undefined;
}

/**
 * The context in force at the start of each measure of a part (attributes carried forward).
 * @example notationContexts(part)[0].key // the part's opening key, in concert pitch
 */
export function notationContexts(part: Part): NotationContext[] {
  let transpose: Transposition | undefined;
  let key: KeySignature | undefined;
  let time: TimeSignature | undefined;
  // A measure whose context is the one before's shares its object: an orchestral score of
  // 1,000 measures held 22,000 of them, nearly all alike, for as long as it was engraved.
  let last: NotationContext | undefined;
  return part.measures.map((m) => {
    const a = m.attributes;
    if (a.transpose) transpose = isIdentityTransposition(a.transpose) ? undefined : a.transpose;
    if (a.key) key = a.key;
    if (a.time) time = a.time;
    const ctx: NotationContext = last && last.transpose === transpose && last.key === key && last.time === time ? last : { transpose, key, time };
    last = ctx;
    // A mid-measure key change holds from the next measure on.
    for (const mid of m.midAttributes) {
      if (mid.key) key = mid.key;
      if (mid.time) time = mid.time;
    }
    return ctx;
  });
}

/** A transposition that changes nothing (written = sounding). */
export function isIdentityTransposition(t: Transposition): boolean {
  return t.diatonic === 0 && t.chromatic === 0 && !t.octaveChange;
}

/**
 * The written pitch of a sounding pitch in this context.
 * @example writtenPitchIn(pitch("B", -1, 3), { transpose: { diatonic: -1, chromatic: -2 }, key, time }) // C4
 */
export function writtenPitchIn(p: Pitch, ctx: NotationContext): Pitch {
  const s = writtenShift(ctx);
  return s.diatonic === 0 && s.chromatic === 0 ? p : transpose(p, s.diatonic, s.chromatic);
}

/**
 * The written key signature's fifths for a traditional concert key in this context.
 * @example writtenFifths({ kind: "traditional", fifths: -2 }, bbClarinetCtx) // 0
 */
export function writtenFifths(key: KeySignature & { kind: "traditional" }, ctx: NotationContext): number {
  return key.fifths + (ctx.transpose ? writtenShift({ ...ctx, key }).fifths : 0);
}

/** The interval from sounding to written pitch, respelled when the written key would pass six accidentals. */
export function writtenShift(ctx: NotationContext): { diatonic: number; chromatic: number; fifths: number } {
  const t = ctx.transpose;
  if (!t) return { diatonic: 0, chromatic: 0, fifths: 0 };
  let diatonic = -t.diatonic - 7 * (t.octaveChange ?? 0);
  const chromatic = -t.chromatic - 12 * (t.octaveChange ?? 0);
  let fifths = -intervalFifths(t.diatonic, t.chromatic);
  const concert = ctx.key?.kind === "traditional" ? ctx.key.fifths : 0;
  // A B♭ clarinet in concert B major would read C♯ major (7 sharps): respell it D♭ major.
  if (concert + fifths > 6) {
    fifths -= 12;
    diatonic += 1;
  } else if (concert + fifths < -6) {
    fifths += 12;
    diatonic -= 1;
  }
  return { diatonic, chromatic, fifths };
}

/** Events grouped by voice, voices ordered by staff and then by voice number. */
export function voicesOf(events: readonly Event[]): Map<string, Event[]> {
  const byVoice = new Map<string, Event[]>();
  for (const e of events) {
    const list = byVoice.get(e.voice);
    if (list) list.push(e);
    else byVoice.set(e.voice, [e]);
  }
  // Each voice's lowest staff, found once rather than at every comparison of the sort.
  const lowest = new Map<string, number>();
  for (const [v, evs] of byVoice) lowest.set(v, evs.reduce((min, e) => Math.min(min, e.staff), Infinity));
  const order = [...byVoice.entries()].sort(([va], [vb]) => {
    const sa = lowest.get(va)!;
    const sb = lowest.get(vb)!;
    if (sa !== sb) return sa - sb;
    const na = Number(va);
    const nb = Number(vb);
    if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
    return va < vb ? -1 : va > vb ? 1 : 0;
  });
  return new Map(order);
}

export function valueOf(ev: Event): NotatedValue | undefined {
  if (ev.notated) return ev.notated;
  if (ev.kind === "note" && ev.grace) return { type: "eighth", dots: 0 };
  if (ev.kind === "rest" && ev.measureRest) return undefined;
  return notatedOf(ev.duration, ev.tuplet);
}

// ---------------------------------------------------------------- accidentals

export const ACCIDENTAL_NAMES: Readonly<Record<string, string>> = {
  "-2": "flat-flat",
  "-1.5": "three-quarters-flat",
  "-1": "flat",
  "-0.5": "quarter-flat",
  "0": "natural",
  "0.5": "quarter-sharp",
  "1": "sharp",
  "1.5": "three-quarters-sharp",
  "2": "double-sharp",
};

/**
 * Which notes show an accidental, by the common rule: an accidental holds for its staff position
 * until the barline; the key signature applies otherwise; a note tied over the barline shows none.
 * Computed on written pitch, staff by staff, across voices in time order.
 */
export function accidentalsOf(m: Measure, ctx: NotationContext): Map<Event, (string | undefined)[]> {
  const shift = writtenShift(ctx);
  const keyAlters = new Map<string, number>();
  const key = ctx.key;
  if (key?.kind === "traditional") {
    const written = key.fifths + (ctx.transpose ? shift.fifths : 0);
    const sharps = ["F", "C", "G", "D", "A", "E", "B"];
    for (let i = 0; i < Math.abs(written) && i < 7; i++) {
      const step = written > 0 ? sharps[i]! : sharps[6 - i]!;
      keyAlters.set(step, written > 0 ? 1 : -1);
    }
  } else if (key?.kind === "non-traditional") {
    for (const s of key.steps) keyAlters.set(s.step, s.alter);
  }
  // The alteration in force on each staff position, by staff and then by the position's
  // diatonic index (step and octave in one number, made without a key string for every note).
  const state = new Map<number, Map<number, number>>();
  const out = new Map<Event, (string | undefined)[]>();
  const order = [...m.events].sort((a, b) => cmp(a.onset, b.onset));
  for (const ev of order) {
    if (ev.kind !== "note") continue;
    const shown = ev.notes.map((n): string | undefined => {
      if (!n.pitch) return undefined;
      const w = transpose(n.pitch, shift.diatonic, shift.chromatic);
      const staff = n.staff ?? ev.staff;
      let onStaff = state.get(staff);
      if (!onStaff) state.set(staff, (onStaff = new Map()));
      const position = diatonicOf(w);
      const current = onStaff.get(position) ?? keyAlters.get(w.step) ?? 0;
      if (n.accidental) {
        onStaff.set(position, w.alter);
        return undefined;
      }
      if (n.tieStop) return undefined;
      if (current === w.alter) return undefined;
      onStaff.set(position, w.alter);
      return ACCIDENTAL_NAMES[String(w.alter)];
    });
    if (shown.some((s) => s !== undefined)) out.set(ev, shown);
  }
  return out;
}

// ---------------------------------------------------------------- beams and tuplets

export const BEAM_LEVEL: Readonly<Record<string, number>> = { eighth: 1, "16th": 2, "32nd": 3, "64th": 4, "128th": 5, "256th": 6, "512th": 7, "1024th": 8 };

/** The span one beam group may cover: a beat, or a dotted beat in compound and 3/8 time. */
export function beamUnit(time: TimeSignature | undefined): Fraction {
  if (!time || time.kind !== "measured" || time.signatures.length !== 1) return frac(1, 4);
  const s = time.signatures[0]!;
  const beats = Number(s.beats);
  if (s.beatType >= 8 && Number.isInteger(beats) && beats % 3 === 0) return frac(3, s.beatType);
  if (s.beatType <= 2) return frac(1, s.beatType);
  return frac(1, s.beatType);
}

/** In a pickup (an implicit measure shorter than its time), beats are counted back from the barline. */
function pickupShift(m: Measure, ctx: NotationContext): Fraction {
  const full = ctx.time ? timeLength(ctx.time) : m.duration;
  return lt(m.duration, full) ? sub(full, m.duration) : ZERO;
}

/** How far before a note's end `beamsOf` looks for the beat it ends in. */
const JUST_BEFORE = frac(1, 1_000_000_000);

/** Beams by index in the voice's events: the source's where it gave them, by beat otherwise. */
export function beamsOf(events: readonly Event[], m: Measure, ctx: NotationContext): Map<number, Beam[]> {
  const out = new Map<number, Beam[]>();
  if (events.some((e) => e.beams !== undefined)) {
    events.forEach((e, i) => e.beams && out.set(i, [...e.beams]));
    return out;
  }
  const unit = beamUnit(ctx.time);
  const perUnit = frac(unit.d, unit.n);
  const shiftBy = m.implicit ? pickupShift(m, ctx) : ZERO;
  const beatOf = (t: Fraction): number => {
    const q = mul(add(t, shiftBy), perUnit);
    return Math.floor(q.n / q.d);
  };
  let group: number[] = [];
  const flush = (): void => {
    if (group.length >= 2) {
      const levels = group.map((i) => BEAM_LEVEL[valueOf(events[i]!)!.type] ?? 0);
      const top = Math.max(...levels);
      for (let level = 1; level <= top; level++) {
        group.forEach((idx, gi) => {
          if (levels[gi]! < level) return;
          const prev = gi > 0 && levels[gi - 1]! >= level;
          const next = gi < group.length - 1 && levels[gi + 1]! >= level;
          const value: Beam["value"] = prev && next ? "continue" : next ? "begin" : prev ? "end" : gi === 0 ? "forward hook" : "backward hook";
          out.set(idx, [...(out.get(idx) ?? []), { number: level, value }]);
        });
      }
    }
    group = [];
  };
  let lastBeat = -1;
  let lastEnd: Fraction | undefined;
  events.forEach((e, i) => {
    const v = valueOf(e);
    const beamable = e.kind === "note" && !e.grace && v !== undefined && (BEAM_LEVEL[v.type] ?? 0) > 0;
    if (!beamable) {
      if (!(e.kind === "note" && e.grace)) flush();
      return;
    }
    const end = add(e.onset, e.duration);
    const beat = beatOf(e.onset);
    const crosses = beatOf(sub(end, JUST_BEFORE)) !== beat;
    const contiguous = lastEnd !== undefined && cmp(lastEnd, e.onset) === 0;
    if (group.length && (beat !== lastBeat || !contiguous)) flush();
    if (crosses) {
      flush();
      lastEnd = end;
      lastBeat = -1;
      return;
    }
    group.push(i);
    lastBeat = beat;
    lastEnd = end;
  });
  flush();
  return out;
}
