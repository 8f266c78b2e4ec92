/** Every piano piece of the fixtures, arranged for four ensembles: whole notation, valid MusicXML, SVG pages that parse and draw. */
import { checkArrangements, sketches } from "./support/arrangement-matrix.js";

checkArrangements("piano pieces", sketches("piano"), { svg: true });
