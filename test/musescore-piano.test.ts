/** MuseScore 3 opens every arrangement of the piano pieces and the LilyPond tuplet files, for the four ensembles (see support/musescore.ts). */
import { ENSEMBLES, sketches } from "./support/arrangement-matrix.js";
import { openInMuseScore } from "./support/musescore.js";

const list = [...sketches("piano"), ...sketches("tuplets").filter((s) => !/Nested/.test(s.name))];
openInMuseScore(
  "the piano pieces and the tuplet files, four ensembles each",
  list.flatMap((s) => ENSEMBLES.map((e) => [s, e] as const)),
);
