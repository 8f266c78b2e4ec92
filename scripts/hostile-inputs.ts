/**
 * Writes the hostile-input set of issue 9 (test/support/hostile-cases.ts) into a folder.
 *
 * `npx tsx scripts/hostile-inputs.ts [folder]` writes every case into `folder` (default
 * `out/hostile/`) with `cases.json` beside them (name, what it tries, what Tutti must do), and a
 * `secret.txt` the XXE cases point at. `test/hostile.test.ts` builds the same set in a temporary
 * folder and runs each case through the command line.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { hostileCases, SECRET } from "../test/support/hostile-cases.js";

/** Writes the set into `dir`, with `cases.json` and `secret.txt`. */
export function writeHostileSet(dir: string): { dir: string; count: number } {
  mkdirSync(dir, { recursive: true });
  const secretFile = resolve(dir, "secret.txt");
  writeFileSync(secretFile, `${SECRET}\n`);
  const cases = hostileCases({ secretFile });
  for (const c of cases) writeFileSync(join(dir, c.name), c.bytes());
  const index = cases.map((c) => ({ name: c.name, what: c.what, expect: c.expect, ...(c.message ? { message: c.message.source } : {}) }));
  writeFileSync(join(dir, "cases.json"), JSON.stringify(index, null, 2) + "\n");
  return { dir, count: cases.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { dir, count } = writeHostileSet(resolve(process.argv[2] ?? "out/hostile"));
  console.log(`${count} hostile inputs written to ${dir}`);
}
