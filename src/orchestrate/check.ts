/**
 * The orchestrator's rules as a linter for any score: notes out of range or uncomfortable, chords
 * on one-note instruments, unplayable double stops, phrases too long to breathe, and dynamics a
 * register cannot make. Each finding names the part and measure and suggests a fix.
 */
import {
  type Database,
  type Instrument,
  isPlayableDoubleStop,
  listInstruments,
  registerAt,
  soundingRange,
} from "../instruments/index.js";
import { add, cmp, differenceOf, eq, type Fraction, lt } from "../model/fraction.js";
import { midiOf, nameOf } from "../model/pitch.js";
import { CON_SORD, type Direction, DYNAMIC_LEVELS, levelAfter, levelIndex, type Part, type Score } from "../model/score.js";
import { type SoundingNote, soundingNotes } from "../model/notes.js";
import { groupBy } from "../util/group.js";
import { TupleSet } from "../util/keyed.js";
import { firstTempo } from "../model/time.js";
import { muteChanges, timedDirections } from "../model/timeline.js";

export type Severity = "error" | "warning" | "info";

export interface Finding {
  readonly severity: Severity;
  readonly rule: "range" | "comfort" | "chord" | "double-stop" | "breath" | "dynamics" | "instrument";
  readonly part: string;
  /** Measure number as printed. */
  readonly measure: string;
  readonly message: string;
  readonly suggestion: string;
}

/**
 * Which database instrument a part is: by its MusicXML sound id, else by its name.
 * @example instrumentOfPart(db, { name: "Violin II", ... })?.id // "violin"
 */
export function instrumentOfPart(db: Database, part: Part): Instrument | undefined {
  const all = listInstruments(db);
  for (const i of part.instruments) {
    const bySound = i.sound ? all.find((x) => x.sound === i.sound) : undefined;
    if (bySound) return bySound;
  }
  const names = [part.name, ...part.instruments.map((i) => i.name), part.abbreviation ?? ""].map(normalise).filter((n) => n !== "");
  for (const n of names) {
    const exact = all.find((x) => normalise(x.name) === n || x.id === n.replace(/ /g, "-") || normalise(x.shortName) === n);
    if (exact) return exact;
  }
  // "Flutes 1-2", "Solo Violin": the longest instrument name contained in the part's name.
  for (const n of names) {
    const contained = all
      .filter((x) => new RegExp(`\\b${escape(normalise(x.name))}s?\\b`).test(n))
      .sort((a, b) => b.name.length - a.name.length)[0];
    if (contained) return contained;
  }
  // "Bb Clarinet", "Voice", "Tpt. in C": instruments sharing a word with the name, the one whose
  // range holds the part's notes best (a "Voice" singing G3–E5 is a mezzo-soprano).
  const words = new Set(names.flatMap((n) => n.split(/[\s-]+/)).map((w) => WORD_ALIASES[w] ?? w).filter((w) => w.length >= 2 && w !== "in"));
  const candidates = all.filter((x) => [...words].some((w) => w.length >= 4 && (normalise(x.name).split(" ").includes(w) || x.id.split("-").includes(w) || x.family === w)));
  if (candidates.length === 0) return undefined;
  const pitches = soundingNotes(part).flatMap((n) => (n.pitch ? [midiOf(n.pitch)] : []));
  const fit = (x: Instrument): number => {
    const r = soundingRange(x, "comfortable");
    const inside = pitches.filter((m) => m >= r.low && m <= r.high).length / Math.max(1, pitches.length);
    const key = x.id.split("-").slice(1).some((k) => words.has(k)) ? 0.5 : 0;
    return inside + key;
  };
  return [...candidates].sort((a, b) => fit(b) - fit(a) || a.order - b.order)[0];
}

/** Words in part names that stand for a database word. */
const WORD_ALIASES: Readonly<Record<string, string>> = { singer: "voice", vocals: "voice", vox: "voice", "b♭": "bb", "e♭": "eb" };

function normalise(s: string): string {
  return s
    .toLowerCase()
    .replace(/♭|-flat\b| flat\b/g, "b")
    .replace(/\bin ([a-g])b\b/g, "in $1b")
    .replace(/\b(i{1,3}|iv|v|[0-9]+)\.?$/g, "")
    .replace(/[.()]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const SOFT = new Set(["pppppp", "ppppp", "pppp", "ppp", "pp"]);
const LOUD = new Set(["f", "ff", "fff", "ffff", "fffff", "ffffff", "sf", "sfz", "sffz", "fz", "rf", "rfz"]);

/**
 * Whether a register cannot make a dynamic: "loud" where the softest it plays is loud (a trumpet's
 * high register at pp), "weak" where its forte is weak (a flute's low register at f); undefined
 * where it can, or the note is in no register. `softer` is what a mute takes off the register's
 * loudness (the database's `mute.softer`), where the part plays muted. The orchestrator leaves
 * such notes out of its doublings (see `comfort.ts`) by the rule this linter reports them by.
 */
export function registerMisfit(inst: Instrument, midi: number, dynamic: string, softer = 0): "loud" | "weak" | undefined {
  const reg = registerAt(inst, midi);
  if (!reg) return undefined;
  if (SOFT.has(dynamic) && reg.loudness.p - softer >= 5) return "loud";
  if (LOUD.has(dynamic) && reg.loudness.f - softer <= 3) return "weak";
  return undefined;
}

export interface CheckOptions {
  /** Quarter notes per minute where the score gives no tempo (default 100). */
  readonly tempo?: number;
}

/**
 * Checks every part against its instrument's range and idioms.
 * @example checkScore(score, db).filter((f) => f.severity === "error").length // 0 for a playable score
 */
export function checkScore(score: Score, db: Database, options: CheckOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const secondsPerWhole = (4 * 60) / (firstTempo(score) ?? options.tempo ?? 100);
  for (const part of score.parts) {
    const inst = instrumentOfPart(db, part);
    if (!inst) {
      findings.push({
        severity: "info",
        rule: "instrument",
        part: part.name,
        measure: part.measures[0]?.number ?? "1",
        message: `no instrument in the database matches "${part.name}"; the part was not checked`,
        suggestion: "name the part after an instrument (see `tutti instruments`) or give it a MusicXML instrument-sound",
      });
      continue;
    }
    findings.push(...checkPart(part, inst, secondsPerWhole));
  }
  return findings;
}


function checkPart(part: Part, inst: Instrument, secondsPerWhole: number): Finding[] {
  const notes = soundingNotes(part).filter((n) => n.pitch && !n.grace);
  return [...checkNotes(part, inst, notes), ...checkChords(part, inst), ...checkBreath(part, inst, notes, secondsPerWhole)];
}

/** The measure number printed for a measure index. */
const labelOf = (part: Part, mi: number): string => part.measures[mi]?.number ?? String(mi + 1);

/** Range, comfort and dynamics, note by note: one finding per measure, rule and kind, so a long passage is one line, not fifty. */
function checkNotes(part: Part, inst: Instrument, notes: readonly SoundingNote[]): Finding[] {
  const out: Finding[] = [];
  const abs = soundingRange(inst, "absolute");
  const comf = soundingRange(inst, "comfortable");
  const label = (mi: number): string => labelOf(part, mi);
  const dyn = dynamicsTimeline(timedDirections(part));
  const mutes = muteChanges(part);
  const softer = inst.idioms.mute?.softer ?? 0;
  const seen = new TupleSet<readonly string[]>();
  const once = (key: readonly string[], f: Omit<Finding, "part">): void => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ ...f, part: part.name });
  };
  for (const n of notes) {
    const m = midiOf(n.pitch!);
    const where = label(n.measure);
    const name = nameOf(n.pitch!);
    if (m < abs.low || m > abs.high) {
      once(["range", where], {
        severity: "error",
        rule: "range",
        measure: where,
        message: `${name} is outside the ${inst.name}'s range (${inst.range.absolute[0]}–${inst.range.absolute[1]}, sounding)`,
        suggestion: m < abs.low ? "move it up an octave or give it to a lower instrument" : "move it down an octave or give it to a higher instrument",
      });
    } else if (m < comf.low || m > comf.high) {
      once(["comfort", where], {
        severity: "warning",
        rule: "comfort",
        measure: where,
        message: `${name} is outside the comfortable range (${inst.range.comfortable[0]}–${inst.range.comfortable[1]})`,
        suggestion: "fine for a professional; for amateurs, or a long passage, move it by an octave",
      });
    }
    // Dynamics the register cannot make.
    const d = dynamicAt(dyn, n.onset);
    const reg = registerAt(inst, m);
    if (!d || !reg) continue;
    const key: [string, string, string, string] = ["dynamics", where, d, reg.name ?? reg.from];
    const register = reg.name ?? "register";
    const muted = mutedAt(mutes, n.onset);
    const misfit = registerMisfit(inst, m, d, muted ? softer : 0);
    if (misfit === "loud") {
      once(key, {
        severity: "warning",
        rule: "dynamics",
        measure: where,
        message: `${d} is hard to play on ${name}: the ${inst.name}'s ${register} is loud even at its softest`,
        suggestion: inst.idioms.mute && !muted ? `mark it p or mp, or play the passage muted (${CON_SORD})` : "mark it p or mp, or give the passage to an instrument that can play softly there",
      });
    } else if (misfit === "weak") {
      once(key, {
        severity: "warning",
        rule: "dynamics",
        measure: where,
        message: `${d} cannot be made on ${name}: the ${inst.name}'s ${register} is weak (${reg.timbre.join(", ")})`,
        suggestion: "move the passage up an octave, double it, or lighten the accompaniment",
      });
    }
  }
  return out;
}

/** Chords on one-note instruments and double stops the strings cannot make, per event. */
function checkChords(part: Part, inst: Instrument): Finding[] {
  const out: Finding[] = [];
  const label = (mi: number): string => labelOf(part, mi);
  part.measures.forEach((m, mi) => {
    for (const ev of m.events) {
      if (ev.kind !== "note" || ev.notes.length < 2 || ev.grace) continue;
      const pitches = ev.notes.filter((n) => n.pitch).map((n) => midiOf(n.pitch!)).sort((a, b) => a - b);
      if (pitches.length < 2) continue;
      if (inst.polyphony <= 1) {
        out.push({
          severity: "error",
          rule: "chord",
          part: part.name,
          measure: label(mi),
          message: `a chord of ${pitches.length} notes on the ${inst.name}, which plays one note at a time`,
          suggestion: "split it between players (divisi, a2) or give the lower notes to another instrument",
        });
      } else if (inst.idioms.doubleStops && !chordPlayable(inst, pitches)) {
        out.push({
          severity: "error",
          rule: "double-stop",
          part: part.name,
          measure: label(mi),
          message: `the ${pitches.length === 2 ? "double stop" : "chord"} ${ev.notes.map((n) => nameOf(n.pitch!)).join("–")} cannot be stopped on the ${inst.name}'s strings`,
          suggestion: "mark it divisi, or respace it to notes on adjacent strings",
        });
      }
    }
  });
  return out;
}

/**
 * Breath: runs without a rest longer than a player can sustain, voice by voice (on a shared staff,
 * Bassoons 1–2, each voice is its own player and breathes on its own, as the breath marks are
 * placed).
 */
function checkBreath(part: Part, inst: Instrument, notes: readonly SoundingNote[], secondsPerWhole: number): Finding[] {
  const breath = inst.idioms.breath;
  if (!breath) return [];
  const runs: { seconds: number; measure: number }[] = [];
  for (const voice of groupBy(notes, (n) => `${n.staff}/${n.voice}`).values()) {
    let start: SoundingNote | undefined;
    let end: Fraction | undefined;
    const flush = (): void => {
      if (start && end) runs.push({ seconds: differenceOf(end, start.onset) * secondsPerWhole, measure: start.measure });
    };
    let breathe = false;
    for (const n of voice) {
      // A rest, a fermata or a breath mark before this note is a place to breathe.
      if (!start || !end || lt(end, n.onset) || breathe) {
        flush();
        start = n;
      }
      const e = add(n.onset, n.duration);
      if (!end || lt(end, e)) end = e;
      breathe = n.fermata || n.breath;
    }
    flush();
  }
  return runs
    .filter((r) => r.seconds > breath.maxPhraseSeconds * 1.25)
    .sort((a, b) => a.measure - b.measure)
    .map((r) => ({
      severity: "warning",
      rule: "breath",
      part: part.name,
      measure: labelOf(part, r.measure),
      message: `${Math.round(r.seconds)} s without a rest, fermata or breath mark; ${inst.name}: a breath is needed about every ${breath.maxPhraseSeconds} s`,
      suggestion: "mark a breath (or leave a short rest) at a phrase joint, or share the line with another player",
    }));
}

/**
 * Whether a string instrument can stop these key numbers (low to high) together: no more notes
 * than it has strings for, every pair of neighbouring notes a double stop it makes; else divisi
 * is needed.
 */
export function chordPlayable(inst: Instrument, sorted: readonly number[]): boolean {
  const strings = inst.idioms.doubleStops!;
  if (sorted.length > strings.maxNotes) return false;
  for (let i = 1; i < sorted.length; i++) if (!isPlayableDoubleStop(inst, sorted[i - 1]!, sorted[i]!)) return false;
  return true;
}

/**
 * The part's dynamics in time order: levels (p, f…) hold until the next; an accent written as a
 * dynamic (sf, fz, fp…) is the dynamic of the notes struck with it only, and one that falls back
 * soft (fp, sfp) leaves that level in force after it.
 */
export function dynamicsTimeline(directions: Iterable<{ readonly direction: Pick<Direction, "items">; readonly onset: Fraction }>): DynamicsTimeline {
  const out: { at: Fraction; value: string; accent: boolean }[] = [];
  for (const { direction: d, onset } of directions) {
    for (const item of d.items) if (item.kind === "dynamics" && item.values[0]) out.push({ at: onset, value: item.values[0], accent: levelIndex(item.values[0]) < 0 });
  }
  return out.sort((a, b) => cmp(a.at, b.at));
}

type DynamicsTimeline = readonly { readonly at: Fraction; readonly value: string; readonly accent: boolean }[];

/** Whether the part plays muted at `t`: its last mute word at or before `t` put the mute in (`muteChanges`, in time order). */
function mutedAt(timeline: readonly { readonly at: Fraction; readonly on: boolean }[], t: Fraction): boolean {
  let on = false;
  for (const x of timeline) {
    if (lt(t, x.at)) break;
    on = x.on;
  }
  return on;
}

/** The dynamic of a note struck at `t`: an accent struck with it, else the level in force. */
export function dynamicAt(timeline: DynamicsTimeline, t: Fraction): string | undefined {
  let d: string | undefined;
  for (const x of timeline) {
    if (lt(t, x.at)) break;
    if (!x.accent) d = x.value;
    else if (eq(x.at, t)) return x.value;
    else d = DYNAMIC_LEVELS[levelAfter(x.value)] ?? d;
  }
  return d;
}
