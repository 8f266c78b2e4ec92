/**
 * MuseScore 3 opens the arrangements of the reduced quartet movements: each movement in one of the
 * four ensembles in turn (every ensemble meets a quarter of the movements), or in all four with
 * MUSESCORE_ALL=1 (`npm run test:musescore`; see support/musescore.ts).
 */
import { ENSEMBLES, sketches } from "./support/arrangement-matrix.js";
import { everyEnsemble, openInMuseScore } from "./support/musescore.js";

const list = sketches("quartets");
openInMuseScore(
  everyEnsemble ? "the quartet movements, four ensembles each" : "the quartet movements, one ensemble each in turn",
  list.flatMap((s, i) => (everyEnsemble ? ENSEMBLES : [ENSEMBLES[i % ENSEMBLES.length]!]).map((e) => [s, e] as const)),
);
