/**
 * A keyboard staff's notes dealt to two voices, the way the MIDI reader writes a piano part; and
 * a piano part written again with its notes on other staves (the hands the analysis finds).
 */
import { frameSpans, framesOf, type MeasureFrame, type PlacedDirection } from "../model/build.js";
import { buildChordVoices, type ChordVoice, chordVoice } from "../model/chord-voice.js";
import { add, cmp, type Fraction, le, sub, ZERO } from "../model/fraction.js";
import { midiOf, type Pitch } from "../model/pitch.js";
import type { Clef, Part, StaffClef } from "../model/score.js";
import { dealBySpan } from "../model/search.js";
import { type JoinedNote, joinTies, timedDirections } from "../model/timeline.js";
import { groupBy } from "../util/group.js";
import { median } from "../util/median.js";
import type { GridFamily } from "./quantise.js";

/** A note as the voices deal it: when it starts and ends. */
interface Timed {
  readonly onset: Fraction;
  readonly end: Fraction;
}

/** One of a staff's two voices while notes are dealt to them. */
interface Slot<N> {
  busyUntil: Fraction;
  readonly notes: N[];
  /** The grids its notes are struck on in beats of both grids ("beat:grid", see `familyOf`). */
  readonly grids: Set<string>;
}

/**
 * The notes of a staff dealt to two voices, chord by chord: sub-chords by end (more than two
 * join the most common), the shorter in the first voice and the held one in the second when
 * both are free; into the free voice together when one voice holds a note over. `familyOf` names
 * the grid a time keeps to where a beat has two (1 the 16ths', 2 the triplets'); a voice takes the
 * notes of one of them in a beat where the other voice can.
 * @example twoVoices([C4 half at 0, E4 quarter at 0, G4 quarter at 1/4]) // [[E4, G4], [C4]]
 */
export function twoVoices<N extends Timed>(notes: readonly N[], familyOf: (t: Fraction) => GridFamily | undefined = () => undefined): [N[], N[]] {
  const slots: [Slot<N>, Slot<N>] = [
    { busyUntil: ZERO, notes: [], grids: new Set() },
    { busyUntil: ZERO, notes: [], grids: new Set() },
  ];
  // By onset: a note struck on a point both grids share ends where the voice it joins goes on.
  const families = (ns: readonly N[]): GridFamily[] => ns.flatMap((n) => familyOf(n.onset) ?? []);
  const clashes = (slotIndex: number, ns: readonly N[]): boolean => families(ns).some((f) => slots[slotIndex]!.grids.has(`${f.beat}:${3 - f.grid}`));
  for (const group of groupBy(notes, (n) => `${n.onset.n}/${n.onset.d}`).values()) {
    const onset = group[0]!.onset;
    let byEnd = [...groupBy(group, (n) => `${n.end.n}/${n.end.d}`).values()].sort((a, b) => b.length - a.length || cmp(b[0]!.end, a[0]!.end));
    if (byEnd.length > 2) {
      const [a, ...rest] = byEnd;
      byEnd = [[...a!, ...rest.slice(1).flat()], rest[0]!];
    }
    // A sub-chord is busy until its first note's end (the most common end, for the one joined).
    const chords = byEnd.map((ns) => ({ end: ns[0]!.end, notes: ns })).sort((a, b) => cmp(a.end, b.end));
    const free = slots.map((s) => le(s.busyUntil, onset));
    const assign = (chord: { end: Fraction; notes: N[] }, slotIndex: number): void => {
      const slot = slots[slotIndex]!;
      slot.notes.push(...chord.notes);
      slot.busyUntil = chord.end;
      for (const f of families(chord.notes)) slot.grids.add(`${f.beat}:${f.grid}`);
    };
    if (chords.length === 1) {
      const ns = chords[0]!.notes;
      const fits = [0, 1].filter((k) => free[k] && !clashes(k, ns));
      assign(chords[0]!, fits[0] ?? (free[0] ? 0 : free[1] ? 1 : cmp(slots[0].busyUntil, slots[1].busyUntil) <= 0 ? 0 : 1));
    } else {
      const [short, long] = chords as [(typeof chords)[number], (typeof chords)[number]];
      if (free[0] !== free[1]) {
        // One voice is held over: both sub-chords in the free voice, the longer notes tied on.
        assign({ end: short.end, notes: [...short.notes, ...long.notes] }, free[0] ? 0 : 1);
      } else {
        // The shorter in the first voice, unless only the other way round each keeps to its grid.
        const swap = (clashes(0, short.notes) || clashes(1, long.notes)) && !clashes(1, short.notes) && !clashes(0, long.notes);
        assign(short, swap ? 1 : 0);
        assign(long, swap ? 0 : 1);
      }
    }
  }
  return [slots[0].notes, slots[1].notes];
}

/**
 * A keyboard part written again with each note on the staff `staffOf` gives it: two voices a
 * staff (`twoVoices`), every note as long and spelled as before, the part's directions kept.
 * @example restaffPiano(part, (n) => (midiOf(n.note.pitch!) >= 60 ? 1 : 2)) // middle C and up in the right hand
 */
export function restaffPiano(part: Part, staffOf: (note: JoinedNote) => 1 | 2): Part {
  const staves: [(Timed & { pitch: Pitch })[], (Timed & { pitch: Pitch })[]] = [[], []];
  for (const j of joinTies(part, { by: "staff", include: (ev) => !ev.cue && !ev.grace && ev.duration.n > 0 })) {
    if (j.note.pitch) staves[staffOf(j) - 1]!.push({ onset: j.onset, end: add(j.onset, j.duration), pitch: j.note.pitch });
  }
  const voices: ChordVoice[] = [];
  staves.forEach((notes, si) => {
    const sorted = [...notes].sort((a, b) => cmp(a.onset, b.onset));
    twoVoices(sorted).forEach((voice, vi) => {
      if (voice.length > 0) voices.push(chordVoice(voice.map((n) => ({ onset: n.onset, duration: sub(n.end, n.onset), pitch: n.pitch })), String(si * 4 + vi + 1), si + 1));
    });
  });
  const directions: PlacedDirection[] = [...timedDirections(part)].map(({ direction, onset }) => {
    const { offset: _offset, ...rest } = direction;
    return { ...rest, onset };
  });
  // The clefs follow the hands as dealt now, not as the reader split them.
  const frames = framesOf(part).map((f) => {
    const { clefs: _clefs, ...attributes } = f.attributes;
    return { ...f, attributes };
  });
  return { ...part, measures: buildChordVoices(pianoClefFrames(frames, voices), voices, directions) };
}

/** The clefs of a piano's two staves: treble over bass. */
const PIANO_CLEFS: Readonly<Record<1 | 2, Clef>> = { 1: { sign: "G", line: 2 }, 2: { sign: "F", line: 4 } };

/**
 * Where a staff's notes call for the other clef, and back (key numbers of the measure's median
 * note): three ledger lines or more, G3 and below on the treble staff, G4 and above on the bass
 * staff; back within one, C4 and above, C4 and below.
 */
const CLEF_TURNS = { 1: { away: 55, back: 60 }, 2: { away: 67, back: 60 } } as const;

/**
 * The frames of a piano part with its staves' clefs, as an engraver sets them (Gould): treble over
 * bass, and a staff whose notes stay for two measures or more where its clef would need three
 * ledger lines (a left hand high in the treble, a right hand low in the bass) takes the other
 * clef at the barline, and its own again where they stay for two measures back in its register.
 * A measure where the staff rests keeps its clef. The first frame states both staves' clefs.
 * @example pianoClefFrames(frames, voices)[0].attributes.clefs // [{ staff: 1, clef: G }, { staff: 2, clef: G }] for a left hand above middle C
 */
export function pianoClefFrames(frames: readonly MeasureFrame[], voices: readonly ChordVoice[]): MeasureFrame[] {
  const spans = frameSpans(frames);
  // Each staff's median key number in each measure, of the notes struck there.
  const medians = ([1, 2] as const).map((staff) => {
    const struck = voices.filter((v) => v.staff === staff).flatMap((v) => v.events.filter((e) => !e.tieIn && !e.grace));
    return dealBySpan(struck, spans).map((es) => median(es.flatMap((e) => e.pitches.map(midiOf))));
  });
  const changes = new Map<number, StaffClef[]>();
  for (const staff of [1, 2] as const) {
    const turn = CLEF_TURNS[staff];
    const own = PIANO_CLEFS[staff];
    const other = PIANO_CLEFS[staff === 1 ? 2 : 1];
    // Away from its own register: below it on the treble staff, above it on the bass staff.
    const away = (m: number): boolean => (staff === 1 ? m <= turn.away : m >= turn.away);
    const back = (m: number): boolean => (staff === 1 ? m >= turn.back : m <= turn.back);
    const sounding = medians[staff - 1]!.flatMap((m, i) => (m === undefined ? [] : [{ i, m }]));
    let inOwn = true;
    sounding.forEach(({ i, m }, k) => {
      const next = sounding[k + 1];
      const turns = inOwn ? away(m) && (!next || away(next.m)) : back(m) && (!next || back(next.m));
      if (!turns) return;
      inOwn = !inOwn;
      // The first clef stands in the first frame.
      const at = k === 0 ? 0 : i;
      changes.set(at, [...(changes.get(at) ?? []), { staff, clef: inOwn ? own : other }]);
    });
  }
  return frames.map((f, i) => {
    const first = i === 0 ? ([1, 2] as const).map((staff) => changes.get(0)?.find((c) => c.staff === staff) ?? { staff, clef: PIANO_CLEFS[staff] }) : undefined;
    const clefs = first ?? changes.get(i);
    return clefs ? { ...f, attributes: { ...f.attributes, clefs } } : f;
  });
}
