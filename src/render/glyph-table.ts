/**
 * The shape of a generated glyph table (`src/render/fonts/*.generated.ts`), on its own so that
 * the tables and `glyphs.ts`, which reads them, do not import each other.
 */

/** Code point in hex → [advance width, SVG path data], 1000 units per em, y down. */
export type GlyphTable = Readonly<Record<string, readonly [number, string]>>;
