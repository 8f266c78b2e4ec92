/** Tutti's version, from package.json: what `--version` prints and what `--resume` compares. */
import { readFileSync } from "node:fs";

/**
 * The package's version; package.json is two folders up from this module, from `src/cli/` (tests,
 * tsx) as from `dist/cli/` (the installed package).
 * @example version() // "0.1.0"
 */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
