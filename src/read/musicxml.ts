/**
 * MusicXML reader: score-partwise (and score-timewise, converted) text into the score model.
 *
 * Time is exact: each `<duration>` becomes a fraction of a whole note through the `<divisions>`
 * in force, so division changes, `<backup>` and `<forward>` need no rounding. Pitches of
 * transposing parts are turned into sounding pitch with the part's `<transpose>`.
 */
import { clip, TuttiError } from "../model/errors.js";
import { add, frac, type Fraction, gt, lt, max, sub, ZERO } from "../model/fraction.js";
import { intervalFifths, isStep, midiOf, nameOf, pitch, type Step, transpose } from "../model/pitch.js";
import type {
  Accidental,
  Attributes,
  Barline,
  Beam,
  Clef,
  Creator,
  Direction,
  DirectionItem,
  Event,
  Harmony,
  KeySignature,
  Lyric,
  Mark,
  Measure,
  MidAttributes,
  NotatedValue,
  Note,
  NoteEvent,
  NoteType,
  Part,
  PartGroup,
  PartInstrument,
  Score,
  Slur,
  StaffClef,
  TimeSignature,
  Transposition,
  TupletMark,
  TupletRatio,
} from "../model/score.js";
import { durationOfType, NOTE_TYPES } from "../model/durations.js";
import { timeLength } from "../model/time.js";
import { READ_LIMITS } from "./limits.js";
import { child, childNumber, childText, elements, parseXml, textOf, type XmlElement } from "../xml/tree.js";

/**
 * Reads MusicXML text.
 * @example readMusicXml(text, "chorale.musicxml").parts[0].name // "Soprano"
 */
export function readMusicXml(text: string, source?: string): Score {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (err) {
    if (err instanceof TuttiError && source) throw new TuttiError(err.code, err.message, source);
    throw err;
  }
  try {
    if (root.name === "score-timewise") root = timewiseToPartwise(root);
    if (root.name !== "score-partwise") {
      throw new TuttiError("BAD_MUSICXML", `not a MusicXML score: the root element is <${root.name}>, expected <score-partwise>`);
    }
    return readPartwise(root, source);
  } catch (err) {
    if (err instanceof TuttiError && source && !err.file) throw new TuttiError(err.code, err.message, source);
    throw err;
  }
}

/** Regroups `<measure><part>…` into `<part><measure>…`; the two forms carry the same content. */
function timewiseToPartwise(root: XmlElement): XmlElement {
  const byPart = new Map<string, XmlElement[]>();
  for (const m of elements(root, "measure")) {
    for (const p of elements(m, "part")) {
      const id = p.attrs.id ?? "";
      const list = byPart.get(id) ?? [];
      list.push({ name: "measure", attrs: m.attrs, children: p.children });
      byPart.set(id, list);
    }
  }
  const header = root.children.filter((c) => typeof c !== "string" && c.name !== "measure");
  const parts: XmlElement[] = [...byPart].map(([id, ms]) => ({ name: "part", attrs: { id }, children: ms }));
  return { name: "score-partwise", attrs: root.attrs, children: [...header, ...parts] };
}

function readPartwise(root: XmlElement, source: string | undefined): Score {
  const partList = child(root, "part-list");
  if (!partList) throw new TuttiError("BAD_MUSICXML", "no <part-list>");
  const { infos, groups } = readPartList(partList);
  const partEls = elements(root, "part");
  if (partEls.length === 0) throw new TuttiError("EMPTY_SCORE", "the score has no parts");
  if (partEls.length > READ_LIMITS.maxParts) throw new TuttiError("UNSUPPORTED", `the score has ${partEls.length} parts; Tutti reads at most ${READ_LIMITS.maxParts}`);
  const parts: Part[] = [];
  for (const el of partEls) {
    const id = el.attrs.id ?? `P${parts.length + 1}`;
    const info = infos.get(id) ?? { name: "", instruments: [] };
    parts.push(readPart(el, id, info));
  }
  const order = new Map(partEls.map((p, i) => [p.attrs.id ?? "", i]));
  const idsInList = [...infos.keys()];
  const mapIndex = (i: number): number => order.get(idsInList[i] ?? "") ?? i;
  return {
    meta: readMeta(root, source),
    parts,
    groups: groups
      .map((g) => ({ ...g, first: mapIndex(g.first), last: mapIndex(g.last) }))
      .filter((g) => g.first <= g.last && g.last < parts.length),
  };
}

function readMeta(root: XmlElement, source: string | undefined): Score["meta"] {
  const work = child(root, "work");
  const ident = child(root, "identification");
  const creators: Creator[] = ident
    ? elements(ident, "creator")
        .map((c) => ({ type: c.attrs.type ?? "composer", name: textOf(c).trim() }))
        .filter((c) => c.name !== "")
    : [];
  const rights = ident ? elements(ident, "rights").map((r) => textOf(r).trim()).filter((r) => r !== "") : [];
  const meta: {
    -readonly [K in keyof Score["meta"]]: Score["meta"][K];
  } = { creators, rights };
  const title = work ? childText(work, "work-title") : undefined;
  if (title) meta.title = title;
  const workNumber = work ? childText(work, "work-number") : undefined;
  if (workNumber) meta.workNumber = workNumber;
  const mt = childText(root, "movement-title");
  if (mt) meta.movementTitle = mt;
  const mn = childText(root, "movement-number");
  if (mn) meta.movementNumber = mn;
  if (source) meta.source = source;
  return meta;
}

interface PartInfo {
  name: string;
  abbreviation?: string;
  instruments: PartInstrument[];
}

function readPartList(el: XmlElement): { infos: Map<string, PartInfo>; groups: PartGroup[] } {
  const infos = new Map<string, PartInfo>();
  const groups: PartGroup[] = [];
  const open = new Map<string, { start: number; el: XmlElement }>();
  let index = 0;
  for (const c of elements(el)) {
    if (c.name === "score-part") {
      const id = c.attrs.id ?? `P${index + 1}`;
      const midi = new Map(elements(c, "midi-instrument").map((m) => [m.attrs.id ?? "", m]));
      const instruments = elements(c, "score-instrument").map((si): PartInstrument => {
        const iid = si.attrs.id ?? "";
        const m = midi.get(iid);
        const inst: { -readonly [K in keyof PartInstrument]: PartInstrument[K] } = {
          id: iid,
          name: childText(si, "instrument-name") ?? "",
        };
        const sound = childText(si, "instrument-sound");
        if (sound) inst.sound = sound;
        if (m) {
          const prog = childNumber(m, "midi-program");
          if (prog !== undefined && prog >= 1 && prog <= 128) inst.midiProgram = prog;
          const ch = childNumber(m, "midi-channel");
          if (ch !== undefined && ch >= 1 && ch <= 16) inst.midiChannel = ch;
          const un = childNumber(m, "midi-unpitched");
          if (un !== undefined && un >= 1 && un <= 128) inst.midiUnpitched = un;
          const vol = childNumber(m, "volume");
          if (vol !== undefined) inst.volume = vol;
          const pan = childNumber(m, "pan");
          if (pan !== undefined) inst.pan = pan;
        }
        return inst;
      });
      const info: PartInfo = { name: childText(c, "part-name") ?? "", instruments };
      const abbr = childText(c, "part-abbreviation");
      if (abbr) info.abbreviation = abbr;
      infos.set(id, info);
      index++;
    } else if (c.name === "part-group") {
      const num = c.attrs.number ?? "1";
      if (c.attrs.type === "start") open.set(num, { start: index, el: c });
      else if (c.attrs.type === "stop") {
        const o = open.get(num);
        if (o && index > o.start) {
          const g: { -readonly [K in keyof PartGroup]: PartGroup[K] } = { first: o.start, last: index - 1 };
          const sym = childText(o.el, "group-symbol");
          if (sym === "brace" || sym === "bracket" || sym === "line" || sym === "square" || sym === "none") g.symbol = sym;
          const name = childText(o.el, "group-name");
          if (name) g.name = name;
          const ab = childText(o.el, "group-abbreviation");
          if (ab) g.abbreviation = ab;
          const bl = childText(o.el, "group-barline");
          if (bl) g.barline = bl === "yes";
          groups.push(g);
        }
        open.delete(num);
      }
    }
  }
  return { infos, groups };
}

/** Mutable state while walking one part. */
interface PartState {
  divisions: number;
  transpose?: Transposition;
  time?: TimeSignature;
  staves: number;
}

function readPart(el: XmlElement, id: string, info: PartInfo): Part {
  const state: PartState = { divisions: 1, staves: 1 };
  const measures: Measure[] = [];
  let maxStaves = 1;
  const measureEls = elements(el, "measure");
  if (measureEls.length > READ_LIMITS.maxMeasures) {
    throw new TuttiError("UNSUPPORTED", `part ${id} has ${measureEls.length} measures; Tutti reads at most ${READ_LIMITS.maxMeasures}`);
  }
  for (const m of measureEls) {
    const measure = readMeasure(m, state, id);
    maxStaves = Math.max(maxStaves, state.staves);
    for (const e of measure.events) if (e.staff > maxStaves) maxStaves = e.staff;
    measures.push(measure);
  }
  const part: { -readonly [K in keyof Part]: Part[K] } = {
    id,
    name: info.name,
    instruments: info.instruments,
    staves: maxStaves,
    measures,
  };
  if (info.abbreviation) part.abbreviation = info.abbreviation;
  return part;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function readMeasure(m: XmlElement, state: PartState, partId: string): Measure {
  const where = `part ${partId}, measure ${m.attrs.number ?? "?"}`;
  let cursor = ZERO;
  let end = ZERO;
  let lastOnset = ZERO;
  let lastEvent: Mutable<NoteEvent> | undefined;
  const events: Event[] = [];
  const directions: Direction[] = [];
  const harmonies: Harmony[] = [];
  const midAttributes: MidAttributes[] = [];
  const midBarlines: (Barline & { offset: Fraction })[] = [];
  let attributes: Attributes = {};
  let left: Barline | undefined;
  let right: Barline | undefined;
  let newSystem = false;
  let newPage = false;
  const dur = (e: XmlElement): Fraction => {
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
  };
  const LONGEST = frac(READ_LIMITS.maxMeasureWholeNotes);
  const checkLength = (t: Fraction): void => {
    if (gt(t, LONGEST)) throw new TuttiError("BAD_MUSICXML", `${where}: the measure lasts more than ${READ_LIMITS.maxMeasureWholeNotes} whole notes`);
  };

  for (const c of elements(m)) {
    switch (c.name) {
      case "attributes": {
        const a = readAttributes(c, state, where);
        // Attributes at the start of the measure (also those after a <backup> to the start, as
        // a second staff's key or clef often comes) belong to the measure; later ones are mid-measure.
        if (lt(ZERO, cursor)) {
          const mid: Mutable<MidAttributes> = { offset: cursor };
          if (a.clefs) mid.clefs = a.clefs;
          if (a.key) mid.key = a.key;
          if (a.time) mid.time = a.time;
          if (a.clefs || a.key || a.time) midAttributes.push(mid);
          if (a.transpose || a.staves) attributes = { ...attributes, ...pick(a, ["transpose", "staves"]) };
        } else {
          attributes = mergeAttributes(attributes, a);
        }
        break;
      }
      case "note": {
        const isChord = child(c, "chord") !== undefined;
        const isGrace = child(c, "grace") !== undefined;
        const onset = isChord ? lastOnset : cursor;
        let duration = isGrace ? ZERO : dur(c);
        const notated = readNotated(c);
        const tuplet = readTuplet(c);
        if (!isGrace && child(c, "duration") === undefined && notated) {
          duration = durationOfType(notated.type, notated.dots, tuplet);
        }
        const voice = childText(c, "voice") ?? "1";
        const staff = staffOf(c, where, "a note");
        if (child(c, "rest")) {
          events.push(readRest(c, { onset, duration, voice, staff, notated, tuplet }));
          lastEvent = undefined;
        } else {
          const note = readNote(c, state, where);
          if (isChord && lastEvent && lastEvent.voice === voice && sameFraction(lastEvent.duration, duration) && !!lastEvent.grace === isGrace) {
            lastEvent.notes = [...lastEvent.notes, staff !== lastEvent.staff ? { ...note, staff } : note];
            mergeNotations(lastEvent, c);
          } else {
            const ev = readNoteEvent(c, note, { onset, duration, voice, staff, notated, tuplet });
            events.push(ev);
            lastEvent = ev;
            for (const d of ev.attachedDynamics) directions.push({ offset: onset, staff, items: [{ kind: "dynamics", values: d }] });
            delete (ev as { attachedDynamics?: unknown }).attachedDynamics;
          }
        }
        if (!isChord) {
          lastOnset = onset;
          cursor = add(cursor, duration);
        }
        end = max(end, add(onset, duration));
        checkLength(end);
        break;
      }
      case "backup":
        cursor = sub(cursor, dur(c));
        if (lt(cursor, ZERO)) cursor = ZERO;
        break;
      case "forward":
        cursor = add(cursor, dur(c));
        end = max(end, cursor);
        checkLength(end);
        break;
      case "direction": {
        const d = readDirection(c, cursor, state, where);
        if (d) directions.push(d);
        break;
      }
      case "sound": {
        const tempo = Number(c.attrs.tempo);
        if (c.attrs.tempo !== undefined && Number.isFinite(tempo) && tempo > 0 && tempo <= 1000) {
          directions.push({ offset: cursor, staff: 1, items: [], sound: { tempo } });
        }
        break;
      }
      case "harmony": {
        const h = readHarmony(c, cursor, state);
        if (h) harmonies.push(h);
        break;
      }
      case "barline": {
        const b = readBarline(c);
        const loc = c.attrs.location ?? "right";
        if (loc === "left") left = b;
        else if (loc === "middle") midBarlines.push({ ...b, offset: cursor });
        else right = b;
        break;
      }
      case "print":
        if (c.attrs["new-system"] === "yes") newSystem = true;
        if (c.attrs["new-page"] === "yes") newPage = true;
        break;
      default:
        // figured-bass, grouping, link, bookmark, listening: not carried by the model.
        break;
    }
  }

  // An empty measure still lasts as long as its time signature says.
  let duration = end;
  if (events.length === 0 && duration.n === 0 && state.time?.kind === "measured") duration = timeLength(state.time);
  checkLength(duration);
  events.sort((a, b) => (lt(a.onset, b.onset) ? -1 : gt(a.onset, b.onset) ? 1 : 0));
  // An <offset> may point past the barline; what it marks belongs at the end of this measure.
  const clamp = <T extends { offset: Fraction }>(o: T): T => (gt(o.offset, duration) ? { ...o, offset: duration } : o);
  const out: Mutable<Measure> = {
    number: m.attrs.number ?? "",
    duration,
    attributes,
    midAttributes,
    midBarlines,
    events,
    directions: directions.map(clamp),
    harmonies: harmonies.map(clamp),
  };
  if (m.attrs.implicit === "yes") out.implicit = true;
  if (left) out.left = left;
  if (right) out.right = right;
  if (newSystem) out.newSystem = true;
  if (newPage) out.newPage = true;
  return out;
}

function sameFraction(a: Fraction, b: Fraction): boolean {
  return a.n === b.n && a.d === b.d;
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  const r = {} as Pick<T, K>;
  for (const k of keys) if (o[k] !== undefined) r[k] = o[k];
  return r;
}

function mergeAttributes(a: Attributes, b: Attributes): Attributes {
  const r: Mutable<Attributes> = { ...a };
  for (const [k, v] of Object.entries(b)) if (v !== undefined) (r as Record<string, unknown>)[k] = v;
  if (a.clefs && b.clefs) {
    const byStaff = new Map(a.clefs.map((c) => [c.staff, c]));
    for (const c of b.clefs) byStaff.set(c.staff, c);
    r.clefs = [...byStaff.values()].sort((x, y) => x.staff - y.staff);
  }
  if (a.staffKeys && b.staffKeys) {
    const byStaff = new Map(a.staffKeys.map((k) => [k.staff, k]));
    for (const k of b.staffKeys) byStaff.set(k.staff, k);
    r.staffKeys = [...byStaff.values()].sort((x, y) => x.staff - y.staff);
  }
  // The part's key is the one without a staff number, or else the first staff's.
  if (!b.key && r.staffKeys) r.key = r.staffKeys[0]!.key;
  return r;
}

/** The largest `<divisions>`: far above any notation program's (10080 is a common one). */
const MAX_DIVISIONS = 16_777_216;

function readAttributes(el: XmlElement, state: PartState, where: string): Attributes {
  const a: Mutable<Attributes> = {};
  const divText = childText(el, "divisions");
  if (divText !== undefined) {
    const div = Number(divText);
    if (!Number.isInteger(div) || div < 1 || div > MAX_DIVISIONS) {
      throw new TuttiError("BAD_MUSICXML", `${where}: <divisions> is ${clip(divText)}; it must be a whole number from 1 to ${MAX_DIVISIONS}`);
    }
    state.divisions = div;
  }
  // <transpose> comes after <key> in the file, but the key must be turned into concert pitch with it.
  const tr = child(el, "transpose");
  if (tr) {
    const t: Mutable<Transposition> = { diatonic: childNumber(tr, "diatonic") ?? 0, chromatic: childNumber(tr, "chromatic") ?? 0 };
    const oc = childNumber(tr, "octave-change");
    // Four octaves either way is more than any instrument transposes.
    if (!Number.isInteger(t.diatonic) || Math.abs(t.diatonic) > 28 || Math.abs(t.chromatic) > 48 || (oc !== undefined && (!Number.isInteger(oc) || Math.abs(oc) > 4))) {
      throw new TuttiError("BAD_MUSICXML", `${where}: a <transpose> of ${t.diatonic} steps, ${t.chromatic} semitones and ${oc ?? 0} octaves, beyond any instrument`);
    }
    if (oc) t.octaveChange = oc;
    if (child(tr, "double")) t.double = true;
    state.transpose = t;
    a.transpose = t;
  }
  const keys = elements(el, "key");
  for (const k of keys) {
    const key = readKey(k, state.transpose, where);
    if (!key) continue;
    const num = k.attrs.number;
    if (num !== undefined) a.staffKeys = [...(a.staffKeys ?? []), { staff: Number(num), key }];
    else a.key = key;
  }
  const time = child(el, "time");
  if (time) {
    const t = readTime(time, where);
    a.time = t;
    state.time = t;
  }
  const staves = childNumber(el, "staves");
  if (staves !== undefined && (!Number.isInteger(staves) || staves > READ_LIMITS.maxStaves)) {
    throw new TuttiError("BAD_MUSICXML", `${where}: <staves> is ${staves}; Tutti reads at most ${READ_LIMITS.maxStaves} staves per part`);
  }
  if (staves !== undefined && staves >= 1) {
    a.staves = staves;
    state.staves = staves;
  }
  const clefs: StaffClef[] = elements(el, "clef").flatMap((c): StaffClef[] => {
    const sign = childText(c, "sign");
    if (sign !== "G" && sign !== "F" && sign !== "C" && sign !== "percussion" && sign !== "TAB" && sign !== "jianpu" && sign !== "none") return [];
    const clef: Mutable<Clef> = { sign };
    const line = childNumber(c, "line");
    if (line !== undefined && Number.isInteger(line) && line >= 1 && line <= 5) clef.line = line;
    const oc = childNumber(c, "clef-octave-change");
    if (oc && Number.isInteger(oc) && Math.abs(oc) <= 2) clef.octaveChange = oc;
    return [{ staff: Number(c.attrs.number ?? 1), clef }];
  });
  if (clefs.length) a.clefs = clefs;
  return a;
}

function readKey(k: XmlElement, tr: Transposition | undefined, where: string): KeySignature | undefined {
  const hidden = k.attrs["print-object"] === "no";
  const fifths = childNumber(k, "fifths");
  if (fifths !== undefined && (!Number.isInteger(fifths) || Math.abs(fifths) > 14)) {
    throw new TuttiError("BAD_MUSICXML", `${where}: a key signature of ${fifths} fifths; Tutti reads keys from -14 to 14`);
  }
  if (fifths !== undefined) {
    const concert = tr ? fifths + intervalFifths(tr.diatonic, tr.chromatic) : fifths;
    const key: Mutable<Extract<KeySignature, { kind: "traditional" }>> = { kind: "traditional", fifths: concert };
    const mode = childText(k, "mode");
    if (mode) key.mode = mode;
    const cancel = childNumber(k, "cancel");
    if (cancel !== undefined) key.cancel = cancel;
    if (hidden) key.hidden = true;
    return key;
  }
  const steps: { step: Step; alter: number; accidental?: string }[] = [];
  let current: { step: Step; alter: number; accidental?: string } | undefined;
  for (const c of elements(k)) {
    const t = textOf(c).trim();
    if (c.name === "key-step" && isStep(t)) {
      current = { step: t, alter: 0 };
      steps.push(current);
    } else if (c.name === "key-alter" && current) current.alter = Number(t) || 0;
    else if (c.name === "key-accidental" && current) current.accidental = t;
  }
  if (steps.length === 0) return undefined;
  return hidden ? { kind: "non-traditional", steps, hidden } : { kind: "non-traditional", steps };
}

function readTime(el: XmlElement, where: string): TimeSignature {
  if (child(el, "senza-misura")) {
    const text = childText(el, "senza-misura");
    return text ? { kind: "senza-misura", text } : { kind: "senza-misura" };
  }
  const signatures: { beats: string; beatType: number }[] = [];
  let beats: string | undefined;
  for (const c of elements(el)) {
    if (c.name === "beats") beats = textOf(c).trim();
    else if (c.name === "beat-type" && beats !== undefined) {
      const beatType = Number(textOf(c).trim()) || 4;
      // Whole numbers only: a fraction of a beat or a huge one could not be timed exactly.
      const counts = beats.split("+").map((b) => Number(b));
      if (!Number.isInteger(beatType) || beatType < 1 || beatType > 1024 || counts.some((b) => !Number.isNaN(b) && (!Number.isInteger(b) || b < 0 || b > 1_000_000))) {
        throw new TuttiError("BAD_MUSICXML", `${where}: the time signature ${clip(beats)}/${clip(textOf(c).trim())} cannot be read`);
      }
      signatures.push({ beats, beatType });
      beats = undefined;
    }
  }
  const t: Mutable<Extract<TimeSignature, { kind: "measured" }>> = { kind: "measured", signatures };
  if (gt(timeLength(t), frac(READ_LIMITS.maxMeasureWholeNotes))) {
    throw new TuttiError("BAD_MUSICXML", `${where}: the time signature ${signatures.map((x) => `${clip(x.beats)}/${x.beatType}`).join(" ")} makes measures of more than ${READ_LIMITS.maxMeasureWholeNotes} whole notes`);
  }
  const sym = el.attrs.symbol;
  if (sym === "common" || sym === "cut" || sym === "single-number" || sym === "note" || sym === "dotted-note" || sym === "normal") t.symbol = sym;
  if (el.attrs["print-object"] === "no") t.hidden = true;
  return t;
}

/** A note's or direction's `<staff>`: 1 when absent, else a whole number up to `READ_LIMITS.maxStaves`. */
function staffOf(c: XmlElement, where: string, what: string): number {
  const text = childText(c, "staff");
  if (text === undefined) return 1;
  const staff = Number(text);
  if (!Number.isInteger(staff) || staff < 1 || staff > READ_LIMITS.maxStaves) {
    throw new TuttiError("BAD_MUSICXML", `${where}: ${what} is on staff ${clip(text)}; staves are numbered 1 to ${READ_LIMITS.maxStaves} at most`);
  }
  return staff;
}

/**
 * Where an `<offset>` puts a direction or harmony: from the cursor, never before the measure;
 * one past the barline is clamped to it later, so an absurd one is clamped here first.
 */
function offsetOf(c: XmlElement, cursor: Fraction, state: PartState): Fraction {
  const off = childNumber(c, "offset");
  if (!off) return cursor;
  const limit = READ_LIMITS.maxMeasureWholeNotes * state.divisions * 4;
  const ticks = Math.round(Math.max(-limit, Math.min(limit, off)));
  return max(ZERO, add(cursor, frac(ticks, state.divisions * 4)));
}

function readNotated(c: XmlElement): NotatedValue | undefined {
  const type = childText(c, "type");
  if (!type || !(NOTE_TYPES as readonly string[]).includes(type)) return undefined;
  // Eight dots is past any use; more would overflow the exact duration of the value.
  return { type: type as NoteType, dots: Math.min(8, elements(c, "dot").length) };
}

function readTuplet(c: XmlElement): TupletRatio | undefined {
  const tm = child(c, "time-modification");
  if (!tm) return undefined;
  const actual = childNumber(tm, "actual-notes");
  const normal = childNumber(tm, "normal-notes");
  if (!actual || !normal || !Number.isInteger(actual) || !Number.isInteger(normal) || actual < 1 || normal < 1 || actual > 1000 || normal > 1000) return undefined;
  const t: Mutable<TupletRatio> = { actual, normal };
  const nt = childText(tm, "normal-type");
  if (nt && (NOTE_TYPES as readonly string[]).includes(nt)) t.normalType = nt as NoteType;
  const nd = elements(tm, "normal-dot").length;
  if (nd) t.normalDots = nd;
  return t;
}

interface Common {
  onset: Fraction;
  duration: Fraction;
  voice: string;
  staff: number;
  notated: NotatedValue | undefined;
  tuplet: TupletRatio | undefined;
}

function applyCommon<T extends Mutable<Event>>(ev: T, c: XmlElement, common: Common): T {
  if (common.notated) ev.notated = common.notated;
  if (common.tuplet) ev.tuplet = common.tuplet;
  if (child(c, "cue")) ev.cue = true;
  if (c.attrs["print-object"] === "no") ev.hidden = true;
  const beams: Beam[] = elements(c, "beam").flatMap((b): Beam[] => {
    const v = textOf(b).trim();
    if (v !== "begin" && v !== "continue" && v !== "end" && v !== "forward hook" && v !== "backward hook") return [];
    return [{ number: Number(b.attrs.number ?? 1), value: v }];
  });
  if (beams.length) ev.beams = beams;
  const marks: TupletMark[] = [];
  for (const n of elements(c, "notations")) {
    for (const t of elements(n, "tuplet")) {
      const type = t.attrs.type;
      if (type !== "start" && type !== "stop") continue;
      const mark: Mutable<TupletMark> = { type };
      if (t.attrs.number) mark.number = Number(t.attrs.number);
      if (t.attrs.bracket) mark.bracket = t.attrs.bracket === "yes";
      const sn = t.attrs["show-number"];
      if (sn === "actual" || sn === "both" || sn === "none") mark.showNumber = sn;
      const pl = t.attrs.placement;
      if (pl === "above" || pl === "below") mark.placement = pl;
      marks.push(mark);
    }
    if (child(n, "fermata")) ev.fermata = true;
  }
  if (marks.length) ev.tupletMarks = marks;
  return ev;
}

function readRest(c: XmlElement, common: Common): Event {
  const rest = child(c, "rest")!;
  const ev: Mutable<Extract<Event, { kind: "rest" }>> = {
    kind: "rest",
    onset: common.onset,
    duration: common.duration,
    voice: common.voice,
    staff: common.staff,
  };
  if (rest.attrs.measure === "yes") ev.measureRest = true;
  const ds = childText(rest, "display-step");
  const dO = childNumber(rest, "display-octave");
  if (ds && isStep(ds) && dO !== undefined && Number.isInteger(dO) && dO >= 0 && dO <= 9) ev.position = { step: ds, octave: dO };
  return applyCommon(ev, c, common);
}

function readNote(c: XmlElement, state: PartState, where: string): Note {
  const n: Mutable<Note> = {};
  const p = child(c, "pitch");
  const up = child(c, "unpitched");
  if (p) {
    const step = childText(p, "step") ?? "";
    if (!isStep(step)) throw new TuttiError("BAD_MUSICXML", `${where}: a note has the pitch step "${step}"`);
    const octave = childNumber(p, "octave");
    if (octave === undefined) throw new TuttiError("BAD_MUSICXML", `${where}: a note has no octave`);
    if (!Number.isInteger(octave) || octave < 0 || octave > 9) throw new TuttiError("BAD_MUSICXML", `${where}: a note has the octave ${octave}; MusicXML's octaves run from 0 to 9`);
    const alter = childNumber(p, "alter") ?? 0;
    if (Math.abs(alter) > 3) throw new TuttiError("BAD_MUSICXML", `${where}: a note has the alter ${alter}; Tutti reads alterations of up to 3 semitones`);
    const written = pitch(step, alter, octave);
    const t = state.transpose;
    n.pitch = t
      ? transpose(written, t.diatonic + 7 * (t.octaveChange ?? 0), t.chromatic + 12 * (t.octaveChange ?? 0))
      : written;
    const key = midiOf(n.pitch);
    if (key < 0 || key > 127) {
      throw new TuttiError("BAD_MUSICXML", `${where}: a note (${nameOf(written)}${t ? `, sounding ${nameOf(n.pitch)}` : ""}) is outside the MIDI range C-1 to G9`);
    }
  } else if (up) {
    const step = childText(up, "display-step") ?? "E";
    const o = childNumber(up, "display-octave") ?? 4;
    n.unpitched = { step: isStep(step) ? step : "E", octave: Number.isInteger(o) && o >= 0 && o <= 9 ? o : 4 };
  } else {
    throw new TuttiError("BAD_MUSICXML", `${where}: a note has neither <pitch>, <unpitched> nor <rest>`);
  }
  for (const t of elements(c, "tie")) {
    if (t.attrs.type === "start") n.tieStart = true;
    if (t.attrs.type === "stop") n.tieStop = true;
  }
  for (const nt of elements(c, "notations")) {
    for (const t of elements(nt, "tied")) {
      const ty = t.attrs.type;
      if (ty === "start" || ty === "continue") n.tieStart = true;
      if (ty === "stop" || ty === "continue") n.tieStop = true;
    }
  }
  const acc = child(c, "accidental");
  if (acc) {
    const a: Mutable<Accidental> = { value: textOf(acc).trim() };
    if (acc.attrs.cautionary === "yes") a.cautionary = true;
    if (acc.attrs.editorial === "yes") a.editorial = true;
    if (acc.attrs.parentheses === "yes") a.parentheses = true;
    if (a.value) n.accidental = a;
  }
  const head = childText(c, "notehead");
  if (head && head !== "normal") n.notehead = head;
  const inst = child(c, "instrument");
  if (inst?.attrs.id) n.instrument = inst.attrs.id;
  return n;
}

const MARK_ELEMENTS = {
  articulations: new Set([
    "accent", "strong-accent", "staccato", "tenuto", "detached-legato", "staccatissimo", "spiccato", "scoop", "plop",
    "doit", "falloff", "breath-mark", "caesura", "stress", "unstress", "soft-accent", "other-articulation",
  ]),
  ornaments: new Set([
    "trill-mark", "turn", "delayed-turn", "inverted-turn", "delayed-inverted-turn", "vertical-turn",
    "inverted-vertical-turn", "shake", "mordent", "inverted-mordent", "schleifer", "haydn", "other-ornament",
  ]),
  technical: new Set([
    "up-bow", "down-bow", "open-string", "thumb-position", "fingering", "pluck", "double-tongue", "triple-tongue",
    "stopped", "snap-pizzicato", "fret", "string", "hammer-on", "pull-off", "tap", "heel", "toe", "fingernails",
    "brass-bend", "flip", "smear", "open", "half-muted", "golpe", "other-technical", "harmonic",
  ]),
} as const;

/** Marks whose element needs its text (fingering "3", string "2"). */
const NEEDS_TEXT = new Set(["fret", "string", "other-articulation", "other-ornament", "other-technical"]);

/** Marks whose element needs a type attribute. */
const NEEDS_TYPE = new Set(["hammer-on", "pull-off"]);

function readMarks(n: XmlElement, group: keyof typeof MARK_ELEMENTS): Mark[] {
  const out: Mark[] = [];
  for (const g of elements(n, group)) {
    for (const m of elements(g)) {
      if (!MARK_ELEMENTS[group].has(m.name)) continue;
      const mark: Mutable<Mark> = { name: m.name };
      const text = textOf(m).trim();
      if (text) mark.text = text;
      else if (NEEDS_TEXT.has(m.name)) continue;
      const pl = m.attrs.placement;
      if (pl === "above" || pl === "below") mark.placement = pl;
      if (m.attrs.type) mark.type = m.attrs.type;
      else if (NEEDS_TYPE.has(m.name)) continue;
      out.push(mark);
    }
  }
  return out;
}

type ReadEvent = Mutable<NoteEvent> & { attachedDynamics: string[][] };

function readNoteEvent(c: XmlElement, note: Note, common: Common): ReadEvent {
  const ev: ReadEvent = {
    kind: "note",
    onset: common.onset,
    duration: common.duration,
    voice: common.voice,
    staff: common.staff,
    notes: [note],
    attachedDynamics: [],
  };
  const grace = child(c, "grace");
  if (grace) ev.grace = { slash: grace.attrs.slash === "yes" };
  const stem = childText(c, "stem");
  if (stem === "up" || stem === "down" || stem === "none" || stem === "double") ev.stem = stem;
  mergeNotations(ev, c);
  const lyrics: Lyric[] = elements(c, "lyric").flatMap((l): Lyric[] => {
    const texts = elements(l, "text").map((t) => textOf(t));
    const syl = childText(l, "syllabic");
    const extend = child(l, "extend") !== undefined;
    if (texts.length === 0 && !extend) return [];
    const ly: Mutable<Lyric> = { number: l.attrs.number ?? "1", text: texts.join(" ") };
    if (syl === "single" || syl === "begin" || syl === "middle" || syl === "end") ly.syllabic = syl;
    if (extend) ly.extend = true;
    return [ly];
  });
  if (lyrics.length) ev.lyrics = lyrics;
  return applyCommon(ev, c, common);
}

/** Adds the notations of a note (or of a chord note joining its event) to the event. */
function mergeNotations(ev: Mutable<NoteEvent> & { attachedDynamics?: string[][] }, c: XmlElement): void {
  for (const group of ["articulations", "ornaments", "technical"] as const) {
    const marks = elements(c, "notations").flatMap((n) => readMarks(n, group));
    if (marks.length === 0) continue;
    const prev = ev[group] ?? [];
    const fresh = marks.filter((m) => !prev.some((p) => p.name === m.name && p.text === m.text));
    if (fresh.length) ev[group] = [...prev, ...fresh];
  }
  const slurs: Slur[] = [];
  for (const n of elements(c, "notations")) {
    for (const s of elements(n, "slur")) {
      const type = s.attrs.type;
      if (type !== "start" && type !== "stop" && type !== "continue") continue;
      const slur: Mutable<Slur> = { type, number: Number(s.attrs.number ?? 1) };
      const pl = s.attrs.placement;
      if (pl === "above" || pl === "below") slur.placement = pl;
      slurs.push(slur);
    }
    if (child(n, "arpeggiate")) ev.arpeggiate = true;
    for (const o of elements(n, "ornaments")) {
      const tr = child(o, "tremolo");
      if (tr && (tr.attrs.type ?? "single") === "single") {
        const strokes = Number(textOf(tr).trim());
        ev.tremolo = Number.isInteger(strokes) && strokes >= 1 && strokes <= 8 ? strokes : 3;
      }
    }
    for (const d of elements(n, "dynamics")) ev.attachedDynamics?.push(dynamicValues(d));
  }
  if (slurs.length) {
    const prev = ev.slurs ?? [];
    const fresh = slurs.filter((s) => !prev.some((p) => p.type === s.type && p.number === s.number));
    if (fresh.length) ev.slurs = [...prev, ...fresh];
  }
}

function dynamicValues(d: XmlElement): string[] {
  return elements(d).map((v) => (v.name === "other-dynamics" ? textOf(v).trim() : v.name));
}

function readDirection(c: XmlElement, cursor: Fraction, state: PartState, where: string): Direction | undefined {
  const items: DirectionItem[] = [];
  for (const dt of elements(c, "direction-type")) {
    for (const e of elements(dt)) {
      const item = readDirectionItem(e);
      if (item) items.push(item);
    }
  }
  const snd = child(c, "sound");
  const sound: { tempo?: number; dynamics?: number } = {};
  if (snd) {
    const tempo = Number(snd.attrs.tempo);
    if (snd.attrs.tempo !== undefined && Number.isFinite(tempo) && tempo > 0 && tempo <= 1000) sound.tempo = tempo;
    const dyn = Number(snd.attrs.dynamics);
    if (snd.attrs.dynamics !== undefined && Number.isFinite(dyn) && dyn >= 0) sound.dynamics = dyn;
  }
  if (items.length === 0 && sound.tempo === undefined && sound.dynamics === undefined) return undefined;
  const offset = offsetOf(c, cursor, state);
  const d: Mutable<Direction> = { offset, staff: staffOf(c, where, "a direction"), items };
  const voice = childText(c, "voice");
  if (voice) d.voice = voice;
  const pl = c.attrs.placement;
  if (pl === "above" || pl === "below") d.placement = pl;
  if (sound.tempo !== undefined || sound.dynamics !== undefined) d.sound = sound;
  return d;
}

function readDirectionItem(e: XmlElement): DirectionItem | undefined {
  const num = e.attrs.number ? Number(e.attrs.number) : undefined;
  const withNum = (o: DirectionItem): DirectionItem => (num !== undefined ? ({ ...o, number: num } as DirectionItem) : o);
  switch (e.name) {
    case "dynamics": {
      const values = dynamicValues(e).filter((v) => v !== "");
      return values.length ? { kind: "dynamics", values } : undefined;
    }
    case "words": {
      const text = textOf(e);
      return text.trim() ? { kind: "words", text } : undefined;
    }
    case "rehearsal": {
      const text = textOf(e).trim();
      return text ? { kind: "rehearsal", text } : undefined;
    }
    case "metronome": {
      const unit = childText(e, "beat-unit");
      const pm = childText(e, "per-minute");
      if (!unit || !pm || !(NOTE_TYPES as readonly string[]).includes(unit)) return undefined;
      const dots = elements(e).findIndex((x) => x.name !== "beat-unit" && x.name !== "beat-unit-dot");
      const firstDots = elements(e)
        .slice(0, dots < 0 ? undefined : dots)
        .filter((x) => x.name === "beat-unit-dot").length;
      const item: DirectionItem = { kind: "metronome", beatUnit: unit as NoteType, dots: firstDots, perMinute: pm };
      return e.attrs.parentheses === "yes" ? { ...item, parentheses: true } : item;
    }
    case "wedge": {
      const t = e.attrs.type;
      return t === "crescendo" || t === "diminuendo" || t === "stop" || t === "continue" ? withNum({ kind: "wedge", type: t }) : undefined;
    }
    case "dashes": {
      const t = e.attrs.type;
      return t === "start" || t === "stop" || t === "continue" ? withNum({ kind: "dashes", type: t }) : undefined;
    }
    case "octave-shift": {
      const t = e.attrs.type;
      const size = Number(e.attrs.size ?? 8);
      if (t !== "up" && t !== "down" && t !== "stop" && t !== "continue") return undefined;
      return withNum({ kind: "octave-shift", type: t, size: size === 15 || size === 22 ? size : 8 });
    }
    case "pedal": {
      const t = e.attrs.type;
      if (!t) return undefined;
      return e.attrs.line ? { kind: "pedal", type: t, line: e.attrs.line === "yes" } : { kind: "pedal", type: t };
    }
    case "segno":
      return { kind: "segno" };
    case "coda":
      return { kind: "coda" };
    default:
      return undefined;
  }
}

function readHarmony(c: XmlElement, cursor: Fraction, state: PartState): Harmony | undefined {
  const root = child(c, "root");
  const kindEl = child(c, "kind");
  if (!root || !kindEl) return undefined;
  const step = childText(root, "root-step") ?? "";
  if (!isStep(step)) return undefined;
  const h: Mutable<Harmony> = {
    offset: offsetOf(c, cursor, state),
    root: { step, alter: childNumber(root, "root-alter") ?? 0 },
    kind: harmonyKind(textOf(kindEl).trim()),
  };
  if (kindEl.attrs.text !== undefined) h.kindText = kindEl.attrs.text;
  const staff = childNumber(c, "staff");
  if (staff !== undefined && Number.isInteger(staff) && staff >= 1 && staff <= READ_LIMITS.maxStaves) h.staff = staff;
  const bass = child(c, "bass");
  const bs = bass ? childText(bass, "bass-step") ?? "" : "";
  if (bass && isStep(bs)) h.bass = { step: bs, alter: childNumber(bass, "bass-alter") ?? 0 };
  const degrees = elements(c, "degree").flatMap((d) => {
    const type = childText(d, "degree-type");
    const value = childNumber(d, "degree-value");
    if ((type !== "add" && type !== "alter" && type !== "subtract") || value === undefined) return [];
    return [{ value, alter: childNumber(d, "degree-alter") ?? 0, type: type as "add" | "alter" | "subtract" }];
  });
  if (degrees.length) h.degrees = degrees;
  return h;
}

const HARMONY_KINDS = [
  "major", "minor", "augmented", "diminished", "dominant", "major-seventh", "minor-seventh", "diminished-seventh",
  "augmented-seventh", "half-diminished", "major-minor", "major-sixth", "minor-sixth", "dominant-ninth", "major-ninth",
  "minor-ninth", "dominant-11th", "major-11th", "minor-11th", "dominant-13th", "major-13th", "minor-13th",
  "suspended-second", "suspended-fourth", "Neapolitan", "Italian", "French", "German", "pedal", "power", "Tristan",
  "other", "none",
];

/** MusicXML's kind values; some writers use their own spelling ("tristan", "minor-major"). */
function harmonyKind(k: string): string {
  if (k === "") return "none";
  if (k === "minor-major") return "major-minor";
  return HARMONY_KINDS.find((h) => h.toLowerCase() === k.toLowerCase()) ?? "other";
}

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
