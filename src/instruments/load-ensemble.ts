/**
 * `loadEnsemble`: the short way to an ensemble, from an id, a comma list of instruments or the
 * JSON text of an ensemble file. Apart from the database so that its JSON checker (zod, through
 * `validate.ts`) is loaded only by what may be given JSON.
 */
import { TuttiError } from "../model/errors.js";
import { builtinDatabase } from "./builtin.js";
import { checkEnsemble, resolveEnsemble, type Database } from "./database.js";
import type { Ensemble } from "./schema.js";
import { parseEnsemble } from "./validate.js";

/**
 * An ensemble from an id ("string-quartet"), a comma list of instrument ids ("flute,cello"), or
 * the JSON text of an ensemble file (checked against the database).
 * @example loadEnsemble("string-quartet").instruments.length // 4
 * @example loadEnsemble("flute,clarinet-bb,bassoon").name // "Custom ensemble"
 * @throws TuttiError UNKNOWN_ENSEMBLE, UNKNOWN_INSTRUMENT or BAD_DATA
 */
export function loadEnsemble(spec: string, db: Database = builtinDatabase()): Ensemble {
  const trimmed = spec.trim();
  if (trimmed.startsWith("{")) return checkEnsemble(db, parseEnsemble(trimmed, "ensemble"), "ensemble");
  if (trimmed === "") throw new TuttiError("UNKNOWN_ENSEMBLE", "no ensemble given");
  return resolveEnsemble(db, trimmed);
}
