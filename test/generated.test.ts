/**
 * Generated files are what their generator makes now: a table edited by hand, or left stale after
 * a change of the generator or the fonts, fails here (run `npm run generate:glyphs`).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateGlyphTables } from "../scripts/generate-glyphs.mjs";

const ROOT = new URL("../", import.meta.url);

describe("generated glyph tables", () => {
  it("are what scripts/generate-glyphs.mjs makes from the installed fonts", () => {
    const tables = generateGlyphTables();
    expect([...tables.keys()].sort()).toEqual([
      "src/render/fonts/academico-bold.generated.ts",
      "src/render/fonts/academico.generated.ts",
      "src/render/fonts/bravura.generated.ts",
    ]);
    for (const [path, { text, glyphs }] of tables) {
      expect(glyphs, path).toBeGreaterThan(300);
      // Not toBe: a failure would print two files of some 300 kB.
      expect(readFileSync(new URL(path, ROOT), "utf8") === text, `${path} is stale: run npm run generate:glyphs`).toBe(true);
    }
  });
});
