/**
 * fast-xml-parser's builder (ordered mode, two-space indent, empty elements self-closed): what
 * Tutti wrote MusicXML with before its streamed writer (`src/xml/serialize.ts`), kept here as the
 * reference that writer must match byte for byte.
 */
import { XMLBuilder } from "fast-xml-parser";
import type { XmlOut } from "../../src/xml/serialize.js";

type Ordered = Record<string, unknown>;

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
