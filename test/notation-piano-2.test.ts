/** Piano pieces 12–21 of the fixtures, arranged and engraved for four ensembles: whole notation, valid MusicXML, SVG pages that parse and draw (the set is split in two files so that vitest runs both halves at once). */
import { checkArrangements, ENSEMBLES, sketches } from "./support/arrangement-matrix.js";

checkArrangements("piano pieces 12–21", sketches("piano", 11, 22), { svg: ENSEMBLES });
