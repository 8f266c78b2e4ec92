/**
 * The arrangement written out: one part per instrument in score order, each with its name,
 * MusicXML sound, MIDI program, transposition, clefs that follow its line, the sketch's
 * dynamics, hairpins and expression words where it plays (expression.ts), and rests in every
 * measure; the sketch's chord symbols over the top staff.
 */
import type { LineNote } from "../analyse/types.js";
import type { Ensemble } from "../instruments/index.js";
import { buildMeasures, frameSpans, framesOf, type MeasureFrame, type PlacedDirection, type PlacedEvent, writtenLength } from "../model/build.js";
import { add, cmp, eq, type Fraction, frac, lt, ZERO } from "../model/fraction.js";
import { dealBySpan, measuresSpanned, timeKey } from "../model/search.js";
import { midiOfName, writtenTransposition } from "../instruments/index.js";
import { midiOf, transpose } from "../model/pitch.js";
import { type Attributes, type Clef, type Harmony, JUMPS, type Part, type PartGroup, type Score, type Sound, type StaffClef } from "../model/score.js";
import { tupletSpans, type TupletSpan } from "../model/tuplets.js";
import { timedDirections } from "../model/timeline.js";
import { TupleSet } from "../util/keyed.js";
import { secondsPerWhole } from "../model/time.js";
import { markBreaths } from "./breaths.js";
import { chordPlayable } from "./check.js";
import { medianMidi } from "./costs.js";
import { arrangementExpression, isExpressionWords, type PartNotes, sketchExpression, sourceScope } from "./expression.js";
import { type Plan, semitonesOf } from "./plan.js";
import { muteMarks } from "./mutes.js";
import { divisiMarks, playerMarks } from "./players.js";
import type { Slot } from "./slots.js";
import { groupBy } from "../util/group.js";
import { shortestValue } from "../model/notation-check.js";
import { rhythmCheck, type Writable } from "./rhythm.js";
import { aloneInFirstVoice, upperVoiceFirst } from "./voice-order.js";

export function writeArrangement(sketch: Score, slots: readonly Slot[], plan: Plan, ens: Ensemble): Score {
  const frames = framesOf(sketch.parts[0]!);
  const tuplets = tupletSpans(sketch);
  const last = frames[frames.length - 1];
  const expression = sketchExpression(sketch, last ? add(last.start, last.duration) : ZERO);
  const bar = frames.find((f) => !f.implicit)?.duration ?? frac(1);
  const context: WriteContext = { plan, frames, sketch, tuplets, writable: rhythmCheck(frames, tuplets, shortestValue(sketch)) };
  const notes = slots.map((slot) => partNotes(slot, context));
  // A singer's dynamics and words stand over the staff, clear of the lyrics under it (Gould).
  const directions = arrangementExpression(notes, expression, bar).map((ds, k) => (slots[k]!.instrument.family === "voice" ? ds.map((d) => ({ ...d, placement: "above" as const })) : ds));
  directions[0]?.push(...tempoDirections(sketch));
  slots.forEach((slot, k) => {
    if (slot.instrument.staves !== 1) return;
    directions[k]!.push(...(slot.section ? divisiMarks(notes[k]!.events, frames) : playerMarks(notes[k]!.events, slot.players, frames, directions[k]!)));
  });
  const spw = secondsPerWhole(sketch);
  slots.forEach((slot, k) => directions[k]!.push(...muteMarks(slot.instrument, notes[k]!.events, directions[k]!, spw)));
  const parts: Part[] = slots.map((slot, k) => writePart(slot, notes[k]!.events, directions[k]!, context));
  if (parts[0]) parts[0] = withChordSymbols(parts[0], sketch);
  const title = sketch.meta.title ?? sketch.meta.movementTitle;
  return {
    meta: {
      ...(title ? { title } : {}),
      ...(sketch.meta.title && sketch.meta.movementTitle ? { movementTitle: sketch.meta.movementTitle } : {}),
      creators: [...sketch.meta.creators.filter((c) => c.type !== "arranger"), { type: "arranger", name: `Tutti, for ${ens.name}` }],
      rights: sketch.meta.rights,
    },
    parts,
    groups: familyGroups(slots),
  };
}

/**
 * The sketch's chord symbols over the score's top staff, where a reader of the score looks for
 * them (a lead sheet's symbols stay readable whatever the arrangement made of them); a transposing
 * top part shows them in its written key, as it shows its notes.
 */
function withChordSymbols(part: Part, sketch: Score): Part {
  const byMeasure = part.measures.map((_, i) => {
    const seen = new Set<string>();
    const out: Harmony[] = [];
    for (const p of sketch.parts) {
      for (const h of p.measures[i]?.harmonies ?? []) {
        const key = timeKey(h.offset);
        if (seen.has(key)) continue;
        seen.add(key);
        const { staff: _staff, ...rest } = h;
        out.push(rest);
      }
    }
    return out.sort((a, b) => cmp(a.offset, b.offset));
  });
  if (byMeasure.every((hs) => hs.length === 0)) return part;
  return { ...part, measures: part.measures.map((m, i) => (byMeasure[i]!.length ? { ...m, harmonies: byMeasure[i]! } : m)) };
}

function familyGroups(slots: readonly Slot[]): PartGroup[] {
  const groups: PartGroup[] = [];
  let start = 0;
  for (let i = 1; i <= slots.length; i++) {
    if (i === slots.length || slots[i]!.instrument.family !== slots[start]!.instrument.family) {
      if (i - 1 > start) groups.push({ first: start, last: i - 1, symbol: "bracket", barline: true });
      start = i;
    }
  }
  return groups;
}

/** What every part is written from. */
interface WriteContext {
  readonly plan: Plan;
  readonly frames: readonly MeasureFrame[];
  readonly sketch: Score;
  readonly tuplets: readonly TupletSpan[];
  /** Whether a voice of notes can be written (see rhythm.ts). */
  readonly writable: Writable;
}

/** A part's notes (with its grace notes, slurs numbered), where balance marks it softer, and the sketch staff of each note. */
function partNotes(slot: Slot, context: WriteContext): PartNotes {
  const { plan, sketch } = context;
  const inst = slot.instrument;
  const twoStaves = inst.staves >= 2;
  const mine = plan.placements.filter((p) => p.slot === slot.index);
  const events: PlacedEvent[] = [];
  // The sketch staff each note comes from, for dynamics marked on one staff only.
  const scopes = new Map<PlacedEvent, string>();
  const isVoice = inst.family === "voice";
  let slurPairs = 0;
  for (const p of mine) {
    const median = medianMidi(p.notes) + p.shift;
    const staff = twoStaves && median < 60 ? 2 : 1;
    const slurs = slursWithin(p.notes, () => ++slurPairs);
    p.notes.forEach((n, i) => {
      const semis = semitonesOf(p, i);
      const pitch = semis ? transpose(n.pitch, (semis / 12) * 7, semis) : n.pitch;
      // Articulations and fermatas go to every part that plays the note; lyrics to the singer who has the line.
      const marks = n.marks ? carriedMarks(n.marks, isVoice && p.principal, slurs.get(i)) : undefined;
      const event: PlacedEvent = {
        onset: n.onset,
        duration: n.duration,
        pitches: [pitch],
        voice: String((staff - 1) * 4 + p.voice),
        staff,
        ...(marks ? { marks } : {}),
      };
      events.push(event);
      scopes.set(event, sourceScope(sketch, n));
    });
  }
  // A string player must stop the chord's notes together; two lines no player can stop together stay two voices (a section divides).
  const playable = (midis: number[]): boolean => !inst.idioms.doubleStops || chordPlayable(inst, midis.sort((a, b) => a - b));
  const mergeChords = (): void => {
    const merged = chordsOfOneRhythm(events, context.frames, playable);
    events.splice(0, events.length, ...merged.keys());
    for (const [e, from] of merged) if (e !== from) scopes.set(e, scopes.get(from)!);
  };
  if (inst.polyphony > 1) mergeChords();
  // What stays two voices, read by one player or by two: the upper first (see voice-order.ts);
  // a measure whose lower voice then only doubles the upper's rhythm is written in chords too.
  if (slot.capacity > 1 || inst.polyphony > 1) {
    const upper = upperVoiceFirst(events, context.writable, slot.section && slot.capacity > 1 ? 2 : slot.players);
    // Two players keep their voices where one plays alone ("2."); one player's line alone is its first voice.
    const ordered = slot.players > 1 ? upper : aloneInFirstVoice(upper, context.frames.map((f) => f.start), context.writable);
    let changed = false;
    ordered.forEach((e, i) => {
      if (e === events[i]) return;
      scopes.set(e, scopes.get(events[i]!)!);
      changed = true;
    });
    events.splice(0, events.length, ...ordered);
    if (changed && inst.polyphony > 1) mergeChords();
  }
  // A measure where a section's lower line only doubles its upper in unison (the tune and its
  // octave, one taken into the other's octave) is one line: the section plays it together
  // (unis.), not written twice. A unison within a divided measure keeps its shared notehead.
  if (slot.section) {
    const key = (e: PlacedEvent): string => `${timeKey(e.onset)}/${timeKey(e.duration)}/${e.pitches.map(midiOf).join(",")}`;
    const upper = new Set(events.filter((e) => e.voice === "1").map(key));
    // The lower line's notes by the measure they are struck in.
    const twice = new Set<PlacedEvent>();
    for (const inside of dealBySpan(events.filter((e) => e.voice === "2"), frameSpans(context.frames))) {
      if (inside.length && inside.every((e) => upper.has(key(e)) && !e.marks?.slurs?.length)) for (const e of inside) twice.add(e);
    }
    if (twice.size) events.splice(0, events.length, ...events.filter((e) => !twice.has(e)));
  }
  // The part's notes by the moment they are struck (grace notes are added after, and never lead).
  const struck = plan.graces.some((g) => g.slot === slot.index) ? groupBy(events.filter((e) => !e.grace), (e) => timeKey(e.onset)) : new Map<string, PlacedEvent[]>();
  for (const g of plan.graces) {
    if (g.slot !== slot.index) continue;
    // In the voice of the note it leads to: the one struck at its onset nearest in pitch.
    const main = [...(struck.get(timeKey(g.onset)) ?? [])]
      .sort((a, b) => Math.abs(midiOf(a.pitches[0]!) - midiOf(g.pitches[0]!)) - Math.abs(midiOf(b.pitches[0]!) - midiOf(g.pitches[0]!)))[0];
    if (main) events.push({ onset: g.onset, duration: { n: 0, d: 1 }, pitches: g.pitches, voice: main.voice, staff: main.staff, grace: { slash: g.slash } });
  }
  const breath = inst.idioms.breath;
  const numbered = breath ? markBreaths(numberSlurs(events), breath.maxPhraseSeconds, secondsPerWhole(sketch), context.frames) : numberSlurs(events);
  const byNumbered = new Map(numbered.map((e, i) => [e, scopes.get(events[i]!)]));
  return { events: numbered, softer: plan.softer.filter((s) => s.slot === slot.index), scopeOf: (e) => byNumbered.get(e) };
}

/**
 * Two lines of a part that plays chords (strings, keyboards, harp) on one staff that move
 * together through a measure, every note of the lower struck and released with one of the upper,
 * are written there as chords of one voice, as a violinist reads a double stop (Gould, *Behind
 * Bars*, "Two parts on one staff"), not as two voices whose stems and rests collide (Weber's
 * Concertino for string quartet, m. 4: the second violin's D4 over its own G3, in the second
 * voice, with that voice's rests on the first voice's notes). A measure keeps its two voices where
 * a second-voice note there has slurs, or marks other than its partner's (a note without any
 * takes the chord's), or would make a chord the instrument cannot play (`playable`: a double stop
 * no string player can stop); a unison of the two is one note. Returns the events, each with the
 * event it comes from (the first voice's, for a chord).
 */
function chordsOfOneRhythm(events: readonly PlacedEvent[], frames: readonly MeasureFrame[], playable: (midis: number[]) => boolean): Map<PlacedEvent, PlacedEvent> {
  const sorted = [...events].sort((a, b) => cmp(a.onset, b.onset));
  // How long each note is written: a note of a voice ends where the voice's next begins.
  const length = new Map<PlacedEvent, Fraction>();
  for (const list of groupBy(sorted, (e) => e.voice).values()) list.forEach((e, i) => length.set(e, writtenLength(e, list[i + 1])));
  // Each second-voice note's partner: the first voice's note of its staff struck and released with it.
  const first = new Map(sorted.filter((e) => (e.voice === "1" || e.voice === "5")).map((f) => [`${f.staff} ${timeKey(f.onset)}`, f]));
  const partner = new Map<PlacedEvent, PlacedEvent>();
  const seconds = sorted.filter((e) => e.voice === "2" || e.voice === "6");
  for (const e of seconds) {
    const f = first.get(`${e.staff} ${timeKey(e.onset)}`);
    if (f && eq(length.get(f)!, length.get(e)!) && !e.marks?.slurs?.length && ["{}", plainMarks(f)].includes(plainMarks(e)) && playable([...new Set([...f.pitches, ...e.pitches].map(midiOf))])) partner.set(e, f);
  }
  // A measure is written in one voice where every second-voice note sounding in it has a partner.
  const starts = frames.map((f) => f.start);
  const last = frames[frames.length - 1];
  const finish = last ? add(last.start, last.duration) : ZERO;
  const measures = (e: PlacedEvent): number[] => {
    // A note past the last measure (a part of the sketch longer than the others) is written in none.
    if (!lt(e.onset, finish)) return [];
    return measuresSpanned(starts, e.onset, add(e.onset, length.get(e)!));
  };
  const mixed = new Set(seconds.flatMap((e) => (partner.has(e) ? [] : measures(e))));
  const replaced = new Map<PlacedEvent, PlacedEvent | null>();
  for (const [e, f] of partner) {
    if (measures(e).some((m) => mixed.has(m))) continue;
    // A unison of the two lines is one note; the chord is written from its lowest note up.
    const added = e.pitches.filter((x) => !f.pitches.some((y) => midiOf(y) === midiOf(x)));
    replaced.set(f, { ...f, duration: length.get(f)!, pitches: [...f.pitches, ...added].sort((a, b) => midiOf(a) - midiOf(b)) });
    replaced.set(e, null);
  }
  const out = new Map<PlacedEvent, PlacedEvent>();
  for (const e of events) {
    const now = replaced.has(e) ? replaced.get(e) : e;
    if (now) out.set(now, e);
  }
  return out;
}

/** A note's marks other than slurs, as a key. */
function plainMarks(e: PlacedEvent): string {
  const { slurs: _slurs, ...rest } = e.marks ?? {};
  void _slurs;
  return JSON.stringify(rest);
}

/** A part written out: its clefs and transposition, its notes and directions poured into the sketch's measures. */
function writePart(slot: Slot, numbered: readonly PlacedEvent[], directions: readonly PlacedDirection[], context: WriteContext): Part {
  const { frames, tuplets } = context;
  const inst = slot.instrument;
  const twoStaves = inst.staves >= 2;
  const partFrames = partFramesFor(slot, frames, numbered);
  // Every staff shows its rests, also in a part that never plays.
  const staves = twoStaves ? [{ voice: "1", staff: 1 }, { voice: "5", staff: 2 }] : [{ voice: "1", staff: 1 }];
  const measures = buildMeasures(partFrames, numbered, directions, { staves, tuplets });
  return {
    id: `P${slot.index + 1}`,
    name: slot.name,
    abbreviation: slot.shortName,
    instruments: [
      {
        id: `P${slot.index + 1}-I1`,
        name: slot.name,
        sound: inst.sound,
        midiProgram: inst.midiProgram,
        midiChannel: channelFor(slot.index),
      },
    ],
    staves: twoStaves ? 2 : 1,
    measures,
  };
}

/** MIDI channels 1–16 in turn, leaving 10 to percussion. */
function channelFor(index: number): number {
  const pitched = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16];
  return pitched[index % pitched.length]!;
}

function carriedMarks(marks: NonNullable<LineNote["marks"]>, isVoice: boolean, slurs: NonNullable<LineNote["marks"]>["slurs"]): PlacedEvent["marks"] {
  // An arpeggio sign means nothing on the single notes of a line; lyrics go to singers only;
  // slurs only as `slursWithin` kept them; technical marks (a pianist's fingering, a guitarist's
  // string) tell the sketch's player how to play the sketch's instrument, and no copyist puts them
  // in another's part (the Polonaises' fingerings had come out on the harp's and bass clarinet's notes).
  const { slurs: _all, arpeggiate: _arpeggiate, technical: _technical, lyrics, ...rest } = marks;
  void [_all, _arpeggiate, _technical];
  return { ...rest, ...(isVoice && lyrics ? { lyrics } : {}), ...(slurs?.length ? { slurs } : {}) };
}

/**
 * MusicXML pairs slurs by number across a whole part, so slurs open at the same time in two
 * voices need different numbers: each pair gets the smallest number free when it starts. A part
 * writes a measure voice after voice, so a slur of the second voice that ends before one of the
 * first begins still comes after it in the file: where several voices have slurs, each voice
 * draws from numbers of its own (the first 1, 3, 5…, the second 2, 4, 6… of two), up to
 * MusicXML's 16, then from any free number.
 */
function numberSlurs(events: readonly PlacedEvent[]): PlacedEvent[] {
  const order = [...events.keys()].sort((a, b) => cmp(events[a]!.onset, events[b]!.onset) || a - b);
  const lanes = [...new Set(events.filter((e) => e.marks?.slurs?.length).map((e) => e.voice))].sort();
  const assigned = new Map<number, number>();
  const inUse = new Set<number>();
  const out = [...events];
  for (const idx of order) {
    const e = out[idx]!;
    const slurs = e.marks?.slurs;
    if (!slurs?.length) continue;
    const lane = lanes.indexOf(e.voice);
    // Stops first, so a slur ending where another begins frees its number.
    const sorted = [...slurs].sort((a, b) => (a.type === "stop" ? -1 : 0) - (b.type === "stop" ? -1 : 0));
    const renumbered = sorted.map((sl) => {
      if (sl.type === "start") {
        let k = lane + 1;
        while (inUse.has(k)) k += lanes.length;
        if (k > MAX_SLUR_NUMBER) for (k = 1; inUse.has(k); ) k++;
        inUse.add(k);
        assigned.set(sl.number, k);
        return { ...sl, number: k };
      }
      const k = assigned.get(sl.number) ?? 1;
      inUse.delete(k);
      return { ...sl, number: k };
    });
    out[idx] = { ...e, marks: { ...e.marks, slurs: renumbered } };
  }
  return out;
}

/** MusicXML's highest slur number (`number-level`). */
const MAX_SLUR_NUMBER = 16;

/**
 * The sketch's slurs that begin and end within these notes of one line in one part: a slur of a
 * piano sketch may start in one line and end in another, and half a slur is worse than none.
 * Returns, by note index, the slur marks to keep.
 */
function slursWithin(notes: readonly LineNote[], pairId: () => number): Map<number, NonNullable<NonNullable<LineNote["marks"]>["slurs"]>> {
  const kept = new Map<number, NonNullable<NonNullable<LineNote["marks"]>["slurs"]>>();
  const open = new Map<number, { index: number; slur: NonNullable<NonNullable<LineNote["marks"]>["slurs"]>[number] }>();
  notes.forEach((n, i) => {
    for (const slur of n.marks?.slurs ?? []) {
      if (slur.type === "start") open.set(slur.number, { index: i, slur });
      else if (slur.type === "stop") {
        const start = open.get(slur.number);
        if (!start || start.index === i) continue;
        open.delete(slur.number);
        // A number of its own for now; `numberSlurs` gives the part's final numbers. The sketch's
        // placement (above, below) was for its own staff and stems: the part's are placed anew.
        const id = pairId();
        kept.set(start.index, [...(kept.get(start.index) ?? []), { type: start.slur.type, number: id }]);
        kept.set(i, [...(kept.get(i) ?? []), { type: slur.type, number: id }]);
      }
    }
  });
  return kept;
}

/** The sketch's frames with this part's own attributes: key and time kept, clefs and transposition its own. */
function partFramesFor(slot: Slot, frames: readonly MeasureFrame[], events: readonly PlacedEvent[]): MeasureFrame[] {
  const inst = slot.instrument;
  const twoStaves = inst.staves >= 2;
  const clefs = inst.clefs;
  let current: Clef | undefined;
  // The upper staff's notes by measure (the clef looks at which notes, not at their order).
  const inFrame = dealBySpan(
    events.filter((e) => e.staff === 1),
    frameSpans(frames),
  );
  return frames.map((f, i) => {
    const midis = inFrame[i]!.flatMap((e) => e.pitches.map(midiOf));
    const a: { -readonly [K in keyof Attributes]: Attributes[K] } = {};
    if (f.attributes.key) a.key = f.attributes.key;
    if (f.attributes.time) a.time = f.attributes.time;
    let newClefs: StaffClef[] | undefined;
    if (twoStaves) {
      if (i === 0) {
        const upper = clefs.find((c) => (c.staff ?? 1) === 1) ?? { sign: "G" as const, line: 2 };
        const lower = clefs.find((c) => c.staff === 2) ?? { sign: "F" as const, line: 4 };
        newClefs = [
          { staff: 1, clef: toClef(upper) },
          { staff: 2, clef: toClef(lower) },
        ];
        a.staves = 2;
      }
    } else {
      const chosen = chooseClef(clefs, midis, current, i === 0 ? firstNotes(events) : undefined);
      if (chosen && (!current || !sameClef(current, chosen))) {
        current = chosen;
        newClefs = [{ staff: 1, clef: chosen }];
      }
    }
    if (newClefs) a.clefs = newClefs;
    const transposition = i === 0 ? writtenTransposition(inst) : undefined;
    if (transposition) a.transpose = transposition;
    const { attributes: _a, ...rest } = f;
    void _a;
    return { ...rest, attributes: a };
  });
}

function firstNotes(events: readonly PlacedEvent[]): number[] {
  const sorted = [...events].sort((a, b) => cmp(a.onset, b.onset));
  return sorted.slice(0, 8).flatMap((e) => e.pitches.map(midiOf));
}

type ClefUse = Slot["instrument"]["clefs"][number];

function toClef(c: { sign: ClefUse["sign"]; line: number; octaveChange?: number }): Clef {
  return c.octaveChange ? { sign: c.sign, line: c.line, octaveChange: c.octaveChange } : { sign: c.sign, line: c.line };
}

function sameClef(a: Clef, b: Clef): boolean {
  return a.sign === b.sign && a.line === b.line && (a.octaveChange ?? 0) === (b.octaveChange ?? 0);
}

/**
 * Keeps the clef while it holds nearly all the notes, or all of them with two or three ledger lines
 * more (a clef change costs the player a glance, and a change for a bar or two is worse than
 * ledger lines: Gould, *Behind Bars*); otherwise takes the instrument's clef that holds most of them.
 */
function chooseClef(clefs: readonly ClefUse[], midis: readonly number[], current: Clef | undefined, initial?: number[]): Clef | undefined {
  const notes = midis.length ? midis : initial ?? [];
  const first = clefs[0];
  if (!first) return current;
  if (notes.length === 0) return current ?? toClef(first);
  const fits = (c: ClefUse, margin = 2): number => {
    const low = midiOfName(c.range[0]) - margin;
    const high = midiOfName(c.range[1]) + margin;
    return notes.filter((m) => m >= low && m <= high).length;
  };
  if (current) {
    const use = clefs.find((c) => sameClef(toClef(c), current));
    if (use && (fits(use) >= notes.length * 0.9 || fits(use, 5) === notes.length)) return current;
  }
  let best = first;
  for (const c of clefs) if (fits(c) > fits(best)) best = c;
  return toClef(best);
}


/** The direction items that go with the tempo words: metronome marks, and the marks a "D.S." or a rehearsal needs. */
const STRUCTURE = new Set(["metronome", "segno", "coda", "rehearsal"]);

/** What of a direction's `<sound>` goes with the tempo and structure marks: the tempo and the jumps, not the piano's dynamics. */
function playback(sound: Sound | undefined): Sound | undefined {
  if (!sound) return undefined;
  const kept: Sound = { ...(sound.tempo ? { tempo: sound.tempo } : {}), ...Object.fromEntries(JUMPS.flatMap((j) => (sound[j] ? [[j, sound[j]]] : []))) };
  return Object.keys(kept).length ? kept : undefined;
}

/**
 * The sketch's tempo and structure directions (metronome marks, words above the staff: "Allegro",
 * "Fine", "D.C. al Fine", but not a "cresc." written there: see `isExpressionWords`; segno, coda
 * and rehearsal marks, which a "D.S." and the players need), from every part, each once, at the
 * place the sketch gives it: one at a measure's closing barline stays there.
 */
function tempoDirections(sketch: Score): PlacedDirection[] {
  const out: PlacedDirection[] = [];
  const seen = new TupleSet<[time: string, closing: number, items: string]>();
  for (const part of sketch.parts) {
    for (const { direction: d, onset, measure } of timedDirections(part)) {
      const tempoItems = d.items.filter((i) => STRUCTURE.has(i.kind) || (i.kind === "words" && d.placement !== "below" && !isExpressionWords(d, i.text)));
      const sound = playback(d.sound);
      if (tempoItems.length === 0 && !sound) continue;
      const closing = eq(d.offset, part.measures[measure]!.duration) && d.offset.n > 0;
      const key: [string, number, string] = [timeKey(onset), closing ? 1 : 0, JSON.stringify(tempoItems)];
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ onset, staff: 1, placement: "above", items: tempoItems, ...(sound ? { sound } : {}), ...(closing ? { closing } : {}) });
    }
  }
  return out;
}

