/** MusicXML `<direction>`: dynamics, words, tempo marks, wedges, pedals and the other items of a direction, with its `<sound>`. */
import { eq, type Fraction } from "../../model/fraction.js";
import { type Direction, type DirectionItem, DYNAMICS, JUMPS, type NoteType, type Sound } from "../../model/score.js";
import { NOTE_TYPES } from "../../model/durations.js";
import { child, childText, elements, textOf, type XmlElement } from "../../xml/tree.js";
import { type Mutable, offsetOf, type PartState, staffOf } from "./part-state.js";

/** A direction at the cursor (or its `<offset>`); undefined when it holds nothing Tutti keeps. */
export function readDirection(c: XmlElement, cursor: Fraction, state: PartState, where: string): Direction | undefined {
  const items: DirectionItem[] = [];
  for (const dt of elements(c, "direction-type")) {
    for (const e of elements(dt)) {
      const item = readDirectionItem(e);
      if (item) items.push(item);
    }
  }
  const snd = child(c, "sound");
  const sound: Mutable<Sound> = {};
  if (snd) {
    const tempo = Number(snd.attrs.tempo);
    if (snd.attrs.tempo !== undefined && Number.isFinite(tempo) && tempo > 0 && tempo <= 1000) sound.tempo = tempo;
    const dyn = Number(snd.attrs.dynamics);
    if (snd.attrs.dynamics !== undefined && Number.isFinite(dyn) && dyn >= 0) sound.dynamics = dyn;
    for (const jump of JUMPS) {
      const value = snd.attrs[jump]?.trim();
      if (value) sound[jump] = value;
    }
  }
  const sounds = Object.keys(sound).length > 0;
  if (items.length === 0 && !sounds) return undefined;
  const offset = offsetOf(c, cursor, state);
  const d: Mutable<Direction> = { offset, staff: staffOf(c, where, "a direction"), items };
  const voice = childText(c, "voice");
  if (voice) d.voice = voice;
  const pl = c.attrs.placement;
  if (pl === "above" || pl === "below") d.placement = pl;
  if (sounds) d.sound = sound;
  return d;
}

/** One child of `<direction-type>` as a model item; undefined for those the model does not carry. */
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

/** The marks of a `<dynamics>` ("p", "sfz"), an `<other-dynamics>` by its text; shared by directions and notations. */
export function dynamicValues(d: XmlElement): string[] {
  return elements(d).map((v) => (v.name === "other-dynamics" ? textOf(v).trim() : v.name));
}

/**
 * A dynamic some editors write as a mark and a word set beside it: "f" and then the italic "z" of
 * fz (Der Lindenbaum, mm. 45–49, in the corpus's copy), which read apart are a forte and a stray
 * "z". Where a direction holds only such a word, struck at the same moment on the same staff as a
 * dynamic before it that it completes, the word joins that dynamic (f + z → fz, s + fz → sfz,
 * f + p → fp): that direction with the joined dynamic, or undefined where the word stays a word.
 */
export function joinedDynamic(before: Direction | undefined, d: Direction): Direction | undefined {
  const word = d.items.length === 1 && d.items[0]!.kind === "words" ? d.items[0]!.text.trim() : undefined;
  if (!before || word === undefined || !/^[a-z]{1,3}$/.test(word) || before.staff !== d.staff || !eq(before.offset, d.offset)) return undefined;
  const last = before.items[before.items.length - 1];
  if (last?.kind !== "dynamics" || last.values.length !== 1) return undefined;
  const joined = last.values[0]! + word;
  if (!(DYNAMICS as readonly string[]).includes(joined)) return undefined;
  return { ...before, items: [...before.items.slice(0, -1), { kind: "dynamics", values: [joined] }] };
}
