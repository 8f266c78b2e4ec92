/**
 * The database that ships with Tutti, available without a file system (in a browser too), and
 * the short names a library user reaches for first: `instruments`, `ensembles` (and
 * `loadEnsemble`, in `load-ensemble.ts`).
 */
import { ENSEMBLES, INSTRUMENTS } from "./builtin-data.generated.js";
import { createDatabase, deepFreeze, listEnsembles, listInstruments, type Database } from "./database.js";
import type { Ensemble, Instrument } from "./schema.js";

let builtin: Database | undefined;

/**
 * The built-in instrument database (43 instruments, 12 ensembles), made on first use from the data
 * files as they were checked against the schema when Tutti was built.
 * @example builtinDatabase().instruments.get("viola")?.clefs[0]?.sign // "C"
 */
export function builtinDatabase(): Database {
  builtin ??= createDatabase(INSTRUMENTS.map(deepFreeze), ENSEMBLES.map(deepFreeze));
  return builtin;
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
