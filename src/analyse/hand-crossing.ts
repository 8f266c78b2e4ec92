/**
 * A hand crossing over the other and back: the notes one notated line strikes across the other
 * hand are a line of their own, and the line around them goes on.
 *
 * The Polonaise op. 1 no. 3, mm. 40–45: the right hand crosses the left's repeated chords to play
 * the bass notes B2 E3 under them, then leaps back over them to the tune D5 G5 F5, all in one
 * notated voice. The slots of a staff (see slot-separator.ts) know nothing of the other staff, so
 * they kept it one line: the tune and its bass notes went to one player (the string quartet's
 * first violin played E4 B3, then the tune an octave up; the brass quintet's horn the tune an
 * octave down under the first trumpet's E4s). A leap wider than an octave between two notes the
 * staff strikes alone, over every note the other staff sounds both where it leaves and where it
 * lands, is a crossing; a crossing and the next one back, within two whole notes, enclose an
 * excursion, whose notes become a line of their own, which the roles and the bass find by
 * register. A hand that breaks chords across the other (Schoenberg op. 19 no. 2, m. 5: G♭5 B♭5
 * F♭6, then F♯3 and A♯3 together under the left hand's G4 B4) crosses nothing here: its notes
 * struck together are a chord the slots deal, not a line. Notes whose staff the reader guessed (a
 * one-track MIDI file) have no other staff: nothing is taken out.
 */
import { add, cmp, eq, type Fraction, frac, gt, le, sub } from "../model/fraction.js";
import { firstReaching, reachOf, timeKey } from "../model/search.js";
import { midiOf } from "../model/pitch.js";
import { TupleMap } from "../util/keyed.js";
import type { DraftNote, SketchNote } from "./sketch-notes.js";
import type { DraftLine } from "./slot-separator.js";

/** A sketch note by where it was written. */
type Written = [part: number, measure: number, event: number, note: number];
const writtenOf = (s: DraftNote["source"]): Written => [s.part, s.measure, s.event, s.note];

/** The longest a hand stays across the other, from leaving to coming back. */
const EXCURSION: Fraction = frac(2, 1);

/** A leap over the other hand no wider than this (semitones) is not a crossing: a hand reaching, not crossing. */
const OCTAVE = 12;

/**
 * Takes each line's excursions over the other hand out into lines of their own (see the file
 * comment), with new ids; a note doubled by a line (`shared`) names the excursion where that is the
 * line that holds the doubled note then.
 */
export function splitHandCrossings(lines: DraftLine[], notes: readonly SketchNote[]): DraftLine[] {
  const bySource = new TupleMap<Written, SketchNote>();
  for (const n of notes) bySource.set(writtenOf(n.source), n);
  const sketchOf = (n: DraftNote): SketchNote | undefined => bySource.get(writtenOf(n.source));
  // Each staff's notes in onset order, with their reach for a bisection (see `firstReaching`), and
  // how many notes each staff strikes at each onset: a long score has tens of thousands.
  const staves = new Map<string, { part: number; staff: number; notes: SketchNote[]; reach: Fraction[] }>();
  const struck = new Map<string, number>();
  for (const n of notes) {
    if (n.staffGuessed) continue;
    const key = `${n.part}:${n.staff}`;
    let s = staves.get(key);
    if (!s) staves.set(key, (s = { part: n.part, staff: n.staff, notes: [], reach: [] }));
    s.notes.push(n);
    const at = `${key}@${timeKey(n.onset)}`;
    struck.set(at, (struck.get(at) ?? 0) + 1);
  }
  for (const s of staves.values()) {
    s.notes.sort((a, b) => cmp(a.onset, b.onset));
    s.reach = reachOf(s.notes.map((n) => add(n.onset, n.duration)));
  }
  // A note its staff strikes alone: a hand's line, not a chord it breaks.
  const alone = (x: SketchNote): boolean => struck.get(`${x.part}:${x.staff}@${timeKey(x.onset)}`) === 1;
  // The other staves' notes sounding as a note is struck.
  const otherStaff = (x: SketchNote): number[] => {
    const out: number[] = [];
    for (const s of staves.values()) {
      if (s.part !== x.part || s.staff === x.staff) continue;
      for (let i = firstReaching(s.reach, x.onset); i < s.notes.length && le(s.notes[i]!.onset, x.onset); i++) {
        const o = s.notes[i]!;
        if (gt(add(o.onset, o.duration), x.onset)) out.push(o.midi);
      }
    }
    return out;
  };
  const crosses = (a: DraftNote, b: DraftNote): boolean => {
    const x = sketchOf(a);
    const y = sketchOf(b);
    if (!x || !y || x.staffGuessed || x.staff !== y.staff || Math.abs(x.midi - y.midi) <= OCTAVE || !alone(x) || !alone(y)) return false;
    const low = Math.min(x.midi, y.midi);
    const high = Math.max(x.midi, y.midi);
    const leaves = otherStaff(x);
    const lands = otherStaff(y);
    return leaves.length > 0 && lands.length > 0 && [...leaves, ...lands].every((m) => m > low && m < high);
  };
  let next = lines.reduce((m, l) => Math.max(m, l.id + 1), 0);
  const out: DraftLine[] = [];
  // Old id → its excursion's id and notes.
  const awayOf = new Map<number, { id: number; notes: Set<DraftNote> }>();
  for (const line of lines) {
    const crossings = line.notes.flatMap((n, k) => (k > 0 && crosses(line.notes[k - 1]!, n) ? [k] : []));
    // An excursion: the hand crosses over and comes back, soon; its notes are a line of their own.
    const away = new Set<number>();
    for (let c = 0; c + 1 < crossings.length; c++) {
      const [a, b] = [crossings[c]!, crossings[c + 1]!];
      const down = midiOf(line.notes[a]!.pitch) < midiOf(line.notes[a - 1]!.pitch);
      const back = midiOf(line.notes[b]!.pitch) > midiOf(line.notes[b - 1]!.pitch) === down;
      if (!back || gt(sub(line.notes[b]!.onset, line.notes[a]!.onset), EXCURSION)) continue;
      for (let k = a; k < b; k++) away.add(k);
      c++;
    }
    if (away.size === 0) {
      out.push(line);
      continue;
    }
    const excursion: DraftLine = { id: next++, notes: line.notes.filter((_, k) => away.has(k)) };
    const home: DraftLine = { id: line.id, notes: line.notes.filter((_, k) => !away.has(k)) };
    out.push(home, excursion);
    awayOf.set(line.id, { id: excursion.id, notes: new Set(excursion.notes) });
  }
  if (awayOf.size === 0) return out;
  // A doubling names the excursion where it is the excursion's note it doubled with.
  for (const line of out) {
    for (const n of line.notes) {
      if (!n.shared) continue;
      n.shared = n.shared.map((id) => {
        const a = awayOf.get(id);
        return a && [...a.notes].some((x) => eq(x.onset, n.onset)) ? a.id : id;
      });
    }
  }
  return out;
}
