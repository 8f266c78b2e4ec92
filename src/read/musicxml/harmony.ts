/** MusicXML `<harmony>`: a chord symbol's root, kind, bass and degrees. */
import type { Fraction } from "../../model/fraction.js";
import { transposeHarmony } from "../../model/harmony.js";
import { isStep } from "../../model/pitch.js";
import type { Harmony } from "../../model/score.js";
import { child, childNumber, childText, elements, textOf, type XmlElement } from "../../xml/tree.js";
import { READ_LIMITS } from "../limits.js";
import { type Mutable, offsetOf, type PartState } from "./part-state.js";

/** A chord symbol at the cursor (or its `<offset>`), at sounding pitch; undefined when it has no root or kind Tutti can read. */
export function readHarmony(c: XmlElement, cursor: Fraction, state: PartState): Harmony | undefined {
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
  // A transposing part's symbols are written, like its notes: the model holds them sounding.
  const t = state.transpose;
  return t ? transposeHarmony(h, t.diatonic, t.chromatic) : h;
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
