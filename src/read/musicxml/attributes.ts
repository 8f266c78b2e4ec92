/** A MusicXML `<attributes>` element: divisions, transposition, key, time, staves and clefs, and how later ones merge into earlier. */
import { clip, TuttiError } from "../../model/errors.js";
import { frac, gt } from "../../model/fraction.js";
import { intervalFifths, isStep, type Step } from "../../model/pitch.js";
import type { Attributes, Clef, KeySignature, StaffClef, TimeSignature, Transposition } from "../../model/score.js";
import { timeLength } from "../../model/time.js";
import { child, childNumber, childText, elements, textOf, type XmlElement } from "../../xml/tree.js";
import { READ_LIMITS } from "../limits.js";
import type { Mutable, PartState } from "./part-state.js";

/** Attributes `b` over `a`: clefs and staff keys merge staff by staff, anything else `b` gives replaces `a`'s. */
export function mergeAttributes(a: Attributes, b: Attributes): Attributes {
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

/** Reads one `<attributes>`; divisions, transposition, time and staves also update the part's running state. */
export function readAttributes(el: XmlElement, state: PartState, where: string): Attributes {
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

/** A `<key>` in concert pitch (a transposing part's written key moved by its `<transpose>`); undefined when it names no key. */
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

/** A `<time>`; whole-number beats only, so that every measure lasts an exact fraction of a whole note. */
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
