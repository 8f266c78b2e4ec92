/**
 * Outlines VexFlow's text glyphs: every `<text>` it drew (music glyphs in Bravura, words in
 * Academico) becomes `<use>`s of glyph paths defined once per page in `<defs>`, so the SVG
 * needs no font and looks the same in a browser, `rsvg-convert` or an image in a document.
 *
 * The outlines come from generated tables (`src/render/fonts/*.generated.ts`, made by
 * `npm run generate:glyphs` from the OTF files of `@vexflow-fonts`): plain data, so this runs
 * in a browser too.
 */
import { ShimElement } from "./dom.js";
import { academicoBold } from "./fonts/academico-bold.generated.js";
import { academico } from "./fonts/academico.generated.js";
import { bravura } from "./fonts/bravura.generated.js";
import type { GlyphTable } from "./glyph-table.js";

export interface GlyphFonts {
  readonly music: GlyphTable;
  readonly text: GlyphTable;
  readonly textBold: GlyphTable;
}

export const DEFAULT_GLYPHS: GlyphFonts = { music: bravura, text: academico, textBold: academicoBold };

/** Font size in CSS px: `30pt` → 40, `12px` → 12, `10` → 10. */
function fontSizePx(size: string): number {
  const m = /^([\d.]+)\s*(pt|px|em|rem|%)?$/.exec(size.trim());
  if (!m) return 16;
  const n = Number(m[1]);
  switch (m[2]) {
    case "pt":
      return (n * 4) / 3;
    case "em":
    case "rem":
      return n * 16;
    case "%":
      return (n * 16) / 100;
    default:
      return n;
  }
}

interface Inherited {
  readonly family: string;
  readonly size: string;
  readonly weight: string;
  readonly style: string;
}

const TEXT_ACCIDENTALS: Readonly<Record<string, string>> = { "266d": "e260", "266e": "e261", "266f": "e262" };

const round = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * Replaces every `<text>` under `svg` by glyph `<use>`s and adds the glyph `<defs>`.
 * Returns the characters it found no outline for (left as `<text>` with a generic font).
 */
export function outlineText(svg: ShimElement, fonts: GlyphFonts = DEFAULT_GLYPHS): string[] {
  const used = new Map<string, string>(); // def id → path data
  const missing = new Set<string>();
  const visit = (el: ShimElement, inh: Inherited): void => {
    const here: Inherited = {
      family: el.getAttribute("font-family") ?? inh.family,
      size: el.getAttribute("font-size") ?? inh.size,
      weight: el.getAttribute("font-weight") ?? inh.weight,
      style: el.getAttribute("font-style") ?? inh.style,
    };
    if (el.tagName === "text") {
      replaceText(el, here, fonts, used, missing);
      return;
    }
    // By index: a text is replaced by one element in its place, so the children keep their count.
    for (let i = 0; i < el.children.length; i++) visit(el.children[i]!, here);
  };
  visit(svg, { family: "serif", size: "16px", weight: "normal", style: "normal" });
  if (used.size > 0) {
    const defs = new ShimElement("defs");
    for (const [id, d] of [...used].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const p = new ShimElement("path");
      p.setAttribute("id", id);
      p.setAttribute("d", d);
      defs.appendChild(p);
    }
    svg.insertBefore(defs, svg.firstChild);
  }
  return [...missing];
}

/** SMuFL's ranges an editor writes in words: repeats (segno, coda), individual notes, standard accidentals, dynamics. */
const SMUFL_IN_TEXT: readonly (readonly [string, string])[] = [
  ["\uE040", "\uE04F"],
  ["\uE1D0", "\uE1EF"],
  ["\uE260", "\uE26F"],
  ["\uE520", "\uE54F"],
];

function replaceText(el: ShimElement, font: Inherited, fonts: GlyphFonts, used: Map<string, string>, missing: Set<string>): void {
  const text = el.textContent;
  const families = font.family.split(",").map((f) => f.trim().replace(/^["']|["']$/g, "").toLowerCase());
  const bold = font.weight === "bold" || Number(font.weight) >= 600;
  const italic = font.style === "italic" || font.style === "oblique";
  const tables: [string, GlyphTable][] = [];
  for (const f of families) {
    if (f === "bravura") tables.push(["m", fonts.music]);
    else tables.push(bold ? ["b", fonts.textBold] : ["t", fonts.text]);
  }
  if (tables.length === 0) tables.push(["t", fonts.text]);
  const px = fontSizePx(font.size);
  const scale = px / 1000;
  let x = Number(el.getAttribute("x") ?? 0);
  const y = Number(el.getAttribute("y") ?? 0);
  const anchor = el.getAttribute("text-anchor");
  const glyphs: { id: string; x: number }[] = [];
  let lost = false;
  for (const ch of text) {
    let cp = ch.codePointAt(0)!.toString(16);
    // ♭ ♮ ♯ in names ("B♭ Clarinet") are drawn with the music font's accidentals.
    const musical = TEXT_ACCIDENTALS[cp];
    if (musical && tables[0]?.[0] !== "m") {
      cp = musical;
      tables.unshift(["m", fonts.music]);
    }
    // A private-use character in words is a SMuFL symbol some editors write as text (a segno, a
    // dynamic, a note of a metronome mark, an accidental): the music font has it. Any other means
    // what the font it was written in meant, which the file does not say: it is left out (Lascia
    // ch'io pianga's U+E167 beside its segno, which Bravura would draw as a "si" notehead).
    const privateUse = ch >= "\uE000" && ch <= "\uF8FF" && !tables.some(([, t]) => t[cp] !== undefined);
    if (privateUse && !SMUFL_IN_TEXT.some(([from, to]) => ch >= from && ch <= to)) continue;
    const found = privateUse && fonts.music[cp] !== undefined ? (["m", fonts.music] as [string, GlyphTable]) : tables.find(([, t]) => t[cp] !== undefined);
    if (!found) {
      if (ch.trim() !== "") {
        missing.add(ch);
        lost = true;
      }
      x += px * 0.3;
      continue;
    }
    const [prefix, table] = found;
    const [advance, d] = table[cp]!;
    const id = `g${prefix}${cp}`;
    if (d) {
      used.set(id, d);
      glyphs.push({ id, x });
    }
    x += advance * scale;
  }
  if (lost) {
    // Keep what we cannot outline as text a viewer can draw with any font.
    el.setAttribute("font-family", "serif");
    return;
  }
  const start = Number(el.getAttribute("x") ?? 0);
  const width = x - start;
  const dx = anchor === "middle" ? -width / 2 : anchor === "end" ? -width : 0;
  const skew = italic ? " skewX(-12)" : "";
  const out = glyphs.map((g) => {
    const u = new ShimElement("use");
    u.setAttribute("xlink:href", `#${g.id}`);
    u.setAttribute("transform", `translate(${round(g.x + dx)} ${round(y)}) scale(${round(scale)})${skew}`);
    const fill = el.getAttribute("fill");
    if (fill && fill !== "black" && fill !== "#000" && fill !== "#000000") u.setAttribute("fill", fill);
    return u;
  });
  // Nothing to draw (only characters left out): an empty group in its place (the caller walks
  // the children by index), with no label.
  if (out.length === 0 && text.trim() !== "") {
    el.replaceWith(new ShimElement("g"));
    return;
  }
  if (out.length === 1) {
    // A word of one letter (a chord symbol "F", a part's "I") keeps its text for search and screen
    // readers; a music glyph (a dynamic's p) is no word.
    if (!families.includes("bravura")) out[0]!.setAttribute("aria-label", text);
    el.replaceWith(out[0]!);
    return;
  }
  // Several glyphs stay together, labelled with the text they spell for search and screen readers.
  const g = new ShimElement("g");
  g.setAttribute("aria-label", text);
  for (const u of out) g.appendChild(u);
  el.replaceWith(g);
}
