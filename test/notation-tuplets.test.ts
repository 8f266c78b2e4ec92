/**
 * The LilyPond test suite's tuplet files, arranged for four ensembles. Nested tuplets (a 5:4
 * inside a 3:2) are beyond the model, which holds one ratio per event: those files are refused
 * with a one-line BAD_NOTATION error naming part and measure, never written approximately.
 */
import { describe, expect, test } from "vitest";
import { TuttiError } from "../src/model/errors.js";
import { arrange } from "../src/orchestrate/index.js";
import { checkArrangements, ENSEMBLES, sketches } from "./support/arrangement-matrix.js";

const all = sketches("tuplets");
const NESTED = /Nested/;

checkArrangements("LilyPond tuplet files", all.filter((s) => !NESTED.test(s.name)), { svg: ENSEMBLES });

describe("nested tuplets", () => {
  test.each(all.filter((s) => NESTED.test(s.name)).flatMap((s) => ENSEMBLES.map((e) => [s.name, e, s] as const)))("%s → %s is refused, not approximated", (_n, ensemble, sketch) => {
    let error: unknown;
    try {
      arrange(sketch.score, ensemble);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TuttiError);
    expect((error as TuttiError).code).toBe("BAD_NOTATION");
    expect((error as TuttiError).message).toMatch(/^23d-Tuplets-Nested\.xml: .+, m\. 1, voice \d+: .+$/);
  });
});
