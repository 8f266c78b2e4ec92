/** The instrument database: schemas, types and pure lookups (no I/O; the loader is in `src/node/`). */
export * from "./schema.js";
export * from "./database.js";
export { builtinDatabase, loadEnsemble, instruments, ensembles } from "./builtin.js";
