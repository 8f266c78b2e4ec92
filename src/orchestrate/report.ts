/**
 * The report's words: why a part got a line (from its cost terms), intervals and parts named for
 * people, and the whole report as text (`summarise`).
 */
import type { Choice, CostTerms, Segment } from "./costs.js";
import type { Report } from "./plan.js";
import { groupBy } from "../util/group.js";
import type { Slot } from "./slots.js";

/** A readable summary of a report: per phrase, who plays what and why, what was doubled, moved or left out. */
export function summarise(report: Report): string {
  const out: string[] = [];
  out.push(`${report.ensemble} (${report.style} style), arrangement ${report.rank}, cost ${report.cost}`);
  out.push(
    `notes: ${report.notes.placed} of ${report.notes.sketch} placed${report.notes.leftOut ? `, ${report.notes.leftOut} left out` : ""}` +
      (report.notes.graces || report.notes.gracesLeftOut ? `; grace notes: ${report.notes.graces} placed${report.notes.gracesLeftOut ? `, ${report.notes.gracesLeftOut} left out (no part plays the note they lead to)` : ""}` : ""),
  );
  if (report.chordSymbols) out.push(`chord symbols: ${report.chordSymbols}`);
  for (const i of report.instruments ?? []) out.push(`instrument: ${i}`);
  for (const p of report.phrases) {
    out.push(`phrase ${p.phrase}, measures ${p.measures}, ${p.dynamic}:`);
    for (const a of p.assignments) out.push(`  line ${a.line} (${a.role}) → ${a.part}${a.octaves ? ` ${a.octaves > 0 ? "+" : ""}${a.octaves} oct` : ""}: ${a.why} [cost ${a.cost.total}]`);
    for (const d of p.doublings) out.push(`  doubled: line ${d.line} in ${d.part}, ${d.interval} (${d.reason})`);
    for (const m of p.moved) out.push(`  moved: ${m.pitch} in m. ${m.measure} (${m.part}) by ${m.octaves > 0 ? "+" : ""}${m.octaves} octave${Math.abs(m.octaves) === 1 ? "" : "s"}`);
    for (const b of p.balance) out.push(`  balance: ${b}`);
    for (const c of p.colour) out.push(`  colour: ${c}`);
    for (const g of groupBy(p.filled, (f) => `${f.part}\n${f.reason}`).values()) out.push(`  filled: ${notesIn(g)} given to ${g[0]!.part} (${g[0]!.reason})`);
    for (const g of groupBy(p.leftOut, (l) => l.reason).values()) out.push(`  left out: ${notesIn(g)} (${g[0]!.reason})`);
  }
  for (const t of report.tacet) out.push(`tacet: ${t.part} — ${t.reason}`);
  return out.join("\n");
}

/** How many pitches to name before the rest of a group is counted. */
const NAMED = 4;

/**
 * Notes of one decision in a line of the report: "E♭5 in m. 12" for one; for more, their count,
 * measures (runs of numbers as ranges) and first few pitches: "12 notes in mm. 5–8, 11 (F5, D♭5,
 * A♭4, F5, …)". The report's data keeps every note.
 */
function notesIn(given: readonly { readonly pitch: string; readonly measure: string }[]): string {
  if (given.length === 1) return `${given[0]!.pitch} in m. ${given[0]!.measure}`;
  // In the order of the measures, whichever stage found them first ("mm. 14–16", not "mm. 14, 16, 15").
  const notes = [...given].sort((a, b) => measureNumber(a.measure) - measureNumber(b.measure));
  const labels = [...new Set(notes.map((n) => n.measure))];
  const pitches = notes.slice(0, NAMED).map((n) => n.pitch).join(", ") + (notes.length > NAMED ? ", …" : "");
  return `${notes.length} notes in ${labels.length === 1 ? "m." : "mm."} ${measureRanges(labels)} (${pitches})`;
}

/** A measure label's number, for ordering ("12a": 12); a label without one goes last. */
function measureNumber(label: string): number {
  const n = Number.parseInt(label, 10);
  return Number.isNaN(n) ? Number.MAX_SAFE_INTEGER : n;
}

/** Measure labels with runs of consecutive numbers as ranges: "5–8, 11, 12a". */
function measureRanges(labels: readonly string[]): string {
  const out: string[] = [];
  let from: number | undefined;
  let to: number | undefined;
  const close = (): void => {
    if (from !== undefined) out.push(from === to ? `${from}` : `${from}–${to}`);
    from = to = undefined;
  };
  for (const label of labels) {
    const n = /^\d+$/.test(label) ? Number(label) : undefined;
    if (n !== undefined && to !== undefined && n === to + 1) to = n;
    else {
      close();
      if (n === undefined) out.push(label);
      else from = to = n;
    }
  }
  close();
  return out.join(", ");
}

/** Why a part that never plays is silent. */
export function tacetReason(s: Slot): string {
  if (s.instrument.orchestration?.decorative) return "no idiomatic material: this colour is kept for the piece's loudest phrases (f or louder), and the sketch has none it fits";
  return "every line was better placed in another part, and no doubling was called for";
}

/** Why a part got its line, from the terms of its cost. */
export function explain(seg: Segment, c: Choice, slot: Slot): string {
  const parts: string[] = [`${seg.role} in ${slot.name}`];
  if (c.shift) parts.push(`moved ${intervalName(c.shift)} to fit the range`);
  if (c.fixes.size) parts.push(`${c.fixes.size} note(s) moved by an octave`);
  if (c.terms.comfort === 0) parts.push("all notes in the comfortable range");
  else parts.push(`some notes outside the comfortable range (cost ${round(c.terms.comfort)})`);
  if (c.terms.timbre < 0) parts.push("singing register");
  if (c.terms.timbre > 0) parts.push("weak register for a melody");
  if (c.terms.continuity < 0) parts.push("keeps the line it had");
  if (c.terms.continuity > 0) parts.push("takes the line over at the phrase start");
  if (c.terms.under > 0) parts.push(`some notes under the sketch's bass (cost ${round(c.terms.under)})`);
  if (c.terms.held > 0) parts.push(`cuts short the bass its part holds from before (by ${round(c.terms.held)} of a whole note)`);
  if (c.terms.idiom > 0) parts.push(`idiom cost ${round(c.terms.idiom)} (family preference, breath, agility, register dynamics)`);
  return parts.join("; ");
}

/** "unison", "an octave above", "2 octaves below". */
export function intervalName(shift: number): string {
  if (shift === 0) return "unison";
  const o = Math.abs(shift) / 12;
  return `${o === 1 ? "an octave" : `${o} octaves`} ${shift > 0 ? "above" : "below"}`;
}

/** To two decimals, for the report. */
export const round = (x: number): number => Math.round(x * 100) / 100;

/** Every cost term to two decimals. */
export function roundTerms(t: CostTerms): CostTerms {
  return {
    range: round(t.range),
    comfort: round(t.comfort),
    octave: round(t.octave),
    register: round(t.register),
    timbre: round(t.timbre),
    continuity: round(t.continuity),
    idiom: round(t.idiom),
    under: round(t.under),
    held: round(t.held),
  };
}
