/**
 * From an analysed sketch and an ensemble to a full score and an explanation of it.
 *
 * Phrase by phrase: assign every line a principal part (assign.ts), place what no part could
 * take, double melody and bass in the free parts as the style and the dynamic ask, and check the
 * balance (the melody must carry over each accompanying line at the marked dynamic); then write
 * one part per instrument in score order (score.ts).
 */
import { sketchNotes } from "../analyse/notes.js";
import type { Analysis, LineNote, Phrase, Role } from "../analyse/types.js";
import { type Database, type Ensemble, isPlayableDoubleStop } from "../instruments/index.js";
import { framesOf, type MeasureFrame } from "../model/build.js";
import { add, cmp, type Fraction, frac, ge, gt, le, lt, mul, sub } from "../model/fraction.js";
import { midiOf, nameOf, type Pitch, pitchClass, transpose } from "../model/pitch.js";
import type { Score, TimeSignature } from "../model/score.js";
import { dealBySpan, lastAtOrBefore, timeKey } from "../model/search.js";
import { firstTempo, measureStarts } from "../model/time.js";
import { assign, chooseAt, dynamicMisfit, medianMidi, registerOrder, type AssignContext, type Choice, type CostTerms, type Segment } from "./assign.js";
import { levelOf, loudness, slotsOf, type Slot } from "./slots.js";
import { writeArrangement } from "./score.js";
import { pushTo } from "../model/group.js";

export type Style = "plain" | "rich";

export interface ArrangeOptions {
  /** "plain": one part per line, doublings only to fix balance; "rich" (default): doublings by dynamic. */
  readonly style?: Style;
  /** How many ranked arrangements to return (default 1). */
  readonly alternatives?: number;
}

export interface Arrangement {
  readonly score: Score;
  readonly report: Report;
}

export interface Report {
  readonly ensemble: string;
  readonly style: Style;
  /** Rank among the alternatives, 1 = best. */
  readonly rank: number;
  /** Sum of the principal assignments' costs; lower is better. */
  readonly cost: number;
  readonly phrases: readonly PhraseReport[];
  /** Parts that never play, and why. */
  readonly tacet: readonly { readonly part: string; readonly reason: string }[];
  readonly notes: { readonly sketch: number; readonly placed: number; readonly leftOut: number; readonly graces: number; readonly gracesLeftOut: number };
}

export interface PhraseReport {
  /** 1-based, in order. */
  readonly phrase: number;
  /** Measure numbers as printed: "1–4". */
  readonly measures: string;
  readonly dynamic: string;
  readonly assignments: readonly {
    readonly line: number;
    readonly role: Role;
    readonly part: string;
    readonly octaves: number;
    readonly cost: CostTerms & { readonly total: number };
    readonly why: string;
  }[];
  readonly doublings: readonly { readonly line: number; readonly part: string; readonly interval: string; readonly reason: string }[];
  readonly moved: readonly { readonly line: number; readonly part: string; readonly measure: string; readonly pitch: string; readonly octaves: number }[];
  readonly balance: readonly string[];
  readonly filled: readonly { readonly part: string; readonly measure: string; readonly pitch: string; readonly reason: string }[];
  readonly leftOut: readonly { readonly measure: string; readonly pitch: string; readonly reason: string }[];
}

/** A line's notes placed in one part, with the octave it is played at. */
export interface Placement {
  readonly phrase: number;
  readonly slot: number;
  readonly line: number;
  readonly notes: readonly LineNote[];
  readonly shift: number;
  readonly fixes: ReadonlyMap<number, number>;
  readonly principal: boolean;
  /** Upper (1) or lower (2) of two lines sharing the part. */
  readonly voice: 1 | 2;
}

const SOFTER: Readonly<Record<string, string>> = { fff: "ff", ff: "f", f: "mf", mf: "mp", mp: "p", p: "pp", pp: "ppp" };

/**
 * Arranges an analysed sketch for an ensemble; returns the best arrangement first, then alternatives.
 * @example arrangeAnalysed(sketch, analyse(sketch), ensemble(db, "string-quartet"), db)[0].score.parts.length // 4
 */
export function arrangeAnalysed(sketch: Score, analysis: Analysis, ens: Ensemble, db: Database, options: ArrangeOptions = {}): Arrangement[] {
  const style = options.style ?? "rich";
  const count = Math.max(1, options.alternatives ?? 1);
  const slots = slotsOf(db, ens);
  const results: Arrangement[] = [];
  // Each alternative avoids the melody parts the better ones chose.
  const used = new Set<string>();
  for (let k = 0; k < count; k++) {
    const penalty = (line: number, slot: number): number => (used.has(`${line}:${slot}`) ? 4 : 0);
    const plan = planArrangement(sketch, analysis, slots, style, penalty);
    for (const p of plan.placements) if (p.principal && plan.melodyLines.has(p.line)) used.add(`${p.line}:${p.slot}`);
    results.push({ score: writeArrangement(sketch, slots, plan, ens), report: { ...plan.report, ensemble: ens.id, style, rank: 0, cost: plan.cost } });
  }
  return results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.report.cost - b.r.report.cost || a.i - b.i)
    .map(({ r }, i) => ({ ...r, report: { ...r.report, rank: i + 1 } }));
}

/** A grace note of the sketch, given to the part that plays the note it leads to. */
export interface PlacedGrace {
  readonly slot: number;
  readonly onset: Fraction;
  /** Sounding pitches, already at the octave of the part's main note. */
  readonly pitches: readonly Pitch[];
  readonly slash: boolean;
}

export interface Plan {
  readonly placements: readonly Placement[];
  readonly graces: readonly PlacedGrace[];
  /** Dynamic per (slot, phrase), after balancing. */
  readonly dynamics: ReadonlyMap<string, string>;
  readonly melodyLines: ReadonlySet<number>;
  readonly cost: number;
  readonly report: Omit<Report, "ensemble" | "style" | "rank" | "cost">;
}

/** Seconds a whole note lasts at the sketch's tempo (a quarter at 100 where it gives none). */
function secondsPerWhole(sketch: Score): number {
  return (4 * 60) / (firstTempo(sketch) ?? 100);
}

function planArrangement(sketch: Score, analysis: Analysis, slots: readonly Slot[], style: Style, penalty: AssignContext["penalty"]): Plan {
  const frames = framesOf(sketch.parts[0]!);
  const frameStarts = frames.map((f) => f.start);
  const measureLabel = (t: Fraction): string => frames[Math.max(0, lastAtOrBefore(frameStarts, t))]?.number ?? "?";
  const spw = secondsPerWhole(sketch);
  const roleOf = new Map(analysis.roles.map((r) => [`${r.line}:${r.phrase}`, r.role]));
  const figures = new Map(analysis.roles.flatMap((r) => (r.figure ? [[`${r.line}:${r.phrase}`, r.figure] as const] : [])));
  const figureOf = (line: number, phrase: number): string | undefined => figures.get(`${line}:${phrase}`);
  const placements: Placement[] = [];
  const dynamics = new Map<string, string>();
  const melodyLines = new Set<number>();
  const phraseReports: PhraseReport[] = [];
  let previous = new Map<number, number>();
  let cost = 0;
  let leftOutTotal = 0;
  const strays = straysOf(sketch, analysis);
  const inPhrase = phraseNotes(analysis, strays);
  // Placements of earlier phrases that may still sound in this one (by index, in order): see `stillSounding`.
  let live: number[] = [];
  const order = registerOrder(slots);
  // The lines that carry most of the music (as many as there are parts), top to bottom, each to
  // the part of the same rank; small overflow lines (double stops, a big chord) have no home.
  const main = [...analysis.lines].sort((a, b) => b.notes.length - a.notes.length || a.index - b.index).slice(0, order.length).sort((a, b) => a.index - b.index);
  const home = new Map(main.map((l, k) => [l.index, order[k]!.index] as [number, number]));

  analysis.phrases.forEach((phrase, pi) => {
    const found: Segment[] = analysis.lines
      .map((line, li) => ({ line: line.index, role: roleOf.get(`${line.index}:${phrase.index}`) ?? ("inner" as Role), notes: inPhrase.line(li, pi) }))
      .filter((s) => s.notes.length > 0)
      .sort((a, b) => a.line - b.line);
    const segments: Segment[] = withHarmonicBass(leadingMelody(found), figureOf, phrase, frames, slots.length).map((s, _, all) => ({ ...s, redundancy: redundancy(s, all) }));
    if (segments.length === 0) return;
    for (const s of segments) if (s.role === "melody") melodyLines.add(s.line);
    const level = levelOf(phrase.dynamic);
    const ctx: AssignContext = { secondsPerWhole: spw, previous, home, level, ...(penalty ? { penalty } : {}) };
    const result = assign(segments, slots, ctx);
    cost += result.total;
    const report: {
      assignments: PhraseReport["assignments"][number][];
      doublings: PhraseReport["doublings"][number][];
      moved: PhraseReport["moved"][number][];
      balance: string[];
      filled: PhraseReport["filled"][number][];
      leftOut: PhraseReport["leftOut"][number][];
    } = { assignments: [], doublings: [], moved: [], balance: [], filled: [], leftOut: [] };

    // Principal parts. Two lines on one part: the upper is voice 1.
    const bySlot = new Map<number, number[]>();
    for (const [line, c] of result.principal) bySlot.set(c.slot, [...(bySlot.get(c.slot) ?? []), line].sort((a, b) => a - b));
    const phrasePlacements: Placement[] = [];
    for (const seg of segments) {
      const c = result.principal.get(seg.line);
      if (!c) continue;
      const voice = (bySlot.get(c.slot)?.indexOf(seg.line) ?? 0) === 0 ? 1 : 2;
      phrasePlacements.push({ phrase: phrase.index, slot: c.slot, line: seg.line, notes: seg.notes, shift: c.shift, fixes: c.fixes, principal: true, voice });
      const slot = slots[c.slot]!;
      report.assignments.push({
        line: seg.line,
        role: seg.role,
        part: slot.name,
        octaves: c.shift / 12,
        cost: { ...roundTerms(c.terms), total: round(c.total) },
        why: (seg.line >= DERIVED ? `the harmonic bass of line ${seg.line - DERIVED}'s accompaniment figure, sustained; ` : "") + explain(seg, c, slot),
      });
      c.fixes.forEach((semis, i) => {
        const n = seg.notes[i]!;
        report.moved.push({ line: seg.line, part: slot.name, measure: measureLabel(n.onset), pitch: nameOf(n.pitch), octaves: semis / 12 });
      });
    }

    // Lines no part could take, and notes the analysis gave no line, before any doubling: keep every
    // note whose pitch class is not already sounding at its onset, in a part that is free at that moment.
    const loose: { line: number; notes: readonly LineNote[] }[] = [
      ...result.unplaced.map((line) => ({ line, notes: segments.find((s) => s.line === line)!.notes })),
      { line: 0, notes: inPhrase.strays(pi) },
    ];
    let moved: string | undefined;
    // Only placements still sounding near this phrase can meet its notes; `earlier` is where the
    // helpers below see (and cutShort changes) them, copied back after.
    live = live.filter((i) => stillSounding(placements[i]!, phrase.start));
    const earlier = live.map((i) => placements[i]!);
    for (const { line, notes } of loose) {
      for (const n of notes) {
        // At its own pitch where a part is free (a double stop on a string instrument counts);
        // otherwise, if its pitch class sounds anyway, it may go; otherwise at another octave.
        const all = [...earlier, ...phrasePlacements];
        let home = fillSlot(n, slots, all, [0]);
        if (!home && covered(n, phrasePlacements)) {
          report.leftOut.push({ measure: measureLabel(n.onset), pitch: nameOf(n.pitch), reason: "its pitch class already sounds at that moment in another part" });
          continue;
        }
        home ??= fillSlot(n, slots, all, [12, -12, 24, -24]);
        if (home) {
          phrasePlacements.push({ phrase: phrase.index, slot: home.slot.index, line, notes: [n], shift: home.shift, fixes: new Map(), principal: false, voice: home.voice });
          if (!dynamics.has(`${home.slot.index}:${phrase.index}`)) dynamics.set(`${home.slot.index}:${phrase.index}`, phrase.dynamic);
          report.filled.push({ part: home.slot.name, measure: measureLabel(n.onset), pitch: nameOf(n.pitch), reason: line ? `line ${line} had no part of its own` : "the analysis gave it no line" });
        } else if ((moved = makeRoom(n, line, phrase.index, slots, earlier, phrasePlacements))) {
          report.filled.push({ part: moved, measure: measureLabel(n.onset), pitch: nameOf(n.pitch), reason: "another part took over what this part was playing" });
        } else if ((moved = takeOver(n, line, phrase.index, slots, phrasePlacements))) {
          report.filled.push({ part: moved, measure: measureLabel(n.onset), pitch: nameOf(n.pitch), reason: "took the place of a doubled chord note struck with it" });
        } else if ((moved = cutShort(n, line, phrase.index, slots, [earlier, phrasePlacements]))) {
          report.filled.push({ part: moved, measure: measureLabel(n.onset), pitch: nameOf(n.pitch), reason: "the part ends a held note early to play it" });
        } else {
          leftOutTotal++;
          report.leftOut.push({ measure: measureLabel(n.onset), pitch: nameOf(n.pitch), reason: "no part in range was free" });
        }
      }
    }


    // Doublings in free parts.
    const busy = new Set(phrasePlacements.map((p) => p.slot));
    // Strings double first (basses under the cellos, second violins with the firsts), then winds, then brass.
    const free = slots.filter((s) => !busy.has(s.index)).sort((a, b) => familyRank(a) - familyRank(b) || a.index - b.index);
    const melody = segments.find((s) => s.role === "melody");
    const bass = segments.find((s) => s.role === "bass");
    const limits = style === "plain" ? { melody: 0, bass: 0, inner: 0 } : level === "p" ? { melody: 1, bass: 1, inner: 0 } : level === "mf" ? { melody: 2, bass: 2, inner: 1 } : { melody: 99, bass: 99, inner: 99 };
    const doubled = new Map<number, number>();
    const addDoubling = (seg: Segment, slot: Slot, reason: string, given?: Choice): boolean => {
      const c = given ?? doublingChoice(seg, slot, ctx, DOUBLING[slot.instrument.id]?.shifts);
      if (!c) return false;
      phrasePlacements.push({ phrase: phrase.index, slot: slot.index, line: seg.line, notes: seg.notes, shift: c.shift, fixes: c.fixes, principal: false, voice: 1 });
      busy.add(slot.index);
      doubled.set(seg.line, (doubled.get(seg.line) ?? 0) + 1);
      report.doublings.push({ line: seg.line, part: slot.name, interval: intervalName(c.shift), reason });
      return true;
    };
    for (const slot of free) {
      if (busy.has(slot.index)) continue;
      const pref = DOUBLING[slot.instrument.id];
      if (!pref || (pref.loud && level !== "f")) continue;
      for (const target of pref.targets) {
        const candidates =
          target === "melody" ? (melody ? [melody] : []) : target === "bass" ? (bass ? [bass] : []) : segments.filter((s) => s.role !== "melody" && s.role !== "bass");
        const open = candidates.filter((s) => (doubled.get(s.line) ?? 0) < limits[target]);
        const best = open
          .map((s) => ({ s, c: doublingChoice(s, slot, ctx, pref.shifts) }))
          .filter((x): x is { s: Segment; c: Choice } => !!x.c)
          .sort((a, b) => a.c.total - b.c.total)[0];
        const reason =
          target === "melody" ? `melody doubled at ${phrase.dynamic} (${style} style)` : target === "bass" ? `bass reinforced at ${phrase.dynamic}` : `harmony filled out at ${phrase.dynamic}`;
        if (best && addDoubling(best.s, slot, reason, best.c)) break;
      }
    }

    // Balance: the melody must carry over every accompanying line at the marked dynamic.
    for (const p of phrasePlacements) dynamics.set(`${p.slot}:${phrase.index}`, phrase.dynamic);
    if (melody) {
      const loudOf = (line: number): { value: number; parts: Placement[] } => {
        const parts = phrasePlacements.filter((p) => p.line === line);
        const seg = segments.find((s) => s.line === line)!;
        const values = parts.map((p) => loudness(slots[p.slot]!, medianMidi(seg.notes) + p.shift, level));
        // Unison and octave doublings add weight: one step each, up to three.
        return { value: Math.max(0, ...values) + Math.min(3, Math.max(0, values.length - 1)), parts };
      };
      let mel = loudOf(melody.line).value;
      const melMedian = medianMidi(melody.notes);
      for (const seg of segments) {
        if (seg.line === melody.line) continue;
        // A line masks the melody most in its own register; each sixth of distance beyond a fifth takes a step off.
        const apart = Math.max(0, Math.abs(medianMidi(seg.notes) - melMedian) - 7) / 9;
        const raw = loudOf(seg.line);
        const other = { value: raw.value - apart, parts: raw.parts };
        if (other.value < mel) continue;
        // Double the melody where a part is free, otherwise thin the accompaniment.
        const extra = slots.find((s) => !busy.has(s.index) && DOUBLING[s.instrument.id]?.targets.includes("melody") && doublingChoice(melody, s, ctx, DOUBLING[s.instrument.id]?.shifts));
        if (extra && addDoubling(melody, extra, `balance: the melody (${round(mel)}) was covered by line ${seg.line} (${round(other.value)})`)) {
          dynamics.set(`${extra.index}:${phrase.index}`, phrase.dynamic);
          mel = loudOf(melody.line).value;
          if (other.value < mel) continue;
        }
        for (const p of other.parts) {
          const k = `${p.slot}:${phrase.index}`;
          const softer = SOFTER[dynamics.get(k) ?? phrase.dynamic] ?? "pp";
          dynamics.set(k, softer);
          report.balance.push(`${slots[p.slot]!.name} marked ${softer} under the melody (line ${seg.line} ${round(other.value)} ≥ melody ${round(mel)} at ${phrase.dynamic})`);
        }
      }
    }

    live.forEach((i, k) => (placements[i] = earlier[k]!));
    for (let k = 0; k < phrasePlacements.length; k++) live.push(placements.length + k);
    placements.push(...phrasePlacements);
    previous = new Map([...previous, ...[...result.principal].map(([line, c]) => [line, c.slot] as [number, number])]);
    phraseReports.push({
      phrase: phraseReports.length + 1,
      measures: `${measureLabel(phrase.start)}–${measureLabel(phrase.end.n > 0 ? add(phrase.end, { n: -1, d: 1024 }) : phrase.end)}`,
      dynamic: phrase.dynamic,
      ...report,
    });
  });

  const noteCount = analysis.lines.reduce((s, l) => s + l.notes.length, 0) + strays.length;
  const graces = placeGraces(sketch, slots, placements);
  const playing = new Set(placements.map((p) => p.slot));
  return {
    placements,
    graces: graces.placed,
    dynamics,
    melodyLines,
    cost: round(cost),
    report: {
      phrases: phraseReports,
      tacet: slots.filter((s) => !playing.has(s.index)).map((s) => ({ part: s.name, reason: tacetReason(s) })),
      notes: { sketch: noteCount, placed: noteCount - leftOutTotal, leftOut: leftOutTotal, graces: graces.placed.length, gracesLeftOut: graces.leftOut },
    },
  };
}

type Target = "melody" | "bass" | "inner";

/**
 * What a free part doubles, in order of preference, at which octaves (sounding, from the line),
 * and whether only at forte. After the common orchestration texts: flutes, oboes and violins on
 * the melody; piccolo and glockenspiel an octave above at forte; bassoons, cellos and basses on
 * the bass, contrabassoon and double bass an octave below; horns and trombones fill the harmony.
 */
const DOUBLING: Readonly<Record<string, { targets: readonly Target[]; shifts: readonly number[]; loud?: boolean }>> = {
  piccolo: { targets: ["melody"], shifts: [12], loud: true },
  flute: { targets: ["melody"], shifts: [0, 12] },
  "alto-flute": { targets: ["melody", "inner"], shifts: [0] },
  oboe: { targets: ["melody"], shifts: [0] },
  "english-horn": { targets: ["inner", "melody"], shifts: [0] },
  "clarinet-bb": { targets: ["melody", "inner"], shifts: [0, -12] },
  "clarinet-a": { targets: ["melody", "inner"], shifts: [0, -12] },
  "clarinet-eb": { targets: ["melody"], shifts: [0, 12], loud: true },
  "bass-clarinet": { targets: ["bass"], shifts: [0, -12] },
  bassoon: { targets: ["bass", "inner"], shifts: [0] },
  contrabassoon: { targets: ["bass"], shifts: [-12, 0], loud: true },
  "soprano-sax": { targets: ["melody"], shifts: [0] },
  "alto-sax": { targets: ["melody", "inner"], shifts: [0, -12] },
  "tenor-sax": { targets: ["inner", "melody"], shifts: [0, -12] },
  "baritone-sax": { targets: ["bass"], shifts: [0, -12] },
  "horn-f": { targets: ["inner", "melody"], shifts: [0] },
  "trumpet-bb": { targets: ["melody"], shifts: [0], loud: true },
  "trumpet-c": { targets: ["melody"], shifts: [0], loud: true },
  trombone: { targets: ["inner"], shifts: [0, -12], loud: true },
  "bass-trombone": { targets: ["bass"], shifts: [0, -12], loud: true },
  euphonium: { targets: ["inner", "bass"], shifts: [0], loud: true },
  tuba: { targets: ["bass"], shifts: [-12, 0], loud: true },
  glockenspiel: { targets: ["melody"], shifts: [12, 24], loud: true },
  violin: { targets: ["melody", "inner"], shifts: [0, -12] },
  viola: { targets: ["inner", "melody"], shifts: [0, -12] },
  cello: { targets: ["bass", "inner"], shifts: [0] },
  "double-bass": { targets: ["bass"], shifts: [-12, 0] },
  "bass-guitar": { targets: ["bass"], shifts: [-12, 0] },
  soprano: { targets: ["melody"], shifts: [0] },
  "mezzo-soprano": { targets: ["melody", "inner"], shifts: [0] },
  alto: { targets: ["inner"], shifts: [0] },
  tenor: { targets: ["inner", "melody"], shifts: [0, -12] },
  baritone: { targets: ["bass", "inner"], shifts: [0] },
  bass: { targets: ["bass"], shifts: [0] },
};
const DECORATIVE_ONLY = new Set(["timpani", "glockenspiel", "xylophone", "celesta", "vibraphone", "marimba"]);

const FAMILY_RANK: Readonly<Record<string, number>> = { strings: 0, voice: 0, woodwind: 1, brass: 2, keyboard: 3, plucked: 3, percussion: 4 };

function familyRank(s: Slot): number {
  return FAMILY_RANK[s.instrument.family] ?? 5;
}

function tacetReason(s: Slot): string {
  if (DECORATIVE_ONLY.has(s.instrument.id)) return "no idiomatic material: the sketch has no line for this colour at a fitting dynamic";
  return "every line was better placed in another part, and no doubling was called for";
}

/** How a free part doubles a line at one of its octaves: all notes in range, nearly all comfortable. */
function doublingChoice(seg: Segment, slot: Slot, ctx: AssignContext, shifts: readonly number[] = [0]): Choice | undefined {
  for (const shift of shifts) {
    const c = chooseAt(seg, slot, shift, { ...ctx, previous: new Map() });
    // A doubling must sit comfortably and in a register that makes the dynamic.
    const midis = seg.notes.map((n) => midiOf(n.pitch) + shift);
    if (c && c.fixes.size === 0 && c.terms.comfort <= 2 && (!ctx.level || dynamicMisfit(slot.instrument, midis, ctx.level) === 0)) return c;
  }
  return undefined;
}

/**
 * A placement of an earlier phrase can meet a note of this one (struck at `start` or later) only
 * while one of its notes sounds, or ends less than half a measure before (what `fillSlot` looks at).
 */
function stillSounding(p: Placement, start: Fraction): boolean {
  return p.notes.some((m) => gt(add(add(m.onset, m.duration), frac(1, 2)), start));
}

/**
 * Each line's notes in a phrase, with the unisons it shares: where two voices meet on one sketch
 * note, the separator gives the note to one line and lists the other in `shared`; both parts play
 * it. And the notes no line holds, by phrase. Dealt out once (see `dealBySpan`).
 */
function phraseNotes(analysis: Analysis, strays: readonly LineNote[]): { line: (li: number, pi: number) => readonly LineNote[]; strays: (pi: number) => readonly LineNote[] } {
  const { lines, phrases } = analysis;
  const dealt = lines.map((l) => dealBySpan(l.notes, phrases));
  const dealtStrays = dealBySpan(strays, phrases);
  const notesOf = (li: number, pi: number): readonly LineNote[] => dealt[li]![pi]!;
  return {
    line: (li, pi) => {
      const index = lines[li]!.index;
      const own = notesOf(li, pi);
      const shared = lines.flatMap((l, k) => (l.index === index ? [] : notesOf(k, pi).filter((n) => n.shared?.includes(index))));
      if (shared.length === 0) return own;
      return [...own, ...shared].sort((a, b) => cmp(a.onset, b.onset));
    },
    strays: (pi) => dealtStrays[pi]!,
  };
}

/**
 * A melody of a note or two in a phrase (a chord's top note left alone in a line) is no melody to
 * give the best part: the busiest line other than the bass leads instead, the highest on a tie.
 */
function leadingMelody(segments: readonly Segment[]): Segment[] {
  const melody = segments.find((s) => s.role === "melody");
  if (!melody || melody.notes.length >= 4) return [...segments];
  const lead = segments.filter((s) => s.role !== "bass" && s !== melody).sort((a, b) => b.notes.length - a.notes.length || a.line - b.line)[0];
  if (!lead || lead.notes.length < 4 * melody.notes.length) return [...segments];
  return segments.map((s) => (s === melody ? { ...s, role: "inner" } : s === lead ? { ...s, role: "melody" } : s));
}

/**
 * Grace notes go with the note they lead to: to the part that plays a note at their onset (the
 * principal part first, then the nearest in pitch), at that part's octave.
 */
function placeGraces(sketch: Score, slots: readonly Slot[], placements: readonly Placement[]): { placed: PlacedGrace[]; leftOut: number } {
  const placed: PlacedGrace[] = [];
  let leftOut = 0;
  // The placed notes struck at each moment, in placement order; made when the first grace note asks.
  let struckAt: Map<string, { p: Placement; n: LineNote; k: number }[]> | undefined;
  const struck = (onset: Fraction): { p: Placement; n: LineNote; k: number }[] => {
    if (!struckAt) {
      struckAt = new Map();
      for (const p of placements) {
        p.notes.forEach((n, k) => pushTo(struckAt!, timeKey(n.onset), { p, n, k }));
      }
    }
    return struckAt.get(timeKey(onset)) ?? [];
  };
  for (const part of sketch.parts) {
    const starts = measureStarts(part);
    part.measures.forEach((m, mi) => {
      for (const ev of m.events) {
        if (ev.kind !== "note" || !ev.grace || ev.cue) continue;
        const pitches = ev.notes.flatMap((n) => (n.pitch ? [n.pitch] : []));
        if (pitches.length === 0) continue;
        const onset = add(starts[mi]!, ev.onset);
        const first = midiOf(pitches[0]!);
        const targets = struck(onset)
          .map(({ p, n, k }) => ({ p, sounding: midiOf(n.pitch) + p.shift + (p.fixes.get(k) ?? 0), shift: p.shift + (p.fixes.get(k) ?? 0) }))
          .sort((a, b) => Number(b.p.principal) - Number(a.p.principal) || Math.abs(a.sounding - first - a.shift) - Math.abs(b.sounding - first - b.shift));
        const home = targets
          .map((t) => ({ t, shift: [t.shift, t.shift + 12, t.shift - 12].find((sh) => pitches.every((q) => midiOf(q) + sh >= slots[t.p.slot]!.absolute.low && midiOf(q) + sh <= slots[t.p.slot]!.absolute.high)) }))
          .find((x) => x.shift !== undefined);
        // One note at a time on a one-note instrument: a grace chord keeps its top note there.
        const one = home && slots[home.t.p.slot]!.instrument.polyphony <= 1;
        if (!home || home.shift === undefined) {
          leftOut++;
          continue;
        }
        const shift = home.shift;
        const kept = one ? [pitches.reduce((a, b) => (midiOf(b) > midiOf(a) ? b : a))] : pitches;
        placed.push({ slot: home.t.p.slot, onset, pitches: kept.map((q) => (shift ? transpose(q, (shift / 12) * 7, shift) : q)), slash: ev.grace.slash });
      }
    });
  }
  return { placed, leftOut };
}

/** Sketch notes that no line holds (the separator should keep them all; this makes sure). */
function straysOf(sketch: Score, analysis: Analysis): LineNote[] {
  const held = new Set<string>();
  for (const l of analysis.lines) for (const n of l.notes) held.add(`${n.onset.n}/${n.onset.d}:${midiOf(n.pitch)}`);
  return sketchNotes(sketch)
    .filter((n) => !held.has(`${n.onset.n}/${n.onset.d}:${n.midi}`))
    .map((n) => ({ onset: n.onset, duration: n.duration, pitch: n.pitch, source: n.source }));
}

/** Lines made by the orchestrator (the bass notes of a figure) are numbered from here. */
const DERIVED = 1000;

/**
 * An orchestrator's move for a keyboard figure in the bass (an Alberti bass, a broken chord): the
 * figure goes to an inner part, and its lowest note in each half measure (a whole measure in
 * triple time), held, and an octave lower when the figure lies around middle C, becomes the bass
 * line for cellos and basses. Only where the ensemble has a part to spare for it.
 */
function withHarmonicBass(
  segments: readonly Segment[],
  figureOf: (line: number, phrase: number) => string | undefined,
  phrase: Phrase,
  frames: readonly MeasureFrame[],
  parts: number,
): Segment[] {
  const lowest = segments[segments.length - 1];
  if (!lowest || segments.length + 1 > parts) return [...segments];
  const figure = figureOf(lowest.line, phrase.index);
  if (figure !== "alberti" && figure !== "arpeggio") return [...segments];
  // A figure is quick notes outlining a chord (eighths or faster); a bass line that leaps in
  // quarters, like a chorale's, stays a bass line.
  const quick = lowest.notes.filter((n) => le(n.duration, frac(1, 8))).length;
  if (quick < lowest.notes.length * 0.75) return [...segments];
  const bass: LineNote[] = [];
  let time: TimeSignature | undefined;
  for (const f of frames) {
    if (f.attributes.time) time = f.attributes.time;
    const end = add(f.start, f.duration);
    const beats = time?.kind === "measured" && time.signatures.length === 1 ? Number(time.signatures[0]!.beats) : 4;
    const window = Number.isInteger(beats) && beats % 2 === 0 ? mul(f.duration, frac(1, 2)) : f.duration;
    for (let w = f.start; lt(w, end); w = add(w, window)) {
      const wEnd = add(w, window);
      const inWindow = lowest.notes.filter((n) => ge(n.onset, w) && lt(n.onset, wEnd));
      if (inWindow.length === 0) continue;
      const low = inWindow.reduce((a, b) => (midiOf(b.pitch) < midiOf(a.pitch) ? b : a));
      const onset = inWindow[0]!.onset;
      const last = bass[bass.length - 1];
      if (last && midiOf(last.pitch) === midiOf(low.pitch) && cmp(add(last.onset, last.duration), onset) === 0) {
        bass[bass.length - 1] = { ...last, duration: add(last.duration, sub(wEnd, onset)) };
      } else {
        bass.push({ onset, duration: sub(wEnd, onset), pitch: low.pitch, source: low.source });
      }
    }
  }
  if (bass.length === 0) return [...segments];
  // A left-hand figure around middle C has its bass an octave lower in the orchestra.
  const down = medianMidi(bass) >= 55;
  const notes = down ? bass.map((n) => ({ ...n, pitch: transpose(n.pitch, -7, -12) })) : bass;
  return [...segments.slice(0, -1), { ...lowest, role: "accompaniment" }, { line: DERIVED + lowest.line, role: "bass", notes }];
}

/** Share of a segment's notes whose pitch class sounds in another segment at their onset. */
function redundancy(seg: Segment, all: readonly Segment[]): number {
  if (seg.notes.length === 0) return 0;
  let doubled = 0;
  for (const n of seg.notes) {
    const p = pitchClass(midiOf(n.pitch));
    if (all.some((o) => o.line !== seg.line && o.notes.some((m) => le(m.onset, n.onset) && gt(add(m.onset, m.duration), n.onset) && pitchClass(midiOf(m.pitch)) === p))) doubled++;
  }
  return doubled / seg.notes.length;
}

function covered(n: LineNote, placements: readonly Placement[]): boolean {
  const pc = pitchClass(midiOf(n.pitch));
  return placements.some((p) => p.notes.some((m) => cmp(m.onset, n.onset) === 0 && pitchClass(midiOf(m.pitch)) === pc));
}

/**
 * Where every part that could play a note is busy: a part striking, at the same moment, a pitch
 * class another part also strikes gives up that doubled note and plays this one instead (at the
 * octave nearest to it). Changes `placements` in place; true when it found one.
 */
function takeOver(n: LineNote, line: number, phrase: number, slots: readonly Slot[], placements: Placement[]): string | undefined {
  const struck = (p: Placement, k: number): number => midiOf(p.notes[k]!.pitch) + p.shift + (p.fixes.get(k) ?? 0);
  const midi = midiOf(n.pitch);
  for (let i = 0; i < placements.length; i++) {
    const p = placements[i]!;
    const slot = slots[p.slot]!;
    const k = p.notes.findIndex((m) => cmp(m.onset, n.onset) === 0);
    if (k < 0) continue;
    const victim = pitchClass(struck(p, k));
    const doubled = placements.some((q, j) => q.notes.some((m, mk) => cmp(m.onset, n.onset) === 0 && (j !== i || mk !== k) && pitchClass(struck(q, mk)) === victim));
    if (!doubled) continue;
    const shift = [0, 12, -12, 24, -24]
      .filter((sh) => midi + sh >= slot.absolute.low && midi + sh <= slot.absolute.high)
      .sort((a, b) => Math.abs(midi + a - struck(p, k)) - Math.abs(midi + b - struck(p, k)))[0];
    if (shift === undefined) continue;
    const fixes = new Map<number, number>();
    p.fixes.forEach((v, idx) => idx !== k && fixes.set(idx < k ? idx : idx - 1, v));
    placements[i] = { ...p, notes: p.notes.filter((_, idx) => idx !== k), fixes };
    placements.push({ phrase, slot: p.slot, line, notes: [n], shift, fixes: new Map(), principal: false, voice: p.voice });
    return slot.name;
  }
  return undefined;
}

/**
 * Where every part that could play a note is busy: a part that holds notes struck earlier lets
 * them go when this one is struck, and plays it until its own next note. The held notes keep
 * their attacks.
 * Changes the lists in place; returns the name of the part that plays the note.
 */
function cutShort(n: LineNote, line: number, phrase: number, slots: readonly Slot[], lists: readonly Placement[][]): string | undefined {
  const end = add(n.onset, n.duration);
  const midi = midiOf(n.pitch);
  const overlaps = (m: LineNote): boolean => lt(m.onset, end) && gt(add(m.onset, m.duration), n.onset);
  let best: { slot: Slot; shift: number; until: Fraction; cost: number } | undefined;
  for (const slot of slots) {
    if (DECORATIVE_ONLY.has(slot.instrument.id)) continue;
    const shift = [0, 12, -12].find((sh) => midi + sh >= slot.absolute.low && midi + sh <= slot.absolute.high);
    if (shift === undefined) continue;
    const around = lists.flatMap((l) => l.filter((p) => p.slot === slot.index && p.voice === 1).flatMap((p) => p.notes.filter(overlaps)));
    // Notes struck with it stay; notes held from before are let go; a note struck later ends it.
    if (around.some((m) => cmp(m.onset, n.onset) === 0)) continue;
    const held = around.filter((m) => lt(m.onset, n.onset));
    if (held.length === 0) continue;
    const until = around.filter((m) => gt(m.onset, n.onset)).reduce((u, m) => (lt(m.onset, u) ? m.onset : u), end);
    const cost = Math.abs(shift) + held.length;
    if (!best || cost < best.cost) best = { slot, shift, until, cost };
  }
  if (!best) return undefined;
  const { slot, shift, until } = best;
  for (const list of lists) {
    list.forEach((p, i) => {
      const isHeld = (m: LineNote): boolean => overlaps(m) && lt(m.onset, n.onset);
      if (p.slot !== slot.index || p.voice !== 1 || !p.notes.some(isHeld)) return;
      list[i] = { ...p, notes: p.notes.map((m) => (isHeld(m) ? { ...m, duration: sub(n.onset, m.onset) } : m)) };
    });
  }
  const note = cmp(until, end) < 0 ? { ...n, duration: sub(until, n.onset) } : n;
  lists[lists.length - 1]!.push({ phrase, slot: slot.index, line, notes: [note], shift, fixes: new Map(), principal: false, voice: 1 });
  return slot.name;
}

/**
 * Where every part that could play a note is busy: one of them hands the single note it plays
 * meanwhile to a part that is free and can play it (at its pitch or an octave away), and takes
 * this note. A clarinet takes the bassoon's D3 so that the bassoon can play the G2 below it.
 * Changes `current` in place; returns the name of the part that plays the note.
 */
function makeRoom(n: LineNote, line: number, phrase: number, slots: readonly Slot[], before: readonly Placement[], current: Placement[]): string | undefined {
  const end = add(n.onset, n.duration);
  const midi = midiOf(n.pitch);
  const overlaps = (m: LineNote, from: Fraction, to: Fraction): boolean => lt(m.onset, to) && gt(add(m.onset, m.duration), from);
  for (const x of slots) {
    const shiftX = [0, 12, -12].find((sh) => midi + sh >= x.absolute.low && midi + sh <= x.absolute.high);
    if (shiftX === undefined || DECORATIVE_ONLY.has(x.instrument.id)) continue;
    // What x plays in voice 1 while the note sounds: one note of this phrase, or nothing to do.
    if (before.some((p) => p.slot === x.index && p.voice === 1 && p.notes.some((m) => overlaps(m, n.onset, end)))) continue;
    const hits = current.flatMap((p, i) => (p.slot === x.index && p.voice === 1 ? p.notes.flatMap((m, k) => (overlaps(m, n.onset, end) ? [{ i, k, m }] : [])) : []));
    if (hits.length !== 1) continue;
    const { i, k, m } = hits[0]!;
    const p = current[i]!;
    const pitch = midiOf(m.pitch) + p.shift + (p.fixes.get(k) ?? 0);
    const mEnd = add(m.onset, m.duration);
    for (const y of slots) {
      if (y.index === x.index || DECORATIVE_ONLY.has(y.instrument.id)) continue;
      const shiftY = [0, 12, -12].find((sh) => pitch + sh >= y.absolute.low && pitch + sh <= y.absolute.high);
      if (shiftY === undefined) continue;
      const busy = [...before, ...current].some((q) => q.slot === y.index && q.voice === 1 && q.notes.some((o) => overlaps(o, m.onset, mEnd)));
      if (busy) continue;
      const fixes = new Map<number, number>();
      p.fixes.forEach((v, idx) => idx !== k && fixes.set(idx < k ? idx : idx - 1, v));
      current[i] = { ...p, notes: p.notes.filter((_, idx) => idx !== k), fixes };
      current.push({ phrase, slot: y.index, line: p.line, notes: [m], shift: pitch - midiOf(m.pitch) + shiftY, fixes: new Map(), principal: false, voice: 1 });
      current.push({ phrase, slot: x.index, line, notes: [n], shift: shiftX, fixes: new Map(), principal: false, voice: 1 });
      return x.name;
    }
  }
  return undefined;
}

/**
 * A part free while the note sounds, in range at one of the given octave shifts, closest in
 * register to what it plays around the note: a silent voice, or on a string instrument a second
 * voice that makes playable double stops with the first.
 */
function fillSlot(n: LineNote, slots: readonly Slot[], placements: readonly Placement[], shifts: readonly number[]): { slot: Slot; shift: number; voice: 1 | 2 } | undefined {
  const end = add(n.onset, n.duration);
  const midi = midiOf(n.pitch);
  const overlapping = (slot: Slot, voice: 1 | 2): number[] =>
    placements
      .filter((p) => p.slot === slot.index && p.voice === voice)
      .flatMap((p) => p.notes.filter((m) => lt(m.onset, end) && gt(add(m.onset, m.duration), n.onset)).map((m) => midiOf(m.pitch) + p.shift));
  // What the part plays in the half measure around the note.
  const nearby = (slot: Slot): number[] =>
    placements
      .filter((p) => p.slot === slot.index)
      .flatMap((p) => p.notes.filter((m) => lt(m.onset, add(end, frac(1, 2))) && gt(add(add(m.onset, m.duration), frac(1, 2)), n.onset)).map((m) => midiOf(m.pitch) + p.shift));
  let best: { slot: Slot; shift: number; voice: 1 | 2; cost: number } | undefined;
  for (const slot of slots) {
    if (DECORATIVE_ONLY.has(slot.instrument.id)) continue;
    const strings = !!slot.instrument.idioms.doubleStops;
    const voices: (1 | 2)[] = slot.capacity >= 2 || strings ? [1, 2] : [1];
    for (const voice of voices) {
      if (overlapping(slot, voice).length > 0) continue;
      const against = voice === 2 && slot.capacity < 2 ? overlapping(slot, 1) : [];
      for (const shift of shifts) {
        const m = midi + shift;
        if (m < slot.absolute.low || m > slot.absolute.high) continue;
        if (!against.every((o) => isPlayableDoubleStop(slot.instrument, o, m))) continue;
        // Nearest in register to what the part is playing around it, else to its comfortable middle.
        const around = [...overlapping(slot, voice === 1 ? 2 : 1), ...nearby(slot)];
        const centre = around.length ? around.reduce((a, b) => a + b, 0) / around.length : (slot.comfortable.low + slot.comfortable.high) / 2;
        const cost = Math.abs(shift) + Math.abs(m - centre) / 12 + (voice - 1) * 0.5;
        if (!best || cost < best.cost) best = { slot, shift, voice, cost };
      }
    }
  }
  return best;
}


function explain(seg: Segment, c: Choice, slot: Slot): string {
  const parts: string[] = [`${seg.role} in ${slot.name}`];
  if (c.shift) parts.push(`moved ${intervalName(c.shift)} to fit the range`);
  if (c.fixes.size) parts.push(`${c.fixes.size} note(s) moved by an octave`);
  if (c.terms.comfort === 0) parts.push("all notes in the comfortable range");
  else parts.push(`some notes outside the comfortable range (cost ${round(c.terms.comfort)})`);
  if (c.terms.timbre < 0) parts.push("singing register");
  if (c.terms.timbre > 0) parts.push("weak register for a melody");
  if (c.terms.continuity < 0) parts.push("keeps the line it had");
  if (c.terms.continuity > 0) parts.push("takes the line over at the phrase start");
  if (c.terms.idiom > 0) parts.push(`idiom cost ${round(c.terms.idiom)} (family preference, breath, agility, register dynamics)`);
  return parts.join("; ");
}

function intervalName(shift: number): string {
  if (shift === 0) return "unison";
  const o = Math.abs(shift) / 12;
  return `${o === 1 ? "an octave" : `${o} octaves`} ${shift > 0 ? "above" : "below"}`;
}

const round = (x: number): number => Math.round(x * 100) / 100;

function roundTerms(t: CostTerms): CostTerms {
  return {
    range: round(t.range),
    comfort: round(t.comfort),
    octave: round(t.octave),
    register: round(t.register),
    timbre: round(t.timbre),
    continuity: round(t.continuity),
    idiom: round(t.idiom),
  };
}

