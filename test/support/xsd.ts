/**
 * In-process validation against the MusicXML 4.0 XSD (libxml2 compiled to WebAssembly), so CI
 * needs no system package. The schema and its imports are served from fixtures/schema.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { XmlBufferInputProvider, XmlDocument, xmlRegisterInputProvider, XsdValidator } from "libxml2-wasm";

const dir = fileURLToPath(new URL("../../fixtures/schema/", import.meta.url));
let validator: XsdValidator | undefined;

function load(): XsdValidator {
  if (validator) return validator;
  const files: Record<string, Uint8Array> = {};
  for (const f of ["musicxml.xsd", "xml.xsd", "xlink.xsd"]) files[f] = readFileSync(dir + f);
  xmlRegisterInputProvider(new XmlBufferInputProvider(files));
  const xsd = XmlDocument.fromBuffer(files["musicxml.xsd"]!, { url: "musicxml.xsd" });
  validator = XsdValidator.fromDoc(xsd);
  return validator;
}

/** The schema errors of a MusicXML document (empty when it is valid). */
export function xsdErrors(xml: string): string[] {
  const v = load();
  // The DOCTYPE names a DTD on the web; libxml2 does not fetch it (no network, no DTD loading).
  const doc = XmlDocument.fromString(xml);
  try {
    v.validate(doc);
    return [];
  } catch (err) {
    const details = (err as { details?: { message: string; line: number }[] }).details;
    if (details?.length) return details.map((d) => `line ${d.line}: ${d.message.trim()}`);
    return [String((err as Error).message)];
  } finally {
    doc.dispose();
  }
}

/**
 * Why a text is not well-formed XML (libxml2's strict parser: a NUL, an unescaped "<", a tag not
 * closed), or undefined when it is.
 */
export function xmlSyntaxError(text: string): string | undefined {
  try {
    XmlDocument.fromString(text).dispose();
    return undefined;
  } catch (err) {
    return String((err as Error).message).split("\n")[0];
  }
}
