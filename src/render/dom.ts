/**
 * A minimal DOM for VexFlow's SVG context: elements with attributes, children, text and a
 * style object. VexFlow only creates, appends and sets attributes, so this is all it needs,
 * it runs the same in Node and in a browser, and it is about 2.4× faster than jsdom.
 *
 * The tree is serialised by `serialize` (attributes in insertion order, so output is
 * deterministic) after the glyph pass has rewritten music-font text into paths.
 */
import { escapeXml } from "../xml/serialize.js";

/** A node of the shim tree: an element, or a text node (tag `#text`). */
export class ShimElement {
  readonly tagName: string;
  /**
   * Names and values in turn, in the order first set: a page has thousands of elements of a few
   * attributes each, and a Map for each took about twice the memory.
   */
  private readonly attrs: string[] = [];
  children: ShimElement[] = [];
  parentNode: ShimElement | undefined;
  /** Text of a `#text` node. */
  text = "";
  /** Made when first asked for: VexFlow styles the root only, and a page has thousands of elements. */
  private inlineStyle: ShimStyle | undefined;

  constructor(tagName: string) {
    this.tagName = tagName;
  }

  setAttribute(name: string, value: unknown): void {
    const i = this.indexOf(name);
    if (i < 0) this.attrs.push(name, String(value));
    else this.attrs[i + 1] = String(value);
  }
  setAttributeNS(_ns: string | null, name: string, value: unknown): void {
    this.setAttribute(name, value);
  }
  getAttribute(name: string): string | null {
    const i = this.indexOf(name);
    return i < 0 ? null : this.attrs[i + 1]!;
  }
  removeAttribute(name: string): void {
    const i = this.indexOf(name);
    if (i >= 0) this.attrs.splice(i, 2);
  }
  hasAttribute(name: string): boolean {
    return this.indexOf(name) >= 0;
  }
  /** The attributes' names and values in turn, in the order first set. */
  get attributes(): readonly string[] {
    return this.attrs;
  }
  private indexOf(name: string): number {
    for (let i = 0; i < this.attrs.length; i += 2) if (this.attrs[i] === name) return i;
    return -1;
  }
  appendChild<T extends ShimElement>(child: T): T {
    if (child.parentNode) child.parentNode.removeChild(child);
    child.parentNode = this;
    this.children.push(child);
    return child;
  }
  insertBefore<T extends ShimElement>(child: T, ref: ShimElement | null): T {
    if (!ref) return this.appendChild(child);
    if (child.parentNode) child.parentNode.removeChild(child);
    const i = this.children.indexOf(ref);
    child.parentNode = this;
    this.children.splice(i < 0 ? this.children.length : i, 0, child);
    return child;
  }
  removeChild<T extends ShimElement>(child: T): T {
    const i = this.children.indexOf(child);
    if (i >= 0) this.children.splice(i, 1);
    child.parentNode = undefined;
    return child;
  }
  replaceWith(...nodes: ShimElement[]): void {
    const parent = this.parentNode;
    if (!parent) return;
    const i = parent.children.indexOf(this);
    for (const n of nodes) n.parentNode = parent;
    parent.children.splice(i, 1, ...nodes);
    this.parentNode = undefined;
  }
  remove(): void {
    this.parentNode?.removeChild(this);
  }
  get firstChild(): ShimElement | null {
    return this.children[0] ?? null;
  }
  get lastChild(): ShimElement | null {
    return this.children[this.children.length - 1] ?? null;
  }
  get childNodes(): ShimElement[] {
    return this.children;
  }
  get textContent(): string {
    if (this.tagName === "#text") return this.text;
    return this.children.map((c) => c.textContent).join("");
  }
  set textContent(value: string) {
    const t = new ShimElement("#text");
    t.text = String(value);
    t.parentNode = this;
    this.children = [t];
  }
  get style(): ShimStyle {
    return (this.inlineStyle ??= new ShimStyle());
  }
  /** VexFlow never reads layout back from the DOM; a zero box keeps callers that ask from failing. */
  getBBox(): { x: number; y: number; width: number; height: number } {
    return { x: 0, y: 0, width: 0, height: 0 };
  }
}

/** Inline style with the CSS `font` shorthand parsed, as `Font.fromCSSString` expects. */
export class ShimStyle {
  [prop: string]: unknown;
  fontFamily = "";
  fontSize = "";
  fontWeight = "";
  fontStyle = "";

  set font(shorthand: string) {
    const f = parseFontShorthand(shorthand);
    this.fontFamily = f.family;
    this.fontSize = f.size;
    this.fontWeight = f.weight;
    this.fontStyle = f.style;
  }
  get font(): string {
    return [this.fontStyle, this.fontWeight, this.fontSize, this.fontFamily].filter((s) => s && s !== "normal").join(" ");
  }
}

/**
 * Parses the CSS `font` shorthand: `[style] [variant] [weight] size[/line-height] family`.
 * @example parseFontShorthand("italic bold 12pt Academico, serif") // { style: "italic", weight: "bold", size: "12pt", family: "Academico, serif" }
 */
function parseFontShorthand(s: string): { family: string; size: string; weight: string; style: string } {
  const m = /^\s*((?:(?:normal|italic|oblique|bold|bolder|lighter|small-caps|\d{3})\s+)*)([\d.]+[a-z%]*)(?:\/[\d.]+[a-z%]*)?\s+(.+?)\s*$/i.exec(s);
  if (!m) return { family: "", size: "", weight: "normal", style: "normal" };
  const words = (m[1] ?? "").trim().split(/\s+/).filter(Boolean);
  const style = words.find((w) => w === "italic" || w === "oblique") ?? "normal";
  const weight = words.find((w) => /^(bold|bolder|lighter|\d{3})$/.test(w)) ?? "normal";
  return { family: m[3] ?? "", size: m[2] ?? "", weight, style };
}

/** A `document` with just what VexFlow calls: `createElement` (span for font parsing) and `createElementNS`. */
const shimDocument = {
  createElement: (tag: string): ShimElement => new ShimElement(tag),
  createElementNS: (_ns: string, tag: string): ShimElement => new ShimElement(tag),
  getElementById: (): null => null,
};

/**
 * Makes `document` available to VexFlow where there is none (Node). In a browser the real
 * document is left alone: VexFlow only uses it to parse font strings there.
 */
export function ensureDocument(): void {
  const g = globalThis as { document?: unknown };
  if (typeof g.document === "undefined") g.document = shimDocument;
}

/** Serialises a shim tree as XML text. */
export function serialize(el: ShimElement): string {
  // Pieces joined once at the end: joining each element's children first copied the text of a
  // page once per level of its tree, and a string appended piece by piece is a tree of pieces
  // that V8 flattens later at about twice the cost.
  const pieces: string[] = [];
  write(el, pieces);
  return pieces.join("");
}

function write(el: ShimElement, pieces: string[]): void {
  if (el.tagName === "#text") {
    pieces.push(escapeXml(el.text));
    return;
  }
  let start = `<${el.tagName}`;
  const attrs = el.attributes;
  for (let i = 0; i < attrs.length; i += 2) start += ` ${attrs[i]}="${escapeXml(attrs[i + 1]!)}"`;
  if (el.children.length === 0) {
    pieces.push(`${start}/>`);
    return;
  }
  pieces.push(`${start}>`);
  for (const c of el.children) write(c, pieces);
  pieces.push(`</${el.tagName}>`);
}
