/**
 * Compressed MusicXML (.mxl): a zip whose `META-INF/container.xml` names the score file.
 */
import { strFromU8, unzipSync } from "fflate";
import { TuttiError } from "../model/errors.js";
import { child, elements, parseXml } from "../xml/tree.js";

/** The MusicXML text inside an .mxl archive. */
export function unpackMxl(bytes: Uint8Array): string {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (err) {
    throw new TuttiError("BAD_MXL", `not a readable .mxl (zip) file: ${err instanceof Error ? err.message : String(err)}`);
  }
  const container = files["META-INF/container.xml"];
  let path: string | undefined;
  if (container) {
    const root = parseXml(strFromU8(container));
    const rootfiles = child(root, "rootfiles");
    const first = rootfiles ? elements(rootfiles, "rootfile")[0] : undefined;
    path = first?.attrs["full-path"];
  }
  // Some writers leave out the container: take the first MusicXML file at the top.
  path ??= Object.keys(files).find((f) => !f.includes("/") && /\.(xml|musicxml)$/i.test(f));
  const data = path !== undefined ? files[path] : undefined;
  if (!data) throw new TuttiError("BAD_MXL", "the .mxl archive holds no MusicXML score");
  return strFromU8(data);
}
