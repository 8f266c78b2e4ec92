/**
 * One staff of one measure as VexFlow objects: voices of notes, chords and rests in written
 * pitch, with the accidentals, beams and tuplets that `src/model/notation.ts` decides (the
 * same the MusicXML writer emits), clef changes, and what ties start or stop here.
 */
import {
  Accidental,
  Annotation,
  Articulation,
  Beam,
  ClefNote,
  Dot,
  Element,
  Fraction as VFFraction,
  GhostNote,
  GraceNote,
  GraceNoteGroup,
  Modifier,
  type Note,
  Ornament,
  StaveNote,
  Stem,
  type StemmableNote,
  Stroke,
  type Tickable,
  Tuplet,
  Voice,
  VoiceMode,
  VexFlow,
} from "vexflow/core";
import { add, cmp, type Fraction, lt, sub, ZERO } from "../model/fraction.js";
import { splitNotatable, notatedOf } from "../model/durations.js";
import { accidentalsOf, beamsOf, type NotationContext, valueOf, voicesOf, writtenPitchIn } from "../model/notation.js";
import { continuesWord, type Event, isBreathMark, type Measure, type NoteEvent, type NoteType } from "../model/score.js";
import { diatonicOf, midiOf, type Pitch, pitch, type Step } from "../model/pitch.js";
import { type ClefInfo, clefInfo } from "./specs.js";
import { tupletMarksOf } from "../model/tuplets.js";

/** The pitch on the middle line of each clef (for rests), as [step, octave]. */
const MIDDLE: Readonly<Record<string, readonly [Step, number]>> = {
  treble: ["B", 4],
  french: ["D", 5],
  bass: ["D", 3],
  "baritone-f": ["F", 3],
  subbass: ["B", 2],
  soprano: ["G", 4],
  "mezzo-soprano": ["E", 4],
  alto: ["C", 4],
  tenor: ["A", 3],
  "baritone-c": ["F", 3],
  percussion: ["B", 4],
};
const STEPS: readonly Step[] = ["C", "D", "E", "F", "G", "A", "B"];

/** A clef's middle line, as a diatonic index (see `diatonicOf`). */
function middleOf(clef: string): number {
  const [step, octave] = MIDDLE[clef] ?? ["B", 4];
  return diatonicOf(pitch(step, 0, octave));
}

function restKey(clef: string, shift: number): string {
  const idx = middleOf(clef) + shift;
  return `${STEPS[((idx % 7) + 7) % 7]!.toLowerCase()}/${Math.floor(idx / 7)}`;
}

/** Half the height of a rest glyph, in staff steps (half spaces), by its value. */
const REST_HALF: Partial<Record<NoteType, number>> = { quarter: 3, eighth: 2, "16th": 3, "32nd": 4, "64th": 5, "128th": 6 };

/** Where a rest sits, in staff steps from the clef's middle line, for the voice's events and those of the other voices of its staff. */
type RestPlace = (rest: Event, clef: ClefInfo) => number;

/**
 * Where the rests of a staff's upper voice (`side` 1) or a lower one (-1) sit: four steps off the
 * middle line, and clear of the notes the other voices strike with the rest (Gould, *Behind Bars*,
 * "Two parts on one staff": the upper voice's rests above the lower voice's notes, the lower
 * voice's below the upper's). A double stop's second line may cross over the first (Weber's
 * Concertino for string quartet, cello, m. 2: the second voice's E♭4 above the staff where the
 * first voice rests), and a rest at the usual place would be drawn through the note. Notes struck
 * later while the rest lasts stand beside it, not over or under it.
 */
export function restPlace(others: readonly Event[], side: 1 | -1, ctx: NotationContext): RestPlace {
  return (rest, clef) => {
    const steps = others.flatMap((e) =>
      e.kind === "note" && !e.hidden && !e.grace && cmp(e.onset, rest.onset) === 0
        ? e.notes.flatMap((n) => (n.pitch ? [stepsFromMiddle(writtenPitchIn(n.pitch, ctx), clef)] : []))
        : [],
    );
    if (steps.length === 0) return 4 * side;
    const v = valueOf(rest);
    // A notehead reaches a step either side of its line, and the rest as far as its glyph.
    const clear = 1 + (v ? (REST_HALF[v.type] ?? 1) : 1);
    const edge = side > 0 ? Math.max(...steps) + clear : Math.min(...steps) - clear;
    const shift = side > 0 ? Math.max(4, edge) : Math.min(-4, edge);
    // On a line or a space as the voice's usual place is: by whole spaces.
    return shift % 2 === 0 ? shift : shift + side;
  };
}

/** A written pitch's place on the staff, in steps from the clef's middle line. */
function stepsFromMiddle(p: Pitch, clef: ClefInfo): number {
  return diatonicOf(p) - 7 * clef.octave - middleOf(clef.name);
}

const DURATION: Readonly<Record<NoteType, string>> = {
  maxima: "1/2", long: "1/2", breve: "1/2", whole: "w", half: "h", quarter: "q", eighth: "8", "16th": "16", "32nd": "32",
  "64th": "64", "128th": "128", "256th": "256", "512th": "256", "1024th": "256",
};

/**
 * VexFlow draws rests down to the 128th; a shorter one (which some sketches write) is drawn with
 * the 128th's glyph instead of the empty glyph VexFlow would give it. The MusicXML keeps its value.
 */
const REST_DURATION: Readonly<Record<NoteType, string>> = { ...DURATION, "256th": "128", "512th": "128", "1024th": "128" };

const ACCIDENTAL_CODES: Readonly<Record<string, string>> = {
  sharp: "#", flat: "b", natural: "n", "double-sharp": "##", "sharp-sharp": "##", "flat-flat": "bb", "quarter-sharp": "+",
  "quarter-flat": "d", "three-quarters-sharp": "++", "three-quarters-flat": "db", "natural-sharp": "#", "natural-flat": "b",
};

/** VexFlow articulation codes for MusicXML articulations. */
const ARTICULATIONS: Readonly<Record<string, string>> = {
  staccato: "a.", staccatissimo: "av", spiccato: "av", accent: "a>", tenuto: "a-", "strong-accent": "a^",
};

/** VexFlow ornament names for MusicXML ornaments. */
const ORNAMENTS: Readonly<Record<string, string>> = {
  "trill-mark": "tr", turn: "turn", "inverted-turn": "turnInverted", mordent: "mordent", "inverted-mordent": "mordentInverted",
};

/** A note that a tie starts from or ends on. */
export interface TieEnd {
  readonly note: StaveNote;
  readonly index: number;
  /** Written step and octave: what the tie connects. */
  readonly key: string;
  readonly onset: Fraction;
  /**
   * Where a tie of a staff with two voices curves (VexFlow's direction: -1 above, 1 below): away
   * from the other voice, above for the voice that lies higher in the measure and below for the
   * other (Gould, *Behind Bars*), so that their ties never cross; none for a single voice, whose
   * ties curve away from the stems.
   */
  readonly side?: 1 | -1;
}

/** The size (px) lyrics are drawn at (draw/lyrics.ts) and spaced for (`LyricRoom`). */
export const LYRIC_SIZE = 11;

/** Where a direction can hang: the note or rest sounding at each onset. */
interface Anchor {
  readonly onset: Fraction;
  readonly tickable: Tickable;
}

export interface StaffMeasure {
  readonly voices: Voice[];
  readonly beams: Beam[];
  readonly tuplets: Tuplet[];
  readonly tieStarts: TieEnd[];
  readonly tieStops: TieEnd[];
  readonly anchors: Anchor[];
  /** Highest and lowest staff position used, in staff spaces from the top line (negative: above). */
  readonly top: number;
  readonly bottom: number;
  /** Nothing but rests. */
  readonly empty: boolean;
  /** Lines of lyrics under the staff. */
  readonly lyrics: number;
  /** The drawn notes with their events, in voice and time order: for slurs and lyrics. */
  readonly notes: readonly { readonly ev: NoteEvent; readonly note: StaveNote }[];
  /** Extent of each note or rest (as `top`/`bottom`) at its place in the measure (0 start, 1 end). */
  readonly profile: readonly { readonly at: number; readonly top: number; readonly bottom: number }[];
}

const RES = 16384;

type Profile = StaffMeasure["profile"][number];
/** A tuplet bracket and its number, in staff spaces beyond the notes it spans. */
const BRACKET = 2;
/** Room an articulation under a note takes, below the notehead or the staff (staff spaces). */
const ARTICULATION_ROOM = 2;
type ClefChange = { readonly at: Fraction; readonly clef: ClefInfo };

/**
 * Builds the VexFlow voices of one staff of a measure.
 * `clef` is the clef in force at the start of the measure.
 */
export function buildStaffMeasure(m: Measure, staff: number, ctx: NotationContext, clef: ClefInfo, end: Fraction = m.duration): StaffMeasure {
  const byVoice = voicesOf(m.events.filter((e) => e.staff === staff));
  const multi = byVoice.size > 1;
  const b = new StaffBuilder(m, staff, ctx, end);
  const voices: Voice[] = [];
  const sides = tieSides([...byVoice.values()]);
  let vi = 0;
  for (const [key, events] of byVoice) {
    const stemDir = multi ? (vi === 0 ? Stem.UP : Stem.DOWN) : undefined;
    // A voice's rests go over the other voices' notes where its own stems go up, as VexFlow then orders the voices.
    const others = [...byVoice].flatMap(([k, es]) => (k === key ? [] : es));
    const stems = events.flatMap((e) => (e.kind === "note" && !e.grace ? [e.stem ?? (stemDir === Stem.UP ? "up" : "down")] : []));
    const upper = stems.length ? 2 * stems.filter((d) => d === "up").length >= stems.length : vi === 0;
    const restAt: RestPlace = multi ? restPlace(others, upper ? 1 : -1, ctx) : () => 0;
    const tieSide = sides[vi];
    vi++;
    const voice = b.voice(events, clef, stemDir, restAt, tieSide);
    if (voice) voices.push(voice);
  }
  return b.finish(voices);
}

/**
 * Where the ties of each voice of a staff measure curve (see `TieEnd.side`): with two voices or
 * more, above for the voice whose notes lie highest on average, below for the others, whichever
 * voice number the higher one has (an arrangement may write a double stop's upper note in voice 2);
 * none for a single voice.
 * @example tieSides([upper, lower]) // [-1, 1]
 */
export function tieSides(voices: readonly (readonly Event[])[]): ((1 | -1) | undefined)[] {
  if (voices.length < 2) return voices.map(() => undefined);
  const heights = voices.map((events) => {
    const midis = events.flatMap((e) => (e.kind === "note" ? e.notes.flatMap((n) => (n.pitch ? [midiOf(n.pitch)] : [])) : []));
    return midis.length ? midis.reduce((a, b) => a + b, 0) / midis.length : -Infinity;
  });
  const top = Math.max(...heights);
  const first = heights.indexOf(top);
  return heights.map((_, k) => (k === first ? -1 : 1));
}

/** A voice's notes laid out in time: the tickables, the note of each event, the exact length of each. */
interface LaidVoice {
  readonly tickables: Tickable[];
  /** Event index → VexFlow note (not for ghost notes). */
  readonly noteOf: Map<number, StemmableNote>;
  readonly exact: Map<Note, Fraction>;
}

/** What the voices of a staff measure add up to while they are built. */
class StaffBuilder {
  private readonly m: Measure;
  private readonly ctx: NotationContext;
  /** The length of the measure column, which every voice fills. */
  private readonly end: Fraction;
  private readonly accidentals: Map<Event, (string | undefined)[]>;
  private readonly clefChanges: readonly ClefChange[];
  private readonly beams: Beam[] = [];
  private readonly tuplets: Tuplet[] = [];
  /** Each bracket's notes (their onsets) and side, for the room it takes (`reachTuplets`). */
  private readonly brackets: { readonly onsets: readonly Fraction[]; readonly above: boolean }[] = [];
  private readonly tieStarts: TieEnd[] = [];
  private readonly tieStops: TieEnd[] = [];
  private readonly anchors: Anchor[] = [];
  private readonly profile: Profile[] = [];
  private readonly drawn: { ev: NoteEvent; note: StaveNote }[] = [];
  private top = 0;
  private bottom = 4;
  /** Where the ties of the voice being built curve, in a staff of two voices (see `TieEnd.side`). */
  private tieSide: 1 | -1 | undefined;
  private empty = true;
  private lyrics = 0;

  constructor(m: Measure, staff: number, ctx: NotationContext, end: Fraction) {
    this.m = m;
    this.ctx = ctx;
    this.end = end;
    this.accidentals = accidentalsOf(m, ctx);
    this.clefChanges = m.midAttributes
      .flatMap((a) => (a.clefs ?? []).filter((c) => c.staff === staff).map((c) => ({ at: a.offset, clef: clefInfo(c.clef) })))
      .sort((a, b) => cmp(a.at, b.at));
  }

  /** The voice of one voice's events (undefined if it has nothing to show), its tuplets, beams and marks added. */
  voice(events: readonly Event[], clef: ClefInfo, stemDir: number | undefined, restAt: RestPlace, tieSide?: 1 | -1): Voice | undefined {
    this.tieSide = tieSide;
    const { tickables, noteOf, exact } = this.lay(events, clef, stemDir, restAt);
    if (tickables.length === 0) return undefined;
    this.addTuplets(events, noteOf, stemDir);
    setExactTicks(exact);
    this.addBeams(events, noteOf, stemDir);
    this.addMarks(events, noteOf, stemDir);
    this.reachTuplets();
    // The voice's length in whole ticks: a measure of odd length (1531/1536 in a corrupt source)
    // would give VexFlow a fractional tick count, and voices that then compare unequal.
    const end = this.end;
    const voice = new Voice({ numBeats: Math.round((end.n * VexFlow.RESOLUTION) / end.d), beatValue: VexFlow.RESOLUTION }).setMode(VoiceMode.SOFT);
    voice.addTickables(tickables);
    return voice;
  }

  finish(voices: Voice[]): StaffMeasure {
    const { beams, tuplets, tieStarts, tieStops, anchors, top, bottom, empty, lyrics, drawn, profile } = this;
    tieStarts.sort((a, b) => cmp(a.onset, b.onset));
    tieStops.sort((a, b) => cmp(a.onset, b.onset));
    return { voices, beams, tuplets, tieStarts, tieStops, anchors, top, bottom, empty, lyrics, notes: drawn, profile };
  }

  /** Where a time falls in the measure: 0 at its start, 1 at its end. */
  private place(f: Fraction): number {
    return (f.n * this.end.d) / (f.d * this.end.n);
  }

  /** Records what a note or mark at `onset` takes up, in staff spaces from the top line. */
  private reach(onset: Fraction, top: number, bottom: number): void {
    this.top = Math.min(this.top, top);
    this.bottom = Math.max(this.bottom, bottom);
    this.profile.push({ at: this.place(onset), top, bottom });
  }

  /**
   * Lays a voice's events out in time: notes, chords and rests, grace notes on the note they
   * lead to, clef changes where they fall, and ghost notes over the gaps, to the column's end.
   */
  private lay(events: readonly Event[], clef: ClefInfo, stemDir: number | undefined, restAt: RestPlace): LaidVoice {
    const tickables: Tickable[] = [];
    const noteOf = new Map<number, StemmableNote>();
    const exact = new Map<Note, Fraction>();
    const changes = this.clefChanges;
    let current = clef;
    let changeIdx = 0;
    let cursor = ZERO;
    let graces: GraceNote[] = [];
    const gap = (to: Fraction): void => {
      if (!lt(cursor, to)) return;
      for (const piece of splitNotatable(sub(to, cursor), 3)) {
        const g = new GhostNote({ duration: "q", durationOverride: new VFFraction(piece.n, piece.d) });
        tickables.push(g);
      }
      cursor = to;
    };
    const changeClef = (): void => {
      gap(changes[changeIdx]!.at);
      current = changes[changeIdx]!.clef;
      tickables.push(new ClefNote(current.name, "small", current.annotation));
      changeIdx++;
    };
    events.forEach((ev, ei) => {
      if (lt(ev.onset, cursor)) return; // overlapping events in one voice: not drawable
      while (changeIdx < changes.length && cmp(changes[changeIdx]!.at, ev.onset) <= 0) changeClef();
      gap(ev.onset);
      if (ev.kind === "note" && ev.grace) {
        if (!ev.hidden) graces.push(makeGrace(ev, this.ctx, current, this.accidentals.get(ev)));
        return;
      }
      let note: StemmableNote | GhostNote;
      if (ev.hidden) {
        note = new GhostNote({ duration: "q", durationOverride: new VFFraction(ev.duration.n, ev.duration.d) });
      } else if (ev.kind === "rest") {
        note = this.rest(ev, current, restAt(ev, current));
      } else {
        note = this.chord(ev, current, stemDir, graces);
        graces = [];
      }
      if (!(note instanceof GhostNote)) noteOf.set(ei, note);
      exact.set(note, ev.duration);
      tickables.push(note);
      this.anchors.push({ onset: ev.onset, tickable: note });
      cursor = add(ev.onset, ev.duration);
    });
    while (changeIdx < changes.length) changeClef();
    // Every voice of a measure column lasts the same, as VexFlow's formatter requires.
    if (tickables.length > 0) gap(this.end);
    return { tickables, noteOf, exact };
  }

  /** A rest: a whole-measure rest centred, others at their written position or off the middle line for their voice. */
  private rest(ev: Event & { kind: "rest" }, clef: ClefInfo, restShift: number): StaveNote {
    const m = this.m;
    const v = valueOf(ev) ?? notatedOf(m.duration) ?? { type: "whole" as NoteType, dots: 0 };
    const whole = ev.measureRest || (ev.onset.n === 0 && cmp(ev.duration, m.duration) === 0 && !ev.notated);
    const key = ev.position
      ? `${ev.position.step.toLowerCase()}/${ev.position.octave - clef.octave}`
      : restKey(clef.name, restShift);
    const r = new StaveNote({
      keys: [key],
      duration: whole ? "w" : REST_DURATION[v.type],
      dots: whole ? 0 : v.dots,
      type: "r",
      clef: clef.name,
      alignCenter: whole,
    });
    if (!whole && v.dots) Dot.buildAndAttach([r], { all: true });
    const p = r.getKeyLine(0);
    this.reach(ev.onset, 5 - p - 1, 5 - p + 1);
    return r;
  }

  /** A note or chord, with the ties it starts or ends and the grace notes before it. */
  private chord(ev: NoteEvent, clef: ClefInfo, stemDir: number | undefined, graces: GraceNote[]): StaveNote {
    this.empty = false;
    const sn = makeNote(ev, this.ctx, clef, this.accidentals.get(ev), stemDir);
    // The noteheads (half a space either side of their lines) and the stem.
    const up = sn.getStemDirection() === Stem.UP;
    const stemEnd = up ? 5 - sn.getKeyLine(ev.notes.length - 1) - 3.5 : 5 - sn.getKeyLine(0) + 3.5;
    const lines = ev.notes.map((_, i) => 5 - sn.getKeyLine(i));
    this.reach(ev.onset, Math.min(stemEnd, ...lines.map((l) => l - 0.5)), Math.max(stemEnd, ...lines.map((l) => l + 0.5)));
    ev.notes.forEach((n, i) => {
      const w = n.pitch ? writtenPitchIn(n.pitch, this.ctx) : undefined;
      const key = w ? `${w.step}${w.octave}` : `${n.unpitched?.step}${n.unpitched?.octave}`;
      const side = this.tieSide === undefined ? {} : { side: this.tieSide };
      if (n.tieStart) this.tieStarts.push({ note: sn, index: i, key, onset: ev.onset, ...side });
      if (n.tieStop) this.tieStops.push({ note: sn, index: i, key, onset: ev.onset, ...side });
    });
    // A rolled chord: the wavy line before it (VexFlow's directionless arpeggio, MusicXML's plain <arpeggiate/>).
    if (ev.arpeggiate && ev.notes.length > 1) sn.addModifier(new RollSign(ev.arpeggiate.direction), 0);
    if (graces.length) {
      const group = new GraceNoteGroup(graces, false);
      if (graces.length > 1) group.beamNotes();
      sn.addModifier(group, 0);
    }
    return sn;
  }

  /** Tuplets, where the notation module puts their brackets. */
  private addTuplets(events: readonly Event[], noteOf: ReadonlyMap<number, StemmableNote>, stemDir: number | undefined): void {
    const marks = tupletMarksOf(events);
    let open: { start: number; ratio: NonNullable<Event["tuplet"]> } | undefined;
    events.forEach((ev, ei) => {
      const ms = marks.get(ei) ?? ev.tupletMarks ?? [];
      if (ms.some((t) => t.type === "start") && ev.tuplet) open = { start: ei, ratio: ev.tuplet };
      if (ms.some((t) => t.type === "stop") && open) {
        const notes: StemmableNote[] = [];
        for (let k = open.start; k <= ei; k++) {
          const n = noteOf.get(k);
          if (n) notes.push(n);
        }
        if (notes.length === ei - open.start + 1 && notes.length > 0) {
          const above = stemDir !== Stem.DOWN;
          this.tuplets.push(new StaffTuplet(notes, { numNotes: open.ratio.actual, notesOccupied: open.ratio.normal, location: above ? 1 : -1, ratioed: false }));
          this.brackets.push({ onsets: events.slice(open.start, ei + 1).map((e) => e.onset), above });
        }
        open = undefined;
      }
    });
  }

  /**
   * The room a tuplet's bracket and number take, over or under its notes (their stems, beams and
   * marks settled) and outside the staff, so that the next staff's dynamics keep clear of them.
   */
  private reachTuplets(): void {
    for (const { onsets, above } of this.brackets.splice(0)) {
      const from = this.place(onsets[0]!);
      const to = this.place(onsets[onsets.length - 1]!);
      const under = this.profile.filter((p) => p.at >= from && p.at <= to);
      const edge = above ? Math.min(0, ...under.map((p) => p.top)) - BRACKET : Math.max(4, ...under.map((p) => p.bottom)) + BRACKET;
      for (const onset of onsets) this.reach(onset, above ? edge : 4, above ? 0 : edge);
    }
  }

  /** Beams by beat, from the notation module. */
  private addBeams(events: readonly Event[], noteOf: ReadonlyMap<number, StemmableNote>, stemDir: number | undefined): void {
    const beamMarks = beamsOf(events, this.m, this.ctx);
    let group: StemmableNote[] = [];
    let groupEvents: number[] = [];
    events.forEach((_, ei) => {
      const b = beamMarks.get(ei)?.find((x) => x.number === 1);
      const n = noteOf.get(ei);
      if (!b || !n) return;
      if (b.value === "begin") {
        group = [n];
        groupEvents = [ei];
      } else if (b.value === "continue") {
        group.push(n);
        groupEvents.push(ei);
      } else if (b.value === "end") {
        group.push(n);
        groupEvents.push(ei);
        if (group.length > 1) this.beam(group, groupEvents.map((i) => events[i]!.onset), stemDir);
        group = [];
        groupEvents = [];
      }
    });
  }

  /** One beam over a group of notes (at `onsets`); rests or mixed values VexFlow cannot beam keep their flags. */
  private beam(group: StemmableNote[], onsets: readonly Fraction[], stemDir: number | undefined): void {
    try {
      this.beams.push(new Beam(group, stemDir === undefined));
      // The beam may have turned the stems, and it joins them at (about) the stem end
      // furthest out: what the group takes up, for the vertical spacing.
      const ext = beamedExtent(group);
      if (ext) for (const onset of onsets) this.reach(onset, ext.top, ext.bottom);
    } catch {
      // Drawn with flags instead.
    }
  }

  /** Articulations, ornaments and fermatas, once the beams have settled the stems; and lyrics. */
  private addMarks(events: readonly Event[], noteOf: ReadonlyMap<number, StemmableNote>, stemDir: number | undefined): void {
    events.forEach((ev, ei) => {
      const n = noteOf.get(ei);
      if (!(n instanceof StaveNote)) return;
      const up = n.getStemDirection() === Stem.UP;
      if (ev.fermata) {
        const below = stemDir === Stem.DOWN;
        n.addModifier(new Articulation(below ? "a@u" : "a@a").setPosition(below ? Modifier.Position.BELOW : Modifier.Position.ABOVE), 0);
        this.reach(ev.onset, below ? 0 : -3, below ? 7 : 4);
      }
      if (ev.kind !== "note") return;
      this.drawn.push({ ev, note: n });
      if (ev.lyrics?.length) {
        this.lyrics = Math.max(this.lyrics, new Set(ev.lyrics.map((l) => l.number)).size);
        // Room for its syllables (drawn with the system, see draw/lyrics.ts), so the formatter
        // spaces the notes until no two syllables touch (Gould: the words set the spacing).
        for (const l of ev.lyrics) n.addModifier(new LyricRoom(`${l.text}${continuesWord(l) ? " -" : ""}`), 0);
      }
      for (const a of ev.articulations ?? []) {
        if (isBreathMark(a)) {
          // Room above the staff for the comma, drawn after the notes are placed (draw/breaths.ts).
          this.reach(ev.onset, -2, 4);
          continue;
        }
        const code = ARTICULATIONS[a.name];
        if (!code) continue;
        const below = a.placement ? a.placement === "below" : up;
        n.addModifier(new Articulation(code).setPosition(below ? Modifier.Position.BELOW : Modifier.Position.ABOVE), 0);
        // Under the staff, an accent or a staccato takes the room a dynamic would have there.
        if (below) this.reach(ev.onset, 0, Math.max(4, 5 - n.getKeyLine(0) + 0.5) + ARTICULATION_ROOM);
      }
      for (const o of ev.ornaments ?? []) {
        const code = ORNAMENTS[o.name];
        if (!code) continue;
        n.addModifier(new Ornament(code), 0);
        this.reach(ev.onset, -2.5, 4);
      }
    });
  }
}

/**
 * A rolled chord's wavy line, before its noteheads, from a space under the lowest to a space over
 * the highest, with an arrowhead at the end it rolls to where it has a direction. VexFlow's
 * Stroke, drawn over its own chord only: VexFlow's reaches every note struck at that moment, and a
 * system shares one modifier context per moment (the line would run through every staff, and
 * throws for a staff not yet placed).
 */
class RollSign extends Stroke {
  constructor(private readonly direction?: "up" | "down") {
    super(Stroke.Type.ARPEGGIO_DIRECTIONLESS, { allVoices: false });
  }

  override draw(): void {
    const ctx = this.checkContext();
    const note = this.checkAttachedNote();
    this.setRendered();
    const start = note.getModifierStartXY(this.getPosition(), this.checkIndex());
    const ys = note.getYs();
    const space = note.checkStave().getSpacingBetweenLines();
    const top = Math.min(start.y, ...ys) - space / 2;
    const bottom = Math.max(start.y, ...ys) + space / 2;
    const x = start.x - 5 + this.getXShift();
    // SMuFL's wiggleArpeggiatoUp, repeated to the chord's height and turned upright.
    const line = new Element();
    for (let text = "\uEAA9"; line.getWidth() < bottom - top && text.length < 64; text += "\uEAA9") line.setText(text);
    ctx.openRotation(90, x, top);
    line.renderText(ctx, x, top - line.getTextMetrics().actualBoundingBoxDescent + line.getHeight() / 2);
    ctx.closeRotation();
    if (!this.direction) return;
    // SMuFL's arrowheadBlackUp or arrowheadBlackDown, centred on the line's end.
    const head = new Element();
    head.setText(this.direction === "up" ? "\uEB78" : "\uEB7C");
    head.renderText(ctx, x - head.getWidth() / 2, this.direction === "up" ? top : bottom + space);
  }
}

/**
 * The width of a syllable under a note, for the formatter: an annotation centred on the note that
 * is measured like one and never drawn (the lyrics are drawn along the system, at one height).
 */
class LyricRoom extends Annotation {
  constructor(syllable: string) {
    super(syllable);
    this.setFont("Academico", LYRIC_SIZE).setVerticalJustification(Annotation.VerticalJustify.BOTTOM);
  }

  override draw(): void {}
}

/**
 * A tuplet whose bracket sits just over (or under) its own notes, their stems and their own marks.
 * VexFlow's rises for every text mark at the same moment in any staff formatted with it (a system
 * shares one modifier context per moment): a trill in the first trumpet lifted the tuba's triplet
 * bracket into the trombone's staff.
 */
class StaffTuplet extends Tuplet {
  override getYPosition(): number {
    const top = this.options.location === Tuplet.LOCATION_TOP;
    const side = top ? -1 : 1;
    const stave = this.notes[0]!.checkStave();
    const space = stave.getSpacingBetweenLines();
    let y = top ? stave.getYForLine(0) - 1.5 * space : stave.getYForLine(4) + 2 * space;
    for (const n of this.notes) {
      if (!(n instanceof StaveNote)) continue;
      // The noteheads (or the rest), the stem's tip on the bracket's side, the note's own marks there.
      const ys = n.getYs();
      let reach = top ? Math.min(...ys) - space : Math.max(...ys) + space;
      if (!n.isRest() && n.hasStem() && n.getStemDirection() === (top ? Stem.UP : Stem.DOWN)) {
        const { topY } = n.getStemExtents();
        reach = top ? Math.min(reach, topY) : Math.max(reach, topY);
      }
      // (A breath mark is an annotation over the staff.)
      const marks = n.getModifiers().filter((m) => m.getPosition() === (top ? Modifier.Position.ABOVE : Modifier.Position.BELOW) || (top && m instanceof Annotation && !(m instanceof LyricRoom))).length;
      const at = reach + side * (marks * 1.5 + 1) * space;
      y = top ? Math.min(y, at) : Math.max(y, at);
    }
    return y + this.getNestedTupletCount() * Tuplet.NESTING_OFFSET * side + this.options.yOffset;
  }
}

/** Gives every note its exact ticks, whatever its notated value and tuplet say. */
function setExactTicks(exact: ReadonlyMap<Note, Fraction>): void {
  for (const [note, dur] of exact) {
    const want = (dur.n * RES) / dur.d;
    const have = note.getTicks().value();
    if (Math.abs(want - have) > 1e-6) {
      const mul = note.getTickMultiplier();
      note.setDuration(new VFFraction(dur.n * mul.denominator, dur.d * mul.numerator));
    }
  }
}

function keyOf(ev: NoteEvent, i: number, ctx: NotationContext, clef: ClefInfo): string {
  const n = ev.notes[i]!;
  if (n.pitch) {
    const w = writtenPitchIn(n.pitch, ctx);
    return `${w.step.toLowerCase()}/${w.octave - clef.octave}`;
  }
  const u = n.unpitched ?? { step: "B", octave: 4 };
  return `${u.step.toLowerCase()}/${u.octave}`;
}

function addAccidentals(
  note: StaveNote,
  ev: NoteEvent,
  shown: readonly (string | undefined)[] | undefined,
): void {
  ev.notes.forEach((n, i) => {
    const name = n.accidental?.value ?? shown?.[i];
    const code = name ? ACCIDENTAL_CODES[name] : undefined;
    if (!code) return;
    const acc = new Accidental(code);
    if (n.accidental?.cautionary || n.accidental?.parentheses) acc.setAsCautionary();
    note.addModifier(acc, i);
  });
}

function makeNote(ev: NoteEvent, ctx: NotationContext, clef: ClefInfo, shown: readonly (string | undefined)[] | undefined, stemDir: number | undefined): StaveNote {
  const v = valueOf(ev) ?? notatedOf(splitNotatable(ev.duration, 3)[0] ?? ev.duration) ?? { type: "quarter" as NoteType, dots: 0 };
  const stem = ev.stem === "up" ? Stem.UP : ev.stem === "down" ? Stem.DOWN : stemDir;
  const note = new StaveNote({
    keys: ev.notes.map((_, i) => keyOf(ev, i, ctx, clef)),
    duration: DURATION[v.type],
    dots: v.dots,
    clef: clef.name,
    ...(stem !== undefined ? { stemDirection: stem } : { autoStem: true }),
  });
  addAccidentals(note, ev, shown);
  if (v.dots) Dot.buildAndAttach([note], { all: true });
  return note;
}

function makeGrace(ev: NoteEvent, ctx: NotationContext, clef: ClefInfo, shown: readonly (string | undefined)[] | undefined): GraceNote {
  const v = ev.notated ?? { type: "eighth" as NoteType, dots: 0 };
  const g = new GraceNote({
    keys: ev.notes.map((_, i) => keyOf(ev, i, ctx, clef)),
    duration: DURATION[v.type],
    slash: ev.grace?.slash ?? false,
    clef: clef.name,
  });
  addAccidentals(g, ev, shown);
  return g;
}

/** Highest and lowest point of a beamed group (staff spaces from the top line), the beam taken flat at the stem end furthest out. */
function beamedExtent(group: readonly StemmableNote[]): { top: number; bottom: number } | undefined {
  const notes = group.filter((n): n is StaveNote => n instanceof StaveNote);
  if (notes.length === 0) return undefined;
  let top = Infinity;
  let bottom = -Infinity;
  let tip = notes[0]!.getStemDirection() === Stem.UP ? Infinity : -Infinity;
  for (const n of notes) {
    const lines = n.getKeyProps().map((_, i) => 5 - n.getKeyLine(i));
    top = Math.min(top, ...lines.map((l) => l - 0.5));
    bottom = Math.max(bottom, ...lines.map((l) => l + 0.5));
    if (n.getStemDirection() === Stem.UP) tip = Math.min(tip, Math.min(...lines) - 3.5);
    else tip = Math.max(tip, Math.max(...lines) + 3.5);
  }
  return { top: Math.min(top, tip), bottom: Math.max(bottom, tip) };
}
