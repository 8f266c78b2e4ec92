/** The parsed XML element tree (`XmlElement`) and the small walks the readers make through it. */

/** An element as parsed: its name, its attributes, and its children (elements and text) in document order. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}
/** A child of an element: an element, or a run of text. */
export type XmlNode = XmlElement | string;

/** Whether a node is an element rather than text. */
function isElement(n: XmlNode): n is XmlElement {
  return typeof n !== "string";
}

/** The child elements, all or those of one name, in document order. */
export function elements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => isElement(c) && (name === undefined || c.name === name));
}

/** The first child element of that name. */
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

/** The number in a child element's text, or undefined when it is absent, empty or not a finite number. */
export function childNumber(el: XmlElement, name: string): number | undefined {
  const t = childText(el, name);
  if (t === undefined) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}
