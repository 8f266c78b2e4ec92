/**
 * Bytes to XML text, in the encodings MusicXML files come in.
 */
import { TuttiError } from "../model/errors.js";

/**
 * XML text: UTF-8, or UTF-16 with or without a byte-order mark, or the legacy single-byte
 * encoding the declaration names (ISO-8859-1, windows-1252…), as MusicXML files come.
 */
export function decodeXml(bytes: Uint8Array): string {
  const text = decodeText(bytes);
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes[0] === 0 || bytes[1] === 0;
  const declared = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']/.exec(text.slice(0, 300))?.[1]?.trim();
  if (!declared || utf16 || /^(utf-?8|utf-?16(le|be)?|us-ascii|ascii)$/i.test(declared)) return text;
  try {
    return new TextDecoder(declared).decode(bytes);
  } catch {
    throw new TuttiError("BAD_XML", `the file declares the encoding "${declared.replace(/\s+/g, " ").slice(0, 40)}", which Tutti does not know`);
  }
}

/** UTF-8, or UTF-16 told by its byte-order mark or, without one, by the zero bytes of "<?". */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes);
  if (bytes[0] === 0x3c && bytes[1] === 0x00) return new TextDecoder("utf-16le").decode(bytes);
  if (bytes[0] === 0x00 && bytes[1] === 0x3c) return new TextDecoder("utf-16be").decode(bytes);
  return new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "");
}
