/**
 * Which key of an instrument a part is written for, where the ensemble offers a choice
 * (`EnsembleMember.or`), as an orchestrator chooses it for each piece:
 *
 * - **by range** (trumpets in B♭ or C): the other one where fewer of the notes the part was
 *   given lie outside its comfortable range. The player's comfortable top is a written note, so
 *   the C trumpet's lies a tone higher in sound than the B♭ trumpet's, and its bottom a tone
 *   higher too: a part that lives low stays with the B♭ trumpet. Decided from a first
 *   arrangement with the usual instrument, which is then made again with the other one, so that
 *   every stage sees the instrument that plays (and gives away what it cannot play).
 * - **by key** (clarinets in B♭ or A): the one whose written key signature has fewer
 *   accidentals over the piece, by two or more, else the ensemble's usual one. In A major the B♭
 *   clarinet reads B major (five sharps), the A clarinet C major; in C major the B♭ clarinet's D
 *   major beats the A clarinet's E♭ major. This one changes how the part is written, not what it
 *   plays: the arrangement made for the usual instrument is written for the other where every
 *   note lies as well in its range (the same player, the same notes, another part to read).
 *   Chosen from the sketch before it is arranged, so that every stage, and the report, names the
 *   part as the score does; a part whose notes would lie worse is arranged again under its usual
 *   name.
 *
 * Each part is chosen for on its own, as each player picks the instrument for their part: a brass
 * quintet's first trumpet may be in C over a second in B♭. The choice is reported in words.
 */
import { type Database, type Ensemble, type EnsembleMember, type Instrument, inRange, instrument, writtenTransposition } from "../instruments/index.js";
import { toNumber } from "../model/fraction.js";
import { notationContexts, writtenFifths } from "../model/notation.js";
import { soundingNotes } from "../model/notes.js";
import { midiOf } from "../model/pitch.js";
import type { Part, Score } from "../model/score.js";
import { slotsOf } from "./slots.js";

/** An ensemble with its choices made, and what was chosen and why, for the report. */
interface KeyChoice {
  readonly ensemble: Ensemble;
  readonly reasons: readonly string[];
  /** The members played on another instrument, with the usual one each replaced. */
  readonly usual: ReadonlyMap<number, Instrument>;
}

/** How many fewer accidentals, on average over the piece, make the other key worth the change. */
const FEWER_ACCIDENTALS = 2;

/**
 * Makes the "range" choices of an ensemble from an arrangement for it (`score`, written with the
 * usual instruments): the ensemble to arrange for again, if it changed.
 * @example chooseByRange(arrangedForBrassQuintet, ensemble(db, "brass-quintet"), db).reasons // ["Trumpet 1 in C: written for the Trumpet in C, not the Trumpet in B♭ (…)"]
 */
export function chooseByRange(score: Score, ens: Ensemble, db: Database): KeyChoice {
  return choose(ens, db, "range", (usual, other, part) => {
    const midis = part ? midisOf(part) : [];
    const before = outside(midis, usual);
    const after = outside(midis, other);
    return after < before ? `notes outside the comfortable range: ${after}, not ${before}` : undefined;
  }, score);
}

/**
 * Makes the "key" choices of an ensemble from the sketch's key signatures, before it is arranged
 * (the parts are named so from the start), leaving the members in `except` as they are.
 * @example chooseByKey(sketchInAMajor, ensemble(db, "woodwind-quintet"), db).reasons // ["Clarinet in A: written for the Clarinet in A, not the Clarinet in B♭ (…)"]
 */
export function chooseByKey(sketch: Score, ens: Ensemble, db: Database, except: ReadonlySet<number> = new Set()): KeyChoice {
  const keys = concertKeys(sketch);
  return choose(ens, db, "key", (usual, other, _part, k) => {
    if (except.has(k)) return undefined;
    const usualCount = accidentals(keys, usual);
    const otherCount = accidentals(keys, other);
    if (otherCount > usualCount - FEWER_ACCIDENTALS) return undefined;
    return `accidentals in the written key signature: ${round(otherCount)}, not ${round(usualCount)}`;
  });
}

/** The names of the parts `byKey` plays on another instrument, by member: what the arrangement calls them. */
export function keyNames(db: Database, byKey: KeyChoice): ReadonlyMap<number, { readonly name: string; readonly shortName: string }> {
  const slots = slotsOf(db, byKey.ensemble);
  return new Map([...byKey.usual.keys()].map((k) => [k, { name: slots[k]!.name, shortName: slots[k]!.shortName }]));
}

/**
 * Writes the parts that `byKey` plays on another instrument for it, where every note the
 * arrangement (`score`) gave them lies as well in its range: not a note less comfortable, none
 * out of range, grace notes too (the A clarinet's top is a semitone lower). The score, and the
 * members whose notes do not (to be arranged again for the usual instrument).
 * @example writeInKeys(arrangedForWindQuintet, chooseByKey(sketchInAMajor, quintet, db), db).score.parts[2].instruments[0].sound // "wind.reed.clarinet.a"
 */
export function writeInKeys(score: Score, byKey: KeyChoice, db: Database): { readonly score: Score; readonly declined: readonly number[] } {
  const slots = slotsOf(db, byKey.ensemble);
  const declined: number[] = [];
  const parts = score.parts.map((part, k) => {
    const slot = slots[k]!;
    const played = byKey.usual.get(k);
    if (!played || part.id !== `P${k + 1}`) return part;
    const sounded = soundingNotes(part).filter((n) => n.pitch);
    const midis = sounded.filter((n) => !n.grace).map((n) => midiOf(n.pitch!));
    if (outside(midis, slot.instrument) > outside(midis, played) || sounded.some((n) => !inRange(slot.instrument, midiOf(n.pitch!)))) {
      declined.push(k);
      return part;
    }
    return writtenFor(part, slot.instrument, slot.name, slot.shortName);
  });
  return { score: { ...score, parts }, declined };
}

/**
 * Replaces the members that have an alternative `kind` for which `better` gives a reason (given
 * the usual instrument, the other one, the member's part in `score` where there is one, and its index).
 */
function choose(ens: Ensemble, db: Database, kind: "key" | "range", better: (usual: Instrument, other: Instrument, part: Part | undefined, k: number) => string | undefined, score?: Score): KeyChoice {
  const members = [...ens.instruments];
  const changes: { k: number; because: string; usual: Instrument }[] = [];
  members.forEach((m, k) => {
    const usual = instrument(db, m.instrument);
    for (const alternative of (m.or ?? []).filter((o) => o.for === kind)) {
      const other = instrument(db, alternative.instrument);
      const why = better(usual, other, score?.parts.find((p) => p.id === `P${k + 1}`), k);
      if (!why) continue;
      members[k] = chosen(m, alternative.instrument, alternative.name);
      changes.push({ k, because: `written for the ${other.name}, not the ${usual.name} (${why})`, usual });
      break;
    }
  });
  if (!changes.length) return { ensemble: ens, reasons: [], usual: new Map() };
  const ensemble = { ...ens, instruments: members };
  // Each part by the name it now has.
  const names = slotsOf(db, ensemble).map((s) => s.name);
  return {
    ensemble,
    reasons: changes.map(({ k, because }) => `${names[k]}: ${because}`),
    usual: new Map(changes.map(({ k, usual }) => [k, usual])),
  };
}

/** The member played on another instrument: its own name where the alternative gives none. */
function chosen(m: EnsembleMember, id: string, name: string | undefined): EnsembleMember {
  const { or: _alternatives, ...rest } = m;
  return { ...rest, instrument: id, ...(name ? { name } : {}) };
}

/** A part as written for another key of its instrument: its name, sound and transposition. */
function writtenFor(part: Part, inst: Instrument, name: string, abbreviation: string): Part {
  const transpose = writtenTransposition(inst);
  const measures = part.measures.map((m, i) => {
    if (i > 0) return m;
    const { transpose: _usual, ...attributes } = m.attributes;
    return { ...m, attributes: transpose ? { ...attributes, transpose } : attributes };
  });
  const instruments = part.instruments.map((pi, i) => (i === 0 ? { ...pi, name, sound: inst.sound, midiProgram: inst.midiProgram } : pi));
  return { ...part, name, abbreviation, instruments, measures };
}

/** The key numbers a part sounds, grace notes left out. */
function midisOf(part: Part): number[] {
  return soundingNotes(part).flatMap((n) => (n.pitch && !n.grace ? [midiOf(n.pitch)] : []));
}

/** How many of the key numbers lie outside an instrument's comfortable range. */
function outside(midis: readonly number[], inst: Instrument): number {
  return midis.filter((m) => !inRange(inst, m, "comfortable")).length;
}

/** The sketch's concert key signatures with how long each is in force (whole notes). */
function concertKeys(sketch: Score): { fifths: number; length: number }[] {
  const part = sketch.parts[0];
  if (!part) return [];
  const contexts = notationContexts(part);
  return part.measures.flatMap((m, i) => {
    const key = contexts[i]!.key;
    return key?.kind === "traditional" ? [{ fifths: key.fifths, length: toNumber(m.duration) }] : [];
  });
}

/** Accidentals in the written key signature of an instrument, on average over the keys. */
function accidentals(keys: readonly { fifths: number; length: number }[], inst: Instrument): number {
  const transpose = writtenTransposition(inst);
  let total = 0;
  let weighted = 0;
  for (const k of keys) {
    const key = { kind: "traditional" as const, fifths: k.fifths };
    weighted += Math.abs(writtenFifths(key, { transpose, key, time: undefined })) * k.length;
    total += k.length;
  }
  return total ? weighted / total : 0;
}

const round = (x: number): string => (Math.round(x * 10) / 10).toString();
