/**
 * A part's music in time: where its measures start, its events and directions at their place
 * from the start of the score, and its notes with ties joined. Every stage that needs "when" asks
 * here, so that they all agree on it.
 */
import { add, cmp, eq, type Fraction, ZERO } from "./fraction.js";
import { midiOf } from "./pitch.js";
import { type Direction, type Event, isBreathMark, muteWords, type Note, type NoteEvent, type Part } from "./score.js";

/** The onset of each measure of a part from the start of the score. */
export function measureStarts(part: Part): Fraction[] {
  const starts: Fraction[] = [];
  let t = ZERO;
  for (const m of part.measures) {
    starts.push(t);
    t = add(t, m.duration);
  }
  return starts;
}

/** An event of a part at its place in time. */
export interface TimedEvent {
  readonly event: Event;
  /** From the start of the score, in whole notes. */
  readonly onset: Fraction;
  /** Index of its measure in the part, and of the event in the measure. */
  readonly measure: number;
  readonly index: number;
}

/**
 * A part's events in the order written, each with its onset from the start of the score.
 * @example [...timedEvents(part)][0] // { event: { kind: "note", ... }, onset: 0, measure: 0, index: 0 }
 */
export function* timedEvents(part: Part): Generator<TimedEvent> {
  let start = ZERO;
  for (let measure = 0; measure < part.measures.length; measure++) {
    const m = part.measures[measure]!;
    for (let index = 0; index < m.events.length; index++) {
      const event = m.events[index]!;
      yield { event, onset: add(start, event.onset), measure, index };
    }
    start = add(start, m.duration);
  }
}

/** A direction of a part at its place in time. */
export interface TimedDirection {
  readonly direction: Direction;
  /** From the start of the score, in whole notes. */
  readonly onset: Fraction;
  readonly measure: number;
}

/**
 * A part's directions in the order written, each with its onset from the start of the score.
 * @example [...timedDirections(part)].filter((d) => d.direction.items[0]?.kind === "dynamics").length // the dynamics marked
 */
export function* timedDirections(part: Part): Generator<TimedDirection> {
  let start = ZERO;
  for (let measure = 0; measure < part.measures.length; measure++) {
    const m = part.measures[measure]!;
    for (const direction of m.directions) yield { direction, onset: add(start, direction.offset), measure };
    start = add(start, m.duration);
  }
}

/** Where a part's words put a mute in (`on`) and take it out, in time order (see `muteWords`). */
export function muteChanges(part: Part): { readonly at: Fraction; readonly on: boolean }[] {
  const out: { at: Fraction; on: boolean }[] = [];
  for (const { direction, onset } of timedDirections(part)) {
    for (const item of direction.items) {
      const on = item.kind === "words" ? muteWords(item.text) : undefined;
      if (on !== undefined) out.push({ at: onset, on });
    }
  }
  return out.sort((a, b) => cmp(a.at, b.at));
}

/** A note with its ties joined: the first written piece, lasting as long as all its pieces. */
export interface JoinedNote {
  readonly note: Note;
  /** The event of the first piece. */
  readonly event: NoteEvent;
  readonly onset: Fraction;
  /** All the tied pieces together. */
  readonly duration: Fraction;
  /** Staff of the first piece (a cross-staff chord note's own). */
  readonly staff: number;
  readonly measure: number;
  /** Index of the first piece's event in its measure, and of the note in that event. */
  readonly index: number;
  readonly noteIndex: number;
  /** A piece of it is held under a fermata. */
  readonly fermata: boolean;
  /** Its last piece carries a breath mark: the player breathes after it. */
  readonly breath: boolean;
}

export interface JoinOptions {
  /**
   * What a tie continues in: the same staff and voice ("voice"), or the same staff whatever the
   * voice ("staff"). Either way, a tie the source writes across voices or staves is found by key
   * number alone when nothing on its own staff (and voice) ends where it starts.
   */
  readonly by: "voice" | "staff";
  /** Which note events take part (the others are passed over, also as continuations). */
  readonly include: (event: NoteEvent) => boolean;
}

/**
 * A part's notes with ties joined, in the order their first pieces are written. Unpitched notes
 * are never tied.
 * @example joinTies(part, { by: "voice", include: (e) => !e.cue }).length // the notes a player attacks
 */
export function joinTies(part: Part, options: JoinOptions): JoinedNote[] {
  const out: { -readonly [K in keyof JoinedNote]: JoinedNote[K] }[] = [];
  // Notes waiting for their continuation, by key number, then by staff (and voice), in the
  // order they were struck.
  const open = new Map<number, Map<string, (typeof out)[number]>>();
  for (const { event, onset, measure, index } of timedEvents(part)) {
    if (event.kind !== "note" || !options.include(event)) continue;
    event.notes.forEach((note, noteIndex) => {
      const staff = note.staff ?? event.staff;
      const midi = note.pitch ? midiOf(note.pitch) : undefined;
      const own = options.by === "voice" ? `${staff} ${event.voice}` : String(staff);
      if (midi !== undefined && note.tieStop) {
        const waiting = open.get(midi);
        const ends = (n: (typeof out)[number] | undefined): boolean => !!n && eq(add(n.onset, n.duration), onset);
        let key: string | undefined = ends(waiting?.get(own)) ? own : undefined;
        if (key === undefined && waiting) for (const [k, n] of waiting) if (ends(n)) key = k;
        const prev = key !== undefined ? waiting!.get(key) : undefined;
        if (prev) {
          prev.duration = add(prev.duration, event.duration);
          if (event.fermata) prev.fermata = true;
          prev.breath = hasBreathMark(event);
          waiting!.delete(key!);
          if (note.tieStart) waiting!.set(own, prev);
          return;
        }
      }
      const joined: (typeof out)[number] = { note, event, onset, duration: event.duration, staff, measure, index, noteIndex, fermata: !!event.fermata, breath: hasBreathMark(event) };
      out.push(joined);
      if (midi !== undefined && note.tieStart) {
        let waiting = open.get(midi);
        if (!waiting) open.set(midi, (waiting = new Map()));
        // A key set again moves to the end: the most recent note is the one a stray tie finds.
        waiting.delete(own);
        waiting.set(own, joined);
      }
    });
  }
  return out;
}

/** Whether an event carries a breath mark (MusicXML's <breath-mark/> articulation). */
function hasBreathMark(event: NoteEvent): boolean {
  return !!event.articulations?.some(isBreathMark);
}
