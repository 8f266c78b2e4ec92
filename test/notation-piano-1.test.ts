/** Piano pieces 1–11 of the fixtures, arranged and engraved for four ensembles: whole notation, valid MusicXML, SVG pages that parse and draw (the set is split in two files so that vitest runs both halves at once). */
import { checkArrangements, ENSEMBLES, sketches } from "./support/arrangement-matrix.js";

checkArrangements("piano pieces 1–11", sketches("piano", 0, 11), { svg: ENSEMBLES });
