/**
 * The score model: what every stage of Tutti reads and returns.
 *
 * Plain, readonly data. Time is exact (`Fraction`, in whole notes). Pitches are stored as they
 * sound (concert pitch); a part's `transpose` says how its players read them, and the writers
 * turn sounding pitch into written pitch. Layout (page size, system breaks, positions) is not
 * part of the model: it is the renderer's business.
 */
import type { Fraction } from "./fraction.js";
import type { Pitch, Step } from "./pitch.js";

export interface Score {
  readonly meta: ScoreMeta;
  readonly parts: readonly Part[];
  /** Brackets and braces joining consecutive parts (from MusicXML's `<part-group>`). */
  readonly groups: readonly PartGroup[];
}

export interface ScoreMeta {
  readonly title?: string;
  readonly movementTitle?: string;
  readonly movementNumber?: string;
  readonly workNumber?: string;
  readonly creators: readonly Creator[];
  readonly rights: readonly string[];
  /** Where the score came from (a file name), for error messages; not written out. */
  readonly source?: string;
}

export interface Creator {
  /** "composer", "lyricist", "arranger", ... */
  readonly type: string;
  readonly name: string;
}

export interface PartGroup {
  /** Index of the first and last part in the group (inclusive). */
  readonly first: number;
  readonly last: number;
  readonly symbol?: "brace" | "bracket" | "line" | "square" | "none";
  readonly name?: string;
  readonly abbreviation?: string;
  /** Barlines drawn through the group's staves. */
  readonly barline?: boolean;
}

export interface Part {
  readonly id: string;
  readonly name: string;
  readonly abbreviation?: string;
  /** The instruments this part plays (usually one). */
  readonly instruments: readonly PartInstrument[];
  /** Number of staves (2 for a piano). */
  readonly staves: number;
  /**
   * "guessed" where a reader divided the notes between the staves itself (a MIDI piano track with
   * no hands named): the staves show where the hands may play, not which notes belong together.
   */
  readonly staffSplit?: "guessed";
  /**
   * "guessed" where a reader divided a staff's notes between its voices itself (a MIDI file says
   * nothing of voices): the voices are a reading of the pitches, not the composer's.
   */
  readonly voiceSplit?: "guessed";
  readonly measures: readonly Measure[];
}

export interface PartInstrument {
  readonly id: string;
  readonly name: string;
  /** MusicXML instrument-sound id, e.g. "strings.violin". */
  readonly sound?: string;
  /** General MIDI program, 1–128 as in MusicXML. */
  readonly midiProgram?: number;
  /** MIDI channel, 1–16. */
  readonly midiChannel?: number;
  /** For unpitched percussion: the GM key number this instrument sounds (1–128). */
  readonly midiUnpitched?: number;
  readonly volume?: number;
  readonly pan?: number;
}

/** Written pitch + transpose = sounding pitch (MusicXML's definition). */
export interface Transposition {
  readonly diatonic: number;
  readonly chromatic: number;
  readonly octaveChange?: number;
  /** The transposition is written as a doubled octave, as some scores show for piccolo. */
  readonly double?: boolean;
}

export interface Measure {
  /** The number shown ("1", "12a", "X1"). */
  readonly number: string;
  /** A pickup or a partial measure not counted in the numbering. */
  readonly implicit?: boolean;
  /** The real length of this measure, which differs from the time signature in pickups. */
  readonly duration: Fraction;
  /** Changes that take effect at the start of this measure. */
  readonly attributes: Attributes;
  /** Changes inside the measure (a mid-measure clef change), each with its offset. */
  readonly midAttributes: readonly MidAttributes[];
  readonly left?: Barline;
  readonly right?: Barline;
  /** Barlines in the middle of the measure (rare). */
  readonly midBarlines: readonly (Barline & { readonly offset: Fraction })[];
  /** Notes, chords and rests, sorted by onset; onsets are relative to the measure start. */
  readonly events: readonly Event[];
  readonly directions: readonly Direction[];
  readonly harmonies: readonly Harmony[];
  /** A system or page break before this measure. */
  readonly newSystem?: boolean;
  readonly newPage?: boolean;
}

export interface Attributes {
  readonly key?: KeySignature;
  readonly time?: TimeSignature;
  readonly clefs?: readonly StaffClef[];
  readonly transpose?: Transposition;
  /** Change of the number of staves. */
  readonly staves?: number;
  /** Per-staff key signatures, when staves of one part differ (rare). */
  readonly staffKeys?: readonly { readonly staff: number; readonly key: KeySignature }[];
}

export interface MidAttributes {
  readonly offset: Fraction;
  readonly clefs?: readonly StaffClef[];
  readonly key?: KeySignature;
  readonly time?: TimeSignature;
}

/** A key signature in concert pitch. */
export type KeySignature = TraditionalKey | NonTraditionalKey;

export interface TraditionalKey {
  readonly kind: "traditional";
  /** Sharps positive, flats negative. */
  readonly fifths: number;
  readonly mode?: string;
  /** Naturals shown for the previous key. */
  readonly cancel?: number;
  readonly hidden?: boolean;
}

export interface NonTraditionalKey {
  readonly kind: "non-traditional";
  readonly steps: readonly { readonly step: Step; readonly alter: number; readonly accidental?: string }[];
  readonly hidden?: boolean;
}

export type TimeSignature =
  | {
      readonly kind: "measured";
      /** One or more signatures shown together (2/4 + 3/8); each with additive beats ("3+2"). */
      readonly signatures: readonly { readonly beats: string; readonly beatType: number }[];
      readonly symbol?: "common" | "cut" | "single-number" | "note" | "dotted-note" | "normal";
      readonly hidden?: boolean;
    }
  | { readonly kind: "senza-misura"; readonly text?: string };

export interface StaffClef {
  /** 1-based staff number within the part. */
  readonly staff: number;
  readonly clef: Clef;
}

export interface Clef {
  readonly sign: "G" | "F" | "C" | "percussion" | "TAB" | "jianpu" | "none";
  readonly line?: number;
  /** -1 for a tenor's treble clef with an 8 below. */
  readonly octaveChange?: number;
}

export interface Barline {
  /** MusicXML bar-style: "regular", "light-heavy", "light-light", "dashed", ... */
  readonly style?: string;
  readonly repeat?: { readonly direction: "forward" | "backward"; readonly times?: number };
  readonly ending?: { readonly number: string; readonly type: "start" | "stop" | "discontinue"; readonly text?: string };
  readonly fermata?: boolean;
  readonly segno?: boolean;
  readonly coda?: boolean;
}

export type Event = NoteEvent | RestEvent;

interface EventBase {
  /** Offset from the start of the measure. */
  readonly onset: Fraction;
  /** Sounding duration; zero for grace notes. */
  readonly duration: Fraction;
  /** Voice name ("1", "2", ...), unique within the part. */
  readonly voice: string;
  /** 1-based staff number. */
  readonly staff: number;
  /** The notated value, when the source gave one; otherwise the writers derive it. */
  readonly notated?: NotatedValue;
  /** Tuplet ratio: `actual` notes in the time of `normal`. */
  readonly tuplet?: TupletRatio;
  /** Tuplet brackets starting or stopping on this event. */
  readonly tupletMarks?: readonly TupletMark[];
  /** Beams as the source wrote them; without them the writers beam by beat. */
  readonly beams?: readonly Beam[];
  /** A cue note or rest: shown small, not played. */
  readonly cue?: boolean;
  readonly fermata?: boolean;
  readonly hidden?: boolean;
}

export type NoteType =
  | "maxima" | "long" | "breve" | "whole" | "half" | "quarter" | "eighth" | "16th" | "32nd" | "64th" | "128th" | "256th" | "512th" | "1024th";

export interface NotatedValue {
  readonly type: NoteType;
  readonly dots: number;
}

export interface TupletRatio {
  readonly actual: number;
  readonly normal: number;
  readonly normalType?: NoteType;
  readonly normalDots?: number;
}

export interface TupletMark {
  readonly type: "start" | "stop";
  readonly number?: number;
  readonly bracket?: boolean;
  readonly showNumber?: "actual" | "both" | "none";
  readonly placement?: "above" | "below";
}

export interface Beam {
  readonly number: number;
  readonly value: "begin" | "continue" | "end" | "forward hook" | "backward hook";
}

/** MusicXML's `<arpeggiate>`: the chord is rolled, up or down where the arrow says so. */
export interface Arpeggio {
  readonly direction?: "up" | "down";
}

export interface NoteEvent extends EventBase {
  readonly kind: "note";
  /** One note, or several for a chord; all share onset and duration. */
  readonly notes: readonly Note[];
  readonly grace?: { readonly slash: boolean; readonly after?: boolean };
  readonly stem?: "up" | "down" | "none" | "double";
  readonly articulations?: readonly Mark[];
  readonly ornaments?: readonly Mark[];
  readonly technical?: readonly Mark[];
  readonly slurs?: readonly Slur[];
  readonly lyrics?: readonly Lyric[];
  /** A rolled chord's sign: a plain wavy line, or one with an arrow where the roll has a direction. */
  readonly arpeggiate?: Arpeggio;
  /** Tremolo strokes on a single note (1–8). */
  readonly tremolo?: number;
}

export interface RestEvent extends EventBase {
  readonly kind: "rest";
  /** A whole-measure rest, drawn centred. */
  readonly measureRest?: boolean;
  /** Vertical position the source gave the rest. */
  readonly position?: { readonly step: Step; readonly octave: number };
}

export interface Note {
  /** Sounding pitch; absent for unpitched percussion. */
  readonly pitch?: Pitch;
  /** For unpitched percussion: where it sits on the staff. */
  readonly unpitched?: { readonly step: Step; readonly octave: number };
  readonly tieStart?: boolean;
  readonly tieStop?: boolean;
  /** An accidental the source shows (cautionary, editorial, microtonal). Others are computed. */
  readonly accidental?: Accidental;
  readonly notehead?: string;
  /** Which of the part's instruments plays it. */
  readonly instrument?: string;
  /** Staff of this chord note, where it differs from its event's (cross-staff chords). */
  readonly staff?: number;
}

export interface Accidental {
  /** MusicXML accidental-value: "sharp", "flat", "natural", "quarter-sharp", ... */
  readonly value: string;
  readonly cautionary?: boolean;
  readonly editorial?: boolean;
  readonly parentheses?: boolean;
}

/** An articulation, ornament or technical mark. */
export interface Mark {
  /** MusicXML element name: "staccato", "accent", "trill-mark", "up-bow", "fingering", ... */
  readonly name: string;
  readonly text?: string;
  readonly placement?: "above" | "below";
  /** The `type` attribute some marks need (hammer-on start/stop, strong-accent up/down). */
  readonly type?: string;
}

/** MusicXML's breath mark, an articulation that stands after its note: a place to breathe. */
export const BREATH_MARK = "breath-mark";

/** Whether a mark is the breath mark. */
export function isBreathMark(mark: Mark): boolean {
  return mark.name === BREATH_MARK;
}

/** The words that put a mute in ("con sord.") and take it out ("senza sord."), as Tutti writes them (Gould, *Behind Bars*). */
export const CON_SORD = "con sord.";
export const SENZA_SORD = "senza sord.";

/** Whether words put a mute in (true), take it out (false), or say neither (undefined): "con sord.", "con sordino", "muted"; "senza sord.", "open". */
export function muteWords(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (/^(con sord|mit d(ä|a)mpfer|muted?\b|avec sourdine)/.test(t)) return true;
  if (/^(senza sord|ohne d(ä|a)mpfer|open\b|sans sourdine|via sord)/.test(t)) return false;
  return undefined;
}

export interface Slur {
  readonly type: "start" | "stop" | "continue";
  readonly number: number;
  readonly placement?: "above" | "below";
}

export interface Lyric {
  readonly number: string;
  readonly text: string;
  readonly syllabic?: "single" | "begin" | "middle" | "end";
  readonly extend?: boolean;
}

/** Whether a syllable's word goes on after it (a hyphen follows it, not an extender). */
export function continuesWord(l: Lyric): boolean {
  return l.syllabic === "begin" || l.syllabic === "middle";
}

export type Dynamic =
  | "pppppp" | "ppppp" | "pppp" | "ppp" | "pp" | "p" | "mp" | "mf" | "f" | "ff" | "fff" | "ffff" | "fffff" | "ffffff"
  | "sf" | "sfp" | "sfpp" | "fp" | "rf" | "rfz" | "sfz" | "sffz" | "fz" | "n" | "pf" | "sfzp";

/** The dynamic levels, softest first; the other dynamics are accents (sf, fz, fp…), n and pf. */
export const DYNAMIC_LEVELS = ["pppppp", "ppppp", "pppp", "ppp", "pp", "p", "mp", "mf", "f", "ff", "fff", "ffff", "fffff", "ffffff"] as const;

export const DYNAMICS: readonly Dynamic[] = [...DYNAMIC_LEVELS, "sf", "sfp", "sfpp", "fp", "rf", "rfz", "sfz", "sffz", "fz", "n", "pf", "sfzp"];

/**
 * Velocity of each dynamic marking (MIDI 1–127), MuseScore's table: what the MIDI writer plays a
 * mark at, and what the MIDI reader reads a performance's velocities back as.
 */
export const DYNAMIC_VELOCITY: Readonly<Record<string, number>> = {
  pppppp: 8, ppppp: 10, pppp: 14, ppp: 20, pp: 33, p: 49, mp: 64, mf: 80, f: 96, ff: 112, fff: 124, ffff: 127, fffff: 127, ffffff: 127,
  n: 1, pf: 64,
};

/**
 * A dynamic's place among the levels (0 for pppppp), or -1 where it is no level (an accent).
 * @example levelIndex("mf") // 7
 */
export function levelIndex(value: string): number {
  return (DYNAMIC_LEVELS as readonly string[]).indexOf(value);
}

/**
 * The level a dynamic leaves in force (an index into DYNAMIC_LEVELS): a level's own; for an
 * accent that falls back soft at once (fp, sfp, sfzp, sfpp), the level it falls to; -1 for the
 * other accents (sf, fz, rf…), which leave the level as it was.
 * @example levelAfter("fp") === levelIndex("p")
 */
export function levelAfter(value: string): number {
  const level = levelIndex(value);
  if (level >= 0) return level;
  const soft = /^(?:f|sf|sfz)(pp?)$/.exec(value);
  return soft ? levelIndex(soft[1]!) : -1;
}

/** Something written above or below the staff at a point in time. */
export interface Direction {
  readonly offset: Fraction;
  readonly staff: number;
  readonly voice?: string;
  readonly placement?: "above" | "below";
  readonly items: readonly DirectionItem[];
  /** Playback: tempo in quarter notes per minute, dynamics as a percentage of forte, and where the music jumps (MusicXML's `<sound>`). */
  readonly sound?: Sound;
}

/**
 * MusicXML's `<sound>` on a direction, as far as Tutti carries it: tempo and dynamics, and the
 * jumps a notation program plays (`segno`, `coda`, `dalsegno`, `dacapo`, `tocoda`, `fine`: a
 * "D.S. al Fine" goes back to the segno and ends at the Fine), each as the file writes it.
 */
export interface Sound {
  readonly tempo?: number;
  readonly dynamics?: number;
  readonly segno?: string;
  readonly coda?: string;
  readonly dalsegno?: string;
  readonly dacapo?: string;
  readonly tocoda?: string;
  readonly fine?: string;
}

/** The `<sound>` attributes of a jump, in the order a file writes them. */
export const JUMPS = ["segno", "coda", "dalsegno", "dacapo", "tocoda", "fine"] as const;

export type DirectionItem =
  | { readonly kind: "dynamics"; readonly values: readonly string[] }
  | { readonly kind: "words"; readonly text: string }
  | { readonly kind: "rehearsal"; readonly text: string }
  | {
      readonly kind: "metronome";
      readonly beatUnit: NoteType;
      readonly dots: number;
      readonly perMinute: string;
      readonly parentheses?: boolean;
    }
  | { readonly kind: "wedge"; readonly type: "crescendo" | "diminuendo" | "stop" | "continue"; readonly number?: number }
  | { readonly kind: "dashes"; readonly type: "start" | "stop" | "continue"; readonly number?: number }
  | { readonly kind: "octave-shift"; readonly type: "up" | "down" | "stop" | "continue"; readonly size: number; readonly number?: number }
  | { readonly kind: "pedal"; readonly type: string; readonly line?: boolean }
  | { readonly kind: "segno" }
  | { readonly kind: "coda" };

/** A chord symbol. */
export interface Harmony {
  readonly offset: Fraction;
  readonly staff?: number;
  readonly root: { readonly step: Step; readonly alter: number };
  /** MusicXML kind value: "major", "minor-seventh", "dominant", ... */
  readonly kind: string;
  readonly kindText?: string;
  readonly bass?: { readonly step: Step; readonly alter: number };
  readonly degrees?: readonly { readonly value: number; readonly alter: number; readonly type: "add" | "alter" | "subtract" }[];
}
