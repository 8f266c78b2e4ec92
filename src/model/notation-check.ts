/**
 * The gate before anything is written: every measure of every voice must be notation a player can
 * read. It adds up to the measure's length, every note and rest has a value the notation can show
 * (a type, dots, a tuplet), nothing is shorter than the shortest value allowed, and every tuplet
 * is complete. A failure is a bug in the stage that made the score, never something to approximate.
 */
import { durationOfType } from "./durations.js";
import { TuttiError } from "./errors.js";
import { add, cmp, eq, type Fraction, toString, ZERO } from "./fraction.js";
import { valueOf, voicesOf } from "./notation.js";
import type { Event, Part, Score } from "./score.js";
import { groupSpan, tupletGroups } from "./tuplets.js";

export interface NotationProblem {
  readonly part: string;
  /** Measure number as printed. */
  readonly measure: string;
  readonly voice: string;
  readonly message: string;
}

export interface NotationCheckOptions {
  /** The shortest duration any note or rest may have (the shortest the sketch writes, see `shortestValue`); none by default. */
  readonly shortest?: Fraction;
}

/**
 * Everything in a score that notation cannot show as it stands.
 * @example notationProblems(arrangement).length // 0
 */
export function notationProblems(score: Score, options: NotationCheckOptions = {}): NotationProblem[] {
  const out: NotationProblem[] = [];
  for (const part of score.parts) out.push(...partProblems(part, options));
  return out;
}

/**
 * Throws a `TuttiError` ("BAD_NOTATION") naming the first problem's part and measure, and how many
 * there are, if the score has any.
 * @example assertNotation(arrangement, { shortest: "16th" }) // nothing: the score may be written
 */
export function assertNotation(score: Score, options: NotationCheckOptions = {}, file?: string): void {
  const problems = notationProblems(score, options);
  const first = problems[0];
  if (!first) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  throw new TuttiError("BAD_NOTATION", `${first.part}, m. ${first.measure}, voice ${first.voice}: ${first.message}${more}; this is a bug in Tutti, nothing was written`, file);
}

/**
 * The shortest duration a score writes a note or rest with (grace notes aside): a triplet
 * sixteenth is 1/24, a thirty-second 1/32.
 * @example shortestValue(k545) // 1/16
 */
export function shortestValue(score: Score): Fraction | undefined {
  let shortest: Fraction | undefined;
  for (const part of score.parts) {
    for (const m of part.measures) {
      for (const ev of m.events) {
        if ((ev.kind === "note" && ev.grace) || ev.duration.n <= 0) continue;
        if (!shortest || cmp(ev.duration, shortest) < 0) shortest = ev.duration;
      }
    }
  }
  return shortest;
}

function partProblems(part: Part, options: NotationCheckOptions): NotationProblem[] {
  const out: NotationProblem[] = [];
  for (const m of part.measures) {
    for (const [voice, events] of voicesOf(m.events)) {
      const problem = (message: string): void => void out.push({ part: part.name, measure: m.number, voice, message });
      const timed = events.filter((e) => !(e.kind === "note" && e.grace));
      let at = ZERO;
      for (const ev of timed) {
        if (cmp(ev.onset, at) > 0) problem(`nothing written from ${toString(at)} to ${toString(ev.onset)} of the measure`);
        else if (cmp(ev.onset, at) < 0) problem(`an event at ${toString(ev.onset)} overlaps the one before it`);
        at = add(ev.onset, ev.duration);
        // A rest filling the measure is a whole-measure rest, whatever type the source gave it.
        const wholeMeasure = ev.kind === "rest" && (ev.measureRest || (eq(ev.onset, ZERO) && eq(ev.duration, m.duration)));
        const value = wholeMeasure ? undefined : valueOf(ev);
        if (wholeMeasure) {
          if (!eq(ev.duration, m.duration)) problem(`a measure rest of ${toString(ev.duration)} in a measure of ${toString(m.duration)}`);
        } else if (!value) {
          problem(`a ${ev.kind} of ${toString(ev.duration)}${ev.tuplet ? ` in a ${ev.tuplet.actual}:${ev.tuplet.normal} tuplet` : ""} that no type, dots and tuplet can show`);
        } else if (!eq(durationOfType(value.type, value.dots, ev.tuplet), ev.duration)) {
          problem(`a ${ev.kind} written as a ${value.type}${".".repeat(value.dots)} but lasting ${toString(ev.duration)}`);
        } else if (options.shortest && cmp(ev.duration, options.shortest) < 0) {
          problem(`a ${value.type}${ev.tuplet ? ` (${ev.tuplet.actual}:${ev.tuplet.normal})` : ""} ${ev.kind} of ${toString(ev.duration)}, shorter than the shortest value the sketch writes (${toString(options.shortest)})`);
        }
      }
      if (timed.length && !eq(at, m.duration)) problem(`the voice lasts ${toString(at)}, the measure ${toString(m.duration)}`);
      for (const message of tupletProblems(timed)) problem(message);
    }
  }
  return out;
}

/** Tuplet groups that do not add up to `actual` of their unit (see `tupletGroups`). */
function tupletProblems(events: readonly Event[]): string[] {
  return tupletGroups(events)
    .filter((g) => !groupSpan(g))
    .map((g) => `a ${g[0]!.tuplet!.actual}:${g[0]!.tuplet!.normal} tuplet at ${toString(g[0]!.onset)} is not complete`);
}
