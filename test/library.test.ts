/**
 * The library as the README shows it: `import … from "tutti"` (the package's own export map, so
 * the built `dist/`), with the built-in instrument database and nothing but bytes and strings.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import * as source from "../src/index.js";
import { FIXTURES } from "./support/corpus.js";

const SKETCH = new Uint8Array(readFileSync(new URL("../scores/bach-bwv66.6-sketch.musicxml", import.meta.url)));

describe("the README's library example", () => {
  test('"tutti" resolves to the built package, with types, and exports what the README names', async () => {
    expect(existsSync(new URL("../dist/index.d.ts", import.meta.url))).toBe(true);
    const pkg = (await import("tutti")) as typeof source;
    for (const name of ["readScore", "analyse", "arrange", "writeMusicXml", "writeMidi", "writeScore", "renderSvg", "renderSvgPages", "loadEnsemble", "ensembles", "instruments", "builtinDatabase", "summarise", "setMeasureCanvas", "TuttiError"] as const) {
      expect(typeof pkg[name], name).toBe("function");
    }
  });

  test("read, arrange by ensemble id, write MusicXML and MIDI, explain", () => {
    const { readScore, arrange, writeMusicXml, writeMidi, summarise, readMusicXml } = source;
    const sketch = readScore(SKETCH, "sketch.musicxml");
    const [best] = arrange(sketch, "string-quartet");
    const xml = writeMusicXml(best!.score);
    expect(readMusicXml(xml).parts.map((p) => p.name)).toEqual(["Violin I", "Violin II", "Viola", "Cello"]);
    expect(new TextDecoder().decode(writeMidi(best!.score).subarray(0, 4))).toBe("MThd");
    expect(summarise(best!.report)).toMatch(/^string-quartet .*\nnotes: 155 of 155 placed/);
  });

  test("ensembles and instruments from the built-in database; an ensemble as JSON text", () => {
    const { loadEnsemble, ensembles, instruments, arrange, readScore, TuttiError } = source;
    expect(ensembles()).toHaveLength(12);
    expect(instruments().filter((i) => i.family === "brass").map((i) => i.id)).toContain("horn-f");
    const duo = loadEnsemble('{"id":"duo","name":"Duo","description":"Oboe and cello","instruments":[{"instrument":"oboe"},{"instrument":"cello"}]}');
    const [best] = arrange(readScore(new Uint8Array(readFileSync(`${FIXTURES}corpus/chorales/bwv66.6.mxl`)), "bwv66.6.mxl"), duo);
    expect(best!.score.parts.map((p) => p.name)).toEqual(["Oboe", "Cello"]);
    expect(() => arrange(readScore(SKETCH, "s.musicxml"), "string-quartett")).toThrow(TuttiError);
  });
});
