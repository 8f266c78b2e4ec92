/** The score model's building blocks: exact fractions, spelled pitch, notated values, building measures. */
import fc from "fast-check";
import { describe, expect, onTestFinished, test, vi } from "vitest";
import { utf8Bytes } from "../src/model/bytes.js";
import { add, cmp, differenceOf, frac, lt, ltSum, mul, ONE, parse, sub, sum, toNumber, toString, ZERO } from "../src/model/fraction.js";
import { intervalFifths, midiOf, nameOf, parsePitch, pitch, transpose } from "../src/model/pitch.js";
import { durationOfType, notatedOf, splitNotatable } from "../src/model/durations.js";
import { beatUnit, buildMeasures, type MeasureFrame } from "../src/model/build.js";
import { soundingNotes } from "../src/model/notes.js";
import { gridOf, gridsClash } from "../src/model/tuplets.js";
import type { Part, TimeSignature } from "../src/model/score.js";

describe("fraction", () => {
  test("is always reduced and exact", () => {
    expect(frac(6, 8)).toEqual({ n: 3, d: 4 });
    expect(frac(3, -6)).toEqual({ n: -1, d: 2 });
    // Ten triplet eighths and a sixteenth add up exactly, where floats drift.
    const t = sum([...Array.from({ length: 30 }, () => frac(1, 12)), frac(1, 16)]);
    expect(toString(t)).toBe("41/16");
    expect(cmp(add(frac(1, 3), frac(1, 6)), frac(1, 2))).toBe(0);
    expect(sub(frac(1, 4), frac(1, 3))).toEqual({ n: -1, d: 12 });
    expect(mul(frac(2, 3), frac(9, 4))).toEqual({ n: 3, d: 2 });
    expect(parse("3/8")).toEqual({ n: 3, d: 8 });
    expect(parse("x")).toBeUndefined();
    expect(() => frac(1, 0)).toThrow();
    expect(() => frac(0.5, 1)).toThrow();
  });

  test("compares with a sum as the sum itself would, large numbers too", () => {
    // Within the numbers `cmp` compares exactly: cross products under 2^53.
    const n = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -(2 ** 20), max: 2 ** 20 }));
    const fraction = fc.tuple(n, fc.integer({ min: 1, max: 2 ** 15 })).map(([n, d]) => frac(n, d));
    fc.assert(
      fc.property(fraction, fraction, fraction, (a, b, c) => ltSum(a, b, c) === lt(a, add(b, c))),
      { seed: 19, numRuns: 2000 },
    );
    expect(ltSum(frac(1, 2), frac(1, 4), frac(1, 3))).toBe(true);
    expect(ltSum(frac(7, 12), frac(1, 4), frac(1, 3))).toBe(false);
    // Past 2^53 the cross product is not exact: the sum is made instead.
    expect(ltSum(frac(2 ** 20), frac(1, 2 ** 20 - 1), frac(-1, 2 ** 20 - 1))).toBe(false);
    expect(ltSum(frac(-(2 ** 20)), frac(1, 2 ** 20 - 1), frac(-1, 2 ** 20 - 1))).toBe(true);
  });

  test("gives a difference as the number of the difference itself, large numbers too", () => {
    const n = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -(2 ** 30), max: 2 ** 30 }));
    const fraction = fc.tuple(n, fc.integer({ min: 1, max: 2 ** 15 })).map(([n, d]) => frac(n, d));
    fc.assert(
      fc.property(fraction, fraction, (a, b) => Object.is(differenceOf(a, b), toNumber(sub(a, b)))),
      { seed: 19, numRuns: 5000 },
    );
    // Past 2^53 the cross products are not exact: the difference is made instead.
    const big = frac(2 ** 45 + 1, 3 * 2 ** 12);
    const small = frac(1, 5 * 2 ** 12);
    expect(differenceOf(big, small)).toBe(toNumber(sub(big, small)));
    expect(differenceOf(frac(1, 4), frac(1, 3))).toBe(-1 / 12);
    // Unreduced, the quotient is still the same double: 3/9 and 1/3.
    expect(differenceOf(frac(1, 3), frac(0))).toBe(1 / 3);
    expect(differenceOf(frac(1, 6), frac(1, 6))).toBe(0);
    expect(Object.is(differenceOf(frac(1, 6), frac(1, 6)), 0)).toBe(true);
  });

  test("shares only frozen fractions, has no -0, and stays exact past 32 bits", () => {
    expect(Object.isFrozen(ZERO) && Object.isFrozen(ONE)).toBe(true);
    // Adding nothing hands back the fraction itself, never a shared one to be changed.
    const half = frac(1, 2);
    expect(add(half, frac(0))).toBe(half);
    expect(add(frac(0), half)).toBe(half);
    expect(Object.is(frac(0, -3).n, 0)).toBe(true);
    expect(Object.is(sub(frac(1, 4), frac(1, 4)).n, 0)).toBe(true);
    expect(frac(2 ** 40 + 1, 3)).toEqual({ n: 2 ** 40 + 1, d: 3 });
    expect(JSON.stringify(frac(-3, 4))).toBe('{"n":-3,"d":4}');
  });
});

describe("utf8Bytes", () => {
  test.each([
    ["a resizable buffer", false],
    ["chunks, where the engine has no resizable buffer", true],
  ])("gives TextEncoder's bytes of the pieces joined, wherever the pieces break (%s)", (_, fixedOnly) => {
    // An engine without resizable buffers ignores maxByteLength.
    if (fixedOnly) vi.stubGlobal("ArrayBuffer", class extends ArrayBuffer {
      constructor(length: number) {
        super(length);
      }
    });
    onTestFinished(() => {
      vi.unstubAllGlobals();
    });
    const piece = fc.oneof(fc.string({ unit: "grapheme", maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }), fc.constantFrom("é".repeat(40000), "😀".repeat(20000), "a".repeat(65535)));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const bytes = utf8Bytes((emit) => pieces.forEach(emit));
        // Buffer's comparison: vitest's deep equality takes seconds over 100 kB.
        expect(Buffer.from(bytes).equals(new TextEncoder().encode(pieces.join("")))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("pitch", () => {
  test.each([
    ["C4", 60],
    ["Bb3", 58],
    ["F#5", 78],
    ["Cb4", 59],
    ["B#3", 60],
    ["A0", 21],
  ])("%s is key %i", (name, midi) => {
    expect(midiOf(parsePitch(name)!)).toBe(midi);
  });

  test("is frozen, shared where a piece can spell it, and exact where it cannot be shared", () => {
    expect(pitch("C", 1, 4)).toBe(pitch("C", 1, 4));
    expect(Object.isFrozen(pitch("B", -1, 3))).toBe(true);
    expect(Object.is(pitch("D", -0, 2).alter, 0)).toBe(true);
    expect(pitch("E", 0.5, 4)).toEqual({ step: "E", alter: 0.5, octave: 4 });
    expect(pitch("G", 3, 11)).toEqual({ step: "G", alter: 3, octave: 11 });
  });

  test("transposes by interval, keeping the spelling", () => {
    // A B♭ clarinet's written E4 sounds D4; its written D4 (for concert C) is a major second up.
    expect(nameOf(transpose(pitch("E", 0, 4), -1, -2))).toBe("D4");
    expect(nameOf(transpose(pitch("C", 0, 4), 1, 2))).toBe("D4");
    // F♯ major for horn in F is written a fifth up: C♯.
    expect(nameOf(transpose(pitch("F", 1, 4), 4, 7))).toBe("C#5");
    // Down a diminished second: C♯ → D♭ is an enharmonic respelling.
    expect(nameOf(transpose(pitch("C", 1, 5), 1, 0))).toBe("Db5");
    expect(intervalFifths(-1, -2)).toBe(-2);
    expect(intervalFifths(-4, -7)).toBe(-1);
  });
});

describe("notated values", () => {
  test("durations of types, dots and tuplets", () => {
    expect(durationOfType("quarter", 1)).toEqual(frac(3, 8));
    expect(durationOfType("half", 2)).toEqual(frac(7, 8));
    expect(durationOfType("eighth", 0, { actual: 3, normal: 2 })).toEqual(frac(1, 12));
    expect(notatedOf(frac(3, 16))).toEqual({ type: "eighth", dots: 1 });
    expect(notatedOf(frac(5, 16))).toBeUndefined();
    expect(splitNotatable(frac(5, 8)).map(toString)).toEqual(["1/2", "1/8"]);
  });
});

const TIME_44: TimeSignature = { kind: "measured", signatures: [{ beats: "4", beatType: 4 }] };
const TIME_68: TimeSignature = { kind: "measured", signatures: [{ beats: "6", beatType: 8 }] };

function frames(count: number, time: TimeSignature, pickup?: ReturnType<typeof frac>): MeasureFrame[] {
  const first = time.kind === "measured" ? time.signatures[0] : undefined;
  const full = first ? frac(Number(first.beats), first.beatType) : frac(1);
  const out: MeasureFrame[] = [];
  let t = frac(0);
  for (let i = 0; i < count; i++) {
    const duration = i === 0 && pickup ? pickup : full;
    out.push({ number: String(pickup ? i : i + 1), start: t, duration, attributes: i === 0 ? { time } : {}, ...(i === 0 && pickup ? { implicit: true } : {}) });
    t = add(t, duration);
  }
  return out;
}

describe("buildMeasures", () => {
  const C4 = pitch("C", 0, 4);
  const E4 = pitch("E", 0, 4);

  test("ties a note across the barline and fills the rest of each measure", () => {
    const ms = buildMeasures(frames(2, TIME_44), [{ onset: frac(3, 4), duration: frac(1, 2), pitches: [C4, E4], voice: "1", staff: 1 }]);
    const m1 = ms[0]!.events;
    expect(m1.map((e) => `${e.kind}:${toString(e.duration)}`)).toEqual(["rest:1/2", "rest:1/4", "note:1/4"]);
    const m2 = ms[1]!.events;
    expect(m2.map((e) => `${e.kind}:${toString(e.duration)}`)).toEqual(["note:1/4", "rest:1/4", "rest:1/2"]);
    const first = m1[2]!;
    const second = m2[0]!;
    expect(first.kind === "note" && first.notes.every((n) => n.tieStart && !n.tieStop)).toBe(true);
    expect(second.kind === "note" && second.notes.every((n) => n.tieStop && !n.tieStart)).toBe(true);
    // Joined again, it is one note of a half.
    const part: Part = { id: "P1", name: "x", instruments: [], staves: 1, measures: ms };
    expect(soundingNotes(part).map((n) => `${nameOf(n.pitch!)}@${toString(n.onset)}+${toString(n.duration)}`)).toEqual(["C4@3/4+1/2", "E4@3/4+1/2"]);
  });

  test("shows the beat: a syncopated quarter is eighth + tied eighth... only off the beat", () => {
    const ms = buildMeasures(frames(1, TIME_44), [
      { onset: frac(0), duration: frac(1, 8), pitches: [C4], voice: "1", staff: 1 },
      { onset: frac(1, 8), duration: frac(1, 4), pitches: [E4], voice: "1", staff: 1 },
      { onset: frac(3, 8), duration: frac(5, 8), pitches: [C4], voice: "1", staff: 1 },
    ]);
    expect(ms[0]!.events.map((e) => toString(e.duration))).toEqual(["1/8", "1/8", "1/8", "1/8", "1/2"]);
  });

  test("compound time groups by dotted quarters; triplets become tuplets", () => {
    const ms = buildMeasures(frames(1, TIME_68), [{ onset: frac(0), duration: frac(1, 2), pitches: [C4], voice: "1", staff: 1 }]);
    expect(ms[0]!.events.map((e) => toString(e.duration))).toEqual(["3/8", "1/8", "1/4"]);
    expect(beatUnit(TIME_68)).toEqual(frac(3, 8));
    const tr = buildMeasures(frames(1, TIME_44), [0, 1, 2].map((i) => ({ onset: frac(i, 12), duration: frac(1, 12), pitches: [C4], voice: "1", staff: 1 })));
    const notes = tr[0]!.events.filter((e) => e.kind === "note");
    expect(notes.map((e) => e.tuplet)).toEqual([0, 1, 2].map(() => ({ actual: 3, normal: 2, normalType: "eighth" })));
  });

  test("in compound time a rest that starts inside a beat ends with it", () => {
    // Clair de lune, read from MIDI for string quartet, m. 9: the cello's two eighths in 9/8 had
    // been followed by a quarter rest across the second beat, a half rest and an eighth.
    const time: TimeSignature = { kind: "measured", signatures: [{ beats: "9", beatType: 8 }] };
    const ms = buildMeasures(frames(1, time), [0, 1].map((i) => ({ onset: frac(i, 8), duration: frac(1, 8), pitches: [C4], voice: "1", staff: 1 })));
    expect(ms[0]!.events.filter((e) => e.kind === "rest").map((e) => toString(e.duration))).toEqual(["1/8", "3/8", "3/8"]);
    const twelve: TimeSignature = { kind: "measured", signatures: [{ beats: "12", beatType: 8 }] };
    const late = buildMeasures(frames(1, twelve), [{ onset: frac(0), duration: frac(1, 2), pitches: [C4], voice: "1", staff: 1 }]);
    expect(late[0]!.events.filter((e) => e.kind === "rest").map((e) => toString(e.duration))).toEqual(["1/4", "3/8", "3/8"]);
  });

  test("a pickup measure keeps its length and the primary voice is filled everywhere", () => {
    const ms = buildMeasures(frames(2, TIME_44, frac(1, 4)), [{ onset: frac(0), duration: frac(1, 4), pitches: [C4], voice: "1", staff: 1 }]);
    expect(ms[0]!.implicit).toBe(true);
    expect(ms[0]!.duration).toEqual(frac(1, 4));
    expect(ms[1]!.events).toEqual([{ kind: "rest", onset: frac(0), duration: frac(1), voice: "1", staff: 1, measureRest: true }]);
  });
});

describe("the grids of a beat", () => {
  test("a time keeps to the 16ths', the triplets', both or neither", () => {
    expect([frac(1, 16), frac(3, 32), frac(1, 12), frac(5, 24), frac(1, 4), frac(1, 8), frac(1, 48)].map(gridOf)).toEqual([1, 1, 2, 2, 0, 0, 0]);
  });

  test("two times clash only in one beat and on different grids", () => {
    expect(gridsClash(frac(1, 16), frac(1, 12))).toBe(true);
    expect(gridsClash(frac(1, 12), frac(3, 16))).toBe(true);
    // The next beat, or a point both grids share, is no clash.
    expect(gridsClash(frac(1, 12), frac(5, 16))).toBe(false);
    expect(gridsClash(frac(1, 12), frac(1, 8))).toBe(false);
    expect(gridsClash(frac(1, 16), frac(3, 16))).toBe(false);
  });
});
