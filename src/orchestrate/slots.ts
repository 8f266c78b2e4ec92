/**
 * The ensemble as the orchestrator sees it: slots (parts) with what each can do, how loud it is
 * and how well it sings in each register. All figures come from the instrument database.
 */
import { midiOfName, soundingRange, type Database, type Ensemble, type Instrument, instrument as lookup } from "../instruments/index.js";

type Register = Instrument["registers"][number];

/** Each instrument's registers with their bounds as key numbers, parsed once. */
const REGISTERS = new WeakMap<Instrument, readonly { readonly low: number; readonly high: number; readonly register: Register }[]>();

/**
 * The register a sounding key number falls in, or undefined outside the range: the database's
 * `registerAt`, without parsing the registers' pitch names on every call (the orchestrator asks
 * for every note of every line, for every part and octave it tries).
 */
export function registerOf(inst: Instrument, midi: number): Register | undefined {
  let list = REGISTERS.get(inst);
  if (!list) {
    list = inst.registers.map((register) => ({ low: midiOfName(register.from), high: midiOfName(register.to), register }));
    REGISTERS.set(inst, list);
  }
  for (const r of list) if (midi >= r.low && midi <= r.high) return r.register;
  return undefined;
}

/**
 * An instrument that plays the bass, and an octave below it by habit (double bass, tuba,
 * contrabassoon, bass trombone): the bass is its line, other lines only where nothing else can.
 */
export function bassByHabit(inst: Instrument): boolean {
  return (inst.orchestration?.doubles.includes("bass") ?? false) && (inst.orchestration?.octaves?.includes(-1) ?? false);
}

/**
 * Whether an instrument carries the bass at pitch at any dynamic, by habit: the cello, the bassoon
 * (not the bass trombone, which joins the bass only at forte).
 */
export function carriesBassAtPitch(inst: Instrument): boolean {
  return !!inst.orchestration?.doubles.includes("bass") && inst.orchestration.octaves?.[0] === 0 && !inst.orchestration.forteOnly;
}

export interface Slot {
  /** Position in the ensemble (score order). */
  readonly index: number;
  readonly instrument: Instrument;
  /** Part name: "Violin I", "Flutes". */
  readonly name: string;
  readonly shortName: string;
  /** Players on the part. A section counts as one player who may divide (divisi). */
  readonly players: number;
  readonly section: boolean;
  /** Lines the part can carry at once: players, divisi, or the instrument's own polyphony (piano). */
  readonly capacity: number;
  readonly absolute: { readonly low: number; readonly high: number };
  readonly comfortable: { readonly low: number; readonly high: number };
  /**
   * It doubles another part's bass an octave down by habit: its first octave is below, and a part
   * of its own family carries the bass at pitch at any dynamic (the double basses under the
   * cellos, the contrabassoon under the bassoons). Alone, it leaves that part's sound out of the
   * bass. The tuba is the brass's bass itself: the bass trombone joins it only at forte.
   */
  readonly reinforcesBass: boolean;
}

/** Parts of the ensemble with their resolved instruments. */
export function slotsOf(db: Database, ensemble: Ensemble): Slot[] {
  // Several parts of one instrument are numbered: Violin I, Violin II.
  const counts = new Map<string, number>();
  for (const m of ensemble.instruments) counts.set(m.instrument, (counts.get(m.instrument) ?? 0) + 1);
  const seen = new Map<string, number>();
  const instruments = ensemble.instruments.map((m) => lookup(db, m.instrument));
  const atPitch = new Set(instruments.filter(carriesBassAtPitch).map((i) => i.family));
  return ensemble.instruments.map((m, index) => {
    const inst = instruments[index]!;
    const n = (seen.get(m.instrument) ?? 0) + 1;
    seen.set(m.instrument, n);
    const several = (counts.get(m.instrument) ?? 1) > 1;
    const numbered = several && !m.name ? ` ${ROMAN[n - 1] ?? n}` : "";
    // "Vln. I" and "Vln. II", also where the ensemble names the parts itself ("Violin I").
    const trailing = m.name ? / (I{1,3}|IV|V|VI|[1-6](–[1-6])?)$/.exec(m.name)?.[1] : undefined;
    const shortNumber = several ? ` ${trailing ?? ROMAN[n - 1] ?? n}` : "";
    const players = m.count ?? 1;
    const section = !!m.section;
    const polyphony = inst.polyphony;
    const capacity = polyphony > 2 && inst.family !== "strings" ? Math.min(polyphony, 6) : section && m.divisi ? 2 : players;
    return {
      index,
      instrument: inst,
      name: (m.name ?? inst.name) + numbered,
      shortName: inst.shortName + shortNumber,
      players,
      section,
      capacity,
      absolute: soundingRange(inst, "absolute"),
      comfortable: soundingRange(inst, "comfortable"),
      reinforcesBass: bassByHabit(inst) && inst.orchestration?.octaves?.[0] === -1 && atPitch.has(inst.family),
    };
  });
}

const ROMAN = ["I", "II", "III", "IV", "V", "VI"];

/** Words in the database's timbre lists that suit a line listeners follow, and ones that do not. */
const SINGING = ["singing", "sweet", "clear", "brilliant", "warm", "lyric", "expressive", "rich", "bright", "full", "noble", "round", "mellow", "resonant", "sonorous", "powerful", "penetrating", "ringing", "velvety", "pure"];
const WEAK = ["weak", "breathy", "thin", "hard to control", "shrill", "strained", "veiled", "dull", "muffled", "less resonant", "tight", "pinched", "unstable", "fragile", "rough", "coarse", "gruff"];

/** +1 per singing word, -1 per weak one, for the register a sounding note falls in. */
export function singingScore(inst: Instrument, midi: number): number {
  const reg = registerOf(inst, midi);
  if (!reg) return -3;
  let s = SINGING_SCORE.get(reg);
  if (s !== undefined) return s;
  s = 0;
  for (const w of reg.timbre) {
    const word = w.toLowerCase();
    if (SINGING.some((x) => word.includes(x))) s += 1;
    if (WEAK.some((x) => word.includes(x))) s -= 1;
  }
  SINGING_SCORE.set(reg, s);
  return s;
}

/** `singingScore` by register, worked out once. */
const SINGING_SCORE = new WeakMap<Register, number>();

export type Level = "p" | "mf" | "f";

/** The dynamic level a marking stands for in the loudness tables. */
export function levelOf(dynamic: string): Level {
  if (/^(p+|mp|n)$/.test(dynamic)) return "p";
  if (/^(f+|sf.*|fz|rf.*)$/.test(dynamic)) return "f";
  return "mf";
}

/**
 * How loud a part is on a note at a level, on the database's 0–10 scale; a section or several
 * players in unison add weight (doubling the players adds about 3 dB, a small step on this scale).
 */
export function loudness(slot: Slot, midi: number, level: Level): number {
  const reg = registerOf(slot.instrument, midi);
  const base = reg ? reg.loudness[level] : 0;
  return base + (slot.section ? 1.5 : 0) + (slot.players > 1 ? 0.5 : 0);
}
