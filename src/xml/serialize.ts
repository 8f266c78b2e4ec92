/**
 * The elements the writers build (`XmlOut`, made with `x`) and their XML text, streamed: the
 * document comes out in pieces, so a long score never holds its whole element tree and its text
 * at once.
 *
 * The text is byte for byte what fast-xml-parser's builder (ordered mode, two-space
 * indent, empty elements self-closed, the five entities escaped) gives for the same tree: files
 * Tutti wrote before stay identical. It walks the tree once, where the builder first copies it
 * into its own ordered form and then matches every element against its path expressions, which
 * made it the slowest part of writing a score, and the largest in memory.
 */

/** An element to serialise; children are elements or text. Undefined children are skipped. */
export interface XmlOut {
  readonly name: string;
  readonly attrs?: Readonly<Record<string, string | number | undefined>>;
  readonly children?: readonly (XmlOut | string | undefined | false)[];
}

/**
 * An element to write, children in order; numbers become text.
 * @example x("octave", {}, 4) // { name: "octave", attrs: {}, children: ["4"] }
 */
export function x(
  name: string,
  attrs?: Readonly<Record<string, string | number | undefined>>,
  ...children: readonly (XmlOut | string | number | undefined | false)[]
): XmlOut {
  // The rest array is this call's own: numbers become text in place.
  const own = children as (XmlOut | string | number | undefined | false)[];
  for (let i = 0; i < own.length; i++) if (typeof own[i] === "number") own[i] = String(own[i]);
  return { name, attrs, children: own as (XmlOut | string | undefined | false)[] };
}

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", ">": "&gt;", "<": "&lt;", "'": "&apos;", '"': "&quot;" };
const SPECIAL = /[&<>'"]/g;
/** Characters XML 1.0 does not allow anywhere, even escaped (NUL and the other C0 controls, lone surrogates, U+FFFE/F). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
/** Text that needs neither: characters XML allows and none of the five (nor a surrogate, which the long way checks). */
const PLAIN = /^[\t\n\r\u0020\u0021\u0023-\u0025\u0028-\u003B\u003D\u003F-\uD7FF\uE000-\uFFFD]*$/;

/**
 * Text and attribute values as XML: the five entities escaped, and characters XML cannot hold
 * at all left out, so that what is written always parses.
 * @example escapeXml("Lascia ch'io <pianga>\u0000") // "Lascia ch&apos;io &lt;pianga&gt;"
 */
export function escapeXml(s: string): string {
  if (PLAIN.test(s)) return s;
  return s.replace(NOT_XML, "").replace(SPECIAL, (c) => ESCAPES[c]!);
}

/**
 * One element as text, each line begun with `indentation` (a newline and the spaces of its depth).
 * @example elementText(x("a", { b: "1" }, x("c", {}, "d")), "\n") // '\n<a b="1">\n  <c>d</c>\n</a>'
 */
export function elementText(e: XmlOut, indentation: string): string {
  const start = `${indentation}<${e.name}${attributesText(e.attrs)}`;
  const children = e.children ?? [];
  // Most elements hold one text (`<step>C</step>`): the rules below give them exactly this.
  if (children.length === 1 && typeof children[0] === "string") {
    const text = escapeXml(children[0]);
    return text.length === 0 ? `${start}/>` : `${start}>${text}</${e.name}>`;
  }
  const value = childrenText(children, indentation + "  ");
  if (value.length === 0) return `${start}/>`;
  // The builder's rules read the text (`endsWith(">")`, `includes("</")`); here they read what the
  // children were, which asking the text would flatten at every depth. Text never ends with ">"
  // nor holds "<" (both are escaped); an element's text always does.
  if (last.element) return `${start}>${value}${indentation}</${e.name}>`;
  // Text after elements.
  if (last.anyElement) return `${start}>${indentation}  ${value}${indentation}</${e.name}>`;
  return `${start}>${value}</${e.name}>`;
}

/**
 * The text of an element whose children are all elements, made one at a time (a `<part>`,
 * measure by measure), handed to `emit` in pieces: the same text as `elementText` gives for the
 * whole element, but no more than one child is ever held, as elements or as text.
 * @example elementPieces("a", {}, 2, (k) => x("c", {}, k), "\n", emit) // emits '\n<a>', '\n  <c>0</c>', '\n  <c>1</c>', '\n</a>'
 */
export function elementPieces(
  name: string,
  attrs: XmlOut["attrs"],
  count: number,
  childAt: (k: number) => XmlOut,
  indentation: string,
  emit: (text: string) => void,
): void {
  const start = `${indentation}<${name}${attributesText(attrs)}`;
  if (count === 0) {
    emit(`${start}/>`);
    return;
  }
  // A child's text always ends with ">": elementText's rule for such children is start, children, end.
  emit(`${start}>`);
  for (let k = 0; k < count; k++) emit(elementText(childAt(k), indentation + "  "));
  emit(`${indentation}</${name}>`);
}

function attributesText(attrs: XmlOut["attrs"]): string {
  let text = "";
  // `for in` walks a plain object's keys in the order `Object.entries` gives, without making the pairs.
  for (const k in attrs) {
    const v = attrs[k];
    if (v !== undefined) text += ` ${k}="${escapeXml(String(v))}"`;
  }
  return text;
}

/** What the last `childrenText` wrote: whether it ended with an element, and whether it wrote one. */
const last = { element: false, anyElement: false };

/** The children of an element, in order, at the indentation of their depth. */
export function childrenText(children: readonly (XmlOut | string | undefined | false)[], indentation: string): string {
  let out = "";
  let afterElement = false;
  let anyElement = false;
  for (const c of children) {
    if (c === undefined || c === false) continue;
    if (typeof c === "string") {
      if (afterElement) out += indentation;
      out += escapeXml(c);
      afterElement = false;
    } else {
      out += elementText(c, indentation);
      afterElement = true;
      anyElement = true;
    }
  }
  last.element = afterElement;
  last.anyElement = anyElement;
  return out;
}
