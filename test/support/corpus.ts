/**
 * The test corpus in fixtures/corpus (copied from ../shared/corpus; see fixtures/README.md).
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const FIXTURES = fileURLToPath(new URL("../../fixtures/", import.meta.url));

/** Score files (MusicXML, .mxl) in a folder of fixtures/corpus, sorted by name. */
export function corpusFiles(folder: string): string[] {
  const dir = `${FIXTURES}corpus/${folder}/`;
  return readdirSync(dir)
    .filter((f) => /\.(xml|musicxml|mxl)$/i.test(f))
    .sort()
    .map((f) => dir + f);
}

export function bytesOf(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}
