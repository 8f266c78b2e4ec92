/**
 * The instrument database: types, the built-in data and pure lookups (no I/O; the loader is in
 * `src/node/`). Without the checking of data files (`validate.ts`, `load-ensemble.ts`), which
 * loads zod: the public API (`src/index.ts`) exports those too.
 */
export * from "./schema.js";
export * from "./database.js";
export { builtinDatabase, instruments, ensembles } from "./builtin.js";
