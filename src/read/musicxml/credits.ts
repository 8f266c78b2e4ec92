/**
 * Title, subtitle, composer and rights from a score's page credits (`<credit>`), for the many
 * files that print them on page 1 but leave `<work>`, `<movement-title>` and `<identification>`
 * empty. Typed credits say what they are; untyped ones are read as an engraver lays out a title
 * page: the largest centred text is the title, the next centred one the subtitle, right-aligned
 * text at the top the composer, a line about copyright or typesetting the rights. Page numbers and
 * left-aligned notes (a catalogue number, a publisher) are not taken.
 */
import { elements, textOf, type XmlElement } from "../../xml/tree.js";

export interface Credits {
  readonly title?: string;
  readonly subtitle?: string;
  readonly composer?: string;
  readonly lyricist?: string;
  readonly arranger?: string;
  readonly rights: readonly string[];
}

const RIGHTS = /©|\(c\)|copyright|licen[cs]e|typeset|engraved|public domain|all rights/i;
const TYPED = ["title", "subtitle", "composer", "lyricist", "arranger", "rights"] as const;

interface Credit {
  readonly text: string;
  readonly types: readonly string[];
  readonly size: number;
  readonly align: string;
  readonly y: number;
}

/**
 * The credits of page 1 (or of no page), typed or laid out as a title page.
 * @example readCredits(root).title // "Polonaise in E-flat major, Op. 1 No. 1"
 */
export function readCredits(root: XmlElement): Credits {
  const credits: Credit[] = elements(root, "credit")
    .filter((c) => (c.attrs.page ?? "1") === "1")
    .map((c) => {
      const words = elements(c, "credit-words");
      const first = words[0];
      return {
        text: words.map((w) => textOf(w).replace(/\s+/g, " ").trim()).filter((t) => t !== "").join(" "),
        types: elements(c, "credit-type").map((t) => textOf(t).trim().toLowerCase()),
        size: Number(first?.attrs["font-size"]) || 0,
        align: (first?.attrs.justify ?? first?.attrs.halign ?? "").toLowerCase(),
        y: Number(first?.attrs["default-y"]) || 0,
      };
    })
    .filter((c) => c.text !== "" && !/^\d+$/.test(c.text));
  const out: { -readonly [K in keyof Credits]: Credits[K] } & { rights: string[] } = { rights: [] };
  for (const c of credits) {
    const type = TYPED.find((t) => c.types.includes(t));
    if (type === "rights") out.rights.push(c.text);
    else if (type && out[type] === undefined) out[type] = c.text;
  }
  const untyped = credits.filter((c) => c.types.length === 0);
  for (const c of untyped) if (RIGHTS.test(c.text)) out.rights.push(c.text);
  const plain = untyped.filter((c) => !RIGHTS.test(c.text));
  const centred = plain.filter((c) => c.align === "center").sort((a, b) => b.size - a.size || b.y - a.y);
  if (out.title === undefined && centred[0]) out.title = centred[0].text;
  if (out.subtitle === undefined && centred[1] && centred[1].text !== out.title) out.subtitle = centred[1].text;
  const right = plain.filter((c) => c.align === "right").sort((a, b) => b.y - a.y);
  if (out.composer === undefined && right[0]) out.composer = right[0].text;
  return out;
}
