/** One MusicXML `<measure>`: its children walked in order, with a cursor in exact time, into the model's measure. */
import { clip, TuttiError } from "../../model/errors.js";
import { add, eq, frac, type Fraction, gt, lt, max, sub, ZERO } from "../../model/fraction.js";
import type { Attributes, Barline, Direction, Event, Harmony, Measure, MidAttributes, NoteEvent } from "../../model/score.js";
import { durationOfType } from "../../model/durations.js";
import { timeLength } from "../../model/time.js";
import { child, childText, elements, textOf, type XmlElement } from "../../xml/tree.js";
import { READ_LIMITS } from "../limits.js";
import { mergeAttributes, readAttributes } from "./attributes.js";
import { joinedDynamic, readDirection } from "./directions.js";
import { readHarmony } from "./harmony.js";
import { mergeNotations } from "./notations.js";
import { readNote, readNoteEvent, readNotated, readRest, readTuplet } from "./note.js";
import { type Mutable, type PartState, staffOf } from "./part-state.js";

/**
 * What the walk through one measure has gathered so far, and where its cursor stands. The cursor
 * is kept twice: `raw` as the file's `<duration>`s add up, `cursor` as the notation does (see
 * `notatedDuration`); `reached` holds every exact position notes began or ended at, so that a
 * `<backup>` or `<forward>` in divisions lands where the notes it refers to are.
 */
interface MeasureWalk {
  readonly where: string;
  cursor: Fraction;
  raw: Fraction;
  readonly reached: Fraction[];
  end: Fraction;
  lastOnset: Fraction;
  lastEvent: Mutable<NoteEvent> | undefined;
  readonly events: Event[];
  readonly directions: Direction[];
  readonly harmonies: Harmony[];
  readonly midAttributes: MidAttributes[];
  readonly midBarlines: (Barline & { offset: Fraction })[];
  attributes: Attributes;
  left: Barline | undefined;
  right: Barline | undefined;
  newSystem: boolean;
  newPage: boolean;
}

/** Reads one measure of a part; `state` carries divisions, transposition, time and staves to the next. */
export function readMeasure(m: XmlElement, state: PartState, partId: string): Measure {
  const walk: MeasureWalk = {
    where: `part ${partId}, measure ${m.attrs.number ?? "?"}`,
    cursor: ZERO,
    raw: ZERO,
    reached: [ZERO],
    end: ZERO,
    lastOnset: ZERO,
    lastEvent: undefined,
    events: [],
    directions: [],
    harmonies: [],
    midAttributes: [],
    midBarlines: [],
    attributes: {},
    left: undefined,
    right: undefined,
    newSystem: false,
    newPage: false,
  };
  for (const c of elements(m)) readMeasureChild(c, walk, state);
  return finishMeasure(m, walk, state);
}

/** One child of `<measure>`, in document order: `<backup>` and `<forward>` move the cursor the notes are placed at. */
function readMeasureChild(c: XmlElement, walk: MeasureWalk, state: PartState): void {
  switch (c.name) {
    case "attributes":
      addAttributes(c, walk, state);
      break;
    case "note":
      addNote(c, walk, state);
      break;
    case "backup":
      moveTo(walk, max(ZERO, sub(walk.raw, durationOf(c, state, walk.where))), state);
      break;
    case "forward":
      moveTo(walk, add(walk.raw, durationOf(c, state, walk.where)), state);
      walk.end = max(walk.end, walk.cursor);
      checkLength(walk.end, walk.where);
      break;
    case "direction": {
      const d = readDirection(c, walk.cursor, state, walk.where);
      const joined = d && joinedDynamic(walk.directions[walk.directions.length - 1], d);
      if (joined) walk.directions[walk.directions.length - 1] = joined;
      else if (d) walk.directions.push(d);
      break;
    }
    case "sound": {
      const tempo = Number(c.attrs.tempo);
      if (c.attrs.tempo !== undefined && Number.isFinite(tempo) && tempo > 0 && tempo <= 1000) {
        walk.directions.push({ offset: walk.cursor, staff: 1, items: [], sound: { tempo } });
      }
      break;
    }
    case "harmony": {
      const h = readHarmony(c, walk.cursor, state);
      if (h) walk.harmonies.push(h);
      break;
    }
    case "barline": {
      const b = readBarline(c);
      const loc = c.attrs.location ?? "right";
      if (loc === "left") walk.left = b;
      else if (loc === "middle") walk.midBarlines.push({ ...b, offset: walk.cursor });
      else walk.right = b;
      break;
    }
    case "print":
      if (c.attrs["new-system"] === "yes") walk.newSystem = true;
      if (c.attrs["new-page"] === "yes") walk.newPage = true;
      break;
    default:
      // figured-bass, grouping, link, bookmark, listening: not carried by the model.
      break;
  }
}

/**
 * An element's `<duration>` as a fraction of a whole note, through the divisions in force;
 * absent is zero, and a negative, non-numeric or overlong one is refused.
 */
function durationOf(e: XmlElement, state: PartState, where: string): Fraction {
  const text = childText(e, "duration");
  if (text === undefined) return ZERO;
  const what = e.name === "note" ? "a note" : `a <${e.name}>`;
  const d = Number(text);
  if (!Number.isFinite(d)) throw new TuttiError("BAD_MUSICXML", `${where}: ${what} has the duration "${clip(text)}", not a number`);
  if (d < 0) throw new TuttiError("BAD_MUSICXML", `${where}: ${what} has the duration ${clip(text)}; durations cannot be negative`);
  // Checked before a fraction is made, so that no size of number can overflow one.
  if (d / (state.divisions * 4) > READ_LIMITS.maxMeasureWholeNotes) {
    throw new TuttiError("BAD_MUSICXML", `${where}: ${what} lasts more than ${READ_LIMITS.maxMeasureWholeNotes} whole notes (duration ${clip(text)} at ${state.divisions} division${state.divisions === 1 ? "" : "s"} per quarter)`);
  }
  if (!Number.isInteger(d)) return frac(Math.round(d * 1000), state.divisions * 4000);
  return frac(d, state.divisions * 4);
}

/**
 * A note's length: its notated value (type, dots, time modification) where `<duration>` is
 * missing or differs from it by less than one division, the rounding of divisions that cannot
 * express it; otherwise `<duration>` (a value that disagrees by more is the file's to keep).
 */
function notatedDuration(raw: Fraction, written: Fraction | undefined, c: XmlElement, walk: MeasureWalk, state: PartState): Fraction {
  if (!written) return raw;
  if (child(c, "duration") === undefined) return written;
  if (eq(written, raw) || !withinDivisions(written, raw, state, 1)) return raw;
  state.snaps.values++;
  if (state.snaps.examples.length < 3) state.snaps.examples.push(walk.where);
  return written;
}

/** Whether two times differ by less than `n` divisions. */
function withinDivisions(a: Fraction, b: Fraction, state: PartState, n: number): boolean {
  const d = sub(a, b);
  return Math.abs(d.n) * state.divisions * 4 < n * d.d;
}

/**
 * Moves the cursor to a raw position (after `<backup>` or `<forward>`): to the exact position a
 * note began or ended at less than a division from it (the file's rounding of that position),
 * the nearest if several, else to the raw position itself.
 */
function moveTo(walk: MeasureWalk, raw: Fraction, state: PartState): void {
  walk.raw = raw;
  let best: Fraction | undefined;
  for (const t of walk.reached) {
    if (!withinDivisions(t, raw, state, 1)) continue;
    if (!best || lt(abs(sub(t, raw)), abs(sub(best, raw)))) best = t;
  }
  walk.cursor = best ?? raw;
}

const abs = (f: Fraction): Fraction => (f.n < 0 ? { n: -f.n, d: f.d } : f);

const LONGEST = frac(READ_LIMITS.maxMeasureWholeNotes);

/** Refuses a measure (or anything in it) reaching past `READ_LIMITS.maxMeasureWholeNotes`. */
function checkLength(t: Fraction, where: string): void {
  if (gt(t, LONGEST)) throw new TuttiError("BAD_MUSICXML", `${where}: the measure lasts more than ${READ_LIMITS.maxMeasureWholeNotes} whole notes`);
}

/** An `<attributes>`: at the start of the measure it is the measure's own, later a mid-measure change. */
function addAttributes(c: XmlElement, walk: MeasureWalk, state: PartState): void {
  const a = readAttributes(c, state, walk.where);
  // Attributes at the start of the measure (also those after a <backup> to the start, as
  // a second staff's key or clef often comes) belong to the measure; later ones are mid-measure.
  if (lt(ZERO, walk.cursor)) {
    const mid: Mutable<MidAttributes> = { offset: walk.cursor };
    if (a.clefs) mid.clefs = a.clefs;
    if (a.key) mid.key = a.key;
    if (a.time) mid.time = a.time;
    if (a.clefs || a.key || a.time) walk.midAttributes.push(mid);
    if (a.transpose || a.staves) walk.attributes = { ...walk.attributes, ...pick(a, ["transpose", "staves"]) };
  } else {
    walk.attributes = mergeAttributes(walk.attributes, a);
  }
}

/**
 * A `<note>`: a rest, a new note event, or (with `<chord>`) one more note of the event before it
 * when voice and grace agree; a chord note does not move the cursor.
 */
function addNote(c: XmlElement, walk: MeasureWalk, state: PartState): void {
  const where = walk.where;
  const isChord = child(c, "chord") !== undefined;
  const isGrace = child(c, "grace") !== undefined;
  const onset = isChord ? walk.lastOnset : walk.cursor;
  const raw = isGrace ? ZERO : durationOf(c, state, where);
  const notated = readNotated(c);
  const tuplet = readTuplet(c);
  const duration = isGrace ? ZERO : notatedDuration(raw, notated ? durationOfType(notated.type, notated.dots, tuplet) : undefined, c, walk, state);
  // A chord note without a voice of its own is in its chord's.
  const voice = childText(c, "voice") ?? (isChord && walk.lastEvent ? walk.lastEvent.voice : "1");
  const staff = staffOf(c, where, "a note");
  if (child(c, "rest")) {
    walk.events.push(readRest(c, { onset, duration, voice, staff, notated, tuplet }));
    walk.lastEvent = undefined;
  } else {
    const note = readNote(c, state, where);
    const lastEvent = walk.lastEvent;
    // A chord note's <duration> should be its chord's; one a file gets wrong (Sibelius writes 256
    // for a triplet quarter in a chord) is still a note of the chord, lasting as long as it.
    if (isChord && lastEvent && lastEvent.voice === voice && !!lastEvent.grace === isGrace) {
      lastEvent.notes = [...lastEvent.notes, staff !== lastEvent.staff ? { ...note, staff } : note];
      mergeNotations(lastEvent, c);
      // The chord's onset, length and end stand.
      return;
    }
    const { event, dynamics } = readNoteEvent(c, note, { onset, duration, voice, staff, notated, tuplet });
    walk.events.push(event);
    walk.lastEvent = event;
    for (const d of dynamics) walk.directions.push({ offset: onset, staff, items: [{ kind: "dynamics", values: d }] });
  }
  if (!isChord) {
    walk.lastOnset = onset;
    walk.raw = add(walk.raw, raw);
    walk.cursor = add(walk.cursor, duration);
    walk.reached.push(walk.cursor);
  }
  walk.end = max(walk.end, add(onset, duration));
  checkLength(walk.end, where);
}

/** The measure as the model holds it: its length, events in time order, directions and harmonies inside it. */
function finishMeasure(m: XmlElement, walk: MeasureWalk, state: PartState): Measure {
  const { events, harmonies, left, right } = walk;
  // An empty measure still lasts as long as its time signature says.
  let duration = walk.end;
  if (events.length === 0 && duration.n === 0 && state.time?.kind === "measured") duration = timeLength(state.time);
  else duration = onBarline(m, walk, state);
  checkLength(duration, walk.where);
  events.sort((a, b) => (lt(a.onset, b.onset) ? -1 : gt(a.onset, b.onset) ? 1 : 0));
  // An <offset> may point past the barline; what it marks belongs at the end of this measure.
  const clamp = <T extends { offset: Fraction }>(o: T): T => (gt(o.offset, duration) ? { ...o, offset: duration } : o);
  const out: Mutable<Measure> = {
    number: m.attrs.number ?? "",
    duration,
    attributes: walk.attributes,
    midAttributes: walk.midAttributes,
    midBarlines: walk.midBarlines,
    events,
    directions: walk.directions.map(clamp),
    harmonies: harmonies.map(clamp),
  };
  if (m.attrs.implicit === "yes") out.implicit = true;
  if (left) out.left = left;
  if (right) out.right = right;
  if (walk.newSystem) out.newSystem = true;
  if (walk.newPage) out.newPage = true;
  return out;
}

/**
 * Keeps a measure on its time signature's barline where the file lets it drift: one that ends
 * less than a 64th off (durations the file rounded and gave no notated value to correct) ends on
 * the barline, and the events that end near it end on it; one that runs past it with rests only
 * (a filler rest some encoders add) loses what is past it. Pickups, and measures of another
 * length that the notes themselves fill, keep their own length.
 */
function onBarline(m: XmlElement, walk: MeasureWalk, state: PartState): Fraction {
  const end = walk.end;
  if (m.attrs.implicit === "yes" || state.time?.kind !== "measured") return end;
  const bar = timeLength(state.time);
  if (eq(end, bar) || bar.n === 0) return end;
  const events = walk.events as Mutable<Event>[];
  if (lt(abs(sub(end, bar)), NEAR)) {
    for (const ev of events) {
      const evEnd = add(ev.onset, ev.duration);
      if (ev.duration.n > 0 && !eq(evEnd, bar) && lt(abs(sub(evEnd, bar)), NEAR) && lt(ev.onset, bar)) ev.duration = sub(bar, ev.onset);
    }
  } else if (gt(end, bar) && events.every((ev) => ev.kind === "rest" || !gt(add(ev.onset, ev.duration), bar))) {
    for (let i = events.length - 1; i >= 0; i--) {
      const ev = events[i]!;
      if (!lt(ev.onset, bar)) events.splice(i, 1);
      else if (gt(add(ev.onset, ev.duration), bar)) ev.duration = sub(bar, ev.onset);
    }
  } else return end;
  state.snaps.measures.push(walk.where);
  return bar;
}

/** Less than this off the barline is a rounding, not a measure of another length. */
const NEAR = frac(1, 64);

/** Only the keys of `o` that are set, so spreading the result adds no undefined fields. */
function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  const r = {} as Pick<T, K>;
  for (const k of keys) if (o[k] !== undefined) r[k] = o[k];
  return r;
}

/** A `<barline>`: style, repeat, ending, and the fermata, segno or coda it carries. */
function readBarline(c: XmlElement): Barline {
  const b: Mutable<Barline> = {};
  const style = childText(c, "bar-style");
  if (style) b.style = style;
  const rep = child(c, "repeat");
  const dir = rep?.attrs.direction;
  if (rep && (dir === "forward" || dir === "backward")) {
    b.repeat = rep.attrs.times ? { direction: dir, times: Number(rep.attrs.times) } : { direction: dir };
  }
  const end = child(c, "ending");
  const et = end?.attrs.type;
  if (end && (et === "start" || et === "stop" || et === "discontinue")) {
    const text = textOf(end).trim();
    b.ending = text ? { number: end.attrs.number ?? "1", type: et, text } : { number: end.attrs.number ?? "1", type: et };
  }
  if (child(c, "fermata")) b.fermata = true;
  if (child(c, "segno")) b.segno = true;
  if (child(c, "coda")) b.coda = true;
  return b;
}
