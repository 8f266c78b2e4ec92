/** A part's music in time: events and directions at their onsets, and the one tie-joiner every stage uses. */
import { describe, expect, test } from "vitest";
import { sketchNotes } from "../src/analyse/sketch-notes.js";
import { frac, toString } from "../src/model/fraction.js";
import { soundingNotes } from "../src/model/notes.js";
import { nameOf, pitch } from "../src/model/pitch.js";
import type { Event, Measure, Part, Score } from "../src/model/score.js";
import { joinTies, measureStarts, timedDirections, timedEvents } from "../src/model/timeline.js";
import { measuresSpanned } from "../src/model/search.js";
import { TupleMap, TupleSet } from "../src/util/keyed.js";

const C4 = pitch("C", 0, 4);
const E4 = pitch("E", 0, 4);

function note(onset: string, duration: string, voice: string, staff: number, tie: { start?: boolean; stop?: boolean } = {}, p = C4): Event {
  const [on, dur] = [onset, duration].map((s) => frac(Number(s.split("/")[0]), Number(s.split("/")[1] ?? 1))) as [ReturnType<typeof frac>, ReturnType<typeof frac>];
  return { kind: "note", onset: on, duration: dur, voice, staff, notes: [{ pitch: p, ...(tie.start ? { tieStart: true } : {}), ...(tie.stop ? { tieStop: true } : {}) }] };
}

function measure(number: string, duration: ReturnType<typeof frac>, events: Event[], directions: Measure["directions"] = []): Measure {
  return { number, duration, attributes: {}, midAttributes: [], midBarlines: [], events, directions, harmonies: [] };
}

const part = (measures: Measure[]): Part => ({ id: "P1", name: "Piano", instruments: [], staves: 2, measures });

describe("timeline", () => {
  test("events and directions at their onsets from the start, across a pickup", () => {
    const p = part([
      measure("0", frac(1, 4), [note("0", "1/4", "1", 1)], [{ offset: frac(0), staff: 1, items: [{ kind: "dynamics", values: ["p"] }] }]),
      measure("1", frac(1), [note("0", "1/2", "1", 1), note("1/2", "1/2", "1", 1)], [{ offset: frac(1, 2), staff: 1, items: [{ kind: "words", text: "dolce" }] }]),
    ]);
    expect(measureStarts(p).map(toString)).toEqual(["0", "1/4"]);
    expect([...timedEvents(p)].map((e) => `${e.measure}.${e.index}@${toString(e.onset)}`)).toEqual(["0.0@0", "1.0@1/4", "1.1@3/4"]);
    expect([...timedDirections(p)].map((d) => `${d.measure}@${toString(d.onset)}`)).toEqual(["0@0", "1@3/4"]);
  });

  test("a tie joins the pieces of one staff and voice; a tie written across voices or staves is found by key number", () => {
    // Voice 1 ties C4 over the barline into voice 2 (as some editors write it); E4 is tied within its voice.
    const p = part([
      measure("1", frac(1), [note("0", "1/2", "1", 1), note("1/2", "1/2", "1", 1, { start: true }), note("0", "1", "2", 1, { start: true }, E4)]),
      measure("2", frac(1), [note("0", "1/4", "2", 2, { stop: true }), note("0", "1/2", "2", 1, { stop: true }, E4)]),
    ]);
    const joined = joinTies(p, { by: "voice", include: () => true });
    expect(joined.map((j) => `${nameOf(j.note.pitch!)}@${toString(j.onset)}+${toString(j.duration)}`)).toEqual(["C4@0+1/2", "C4@1/2+3/4", "E4@0+3/2"]);
    expect(soundingNotes(p).map((n) => `${nameOf(n.pitch!)}@${toString(n.onset)}+${toString(n.duration)}`)).toEqual(["C4@0+1/2", "E4@0+3/2", "C4@1/2+3/4"]);
    // The separator's view keys on the staff, and leaves grace and cue notes out: the same notes.
    const score: Score = { meta: { creators: [], rights: [] }, parts: [p], groups: [] };
    expect(sketchNotes(score).map((n) => `${nameOf(n.pitch)}@${toString(n.onset)}+${toString(n.duration)}`)).toEqual(["E4@0+3/2", "C4@0+1/2", "C4@1/2+3/4"]);
  });

  test("a tie stop with nothing ending where it starts is a new note", () => {
    const p = part([measure("1", frac(1), [note("0", "1/4", "1", 1, { start: true }), note("1/2", "1/2", "1", 1, { stop: true })])]);
    expect(joinTies(p, { by: "staff", include: () => true }).map((j) => toString(j.duration))).toEqual(["1/4", "1/2"]);
  });
});

describe("the measures a note sounds in", () => {
  test("from the one it is struck in to the one it ends in, not the one that begins as it ends", () => {
    const starts = [frac(0), frac(1), frac(2)];
    expect(measuresSpanned(starts, frac(1, 2), frac(2))).toEqual([0, 1]);
    expect(measuresSpanned(starts, frac(1, 2), frac(9, 4))).toEqual([0, 1, 2]);
    expect(measuresSpanned(starts, frac(1), frac(3, 2))).toEqual([1]);
    expect(measuresSpanned(starts, frac(5, 2), frac(3))).toEqual([2]);
  });
});

describe("tuple keys", () => {
  test("equal tuples are one entry, however they were made", () => {
    const m = new TupleMap<[line: number, phrase: number], string>([[[1, 2], "melody"]]);
    m.set([1, 2], "bass").set([12, 0], "inner");
    expect(m.get([1, 2])).toBe("bass");
    expect(m.get([1, 20])).toBeUndefined();
    expect(m.size).toBe(2);
    const s = new TupleSet<[string, number]>([["1/4", 60]]);
    expect(s.has(["1/4", 60])).toBe(true);
    expect(s.has(["1/4", 6])).toBe(false);
  });
});
