/**
 * Compressed MusicXML (.mxl): a zip whose `META-INF/container.xml` names the score file.
 *
 * Read in memory, and warily: the zip directory is read by hand, only the container and the
 * score are inflated, each with its declared size checked against `READ_LIMITS` before a byte is
 * inflated and its real size counted while inflating (a size can lie). The rootfile's path must
 * stay inside the archive.
 */
import { Inflate, strFromU8 } from "fflate";
import { TuttiError } from "../model/errors.js";
import { parseXml } from "../xml/parse.js";
import { child, elements } from "../xml/tree.js";
import { concatBytes } from "../model/bytes.js";
import { READ_LIMITS, sizeText } from "./limits.js";
import { decodeXml } from "../xml/decode.js";
import { type FormatReader, readMusicXmlText } from "./formats.js";

interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
}

const bad = (why: string): TuttiError => new TuttiError("BAD_MXL", `not a readable .mxl (zip) file: ${why}`);

/** The .mxl format's reader (see `read/formats.ts`): the MusicXML inside, read. */
export const readMxlFile: FormatReader = (bytes, name) => readMusicXmlText(unpackMxl(bytes), name);

/**
 * The MusicXML text inside an .mxl archive.
 * @example unpackMxl(bytes).startsWith("<?xml") // true
 */
export function unpackMxl(bytes: Uint8Array): string {
  const entries = readDirectory(bytes);
  const byName = new Map<string, ZipEntry>();
  for (const e of entries) if (!byName.has(e.name)) byName.set(e.name, e);

  const container = byName.get("META-INF/container.xml");
  let path: string | undefined;
  if (container) {
    const text = decodeUtf8(inflateEntry(bytes, container, READ_LIMITS.maxContainerBytes));
    const root = parseXml(text);
    const rootfiles = child(root, "rootfiles");
    const first = rootfiles ? elements(rootfiles, "rootfile")[0] : undefined;
    const named = first?.attrs["full-path"];
    if (named !== undefined && named.trim() !== "") {
      const inside = insidePath(named.trim());
      if (inside === undefined) throw new TuttiError("BAD_MXL", `the .mxl archive's rootfile "${clip(named)}" leaves the archive; refusing it`);
      if (!byName.has(inside)) throw new TuttiError("BAD_MXL", `the .mxl archive's container names "${clip(named)}", which is not in the archive`);
      path = inside;
    }
  }
  // Some writers leave out the container: take the first MusicXML file at the top.
  path ??= entries.find((e) => !e.name.includes("/") && /\.(xml|musicxml)$/i.test(e.name))?.name;
  const entry = path !== undefined ? byName.get(path) : undefined;
  if (!entry) throw new TuttiError("BAD_MXL", "the .mxl archive holds no MusicXML score");
  const text = decodeXml(inflateEntry(bytes, entry, READ_LIMITS.maxInflatedBytes));
  if (!text.replace(/^\uFEFF/, "").trimStart().startsWith("<")) {
    throw new TuttiError("BAD_MXL", `the .mxl archive's ${clip(entry.name)} is not a MusicXML file`);
  }
  return text;
}

/**
 * The path inside the archive that `p` names, or undefined when it leaves it: absolute paths,
 * drive letters, URLs, and `..` past the top.
 */
function insidePath(p: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(p) || p.startsWith("/") || p.startsWith("\\")) return undefined;
  const out: string[] = [];
  for (const seg of p.replace(/\\/g, "/").split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(seg);
  }
  return out.length ? out.join("/") : undefined;
}

function clip(s: string): string {
  const one = s.replace(/[\u0000-\u001f\u007f]/g, "?");
  return one.length > 80 ? `${one.slice(0, 80)}…` : one;
}

function decodeUtf8(data: Uint8Array): string {
  return new TextDecoder("utf-8").decode(data);
}

const u16 = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8);
const u32 = (b: Uint8Array, i: number): number => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

/** The central directory: names, methods, sizes and where each entry's data starts. */
function readDirectory(bytes: Uint8Array): ZipEntry[] {
  // The end record is in the last 22 bytes, or up to 64 KiB before them when there is a comment.
  let e = bytes.length - 22;
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  while (e >= stop && u32(bytes, e) !== 0x06054b50) e--;
  if (e < stop || e < 0) throw bad("no zip directory at its end (the file is damaged, or not a zip)");
  const count = u16(bytes, e + 10);
  const cdSize = u32(bytes, e + 12);
  const cdOffset = u32(bytes, e + 16);
  if (cdOffset === 0xffffffff || (e >= 20 && u32(bytes, e - 20) === 0x07064b50)) {
    throw new TuttiError("BAD_MXL", "the .mxl archive is a ZIP64 archive, which no score needs; refusing it");
  }
  if (count > READ_LIMITS.maxZipEntries) {
    throw new TuttiError("BAD_MXL", `the .mxl archive holds ${count} files; Tutti reads at most ${READ_LIMITS.maxZipEntries}`);
  }
  if (cdOffset + cdSize > e) throw bad("its directory lies outside the file (the file is damaged)");
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > e || u32(bytes, p) !== 0x02014b50) throw bad(`entry ${i + 1} of its directory is damaged`);
    const flags = u16(bytes, p + 8);
    const nameLength = u16(bytes, p + 28);
    const next = p + 46 + nameLength + u16(bytes, p + 30) + u16(bytes, p + 32);
    if (next > e) throw bad(`entry ${i + 1} of its directory is damaged`);
    const raw = bytes.subarray(p + 46, p + 46 + nameLength);
    entries.push({
      name: flags & 0x800 ? decodeUtf8(raw) : strFromU8(raw, true),
      method: u16(bytes, p + 10),
      flags,
      compressedSize: u32(bytes, p + 20),
      size: u32(bytes, p + 24),
      localOffset: u32(bytes, p + 42),
    });
    p = next;
  }
  return entries;
}

/**
 * One entry's content. The declared size must be within `limit`, and the data may not inflate to
 * more than it declares: inflating stops as soon as it does, so a lying size costs nothing.
 */
function inflateEntry(bytes: Uint8Array, entry: ZipEntry, limit: number): Uint8Array {
  const name = clip(entry.name);
  if (entry.size > limit) {
    throw new TuttiError("BAD_MXL", `the .mxl archive's ${name} inflates to ${sizeText(entry.size)}, more than the ${sizeText(limit)} Tutti reads; refusing it`);
  }
  if (entry.flags & 1) throw new TuttiError("BAD_MXL", `the .mxl archive's ${name} is encrypted`);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || u32(bytes, at) !== 0x04034b50) throw bad(`the entry ${name} is damaged`);
  const start = at + 30 + u16(bytes, at + 26) + u16(bytes, at + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw bad(`the entry ${name} runs past the end of the file`);
  const data = bytes.subarray(start, end);
  if (entry.method === 0) {
    if (data.length !== entry.size) throw bad(`the stored entry ${name} is damaged`);
    return data.slice();
  }
  if (entry.method !== 8) {
    throw new TuttiError("BAD_MXL", `the .mxl archive's ${name} uses compression method ${entry.method}; Tutti reads stored and deflated entries only`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  let done = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > entry.size) {
      throw new TuttiError("BAD_MXL", `the .mxl archive's ${name} inflates to more than the ${sizeText(entry.size)} it declares; refusing it`);
    }
    chunks.push(chunk);
    if (final) done = true;
  });
  const STEP = 64 * 1024;
  try {
    for (let i = 0; i < data.length; i += STEP) inflater.push(data.subarray(i, i + STEP), i + STEP >= data.length);
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (err) {
    if (err instanceof TuttiError) throw err;
    throw bad(`the entry ${name} does not inflate (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!done) throw bad(`the entry ${name} is cut short`);
  return concatBytes(chunks);
}
