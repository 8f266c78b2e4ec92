/**
 * XML text into a small typed element tree, parsed by fast-xml-parser in ordered mode (which keeps
 * the order of `<note>`, `<backup>` and `<forward>`, the thing MusicXML's timing depends on),
 * behind limits and a screen that a hostile file cannot get past.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { clip, TuttiError } from "../model/errors.js";
import type { XmlElement, XmlNode } from "./tree.js";

type Ordered = Record<string, unknown>;

/**
 * What Tutti reads of XML, and no more. A hostile file cannot make the parser fetch, expand or
 * nest its way into time or memory: there is no DTD processing at all (a DOCTYPE is skipped, and
 * one that declares entities is refused), so no external entity (XXE) and no "billion laughs".
 *
 * - `maxChars`: 64 Mi characters of text (a 2 MB string quartet movement is 1/32 of it).
 * - `maxDepth`: elements nested 64 deep (MusicXML needs 8).
 * - `maxElements`: 1,000,000 elements, about 14 times a 380-measure string quartet movement: the
 *   parsed tree takes roughly 1 kB per element, so this bounds the memory near 1 GiB.
 * - `maxText`: 1 Mi characters of text between two tags, or in one tag's attributes (a lyric or a
 *   title is a few dozen): the parser builds text a character at a time, at some 35 bytes of
 *   memory each, so one 60 MB text would take 2 GB.
 */
export const XML_LIMITS = { maxChars: 64 * 1024 * 1024, maxDepth: 64, maxElements: 1_000_000, maxText: 1024 * 1024 } as const;

/** The five entities XML predefines; every other named reference is left as written. */
const PREDEFINED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function charRef(ref: string, whole: string): string {
  const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
  // XML's Char production; anything else (NUL, surrogates, past U+10FFFF) becomes U+FFFD.
  const ok = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
  return Number.isFinite(code) && whole.length < 20 && ok ? String.fromCodePoint(code) : "\uFFFD";
}

/**
 * The entity decoder handed to fast-xml-parser in place of its own: predefined entities and
 * character references only. Entities a DOCTYPE declares are never added (the DOCTYPE is removed
 * before parsing anyway), so nothing expands into more than the file says.
 */
const decoder = {
  decode(text: string): string {
    if (text.indexOf("&") < 0) return text;
    return text.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z_:][\w.:-]*);/g, (whole, ref: string) =>
      ref[0] === "#" ? charRef(ref, whole) : (PREDEFINED[ref] ?? whole),
    );
  },
  addInputEntities(): void {},
  setExternalEntities(): void {},
  reset(): void {},
  setXmlVersion(): void {},
};

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false as unknown as string,
  processEntities: true,
  htmlEntities: false,
  entityDecoder: decoder,
  maxNestedTags: XML_LIMITS.maxDepth,
  // No path strings built for every tag: no callback of ours reads them.
  jPath: false,
});

/**
 * Parses XML text into its root element. Malformed XML throws `TuttiError("BAD_XML")` with the line;
 * so do files past `XML_LIMITS` and files whose DOCTYPE declares entities.
 * @example parseXml("<a x='1'>hi</a>").attrs.x // "1"
 */
export function parseXml(text: string): XmlElement {
  text = screen(text);
  const check = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (check !== true) {
    // The validator reports a truncated document as "Invalid '[ "a", "b" ]' found": say it plainly.
    const unclosed = /^Invalid '\[(.*)\]' found\.?$/s.exec(check.err.msg.trim());
    const msg = unclosed ? `the file ends before ${unclosed[1]!.split(",").map((t) => `<${t.trim().replace(/^"|"$/g, "")}>`).join(", ")} ${unclosed[1]!.includes(",") ? "are" : "is"} closed` : check.err.msg;
    throw new TuttiError("BAD_XML", `not well-formed XML: ${clip(msg, 200)} (line ${check.err.line})`);
  }
  let doc: Ordered[];
  try {
    doc = parser.parse(text) as Ordered[];
  } catch (err) {
    if (err instanceof TuttiError) throw err;
    const why = err instanceof Error ? err.message : String(err);
    const reserved = /reserved JavaScript keyword/.test(why) ? /"([^"]*)"/.exec(why)?.[1] : undefined;
    if (reserved) throw new TuttiError("BAD_XML", `the file names an element or attribute "${reserved}", which Tutti refuses (it could tamper with the reader's objects)`);
    throw new TuttiError("BAD_XML", `not well-formed XML: ${clip(why, 200)}`);
  }
  const root = doc.map(convert).find((n): n is XmlElement => typeof n !== "string" && !n.name.startsWith("!") && !n.name.startsWith("?"));
  if (!root) throw new TuttiError("BAD_XML", "the XML document has no root element");
  return root;
}

/**
 * One pass over the markup before any parser sees it: the size, the depth and the number of
 * elements against `XML_LIMITS`, and the DOCTYPE. A DOCTYPE that declares entities (or uses
 * parameter entities) is refused; any other is blanked out (kept as spaces and line breaks, so
 * line numbers in later messages stay right), which is all MusicXML's public DOCTYPE needs.
 */
function screen(text: string): string {
  if (text.length > XML_LIMITS.maxChars) {
    throw new TuttiError("BAD_XML", `the XML text is larger than ${XML_LIMITS.maxChars / 1024 / 1024} MiB; refusing it`);
  }
  let depth = 0;
  let count = 0;
  let doctype: [number, number] | undefined;
  let rootSeen = false;
  const n = text.length;
  const tooLong = (what: string): TuttiError =>
    new TuttiError("BAD_XML", `the XML has ${what} longer than ${XML_LIMITS.maxText / 1024 / 1024} Mi characters; refusing it`);
  let i = text.indexOf("<");
  let last = 0;
  while (i >= 0 && i < n) {
    if (i - last > XML_LIMITS.maxText) throw tooLong("a text");
    const c = text.charCodeAt(i + 1);
    let next: number;
    if (c === 0x21 /* ! */) {
      if (text.startsWith("<!--", i)) next = end(text, "-->", i + 4);
      else if (text.startsWith("<![CDATA[", i)) next = end(text, "]]>", i + 9);
      else if (/^<!DOCTYPE/i.test(text.slice(i, i + 9))) {
        if (doctype || rootSeen) throw new TuttiError("BAD_XML", "the file has a DOCTYPE inside the document or more than one; refusing it");
        const close = doctypeEnd(text, i);
        doctype = [i, close];
        next = close;
      } else next = i + 2;
    } else if (c === 0x3f /* ? */) next = end(text, "?>", i + 2);
    else if (c === 0x2f /* / */) {
      depth--;
      next = i + 2;
    } else {
      next = tagEnd(text, i + 1);
      if (next < 0) break; // unclosed tag: the validator says where
      if (next - i > XML_LIMITS.maxText) throw tooLong("a tag (with its attributes)");
      rootSeen = true;
      if (++count > XML_LIMITS.maxElements) {
        throw new TuttiError("BAD_XML", `the XML has more than ${XML_LIMITS.maxElements.toLocaleString("en")} elements; refusing it`);
      }
      if (text.charCodeAt(next - 2) !== 0x2f /* / */ && ++depth > XML_LIMITS.maxDepth) {
        throw new TuttiError("BAD_XML", `the XML nests elements more than ${XML_LIMITS.maxDepth} deep; refusing it`);
      }
    }
    if (next < 0) break;
    last = next;
    i = text.indexOf("<", next);
  }
  if (i < 0 && n - last > XML_LIMITS.maxText) throw tooLong("a text");
  if (!doctype) return text;
  const [from, to] = doctype;
  return text.slice(0, from) + text.slice(from, to).replace(/[^\n]/g, " ") + text.slice(to);
}

/** The index after `marker`, searching from `from`, or -1. */
function end(text: string, marker: string, from: number): number {
  const k = text.indexOf(marker, from);
  return k < 0 ? -1 : k + marker.length;
}

/** The index after the `>` that closes the tag starting before `from`, skipping quoted values; -1 if none. */
function tagEnd(text: string, from: number): number {
  let quote = 0;
  for (let k = from; k < text.length; k++) {
    const ch = text.charCodeAt(k);
    if (quote) {
      if (ch === quote) quote = 0;
    } else if (ch === 0x22 || ch === 0x27) quote = ch;
    else if (ch === 0x3e /* > */) return k + 1;
    else if (ch === 0x3c /* < */) return -1;
  }
  return -1;
}

/**
 * The index after a DOCTYPE's closing `>`. Refuses a DOCTYPE whose internal subset declares
 * entities or refers to parameter entities: XML's only ways to pull in outside files or expand.
 */
function doctypeEnd(text: string, start: number): number {
  let quote = 0;
  let subset = false;
  for (let k = start + 9; k < text.length; k++) {
    const ch = text.charCodeAt(k);
    if (quote) {
      if (ch === quote) quote = 0;
      continue;
    }
    if (ch === 0x22 || ch === 0x27) quote = ch;
    else if (subset && text.startsWith("<!--", k)) {
      const e = text.indexOf("-->", k + 4);
      if (e < 0) break;
      k = e + 2;
    } else if (subset && (text.startsWith("<!ENTITY", k) || ch === 0x25 /* % */)) {
      throw new TuttiError("BAD_XML", "the DOCTYPE declares entities (<!ENTITY …>); Tutti reads no DTDs and refuses such files");
    } else if (ch === 0x5b /* [ */ && !subset) subset = true;
    else if (ch === 0x5d /* ] */ && subset) subset = false;
    else if (ch === 0x3e /* > */ && !subset) return k + 1;
  }
  throw new TuttiError("BAD_XML", "not well-formed XML: the DOCTYPE is never closed");
}

/** One node of fast-xml-parser's ordered output as an element or a text. */
function convert(node: Ordered): XmlNode {
  const keys = Object.keys(node).filter((k) => k !== ":@");
  const name = keys[0] ?? "";
  if (name === "#text") return String(node["#text"]);
  const attrs = (node[":@"] as Record<string, string> | undefined) ?? {};
  const kids = (node[name] as Ordered[] | undefined) ?? [];
  return { name, attrs, children: kids.map(convert) };
}
