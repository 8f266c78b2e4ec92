/**
 * XML text into events or small typed element trees, behind limits and a screen that a hostile
 * file cannot get past. The text is screened (size, depth, DOCTYPE) and checked for
 * well-formedness by fast-xml-parser's validator first; then our own tokenizer walks it in
 * document order (the order of `<note>`, `<backup>` and `<forward>`, which MusicXML's timing
 * depends on) and builds only the subtrees its reader asks for, so memory follows what the reader
 * keeps, not the length of the text.
 */
import { XMLValidator } from "fast-xml-parser";
import { clip, TuttiError } from "../model/errors.js";
import type { XmlElement, XmlNode } from "./tree.js";

/**
 * What Tutti reads of XML, and no more. A hostile file cannot make the reader fetch, expand or
 * nest its way into time or memory: there is no DTD processing at all (a DOCTYPE is skipped, and
 * one that declares entities is refused), so no external entity (XXE) and no "billion laughs".
 *
 * - `maxChars`: 256 Mi characters of text (a 3,000-measure symphony-orchestra arrangement written
 *   by Tutti is 48 MB). The text is walked, never held as a tree, so its length costs time only.
 * - `maxDepth`: elements nested 64 deep (MusicXML needs 8).
 * - `maxElements`: 1,000,000 elements held at once: the subtree being built (a `<measure>`) and
 *   what the reader keeps of the header (`<part-list>`, `<credit>`…). A dense measure of a
 *   symphony-orchestra score in timewise form has a few thousand; a built element takes some
 *   150 bytes, so this bounds the tree near 150 MiB.
 * - `maxText`: 1 Mi characters of text between two tags, or in one tag's attributes (a lyric or a
 *   title is a few dozen).
 */
export const XML_LIMITS = { maxChars: 256 * 1024 * 1024, maxDepth: 64, maxElements: 1_000_000, maxText: 1024 * 1024 } as const;

/** The five entities XML predefines; every other named reference is left as written. */
const PREDEFINED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function charRef(ref: string, whole: string): string {
  const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
  // XML's Char production; anything else (NUL, surrogates, past U+10FFFF) becomes U+FFFD.
  const ok = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
  return Number.isFinite(code) && whole.length < 20 && ok ? String.fromCodePoint(code) : "\uFFFD";
}

/**
 * A text or attribute value as the reader sees it: line ends made `\n` (as XML says), then the
 * predefined entities and character references expanded. Entities a DOCTYPE declares are never
 * known (the walk starts after the DOCTYPE), so nothing expands into more than the file says.
 */
function decodeValue(raw: string): string {
  const text = raw.indexOf("\r") < 0 ? raw : raw.replace(/\r\n?/g, "\n");
  if (text.indexOf("&") < 0) return own(text);
  return own(
    text.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z_:][\w.:-]*);/g, (whole, ref: string) =>
      ref[0] === "#" ? charRef(ref, whole) : (PREDEFINED[ref] ?? whole),
    ),
  );
}

/**
 * A name or value the reader may keep, holding nothing of the text it was cut from. V8 makes a
 * cut of 13 characters or more (`slice`, a match) a view into the whole text, so one kept
 * "backward hook" or title would keep a file's whole text alive as long as its score; a shorter
 * cut is a copy already. Concatenating and cutting again makes a copy (a view into the copy).
 */
function own(s: string): string {
  return s.length < 13 ? s : (" " + s).slice(1);
}

/** Names that would reach into a JavaScript object's prototype: refused. */
const CRITICAL = new Set(["__proto__", "constructor", "prototype"]);
/** Names of an object's own methods: read with "__" before them, so no lookup finds the method. */
const SHADOWING = new Set(["hasOwnProperty", "toString", "valueOf", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__"]);

function safeName(name: string): string {
  if (CRITICAL.has(name)) throw new TuttiError("BAD_XML", `the file names an element or attribute "${name}", which Tutti refuses (it could tamper with the reader's objects)`);
  return SHADOWING.has(name) ? `__${name}` : name;
}

/** Attribute pairs; one without a value (not XML, which the validator lets pass) is dropped. */
const ATTRIBUTE = /([^\s=]+)\s*(=\s*(?:"([^"]*)"|'([^']*)'))?/g;

function attributesOf(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  if (source.trim() === "") return attrs;
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(source); m; m = ATTRIBUTE.exec(source)) {
    const value = m[3] ?? m[4];
    if (value !== undefined) attrs[safeName(m[1]!)] = decodeValue(value);
    else safeName(m[1]!);
  }
  return attrs;
}

/** What a walk over XML tells its reader. Depth counts from 0 at the root. */
export interface XmlHandler {
  /**
   * An element opens outside any subtree being built. True asks for it to be built whole (its
   * attributes, children and text) and handed to `element` when it closes.
   */
  open(name: string, attrs: Readonly<Record<string, string>>, depth: number): boolean;
  /**
   * A subtree `open` asked for, complete. True if the reader keeps it: its elements then count
   * against `XML_LIMITS.maxElements` to the end of the walk; false lets them go.
   */
  element(el: XmlElement, depth: number): boolean;
}

/** An element while it is built. */
interface Building {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlNode[];
}

/**
 * Walks XML text in document order, building only the subtrees `handler.open` asks for. The text
 * is screened and validated first (see `parseXml`), so a malformed or hostile file is refused
 * before the reader sees any of it.
 * @example streamXml("<a><b/></a>", { open: (name) => name === "b", element: (el) => (console.log(el.name), false) }) // logs "b"
 */
export function streamXml(text: string, handler: XmlHandler): void {
  walk(text, checked(text), handler);
  forgetLastMatch();
}

/**
 * V8 keeps the subject of the last successful regular-expression match (`RegExp.lastMatch`),
 * and the walk's last one is a cut of the text: the whole text would stay in memory with the
 * score until some other match. A match on a string of its own lets it go.
 */
function forgetLastMatch(): void {
  /x/.exec("x");
}

/**
 * Parses XML text into its root element. Malformed XML throws `TuttiError("BAD_XML")` with the line;
 * so do files past `XML_LIMITS` and files whose DOCTYPE declares entities.
 * @example parseXml("<a x='1'>hi</a>").attrs.x // "1"
 */
export function parseXml(text: string): XmlElement {
  let root: XmlElement | undefined;
  streamXml(text, {
    open: () => true,
    element: (el) => {
      root = el;
      return true;
    },
  });
  if (!root) throw new TuttiError("BAD_XML", "the XML document has no root element");
  return root;
}

/**
 * Screens the text and has the validator check it; where the walk starts: after the DOCTYPE, if
 * there is one. The validator sees the document without its DOCTYPE: the text before it (the XML
 * declaration, comments) with an empty root in place of the rest, then the text after it, a cut
 * that shares the text's memory. Blanking the DOCTYPE in a copy instead held the text twice (a
 * 10,000-measure orchestral score is 280 MiB of it).
 */
function checked(text: string): number {
  const doctype = screen(text);
  if (!doctype) {
    validate(text, 0);
    return 0;
  }
  const [from, to] = doctype;
  validate(`${text.slice(0, from)}<_/>`, 0);
  validate(text.slice(to), lineOf(text, to) - 1);
  return to;
}

/** The validator's verdict on `text`, whose first line is line `before` + 1 of the file. */
function validate(text: string, before: number): void {
  const check = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (check === true) return;
  // The validator reports a truncated document as "Invalid '[ "a", "b" ]' found": say it plainly.
  const unclosed = /^Invalid '\[(.*)\]' found\.?$/s.exec(check.err.msg.trim());
  const msg = unclosed ? `the file ends before ${unclosed[1]!.split(",").map((t) => `<${t.trim().replace(/^"|"$/g, "")}>`).join(", ")} ${unclosed[1]!.includes(",") ? "are" : "is"} closed` : check.err.msg;
  throw new TuttiError("BAD_XML", `not well-formed XML: ${clip(msg, 200)} (line ${before + check.err.line})`);
}

/** A walk that meets what the validator should have refused: said the same way. */
const malformed = (why: string): TuttiError => new TuttiError("BAD_XML", `not well-formed XML: ${why}`);

/**
 * The tokenizer: tags, text, CDATA, comments and processing instructions of well-formed text.
 * Text outside the subtrees being built is skipped without being decoded.
 */
function walk(text: string, start: number, handler: XmlHandler): void {
  const n = text.length;
  const stack: Building[] = [];
  let depth = 0;
  let held = 0;
  let built = 0; // elements of the subtree being built
  const addText = (raw: string): void => {
    const top = stack[stack.length - 1];
    if (top && raw !== "") top.children.push(raw);
  };
  const grow = (name: string): void => {
    built++;
    if (held + built > XML_LIMITS.maxElements) {
      throw new TuttiError("BAD_XML", `the XML has more than ${XML_LIMITS.maxElements.toLocaleString("en")} elements in one <${clip(stack[0]?.name ?? name)}> (and what is kept of the header); refusing it`);
    }
  };
  const finish = (el: Building): void => {
    if (handler.element(el, depth)) held += built;
    built = 0;
  };
  let i = start;
  while (i < n) {
    const lt = text.indexOf("<", i);
    const stop = lt < 0 ? n : lt;
    if (stop > i && stack.length) addText(decodeValue(text.slice(i, stop)));
    if (lt < 0) break;
    const c = text.charCodeAt(lt + 1);
    if (c === 0x21 /* ! */) {
      if (text.startsWith("<!--", lt)) i = after(text, "-->", lt + 4, "Comment");
      else if (text.startsWith("<![CDATA[", lt)) {
        const close = after(text, "]]>", lt + 9, "CDATA");
        if (stack.length) addText(own(decodeLineEnds(text.slice(lt + 9, close - 3))));
        i = close;
      } else throw malformed(`a declaration ("${clip(text.slice(lt, lt + 12))}…") inside the document (line ${lineOf(text, lt)})`);
    } else if (c === 0x3f /* ? */) i = after(text, "?>", lt + 2, "Pi Tag");
    else if (c === 0x2f /* / */) {
      i = after(text, ">", lt + 2, "Closing Tag");
      depth--;
      const el = stack.pop();
      if (el && stack.length === 0) finish(el);
    } else {
      const close = tagEnd(text, lt + 1);
      if (close < 0) throw malformed(`a tag is never closed (line ${lineOf(text, lt)})`);
      const selfClosing = text.charCodeAt(close - 2) === 0x2f;
      const inside = text.slice(lt + 1, selfClosing ? close - 2 : close - 1);
      const space = inside.search(/\s/);
      const name = own(safeName(space < 0 ? inside : inside.slice(0, space)));
      const attrs = space < 0 ? {} : attributesOf(inside.slice(space));
      i = close;
      if (stack.length) {
        grow(name);
        const el: Building = { name, attrs, children: [] };
        stack[stack.length - 1]!.children.push(el);
        if (!selfClosing) stack.push(el);
      } else if (handler.open(name, attrs, depth)) {
        grow(name);
        const el: Building = { name, attrs, children: [] };
        if (selfClosing) finish(el);
        else stack.push(el);
      }
      if (!selfClosing) depth++;
    }
  }
}

/** Line ends as XML reads them. */
function decodeLineEnds(raw: string): string {
  return raw.indexOf("\r") < 0 ? raw : raw.replace(/\r\n?/g, "\n");
}

/**
 * The index after `marker`, searching from `from`. The validator lets an unclosed comment, CDATA
 * or processing instruction at the end pass; the message is the one fast-xml-parser gave.
 */
function after(text: string, marker: string, from: number, what: string): number {
  const k = text.indexOf(marker, from);
  if (k < 0) throw malformed(`${what} is not closed.`);
  return k + marker.length;
}

/** The line (from 1) of an index, for the rare message that needs it. */
function lineOf(text: string, index: number): number {
  let line = 1;
  for (let k = text.indexOf("\n"); k >= 0 && k < index; k = text.indexOf("\n", k + 1)) line++;
  return line;
}

/**
 * One pass over the markup before the validator sees it: the size, the depth and the texts against
 * `XML_LIMITS`, and the DOCTYPE. A DOCTYPE that declares entities (or uses parameter entities) is
 * refused; any other is passed over (its start and end are returned), which is all MusicXML's
 * public DOCTYPE needs.
 */
function screen(text: string): [number, number] | undefined {
  if (text.length > XML_LIMITS.maxChars) {
    throw new TuttiError("BAD_XML", `the XML text is larger than ${XML_LIMITS.maxChars / 1024 / 1024} MiB; refusing it`);
  }
  let depth = 0;
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
      if (text.charCodeAt(next - 2) !== 0x2f /* / */ && ++depth > XML_LIMITS.maxDepth) {
        throw new TuttiError("BAD_XML", `the XML nests elements more than ${XML_LIMITS.maxDepth} deep; refusing it`);
      }
    }
    if (next < 0) break;
    last = next;
    i = text.indexOf("<", next);
  }
  if (i < 0 && n - last > XML_LIMITS.maxText) throw tooLong("a text");
  return doctype;
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
