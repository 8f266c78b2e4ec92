/**
 * The database that ships with Tutti, available without a file system (in a browser too), and
 * the short names a library user reaches for first: `loadEnsemble`, `instruments`, `ensembles`.
 */
import { TuttiError } from "../model/errors.js";
import { ENSEMBLE_FILES, INSTRUMENT_FILES } from "./builtin-data.generated.js";
import { checkEnsemble, databaseFromFiles, listEnsembles, listInstruments, parseEnsemble, resolveEnsemble, type Database } from "./database.js";
import type { Ensemble, Instrument } from "./schema.js";

let builtin: Database | undefined;

/**
 * The built-in instrument database (43 instruments, 12 ensembles), parsed and checked on first use.
 * @example builtinDatabase().instruments.get("viola")?.clefs[0]?.sign // "C"
 */
export function builtinDatabase(): Database {
  builtin ??= databaseFromFiles(INSTRUMENT_FILES, ENSEMBLE_FILES);
  return builtin;
}

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

/**
 * Every instrument of a database (the built-in one by default), in score order.
 * @example instruments().find((i) => i.id === "clarinet-bb")?.transposition?.chromatic // -2
 */
export function instruments(db: Database = builtinDatabase()): readonly Instrument[] {
  return listInstruments(db);
}

/**
 * Every ensemble of a database (the built-in one by default), sorted by id.
 * @example ensembles().map((e) => e.id).includes("symphony-orchestra") // true
 */
export function ensembles(db: Database = builtinDatabase()): readonly Ensemble[] {
  return listEnsembles(db);
}
