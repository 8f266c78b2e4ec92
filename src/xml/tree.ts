/**
 * A small typed view of an XML document, parsed by fast-xml-parser in ordered mode (which keeps
 * the order of `<note>`, `<backup>` and `<forward>`, the thing MusicXML's timing depends on).
 */
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { TuttiError } from "../model/errors.js";

export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}
export type XmlNode = XmlElement | string;

type Ordered = Record<string, unknown>;

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
  // Entities are expanded with fast-xml-parser's size and count limits (no billion laughs).
  processEntities: true,
  htmlEntities: false,
});

/**
 * Parses XML text into its root element. Malformed XML throws `TuttiError("BAD_XML")` with the line.
 * @example parseXml("<a x='1'>hi</a>").attrs.x // "1"
 */
export function parseXml(text: string): XmlElement {
  const check = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (check !== true) {
    // The validator reports a truncated document as "Invalid '[ "a", "b" ]' found": say it plainly.
    const unclosed = /^Invalid '\[(.*)\]' found\.?$/s.exec(check.err.msg.trim());
    const msg = unclosed ? `the file ends before ${unclosed[1]!.split(",").map((t) => `<${t.trim().replace(/^"|"$/g, "")}>`).join(", ")} ${unclosed[1]!.includes(",") ? "are" : "is"} closed` : check.err.msg;
    throw new TuttiError("BAD_XML", `not well-formed XML: ${msg} (line ${check.err.line})`);
  }
  const doc = parser.parse(text) as Ordered[];
  const root = doc.map(convert).find((n): n is XmlElement => typeof n !== "string" && !n.name.startsWith("!") && !n.name.startsWith("?"));
  if (!root) throw new TuttiError("BAD_XML", "the XML document has no root element");
  return root;
}

function convert(node: Ordered): XmlNode {
  const keys = Object.keys(node).filter((k) => k !== ":@");
  const name = keys[0] ?? "";
  if (name === "#text") return String(node["#text"]);
  const attrs = (node[":@"] as Record<string, string> | undefined) ?? {};
  const kids = (node[name] as Ordered[] | undefined) ?? [];
  return { name, attrs, children: kids.map(convert) };
}

export function isElement(n: XmlNode): n is XmlElement {
  return typeof n !== "string";
}

export function elements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => isElement(c) && (name === undefined || c.name === name));
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) if (isElement(c) && c.name === name) return c;
  return undefined;
}

/** The concatenated text content, untrimmed. */
export function textOf(el: XmlElement | undefined): string {
  if (!el) return "";
  return el.children.map((c) => (typeof c === "string" ? c : textOf(c))).join("");
}

/** Trimmed text of a child element, or undefined when the child is absent or empty. */
export function childText(el: XmlElement, name: string): string | undefined {
  const c = child(el, name);
  if (!c) return undefined;
  const t = textOf(c).trim();
  return t === "" ? undefined : t;
}

export function childNumber(el: XmlElement, name: string): number | undefined {
  const t = childText(el, name);
  if (t === undefined) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

// ---- building ----

/** An element to serialise; children are elements or text. Undefined children are skipped. */
export interface XmlOut {
  readonly name: string;
  readonly attrs?: Readonly<Record<string, string | number | undefined>>;
  readonly children?: readonly (XmlOut | string | undefined | false)[];
}

export function x(
  name: string,
  attrs?: Readonly<Record<string, string | number | undefined>>,
  ...children: readonly (XmlOut | string | number | undefined | false)[]
): XmlOut {
  return { name, attrs, children: children.map((c) => (typeof c === "number" ? String(c) : c)) };
}

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  format: true,
  indentBy: "  ",
  suppressEmptyNode: true,
  processEntities: true,
});

function toOrdered(e: XmlOut): Ordered {
  const kids: Ordered[] = [];
  for (const c of e.children ?? []) {
    if (c === undefined || c === false) continue;
    kids.push(typeof c === "string" ? { "#text": c } : toOrdered(c));
  }
  const node: Ordered = { [e.name]: kids };
  const attrs: Record<string, string> = {};
  let any = false;
  for (const [k, v] of Object.entries(e.attrs ?? {})) {
    if (v === undefined) continue;
    attrs[k] = String(v);
    any = true;
  }
  if (any) node[":@"] = attrs;
  return node;
}

/** Serialises an element tree (no declaration; the caller writes its own prolog). */
export function buildXml(root: XmlOut): string {
  return (builder.build([toOrdered(root)]) as string).trim() + "\n";
}
