/**
 * The notation gate over real music: sketches arranged for four ensembles, each arrangement's
 * MusicXML valid against the 4.0 XSD and its notation whole (every value a type, nothing shorter
 * than the sketch writes, every tuplet complete), each SVG page well-formed XML with every glyph
 * outlined, drawn by resvg.
 */
import { Resvg } from "@resvg/resvg-js";
import { describe, expect, test } from "vitest";
import { reduceToPiano } from "../../src/analyse/reduce.js";
import { notationProblems, shortestValue } from "../../src/model/notation-check.js";
import type { Score } from "../../src/model/score.js";
import { renderScoreSvg } from "../../src/node/render.js";
import { arrange } from "../../src/orchestrate/index.js";
import { readScore } from "../../src/read/index.js";
import { writeMusicXml } from "../../src/write/musicxml.js";
import { bytesOf, corpusFiles } from "./corpus.js";
import { xmlSyntaxError, xsdErrors } from "./xsd.js";

export const ENSEMBLES = ["string-quartet", "woodwind-quintet", "brass-quintet", "symphony-orchestra"] as const;

/** A sketch of the fixtures: a piano piece as it is, a quartet movement reduced to a two-staff piano score. */
export interface Sketch {
  readonly name: string;
  readonly score: Score;
}

/** The piano pieces, the quartet movements (reduced, from `from` to `to` in name order), or the LilyPond suite's tuplet files. */
export function sketches(set: "piano" | "quartets" | "tuplets", from = 0, to = Infinity): Sketch[] {
  const files = set === "tuplets" ? corpusFiles("edge/lilypond-suite").filter((f) => /\/23[a-z]-/.test(f)) : corpusFiles(set);
  return files.slice(from, to).map((path) => {
    const name = path.split("/").pop()!;
    const score = readScore(bytesOf(path), name);
    return { name, score: set === "quartets" ? reduceToPiano(score).sketch : score };
  });
}

/**
 * One test per sketch and ensemble: the notation and the MusicXML of every arrangement, and the
 * SVG pages of the arrangements for the ensembles `svg` names (engraving a score is most of the
 * time these tests take; the renderer does not depend on the ensemble).
 */
export function checkArrangements(title: string, list: readonly Sketch[], options: { svg: readonly string[] }): void {
  describe(title, () => {
    const cases = list.flatMap((s) => ENSEMBLES.map((e) => [s.name, e, s] as const));
    test.each(cases)("%s → %s", (_name, ensemble, sketch) => {
      const [best] = arrange(sketch.score, ensemble);
      const score = best!.score;
      const shortest = shortestValue(sketch.score);
      expect(notationProblems(score, shortest ? { shortest } : {})).toEqual([]);
      expect(xsdErrors(writeMusicXml(score))).toEqual([]);
      if (!options.svg.includes(ensemble)) return;
      const pages = renderScoreSvg(score);
      expect(pages.length).toBeGreaterThan(0);
      pages.forEach((svg, i) => {
        expect(xmlSyntaxError(svg), `page ${i + 1}`).toBeUndefined();
        // Every glyph a path: no text left for a viewer to draw with a font it may not have.
        expect(svg.includes("<text"), `page ${i + 1} has <text>`).toBe(false);
        const png = new Resvg(svg, { fitTo: { mode: "width", value: 60 } }).render();
        expect(png.width).toBe(60);
      });
    });
  });
}
