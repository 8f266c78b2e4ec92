/**
 * The meter of a MIDI file without a time signature, found in its notes (issue 18, `findMeter`):
 * Bach chorales reduced to one piano track and written as MIDI with their time signatures taken
 * out, on the grid and played freely. `npm run eval:midi -- --only 6` measures all 80.
 */
import { describe, expect, it } from "vitest";
import { frac } from "../src/model/fraction.js";
import type { Score } from "../src/model/score.js";
import { reduceToPiano } from "../src/analyse/reduce.js";
import { readScore, readScoreWithReport } from "../src/read/index.js";
import { readMidiWithReport } from "../src/read/midi.js";
import { findMeter } from "../src/read/meter.js";
import { writeMidi } from "../src/write/midi.js";
import { bytesOf, FIXTURES } from "./support/corpus.js";
import { matchBeats, playFreely, withoutEvents } from "./support/midi.js";

const sketch = (name: string): Score => reduceToPiano(readScore(bytesOf(`${FIXTURES}corpus/chorales/${name}`), name)).sketch;
/** The chorale as a one-track piano MIDI file on the grid, its time signatures taken out. */
const unsigned = (truth: Score): Uint8Array => withoutEvents(writeMidi(truth), "timeSignature");

describe("meter found in a MIDI file without a time signature (issue 18)", () => {
  // BWV 306 begins with a quarter-note measure the MIDI writer does not pad: the file's start is
  // no barline, and the downbeat must come from the notes.
  it.each(["bwv320.mxl", "bwv366.mxl", "bwv306.mxl", "bwv413.mxl"])("%s, in 3/4, comes back in 3/4 with its barlines", (name) => {
    const truth = sketch(name);
    const { score, report } = readMidiWithReport(unsigned(truth), "chorale.mid");
    expect(report.meter).toBe("3/4");
    expect(report.meterFromFile).toBe(false);
    expect(report.meterInferred).toMatch(/^3 beats a bar rather than 2/);
    const m = matchBeats(truth, score);
    expect(m.meter).toBe(true);
    expect(m.downbeat).toBe(true);
    expect(m.barlines).toBeGreaterThanOrEqual(0.9);
  });

  it("reads BWV 123.6, which moves in halves, in 3/2", () => {
    const truth = sketch("bwv123.6.mxl");
    const { score, report } = readMidiWithReport(unsigned(truth), "chorale.mid");
    expect(report.meter).toBe("3/2");
    expect(report.meterInferred).toMatch(/^3 half-note beats a bar/);
    expect(matchBeats(truth, score)).toMatchObject({ meter: true, downbeat: true, barlines: 1 });
  });

  it.each(["bwv372.mxl", "bwv430.mxl", "bwv66.6.mxl"])("%s, in 4/4, stays in 4/4 with its barlines", (name) => {
    const truth = sketch(name);
    const { score, report } = readMidiWithReport(unsigned(truth), "chorale.mid");
    expect(report.meter).toBe("4/4");
    expect(report.meterFromFile).toBe(false);
    const m = matchBeats(truth, score);
    expect(m.meter).toBe(true);
    expect(m.downbeat).toBe(true);
    // BWV 430 has measures of 2 and 3 quarters at its repeats; the others one of 4 after the pickup.
    expect(m.barlines).toBeGreaterThanOrEqual(0.8);
  });

  it("finds 3/4 and the downbeat in a chorale played without a click", () => {
    const truth = sketch("bwv366.mxl");
    const { file } = playFreely(writeMidi(truth), 4100, { meter: false });
    const { score, report } = readMidiWithReport(file, "free.mid");
    expect(report.tracked).toBeDefined();
    expect(report.meter).toBe("3/4");
    expect(matchBeats(truth, score)).toMatchObject({ meter: true, downbeat: true, barlines: 1 });
  });

  it("says in the report that the meter was found in the notes, and from what", () => {
    const { report } = readScoreWithReport(unsigned(sketch("bwv320.mxl")), "chorale.mid");
    expect(report.notes[0]).toMatch(/^meter 3\/4 found in the notes \(the file has none\): 3 beats a bar rather than 2 \(log-likelihood ratio \d+\.\d\): .*long notes.* on the downbeat/);
  });

  it("keeps the file's time signature where it has one", () => {
    const { report } = readMidiWithReport(writeMidi(sketch("bwv320.mxl")), "chorale.mid");
    expect(report.meter).toBe("3/4");
    expect(report.meterFromFile).toBe(true);
    expect(report.meterInferred).toBeUndefined();
  });

  it("assumes 4/4 from the file's start where the notes are too few to tell", () => {
    // Three bars of quarters: fewer beats than the finder looks at.
    const quarters = Array.from({ length: 12 }, (_, i) => ({ onset: frac(i, 4), end: frac(i + 1, 4), midi: 60 + (i % 3) }));
    expect(findMeter(quarters)).toBeUndefined();
  });

  it("counts bars of three from long notes on the downbeat, and places the downbeat by them", () => {
    // A quarter pickup, then bars of half + quarter, over a bass that changes every bar.
    const notes = [{ onset: frac(0), end: frac(1, 4), midi: 67 }];
    for (let bar = 0; bar < 8; bar++) {
      const at = frac(1 + 3 * bar, 4);
      notes.push({ onset: at, end: frac(3 + 3 * bar, 4), midi: 72 }, { onset: frac(3 + 3 * bar, 4), end: frac(4 + 3 * bar, 4), midi: 71 });
      notes.push({ onset: at, end: frac(4 + 3 * bar, 4), midi: bar % 2 ? 48 : 43 });
    }
    expect(findMeter(notes)).toMatchObject({ beats: 3, beatType: 4, downbeat: frac(1, 4) });
  });
});
