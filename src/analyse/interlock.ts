/**
 * One figure the separator split between two lines, each with gaps the other fills: joined back.
 *
 * A hand's running figure whose top notes are held over the next one or two (the melody notes
 * of Debussy's *Doctor Gradus ad Parnassum*, mm. 3–10, as the piano-midi.de file plays them: an
 * eighth or a dotted eighth over the 16ths under them) cannot be one line while the held note
 * sounds, so the separator gives the notes struck under it to a second line: two lines that take
 * turns, each resting where the other plays. Given to two instruments, that is a hocket nobody
 * wrote (the flute on the beats, the clarinet on the 16ths between, both marked pp). An arranger
 * gives the figure to one player. Where two lines' notes follow one another a 16th (or less)
 * apart, on one grid, never struck together, no leap between them wider than an octave, for at
 * least `MIN_NOTES` notes, the lines taking turns at least one step in five, at least one turn
 * in three made under a held note, a third of the notes or fewer held over the next and none
 * longer than three steps, and never a low note held under the higher ones (that is a bass or
 * a pedal, a voice of its own: the same piece, m. 14, where the left hand crosses over the
 * right's tied B3), the notes go to the line that has most of them, each held until the next is
 * struck. Two voices that answer each other (the violins of a string quartet in 16ths, one of
 * them holding eighths) are not a figure: their held notes are half the notes or more.
 */
import { add, eq, type Fraction, frac, gt, le, lt, mul, sub } from "../model/fraction.js";
import { midiOf } from "../model/pitch.js";
import type { DraftNote } from "./sketch-notes.js";
import type { DraftLine } from "./slot-separator.js";

/** The longest grid step of a figure: a 16th. */
const STEP = frac(1, 16);
/** The fewest notes a figure has, and the share of its steps at which the line changes. */
const MIN_NOTES = 16;
const MIN_TURNS = 0.2;
/** A note held longer than this many steps is a voice of its own (a pedal, a tune's long note). */
const HELD_STEPS = 3;
/** At most this share of a figure's notes are held over the next. */
const HELD_SHARE = 1 / 3;
/** A figure the separator split because notes are held over the next: at least one turn in this many is made under a held note. */
const HELD_TURNS = 3;

interface Tagged {
  readonly from: 0 | 1;
  readonly n: DraftNote;
}

/** Joins the figures split between two lines (see the file comment); the lines change in place. */
export function joinInterlocked(lines: readonly DraftLine[]): void {
  // Two lines more than an octave apart on average never take turns within an octave for long,
  // and a line with no note as short as a figure's has none in one.
  const register = lines.map((l) => l.notes.reduce((s, n) => s + midiOf(n.pitch), 0) / Math.max(1, l.notes.length));
  const longest = mul(STEP, frac(HELD_STEPS));
  const quick = lines.map((l) => l.notes.some((n) => le(n.duration, longest)));
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) if (quick[i] && quick[j] && Math.abs(register[i]! - register[j]!) <= 12) joinPair(lines[i]!, lines[j]!);
  }
}

function joinPair(a: DraftLine, b: DraftLine): void {
  // Joining changes the lines: the next figure is looked for in them as they are then.
  let from = 0;
  for (;;) {
    const union = merged(a.notes, b.notes);
    let start = from;
    let joined = false;
    while (start < union.length && !joined) {
      // Nor does a figure start on a note struck with another.
      if (start > 0 && eq(union[start]!.n.onset, union[start - 1]!.n.onset)) {
        start++;
        continue;
      }
      let end = runFrom(union, start);
      // A note struck with the figure's last stays out of it, and so does that last note.
      while (end > start && end < union.length && eq(union[end]!.n.onset, union[end - 1]!.n.onset)) end--;
      const { turns, held, long, under } = turnsIn(union, start, end);
      if (end - start >= MIN_NOTES && turns >= MIN_TURNS * (end - start - 1) && held * HELD_TURNS >= turns && under === 0 && long <= HELD_SHARE * (end - start)) {
        join(a, b, union.slice(start, end));
        from = end;
        joined = true;
      }
      start = Math.max(end - 1, start + 1);
    }
    if (!joined) return;
  }
}

/** Both lines' notes by onset (each line's are in order). */
function merged(x: readonly DraftNote[], y: readonly DraftNote[]): Tagged[] {
  const out: Tagged[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (j >= y.length || (i < x.length && le(x[i]!.onset, y[j]!.onset))) out.push({ from: 0, n: x[i++]! });
    else out.push({ from: 1, n: y[j++]! });
  }
  return out;
}

/** The end (exclusive) of the longest figure from `start`: one grid step apart, none struck together, held long or leaping. */
function runFrom(union: readonly Tagged[], start: number): number {
  let step: Fraction | undefined;
  let k = start + 1;
  for (; k < union.length; k++) {
    const prev = union[k - 1]!.n;
    const next = union[k]!.n;
    const d = sub(next.onset, prev.onset);
    if (!gt(d, frac(0)) || gt(d, STEP) || (step && !eq(d, step))) break;
    step ??= d;
    if (Math.abs(midiOf(next.pitch) - midiOf(prev.pitch)) > 12) break;
    if (gt(prev.duration, mul(step, frac(HELD_STEPS)))) break;
  }
  // The last note, too, is a figure's note only if it is not held long.
  if (step && k > start + 1 && gt(union[k - 1]!.n.duration, mul(step, frac(HELD_STEPS)))) k--;
  return k;
}

/**
 * In union[start..end): the notes held over the next (`long`), how many times the line changes
 * from one note to the next (`turns`), and of those, how many while the note before still sounds,
 * over the next (`held`) or under it (`under`).
 */
function turnsIn(union: readonly Tagged[], start: number, end: number): { turns: number; held: number; long: number; under: number } {
  let turns = 0;
  let held = 0;
  let long = 0;
  let under = 0;
  for (let k = start + 1; k < end; k++) {
    const prev = union[k - 1]!;
    const next = union[k]!;
    const sounds = gt(add(prev.n.onset, prev.n.duration), next.n.onset);
    if (sounds) long++;
    if (next.from === prev.from) continue;
    turns++;
    if (sounds && midiOf(prev.n.pitch) < midiOf(next.n.pitch)) under++;
    else if (sounds) held++;
  }
  return { turns, held, long, under };
}

/** Moves a figure's notes into the line that has most of them, each held until the next is struck. */
function join(a: DraftLine, b: DraftLine, run: readonly Tagged[]): void {
  const fromA = run.filter((t) => t.from === 0).length;
  const [to, other] = fromA * 2 >= run.length ? [a, b] : [b, a];
  const first = run[0]!.n.onset;
  const last = run[run.length - 1]!.n;
  const after = to.notes.find((n) => gt(n.onset, last.onset));
  const notes: DraftNote[] = run.map((t, k) => {
    const until = k + 1 < run.length ? run[k + 1]!.n.onset : after?.onset;
    const n = until && lt(until, add(t.n.onset, t.n.duration)) ? { ...t.n, duration: sub(until, t.n.onset) } : { ...t.n };
    if (n.shared) n.shared = n.shared.filter((id) => id !== to.id);
    return n;
  });
  const inRun = new Set(run.map((t) => t.n));
  const keep = (n: DraftNote): boolean => !inRun.has(n);
  // The line's notes before the figure end as the figure starts.
  const before = to.notes.filter((n) => keep(n) && lt(n.onset, first)).map((n) => (gt(add(n.onset, n.duration), first) ? { ...n, duration: sub(first, n.onset) } : n));
  const later = to.notes.filter((n) => keep(n) && gt(n.onset, last.onset));
  to.notes.splice(0, to.notes.length, ...before, ...notes, ...later);
  const rest = other.notes.filter(keep);
  other.notes.splice(0, other.notes.length, ...rest);
}
