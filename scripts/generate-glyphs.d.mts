/** Types of `generate-glyphs.mjs`, for the freshness test that imports it. */
export declare function generateGlyphTables(): Map<string, { readonly text: string; readonly glyphs: number }>;
