/** A MusicXML `<note>`: its pitch (made sounding), notated value, tuplet, beams, ties, accidental and lyrics, as a note or rest event. */
import { TuttiError } from "../../model/errors.js";
import type { Fraction } from "../../model/fraction.js";
import { isStep, midiOf, nameOf, pitch, transpose } from "../../model/pitch.js";
import type { Accidental, Beam, Event, Lyric, NotatedValue, Note, NoteEvent, NoteType, TupletMark, TupletRatio } from "../../model/score.js";
import { NOTE_TYPES } from "../../model/durations.js";
import { child, childNumber, childText, elements, textOf, type XmlElement } from "../../xml/tree.js";
import { mergeNotations } from "./notations.js";
import type { Mutable, PartState } from "./part-state.js";

/** The note's `<type>` and dots, when it names a value MusicXML knows. */
export function readNotated(c: XmlElement): NotatedValue | undefined {
  const type = childText(c, "type");
  if (!type || !(NOTE_TYPES as readonly string[]).includes(type)) return undefined;
  // Eight dots is past any use; more would overflow the exact duration of the value.
  return { type: type as NoteType, dots: Math.min(8, elements(c, "dot").length) };
}

/** The note's `<time-modification>` (3 in the time of 2), when its numbers are sane. */
export function readTuplet(c: XmlElement): TupletRatio | undefined {
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

/** What a note or rest event takes from where it stands in the measure and from its notated value. */
export interface Common {
  onset: Fraction;
  duration: Fraction;
  voice: string;
  staff: number;
  notated: NotatedValue | undefined;
  tuplet: TupletRatio | undefined;
}

/** The fields rests and notes share: notated value, tuplet, cue, beams, tuplet marks, fermata. */
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

/** A rest event: measure rest, display position, and what every event has. */
export function readRest(c: XmlElement, common: Common): Event {
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

/** One note's pitch (sounding, through the part's `<transpose>`) or unpitched position, ties, accidental, notehead and instrument. */
export function readNote(c: XmlElement, state: PartState, where: string): Note {
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

/**
 * A new note event for the first note of a chord: grace, stem, notations, lyrics and what every
 * event has; and the dynamics written among its notations, which the measure makes directions.
 */
export function readNoteEvent(c: XmlElement, note: Note, common: Common): { event: Mutable<NoteEvent>; dynamics: string[][] } {
  const ev: Mutable<NoteEvent> = {
    kind: "note",
    onset: common.onset,
    duration: common.duration,
    voice: common.voice,
    staff: common.staff,
    notes: [note],
  };
  const grace = child(c, "grace");
  if (grace) ev.grace = { slash: grace.attrs.slash === "yes" };
  const stem = childText(c, "stem");
  if (stem === "up" || stem === "down" || stem === "none" || stem === "double") ev.stem = stem;
  const dynamics: string[][] = [];
  mergeNotations(ev, c, dynamics);
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
  return { event: applyCommon(ev, c, common), dynamics };
}
