/**
 * Node-only loading of the instrument database from the `instruments/` folder, and of a user's
 * ensemble file. The parsing and checking is the core's (`src/instruments/`); this only reads files.
 */
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, isAbsolute, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { TuttiError } from "../model/errors.js";
import { builtinDatabase } from "../instruments/builtin.js";
import { checkEnsemble, resolveEnsemble, type Database } from "../instruments/database.js";
import type { Ensemble } from "../instruments/schema.js";

/** The checker of data files (zod), loaded only when there are files to check. */
const validating = (): Promise<typeof import("../instruments/validate.js")> => import("../instruments/validate.js");

/**
 * The package's own `instruments/` folder: two levels up from this module, which holds both for
 * `src/node/instruments.ts` (tests, tsx) and `dist/node/instruments.js` (the installed package).
 */
export function defaultInstrumentsDir(): string {
  return fileURLToPath(new URL("../../instruments/", import.meta.url));
}

/**
 * Tutti's own database (built in: its files were checked when Tutti was built), or, given `dir`,
 * `<dir>/instruments/*.json` and `<dir>/ensembles/*.json` read and checked now; with a user's own
 * folders (same layout, either sub-folder may be missing) added on top: a file with the id of one
 * already there replaces it.
 * @example (await loadDatabase()).instruments.get("violin")?.range.absolute // ["G3", "A7"]
 * @example (await loadDatabase(undefined, ["my-instruments"])).ensembles.has("my-band")
 * @throws TuttiError BAD_DATA naming the file and field of the first problem; FILE_NOT_FOUND for a missing folder
 */
export async function loadDatabase(dir?: string, own: readonly string[] = []): Promise<Database> {
  let [instruments, ensembles] = dir === undefined ? [{}, {}] : await Promise.all([readAll(join(dir, "instruments")), readAll(join(dir, "ensembles"))]);
  for (const folder of own) {
    if (!(await stat(folder).then((s) => s.isDirectory(), () => false))) throw new TuttiError("FILE_NOT_FOUND", "instrument folder not found", folder);
    const [i, e] = [join(folder, "instruments"), join(folder, "ensembles")];
    if (!existsSync(i) && !existsSync(e)) {
      throw new TuttiError("FILE_NOT_FOUND", "the folder has neither an instruments/ nor an ensembles/ folder of JSON files in it", folder);
    }
    instruments = replaceById(instruments, existsSync(i) ? await readAll(i) : {});
    ensembles = replaceById(ensembles, existsSync(e) ? await readAll(e) : {});
  }
  const base = dir === undefined ? builtinDatabase() : undefined;
  if (base && Object.keys(instruments).length === 0 && Object.keys(ensembles).length === 0) return base;
  return (await validating()).databaseFromFiles(instruments, ensembles, base);
}

/** Files keyed by path, with those of `added` replacing any of the same name (the same id). */
function replaceById(files: Readonly<Record<string, string>>, added: Readonly<Record<string, string>>): Record<string, string> {
  const ids = new Set(Object.keys(added).map((path) => basename(path)));
  return { ...Object.fromEntries(Object.entries(files).filter(([path]) => !ids.has(basename(path)))), ...added };
}

/** The text of each `.json` file of a folder, keyed by its path as shown to the user. */
async function readAll(folder: string): Promise<Record<string, string>> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => n.endsWith(".json")).sort();
  } catch {
    throw new TuttiError("FILE_NOT_FOUND", "instrument data folder not found", display(folder));
  }
  const texts = await Promise.all(names.map((name) => readFile(join(folder, name), "utf8")));
  return Object.fromEntries(names.map((name, k) => [display(join(folder, name)), texts[k]!]));
}

/** Paths inside the working directory are shown relative to it, others as they are. */
function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/**
 * Resolves what a user gives for `--ensemble`: an ensemble id ("string-quartet"), a path to an
 * ensemble file ("my.json"), or an inline comma list of instrument ids ("flute,clarinet-bb,cello").
 * @example (await loadEnsembleSpec(db, "flute,cello")).instruments.length // 2
 * @throws TuttiError UNKNOWN_ENSEMBLE, UNKNOWN_INSTRUMENT, FILE_NOT_FOUND or BAD_DATA
 */
export async function loadEnsembleSpec(db: Database, spec: string): Promise<Ensemble> {
  const trimmed = spec.trim();
  const looksLikeFile = trimmed.endsWith(".json") || trimmed.includes("/") || trimmed.includes("\\");
  if (!looksLikeFile || db.ensembles.has(trimmed)) return resolveEnsemble(db, trimmed);
  if (!existsSync(trimmed)) throw new TuttiError("FILE_NOT_FOUND", "ensemble file not found", trimmed);
  const text = await readFile(trimmed, "utf8");
  return checkEnsemble(db, (await validating()).parseEnsemble(text, trimmed), trimmed);
}
