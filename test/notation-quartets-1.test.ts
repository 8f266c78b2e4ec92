/** Quartet movements 1–16 of the fixtures reduced to piano sketches, arranged for four ensembles, engraved for two (the set is split in two files so that vitest runs both halves at once). */
import { checkArrangements, sketches } from "./support/arrangement-matrix.js";

checkArrangements("quartet movements reduced to piano, 1–16", sketches("quartets", 0, 16), { svg: ["string-quartet", "woodwind-quintet"] });
